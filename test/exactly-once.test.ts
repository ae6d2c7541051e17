// Exactly once: a watcher stopped at any point and resumed from its bookmark delivers, across both
// runs, exactly the events one uninterrupted run delivers: the same multiset, nothing lost, nothing
// repeated. Property style, over real fixture records: every replay source (several files, one file,
// a stream, follow mode), every way of consuming (listener and close(), for-await and break, close()
// inside the loop, pause()/resume(), coalescing), inputs in ascending order, newest first, several
// hosts mixed, record IDs that restart, files concatenated, .evtx files (alone, newest first, as a
// stream, between XML of other hosts); cut at the first and last event, inside coalescing epochs, and
// at random points. The reversed and mixed orders and the .evtx files are generated here from the
// fixtures.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { securityChunks, writeEvtx } from '../bench/evtx-files.mjs';
import { watchBlocks, type BlockEvent, type WatchOptions, type WfpBlocksError } from '../dist/index.js';
import { fixture, fixtureFiles, tempDir } from './helpers';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** What identifies a delivered event: a record (or a fold of records) of one host. */
const key = (e: BlockEvent) =>
  [e.computer, e.recordId, e.system.timeCreated, e.eventId, JSON.stringify(e.data), e.count ?? '', e.lastTime?.getTime() ?? ''].join('|');

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Seeded, so a failure can be reproduced. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

// The inputs, each as the files it consists of (made once, in a temporary folder).
const dir = tempDir();
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};
const renumber = (records: string[], first: number) =>
  records.map((l, i) => l.replace(/<EventRecordID>\d+</, `<EventRecordID>${first + i}<`));
const host = lines(fixture('otrf-f2bb3e18.xml')); // one host, 2,813 records of 5154/5156/5158
const mixedSources = ['otrf-3cd7fdd4.xml', 'otrf-66ceacfa.xml', 'otrf-ec197b14.xml', 'otrf-38307ea2.xml', 'text-DigitalRuby.xml'].map((f) =>
  lines(fixture(f)),
);
const mixed: string[] = [];
for (let i = 0; mixedSources.some((s) => i < s.length); i++) for (const s of mixedSources) if (i < s.length) mixed.push(s[i]);

// .evtx files built from real chunks (the only real .evtx WFP records are one chunk's three): each
// file holds that chunk three times between chunks of other Security logs (other hosts' 4719s and
// more, none delivered), every record renumbered so that the files follow each other.
const CHUNK = 65536;
const wfpChunk = gunzipSync(
  readFileSync(path.join(__dirname, 'fixtures', 'evtx', 'omerbenamram-evtx--Security_short_selected.evtx.gz')),
).subarray(4096, 4096 + CHUNK);
const otherChunks = securityChunks().filter((c: Buffer) => !c.equals(wfpChunk));
let nextRecordId = 1n;
const evtx = (name: string, others: number[]) => {
  const file = path.join(dir, name);
  const chunks = [wfpChunk, ...others.flatMap((i) => [otherChunks[i], wfpChunk])];
  nextRecordId += BigInt(writeEvtx(file, chunks, chunks.length, nextRecordId));
  return file;
};
const evtxFiles = [
  evtx('Archive-Security-1.evtx', [0, 20]),
  evtx('Archive-Security-2.evtx', [10, 18]),
  evtx('Archive-Security-3.evtx', [19, 5]),
];

