// The stress suite (issue 14): hostile use that must leave the host alive, memory bounded and order
// intact, in bounded time. Every case asserts on order (what arrived, in which order, before what),
// never on time; memory is the peak RSS of this test process. About 30 s on a shared 2-core machine.
//
// Adding a case: put it in the describe block of its kind (or a new one), keep it under ~15 s here,
// and bound memory with expectPeakRssBelow() at its end (the peak is the process's, so a bound holds
// for every case before it in this file too).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockWatcher } from '../dist/index.js';
import { collect, fixture, numberedLines, tempDir } from './helpers';

/** The peak resident set of this process so far, in MiB. */
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
function expectPeakRssBelow(mib: number) {
  expect(peakRssMiB(), `peak RSS ${peakRssMiB().toFixed(0)} MiB`).toBeLessThan(mib);
}

/** A seeded generator, so that a failing run can be repeated (the seed is in the test name). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** `count` new FIFOs (one mkfifo for all). */
function fifos(count: number): string[] {
  const dir = tempDir();
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `records-${i}.fifo`));
  execFileSync('mkfifo', files);
  return files;
}

const idsUntilClose = (watcher: BlockWatcher) =>
  new Promise<{ ids: number[]; codes: string[] }>((resolve) => {
    const ids: number[] = [];
    const codes: string[] = [];
    watcher.on('block', (e) => ids.push(e.recordId));
    watcher.on('error', (e) => codes.push(e.code));
    watcher.once('close', () => resolve({ ids, codes }));
  });

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('stress: worker termination', () => {
  it('100 workers terminated at random points of construction, reading and closing: the host survives', () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'lifecycle', 'terminate-anywhere.cjs'), 'random', '100'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.stdout).toBe('survived 100\n');
  }, 130_000);
});

