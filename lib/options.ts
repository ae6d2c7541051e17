import type { AuditPolicyStore } from './audit';
import { DEFAULT_LIVE_KINDS } from './catalog';
import { WfpOptionError } from './errors';
import { parseBookmark, type BookmarkState } from './bookmark';
import { resolveFilter, type BlockFilter, type NativeFilter } from './filter';
import { isLive, readsSecurityLog, resolveSource, type ResolvedSource, type SourceOption } from './sources';
import { BLOCK_KINDS, type BlockKind } from './types';

export type { BlockFilter } from './filter';

export type { ReplaySourceOptions, SourceOption } from './sources';

/** Where a watcher starts: new records only (live sources), the oldest record, or after a bookmark. */
export type StartOption = 'now' | 'oldest' | { bookmark: string };

export type AuditMode = 'check' | 'enable' | 'ignore';

export interface AuditWatchOptions {
  mode: AuditMode;
  /** 'enable': where the change is recorded for crash recovery (see restoreAuditPolicy). */
  stateFile?: string;
  /** 'enable': also restore the policy on SIGINT and SIGTERM before the process goes. */
  restoreOnSignals?: boolean;
}

/** @internal The audit options as resolved, with the policy store tests give instead of the system's. */
export interface ResolvedAuditOptions extends AuditWatchOptions {
  store?: AuditPolicyStore;
}

export interface WatchOptions {
  /**
   * 'eventlog' source: 'check' (default) emits 'audit' when the auditing the requested kinds need is
   * off; 'enable' turns it on for the watcher's lifetime and restores it on close; 'ignore'.
   */
  audit?: AuditMode | AuditWatchOptions;
  /** Where records come from. Default: 'eventlog' (the live Security log; Windows only). */
  source?: SourceOption;
  /**
   * Where to start: 'now' (the default for 'eventlog'), 'oldest' (the default for a replay), or after a
   * bookmark from `watcher.bookmark`: a live log resumes there, a replay skips records up to it.
   */
  from?: StartOption;
  /** Also report permitted traffic (5154, 5156, 5158). Default false. */
  includeAllowed?: boolean;
  /**
   * Only these kinds. Default for the live sources: `connection`, `listen`, `bind` and `accept`, the
   * kinds "Filtering Platform Connection" audits; packet drops (`packet`, `mac`: "Filtering Platform
   * Packet Drop", very noisy) are opt-in. Default for a replay: all kinds (the records exist already).
   */
  kinds?: readonly BlockKind[];
  /** Only the events that match, decided on the native thread (see BlockFilter). */
  filter?: BlockFilter;
  /** Closes the watcher when aborted. */
  signal?: AbortSignal;
  /** How many events may wait for JavaScript before the watcher stops reading. Default 2048. */
  highWaterMark?: number;
  /**
   * Flood control: fold repeats of the same block (kind, direction, application, protocol, remote
   * address and port, local port, filter) into one event with `count`, `firstTime` and `lastTime`,
   * natively, before they reach JavaScript. No fold spans more than `windowMs` of event time, in any
   * input order. Folds go out together, in epochs (see the README); at most `maxHeld` (default 4096)
   * are held at once. Off by default.
   */
  coalesce?: { windowMs: number; maxHeld?: number };
  /**
   * Live sources on Windows: add `applicationPath`, `filter`, `ruleName`, `processName` and
   * `services`, looked up when each event arrives. Default true. Never for replays: their records
   * come from another time, often another machine.
   */
  enrich?: boolean;
  /**
   * Also emit 'ruleChange' for the firewall rule, setting and WFP object changes among the records
   * (Security log 4944-4958 and 5440-5450, the firewall's own log). Default false. Blocks carry the last
   * change of their rule or filter (`lastChange`) either way.
   */
  includeChanges?: boolean;
  /**
   * Inputs that log local time, not UTC (the firewall's own log, pfirewall.log): the UTC offset of the
   * machine that wrote them, in minutes east of UTC (120 for UTC+2), or 'system' (the default): this
   * machine's time zone, with its daylight-saving rules, for each timestamp.
   */
  utcOffset?: number | 'system';
}

