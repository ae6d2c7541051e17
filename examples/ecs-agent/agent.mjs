#!/usr/bin/env node
// A small agent: watches WFP blocks, writes them as ECS NDJSON to a rotating file that Filebeat,
// Elastic Agent or an OpenTelemetry Collector reads as it grows, and persists a bookmark so that a
// restart neither loses nor repeats an event, whatever order the log is in and however the agent
// stopped (it resumes from its own output). See README.md beside this file.
//
//   node agent.mjs --out DIR [--state FILE] [--max-bytes N] [--keep N] [--include-allowed] [--replay FILE]
//
// On Windows it watches the live Security log (elevated, with auditing on). --replay follows an
// exported log file instead (any OS), which is how its restart test runs on Linux.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * The bookmark the output itself holds: the last document of every batch written carries the
 * watcher's bookmark after it (`wfp_blocks.bookmark`), and a batch is written with one write. After a
 * crash, whatever follows the last document that carries one (a batch cut short, a torn line) is cut
 * off and delivered again: the output is the one record of what was shipped.
 */
function resumeFromOutput() {
  for (const file of [outFile, `${outFile}.1`]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    let end = text.length;
    while (end > 0) {
      const start = text.lastIndexOf('\n', end - 2) + 1;
      const line = text.slice(start, end).trim();
      let bookmark;
      try {
        bookmark = line ? JSON.parse(line).wfp_blocks?.bookmark : undefined;
      } catch {
        bookmark = undefined; // a torn line
      }
      if (bookmark) {
        if (file === outFile && end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
        return bookmark;
      }
      end = start;
    }
    if (file === outFile && text.length > 0) truncateSync(file, 0); // nothing complete in it
  }
  // Older agents saved it beside the output.
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')).bookmark ?? null;
  } catch {
    return null;
  }
}

// Size-based rotation: wfp-blocks.ndjson -> .1 -> .2 ... -> .<keep>; the collector follows the name.
// Only right after a batch, so the current file's last document always carries a bookmark.
function rotateIfNeeded() {
  if (fstatSync(fd).size < maxBytes) return;
  closeSync(fd);
  for (let i = keep - 1; i >= 1; i--) if (existsSync(`${outFile}.${i}`)) renameSync(`${outFile}.${i}`, `${outFile}.${i + 1}`);
  renameSync(outFile, `${outFile}.1`);
  fd = openSync(outFile, 'a');
}

const bookmark = resumeFromOutput();
let fd = openSync(outFile, 'a');
const watcher = watchBlocks({
  source: args.replay ? { replay: args.replay, follow: true } : 'eventlog',
  from: bookmark ? { bookmark } : args.replay ? 'oldest' : 'now',
  includeAllowed: args['include-allowed'],
});

let pending = [];
// Written once per turn of the event loop: one write per batch of events, its last document carrying
// the bookmark after it. The state file is a copy for people and tools to read.
function flush() {
  if (pending.length === 0) return;
  const docs = pending;
  pending = [];
  docs[docs.length - 1] = { ...docs[docs.length - 1], wfp_blocks: { bookmark: watcher.bookmark } };
  writeSync(fd, docs.map((doc) => `${JSON.stringify(doc)}\n`).join(''));
  writeFileSync(`${stateFile}.tmp`, `${JSON.stringify({ bookmark: watcher.bookmark, savedAt: new Date().toISOString() })}\n`);
  renameSync(`${stateFile}.tmp`, stateFile);
  rotateIfNeeded();
}
watcher.on('block', (event) => {
  if (pending.length === 0) setImmediate(flush);
  pending.push(toEcs(event));
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
process.stderr.write(`agent: writing ${outFile}${bookmark ? ', resuming after the last batch it wrote' : ''}\n`);
