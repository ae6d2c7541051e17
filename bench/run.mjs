#!/usr/bin/env node
// `npm run bench [-- --json]`: what a watcher costs, measured on the real fixture records repeated to
// 1,000,000 (record IDs renumbered), compared in the same run with the pipeline a user would write
// without this library. Each figure comes from its own child process, so memory and CPU are its own.
// Prints a summary, or with --json one line with every figure. Not a test: nothing here asserts.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  createWriteStream,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityChunks, writeEvtx } from './evtx-files.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'records');
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BASELINE_RECORDS = 50_000; // the plain pipeline is ~50x slower; its rate is steady long before 1M
const WFP_EVENT = /<EventID>(5031|515\d)<\/EventID>/;

/** The WFP records of every fixture file, one per line. */
function fixtureLines() {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .flatMap((f) => readFileSync(path.join(FIXTURES, f), 'utf8').split('\n'))
    .filter((line) => WFP_EVENT.test(line));
}

function renumber(line, id) {
  return line.replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${id}</EventRecordID>`);
}

async function writeRecords(file, count) {
  const lines = fixtureLines();
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${renumber(lines[i % lines.length], i + 1)}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

function child(mode, ...args) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---- child measurements ----------------------------------------------------------------------

const children = {
  /** File to a JS 'block' listener through the public API. Optionally slow for the first N events. */
  async throughput(file, expected, slowEvents = '0') {
    const { watchBlocks } = require(path.join(ROOT, 'dist', 'index.js'));
    const slow = Number(slowEvents);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let n = 0;
    const start = process.hrtime.bigint();
    const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
    watcher.on('block', () => {
      if (n++ < slow) Atomics.wait(pause, 0, 0, 1); // 1 ms per event
    });
    watcher.on('error', (e) => {
      throw e;
    });
    await new Promise((r) => watcher.once('close', r));
    const s = seconds(start);
    return { events: n, seconds: s, eventsPerSec: Math.round(n / s), peakRssMb: peakRssMb(), lost: Number(expected) - n };
  },

  /** The raw binding with an empty callback: how many JS calls, and the time without building objects. */
  async handoff(file, highWaterMark) {
    const binding = require('node-gyp-build')(ROOT);
    let calls = 0;
    let events = 0;
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      const options = { source: 'files', files: [file], follow: false, includeAllowed: true, highWaterMark: Number(highWaterMark) };
      options.kinds = ['connection', 'packet', 'listen', 'bind', 'accept', 'mac'];
      new binding.Watcher(options, (message) => {
        calls++;
        if (message.numbers) events += message.events;
        if (message.ended) resolve();
      });
    });
    return { calls, events, seconds: seconds(start) };
  },

  /** The pipeline a user would write: fast-xml-parser plus the same normalisation, in JavaScript. */
  async baseline(file) {
    const { expectedFor } = await import(path.join(ROOT, 'test', 'oracle.mjs'));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    let n = 0;
    const start = process.hrtime.bigint();
    for (const line of lines) if (expectedFor(line).expected) n++;
    const s = seconds(start);
    return { events: n, eventsPerSec: Math.round(n / s) };
  },

  /** The floor: creating the same objects in plain JS from values already parsed. */
  async floor(file) {
    const { watchBlocks } = require(path.join(ROOT, 'dist', 'index.js'));
    const sample = [];
    const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
    watcher.on('block', (e) => sample.push(e));
    await new Promise((r) => watcher.once('close', r));
    // Flatten to the values the hand-off carries, then time only the object building.
    const flat = sample.map((e) => ({ ...e, time: e.time.getTime(), keys: Object.keys(e.data), values: Object.values(e.data) }));
    const rounds = Math.max(1, Math.floor(RECORDS / flat.length));
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) {
      for (const v of flat) {
        const source = v.source && { address: v.source.address, port: v.source.port };
        const destination = v.destination && { address: v.destination.address, port: v.destination.port };
        const data = {};
        const { keys, values } = v;
        for (let i = 0; i < keys.length; i++) data[keys[i]] = values[i];
        const event = {
          eventId: v.eventId,
          recordId: v.recordId,
          time: new Date(v.time),
          computer: v.computer,
          version: v.version,
          action: v.action,
          kind: v.kind,
          direction: v.direction,
          protocol: v.protocol,
          protocolName: v.protocolName,
          pid: v.pid,
          application: v.application,
          source,
          destination,
          local: v.local === v.source ? source : destination,
          remote: v.remote === v.source ? source : destination,
          filterId: v.filterId,
          filterOrigin: v.filterOrigin,
          layerId: v.layerId,
          layerName: v.layerName,
          interfaceIndex: v.interfaceIndex,
          data,
        };
        sink += event.eventId;
      }
    }
    const s = seconds(start);
    return { eventsPerSec: Math.round((rounds * flat.length) / s), sink };
  },

  /** Follow mode at ~1,000 records/s: time from appending a record to its 'block' event. */
  async follow(dir, durationMs) {
    const { watchBlocks } = require(path.join(ROOT, 'dist', 'index.js'));
    const lines = fixtureLines();
    const file = path.join(dir, 'follow.xml');
    writeFileSync(file, '');
    const written = new Map();
    const latencies = [];
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
    watcher.on('block', (e) => {
      const at = written.get(e.recordId);
      if (at !== undefined) latencies.push(Number(process.hrtime.bigint() - at) / 1e6);
    });
    await new Promise((r) => setTimeout(r, 200)); // the thread is waiting on the empty file
    let id = 0;
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        // Catch up to 1 record per elapsed millisecond (timers fire every ~1 ms, not exactly).
        const due = Math.floor(Number(process.hrtime.bigint() - start) / 1e6);
        while (id < due) {
          id++;
          written.set(id, process.hrtime.bigint());
          appendFileSync(file, `${renumber(lines[id % lines.length], id)}\n`);
        }
        if (due >= Number(durationMs)) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    await new Promise((r) => setTimeout(r, 200));
    await watcher.close();
    latencies.sort((a, b) => a - b);
    return {
      records: id,
      delivered: latencies.length,
      ratePerSec: Math.round(id / (Number(durationMs) / 1000)),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  },

  /**
   * A broken input: a million empty `<Event/>` records, then one good one. How long until the first
   * problem arrives, how long the event loop was held up at worst, and peak memory.
   */
  async flood(dir) {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const { watchBlocks } = require(path.join(ROOT, 'dist', 'index.js'));
    const file = path.join(dir, 'flood.xml');
    const good = readFileSync(path.join(FIXTURES, 'evtx-omerbenamram-evtx.xml'), 'utf8').split('\n')[0];
    writeFileSync(file, `${'<Event/>\n'.repeat(1_000_000)}${good}\n`);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const start = process.hrtime.bigint();
    let firstProblemMs = null;
    let problems = 0;
    const watcher = watchBlocks({ source: { replay: file } });
    watcher.on('error', (e) => {
      if (firstProblemMs === null) firstProblemMs = Number(process.hrtime.bigint() - start) / 1e6;
      problems += e.repeated || 1;
    });
    await new Promise((r) => watcher.once('close', r));
    const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
    delay.disable();
    return { firstProblemMs, totalMs, problems, maxDelayMs: delay.max / 1e6, peakRssMb: peakRssMb() };
  },

  /** The CLI printing FORMAT for a file to /dev/null: the whole process, start to exit. */
  async cli(file, format, expected) {
    const start = process.hrtime.bigint();
    const out = require('node:fs').openSync('/dev/null', 'w');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'replay', '-a', '-o', format, file], {
      stdio: ['ignore', out, 'pipe'],
    });
    const s = seconds(start);
    if (r.status !== 0) throw new Error(`wfp-blocks replay -o ${format} failed: ${r.stderr}`);
    return { format, seconds: s, eventsPerSec: Math.round(Number(expected) / s) };
  },

  /** CPU used by an open follow-mode watcher while nothing arrives. */
  async idle(dir, durationMs) {
    const { watchBlocks } = require(path.join(ROOT, 'dist', 'index.js'));
    const file = path.join(dir, 'idle.xml');
    writeFileSync(file, readFileSync(path.join(FIXTURES, 'evtx-omerbenamram-evtx.xml')));
    const watcher = watchBlocks({ source: { replay: file, follow: true } });
    await new Promise((r) => watcher.once('block', r));
    await new Promise((r) => setTimeout(r, 500));
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, Number(durationMs)));
    const used = process.cpuUsage(before);
    await watcher.close();
    return { cpuPct: ((used.user + used.system) / 1000 / Number(durationMs)) * 100 };
  },
};

// ---- orchestration -----------------------------------------------------------------------------

function nativeStages(...args) {
  const build = path.join(ROOT, '.bench');
  execFileSync('cmake', ['-S', ROOT, '-B', build, '-DWFP_BENCH=ON', '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', build, '--target', 'bench_reader'], { stdio: 'ignore' });
  return JSON.parse(execFileSync(path.join(build, 'bench_reader'), args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/** A whole process, timed from outside: its seconds, stdout to `out` (a file) or nowhere. */
function timed(command, args, out) {
  const fd = out ? openSync(out, 'w') : 'ignore';
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 << 20 });
  const s = seconds(start);
  if (out) closeSync(fd);
  if (r.error) throw r.error;
  // evtxexport stops with status 1 at a record it cannot read; the others must succeed.
  if (r.status !== 0 && command !== 'evtxexport') throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  return { seconds: s, status: r.status, stderr: String(r.stderr) };
}

const WATCH_SCRIPT = `
  const { watchBlocks } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
  let n = 0;
  const w = watchBlocks({ source: { replay: process.argv[1] }, includeAllowed: true });
  w.on('block', () => n++);
  w.on('error', () => {});
  w.on('close', () => process.stdout.write(String(n)));`;
const TS_EVTX_SCRIPT = `
  import('@ts-evtx/core').then(async ({ EvtxFile }) => {
    const file = await EvtxFile.open(process.argv[1]);
    let n = 0;
    for (const record of file.records()) if (record.renderXml()) n++;
    process.stdout.write(String(n));
  });`;

/**
 * The .evtx figures: files built from real chunks of the repository's Security logs (bench/evtx-files.mjs),
 * each reader as a whole process on the same file. python-evtx and @ts-evtx/core read a few hundred
 * records a second, so they (and, for the same-file ratio, the others) also run on the file's first
 * 32 chunks; the 1 GB file checks that memory stays flat with a slow listener.
 */
function evtxFigures(dir) {
  const chunks = securityChunks();
  const big = path.join(dir, 'security-256m.evtx');
  const small = path.join(dir, 'security-2m.evtx');
  const huge = path.join(dir, 'security-1g.evtx');
  const records = writeEvtx(big, chunks, Number(process.env.BENCH_EVTX_CHUNKS ?? 4096));
  const smallRecords = writeEvtx(small, chunks, 32);
  const native = nativeStages('--evtx', big);
  const node = process.execPath;
  const rate = (n, t) => Math.round(n / t.seconds);
  const blocks = timed(node, ['-e', WATCH_SCRIPT, big]);
  const exportXml = timed(node, [path.join(ROOT, 'dist', 'cli.js'), 'export', big]);
  const exportJson = timed(node, [path.join(ROOT, 'dist', 'cli.js'), 'export', '--format', 'json', big]);
  const xml = path.join(dir, 'security-256m.xml');
  const libevtx = timed('evtxexport', ['-f', 'xml', big], xml);
  const xmlReplay = timed(node, ['-e', WATCH_SCRIPT, xml]);
  const onSmall = {
    wfpBlocksExport: timed(node, [path.join(ROOT, 'dist', 'cli.js'), 'export', small]),
    evtxexport: timed('evtxexport', ['-f', 'xml', small]),
    pythonEvtx: timed('/usr/bin/python3', ['/usr/bin/evtx_dump.py', small]),
    tsEvtx: timed(node, ['-e', TS_EVTX_SCRIPT, small]),
  };
  rmSync(xml, { force: true });
  // Flat memory: 1 GB with a listener taking 1 ms per event for its first 3,000 events.
  const hugeRecords = writeEvtx(huge, chunks, 16384);
  const fastHuge = child('throughput', huge, '0');
  const slowHuge = child('throughput', huge, String(fastHuge.events), '3000');
  const fastBig = child('throughput', big, '0');
  rmSync(huge, { force: true });
  const others = {
    evtxexport: rate(smallRecords, onSmall.evtxexport),
    pythonEvtx: rate(smallRecords, onSmall.pythonEvtx),
    tsEvtx: rate(smallRecords, onSmall.tsEvtx),
  };
  return {
    evtxRecords: records,
    evtxBytes: native.bytes,
    evtxNativeRecordsPerSec: native.recordsPerSec,
    evtxNativeRecordsPerCpuSec: native.recordsPerCpuSec,
    evtxNativeExportXmlRecordsPerSec: native.exportXmlRecordsPerSec,
    evtxNativeExportJsonRecordsPerSec: native.exportJsonRecordsPerSec,
    evtxBlocksRecordsPerSec: rate(records, blocks),
    evtxEvents: Number(fastBig.events),
    evtxExportXmlRecordsPerSec: rate(records, exportXml),
    evtxExportJsonRecordsPerSec: rate(records, exportJson),
    evtxexportRecordsPerSec: rate(records, libevtx),
    evtxXmlReplayRecordsPerSec: rate(records, xmlReplay),
    smallRecords,
    smallWfpBlocksExportRecordsPerSec: rate(smallRecords, onSmall.wfpBlocksExport),
    smallEvtxexportRecordsPerSec: others.evtxexport,
    smallPythonEvtxRecordsPerSec: others.pythonEvtx,
    smallTsEvtxRecordsPerSec: others.tsEvtx,
    ratioToFastestOther: Number((rate(records, exportXml) / Math.max(rate(records, libevtx), others.pythonEvtx, others.tsEvtx)).toFixed(1)),
    hugeRecords,
    evtxPeakRssMb: fastHuge.peakRssMb,
    evtxPeakRssSlowMb: slowHuge.peakRssMb,
    evtxPeakRss256mMb: fastBig.peakRssMb,
    evtxLost: slowHuge.lost,
  };
}

/**
 * The CLI's formats, each a whole process to /dev/null, and the native stage alone that writes the
 * machine formats (reader, normaliser, format; by CPU time).
 */
function formatFigures(big) {
  const formats = Object.fromEntries(['json', 'ecs', 'otel', 'table'].map((f) => [f, child('cli', big, f, String(RECORDS))]));
  return { formats, nativeFormats: nativeStages('--formats', big) };
}

async function main() {
  const json = process.argv.includes('--json');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wfp-blocks-bench-'));
  try {
    if (process.argv.includes('--evtx-only')) {
      process.stdout.write(`${JSON.stringify(evtxFigures(dir))}\n`);
      return;
    }
    const big = path.join(dir, 'records-1m.xml');
    const small = path.join(dir, 'records-baseline.xml');
    await writeRecords(big, RECORDS);
    if (process.argv.includes('--formats-only')) {
      process.stdout.write(`${JSON.stringify(formatFigures(big))}\n`);
      return;
    }
    await writeRecords(small, BASELINE_RECORDS);

    const native = nativeStages(big);
    const fast = child('throughput', big, String(RECORDS));
    const slow = child('throughput', big, String(RECORDS), '3000');
    const handoff = child('handoff', big, '2048');
    const singles = child('handoff', small, '1'); // one event per call: the cost of a call
    const batched = child('handoff', small, '2048');
    const baseline = child('baseline', small);
    const floor = child('floor', small);
    const { formats, nativeFormats } = formatFigures(big);
    const follow = child('follow', dir, '5000');
    const idle = child('idle', dir, '10000');
    const flood = child('flood', dir);

    const evtx = evtxFigures(dir);
    const figures = {
      eventsPerSec: fast.eventsPerSec,
      baselineEventsPerSec: baseline.eventsPerSec,
      nativeRecordsPerSec: native.recordsPerSec,
      nativeBatchRecordsPerSec: native.withBatchRecordsPerSec,
      netEventsPerSec: native.netEventsPerSec,
      netEventsWithBatchPerSec: native.netEventsWithBatchPerSec,
      floorEventsPerSec: floor.eventsPerSec,
      peakRssMb: fast.peakRssMb,
      peakRssSlowMb: slow.peakRssMb,
      lost: fast.lost + slow.lost,
      followP50Ms: Number(follow.p50.toFixed(3)),
      followP99Ms: Number(follow.p99.toFixed(3)),
      idleCpuPct: Number(idle.cpuPct.toFixed(3)),
      jsCallsPerEvent: Number((handoff.calls / handoff.events).toFixed(6)),
      ...evtx,
      floodFirstProblemMs: Number(flood.firstProblemMs.toFixed(1)),
      floodTotalMs: Math.round(flood.totalMs),
      floodMaxEventLoopDelayMs: Number(flood.maxDelayMs.toFixed(1)),
      floodPeakRssMb: flood.peakRssMb,
      cliJsonEventsPerSec: formats.json.eventsPerSec,
      cliEcsEventsPerSec: formats.ecs.eventsPerSec,
      cliOtelEventsPerSec: formats.otel.eventsPerSec,
      cliTableEventsPerSec: formats.table.eventsPerSec,
      nativeJsonEventsPerCpuSec: nativeFormats.jsonEventsPerCpuSec,
      nativeEcsEventsPerCpuSec: nativeFormats.ecsEventsPerCpuSec,
      nativeOtelEventsPerCpuSec: nativeFormats.otelEventsPerCpuSec,
    };
    const machine = {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      records: RECORDS,
    };
    const callUs = ((singles.seconds - batched.seconds) / (singles.calls - batched.calls)) * 1e6;
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...figures, machine })}\n`);
      return;
    }
    const us = (perSec) => (1e6 / perSec).toFixed(2);
    process.stdout.write(
      [
        `wfp-blocks benchmark: ${RECORDS.toLocaleString('en')} real records (${(native.bytes / 2 ** 20).toFixed(0)} MiB), ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
        `  end to end (file -> 'block' listener)  ${figures.eventsPerSec.toLocaleString('en')} events/s   ${us(figures.eventsPerSec)} us/event`,
        `  plain JS (fast-xml-parser + same map)  ${figures.baselineEventsPerSec.toLocaleString('en')} events/s   ratio ${(figures.eventsPerSec / figures.baselineEventsPerSec).toFixed(1)}x`,
        `  native reader + normaliser alone       ${figures.nativeRecordsPerSec.toLocaleString('en')} records/s  ${us(figures.nativeRecordsPerSec)} us/record`,
        `  ... + building the hand-off batches    ${figures.nativeBatchRecordsPerSec.toLocaleString('en')} records/s  ${us(figures.nativeBatchRecordsPerSec)} us/record`,
        `  net events -> BlockEvent (netevents)   ${figures.netEventsPerSec.toLocaleString('en')} events/s   ${us(figures.netEventsPerSec)} us/event`,
        `  ... + building the hand-off batches    ${figures.netEventsWithBatchPerSec.toLocaleString('en')} events/s   ${us(figures.netEventsWithBatchPerSec)} us/event`,
        `  hand-off without building objects      ${Math.round(handoff.events / handoff.seconds).toLocaleString('en')} events/s`,
        `  floor: building the objects in JS      ${figures.floorEventsPerSec.toLocaleString('en')} events/s   ${us(figures.floorEventsPerSec)} us/event`,
        `  JS calls per event                     ${figures.jsCallsPerEvent} (${handoff.calls} calls); one call costs ~${callUs.toFixed(1)} us`,
        `  peak RSS, fast listener                ${figures.peakRssMb} MB`,
        `  peak RSS, 1 ms/event for 3,000 events  ${figures.peakRssSlowMb} MB   lost ${figures.lost}`,
        `  follow latency at ${follow.ratePerSec}/s          p50 ${figures.followP50Ms} ms   p99 ${figures.followP99Ms} ms   (${follow.delivered}/${follow.records} delivered)`,
        `  idle follow watcher, 10 s              ${figures.idleCpuPct}% CPU`,
        `  flood of 1,000,000 bad records         first problem after ${figures.floodFirstProblemMs} ms of ${figures.floodTotalMs} ms; event loop held up ${figures.floodMaxEventLoopDelayMs} ms at most; peak RSS ${figures.floodPeakRssMb} MB (${flood.problems.toLocaleString('en')} problems counted)`,
        ...Object.values(formats).map(
          (f) =>
            `  wfp-blocks replay -o ${f.format.padEnd(5)} > /dev/null  ${f.eventsPerSec.toLocaleString('en')} events/s   (${f.seconds.toFixed(2)} s, whole process)`,
        ),
        `  native stage, read + format json/ecs/otel  ${figures.nativeJsonEventsPerCpuSec.toLocaleString('en')} / ${figures.nativeEcsEventsPerCpuSec.toLocaleString('en')} / ${figures.nativeOtelEventsPerCpuSec.toLocaleString('en')} events per CPU second`,
        `.evtx: ${evtx.evtxRecords.toLocaleString('en')} real Security records (${(evtx.evtxBytes / 2 ** 20).toFixed(0)} MiB), whole processes`,
        `  native .evtx stage (WFP/4719 decoded)  ${evtx.evtxNativeRecordsPerSec.toLocaleString('en')} records/s (${evtx.evtxNativeRecordsPerCpuSec.toLocaleString('en')} per CPU second)`,
        `  native export XML / JSON               ${evtx.evtxNativeExportXmlRecordsPerSec.toLocaleString('en')} / ${evtx.evtxNativeExportJsonRecordsPerSec.toLocaleString('en')} records/s`,
        `  wfp-blocks, 'block' listener           ${evtx.evtxBlocksRecordsPerSec.toLocaleString('en')} records/s (${evtx.evtxEvents} events)`,
        `  wfp-blocks XML replay of the same      ${evtx.evtxXmlReplayRecordsPerSec.toLocaleString('en')} records/s (evtxexport's XML)`,
        `  wfp-blocks export XML / JSON           ${evtx.evtxExportXmlRecordsPerSec.toLocaleString('en')} / ${evtx.evtxExportJsonRecordsPerSec.toLocaleString('en')} records/s`,
        `  evtxexport -f xml                      ${evtx.evtxexportRecordsPerSec.toLocaleString('en')} records/s`,
        `  first 32 chunks (${evtx.smallRecords} records): wfp-blocks export ${evtx.smallWfpBlocksExportRecordsPerSec}, evtxexport ${evtx.smallEvtxexportRecordsPerSec}, python-evtx ${evtx.smallPythonEvtxRecordsPerSec}, @ts-evtx/core ${evtx.smallTsEvtxRecordsPerSec} records/s`,
        `  export vs the fastest other reader     ${evtx.ratioToFastestOther}x`,
        `  peak RSS, 1 GB (${evtx.hugeRecords} records): fast ${evtx.evtxPeakRssMb} MB, 1 ms/event ${evtx.evtxPeakRssSlowMb} MB (256 MB file: ${evtx.evtxPeakRss256mMb} MB), lost ${evtx.evtxLost}`,
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, ...args] = process.argv;
  process.stdout.write(`${JSON.stringify(await children[mode](...args))}\n`);
} else {
  await main();
}
