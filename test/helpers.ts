import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { watchBlocks, type BlockEvent, type BlockWatcher, type WatchOptions, type WfpBlocksError } from '../dist/index.js';

export const FIXTURES = path.join(__dirname, 'fixtures', 'records');
export const fixtureFiles = (): string[] =>
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => path.join(FIXTURES, f));
export const fixture = (name: string): string => path.join(FIXTURES, name);

export interface Collected {
  events: BlockEvent[];
  errors: WfpBlocksError[];
  /** Events and errors in the order they were emitted. */
  order: Array<BlockEvent | WfpBlocksError>;
}

export function collectFrom(watcher: BlockWatcher): Promise<Collected> {
  const result: Collected = { events: [], errors: [], order: [] };
  watcher.on('block', (e) => {
    result.events.push(e);
    result.order.push(e);
  });
  watcher.on('error', (e) => {
    result.errors.push(e);
    result.order.push(e);
  });
  return new Promise((resolve) => watcher.once('close', () => resolve(result)));
}

export const collect = (options: WatchOptions): Promise<Collected> => collectFrom(watchBlocks(options));

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'wfp-blocks-test-'));
}

export function tempFile(content: string | Buffer, name = 'input.xml'): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

const FOLLOW_LINES = readFileSync(fixture('otrf-ec197b14.xml'), 'utf8').split('\n').filter(Boolean);
/** `count` real records (one per line, cycling through a fixture) renumbered from `first` on. */
export function numberedLines(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    FOLLOW_LINES[(first + i) % FOLLOW_LINES.length].replace(/<EventRecordID>\d+</, `<EventRecordID>${first + i}<`),
  );
}
