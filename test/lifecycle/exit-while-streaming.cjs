// process.exit() while a watcher streams must end the process cleanly (exit code kept, no crash).
const { watchBlocks, allFixtures } = require('./common.cjs');
const w = watchBlocks({ source: { replay: [...allFixtures(), ...allFixtures(), ...allFixtures()] }, includeAllowed: true });
let n = 0;
w.on('block', () => {
  if (++n === 1000) {
    process.stdout.write('exiting\n');
    process.exit(3);
  }
});