const INPUTS: Record<string, string[]> = {
  '.evtx files, oldest first': evtxFiles,
  '.evtx files, newest first': [...evtxFiles].reverse(),
  'one .evtx file': [evtxFiles[1]],
  '.evtx and XML of several hosts': [evtxFiles[0], write('mixed-hosts.xml', `${mixed.join('\n')}\n`), evtxFiles[2]],
  'every fixture file (several hosts)': fixtureFiles(),
  'one host, newest first': [write('newest-first.xml', `${[...host].reverse().join('\n')}\n`)],
  'several hosts mixed': [write('mixed.xml', `${mixed.join('\n')}\n`)],
  'record IDs that restart (cleared between exports)': [
    write('before-clear.xml', `${renumber(lines(fixture('otrf-2476ad98.xml')), 1).join('\n')}\n`),
    write('after-clear.xml', `${renumber(lines(fixture('otrf-99a6e234.xml')), 1).join('\n')}\n`),
  ],
  'firewall logs beside event XML': [
    ...['BetaHydri-pfirewall.log', 'plaso-windows_firewall.log', 'crowdsec-windows-firewall.log'].map((f) =>
      path.join(__dirname, 'fixtures', 'fwlog', f),
    ),
    fixture('otrf-c82254a8.xml'),
  ],
  'files concatenated': [
    write(
      'concatenated.xml',
      ['otrf-c82254a8.xml', 'evtx-omerbenamram-evtx.xml', 'otrf-c82254a8.xml'].map((f) => readFileSync(fixture(f), 'utf8')).join(''),
    ),
  ],
};

type Source = 'files' | 'stream' | 'follow';
type Style = 'listener' | 'iterator' | 'close-in-loop' | 'pause';

function sourceOption(source: Source, files: string[]): WatchOptions['source'] {
  if (source === 'stream') {
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
    return { replay: Readable.from(chunks) };
  }
  return { replay: files, follow: source === 'follow' };
}

interface Run {
  keys: string[];
  bookmark: string | null;
  errors: WfpBlocksError[];
  afterClose: number;
}

/**
 * One run that stops after `stopAfter` events (never, with Infinity) in the given style. Follow mode
 * never ends by itself: it is closed once `expected` events came and a moment passed without more.
 */
async function run(options: WatchOptions, style: Style, stopAfter: number, expected = Infinity): Promise<Run> {
  const watcher = watchBlocks(options);
  const out: Run = { keys: [], bookmark: null, errors: [], afterClose: 0 };
  watcher.on('error', (e) => out.errors.push(e));
  const follow = typeof options.source === 'object' && 'follow' in options.source && options.source.follow;
  let quiet: NodeJS.Timeout | undefined;
  const settle = () => {
    if (!follow || out.keys.length < expected) return;
    clearTimeout(quiet);
    quiet = setTimeout(() => void watcher.close(), 150);
  };
  if (follow) setTimeout(settle, 300);
  if (style === 'iterator' || style === 'close-in-loop') {
    let closed = false;
    for await (const e of watcher) {
      if (closed) out.afterClose++;
      out.keys.push(key(e));
      settle();
      if (out.keys.length === stopAfter) {
        if (style === 'iterator') break;
        await watcher.close();
        closed = true;
      }
    }
  } else {
    const rand = random(stopAfter);
    let closed = false;
    watcher.on('block', (e) => {
      if (closed) out.afterClose++;
      out.keys.push(key(e));
      settle();
      if (out.keys.length === stopAfter) {
        closed = true;
        void watcher.close();
      } else if (style === 'pause' && rand() < 0.05) {
        watcher.pause();
        setImmediate(() => watcher.resume());
      }
    });
    await new Promise((resolve) => watcher.once('close', resolve));
  }
  clearTimeout(quiet);
  out.bookmark = watcher.bookmark;
  return out;
}

const full = new Map<string, string[]>();
async function fullRun(name: string, source: Source, extra: WatchOptions): Promise<string[]> {
  const id = `${name}|${source}|${JSON.stringify(extra)}`;
  if (!full.has(id)) {
    const files = INPUTS[name];
    const r = await run(
      { source: sourceOption(source === 'follow' ? 'files' : source, files), includeAllowed: true, ...extra },
      'listener',
      Infinity,
    );
    expect(r.errors.filter((e) => !e.recoverable)).toEqual([]);
    full.set(id, r.keys);
  }
  return full.get(id) as string[];
}

interface Counts {
  scenarios: number;
  cuts: number;
  compared: number;
}
const counts: Counts = { scenarios: 0, cuts: 0, compared: 0 };