export interface ResolvedOptions {
  source: ResolvedSource;
  /** @internal The CLI's machine formats: the native thread writes the lines, and they arrive here instead of 'block'. */
  text?: { format: 'json' | 'ecs' | 'otel'; onText(text: Uint8Array, count: number): void };
  audit: ResolvedAuditOptions;
  filter: NativeFilter;
  from: { type: 'now' | 'oldest' } | { type: 'bookmark'; bookmark: string; state: BookmarkState };
  includeAllowed: boolean;
  kinds: BlockKind[];
  signal: AbortSignal | undefined;
  highWaterMark: number;
  /** null when not coalescing. */
  coalesce: { windowMs: number; maxHeld: number } | null;
  enrich: boolean;
  includeChanges: boolean;
  /** null: this machine's time zone. */
  utcOffsetMinutes: number | null;
}

export const DEFAULT_HIGH_WATER_MARK = 2048;
/** The most folds coalescing holds at once: an epoch ends when it is reached (memory stays flat). */
const DEFAULT_COALESCE_MAX_HELD = 4096;

const AUDIT_MODES: readonly AuditMode[] = ['check', 'enable', 'ignore'];

function resolveAudit(audit: unknown): ResolvedAuditOptions {
  if (audit === undefined) return { mode: 'check' };
  if (typeof audit === 'string' && AUDIT_MODES.includes(audit as AuditMode)) return { mode: audit as AuditMode };
  const a = audit as Partial<ResolvedAuditOptions> | null;
  if (typeof a !== 'object' || a === null || !AUDIT_MODES.includes(a.mode as AuditMode)) {
    throw new WfpOptionError('audit', audit, "'check', 'enable', 'ignore' or { mode, stateFile?, restoreOnSignals? }");
  }
  if (a.stateFile !== undefined && (typeof a.stateFile !== 'string' || a.stateFile === '')) {
    throw new WfpOptionError('audit.stateFile', a.stateFile, 'a file path');
  }
  if (a.restoreOnSignals !== undefined && typeof a.restoreOnSignals !== 'boolean') {
    throw new WfpOptionError('audit.restoreOnSignals', a.restoreOnSignals, 'a boolean');
  }
  return { mode: a.mode as AuditMode, stateFile: a.stateFile, restoreOnSignals: a.restoreOnSignals, store: a.store };
}

