// Replays one file through the watchBlocks() of a given checkout, to time builds side by side:
// `farm-bench --vs 'node bench/compare-builds.cjs OTHER FILE' -- node bench/compare-builds.cjs THIS FILE`.
// Prints the events delivered and events/s in-process; depends only on the checkout's dist/.
const [tree, file] = process.argv.slice(2);
const { watchBlocks } = require(`${tree}/dist/index.js`);
const start = process.hrtime.bigint();
let n = 0;
const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
watcher.on('block', () => n++);
watcher.on('error', () => {});
watcher.on('close', () => {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ tree, events: n, seconds, eventsPerSec: Math.round(n / seconds) }));
});
