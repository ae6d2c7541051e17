/** Words several commands print, kept in one place. */
import { EVENTS } from '../catalog';
import { PROGRAM } from './command';

/** The event IDs of permitted traffic, for help texts. */
export const ALLOWED_IDS = EVENTS.filter((e) => e.action === 'allow')
  .map((e) => e.id)
  .join(', ');

/** What to do off Windows instead of watching the live log. */
export const OFF_WINDOWS_HINT = `read exported logs instead: '${PROGRAM} replay FILE' (wevtutil qe Security /f:xml > FILE on the Windows machine)`;
