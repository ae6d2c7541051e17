// The raw native binding (build/Release or prebuilds/<platform>-<arch>/node.napi.node) and nothing
// else. Only lib/ talks to it; users import the typed API from lib/index.ts.

/** Options every source takes: what the pipeline reports and how it hands events over. */
export interface NativeCommonOptions {
  kinds: string[];
  includeAllowed: boolean;
  highWaterMark: number;
  /** Also report audit policy changes (4719) met among the records; for 'eventlog', also subscribe to them. */
  policyChanges?: boolean;
  /** Skip records up to this EventRecordID (resuming after a bookmark). */
  afterRecordId?: number;
  /** Fold repeats of the same block within this many milliseconds into one event (0: off). */
  coalesceMs?: number;
  /** Live sources: add what this machine knows (DOS paths, filter names, process names). */
  enrich?: boolean;
  /** Instead of events: every record of any event ID, rendered as text (batches carry `text`). */
  export?: 'xml' | 'json';
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

export type NativeOptions = NativeFilesOptions | NativeStreamOptions | NativeLiveOptions;

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
  atEvent: number;
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
  strings: string;
  numbers: Float64Array;
  events: number;
  issues: NativeIssue[];
  gaps: NativeGap[];
  policyChanges: NativePolicyChange[];
  /** An export's records (`events` of them), one per line, UTF-8; absent for event batches. */
  text?: Buffer;
}

/** Event 4719. `changes` bits: 1 success added, 2 success removed, 4 failure added, 8 failure removed. */
export interface NativePolicyChange {
  atEvent: number;
  recordId: number;
  timeMs: number;
  subcategoryGuid: string;
  changes: number;
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
  | 'eventId' | 'recordId' | 'timeMs' | 'version' | 'computer' | 'kind' | 'action' | 'direction'
  | 'protocol' | 'protocolName' | 'pid' | 'application' | 'sourceAddress' | 'sourcePort'
  | 'destAddress' | 'destPort' | 'local' | 'remote' | 'filterId' | 'filterOrigin' | 'layerId'
  | 'layerName' | 'interfaceIndex' | 'applicationPath' | 'filterName' | 'filterDescription' | 'filterProvider'
  | 'ruleName' | 'processName' | 'services' | 'count' | 'firstTimeMs' | 'lastTimeMs' | 'provider' | 'providerGuid'
  | 'channel' | 'level' | 'task' | 'opcode' | 'keywords' | 'activityId' | 'userId' | 'writerProcessId'
  | 'writerThreadId' | 'timeCreated' | 'dataCount' | 'header';

export declare const slots: Readonly<Record<SlotName, number>>;

/** Every error code the native side reports, and whether it is fatal. */
export declare const errorCodes: Readonly<Record<string, boolean>>;

/** The event catalogue of native/model/event_catalog.h (lib/catalog.ts mirrors it; a test compares them). */
export declare const catalog: {
  kinds: string[];
  subcategories: Array<{ key: string; guid: string; name: string }>;
  events: Array<{
    id: number;
    role: 'traffic' | 'policyChange';
    kind: string | null;
    action: string | null;
    subcategory: string;
    outcome: 'success' | 'failure';
    title: string;
  }>;
};

/** The source types this build has, and whether each is live. */
export declare const sourceTypes: Readonly<Record<string, boolean>>;

/** Windows only: bits per audit subcategory GUID (1 success, 2 failure). Throws `{ code, systemCode }`. */
export declare const auditQuery: ((guids: string[]) => number[]) | undefined;
/** Windows only: sets each subcategory to exactly `bits` (0 = none). Throws `{ code, systemCode }`. */
export declare const auditSet: ((entries: Array<{ guid: string; bits: number }>) => void) | undefined;

/** The bookmark XML for a record of the Security log (what EvtRender(EvtRenderBookmark) gives). */
export declare function bookmarkXml(recordId: number): string;
