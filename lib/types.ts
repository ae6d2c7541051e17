import type { BlockAction, BlockKind, DecidedBy, EventChannel, RuleChangeKind } from './catalog';

export {
  BLOCK_KINDS,
  DECIDED_BY,
  RULE_CHANGE_KINDS,
  type BlockAction,
  type BlockKind,
  type DecidedBy,
  type EventChannel,
  type RuleChangeKind,
} from './catalog';
export type Direction = 'inbound' | 'outbound' | 'forward' | 'bidirectional';
/**
 * Which rule decided `local` and `remote`: `'kind'` (listen and bind carry only the local pair),
 * `'direction'` (Source is the remote peer inbound, the local side outbound), `'interface'` (live: one
 * endpoint is one of this machine's interface addresses), `'learned'` (replays: one endpoint is an address
 * the computer's own listens, binds, outbound connections or packet drops showed earlier).
 */
export type SidesBy = 'kind' | 'direction' | 'interface' | 'learned';

export interface Endpoint {
  /** As logged: IPv4, IPv6 (`::`, `fe80::…`), or a MAC address for 5150/5151. */
  address: string;
  /** As logged; null when the event has no port field (or it is not a number). ICMP logs 0 or the type. */
  port: number | null;
}

/** The System values of a record that the other fields do not already carry. */
export interface SystemFields {
  /** Provider/@Name. */
  provider: string | null;
  /** Provider/@Guid, as written (`{54849625-5478-4994-A5BA-3E3B0328C30D}`). */
  providerGuid: string | null;
  channel: string | null;
  level: number | null;
  task: number | null;
  opcode: number | null;
  /** As written: `0x8010000000000000` (Audit Failure), `0x8020000000000000` (Audit Success). */
  keywords: string | null;
  /** Correlation/@ActivityID. */
  activityId: string | null;
  /** Security/@UserID. */
  userId: string | null;
  /** Execution/@ProcessID and @ThreadID: the process that wrote the record (not the blocked one). */
  processId: number | null;
  threadId: number | null;
  /** TimeCreated/@SystemTime exactly as written, to the 100 ns (or 1 ns) the log holds. */
  timeCreated: string;
}

/** One WFP audit record of 5031 or 5150-5159, normalised. See the README for each field. */
export interface BlockEvent {
  eventId: number;
  /** EventRecordID: a number, or its decimal text when it is above 2^53 (a number cannot hold it exactly). */
  recordId: number | string;
  /** TimeCreated/@SystemTime (UTC), to the millisecond. */
  time: Date;
  computer: string;
  /** System/Version of the record (it does not tell the field layout; fields are read by name). */
  version: number;
  action: BlockAction;
  kind: BlockKind;
  direction: Direction | null;
  /** IANA protocol number. */
  protocol: number | null;
  /** IANA keyword, lower-case (`tcp`, `udp`, `icmp`, `ipv6-icmp`, …); null when unknown here. */
  protocolName: string | null;
  pid: number | null;
  /** As logged (an NT device path, or a DOS path for 5031); null when the record says `-`. */
  application: string | null;
  source: Endpoint | null;
  destination: Endpoint | null;
  /** The local side, `source` or `destination` (the same object); `sidesBy` says which rule decided. */
  local: Endpoint | null;
  /** The remote side, `source` or `destination` (the same object); null for listen and bind. */
  remote: Endpoint | null;
  /** The rule that decided `local` and `remote`; null when neither is known. */
  sidesBy: SidesBy | null;
  /** FilterRTID: the WFP filter's run-time ID at the time of the event. */
  filterId: number | null;
  /** FilterOrigin (Windows 11 / Server 2022): a firewall rule ID or a default filter's name. */
  filterOrigin: string | null;
  /** LayerRTID. */
  layerId: number | null;
  /** LayerName with its `%%` token decoded (`Receive/Accept`, `Connect`, …), or as logged if unknown. */
  layerName: string | null;
  interfaceIndex: number | null;
  /**
   * What kind of filter decided it (blocked, or for allowed events permitted): 'rule' when `filterOrigin`
   * is a firewall rule's ID, a default filter's name for the firewall's default filters, 'unknown' when
   * the record has no FilterOrigin (before Windows 11 / Server 2022), says `Unknown`, or says something
   * nobody documented (kept as logged in `filterOrigin`).
   */
  decidedBy: DecidedBy;
  /** decidedBy 'rule': the rule's ID (`Get-NetFirewallRule -Name <ruleId>`); null otherwise. */
  ruleId: string | null;
  /** Every EventData field by name, exactly as logged (unnamed fields by position). */
  data: Record<string, string>;
  /**
   * The last change the watcher read of the rule (by `ruleId`) or else the WFP filter (by `filterId`)
   * that decided this event, if it happened no later than the event. Absent when none.
   */
  lastChange?: LastChange;
  /** The rest of the record's System section, as Windows wrote it (null where the record has none). */
  system: SystemFields;
  /** Live sources on Windows (best-effort; absent when a lookup failed): Application as a DOS path. */
  applicationPath?: string;
  /** The WFP filter behind `filterId`, looked up when the event arrived (run-time IDs change). */
  filter?: { name: string | null; description: string | null; provider: string | null };
  /** The display name of the firewall rule `filterOrigin` names. */
  ruleName?: string;
  /** Live on Windows, that rule as its store holds it (absent when no store does). */
  rule?: FirewallRuleInfo;
  /** The process's image name while it still runs (`System` for PID 4). */
  processName?: string;
  /** For svchost.exe: the services it hosts. */
  services?: string[];
  /** 'netevents' source: the user the traffic belongs to (the net event's userId), as a SID. */
  userSid?: string;
  /** 'netevents' source: the AppContainer package SID of the application. */
  packageSid?: string;
  /** 'netevents' source: the traffic came from or went to the loopback interface. */
  loopback?: boolean;
  /** 'netevents' source: why the connection was classified again (FWPS_CLASSIFY reauthorisation reason). */
  reauthReason?: number;
  /** 'netevents' source: the network profile (firewall profile ID) when the flow began, and now. */
  originalProfile?: number;
  currentProfile?: number;
  /** With `coalesce`: how many repeats of this block were folded into this event, and over what time. */
  count?: number;
  firstTime?: Date;
  lastTime?: Date;
}

