/**
 * The event catalogue, as JavaScript needs it without loading the addon (the CLI's help, ECS, the
 * audit helpers): a mirror of native/model/event_catalog.h, which owns these facts. A test checks the
 * two are equal, so they cannot drift apart.
 */

/** What produced the event: a blocked or permitted connection, packet, listen, bind, inbound accept or MAC frame. */
export type BlockKind = 'connection' | 'packet' | 'listen' | 'bind' | 'accept' | 'mac';
export type BlockAction = 'block' | 'allow';

export const BLOCK_KINDS: readonly BlockKind[] = ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'];

/** The audit subcategories whose events this library reads. Always addressed by GUID: names are localised. */
export const SUBCATEGORIES = [
  { key: 'connection', guid: '{0CCE9226-69AE-11D9-BED3-505054503030}', name: 'Filtering Platform Connection' },
  { key: 'packetDrop', guid: '{0CCE9225-69AE-11D9-BED3-505054503030}', name: 'Filtering Platform Packet Drop' },
  { key: 'auditPolicyChange', guid: '{0CCE922F-69AE-11D9-BED3-505054503030}', name: 'Audit Policy Change' },
] as const;

export type SubcategoryKey = (typeof SUBCATEGORIES)[number]['key'];

export interface EventInfo {
  id: number;
  /** 'traffic': a WFP block or permit (a BlockEvent); 'policyChange': 4719. */
  role: 'traffic' | 'policyChange';
  kind: BlockKind | null;
  action: BlockAction | null;
  subcategory: SubcategoryKey;
  /** Which audit bit of the subcategory makes Windows log it (Audit Success or Audit Failure). */
  outcome: 'success' | 'failure';
  title: string;
}

const traffic = (
  id: number,
  kind: BlockKind,
  action: BlockAction,
  subcategory: SubcategoryKey,
  outcome: EventInfo['outcome'],
  title: string,
): EventInfo => ({ id, role: 'traffic', kind, action, subcategory, outcome, title });

export const EVENTS: readonly EventInfo[] = [
  traffic(5031, 'accept', 'block', 'connection', 'failure',
    'The Windows Firewall Service blocked an application from accepting incoming connections on the network.'),
  traffic(5150, 'mac', 'block', 'packetDrop', 'failure', 'The Windows Filtering Platform blocked a packet.'),
  traffic(5151, 'mac', 'block', 'packetDrop', 'failure',
    'A more restrictive Windows Filtering Platform filter has blocked a packet.'),
  traffic(5152, 'packet', 'block', 'packetDrop', 'failure', 'The Windows Filtering Platform blocked a packet.'),
  traffic(5153, 'packet', 'block', 'packetDrop', 'success',
    'A more restrictive Windows Filtering Platform filter has blocked a packet.'),
  traffic(5154, 'listen', 'allow', 'connection', 'success',
    'The Windows Filtering Platform has permitted an application or service to listen on a port for incoming connections.'),
  traffic(5155, 'listen', 'block', 'connection', 'failure',
    'The Windows Filtering Platform has blocked an application or service from listening on a port for incoming connections.'),
  traffic(5156, 'connection', 'allow', 'connection', 'success', 'The Windows Filtering Platform has permitted a connection.'),
  traffic(5157, 'connection', 'block', 'connection', 'failure', 'The Windows Filtering Platform has blocked a connection.'),
  traffic(5158, 'bind', 'allow', 'connection', 'success', 'The Windows Filtering Platform has permitted a bind to a local port.'),
  traffic(5159, 'bind', 'block', 'connection', 'failure', 'The Windows Filtering Platform has blocked a bind to a local port.'),
  {
    id: 4719,
    role: 'policyChange',
    kind: null,
    action: null,
    subcategory: 'auditPolicyChange',
    outcome: 'success',
    title: 'System audit policy was changed.',
  },
];

const BY_ID = new Map(EVENTS.map((e) => [e.id, e]));

/**
 * The kinds a live watcher reads by default: those "Filtering Platform Connection" audits. Packet
 * drops ("Filtering Platform Packet Drop": 5150-5153) are very noisy, so they are opt-in, and the
 * default watch, the auditing it asks for and a plain `enableBlockAuditing()` agree.
 */
export const DEFAULT_LIVE_KINDS: readonly BlockKind[] = BLOCK_KINDS.filter((kind) =>
  EVENTS.every((e) => e.kind !== kind || e.subcategory !== 'packetDrop'),
);

/** The catalogue entry of an event ID, if this library reads it. */
export const eventInfo = (id: number): EventInfo | undefined => BY_ID.get(id);

/** The traffic event IDs reported for these kinds (blocks only, unless allowed events are wanted). */
export function selectedEvents(kinds: readonly BlockKind[], includeAllowed: boolean): EventInfo[] {
  return EVENTS.filter((e) => e.role === 'traffic' && kinds.includes(e.kind as BlockKind) && (includeAllowed || e.action === 'block'));
}
