import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockEvent, type BlockWatcher, type WfpBlocksError } from '../dist/index.js';
import { fixture, tempFile } from './helpers';

const lines = readFileSync(fixture('otrf-ec197b14.xml'), 'utf8').split('\n').filter(Boolean);
const recordIdOf = (line: string) => Number(/EventRecordID>(\d+)</.exec(line)?.[1]);

/** Resolves with the first `count` events (and errors seen meanwhile) once they have arrived. */
function nextEvents(watcher: BlockWatcher, count: number): Promise<{ events: BlockEvent[]; errors: WfpBlocksError[] }> {
  return new Promise((resolve) => {
    const events: BlockEvent[] = [];
    const errors: WfpBlocksError[] = [];
    const onError = (e: WfpBlocksError) => errors.push(e);
    const onBlock = (e: BlockEvent) => {
      events.push(e);
      if (events.length === count) {
        watcher.off('block', onBlock);
        watcher.off('error', onError);
        resolve({ events, errors });
      }
    };
    watcher.on('block', onBlock);
    watcher.on('error', onError);
  });
}

describe('follow mode', () => {
  it('delivers records appended after the start, including one written in two parts', async () => {
    const file = tempFile(`${lines.slice(0, 10).join('\n')}\n`);
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
    try {
      const first = await nextEvents(watcher, 10);
      expect(first.events.map((e) => e.recordId)).toEqual(lines.slice(0, 10).map(recordIdOf));

      const appended = nextEvents(watcher, 6);
      appendFileSync(file, `${lines.slice(10, 15).join('\n')}\n`);
      const half = Math.floor(lines[15].length / 2);
      appendFileSync(file, lines[15].slice(0, half)); // a partial record is not an error in follow mode
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, `${lines[15].slice(half)}\n`);
      const second = await appended;
      expect(second.errors).toEqual([]);
      expect(second.events.map((e) => e.recordId)).toEqual(lines.slice(10, 16).map(recordIdOf));
    } finally {
      await watcher.close();
    }
  });

  it('starts again from the beginning when the file is truncated and rewritten (like tail -f)', async () => {
    const file = tempFile(`${lines.slice(0, 20).join('\n')}\n`);
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
    try {
      await nextEvents(watcher, 20);
      const rewritten = nextEvents(watcher, 2);
      truncateSync(file, 0);
      writeFileSync(file, `${lines.slice(100, 102).join('\n')}\n`);
      const { events, errors } = await rewritten;
      expect(errors).toEqual([]);
      expect(events.map((e) => e.data.SourcePort)).toEqual(lines.slice(100, 102).map((l) => /SourcePort'>(\d+)</.exec(l)?.[1]));
    } finally {
      await watcher.close();
    }
  });

  it('follows several files at once', async () => {
    const a = tempFile(`${lines[0]}\n`, 'a.xml');
    const b = tempFile(`${lines[1]}\n`, 'b.xml');
    const watcher = watchBlocks({ source: { replay: [a, b], follow: true }, includeAllowed: true });
    try {
      await nextEvents(watcher, 2);
      const more = nextEvents(watcher, 2);
      appendFileSync(b, `${lines[2]}\n`);
      appendFileSync(a, `${lines[3]}\n`);
      const { events } = await more;
      expect(new Set(events.map((e) => e.recordId))).toEqual(new Set([lines[2], lines[3]].map(recordIdOf)));
    } finally {
      await watcher.close();
    }
  });
});
