// The native unit tests (native/tests/unit_tests.cc), built with AddressSanitizer and
// UndefinedBehaviorSanitizer: the XML reader's learned record shapes against its general parser,
// device-map matching, coalescing, and the legacy source's EVENTLOGRECORD mapping on buffers built
// from every real fixture record.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, fixture, FIXTURES } from './helpers';

const ROOT = path.join(__dirname, '..');

describe('native unit tests', () => {
  it('pass', () => {
    const build = path.join(ROOT, '.unit');
    execFileSync('cmake', ['-S', ROOT, '-B', build, '-DWFP_TESTS=ON', '-DCMAKE_BUILD_TYPE=Debug'], { stdio: 'pipe' });
    execFileSync('cmake', ['--build', build, '--target', 'unit_tests', '-j', '2'], { stdio: 'pipe' });
    const r = spawnSync(path.join(build, 'unit_tests'), [FIXTURES], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(r.status).toBe(0);
    expect(Number(/^(\d+) passed/m.exec(r.stdout)?.[1])).toBeGreaterThan(22000);
  }, 180_000);
});

describe('coalesce option', () => {
  it('folds repeats into events with count, firstTime and lastTime; every record is counted once', async () => {
    const file = fixture('otrf-f2bb3e18.xml');
    const plain = await collect({ source: { replay: file }, includeAllowed: true });
    const folded = await collect({ source: { replay: file }, includeAllowed: true, coalesce: { windowMs: 60_000 } });
    expect(folded.errors).toEqual([]);
    expect(folded.events.length).toBeLessThan(plain.events.length / 5);
    expect(folded.events.reduce((n, e) => n + (e.count ?? 0), 0)).toBe(plain.events.length);
    for (const e of folded.events) {
      expect(e.count).toBeGreaterThanOrEqual(1);
      expect((e.firstTime as Date).getTime()).toBeLessThanOrEqual((e.lastTime as Date).getTime());
      expect(e.time.getTime()).toBe((e.firstTime as Date).getTime());
    }
    expect(plain.events.every((e) => e.count === undefined)).toBe(true);
  });

  it('windows close by event time: records over a minute apart are not folded with a 1 s window', async () => {
    const file = fixture('otrf-f2bb3e18.xml');
    const plain = await collect({ source: { replay: file }, includeAllowed: true });
    const wide = await collect({ source: { replay: file }, includeAllowed: true, coalesce: { windowMs: 3_600_000 } });
    const narrow = await collect({ source: { replay: file }, includeAllowed: true, coalesce: { windowMs: 1 } });
    expect(wide.events.length).toBeLessThan(narrow.events.length);
    expect(narrow.events.length).toBeLessThanOrEqual(plain.events.length);
  });
});
