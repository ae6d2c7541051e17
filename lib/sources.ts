import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { NativeCommonOptions, NativeOptions } from '../binding';
import { WfpOptionError } from './errors';

/**
 * The sources, by the name they have at every level (this file, the binding, native/sources): how the
 * `source` option resolves to one, whether it is live, and the options its native side takes.
 * Adding a source: its native file, its line in native/sources/source_registry.cc, and its branch here.
 */
export type ResolvedSource =
  | { type: 'eventlog' | 'legacy' | 'netevents' }
  | { type: 'files'; files: string[]; follow: boolean; emptyDirectories: string[] }
  | { type: 'stream'; stream: Readable };

export type SourceType = ResolvedSource['type'];

/**
 * Live sources read this machine's events as they happen: Windows only, enriched, they start at 'now'
 * by default (a test checks this against the binding's own table). The ones that read the Security
 * log depend on the audit policy, so their watchers watch it.
 */
export const SOURCE_TYPES: Readonly<Record<SourceType, { live: boolean; securityLog: boolean }>> = {
  files: { live: false, securityLog: false },
  stream: { live: false, securityLog: false },
  eventlog: { live: true, securityLog: true },
  legacy: { live: true, securityLog: true },
  netevents: { live: true, securityLog: false },
};

export const isLive = (source: ResolvedSource): boolean => SOURCE_TYPES[source.type].live;
export const readsSecurityLog = (source: ResolvedSource): boolean => SOURCE_TYPES[source.type].securityLog;

/**
 * Where the 'netevents' source records the WFP engine options it turns on, before it does, so that
 * they are put back after a crash: WFP_BLOCKS_NETEVENTS_STATE, else
 * %ProgramData%\wfp-blocks\netevents-state.json (the temporary folder elsewhere).
 */
export function defaultEngineStateFile(): string {
  if (process.env.WFP_BLOCKS_NETEVENTS_STATE) return process.env.WFP_BLOCKS_NETEVENTS_STATE;
  const base = process.platform === 'win32' ? (process.env.ProgramData ?? 'C:\\ProgramData') : os.tmpdir();
  return path.join(base, 'wfp-blocks', 'netevents-state.json');
}

export interface ReplaySourceOptions {
  /**
   * Exported event XML: a file, several files (read in order), or a readable stream of it. A
   * directory stands for every `.xml` and `.evtx` file in it, oldest (by modification time) first.
   */
  replay: string | readonly string[] | Readable;
  /** Keep waiting for records appended to the files, as `tail -f`. Not for streams. */
  follow?: boolean;
}

export type SourceOption = 'eventlog' | 'legacy' | 'netevents' | ReplaySourceOptions;

function isReadable(value: unknown): value is Readable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Readable).on === 'function' &&
    typeof (value as Readable).pause === 'function' &&
    typeof (value as Readable).resume === 'function'
  );
}

export function resolveSource(source: unknown): ResolvedSource {
  if (source === undefined || source === 'eventlog' || source === 'legacy' || source === 'netevents') {
    return { type: source ?? 'eventlog' };
  }
  if (typeof source !== 'object' || source === null || !('replay' in source)) {
    throw new WfpOptionError('source', source, "'eventlog', 'legacy', 'netevents' or { replay: string | string[] | Readable }");
  }
  const { replay, follow } = source as ReplaySourceOptions;
  if (follow !== undefined && typeof follow !== 'boolean') throw new WfpOptionError('source.follow', follow, 'a boolean');
  if (isReadable(replay)) {
    if (follow) throw new WfpOptionError('source.follow', follow, 'false for a stream (a stream ends when it ends)');
    return { type: 'stream', stream: replay };
  }
  const files = typeof replay === 'string' ? [replay] : replay;
  if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string' && f.length > 0)) {
    throw new WfpOptionError('source.replay', replay, 'a file path, a non-empty array of file paths, or a Readable');
  }
  // As Node's fs: a NUL byte would cut the path short at the OS call, opening another file.
  if (files.some((f) => f.includes('\0'))) {
    throw new WfpOptionError('source.replay', replay, 'file paths without NUL bytes');
  }
  const emptyDirectories: string[] = [];
  const expanded = files.flatMap((file) => {
    const inside = directoryInputs(file);
    if (inside?.length === 0) emptyDirectories.push(file);
    return inside ?? [file];
  });
  return { type: 'files', files: expanded, follow: follow ?? false, emptyDirectories };
}

/** A Windows named pipe (`\\.\pipe\name`, local or remote): stat() would connect to it as a client. */
const NAMED_PIPE = /^[\\/]{2}[^\\/]+[\\/]pipe[\\/]/i;

