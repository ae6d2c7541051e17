import { isIP } from 'node:net';
import type { NativeCommonOptions } from '../binding';
import { WfpOptionError } from './errors';
import type { BlockAction, Direction } from './types';

/**
 * Which events a watcher reports, matched on its native thread before any JavaScript object exists
 * (native/pipeline/event_filter.h). Each criterion is a list of alternatives (any may match); an
 * event must match every criterion given.
 */
export interface BlockFilter {
  /** Events at or after this time: a Date, milliseconds since the epoch, an ISO 8601 string, or a duration before now (`'2h'`, `'30m'`, `'7d'`). */
  since?: Date | number | string;
  /** Events at or before this time (same forms as `since`). */
  until?: Date | number | string;
  /** Only these event IDs (5031, 5150-5159). */
  eventIds?: readonly number[];
  directions?: readonly Direction[];
  /** `'allow'` needs `includeAllowed: true`. */
  actions?: readonly BlockAction[];
  /**
   * The logged application path contains one of these (case-insensitive), or matches one as a glob
   * (`*` and `?`; a glob without `\` is matched against the file name too: `'*.exe'`, `'svc*'`).
   */
  applications?: readonly string[];
  /** Either endpoint's address is one of these: an address or a CIDR block (`'10.0.0.0/8'`, `'fe80::/10'`). */
  addresses?: readonly string[];
  /** Either endpoint's port is one of these: a port, or a range as `'1024-65535'`. */
  ports?: ReadonlyArray<number | string>;
}

/** The filter as the native side takes it (binding.d.ts): absolute times, and every list as strings. */
export type NativeFilter = Pick<
  NativeCommonOptions,
  | 'filterSinceMs'
  | 'filterUntilMs'
  | 'filterEventIds'
  | 'filterDirections'
  | 'filterActions'
  | 'filterApplications'
  | 'filterAddresses'
  | 'filterPorts'
>;

const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound', 'forward', 'bidirectional'];
const ACTIONS: readonly BlockAction[] = ['block', 'allow'];
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** Milliseconds of a duration such as `500ms`, `5s`, `2h`, `7d`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2]] : undefined;
}

/** A point in time from a Date, epoch milliseconds, an ISO 8601 string or a duration before `now`. */
export function parseTime(value: unknown, now: number): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ago = parseDuration(value);
  if (ago !== undefined) return now - ago;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function list<T>(option: string, value: unknown, expected: string, check: (item: unknown) => item is T): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(check)) {
    throw new WfpOptionError(option, value, expected);
  }
  return [...value];
}

/** An address, or an address/prefix with a prefix that fits its family. */
export function isAddressOrCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (!family) return false;
  if (slash < 0) return true;
  const prefix = text.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isPortOrRange(item: unknown): item is number | string {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (typeof item === 'number') return ok(item);
  if (typeof item !== 'string') return false;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item.trim());
  return m !== null && ok(Number(m[1])) && (m[2] === undefined || (ok(Number(m[2])) && Number(m[2]) >= Number(m[1])));
}

const isString = (item: unknown): item is string => typeof item === 'string' && item.length > 0;

/** Validates `filter` (throwing a WfpOptionError) and turns it into the native options. */
export function resolveFilter(filter: unknown, includeAllowed: boolean, now = Date.now()): NativeFilter {
  if (filter === undefined) return {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new WfpOptionError(
      'filter',
      filter,
      'an object such as { since, until, eventIds, directions, actions, applications, addresses, ports }',
    );
  }
  const f = filter as Record<string, unknown>;
  const known = ['since', 'until', 'eventIds', 'directions', 'actions', 'applications', 'addresses', 'ports'];
  for (const key of Object.keys(f)) {
    if (!known.includes(key)) throw new WfpOptionError(`filter.${key}`, f[key], `one of the known criteria (${known.join(', ')})`);
  }
  const out: NativeFilter = {};
  const time = (key: 'since' | 'until') => {
    if (f[key] === undefined) return undefined;
    const t = parseTime(f[key], now);
    if (t === undefined) {
      throw new WfpOptionError(`filter.${key}`, f[key], "a Date, epoch milliseconds, an ISO 8601 time or a duration such as '2h'");
    }
    return t;
  };
  out.filterSinceMs = time('since');
  out.filterUntilMs = time('until');
  if (out.filterSinceMs !== undefined && out.filterUntilMs !== undefined && out.filterSinceMs > out.filterUntilMs) {
    throw new WfpOptionError('filter.until', f.until, `a time at or after filter.since (${new Date(out.filterSinceMs).toISOString()})`);
  }
  const ids = list(
    'filter.eventIds',
    f.eventIds,
    'a non-empty array of event IDs (5031, 5150-5159)',
    (i): i is number => typeof i === 'number' && (i === 5031 || (i >= 5150 && i <= 5159)),
  );
  out.filterEventIds = ids?.map(String);
  out.filterDirections = list('filter.directions', f.directions, `a non-empty array of ${DIRECTIONS.join(', ')}`, (i): i is Direction =>
    DIRECTIONS.includes(i as Direction),
  );
  const actions = list('filter.actions', f.actions, `a non-empty array of ${ACTIONS.join(', ')}`, (i): i is BlockAction =>
    ACTIONS.includes(i as BlockAction),
  );
  if (actions?.includes('allow') && !includeAllowed) {
    throw new WfpOptionError(
      'filter.actions',
      f.actions,
      "['block'] unless includeAllowed is true (permitted traffic is not read otherwise)",
    );
  }
  out.filterActions = actions;
  out.filterApplications = list('filter.applications', f.applications, 'a non-empty array of non-empty strings', isString);
  out.filterAddresses = list(
    'filter.addresses',
    f.addresses,
    "a non-empty array of addresses or CIDR blocks ('10.0.0.0/8')",
    (i): i is string => typeof i === 'string' && isAddressOrCidr(i.trim()),
  )?.map((a) => a.trim());
  out.filterPorts = list('filter.ports', f.ports, "a non-empty array of ports (0-65535) or ranges ('1024-65535')", isPortOrRange)?.map(
    (p) => String(p).trim(),
  );
  for (const key of Object.keys(out) as Array<keyof NativeFilter>) if (out[key] === undefined) delete out[key];
  return out;
}
