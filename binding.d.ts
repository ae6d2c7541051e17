// The raw native binding (build/Release or prebuilds/<platform>-<arch>/node.napi.node) and nothing
// else. Only lib/ talks to it; users import the typed API from lib/index.ts.

/** Options every source takes: what the pipeline reports and how it hands events over. */
export interface NativeCommonOptions {
  kinds: string[];
  includeAllowed: boolean;
  highWaterMark: number;
  /** Also report audit policy changes (4719) met among the records; for 'eventlog', also subscribe to them. */
  policyChanges?: boolean;
  /** Live sources: skip Security-log records up to this EventRecordID (resuming after a bookmark), decimal. */
  afterRecordId?: string;
  /**
   * 'eventlog': skip records of the firewall's own log up to this EventRecordID, decimal; absent when the
   * bookmark does not name that log (it is then read from its newest record on).
   */
  afterFirewallRecordId?: string;
  /** Replays resuming after a bookmark: one 'headLength headHash offset done' per input of the bookmark. */
  resumeInputs?: string[];
  /** Resuming inside a coalescing epoch: 'input end delivered'. */
  resumeEpoch?: string;
  /** Fold repeats of the same block within this many milliseconds into one event (0: off). */
  coalesceMs?: number;
  /** The most folds held at once (an epoch ends when it is reached). */
  coalesceMaxHeld?: number;
  /** Live sources: add what this machine knows (DOS paths, filter names, process names). */
  enrich?: boolean;
  /** Instead of events: every record of any event ID, rendered as text (batches carry `text`). */
  export?: 'xml' | 'json';
  /** Also report the firewall rule, setting and WFP object changes met among the records. */
  ruleChanges?: boolean;
  /** Report only the events that match every criterion given (native/pipeline/event_filter.h). */
  filterSinceMs?: number;
  filterUntilMs?: number;
  filterEventIds?: string[];
  filterDirections?: string[];
  filterActions?: string[];
  /** Substrings, or globs with * and ?, of the application path (case-insensitive). */
  filterApplications?: string[];
  /** Addresses or CIDR blocks, matched against either endpoint. */
  filterAddresses?: string[];
  /** Ports or ranges ('1024-65535'), matched against either endpoint. */
  filterPorts?: string[];
  /** Batches carry the events' lines in this format (native/pipeline/event_formats.h) instead of slots. */
  format?: 'json' | 'ecs' | 'otel';
  /** otel: the instrumentation scope's version. */
  packageVersion?: string;
  /** Inputs that log local time (the firewall's own log): minutes east of UTC; absent: this machine's zone. */
  utcOffsetMinutes?: number;
}

/** Exported logs from files, in order; `follow` keeps reading what is appended. */
export interface NativeFilesOptions extends NativeCommonOptions {
  source: 'files';
  files: string[];
  follow: boolean;
}

/** Bytes written with `write()`; `name` names the input in errors. */
export interface NativeStreamOptions extends NativeCommonOptions {
  source: 'stream';
  name: string;
}

/** Windows only: the live Security log through an EvtSubscribe pull subscription, or the legacy API. */
export interface NativeLiveOptions extends NativeCommonOptions {
  source: 'eventlog' | 'legacy';
  from: 'now' | 'oldest' | 'bookmark';
  bookmark?: string;
}

/** Windows only: WFP net events (FwpmNetEventSubscribe / FwpmNetEventEnum); `bookmark` is one this source gave. */
export interface NativeNetEventsOptions extends NativeCommonOptions {
  source: 'netevents';
  from: 'now' | 'oldest' | 'bookmark';
  bookmark?: string;
  /** Where the engine options it changes are recorded before they change, for restoring after a crash. */
  engineStateFile: string;
}

export type NativeOptions = NativeFilesOptions | NativeStreamOptions | NativeLiveOptions | NativeNetEventsOptions;

/** A problem the native side met; it happened after `atEvent` events of its batch. */
export interface NativeIssue {
  code: string;
  /** Whether the watcher stops after it (from the native error table). */
  fatal: boolean;
  message: string;
  input: string | null;
  offset: number | null;
  /** The Win32 (or errno) value behind an OS failure. */
  systemCode: number | null;
  hint: string | null;
  /** Where `offset` is, as line and column (1-based; the column counts bytes), when known. */
  line: number | null;
  column: number | null;
  atEvent: number;
  /** A summary: this many more of the same problem in the same input were not reported one by one. */
  repeated: number;
}

