// An exception thrown by a 'block' listener reaches the process as an uncaught exception.
const { watchBlocks, fixture } = require('./common.cjs');
const mode = process.argv[2];
if (mode === 'handled') {
  process.on('uncaughtException', (error) => {
    process.stdout.write(`caught ${error.message}\n`);
    process.exitCode = 0;
  });
}
const w = watchBlocks({ source: { replay: fixture('evtx-omerbenamram-evtx.xml') } });
w.on('block', (e) => {
  throw new Error(`listener failed on record ${e.recordId}`);
});