async function checkCut(name: string, source: Source, style: Style, extra: WatchOptions, cut: number) {
  const files = INPUTS[name];
  const expected = await fullRun(name, source, extra);
  const first = await run({ source: sourceOption(source, files), includeAllowed: true, ...extra }, style, cut);
  expect(first.afterClose, 'nothing after close()').toBe(0);
  const rest = expected.length - first.keys.length;
  const second = first.bookmark
    ? await run(
        { source: sourceOption(source, files), includeAllowed: true, ...extra, from: { bookmark: first.bookmark } },
        'listener',
        Infinity,
        rest,
      )
    : await run({ source: sourceOption(source, files), includeAllowed: true, ...extra }, 'listener', Infinity, rest);
  expect(
    second.errors.filter((e) => !e.recoverable),
    'the resumed run starts',
  ).toEqual([]);
  const both = multiset([...first.keys, ...second.keys]);
  const whole = multiset(expected);
  // Compare as multisets: what was lost, and what was repeated.
  const lost = [...whole].filter(([k, n]) => (both.get(k) ?? 0) < n).map(([k]) => k);
  const repeated = [...both].filter(([k, n]) => n > (whole.get(k) ?? 0)).map(([k]) => k);
  expect(
    { lost: lost.slice(0, 3), lostCount: lost.length, repeated: repeated.slice(0, 3), repeatedCount: repeated.length },
    `${name}, ${source}, ${style}, ${JSON.stringify(extra)}, cut after ${cut} of ${expected.length}`,
  ).toEqual({
    lost: [],
    lostCount: 0,
    repeated: [],
    repeatedCount: 0,
  });
  counts.cuts++;
  counts.compared += expected.length;
}

/** Where to cut a run of `total` events: first, last, and some at random. */
function cuts(total: number, seed: number, random_ = 3): number[] {
  const rand = random(seed);
  const out = new Set([1, total]);
  while (out.size < 2 + random_ && out.size < total) out.add(1 + Math.floor(rand() * total));
  return [...out].filter((c) => c >= 1 && c <= total);
}

describe('exactly once across a stop and a resume', () => {
  const sources: Record<string, Source[]> = {
    '.evtx files, oldest first': ['files', 'follow'],
    '.evtx files, newest first': ['files'],
    'one .evtx file': ['stream'],
    '.evtx and XML of several hosts': ['files'],
    'every fixture file (several hosts)': ['files', 'follow'],
    'one host, newest first': ['files', 'stream', 'follow'],
    'several hosts mixed': ['files', 'stream'],
    'record IDs that restart (cleared between exports)': ['files', 'follow'],
    'files concatenated': ['files', 'stream'],
    'firewall logs beside event XML': ['files', 'follow'],
  };
  const styles: Style[] = ['listener', 'iterator', 'close-in-loop', 'pause'];
  let seed = 1;
  for (const [name, list] of Object.entries(sources)) {
    for (const source of list) {
      for (const style of styles) {
        if (source === 'follow' && style !== 'listener' && style !== 'iterator') continue;
        const s = seed++;
        it(`${name}, ${source}, ${style}`, async () => {
          counts.scenarios++;
          const total = (await fullRun(name, source, {})).length;
          expect(total).toBeGreaterThanOrEqual(name === 'one .evtx file' ? 9 : 18);
          for (const cut of cuts(total, s, source === 'follow' ? 1 : 3)) await checkCut(name, source, style, {}, cut);
        }, 120_000);
      }
    }
  }

  // Coalescing: folds leave in epochs; a cut inside an epoch resumes that epoch, not the next.
  for (const name of [
    'one host, newest first',
    'several hosts mixed',
    'every fixture file (several hosts)',
    '.evtx and XML of several hosts',
  ]) {
    for (const style of ['listener', 'iterator'] as Style[]) {
      for (const coalesce of [{ windowMs: 60_000 }, { windowMs: 5_000, maxHeld: 7 }]) {
        const s = seed++;
        it(`${name}, files, ${style}, coalesce ${JSON.stringify(coalesce)}`, async () => {
          counts.scenarios++;
          const extra = { coalesce };
          const total = (await fullRun(name, 'files', extra)).length;
          expect(total).toBeGreaterThan(3);
          for (const cut of cuts(total, s, 5)) await checkCut(name, 'files', style, extra, cut);
        }, 120_000);
      }
    }
  }

  it('counts what it compared', () => {
    expect(counts.scenarios).toBeGreaterThanOrEqual(40);
    expect(counts.cuts).toBeGreaterThanOrEqual(150);
    console.log(`exactly-once: ${counts.scenarios} scenarios, ${counts.cuts} cut points, ${counts.compared} events compared`);
  });
});