/** An input a replay source opened (before any of its events), and what identifies it. */
export interface NativeInput {
  atEvent: number;
  index: number;
  name: string;
  headLength: number;
  /** FNV-1a 64 of its first headLength bytes, hex. */
  headHash: string;
  /** The input of the resume point it was found to be (by its first bytes), -1 for a new one. */
  resumed: number;
}

/**
 * Every record of input `index` ending at or before `end` (decimal) was delivered or skipped. A live
 * source's inputs are its logs (`index` into `catalog.channels`), and `end` is a record ID there.
 */
export interface NativeProgress {
  index: number;
  end: string;
  done: boolean;
}

/**
 * A coalescing epoch that ended: `folds` in all, of which those numbered from `first` + 1 travel in
 * this run; they end after the record ending at `end` in input `endInput` (a live log: after the
 * record ID `end`, the epoch having begun after `start`); once the last is consumed, the inputs
 * stand at `progress`.
 */
export interface NativeEpoch {
  seq: string;
  /** A live log: the record ID just before the epoch's first record (decimal). */
  start: string;
  folds: number;
  first: number;
  endInput: number;
  end: string;
  progress: NativeProgress[];
}

/** The position resumed from was gone (log cleared or overwritten): records may have been missed. */
export interface NativeGap {
  atEvent: number;
  message: string;
}

/**
 * Events in the wire format of native/pipeline/batch.h: `strings` holds every distinct string of the
 * batch joined by NUL; `numbers` holds `slots.header` slots per event, then `dataCount` pairs of
 * string indices (EventData name, value). String slots are indices (-1 = null), number slots NaN = null.
 */
export interface NativeBatch {
  /** A formatted watcher: the `events` events' lines; an export: its `events` records, one per line. UTF-8. */
  text?: Uint8Array;
  strings: string;
  numbers: Float64Array;
  events: number;
  issues: NativeIssue[];
  gaps: NativeGap[];
  policyChanges: NativePolicyChange[];
  inputs: NativeInput[];
  epochs: NativeEpoch[];
  /**
   * How far every input stood after the first `atEvent` events of the batch: only where nothing was
   * held, so every record before it was delivered or had nothing to deliver.
   */
  progress: Array<{ atEvent: number; inputs: NativeProgress[] }>;
  ruleChanges: NativeRuleChange[];
}

/**
 * A change event (native/model/rule_change.h). `fields` holds RuleChange's text fields that the record
 * has (ruleId, key, name, profiles, setting, value, providerKey, providerName, userSid, userName,
 * application, reason); `values` the decoded rule or filter properties; `data` every EventData field.
 * `filterId` and `pid` are NaN when absent.
 */
export interface NativeRuleChange {
  atEvent: number;
  eventId: number;
  recordId: number;
  timeMs: number;
  change: string;
  channel: string;
  computer: string;
  fields: Record<string, string>;
  values: Record<string, string>;
  data: Record<string, string>;
  filterId: number;
  pid: number;
  /**
   * How far the inputs stand once it is delivered. Where blocks before it are held (coalescing), only
   * a live log without blocks (the firewall's) at its own record; otherwise nothing.
   */
  progress: NativeProgress[];
}

/** Event 4719. `changes` bits: 1 success added, 2 success removed, 4 failure added, 8 failure removed. */
export interface NativePolicyChange {
  atEvent: number;
  /** Decimal. */
  recordId: string;
  timeMs: number;
  subcategoryGuid: string;
  changes: number;
  /** As NativeRuleChange's. */
  progress: NativeProgress[];
}

/** `drained`: a stream watcher can take writes again. `ended`: the thread has stopped; nothing follows. */
export interface NativeSignal {
  drained: boolean;
  ended: boolean;
}

export type NativeMessage = NativeBatch | NativeSignal;

