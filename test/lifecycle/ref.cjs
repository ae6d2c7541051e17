// A ref'd follow-mode watcher keeps the process alive until close(); the timer here is unref'd, so
// only the watcher can keep the process running long enough for it to fire.
const { watchBlocks, followedCopy } = require('./common.cjs');
const w = watchBlocks({ source: { replay: followedCopy(), follow: true }, includeAllowed: true });
w.unref();
w.ref();
setTimeout(() => {
  process.stdout.write('still-alive\n');
  w.close().then(() => process.stdout.write('closed\n'));
}, 500).unref();