describe('exactly once for change events: a bookmark taken in their listeners', () => {
  // Blocks of one host with the firewall's rule changes (its own log's and the Security log's) between
  // them, then an .evtx file whose 4719s are audit policy changes: a watcher closed in the listener of
  // the k-th thing it delivers (block, rule change or policy change), for every k, and resumed from the
  // bookmark it gave, delivers across both runs what one run delivers. (With coalescing, a change read
  // while folds are held may come again: README, Coalescing.)
  const blocks = lines(fixture('otrf-50c132c2.xml'));
  const changes = ['text-EricZimmerman-firewall.xml', 'text-msdocs-mpssvc-wfp.xml'].flatMap((f) => lines(fixture(path.join('changes', f))));
  const interleaved = blocks.flatMap((b, i) => (i % 4 === 3 && changes[(i - 3) / 4] ? [b, changes[(i - 3) / 4]] : [b]));
  const evtx = path.join(dir, 'velocidex-security.evtx');
  writeFileSync(evtx, gunzipSync(readFileSync(path.join(__dirname, 'fixtures', 'evtx', 'Velocidex-evtx--Security.evtx.gz'))));
  const source = { replay: [write('blocks-and-changes.xml', `${interleaved.join('\n')}\n`), evtx] };

  function run(from: WatchOptions['from'], stopAt: number): Promise<{ keys: string[]; bookmark: string | null }> {
    const w = watchBlocks({ source, includeAllowed: true, includeChanges: true, ...(from ? { from } : {}) });
    const keys: string[] = [];
    return new Promise((resolve) => {
      const delivered = (k: string) => {
        keys.push(k);
        if (keys.length === stopAt) {
          const bookmark = w.bookmark;
          void w.close().then(() => resolve({ keys, bookmark }));
        }
      };
      w.on('block', (e) => delivered(`block|${key(e)}`));
      w.on('ruleChange', (c) => delivered(`rule|${c.channel}|${c.recordId}|${c.eventId}`));
      w.on('policyChange', (c) => delivered(`policy|${c.recordId}|${c.subcategoryGuid}`));
      w.once('close', () => resolve({ keys, bookmark: w.bookmark }));
    });
  }

  it('at every cut, nothing lost or repeated', async () => {
    const all = await run(undefined, 0);
    const kinds = multiset(all.keys.map((k) => k.split('|')[0]));
    expect(Object.fromEntries(kinds)).toEqual({ block: 77, rule: 17, policy: 14 });
    for (let cut = 1; cut <= all.keys.length; cut++) {
      const first = await run(undefined, cut);
      expect(first.keys.length, `cut ${cut}`).toBe(cut);
      const rest = await run({ bookmark: first.bookmark! }, 0);
      expect(multiset([...first.keys, ...rest.keys]), `cut ${cut}: ${all.keys[cut - 1]}`).toEqual(multiset(all.keys));
    }
  });
});

