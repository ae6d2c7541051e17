import { readdirSync, statSync } from 'node:fs';
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
  | { type: 'eventlog' | 'legacy' }
  | { type: 'files'; files: string[]; follow: boolean; emptyDirectories: string[] }
  | { type: 'stream'; stream: Readable };

export type SourceType = ResolvedSource['type'];

/**
 * Live sources read this machine's logs as they are written: Windows only, enriched, they start at
 * 'now' by default and watch the audit policy. (A test checks this against the binding's own table.)
 */
export const SOURCE_TYPES: Readonly<Record<SourceType, { live: boolean }>> = {
  files: { live: false },
  stream: { live: false },
  eventlog: { live: true },
  legacy: { live: true },
};

export const isLive = (source: ResolvedSource): boolean => SOURCE_TYPES[source.type].live;

export interface ReplaySourceOptions {
  /**
   * Exported event XML: a file, several files (read in order), or a readable stream of it. A
   * directory stands for every `.xml` and `.evtx` file in it, oldest (by modification time) first.
   */
  replay: string | readonly string[] | Readable;
  /** Keep waiting for records appended to the files, as `tail -f`. Not for streams. */
  follow?: boolean;
}

export type SourceOption = 'eventlog' | 'legacy' | ReplaySourceOptions;

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
  if (source === undefined || source === 'eventlog' || source === 'legacy') return { type: source ?? 'eventlog' };
  if (typeof source !== 'object' || source === null || !('replay' in source)) {
    throw new WfpOptionError('source', source, "'eventlog', 'legacy' or { replay: string | string[] | Readable }");
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
    .filter((name) => /\.(xml|evtx)$/i.test(name))
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
  }
}
