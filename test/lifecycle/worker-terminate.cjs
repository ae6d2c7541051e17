// Workers that run watchers (one streaming a large replay, one waiting in follow mode) are
// terminated again and again; the parent must survive each time.
const { Worker } = require('node:worker_threads');
const rounds = Number(process.argv[2] || 10);
const body = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { watchBlocks, allFixtures, followedCopy } = require(workerData.common);
  const source = workerData.follow ? { replay: followedCopy(), follow: true } : { replay: [...allFixtures(), ...allFixtures()] };
  const w = watchBlocks({ source, includeAllowed: true });
  let n = 0;
  w.on('block', () => { if (++n === 50) parentPort.postMessage('streaming'); });
`;
(async () => {
  for (let i = 0; i < rounds; i++) {
    const worker = new Worker(body, { eval: true, workerData: { common: require.resolve('./common.cjs'), follow: i % 2 === 1 } });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
  }
  process.stdout.write(`survived ${rounds}\n`);
})();
