import type { BlockAction, BlockKind } from './catalog';

export { BLOCK_KINDS, type BlockAction, type BlockKind } from './catalog';
export type Direction = 'inbound' | 'outbound' | 'forward' | 'bidirectional';

export interface Endpoint {
  /** As logged: IPv4, IPv6 (`::`, `fe80::…`), or a MAC address for 5150/5151. */
  address: string;
  /** As logged; null when the event has no port field (or it is not a number). ICMP logs 0 or the type. */
  port: number | null;
}

/** One WFP audit record of 5031 or 5150-5159, normalised. See the README for each field. */
export interface BlockEvent {
  eventId: number;
  recordId: number;
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
