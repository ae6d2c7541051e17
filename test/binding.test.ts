// The raw binding at its edges, as the TypeScript layer never calls it but a future caller might:
// record IDs at and beyond the largest uint64_t (given as decimal text), wrong arguments, methods on
// objects that are not watchers. Each gives a value or an error, never undefined behaviour or a crash.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadBinding } from '../dist/binding.js';
import { fixture } from './helpers';

const binding = loadBinding();
const FILE = fixture('otrf-50c132c2.xml'); // 77 events with includeAllowed; record IDs below 2^53

function eventsAfter(afterRecordId: string): Promise<number> {
  return new Promise((resolve) => {
    let events = 0;
    new binding.Watcher(
      {
        source: 'files',
        files: [FILE],
        follow: false,
        kinds: ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'],
        includeAllowed: true,
        highWaterMark: 64,
        afterRecordId,
      },
      (message) => {
        if ('numbers' in message) events += message.events;
        else if (message.ended) resolve(events);
      },
    );
  });
}

describe('the raw binding at its edges', () => {
  // (A replay resumes by input positions, not record IDs: afterRecordId is taken but skips nothing
  // there; what it skips in a live log is tested under Wine: test/wine/eventlog.test.cjs, resume from a bookmark.)
  it('afterRecordId is decimal text up to 2^64 - 1', async () => {
    for (const id of ['18446744073709551615', '0', '1']) expect(await eventsAfter(id), id).toBe(77);
  });

  it('afterRecordId that no uint64_t holds, or that is not decimal text, is a TypeError', () => {
    const make = (afterRecordId: unknown) => () =>
      new binding.Watcher(
        { source: 'files', files: [FILE], follow: false, kinds: ['connection'], highWaterMark: 64, afterRecordId } as never,
        () => {},
      );
    for (const bad of ['18446744073709551616', '99999999999999999999', '-1', '1e3', '', ' 5', 'NaN']) {
      expect(make(bad), bad).toThrow(/afterRecordId must be a decimal number below 2\^64/);
    }
    for (const bad of [2 ** 64, Number.NaN, -1, 5]) expect(make(bad), String(bad)).toThrow(TypeError);
  });

  it('highWaterMark NaN or below 1 is a TypeError; a huge one is held to a bound, not cast', async () => {
    const make = (highWaterMark: number) => () =>
      new binding.Watcher({ source: 'files', files: [FILE], follow: false, kinds: ['connection'], highWaterMark } as never, () => {});
    for (const bad of [Number.NaN, 0, -1]) expect(make(bad), String(bad)).toThrow(/highWaterMark must be a number >= 1/);
    const ended = await new Promise<boolean>((resolve) => {
      new binding.Watcher(
        { source: 'files', files: [FILE], follow: false, kinds: ['connection'], highWaterMark: 1e300 } as never,
        (message) => {
          if (!('numbers' in message) && message.ended) resolve(true);
        },
      );
    });
    expect(ended).toBe(true);
  });

  it('bookmarkXml takes a record ID per log as decimal text, up to 2^64 - 1, or null', () => {
    expect(binding.bookmarkXml(['18446744073709551615', null])).toContain("RecordId='18446744073709551615'");
    expect(binding.bookmarkXml(['0', null])).toContain("RecordId='0'");
    expect(binding.bookmarkXml([null, '42'])).toContain("RecordId='42' IsCurrent='true'");
    for (const bad of ['18446744073709551616', '-5', '4.2', '', 42, 2 ** 64, undefined]) {
      expect(() => binding.bookmarkXml([bad as never, null]), String(bad)).toThrow(TypeError);
      expect(() => binding.bookmarkXml(['1', bad as never]), String(bad)).toThrow(TypeError);
    }
    for (const bad of [[null, null], ['1'], ['1', '2', '3'], '42', undefined]) {
      expect(() => binding.bookmarkXml(bad as never), JSON.stringify(bad)).toThrow(TypeError);
    }
  });

  it('wrong arguments are TypeErrors; methods called on an object that is no watcher throw', () => {
    expect(() => new binding.Watcher(undefined as never, undefined as never)).toThrow(TypeError);
    expect(() => new binding.Watcher({ source: 'nope' } as never, () => {})).toThrow(/source must be one of/);
    // node-addon-api's ObjectWrap refuses `this` before our code runs: an Error from napi_unwrap.
    const notAWatcher = Object.create(binding.Watcher.prototype);
    for (const method of ['close', 'ref', 'unref', 'pause', 'resume', 'end'] as const) {
      expect(() => notAWatcher[method](), method).toThrow(Error);
    }
    expect(() => notAWatcher.write(Buffer.from('x'))).toThrow(Error);
  });

  it('write() takes only a Uint8Array, and only on a stream watcher', async () => {
    const files = new binding.Watcher(
      { source: 'files', files: [FILE], follow: false, kinds: ['connection'], highWaterMark: 64 } as never,
      () => {},
    );
    expect(() => files.write(Buffer.from('<Event/>'))).toThrow(/write\(chunk\) needs a stream watcher and a Uint8Array/);
    files.close();
    let events = 0;
    const ended = new Promise<void>((resolve) => {
      const stream = new binding.Watcher(
        {
          source: 'stream',
          name: 's',
          kinds: ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'],
          includeAllowed: true,
          highWaterMark: 64,
        } as never,
        (message) => {
          if ('numbers' in message) events += message.events;
          else if (message.ended) resolve();
        },
      );
      const xml = readFileSync(FILE);
      for (const bad of [new Float64Array(4), new Uint16Array(4), 'text', {}, undefined]) {
        expect(() => stream.write(bad as never), String(bad)).toThrow(TypeError);
      }
      stream.write(new Uint8Array(xml.buffer, xml.byteOffset, xml.byteLength));
      stream.end();
    });
    await ended;
    expect(events).toBe(77); // the refused chunks fed nothing
  });
});