/** The gist of a rule or filter change, as a block that rule or filter decided carries it. */
/** A firewall rule as a rule store holds it (the rule string's fields, indirect strings resolved). */
export interface FirewallRuleInfo {
  /** Its group (`EmbedCtxt`), as shown on this machine. */
  group: string | null;
  /** `Dir=In` / `Dir=Out`; any other value as written. */
  direction: 'inbound' | 'outbound' | null;
  /** `Action=Allow` / `Block` / `ByPass`. */
  action: 'allow' | 'block' | 'bypass' | null;
  /** The store it was found in: where it came from. */
  store: 'local' | 'group-policy' | 'service-hardening' | 'app-isolation' | 'mdm';
}

export interface LastChange {
  eventId: number;
  recordId: number;
  time: Date;
  change: RuleChangeKind;
  /** The rule's or filter's name as the change event logged it. */
  name: string | null;
  /** Who: the modifying user (firewall log) or the WFP change's user, as logged. */
  user: { sid: string | null; name: string | null };
  /** The modifying application (firewall log). */
  application: string | null;
}

/**
 * A change event: a firewall rule or setting changed (Security log 4944-4958, the firewall's own log
 * 2002-2099), or a WFP object (5440-5450). Fields a record does not carry are null. See the README.
 */
export interface RuleChange {
  eventId: number;
  recordId: number;
  time: Date;
  computer: string;
  channel: EventChannel;
  change: RuleChangeKind;
  /** The firewall rule's ID (RuleId). */
  ruleId: string | null;
  /** The WFP filter's run-time ID (FilterId): what a block's `filterId` holds. */
  filterId: number | null;
  /** The WFP object's key (FilterKey, CalloutKey, ...). */
  key: string | null;
  /** RuleName, FilterName, CalloutName, ... as logged. */
  name: string | null;
  /** The profiles it applies to: as logged ("All", "Domain,Private"); the firewall log's bit mask decoded. */
  profiles: string | null;
  /** A changed setting (4950, 2002, 2003) and its new value, as logged (2003: the [MS-FASP] name). */
  setting: string | null;
  value: string | null;
  /**
   * The rule's or WFP object's properties as the record gives them, decoded: the new state (added,
   * modified) or the last one (deleted). Windows logs no previous values.
   */
  values: Record<string, string>;
  /** WFP changes: the provider of the object. */
  provider: { key: string | null; name: string | null } | null;
  /** Who made the change. */
  user: { sid: string | null; name: string | null };
  /** The modifying application (firewall log). */
  application: string | null;
  /** The process that made a WFP change (ProcessId). */
  pid: number | null;
  /** Why a rule was rejected (4953, 4957, 4958). */
  reason: string | null;
  /** Every EventData field by name, exactly as logged. */
  data: Record<string, string>;
}
