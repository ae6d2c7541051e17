// The raw binding at its edges, as the TypeScript layer never calls it but a future caller might:
// record IDs that no uint64_t holds, wrong arguments, methods on objects that are not watchers. Each
// gives a value or a TypeError, never undefined behaviour or a crash.
import { describe, expect, it } from 'vitest';
import { loadBinding } from '../dist/binding.js';
import { fixture } from './helpers';

const binding = loadBinding();
const FILE = fixture('otrf-50c132c2.xml'); // 77 events with includeAllowed; record IDs below 2^53

function eventsAfter(afterRecordId: number): Promise<number> {
  return new Promise((resolve) => {
    let events = 0;
    new binding.Watcher(
      { source: 'files', files: [FILE], follow: false, kinds: ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'],
        includeAllowed: true, highWaterMark: 64, afterRecordId },
      (message) => {
        if ('numbers' in message) events += message.events;
        else if (message.ended) resolve(events);
      },
    );
  });
}

describe('the raw binding at its edges', () => {
  it('afterRecordId beyond 2^64 skips every record; negative or NaN skips none', async () => {
    expect(await eventsAfter(2 ** 64)).toBe(0);
    expect(await eventsAfter(1e300)).toBe(0);
    expect(await eventsAfter(-1)).toBe(77);
    expect(await eventsAfter(Number.NaN)).toBe(77);
  });

  it('bookmarkXml saturates record IDs no uint64_t holds', () => {
    expect(binding.bookmarkXml(2 ** 64)).toContain("RecordId='18446744073709551615'");
    expect(binding.bookmarkXml(-5)).toContain("RecordId='0'");
    expect(binding.bookmarkXml(42)).toContain("RecordId='42'");
  });

  it('wrong arguments are TypeErrors, as are methods called on an object that is no watcher', () => {
    expect(() => new binding.Watcher(undefined as never, undefined as never)).toThrow(TypeError);
    expect(() => new binding.Watcher({ source: 'nope' } as never, () => {})).toThrow(/source must be one of/);
    expect(() => binding.bookmarkXml('x' as never)).toThrow(TypeError);
    const notAWatcher = Object.create(binding.Watcher.prototype);
    for (const method of ['close', 'ref', 'unref', 'pause', 'resume', 'end'] as const) {
      expect(() => notAWatcher[method]()).toThrow(TypeError);
    }
    expect(() => notAWatcher.write(Buffer.from('x'))).toThrow(TypeError);
  });
});
