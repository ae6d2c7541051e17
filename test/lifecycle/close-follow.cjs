// close() while the thread waits for appended records settles, and nothing is emitted after it.
const { watchBlocks, followedCopy } = require('./common.cjs');
const w = watchBlocks({ source: { replay: followedCopy(), follow: true }, includeAllowed: true });
let afterClose = 0;
let closing = false;
w.on('block', () => {
  if (closing) afterClose++;
});
setTimeout(async () => {
  closing = true;
  const started = process.hrtime.bigint();
  await w.close();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(JSON.stringify({ closed: true, afterClose, ms }) + '\n');
}, 300);
