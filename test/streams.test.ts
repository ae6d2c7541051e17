// A Readable as the replay source, however it behaves: chunks that are not bytes, a stream destroyed
// without an error, one that ended (or was destroyed, or failed) before it was passed in. Each ends
// with 'close' and what was read, and a typed error where something could not be read.
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchBlocks, WfpBlocksError } from '../dist/index.js';
import { collect, fixture } from './helpers';

const FILE = fixture('otrf-50c132c2.xml'); // 77 events with includeAllowed
const BYTES = readFileSync(FILE);

/** Pushes the fixture's bytes, then whatever `then` does, from a later tick. */
function streamThen(then: (stream: Readable) => void, objectMode = false): Readable {
  const stream = new Readable({ objectMode, read() {} });
  setImmediate(() => {
    stream.push(BYTES);
    setTimeout(() => then(stream), 20);
  });
  return stream;
}

describe('stream sources that end in every way', () => {
  it('an object-mode stream of objects: a typed ERR_STREAM error, what came before arrives, nothing thrown', async () => {
    const stream = streamThen((s) => s.push({ not: 'bytes' }), true);
    const { events, errors } = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(events).toHaveLength(77);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WfpBlocksError);
    expect(errors[0]).toMatchObject({ code: 'ERR_STREAM', recoverable: true, input: 'stream' });
    expect(errors[0].message).toContain('not bytes or a string (Object)');
  });

  it('an object-mode stream of numbers pushed from read(): the same, with the type named', async () => {
    let pushed = false;
    const stream = new Readable({
      objectMode: true,
      read() {
        this.push(pushed ? null : 42);
        pushed = true;
      },
    });
    const { events, errors } = await collect({ source: { replay: stream } });
    expect(events).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['ERR_STREAM', 'ERR_EMPTY_INPUT']);
    expect(errors[0].message).toContain('(number)');
  });

  it('an object-mode stream of strings and bytes is read like any other', async () => {
    const text = BYTES.toString('utf8');
    const half = text.indexOf('<Event', text.length / 2);
    const stream = Readable.from([text.slice(0, half), Buffer.from(text.slice(half))]);
    const { events, errors } = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(errors).toEqual([]);
    expect(events).toHaveLength(77);
  });

  it('a stream destroyed without an error: what was read arrives, a typed error says so, and the watcher closes', async () => {
    const stream = streamThen((s) => s.destroy());
    const { events, errors } = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(events).toHaveLength(77);
    expect(errors.map((e) => e.code)).toEqual(['ERR_STREAM']);
    expect(errors[0].message).toContain('destroyed before its end');
  });

  it('a stream that had already ended: the watcher closes (an empty input)', async () => {
    const stream = Readable.from([BYTES]);
    stream.resume();
    await once(stream, 'end');
    const { events, errors } = await collect({ source: { replay: stream }, includeAllowed: true });
    expect(events).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['ERR_EMPTY_INPUT']);
  });

  it('a stream already destroyed, or already failed, when passed in: a typed error and the watcher closes', async () => {
    const destroyed = new Readable({ read() {} });
    destroyed.destroy();
    const failed = new Readable({ read() {} });
    failed.on('error', () => {});
    failed.destroy(new Error('disk on fire'));
    await new Promise((resolve) => failed.once('close', resolve));
    for (const [stream, text] of [
      [destroyed, 'destroyed before its end'],
      [failed, 'disk on fire'],
    ] as const) {
      const { events, errors } = await collect({ source: { replay: stream } });
      expect(events).toEqual([]);
      expect(errors.map((e) => e.code)).toContain('ERR_STREAM');
      expect(errors.find((e) => e.code === 'ERR_STREAM')?.message).toContain(text);
    }
  });

  it('close() while a stream is still open stops reading it; the stream is left paused, not destroyed', async () => {
    const stream = new Readable({ read() {} });
    stream.push(BYTES);
    const watcher = watchBlocks({ source: { replay: stream }, includeAllowed: true });
    await once(watcher, 'block');
    await watcher.close();
    expect(stream.destroyed).toBe(false);
    expect(stream.listenerCount('data')).toBe(0);
    expect(stream.isPaused()).toBe(true);
  });

  it('any object with on/pause/resume is read as a stream (an EventEmitter that emits data and end)', async () => {
    const emitter = Object.assign(new EventEmitter(), { pause() {}, resume() {} });
    const done = collect({ source: { replay: emitter as unknown as Readable }, includeAllowed: true });
    setImmediate(() => {
      emitter.emit('data', BYTES);
      emitter.emit('end');
    });
    const { events, errors } = await done;
    expect(errors).toEqual([]);
    expect(events).toHaveLength(77);
  });
});
