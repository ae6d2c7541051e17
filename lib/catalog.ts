/**
 * The event catalogue, as JavaScript needs it without loading the addon (the CLI's help, ECS, the
 * audit helpers): a mirror of native/model/event_catalog.h, which owns these facts. A test checks the
 * two are equal, so they cannot drift apart.
 */

/** What produced the event: a blocked or permitted connection, packet, listen, bind, inbound accept or MAC frame. */
export type BlockKind = 'connection' | 'packet' | 'listen' | 'bind' | 'accept' | 'mac';
export type BlockAction = 'block' | 'allow';

export const BLOCK_KINDS: readonly BlockKind[] = ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'];

/**
 * What kind of filter decided an event: a firewall rule (`filterOrigin` is its ID), one of the firewall's
 * default filters Microsoft documents for FilterOrigin, a filter of another WFP provider (live lookups),
 * or nothing can tell.
 */
export const DECIDED_BY = [
  'unknown',
  'rule',
  'appcontainer-loopback',
  'boot-time-default',
  'quarantine-default',
  'query-user-default',
  'stealth',
  'uwp-default',
  'wsh-default',
  'other-provider',
] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

/** The default filter a `decidedBy` names, as a sentence says it ("blocked by the firewall's stealth filter"). */
export const DECIDED_BY_FILTER_NAMES: Readonly<Partial<Record<DecidedBy, string>>> = {
  'appcontainer-loopback': 'AppContainer loopback',
  'boot-time-default': 'boot time default',
  'quarantine-default': 'quarantine default',
  'query-user-default': 'query user default',
  stealth: 'stealth',
  'uwp-default': 'UWP default',
  'wsh-default': 'Windows Service Hardening default',
};

/** What a change event reports. */
export const RULE_CHANGE_KINDS = [
  'rule-added',
  'rule-modified',
  'rule-deleted',
  'all-rules-deleted',
  'defaults-restored',
  'setting-changed',
  'active-profile-changed',
  'interface-profile-changed',
  'group-policy-applied',
  'rule-rejected',
  'policy-at-start',
  'rule-at-start',
  'filter-added',
  'filter-deleted',
  'filter-at-start',
  'callout-added',
  'callout-deleted',
  'callout-at-start',
  'provider-added',
  'provider-deleted',
  'provider-at-start',
  'provider-context-added',
  'provider-context-deleted',
  'provider-context-at-start',
  'sublayer-added',
  'sublayer-deleted',
  'sublayer-at-start',
] as const;
export type RuleChangeKind = (typeof RULE_CHANGE_KINDS)[number];

export const SECURITY_CHANNEL = 'Security';
export const FIREWALL_CHANNEL = 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall';
export type EventChannel = typeof SECURITY_CHANNEL | typeof FIREWALL_CHANNEL;
/** The logs in the order the native side numbers them (native Channel): a live source's input indexes. */
export const CHANNELS = [SECURITY_CHANNEL, FIREWALL_CHANNEL] as const;

/** The audit subcategories whose events this library reads. Always addressed by GUID: names are localised. */
export const SUBCATEGORIES = [
  { key: 'connection', guid: '{0CCE9226-69AE-11D9-BED3-505054503030}', name: 'Filtering Platform Connection' },
  { key: 'packetDrop', guid: '{0CCE9225-69AE-11D9-BED3-505054503030}', name: 'Filtering Platform Packet Drop' },
  { key: 'auditPolicyChange', guid: '{0CCE922F-69AE-11D9-BED3-505054503030}', name: 'Audit Policy Change' },
  { key: 'ruleChange', guid: '{0CCE9232-69AE-11D9-BED3-505054503030}', name: 'MPSSVC Rule-Level Policy Change' },
  { key: 'wfpPolicyChange', guid: '{0CCE9233-69AE-11D9-BED3-505054503030}', name: 'Filtering Platform Policy Change' },
  // 5447 is logged here (Task 13573 in real records; Microsoft's subcategory page lists it).
  { key: 'otherPolicyChange', guid: '{0CCE9234-69AE-11D9-BED3-505054503030}', name: 'Other Policy Change Events' },
] as const;

export type SubcategoryKey = (typeof SUBCATEGORIES)[number]['key'];