describe.skipIf(process.platform === 'win32')('stress: pipes', () => {
  it('20,000 records through a FIFO from another process, in random pieces, to a slow listener: all, in order', async () => {
    const [file] = fifos(1);
    const lines = numberedLines(1, 20_000);
    const source = path.join(tempDir(), 'records.xml');
    writeFileSync(source, lines.map((l) => `${l}\n`).join(''));
    // The writer: random pieces (1 byte to 64 KiB) with a pause now and then.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const bytes = fs.readFileSync(process.argv[1]); const fd = fs.openSync(process.argv[2], 'w');
         let s = 7; const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
         let at = 0; (function next() { for (let i = 0; i < 20 && at < bytes.length; i++) { const n = 1 + Math.floor(rnd() ** 3 * 65536);
           fs.writeSync(fd, bytes.subarray(at, at + n)); at += n; } if (at < bytes.length) setTimeout(next, rnd() < 0.1 ? 5 : 0); else fs.closeSync(fd); })();`,
        source,
        file,
      ],
      { stdio: 'ignore' },
    );
    const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true, highWaterMark: 64 });
    let n = 0;
    watcher.on('block', () => {
      if (++n % 1000 === 0) {
        watcher.pause(); // a slow listener: the writer must wait for the reader, nothing is lost
        setTimeout(() => watcher.resume(), 20);
      }
    });
    const { ids, codes } = await idsUntilClose(watcher);
    await once(writer, 'exit');
    expect(codes).toEqual([]);
    expect(ids).toEqual(range(1, 20_000));
    expectPeakRssBelow(600);
  }, 60_000);

  it('50 FIFOs at once, each writer still open: every watcher gets its records, then close() settles', async () => {
    const files = fifos(50);
    const runs = files.map(async (file, k) => {
      const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
      const writer = createWriteStream(file);
      const ids: number[] = [];
      const all = new Promise<void>((resolve) =>
        watcher.on('block', (e) => {
          ids.push(e.recordId);
          if (ids.length === 100) resolve();
        }),
      );
      writer.write(
        numberedLines(k * 1000, 100)
          .map((l) => `${l}\n`)
          .join(''),
      );
      await all;
      await watcher.close(); // the writer is still open
      const stillOpen = !writer.closed;
      writer.end();
      return { ids, stillOpen, k };
    });
    for (const { ids, stillOpen, k } of await Promise.all(runs)) {
      expect(stillOpen).toBe(true);
      expect(ids).toEqual(range(k * 1000, 100));
    }
  }, 60_000);

  it('100 watchers on FIFOs no writer ever opens, closed at random points (seed 11): every close() settles', async () => {
    const rnd = random(11);
    await Promise.all(
      fifos(100).map(async (file) => {
        const watcher = watchBlocks({ source: { replay: [file, fixture('otrf-50c132c2.xml')] }, includeAllowed: true });
        let events = 0;
        watcher.on('block', () => events++);
        await new Promise((r) => setTimeout(r, rnd() * 200));
        await watcher.close();
        expect(events).toBe(0); // the FIFO comes first, and never ends
      }),
    );
  }, 60_000);
});

describe('stress: destroyed streams', () => {
  it('300 streams destroyed without an error at random points (seed 5): each watcher closes with a prefix, in order', async () => {
    const bytes = readFileSync(fixture('otrf-ec197b14.xml'));
    const full = (await collect({ source: { replay: fixture('otrf-ec197b14.xml') }, includeAllowed: true })).events.map((e) => e.recordId);
    const rnd = random(5);
    const results = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const cut = Math.floor(rnd() * bytes.length);
        const chunk = 1 + Math.floor(rnd() * 16384);
        const stream = new Readable({ read() {} });
        const watcher = watchBlocks({ source: { replay: stream }, includeAllowed: true });
        const done = idsUntilClose(watcher);
        for (let at = 0; at < cut; at += chunk) stream.push(bytes.subarray(at, Math.min(at + chunk, cut)));
        setImmediate(() => stream.destroy());
        return done;
      }),
    );
    for (const { ids, codes } of results) {
      expect(ids).toEqual(full.slice(0, ids.length));
      expect(codes.filter((c) => c === 'ERR_STREAM')).toEqual(['ERR_STREAM']);
      expect(codes.every((c) => c === 'ERR_STREAM' || c === 'ERR_XML_TRUNCATED' || c === 'ERR_EMPTY_INPUT')).toBe(true);
    }
    expectPeakRssBelow(600);
  }, 60_000);
});

describe.skipIf(process.platform === 'win32')('stress: follow mode through rotation, with a real writer and a slow listener', () => {
  // The writer is another process that appends records in bursts and rotates its file every 1,500
  // records, as a daemon and logrotate would: renamed (the writer writes a few more records to the
  // old file before it reopens), deleted (the same), or copied and truncated (between two writes,
  // so that the files together hold every record).
  for (const method of ['rename', 'delete', 'copytruncate']) {
    it(`${method}: 9,000 records, 5 rotations, each record once, in order`, async () => {
      const file = path.join(tempDir(), 'security.xml');
      const lines = path.join(tempDir(), 'lines.json');
      writeFileSync(lines, JSON.stringify(numberedLines(1, 9000)));
      const writerScript = `
        const fs = require('fs'); const [file, linesFile, method] = process.argv.slice(1);
        const lines = JSON.parse(fs.readFileSync(linesFile, 'utf8'));
        let fd = fs.openSync(file, 'a'); let i = 0; let generation = 0;
        (function burst() {
          for (let k = 0; k < 100 && i < lines.length; k++, i++) {
            if (i > 0 && i % 1500 === 0) {
              generation++;
              if (method === 'copytruncate') { fs.copyFileSync(file, file + '.' + generation); fs.truncateSync(file, 0); }
              else {
                if (method === 'rename') fs.renameSync(file, file + '.' + generation); else fs.unlinkSync(file);
                for (let late = 0; late < 5 && i < lines.length; late++, i++) fs.writeSync(fd, lines[i] + '\\n');
                fs.closeSync(fd); fd = fs.openSync(file, 'a');
              }
            }
            fs.writeSync(fd, lines[i] + '\\n');
          }
          if (i < lines.length) setTimeout(burst, 2); else fs.closeSync(fd);
        })();`;
      writeFileSync(file, '');
      const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true, highWaterMark: 32 });
      const ids: number[] = [];
      const codes: string[] = [];
      watcher.on('error', (e) => codes.push(e.code));
      const all = new Promise<void>((resolve) =>
        watcher.on('block', (e) => {
          ids.push(e.recordId);
          const until = performance.now() + 0.1; // a slow listener: 0.1 ms per event, and the pauses below
          while (performance.now() < until);
          if (ids.length % 700 === 0) {
            watcher.pause();
            setTimeout(() => watcher.resume(), 30);
          }
          if (ids.length === 9000) resolve();
        }),
      );
      const writer = spawn(process.execPath, ['-e', writerScript, file, lines, method], { stdio: 'ignore' });
      try {
        await all;
        expect(codes).toEqual([]);
        expect(ids).toEqual(range(1, 9000));
      } finally {
        writer.kill();
        await watcher.close();
      }
    }, 90_000);
  }
});
