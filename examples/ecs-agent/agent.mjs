#!/usr/bin/env node
// A small agent: watches WFP blocks, writes them as ECS NDJSON to a rotating file that Filebeat,
// Elastic Agent or an OpenTelemetry Collector reads as it grows, and persists a bookmark so that a
// restart neither loses nor repeats an event. See README.md beside this file.
//
//   node agent.mjs --out DIR [--state FILE] [--max-bytes N] [--keep N] [--include-allowed] [--replay FILE]
//
// On Windows it watches the live Security log (elevated, with auditing on). --replay follows an
// exported log file instead (any OS), which is how its restart test runs on Linux.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toEcs, watchBlocks } from 'wfp-blocks';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    state: { type: 'string' },
    'max-bytes': { type: 'string', default: String(50 * 1024 * 1024) },
    keep: { type: 'string', default: '5' },
    'include-allowed': { type: 'boolean', default: false },
    replay: { type: 'string' },
  },
});
if (!args.out) {
  process.stderr.write('usage: agent.mjs --out DIR [--state FILE] [--max-bytes N] [--keep N] [--include-allowed] [--replay FILE]\n');
  process.exit(2);
}
const outFile = path.join(args.out, 'wfp-blocks.ndjson');
const stateFile = args.state ?? path.join(args.out, 'wfp-blocks.state.json');
const maxBytes = Number(args['max-bytes']);
const keep = Number(args.keep);

/** The bookmark of the last event written, persisted with an atomic rename. */
function loadBookmark() {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')).bookmark ?? null;
  } catch {
    return null;
  }
}
function saveBookmark(bookmark) {
  writeFileSync(`${stateFile}.tmp`, `${JSON.stringify({ bookmark, savedAt: new Date().toISOString() })}\n`);
  renameSync(`${stateFile}.tmp`, stateFile);
}

/**
 * The record ID of the last event in the output. A crash between writing events and saving the
 * bookmark leaves the file ahead of the bookmark; events up to this ID are then skipped, not repeated.
 */
function lastWrittenRecordId() {
  for (const file of [outFile, `${outFile}.1`]) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean);
    if (lines.length === 0) continue;
    return Number(JSON.parse(lines[lines.length - 1]).winlog.record_id);
  }
  return 0;
}

// Size-based rotation: wfp-blocks.ndjson -> .1 -> .2 ... -> .<keep>; the collector follows the name.
let fd = openSync(outFile, 'a');
function rotateIfNeeded() {
  if (fstatSync(fd).size < maxBytes) return;
  closeSync(fd);
  for (let i = keep - 1; i >= 1; i--) if (existsSync(`${outFile}.${i}`)) renameSync(`${outFile}.${i}`, `${outFile}.${i + 1}`);
  renameSync(outFile, `${outFile}.1`);
  fd = openSync(outFile, 'a');
}

const bookmark = loadBookmark();
const skipUpTo = lastWrittenRecordId();
const watcher = watchBlocks({
  source: args.replay ? { replay: args.replay, follow: true } : 'eventlog',
  from: bookmark ? { bookmark } : args.replay ? 'oldest' : 'now',
  includeAllowed: args['include-allowed'],
});

let pending = [];
let lastBookmark = bookmark;
// Written once per turn of the event loop: one write and one bookmark save per batch of events.
function flush() {
  if (pending.length === 0) return;
  writeSync(fd, pending.join(''));
  pending = [];
  saveBookmark(lastBookmark);
  rotateIfNeeded();
}
watcher.on('block', (event) => {
  lastBookmark = watcher.bookmark;
  if (event.recordId <= skipUpTo) return;
  if (pending.length === 0) setImmediate(flush);
  pending.push(`${JSON.stringify(toEcs(event))}\n`);
});
watcher.on('error', (error) => process.stderr.write(`agent: ${error.message}\n`));
watcher.on('gap', (gap) => process.stderr.write(`agent: gap: ${gap.message}\n`));
watcher.on('audit', (status) => {
  if (status.status !== 'on') process.stderr.write(`agent: auditing is ${status.status}; Windows may write no block events\n`);
});
watcher.on('close', () => {
  flush();
  closeSync(fd);
  process.exitCode = 0;
});

const stop = () => void watcher.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.stderr.write(`agent: writing ${outFile}${bookmark ? ', resuming after the saved bookmark' : ''}\n`);
