// The raw native binding (build/Release or prebuilds/<platform>-<arch>/node.napi.node) and nothing
// else. Only lib/ talks to it; users import the typed API from lib/index.ts.

export interface NativeReplayOptions {
  source: 'replay';
  files: string[];
  follow: boolean;
  /** Skip records up to this EventRecordID (resuming after a bookmark). */
  afterRecordId?: number;
  kinds: string[];
  includeAllowed: boolean;
  highWaterMark: number;
  /** Also report audit policy changes (4719) met among the records; for 'eventlog', also subscribe to them. */
  policyChanges?: boolean;
  /** Fold repeats of the same block within this many milliseconds into one event (0: off). */
  coalesceMs?: number;
}

export interface NativeStreamOptions {
  source: 'stream';
  name: string;
  afterRecordId?: number;
  kinds: string[];
  includeAllowed: boolean;
  highWaterMark: number;
  /** Also report audit policy changes (4719) met among the records; for 'eventlog', also subscribe to them. */
  policyChanges?: boolean;
  /** Fold repeats of the same block within this many milliseconds into one event (0: off). */
  coalesceMs?: number;
}

/** Windows only: the live Security log through an EvtSubscribe pull subscription, or the legacy API. */
export interface NativeEventLogOptions {
  source: 'eventlog' | 'legacy';
  from: 'now' | 'oldest' | 'bookmark';
  /** 'legacy': skip records up to this number (resuming after a bookmark). */
  afterRecordId?: number;
  /** Add what this machine knows: DOS paths, filter names, process names. */
  enrich?: boolean;
  bookmark?: string;
  kinds: string[];
  includeAllowed: boolean;
  highWaterMark: number;
  /** Also report audit policy changes (4719) met among the records; for 'eventlog', also subscribe to them. */
  policyChanges?: boolean;
  /** Fold repeats of the same block within this many milliseconds into one event (0: off). */
  coalesceMs?: number;
}

/**
 * A problem the native side met; it happened after `atEvent` events of its batch. Code 'GAP' is not
 * an error: the bookmarked record was gone and reading went on from the oldest record.
 */
export interface NativeIssue {
  code: string;
  message: string;
  input: string | null;
  offset: number | null;
  /** The Win32 (or errno) value behind an OS failure. */
  systemCode: number | null;
  hint: string | null;
  atEvent: number;
}

/**
 * Events in the wire format of native/batch.h: `strings` holds every distinct string of the batch
 * joined by NUL; `numbers` holds `slots.header` slots per event, then `dataCount` pairs of string
 * indices (EventData name, value). String slots are indices (-1 = null), number slots NaN = null.
 */
export interface NativeBatch {
  strings: string;
  numbers: Float64Array;
  events: number;
  issues: NativeIssue[];
  policyChanges: NativePolicyChange[];
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
  constructor(
    options: NativeReplayOptions | NativeStreamOptions | NativeEventLogOptions,
    callback: (message: NativeMessage) => void,
  );
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

export type SlotName =
  | 'eventId' | 'recordId' | 'timeMs' | 'version' | 'computer' | 'kind' | 'action' | 'direction'
  | 'protocol' | 'protocolName' | 'pid' | 'application' | 'sourceAddress' | 'sourcePort'
  | 'destAddress' | 'destPort' | 'local' | 'remote' | 'filterId' | 'filterOrigin' | 'layerId'
  | 'layerName' | 'interfaceIndex' | 'applicationPath' | 'filterName' | 'filterDescription' | 'filterProvider'
  | 'ruleName' | 'processName' | 'services' | 'count' | 'firstTimeMs' | 'lastTimeMs' | 'dataCount' | 'header';

export declare const slots: Readonly<Record<SlotName, number>>;

/** Windows only: bits per audit subcategory GUID (1 success, 2 failure). Throws `{ code, systemCode }`. */
export declare const auditQuery: ((guids: string[]) => number[]) | undefined;
/** Windows only: sets each subcategory to exactly `bits` (0 = none). Throws `{ code, systemCode }`. */
export declare const auditSet: ((entries: Array<{ guid: string; bits: number }>) => void) | undefined;

/** The bookmark XML for a record of a channel (what EvtRender(EvtRenderBookmark) gives). */
export declare function bookmarkXml(channel: string, recordId: number): string;