export interface EventInfo {
  id: number;
  /** 'traffic': a WFP block or permit (a BlockEvent); 'policyChange': 4719; 'ruleChange': a firewall or WFP change. */
  role: 'traffic' | 'policyChange' | 'ruleChange';
  kind: BlockKind | null;
  action: BlockAction | null;
  /** Null for the firewall's own log, which is no audit log. */
  subcategory: SubcategoryKey | null;
  /** Which audit bit of the subcategory makes Windows log it (Audit Success or Audit Failure). */
  outcome: 'success' | 'failure' | null;
  title: string;
  /** 'ruleChange': what it reports (5446-5450: the added object; ChangeType may make it the deleted one). */
  change: RuleChangeKind | null;
  channel: EventChannel;
}

const traffic = (
  id: number,
  kind: BlockKind,
  action: BlockAction,
  subcategory: SubcategoryKey,
  outcome: EventInfo['outcome'],
  title: string,
): EventInfo => ({ id, role: 'traffic', kind, action, subcategory, outcome, title, change: null, channel: SECURITY_CHANNEL });

const mpssvc = (id: number, outcome: 'success' | 'failure', change: RuleChangeKind, title: string): EventInfo => ({
  id,
  role: 'ruleChange',
  kind: null,
  action: null,
  subcategory: 'ruleChange',
  outcome,
  title,
  change,
  channel: SECURITY_CHANNEL,
});
const wfpPolicy = (id: number, subcategory: SubcategoryKey, change: RuleChangeKind, title: string): EventInfo => ({
  id,
  role: 'ruleChange',
  kind: null,
  action: null,
  subcategory,
  outcome: 'success',
  title,
  change,
  channel: SECURITY_CHANNEL,
});
const firewallLog = (id: number, change: RuleChangeKind, title: string): EventInfo => ({
  id,
  role: 'ruleChange',
  kind: null,
  action: null,
  subcategory: null,
  outcome: null,
  title,
  change,
  channel: FIREWALL_CHANNEL,
});
const FW_ADDED = 'A rule has been added to the Windows Defender Firewall exception list.';
const FW_MODIFIED = 'A rule has been modified in the Windows Defender Firewall exception list.';
const FW_DELETED = 'A rule has been deleted in the Windows Defender Firewall exception list.';
const FW_ALL_DELETED = 'All rules have been deleted from the Windows Defender Firewall configuration on this computer.';
const FW_RESET = 'Windows Defender Firewall has been reset to its default configuration.';
const FW_SETTING = 'A Windows Defender Firewall setting has changed.';
const FW_PROFILE_SETTING = 'A Windows Defender Firewall setting in the %1 profile has changed.';
const BFE_START = (what: string) => `The following ${what} was present when the Windows Filtering Platform Base Filtering Engine started.`;

