import type { BlockAction, BlockKind } from './catalog';

export { BLOCK_KINDS, type BlockAction, type BlockKind } from './catalog';
export type Direction = 'inbound' | 'outbound' | 'forward' | 'bidirectional';

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
  /** The local side: Dest for inbound, Source for outbound, Source for listen and bind (same object). */
  local: Endpoint | null;
  /** The remote side: Source for inbound, Dest for outbound; null for listen and bind (same object). */
  remote: Endpoint | null;
  /** FilterRTID: the WFP filter's run-time ID at the time of the event. */
  filterId: number | null;
  /** FilterOrigin (Windows 11 / Server 2022): a firewall rule ID or a default filter's name. */
  filterOrigin: string | null;
  /** LayerRTID. */
  layerId: number | null;
  /** LayerName with its `%%` token decoded (`Receive/Accept`, `Connect`, …), or as logged if unknown. */
  layerName: string | null;
  interfaceIndex: number | null;
  /** Every EventData field by name, exactly as logged (unnamed fields by position). */
  data: Record<string, string>;
  /** The rest of the record's System section, as Windows wrote it (null where the record has none). */
  system: SystemFields;
  /** Live sources on Windows (best-effort; absent when a lookup failed): Application as a DOS path. */
  applicationPath?: string;
  /** The WFP filter behind `filterId`, looked up when the event arrived (run-time IDs change). */
  filter?: { name: string | null; description: string | null; provider: string | null };
  /** The display name of the firewall rule `filterOrigin` names. */
  ruleName?: string;
  /** The process's image name while it still runs (`System` for PID 4). */
  processName?: string;
  /** For svchost.exe: the services it hosts. */
  services?: string[];
  /** With `coalesce`: how many repeats of this block were folded into this event, and over what time. */
  count?: number;
  firstTime?: Date;
  lastTime?: Date;
}
