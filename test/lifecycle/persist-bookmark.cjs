// Reads every fixture record slowly and, after every 100 events (and at the end), appends one line
// holding those events' keys and the bookmark after them, with a single write: the output is its own
// checkpoint.
// Started again, it resumes from the last complete line. The parent kills it with SIGKILL at random.
//   node persist-bookmark.cjs OUT [coalesce]
const fs = require('node:fs');
const { watchBlocks, allFixtures } = require('./common.cjs');

const [out, coalesce] = process.argv.slice(2);
let bookmark = null;
if (fs.existsSync(out)) {
  const lines = fs.readFileSync(out, 'utf8').split('\n');
  for (let i = lines.length - 2; i >= 0 && !bookmark; i--) bookmark = JSON.parse(lines[i]).bookmark;
  // A line cut short by the kill is dropped: its events come again.
  const complete = lines.slice(0, -1).join('\n');
  fs.truncateSync(out, complete.length ? Buffer.byteLength(complete) + 1 : 0);
}
const watcher = watchBlocks({
  source: { replay: allFixtures().sort() },
  includeAllowed: true,
  ...(coalesce ? { coalesce: { windowMs: Number(coalesce) } } : {}),
  ...(bookmark ? { from: { bookmark } } : {}),
});
const fd = fs.openSync(out, 'a');
let pending = [];
const flush = () => {
  if (!pending.length) return;
  fs.writeSync(fd, `${JSON.stringify({ keys: pending, bookmark: watcher.bookmark })}\n`);
  pending = [];
};
watcher.on('block', (e) => {
  pending.push([e.computer, e.recordId, e.system.timeCreated, e.eventId, e.count ?? ''].join('|'));
  if (pending.length % 5 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // slow: 1 ms per 5 events
  if (pending.length === 100) flush();
});
watcher.on('error', (e) => process.stderr.write(`${e.message}\n`));
watcher.on('close', flush);