export const EVENTS: readonly EventInfo[] = [
  traffic(
    5031,
    'accept',
    'block',
    'connection',
    'failure',
    'The Windows Firewall Service blocked an application from accepting incoming connections on the network.',
  ),
  traffic(5150, 'mac', 'block', 'packetDrop', 'failure', 'The Windows Filtering Platform blocked a packet.'),
  traffic(5151, 'mac', 'block', 'packetDrop', 'failure', 'A more restrictive Windows Filtering Platform filter has blocked a packet.'),
  traffic(5152, 'packet', 'block', 'packetDrop', 'failure', 'The Windows Filtering Platform blocked a packet.'),
  traffic(5153, 'packet', 'block', 'packetDrop', 'success', 'A more restrictive Windows Filtering Platform filter has blocked a packet.'),
  traffic(
    5154,
    'listen',
    'allow',
    'connection',
    'success',
    'The Windows Filtering Platform has permitted an application or service to listen on a port for incoming connections.',
  ),
  traffic(
    5155,
    'listen',
    'block',
    'connection',
    'failure',
    'The Windows Filtering Platform has blocked an application or service from listening on a port for incoming connections.',
  ),
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
    change: null,
    channel: SECURITY_CHANNEL,
  },
  mpssvc(4944, 'success', 'policy-at-start', 'The following policy was active when the Windows Firewall started.'),
  mpssvc(4945, 'success', 'rule-at-start', 'A rule was listed when the Windows Firewall started.'),
  mpssvc(4946, 'success', 'rule-added', 'A change has been made to Windows Firewall exception list. A rule was added.'),
  mpssvc(4947, 'success', 'rule-modified', 'A change has been made to Windows Firewall exception list. A rule was modified.'),
  mpssvc(4948, 'success', 'rule-deleted', 'A change has been made to Windows Firewall exception list. A rule was deleted.'),
  mpssvc(4949, 'success', 'defaults-restored', 'Windows Firewall settings were restored to the default values.'),
  mpssvc(4950, 'success', 'setting-changed', 'A Windows Firewall setting has changed.'),
  mpssvc(
    4951,
    'failure',
    'rule-rejected',
    'A rule has been ignored because its major version number was not recognized by Windows Firewall.',
  ),
  mpssvc(
    4952,
    'failure',
    'rule-rejected',
    'Parts of a rule have been ignored because its minor version number was not recognized by Windows Firewall. The other parts of the rule will be enforced.',
  ),
  mpssvc(4953, 'failure', 'rule-rejected', 'A rule has been ignored by Windows Firewall because it could not parse the rule.'),
  mpssvc(
    4954,
    'success',
    'group-policy-applied',
    'Windows Firewall Group Policy settings have changed. The new settings have been applied.',
  ),
  mpssvc(4956, 'success', 'active-profile-changed', 'Windows Firewall has changed the active profile.'),
  mpssvc(4957, 'failure', 'rule-rejected', 'Windows Firewall did not apply the following rule.'),
  mpssvc(
    4958,
    'failure',
    'rule-rejected',
    'Windows Firewall did not apply the following rule because the rule referred to items not configured on this computer.',
  ),
  wfpPolicy(5440, 'wfpPolicyChange', 'callout-at-start', BFE_START('callout')),
  wfpPolicy(5441, 'wfpPolicyChange', 'filter-at-start', BFE_START('filter')),
  wfpPolicy(5442, 'wfpPolicyChange', 'provider-at-start', BFE_START('provider')),
  wfpPolicy(5443, 'wfpPolicyChange', 'provider-context-at-start', BFE_START('provider context')),
  wfpPolicy(5444, 'wfpPolicyChange', 'sublayer-at-start', BFE_START('sub-layer')),
  wfpPolicy(5446, 'wfpPolicyChange', 'callout-added', 'A Windows Filtering Platform callout has been changed.'),
  wfpPolicy(5447, 'otherPolicyChange', 'filter-added', 'A Windows Filtering Platform filter has been changed.'),
  wfpPolicy(5448, 'wfpPolicyChange', 'provider-added', 'A Windows Filtering Platform provider has been changed.'),
  wfpPolicy(5449, 'wfpPolicyChange', 'provider-context-added', 'A Windows Filtering Platform provider context has been changed.'),
  wfpPolicy(5450, 'wfpPolicyChange', 'sublayer-added', 'A Windows Filtering Platform sub-layer has been changed.'),
  firewallLog(2002, 'setting-changed', FW_SETTING),
  firewallLog(2003, 'setting-changed', FW_PROFILE_SETTING),
  firewallLog(2004, 'rule-added', FW_ADDED),
  firewallLog(2005, 'rule-modified', FW_MODIFIED),
  firewallLog(2006, 'rule-deleted', FW_DELETED),
  firewallLog(
    2008,
    'group-policy-applied',
    'Windows Defender Firewall Group Policy settings have changed. The new settings have been applied.',
  ),
  firewallLog(2010, 'interface-profile-changed', 'Network profile changed on an interface.'),
  firewallLog(2032, 'defaults-restored', FW_RESET),
  firewallLog(2033, 'all-rules-deleted', FW_ALL_DELETED),
  firewallLog(2052, 'rule-deleted', FW_DELETED),
  firewallLog(2059, 'all-rules-deleted', FW_ALL_DELETED),
  firewallLog(2060, 'defaults-restored', FW_RESET),
  firewallLog(2071, 'rule-added', FW_ADDED),
  firewallLog(2073, 'rule-modified', FW_MODIFIED),
  firewallLog(2082, 'setting-changed', FW_PROFILE_SETTING),
  firewallLog(2083, 'setting-changed', FW_SETTING),
  firewallLog(2097, 'rule-added', FW_ADDED),
  firewallLog(2099, 'rule-modified', FW_MODIFIED),
];

const BY_ID = new Map(EVENTS.map((e) => [e.id, e]));

/** The change events whose auditing the audit helpers turn on (Audit Success only), by subcategory. */
export const changeEvents = (subcategories: readonly SubcategoryKey[]): EventInfo[] =>
  EVENTS.filter(
    (e) => e.role === 'ruleChange' && e.outcome === 'success' && e.subcategory !== null && subcategories.includes(e.subcategory),
  );
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