function resolveFrom(from: unknown, source: ResolvedSource, coalesce: ResolvedOptions['coalesce']): ResolvedOptions['from'] {
  const live = isLive(source);
  if (from === undefined) return { type: live ? 'now' : 'oldest' };
  if (from === 'oldest' || (from === 'now' && live)) return { type: from };
  if (typeof from !== 'object' || from === null || !('bookmark' in from)) {
    const allowed = live ? "'now', 'oldest'" : "'oldest' (a replay reads its input from the start)";
    throw new WfpOptionError('from', from, `${allowed} or { bookmark } with a bookmark a watcher gave out`);
  }
  const bookmark = (from as { bookmark: unknown }).bookmark;
  return { type: 'bookmark', bookmark: bookmark as string, state: parseBookmark(bookmark, source.type, coalesce) };
}

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw new WfpOptionError('', options, 'an object');
  const o = options as Record<string, unknown>;
  const known = new Set([
    'source',
    'from',
    'audit',
    'includeAllowed',
    'kinds',
    'filter',
    'signal',
    'highWaterMark',
    'coalesce',
    'enrich',
    'includeChanges',
    'utcOffset',
  ]);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new WfpOptionError(key, o[key], `one of the known options (${[...known].join(', ')})`);
  }
  const source = resolveSource(o.source);

  if (o.includeAllowed !== undefined && typeof o.includeAllowed !== 'boolean') {
    throw new WfpOptionError('includeAllowed', o.includeAllowed, 'a boolean');
  }
  // The live Security log leaves packet drops out by default (their auditing is very noisy); the net
  // events cost no auditing, and replays hold their records already: every kind.
  let kinds = readsSecurityLog(source) ? [...DEFAULT_LIVE_KINDS] : [...BLOCK_KINDS];
  if (o.kinds !== undefined) {
    if (!Array.isArray(o.kinds) || o.kinds.length === 0) {
      throw new WfpOptionError('kinds', o.kinds, `a non-empty array of ${BLOCK_KINDS.join(', ')}`);
    }
    const bad = o.kinds.find((k) => !BLOCK_KINDS.includes(k as BlockKind));
    if (bad !== undefined) throw new WfpOptionError('kinds', o.kinds, `made of ${BLOCK_KINDS.join(', ')} (${JSON.stringify(bad)} is not)`);
    kinds = [...new Set(o.kinds as BlockKind[])];
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new WfpOptionError('signal', o.signal, 'an AbortSignal');
  }
  const hwm = o.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  if (typeof hwm !== 'number' || !Number.isInteger(hwm) || hwm < 1 || hwm > 1_000_000) {
    throw new WfpOptionError('highWaterMark', hwm, 'an integer from 1 to 1000000');
  }
  let coalesce: ResolvedOptions['coalesce'] = null;
  if (o.coalesce !== undefined) {
    const { windowMs, maxHeld = DEFAULT_COALESCE_MAX_HELD } = (o.coalesce ?? {}) as { windowMs?: unknown; maxHeld?: unknown };
    if (typeof windowMs !== 'number' || !(windowMs > 0) || windowMs > 3_600_000) {
      throw new WfpOptionError(
        'coalesce',
        o.coalesce,
        '{ windowMs } with windowMs from 1 to 3600000, and maxHeld, if given, the most folds held at once',
      );
    }
    if (typeof maxHeld !== 'number' || !Number.isInteger(maxHeld) || maxHeld < 1 || maxHeld > 1_000_000) {
      throw new WfpOptionError('coalesce.maxHeld', maxHeld, 'an integer from 1 to 1000000');
    }
    coalesce = { windowMs, maxHeld };
  }
  if (o.enrich !== undefined && typeof o.enrich !== 'boolean') throw new WfpOptionError('enrich', o.enrich, 'a boolean');
  if (o.includeChanges !== undefined && typeof o.includeChanges !== 'boolean') {
    throw new WfpOptionError('includeChanges', o.includeChanges, 'a boolean');
  }
  const includeAllowed = (o.includeAllowed as boolean | undefined) ?? false;
  const utcOffset = o.utcOffset === undefined ? 'system' : o.utcOffset;
  if (utcOffset !== 'system' && (typeof utcOffset !== 'number' || !Number.isInteger(utcOffset) || Math.abs(utcOffset) > 18 * 60)) {
    throw new WfpOptionError('utcOffset', o.utcOffset, "'system' or whole minutes east of UTC, from -1080 to 1080");
  }
  if (coalesce && source.type === 'netevents') {
    // Its bookmarks name one net event; one that names a partly delivered coalescing epoch would need
    // the epoch's events again, and the engine's buffer (about 150 events) does not keep them.
    throw new WfpOptionError(
      'coalesce',
      o.coalesce,
      "absent for the 'netevents' source (its bookmarks cannot name a partly delivered coalescing epoch)",
    );
  }
  return {
    source,
    filter: resolveFilter(o.filter, includeAllowed),
    coalesce,
    enrich: (o.enrich as boolean | undefined) ?? true,
    includeChanges: (o.includeChanges as boolean | undefined) ?? false,
    audit: resolveAudit(o.audit),
    from: resolveFrom(o.from, source, coalesce),
    includeAllowed,
    kinds,
    signal: o.signal as AbortSignal | undefined,
    highWaterMark: hwm,
    utcOffsetMinutes: utcOffset === 'system' ? null : utcOffset,
  };
}
