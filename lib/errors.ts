/**
 * Codes of the errors a watcher reports. Problems with one record or one input are `recoverable`:
 * the watcher reports them and goes on with the next record. The others end the watcher. Whether a
 * code reported by the native side is fatal travels with it (native/model/error_codes.h, the one
 * table of those codes; a test checks this union against it); the codes raised here say it below.
 */
export type WfpErrorCode =
  // recoverable: one record or one input
  | 'ERR_XML_MALFORMED'
  | 'ERR_XML_TRUNCATED'
  | 'ERR_XML_GARBAGE'
  | 'ERR_RECORD_TOO_LARGE'
  | 'ERR_FOREIGN_PROVIDER'
  | 'ERR_MISSING_FIELD'
  | 'ERR_BAD_FIELD'
  | 'ERR_EMPTY_INPUT'
  | 'ERR_UNREADABLE_INPUT'
  | 'ERR_FILE_NOT_FOUND'
  | 'ERR_FILE_READ'
  | 'ERR_FOLLOW_UNAVAILABLE'
  | 'ERR_FILE_TRUNCATED'
  | 'ERR_EVENTLOG_TRANSIENT'
  | 'ERR_EVENTLOG_RECORD'
  | 'ERR_EVENTLOG_METADATA'
  | 'ERR_NETEVENTS_TRANSIENT'
  | 'ERR_EVENTS_LOST'
  | 'ERR_EVTX_HEADER'
  | 'ERR_EVTX_CHUNK'
  | 'ERR_EVTX_CHECKSUM'
  | 'ERR_EVTX_RECORD'
  | 'ERR_EVTX_BINXML'
  | 'ERR_EVTX_TRUNCATED'
  // fatal: the watcher cannot run
  | 'ERR_ACCESS_DENIED'
  | 'ERR_CHANNEL_NOT_FOUND'
  | 'ERR_EVENTLOG_QUERY'
  | 'ERR_EVENTLOG'
  | 'ERR_INVALID_BOOKMARK'
  | 'ERR_BOOKMARK_INPUT'
  | 'ERR_NETEVENTS'
  // audit policy functions
  | 'ERR_ELEVATION_REQUIRED'
  | 'ERR_AUDIT_POLICY'
  // raised by the TypeScript layer
  | JsErrorCode;

/** The codes the TypeScript layer raises itself, and whether each is fatal. */
export const JS_ERROR_CODES = {
  ERR_STREAM: false,
  ERR_UNSUPPORTED_PLATFORM: true,
  ERR_BINDING_NOT_FOUND: true,
} as const;

export type JsErrorCode = keyof typeof JS_ERROR_CODES;

export interface WfpErrorDetails {
  /** The file or stream the problem is in, when it is about an input. */
  input?: string | null;
  /** Byte offset in that input where the bad record (or garbage) starts. */
  offset?: number | null;
  /** The same place as line and column (1-based; the column counts bytes), for readers of text inputs. */
  line?: number | null;
  column?: number | null;
  /** The Win32 error code behind an operating-system failure. */
  systemCode?: number | null;
  /** What to do about it, when known (for access denied: elevation or Event Log Readers). */
  hint?: string | null;
  /** Whether the watcher stops after it: from the native error table, or JS_ERROR_CODES. */
  fatal?: boolean;
  /** A summary of a flood: this many more of the same problem in the same input. */
  repeated?: number;
  cause?: unknown;
}

/** An error reported by a watcher: `code` tells what, `input` and `offset` tell where. */
export class WfpBlocksError extends Error {
  override name = 'WfpBlocksError';
  readonly code: WfpErrorCode;
  readonly input: string | null;
  readonly offset: number | null;
  /** Line and column of `offset` (1-based; the column counts bytes); null when not known. */
  readonly line: number | null;
  readonly column: number | null;
  readonly systemCode: number | null;
  readonly hint: string | null;
  /** True when the watcher went on after it (a bad record, a missing file among several). */
  readonly recoverable: boolean;
  /**
   * 0, or, for the summary of a flood, how many more problems of this code in this input were
   * counted instead of reported one by one (the first few of each kind are reported in full).
   */
  readonly repeated: number;

  constructor(code: WfpErrorCode, message: string, details: WfpErrorDetails = {}) {
    const at =
      details.offset != null
        ? ` at offset ${details.offset}${details.line != null ? `, line ${details.line}, column ${details.column}` : ''}`
        : '';
    const where = details.input != null ? ` (${details.input}${at})` : '';
    const hint = details.hint ? ` Hint: ${details.hint}.` : '';
    super(`${code}: ${message}${where}${hint}`, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.code = code;
    this.input = details.input ?? null;
    this.offset = details.offset ?? null;
    this.line = details.line ?? null;
    this.column = details.column ?? null;
    this.systemCode = details.systemCode ?? null;
    this.hint = details.hint ?? null;
    this.recoverable = !(details.fatal ?? (JS_ERROR_CODES as Record<string, boolean>)[code] ?? true);
    this.repeated = details.repeated ?? 0;
  }
}

/** Thrown synchronously by watchBlocks() for an invalid option; names the option and the value. */
export class WfpOptionError extends TypeError {
  override name = 'WfpOptionError';
  readonly code = 'ERR_INVALID_OPTION';
  readonly option: string;
  readonly value: unknown;
  /** What the option must be (the message's middle part). */
  readonly expected: string;

  constructor(option: string, value: unknown, expected: string) {
    super(`ERR_INVALID_OPTION: options.${option} must be ${expected}, got ${describe(value)}`);
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}