export declare class Watcher {
  constructor(options: NativeOptions, callback: (message: NativeMessage) => void);
  /** Asks the thread to stop; the callback then receives `ended` and no more batches. */
  close(): void;
  ref(): void;
  unref(): void;
  pause(): void;
  resume(): void;
  /** Stream watchers: false once the writer should wait for a `drained` signal. */
  write(chunk: Uint8Array): boolean;
  end(): void;
}

/** The batch slots, in the order native/pipeline/batch.h lays them out (a test checks this list). */
export type SlotName =
  | 'eventId'
  | 'recordId'
  | 'timeMs'
  | 'version'
  | 'computer'
  | 'kind'
  | 'action'
  | 'direction'
  | 'protocol'
  | 'protocolName'
  | 'pid'
  | 'application'
  | 'sourceAddress'
  | 'sourcePort'
  | 'destAddress'
  | 'destPort'
  | 'local'
  | 'remote'
  | 'filterId'
  | 'filterOrigin'
  | 'layerId'
  | 'layerName'
  | 'interfaceIndex'
  | 'applicationPath'
  | 'filterName'
  | 'filterDescription'
  | 'filterProvider'
  | 'ruleName'
  | 'ruleGroup'
  | 'ruleDirection'
  | 'ruleAction'
  | 'ruleStore'
  | 'processName'
  | 'services'
  | 'count'
  | 'firstTimeMs'
  | 'lastTimeMs'
  | 'provider'
  | 'providerGuid'
  | 'channel'
  | 'level'
  | 'task'
  | 'opcode'
  | 'keywords'
  | 'activityId'
  | 'userId'
  | 'writerProcessId'
  | 'writerThreadId'
  | 'timeCreated'
  | 'input'
  | 'end'
  | 'epoch'
  | 'epochIndex'
  | 'recordIdText'
  | 'decidedBy'
  | 'ruleId'
  | 'change'
  | 'changeEventId'
  | 'changeRecordId'
  | 'changeTimeMs'
  | 'changeName'
  | 'changeUserSid'
  | 'changeUserName'
  | 'changeApplication'
  | 'sidesBy'
  | 'userSid'
  | 'packageSid'
  | 'loopback'
  | 'reauthReason'
  | 'originalProfile'
  | 'currentProfile'
  | 'bookmark'
  | 'dataCount'
  | 'header';

export declare const slots: Readonly<Record<SlotName, number>>;

/** Every error code the native side reports, and whether it is fatal. */
export declare const errorCodes: Readonly<Record<string, boolean>>;

/** The event catalogue of native/model/event_catalog.h (lib/catalog.ts mirrors it; a test compares them). */
export declare const catalog: {
  kinds: string[];
  decidedBy: string[];
  /** The default filter each decidedBy names, as a sentence says it (empty for the others). */
  decidedByFilterNames: string[];
  changes: string[];
  /** The logs, in the order a live source numbers them (a live batch's progress `index`, bookmarkXml's entries). */
  channels: string[];
  /** msobjs.dll's message table (native/model/record_values.h): `%%` token number -> text. */
  messages: Record<string, string>;
  subcategories: Array<{ key: string; guid: string; name: string }>;
  events: Array<{
    id: number;
    role: 'traffic' | 'policyChange' | 'ruleChange';
    kind: string | null;
    action: string | null;
    subcategory: string | null;
    outcome: 'success' | 'failure' | null;
    title: string;
    change: string | null;
    channel: string;
  }>;
};

/** The source types this build has, and whether each is live. */
export declare const sourceTypes: Readonly<Record<string, boolean>>;

/** Windows only: bits per audit subcategory GUID (1 success, 2 failure). Throws `{ code, systemCode }`. */
export declare const auditQuery: ((guids: string[]) => number[]) | undefined;
/** Windows only: sets each subcategory to exactly `bits` (0 = none). Throws `{ code, systemCode }`. */
export declare const auditSet: ((entries: Array<{ guid: string; bits: number }>) => void) | undefined;

/**
 * The bookmark XML for a position in each log (what EvtRender(EvtRenderBookmark) gives): one entry per
 * `catalog.channels`, a decimal record ID or null for a log without a position; not all null.
 */
export declare function bookmarkXml(recordIds: Array<string | null>): string;
