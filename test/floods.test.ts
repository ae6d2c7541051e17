// Floods cannot drown the application: problems travel through the same bounded hand-off as events
// and arrive promptly (the first long before the input ends), repeats of one problem in one input are
// summarised, and coalescing holds at most maxHeld folds. Each flood runs in a process of its own and
// reports its peak RSS; the bounds are generous for a noisy machine and far below what the floods
// cost before (715 MB for a million empty records, 1.14 GB for 500,000 distinct keys, so about 700 MB for the
// 300,000 here).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(__dirname, 'lifecycle', 'flood.cjs');
const flood = (...args: string[]) =>
  JSON.parse(execFileSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 })) as {
    events: number;
    folded: number;
    errors: number;
    summaries: number;
    repeated: number;
    codes: string[];
    order: string[];
    maxRssMb: number;
  };

describe('floods', () => {
  it('a million empty <Event/> records: ten errors in full, the rest counted, then the good record', () => {
    const r = flood('empty-events', '1000000');
    expect(r.codes).toEqual(['ERR_XML_MALFORMED']);
    expect(r.errors - r.summaries).toBe(10); // ten in full
    expect(r.summaries).toBeLessThan(20); // and the rest in a few summaries
    expect(r.errors - r.summaries + r.repeated).toBe(1_000_000);
    expect(r.order).toEqual(['error', 'event']);
    expect(r.events).toBe(1);
    expect(r.maxRssMb).toBeLessThan(250);
  }, 120_000);

  it('100,000 nested <Event> tags: summarised the same way', () => {
    const r = flood('nested', '100000');
    expect(r.errors - r.summaries).toBeLessThanOrEqual(10 * r.codes.length);
    expect(r.errors - r.summaries + r.repeated).toBeGreaterThanOrEqual(100_000);
    expect(r.order[0]).toBe('error');
    expect(r.maxRssMb).toBeLessThan(250);
  }, 120_000);

  it('300,000 distinct keys while coalescing: at most maxHeld folds held, every record counted once', () => {
    const r = flood('distinct-keys', '300000');
    expect(r.folded).toBe(300_000);
    expect(r.errors).toBe(0);
    expect(r.maxRssMb).toBeLessThan(250);
  }, 120_000);

  for (const device of ['/dev/zero', '/dev/urandom']) {
    it(`${device}: the first problem arrives while the input goes on, and close() stops it`, () => {
      if (!existsSync(device)) return;
      const r = flood('device', device);
      expect(r.errors).toBeGreaterThanOrEqual(1);
      expect(r.order[0]).toBe('error');
      expect(r.maxRssMb).toBeLessThan(250);
    }, 60_000);
  }
});
