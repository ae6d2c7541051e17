import type { AuditPolicyStore } from './audit';
import { WfpOptionError } from './errors';
import { isLive, resolveSource, type ResolvedSource, type SourceOption } from './sources';
import { BLOCK_KINDS, type BlockKind } from './types';

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
  /** Test seam: the policy store. Default: the system's. */
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
  /** Only these kinds. Default: all. */
  kinds?: readonly BlockKind[];
  /** Closes the watcher when aborted. */
  signal?: AbortSignal;
  /** How many events may wait for JavaScript before the watcher stops reading. Default 2048. */
  highWaterMark?: number;
  /**
   * Flood control: fold repeats of the same block (kind, direction, application, protocol, remote
   * address and port, local port, filter) within `windowMs` into one event with `count`,
   * `firstTime` and `lastTime`, natively, before they reach JavaScript. Off by default.
   */
  coalesce?: { windowMs: number };
  /**
   * Live sources on Windows: add `applicationPath`, `filter`, `ruleName`, `processName` and
   * `services`, looked up when each event arrives. Default true. Never for replays: their records
   * come from another time, often another machine.
   */
  enrich?: boolean;
}

export interface ResolvedOptions {
  source: ResolvedSource;
  audit: AuditWatchOptions;
  from: { type: 'now' | 'oldest' } | { type: 'bookmark'; bookmark: string; recordId: number };
  includeAllowed: boolean;
  kinds: BlockKind[];
  signal: AbortSignal | undefined;
  highWaterMark: number;
  coalesceMs: number;
  enrich: boolean;
}

export const DEFAULT_HIGH_WATER_MARK = 2048;

const AUDIT_MODES: readonly AuditMode[] = ['check', 'enable', 'ignore'];

function resolveAudit(audit: unknown): AuditWatchOptions {
  if (audit === undefined) return { mode: 'check' };
  if (typeof audit === 'string' && AUDIT_MODES.includes(audit as AuditMode)) return { mode: audit as AuditMode };
  const a = audit as Partial<AuditWatchOptions> | null;
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

function resolveFrom(from: unknown, source: ResolvedSource): ResolvedOptions['from'] {
  const live = isLive(source);
  if (from === undefined) return { type: live ? 'now' : 'oldest' };
  if (from === 'oldest' || (from === 'now' && live)) return { type: from };
  const bookmark = typeof from === 'object' && from !== null ? (from as { bookmark?: unknown }).bookmark : undefined;
  const recordId = typeof bookmark === 'string' ? /<Bookmark\b[^>]*\bRecordId=['"](\d+)['"]/.exec(bookmark)?.[1] : undefined;
  if (recordId === undefined) {
    const allowed = live ? "'now', 'oldest'" : "'oldest' (a replay reads its input from the start)";
    throw new WfpOptionError('from', from, `${allowed} or { bookmark } with a bookmark a watcher gave out`);
  }
  return { type: 'bookmark', bookmark: bookmark as string, recordId: Number(recordId) };
}

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw new WfpOptionError('', options, 'an object');
  const o = options as Record<string, unknown>;
  const known = new Set(['source', 'from', 'audit', 'includeAllowed', 'kinds', 'signal', 'highWaterMark', 'coalesce', 'enrich']);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new WfpOptionError(key, o[key], `one of the known options (${[...known].join(', ')})`);
  }
  const source = resolveSource(o.source);

  if (o.includeAllowed !== undefined && typeof o.includeAllowed !== 'boolean') {
    throw new WfpOptionError('includeAllowed', o.includeAllowed, 'a boolean');
  }
  let kinds = [...BLOCK_KINDS];
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
  let coalesceMs = 0;
  if (o.coalesce !== undefined) {
    const windowMs = (o.coalesce as { windowMs?: unknown } | null)?.windowMs;
    if (typeof windowMs !== 'number' || !(windowMs > 0) || windowMs > 3_600_000) {
      throw new WfpOptionError('coalesce', o.coalesce, '{ windowMs } with windowMs from 1 to 3600000');
    }
    coalesceMs = windowMs;
  }
  if (o.enrich !== undefined && typeof o.enrich !== 'boolean') throw new WfpOptionError('enrich', o.enrich, 'a boolean');
  return {
    source,
    coalesceMs,
    enrich: (o.enrich as boolean | undefined) ?? true,
    audit: resolveAudit(o.audit),
    from: resolveFrom(o.from, source),
    includeAllowed: (o.includeAllowed as boolean | undefined) ?? false,
    kinds,
    signal: o.signal as AbortSignal | undefined,
    highWaterMark: hwm,
  };
}