describe('exactly once when files are renamed or rotated between the runs', () => {
  const records = renumber(lines(fixture('otrf-2476ad98.xml')), 1); // 406 records, one host
  const half = records.slice(0, 200);
  const more = records.slice(200);

  async function firstHalf(file: string, stop: number) {
    const r = await run({ source: { replay: file }, includeAllowed: true }, 'listener', stop);
    expect(r.bookmark).not.toBeNull();
    return r;
  }

  it('a renamed file is found by its first bytes', async () => {
    const d = tempDir();
    const file = path.join(d, 'security.xml');
    writeFileSync(file, `${records.join('\n')}\n`);
    const first = await firstHalf(file, 150);
    const renamed = path.join(d, 'Archive-Security-2026-11-30.xml');
    renameSync(file, renamed);
    const second = await run(
      { source: { replay: renamed }, includeAllowed: true, from: { bookmark: first.bookmark as string } },
      'listener',
      Infinity,
    );
    expect(second.errors).toEqual([]);
    expect(first.keys.length + second.keys.length).toBe(records.length);
    expect(new Set([...first.keys, ...second.keys]).size).toBe(records.length);
  });

  it('rotated by rename (security.xml -> security.xml.1, a new security.xml): the rest of the old, all of the new', async () => {
    const d = tempDir();
    const file = path.join(d, 'security.xml');
    writeFileSync(file, `${half.join('\n')}\n`);
    const first = await firstHalf(file, 120);
    renameSync(file, `${file}.1`);
    writeFileSync(file, `${more.join('\n')}\n`);
    const second = await run(
      { source: { replay: [`${file}.1`, file] }, includeAllowed: true, from: { bookmark: first.bookmark as string } },
      'listener',
      Infinity,
    );
    expect(second.errors).toEqual([]);
    expect([...first.keys, ...second.keys].length).toBe(records.length);
    expect(new Set([...first.keys, ...second.keys]).size).toBe(records.length);
  });

  it('rotated by copytruncate: the copy has the old records, the truncated file is new', async () => {
    const d = tempDir();
    const file = path.join(d, 'security.xml');
    writeFileSync(file, `${half.join('\n')}\n`);
    const first = await firstHalf(file, 77);
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    appendFileSync(file, `${more.join('\n')}\n`);
    const second = await run(
      { source: { replay: [file, `${file}.1`] }, includeAllowed: true, from: { bookmark: first.bookmark as string } },
      'listener',
      Infinity,
    );
    expect(second.errors).toEqual([]);
    expect(multiset([...first.keys, ...second.keys])).toEqual(multiset(await fullOf([`${file}.1`, file])));
  });

  it('deleted and recreated: the records that were only in the deleted file are reported missing, not skipped silently', async () => {
    const d = tempDir();
    const file = path.join(d, 'security.xml');
    writeFileSync(file, `${half.join('\n')}\n`);
    const first = await firstHalf(file, 60);
    rmSync(file);
    writeFileSync(file, `${more.join('\n')}\n`);
    const second = await run(
      { source: { replay: file }, includeAllowed: true, from: { bookmark: first.bookmark as string } },
      'listener',
      Infinity,
    );
    expect(second.keys).toEqual([]);
    expect(second.errors.map((e) => [e.code, e.recoverable])).toEqual([['ERR_BOOKMARK_INPUT', false]]);
    expect(second.errors[0].message).toMatch(/input 1 of the bookmark .* is not among the inputs/);
  });

  it('an input that was read to its end may be gone', async () => {
    const d = tempDir();
    const a = path.join(d, 'a.xml');
    const b = path.join(d, 'b.xml');
    writeFileSync(a, `${half.join('\n')}\n`);
    writeFileSync(b, `${more.join('\n')}\n`);
    const first = await run({ source: { replay: [a, b] }, includeAllowed: true }, 'listener', half.length + 10);
    rmSync(a);
    const second = await run(
      { source: { replay: [b] }, includeAllowed: true, from: { bookmark: first.bookmark as string } },
      'listener',
      Infinity,
    );
    expect(second.errors).toEqual([]);
    expect(first.keys.length + second.keys.length).toBe(records.length);
  });

  async function fullOf(files: string[]) {
    return (await run({ source: { replay: files }, includeAllowed: true }, 'listener', Infinity)).keys;
  }
});

