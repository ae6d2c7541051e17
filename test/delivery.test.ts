import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockEvent } from '../dist/index.js';
import { collect, collectFrom, fixtureFiles } from './helpers';

const all = fixtureFiles();
const TOTAL_ALLOWED = 9099;

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('delivery to JavaScript', () => {
  it('a listener slower than the source loses nothing', async () => {
    const watcher = watchBlocks({ source: { replay: all }, includeAllowed: true, highWaterMark: 64 });
    let n = 0;
    watcher.on('block', () => {
      if (++n % 10 === 0) sleepSync(1);
    });
    const { events, errors } = await collectFrom(watcher);
    expect(errors).toEqual([]);
    expect(n).toBe(TOTAL_ALLOWED);
    expect(events).toHaveLength(TOTAL_ALLOWED);
  });

  it('while paused, the watcher stops reading once highWaterMark events wait (memory stays bounded)', async () => {
    const highWaterMark = 100;
    const watcher = watchBlocks({ source: { replay: all }, includeAllowed: true, highWaterMark });
    let delivered = 0;
    let deliveredWhilePaused = 0;
    let paused = false;
    watcher.on('block', () => {
      delivered++;
      if (paused) deliveredWhilePaused++;
      if (delivered === 1) {
        paused = true;
        watcher.pause();
        setTimeout(() => {
          paused = false;
          watcher.resume();
        }, 300);
      }
    });
    const { events } = await collectFrom(watcher);
    // At most the rest of the batch in hand plus what the queue may hold: never the whole input.
    expect(deliveredWhilePaused).toBeLessThanOrEqual(2 * highWaterMark);
    expect(events).toHaveLength(TOTAL_ALLOWED);
  });

  it('async iteration yields every event in order and ends at the end of the input', async () => {
    const expected = await collect({ source: { replay: all }, includeAllowed: true });
    const got: number[] = [];
    for await (const event of watchBlocks({ source: { replay: all }, includeAllowed: true, highWaterMark: 16 })) {
      got.push(event.recordId);
      if (got.length % 500 === 0) await new Promise((r) => setTimeout(r, 1)); // a slow consumer
    }
    expect(got).toEqual(expected.events.map((e) => e.recordId));
  });

  it('leaving a for-await loop early closes the watcher', async () => {
    const watcher = watchBlocks({ source: { replay: all }, includeAllowed: true });
    let closed = false;
    watcher.on('close', () => (closed = true));
    let n = 0;
    for await (const _ of watcher) if (++n === 10) break;
    expect(n).toBe(10);
    expect(closed).toBe(true);
  });

  it('an AbortSignal closes the watcher; an aborted one never starts', async () => {
    const controller = new AbortController();
    const watcher = watchBlocks({ source: { replay: all }, includeAllowed: true, signal: controller.signal });
    let n = 0;
    watcher.on('block', () => {
      if (++n === 5) controller.abort();
    });
    await collectFrom(watcher);
    expect(n).toBe(5);

    const none = await collect({ source: { replay: all }, signal: AbortSignal.abort() });
    expect(none.events).toEqual([]);
    expect(none.errors).toEqual([]);
  });

  it('no event after close() settles, when closed from inside a listener', async () => {
    const watcher = watchBlocks({ source: { replay: all }, includeAllowed: true });
    let afterClose = 0;
    let closeCalled = false;
    watcher.on('block', () => {
      if (closeCalled) afterClose++;
      else if (!closeCalled) {
        closeCalled = true;
        void watcher.close();
      }
    });
    await new Promise((r) => watcher.once('close', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(afterClose).toBe(0);
  });

  it('a bookmark resumes a replay after the last event a watcher delivered, for files and streams', async () => {
    const file = all.find((f) => f.endsWith('otrf-50c132c2.xml')) as string;
    const full = (await collect({ source: { replay: file }, includeAllowed: true })).events;
    const ids = (events: BlockEvent[]) => events.map((e) => e.recordId);
    for (const source of [() => ({ replay: file }), () => ({ replay: Readable.from([readFileSync(file)]) })]) {
      const first = watchBlocks({ source: source(), includeAllowed: true });
      let n = 0;
      first.on('block', () => {
        if (++n === 10) void first.close();
      });
      await new Promise((r) => first.once('close', r));
      const bookmark = first.bookmark as string;
      // A position: the input by its first bytes, and the offset after the tenth event.
      expect(JSON.parse(bookmark)).toMatchObject({ wfpBlocks: 1, inputs: [{ recordId: String(full[9].recordId) }] });
      const rest = await collect({ source: source(), includeAllowed: true, from: { bookmark } });
      expect(ids(rest.events)).toEqual(ids(full.slice(10)));
    }
    // A bookmark of one kind of source does not resume another.
    const fromFile = watchBlocks({ source: { replay: file }, includeAllowed: true });
    await collectFrom(fromFile);
    expect(() =>
      watchBlocks({ source: { replay: Readable.from([readFileSync(file)]) }, from: { bookmark: fromFile.bookmark as string } }),
    ).toThrow(
      /ERR_INVALID_OPTION: options\.from\.bookmark must be a bookmark a watcher gave out \(it is from a 'files' source, and this is 'stream'\)/,
    );
  });

  it('a stream input is read with back-pressure and yields what the files yield', async () => {
    const bytes = Buffer.concat(all.map((f) => readFileSync(f)));
    let pulls = 0;
    const stream = new Readable({
      highWaterMark: 64 * 1024,
      read() {
        const at = pulls++ * 256 * 1024;
        this.push(at < bytes.length ? bytes.subarray(at, at + 256 * 1024) : null);
      },
    });
    const viaStream = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(viaStream.errors).toEqual([]);
    expect(viaStream.events.map((e: BlockEvent) => e.recordId)).toEqual(
      (await collect({ source: { replay: all }, includeAllowed: true })).events.map((e) => e.recordId),
    );
  });

  it('a failing input stream is a recoverable ERR_STREAM error, and what was read arrives', async () => {
    const file = all.find((f) => f.endsWith('otrf-50c132c2.xml')) as string;
    const first = readFileSync(file);
    const stream = new Readable({ read() {} });
    stream.push(first);
    setTimeout(() => stream.destroy(new Error('connection reset')), 20);
    const { events, errors } = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(errors.map((e) => e.code)).toEqual(['ERR_STREAM']);
    expect(errors[0].message).toContain('connection reset');
    expect(events.length).toBe(77);
  });
});