/** The log files in a directory, oldest first; undefined when `file` is not a directory. */
function directoryInputs(file: string): string[] | undefined {
  if (NAMED_PIPE.test(file)) return undefined;
  let entries: string[];
  try {
    if (!statSync(file).isDirectory()) return undefined;
    entries = readdirSync(file);
  } catch {
    return undefined; // not there, or not readable: the native side reports it as for any file
  }
  return entries
    .filter((name) => /\.(xml|evtx|log)$/i.test(name))
    .map((name) => {
      const full = path.join(file, name);
      try {
        const s = statSync(full);
        return s.isFile() ? { full, mtime: s.mtimeMs } : undefined;
      } catch {
        return undefined;
      }
    })
    .filter((e): e is { full: string; mtime: number } => e !== undefined)
    .sort((a, b) => a.mtime - b.mtime || (a.full < b.full ? -1 : 1))
    .map((e) => e.full);
}

/**
 * Feeds a Readable's bytes to a native watcher or export, pausing it while the native side is full.
 * `onProblem` hears what went wrong (in words that follow "the input stream ...") once, and the input
 * ends there: a chunk that is not bytes (an object-mode stream), an 'error', or a stream destroyed
 * before its end, also one stopped before it was passed in. Listeners stay until `detach()`, so an
 * 'error' a faulty stream emits late never becomes uncaught.
 */
export function feedStream(
  stream: Readable,
  native: { write(chunk: Uint8Array): boolean; end(): void },
  onProblem: (problem: string, cause?: unknown) => void,
): { detach: () => void; resume: () => void } {
  let open = true;
  const stop = (problem: string | null, cause?: unknown) => {
    if (!open) return;
    open = false;
    stream.off('data', onData);
    stream.pause();
    if (problem !== null) onProblem(problem, cause);
    native.end();
  };
  const onData = (chunk: unknown) => {
    if (!open) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : null;
    if (bytes === null) {
      stop(`gave a chunk that is not bytes or a string (${describeChunk(chunk)}); only bytes of a log can be read`);
      return;
    }
    if (!native.write(bytes)) stream.pause();
  };
  const onEnd = () => stop(null);
  const onError = (error: Error) => stop(`failed: ${error?.message ?? String(error)}`, error);
  const onClose = () => stop('was destroyed before its end'); // 'end' comes before 'close'
  const listeners = { data: onData, end: onEnd, error: onError, close: onClose } as const;
  for (const [event, listener] of Object.entries(listeners)) stream.on(event, listener as (...args: unknown[]) => void);
  // Stopped before it was passed in: no event will tell. Reported on the next tick, once the caller
  // has attached its listeners.
  const state = stream as Readable & { errored?: Error | null };
  if (state.readableEnded) process.nextTick(onEnd);
  else if (state.errored) process.nextTick(onError, state.errored);
  else if (state.destroyed) process.nextTick(onClose);
  return {
    detach: () => {
      open = false;
      for (const [event, listener] of Object.entries(listeners)) stream.off(event, listener as (...args: unknown[]) => void);
      stream.pause();
    },
    resume: () => {
      if (open) stream.resume();
    },
  };
}

function describeChunk(chunk: unknown): string {
  if (chunk === null) return 'null';
  if (typeof chunk !== 'object') return typeof chunk;
  return (chunk as object).constructor?.name ?? 'object';
}

/** The name a stream input has in errors: its file path when it reads a file. */
export function streamName(stream: Readable): string {
  const path = (stream as Readable & { path?: unknown }).path;
  return typeof path === 'string' ? path : 'stream';
}

/** What the native side of `source` takes: the options every source takes, and its own. */
export function nativeOptions(
  source: ResolvedSource,
  common: NativeCommonOptions,
  from: { type: 'now' | 'oldest' } | { type: 'bookmark'; bookmark: string },
): NativeOptions {
  switch (source.type) {
    case 'files':
      return { source: 'files', files: source.files, follow: source.follow, ...common };
    case 'stream':
      return { source: 'stream', name: streamName(source.stream), ...common };
    case 'eventlog':
    case 'legacy':
      return { source: source.type, from: from.type, bookmark: from.type === 'bookmark' ? from.bookmark : undefined, ...common };
    case 'netevents':
      return {
        source: 'netevents',
        from: from.type,
        bookmark: from.type === 'bookmark' ? from.bookmark : undefined,
        engineStateFile: defaultEngineStateFile(),
        ...common,
      };
  }
}
