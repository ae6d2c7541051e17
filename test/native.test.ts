// The native unit tests (test/native/*_test.cc), built with AddressSanitizer and
// UndefinedBehaviorSanitizer, one vitest test per named case: the XML reader's learned record shapes
// against its general parser, device-map matching, coalescing, the legacy source's EVENTLOGRECORD
// mapping on buffers built from every real fixture record, the netevents source's mapping of the net
// events those records' blocks would be, its engine-option record, the firewall-log decoder, and the
// .evtx reader (values, BinXML, chunks and streams, on the real .evtx files and on built ones).
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evtxFiles } from './evtx-references';
import { collect, fixture, FIXTURES } from './helpers';

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, '.unit');
const BINARY = path.join(BUILD, 'unit_tests');

// Built while the tests are collected, so that each case can be a test of its own.
execFileSync('cmake', ['-S', ROOT, '-B', BUILD, '-DWFP_TESTS=ON', '-DCMAKE_BUILD_TYPE=Debug'], { stdio: 'pipe' });
execFileSync('cmake', ['--build', BUILD, '--target', 'unit_tests', '-j', '2'], { stdio: 'pipe' });
const CASES = execFileSync(BINARY, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('native unit tests', () => {
  const results = new Map<string, { checks: number; failures: string[] }>();
  beforeAll(() => {
    const evtx = path.dirname(evtxFiles().find((f) => f.inRepo)!.file); // the repository's, decompressed
    const r = spawnSync(BINARY, [], {
      encoding: 'utf8',
      env: { ...process.env, WFP_FIXTURES: FIXTURES, WFP_EVTX_FIXTURES: evtx },
      maxBuffer: 64 << 20,
    });
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const { name, checks, failures } = JSON.parse(line) as { name: string; checks: number; failures: string[] };
      results.set(name, { checks, failures });
    }
    expect(r.stderr).toBe('');
  }, 180_000);

  it('has its cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(9);
  });

  for (const name of CASES) {
    it(name, () => {
      const result = results.get(name);
      expect(result, 'the case ran').toBeDefined();
      expect(result?.failures).toEqual([]);
      expect(result?.checks).toBeGreaterThan(0);
    });
  }

  it('keeps every check: over 22,000 in all', () => {
    expect([...results.values()].reduce((n, r) => n + r.checks, 0)).toBeGreaterThan(22000);
  });
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