describe('exactly once when a followed file is rotated while it is followed', () => {
  // Each content the path holds is an input of its own (announced by its first bytes when first read),
  // so a bookmark taken after the rotation resumes the old content and the new one each where it was.
  const records = renumber(lines(fixture('otrf-2476ad98.xml')), 1);
  const A = records.slice(0, 5);
  const B = records.slice(5, 10);
  const total = A.length + B.length;
  type Rotation = { name: string; rotate: (file: string) => void; resumeFiles: (file: string) => string[] };
  const ROTATIONS: Rotation[] = [
    {
      name: 'rename and create',
      rotate: (file) => {
        renameSync(file, `${file}.1`);
        writeFileSync(file, `${B.join('\n')}\n`);
      },
      resumeFiles: (file) => [`${file}.1`, file],
    },
    {
      name: 'copytruncate',
      rotate: (file) => {
        copyFileSync(file, `${file}.1`);
        truncateSync(file, 0);
        appendFileSync(file, `${B.join('\n')}\n`);
      },
      resumeFiles: (file) => [`${file}.1`, file],
    },
    {
      // The old content is gone: a bookmark resumes only once the reader saw it end.
      name: 'delete and create',
      rotate: (file) => {
        rmSync(file);
        writeFileSync(file, `${B.join('\n')}\n`);
      },
      resumeFiles: (file) => [file],
    },
  ];

  /** Follows `file`, rotates it once `rotateAt` events came, stops after `stopAfter` (listener or loop). */
  async function firstRun(file: string, rotation: Rotation, rotateAt: number, stopAfter: number, iterator: boolean) {
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true, highWaterMark: 2 });
    const out: Run = { keys: [], bookmark: null, errors: [], afterClose: 0 };
    watcher.on('error', (e) => out.errors.push(e));
    let closed = false;
    const take = (e: BlockEvent) => {
      if (closed) out.afterClose++;
      out.keys.push(key(e));
      if (out.keys.length === rotateAt) rotation.rotate(file);
      return out.keys.length === stopAfter;
    };
    if (iterator) {
      for await (const e of watcher) if (take(e)) break;
    } else {
      watcher.on('block', (e) => {
        if (take(e)) {
          closed = true;
          void watcher.close();
        }
      });
      await new Promise((resolve) => watcher.once('close', resolve));
    }
    out.bookmark = watcher.bookmark;
    return out;
  }

  let reference: string[] | undefined; // the keys of one uninterrupted read of both contents
  const referenceKeys = async () => {
    reference ??= (
      await run(
        {
          source: { replay: [write('rot-old.xml', `${A.join('\n')}\n`), write('rot-new.xml', `${B.join('\n')}\n`)] },
          includeAllowed: true,
        },
        'listener',
        Infinity,
      )
    ).keys;
    return reference;
  };

  for (const rotation of ROTATIONS) {
    for (const rotateAt of [1, A.length]) {
      it(`${rotation.name} after ${rotateAt} of ${A.length} old records: a stop at every later point resumes with nothing lost or repeated`, async () => {
        const whole = await referenceKeys();
        expect(whole.length).toBe(total);
        let cutsChecked = 0;
        for (let cut = rotateAt; cut <= total; cut++) {
          // (Deleted before the reader saw its end, a followed file might have held more: resuming it
          // is the ERR_BOOKMARK_INPUT of the test above. Once the new content is read, it had ended.)
          if (rotation.name === 'delete and create' && cut <= A.length) continue;
          const file = path.join(tempDir(), 'security.xml');
          writeFileSync(file, `${A.join('\n')}\n`);
          const first = await firstRun(file, rotation, rotateAt, cut, cut % 2 === 0);
          expect(first.afterClose, 'nothing after close()').toBe(0);
          expect(first.errors, `first run, cut ${cut}`).toEqual([]);
          expect(first.keys.length).toBe(cut);
          const second = await run(
            {
              source: { replay: rotation.resumeFiles(file), follow: true },
              includeAllowed: true,
              from: { bookmark: first.bookmark as string },
            },
            'listener',
            Infinity,
            total - cut,
          );
          expect(second.errors, `resumed run, cut ${cut}`).toEqual([]);
          expect({ cut, keys: [...first.keys, ...second.keys].sort() }).toEqual({ cut, keys: [...whole].sort() });
          cutsChecked++;
        }
        expect(cutsChecked).toBe(total - Math.max(rotateAt, rotation.name === 'delete and create' ? A.length + 1 : 0) + 1);
      }, 120_000);
    }
  }
});

