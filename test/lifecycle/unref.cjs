// An unref'd follow-mode watcher must not keep the process alive.
const { watchBlocks, followedCopy } = require('./common.cjs');
const w = watchBlocks({ source: { replay: followedCopy(), follow: true }, includeAllowed: true });
w.unref();
w.once('block', () => process.stdout.write('got-event\n'));
process.on('exit', () => process.stdout.write('exited\n'));
