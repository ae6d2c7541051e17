// Follow mode through log rotation, as logrotate and Windows agents do it: rename and create, delete
// and create, copytruncate; also while the watcher is paused far behind the writer (more than its
// 1 MiB read buffer). Nothing is lost or repeated: the old file is read to its end before the new one,
// and what cannot be read is reported. Each test waits for records, never for time.
import { appendFileSync, copyFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockWatcher, type WfpBlocksError } from '../dist/index.js';
import { numberedLines, tempDir } from './helpers';

/** Collects events (record IDs) and errors until `count` events arrived. */
function until(watcher: BlockWatcher, count: number): Promise<{ ids: number[]; errors: WfpBlocksError[] }> {
  const ids: number[] = [];
  const errors: WfpBlocksError[] = [];
  return new Promise((resolve) => {
    watcher.on('error', (e) => errors.push(e));
    watcher.on('block', (e) => {
      ids.push(e.recordId);
      if (ids.length === count) resolve({ ids, errors });
    });
  });
}

/** Pauses the watcher at its first event: its thread stops with most of its 1 MiB read buffer unread. */
const pausedAfterFirst = (watcher: BlockWatcher) =>
  new Promise<void>((resolve) =>
    watcher.once('block', () => {
      watcher.pause();
      resolve();
    }),
  );

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

type Rotate = (file: string) => void;
const ROTATIONS: Array<[string, Rotate]> = [
  ['rename and create', (file) => renameSync(file, `${file}.1`)],
  ['delete and create', (file) => unlinkSync(file)],
  [
    'copytruncate',
    (file) => {
      copyFileSync(file, `${file}.1`);
      truncateSync(file, 0);
    },
  ],
];

describe('follow mode through rotation', () => {
  for (const [name, rotate] of ROTATIONS) {
    it(`${name}: the old file's records, then the new file's, each once, in order`, async () => {
      const file = path.join(tempDir(), 'security.xml');
      writeFileSync(file, text(numberedLines(1, 20)));
      const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
      try {
        const all = until(watcher, 45);
        await new Promise<void>((resolve) => watcher.on('block', (e) => e.recordId === 20 && resolve()));
        appendFileSync(file, text(numberedLines(21, 5))); // written just before the rotation
        rotate(file);
        appendFileSync(file, text(numberedLines(26, 20))); // creates the new file, or refills the truncated one
        const { ids, errors } = await all;
        expect(errors).toEqual([]);
        expect(ids).toEqual(range(1, 45));
      } finally {
        await watcher.close();
      }
    });

    it(`${name} while paused far behind the writer (3 MB unread): nothing lost`, async () => {
      const file = path.join(tempDir(), 'security.xml');
      writeFileSync(file, text(numberedLines(1, 3000)));
      const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true, highWaterMark: 16 });
      try {
        const all = until(watcher, 3020);
        await pausedAfterFirst(watcher);
        appendFileSync(file, text(numberedLines(3001, 10)));
        rotate(file);
        appendFileSync(file, text(numberedLines(3011, 10)));
        watcher.resume();
        const { ids, errors } = await all;
        expect(errors).toEqual([]);
        expect(ids).toEqual(range(1, 3020));
      } finally {
        await watcher.close();
      }
    });
  }

  it('a rewrite in place that already grew past the read position is noticed (not only a shorter file)', async () => {
    const file = path.join(tempDir(), 'security.xml');
    writeFileSync(file, text(numberedLines(1, 3000)));
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true, highWaterMark: 16 });
    try {
      const all = until(watcher, 3000 + 3500);
      await pausedAfterFirst(watcher);
      copyFileSync(file, `${file}.1`);
      writeFileSync(file, text(numberedLines(3001, 3500))); // longer than before: truncated and refilled
      watcher.resume();
      const { ids, errors } = await all;
      expect(errors).toEqual([]);
      expect(ids).toEqual(range(1, 6500));
    } finally {
      await watcher.close();
    }
  });

  it('copytruncate whose copy went elsewhere: a typed ERR_FILE_TRUNCATED says what was lost, then the new records', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'security.xml');
    writeFileSync(file, text(numberedLines(1, 3000)));
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true, highWaterMark: 16 });
    try {
      const ids: number[] = [];
      const errors: WfpBlocksError[] = [];
      watcher.on('error', (e) => errors.push(e));
      const sawNew = new Promise<void>((resolve) =>
        watcher.on('block', (e) => {
          ids.push(e.recordId);
          if (e.recordId === 3010) resolve();
        }),
      );
      await pausedAfterFirst(watcher);
      copyFileSync(file, path.join(tempDir(), 'archived.xml'));
      truncateSync(file, 0);
      appendFileSync(file, text(numberedLines(3001, 10)));
      watcher.resume();
      await sawNew;
      expect(errors.map((e) => e.code)).toEqual(['ERR_FILE_TRUNCATED']);
      expect(errors[0]).toMatchObject({ input: file, recoverable: true });
      const lostFrom = errors[0].offset as number;
      expect(lostFrom).toBeGreaterThan(0);
      expect(errors[0].message).toMatch(/before \d+ bytes after offset \d+ were read/);
      // What arrived is what was read before the truncation, then the new file, in order.
      const old = ids.filter((id) => id <= 3000);
      expect(old).toEqual(range(1, old.length));
      expect(ids.slice(old.length)).toEqual(range(3001, 10));
    } finally {
      await watcher.close();
    }
  });
});