describe('a kill -9 between batches', () => {
  const SCRIPT = path.join(__dirname, 'lifecycle', 'persist-bookmark.cjs');
  const outKeys = (out: string) =>
    readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => JSON.parse(l).keys as string[]);

  for (const coalesce of ['', '60000']) {
    it(`a child that persists its bookmark after every batch, killed at random${coalesce ? ', coalescing' : ''}, resumes with nothing lost or repeated`, async () => {
      const out = path.join(tempDir(), 'out.ndjson');
      const rand = random(coalesce ? 7 : 3);
      let kills = 0;
      for (let attempt = 0; attempt < 30; attempt++) {
        const child = spawn(process.execPath, [SCRIPT, out, coalesce], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        // Five kills at random points, then it may finish. A kill comes once the child has persisted a
        // batch of this run (then at a random moment within the next ones), never by the clock alone:
        // a fast machine would otherwise finish before the first kill.
        const sizeAtStart = existsSync(out) ? statSync(out).size : 0;
        let killAt: NodeJS.Timeout | undefined;
        const watch =
          kills < 5
            ? setInterval(() => {
                if (killAt || !existsSync(out) || statSync(out).size <= sizeAtStart) return;
                killAt = setTimeout(() => child.kill('SIGKILL'), rand() * 150);
              }, 5)
            : undefined;
        const code = await exited;
        clearInterval(watch);
        clearTimeout(killAt);
        if (code === 0) {
          expect(stderr).toBe('');
          break;
        }
        kills++;
      }
      expect(kills).toBeGreaterThanOrEqual(2);
      const expected = (
        await run(
          { source: { replay: fixtureFiles() }, includeAllowed: true, ...(coalesce ? { coalesce: { windowMs: 60000 } } : {}) },
          'listener',
          Infinity,
        )
      ).keys.map((k) => k.split('|').slice(0, 3).join('|'));
      const got = outKeys(out).map((k) => k.split('|').slice(0, 3).join('|'));
      expect(got.length).toBe(expected.length);
      expect(multiset(got)).toEqual(multiset(expected));
    }, 120_000);
  }
});

describe('bad bookmarks: a typed error that says which, before anything is read', () => {
  const file = fixture('otrf-50c132c2.xml');
  let good = '';
  it('takes a good one first', async () => {
    good = (await run({ source: { replay: file }, includeAllowed: true }, 'listener', 10)).bookmark as string;
    expect(JSON.parse(good).inputs).toHaveLength(1);
  });
  const cases: Array<[string, () => string, RegExp]> = [
    [
      'forged',
      () => '{"wfpBlocks":1,"source":"files","inputs":[{"name":"x","headLength":4096,"headHash":"zz","offset":"1","done":false}]}',
      /its input 1 is not a position/,
    ],
    ['truncated', () => good.slice(0, good.length / 2), /cut short/],
    [
      'from a live log',
      () => "<BookmarkList><Bookmark Channel='Security' RecordId='5' IsCurrent='true'/></BookmarkList>",
      /a live log's bookmark/,
    ],
    [
      'for another log',
      () => `{"wfpBlocks":1,"source":"eventlog","bookmark":"<BookmarkList><Bookmark Channel='System' RecordId='5'/></BookmarkList>"}`,
      /from a 'eventlog' source/,
    ],
    ['not a string', () => 42 as unknown as string, /not a non-empty string/],
    [
      'a record ID of 2^64',
      () => "<BookmarkList><Bookmark Channel='Security' RecordId='18446744073709551616'/></BookmarkList>",
      /a live log's bookmark/,
    ],
    ['huge', () => `${'<Bookmark '.repeat(200_000)}`, /longer than/],
  ];
  for (const [what, bookmark, message] of cases) {
    it(what, () => {
      expect(() => watchBlocks({ source: { replay: file }, from: { bookmark: bookmark() } })).toThrow(message);
    });
  }
  it('mutated bookmarks: each is read or refused with a WfpOptionError, never anything else', () => {
    const rand = random(99);
    const samples = [good, "<BookmarkList><Bookmark Channel='Security' RecordId='5' IsCurrent='true'/></BookmarkList>"];
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      let b = samples[i % 2];
      for (let m = 1 + Math.floor(rand() * 4); m > 0; m--) {
        const at = Math.floor(rand() * b.length);
        const op = rand();
        if (op < 0.3) b = b.slice(0, at) + b.slice(at + 1);
        else if (op < 0.6) b = b.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + b.slice(at + 1);
        else if (op < 0.8) b = b.slice(0, at) + b.slice(at, at + 20) + b.slice(at);
        else b = b.slice(0, at);
      }
      const source = b.startsWith('<') ? 'eventlog' : { replay: file };
      try {
        watchBlocks({ source: source as never, from: { bookmark: b }, audit: 'ignore' }).close();
      } catch (e) {
        expect((e as { code?: string }).code, b).toBe('ERR_INVALID_OPTION');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('pointing past the end of its input', async () => {
    const d = tempDir();
    const copy = path.join(d, 'short.xml');
    writeFileSync(copy, readFileSync(file));
    const b = (await run({ source: { replay: copy }, includeAllowed: true }, 'listener', 70)).bookmark as string;
    const tail = JSON.parse(b);
    tail.inputs[0].offset = String(Number(tail.inputs[0].offset) * 10);
    const r = await run({ source: { replay: copy }, includeAllowed: true, from: { bookmark: JSON.stringify(tail) } }, 'listener', Infinity);
    expect(r.errors.map((e) => e.code)).toEqual(['ERR_BOOKMARK_INPUT']);
    expect(r.errors[0].message).toMatch(/points past the end/);
  });
  it('naming an input that is not there', async () => {
    const r = await run(
      { source: { replay: fixture('otrf-0a937906.xml') }, includeAllowed: true, from: { bookmark: good } },
      'listener',
      Infinity,
    );
    expect(r.keys).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.recoverable])).toEqual([['ERR_BOOKMARK_INPUT', false]]);
  });
  it('a live-log bookmark with a record ID of 2^64 - 1 keeps every digit', () => {
    // The live sources are Windows only; the option is still read and checked here.
    const max = "<BookmarkList><Bookmark Channel='Security' RecordId='18446744073709551615' IsCurrent='true'/></BookmarkList>";
    expect(() => watchBlocks({ source: 'eventlog', from: { bookmark: max } }).close()).not.toThrow();
    expect(() => watchBlocks({ source: 'eventlog', from: { bookmark: max.replace('615', '616') } })).toThrow(/is not a record ID/);
  });
});

describe("iterator and abort semantics, as Node's own", () => {
  const file = fixture('otrf-f2bb3e18.xml');
  it('an abort ends a loop with an AbortError whose cause is the reason, also when already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    let n = 0;
    const loop = async () => {
      for await (const _ of watchBlocks({ source: { replay: file }, includeAllowed: true, signal: controller.signal })) {
        void _;
        if (++n === 5) controller.abort(reason);
      }
    };
    await expect(loop()).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: reason });
    expect(n).toBe(5);
    const already = async () => {
      for await (const _ of watchBlocks({ source: { replay: file }, signal: AbortSignal.abort(reason) })) void _;
    };
    await expect(already()).rejects.toMatchObject({ name: 'AbortError', cause: reason });
  });

  it('the only input missing ends the loop with that error; with several, the rest are read', async () => {
    const missing = path.join(tempDir(), 'nope.xml');
    const only = async () => {
      for await (const _ of watchBlocks({ source: { replay: missing } })) void _;
    };
    await expect(only()).rejects.toMatchObject({ code: 'ERR_FILE_NOT_FOUND', recoverable: false });
    const events: BlockEvent[] = [];
    const w = watchBlocks({ source: { replay: [missing, fixture('evtx-omerbenamram-evtx.xml')] } });
    const errors: WfpBlocksError[] = [];
    w.on('error', (e) => errors.push(e));
    for await (const e of w) events.push(e);
    expect(events).toHaveLength(3);
    expect(errors.map((e) => [e.code, e.recoverable])).toEqual([['ERR_FILE_NOT_FOUND', true]]);
  });

  it('a 64-bit record ID survives the round trip as decimal text', async () => {
    const big = lines(fixture('evtx-omerbenamram-evtx.xml'))[0].replace(/<EventRecordID>\d+</, '<EventRecordID>18446744073709551615<');
    const f = path.join(tempDir(), 'big.xml');
    writeFileSync(f, `${big}\n`);
    const events: BlockEvent[] = [];
    for await (const e of watchBlocks({ source: { replay: f } })) events.push(e);
    expect(events.map((e) => e.recordId)).toEqual(['18446744073709551615']);
  });
});
