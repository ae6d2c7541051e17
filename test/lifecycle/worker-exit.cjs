// A worker calls process.exit() from inside a 'block' listener while its watcher streams; the
// parent must survive. The worker is also the first to load the addon (it unloads with the worker).
const { Worker } = require('node:worker_threads');
const rounds = Number(process.argv[2] || 10);
const body = `
  const { workerData } = require('node:worker_threads');
  const { watchBlocks, allFixtures } = require(workerData.common);
  const w = watchBlocks({ source: { replay: allFixtures() }, includeAllowed: true });
  let n = 0;
  w.on('block', () => { if (++n === 100) process.exit(7); });
`;
(async () => {
  for (let i = 0; i < rounds; i++) {
    const worker = new Worker(body, { eval: true, workerData: { common: require.resolve('./common.cjs') } });
    const code = await new Promise((resolve) => worker.once('exit', resolve));
    if (code !== 7) throw new Error(`worker exit code ${code}`);
  }
  process.stdout.write(`survived ${rounds}\n`);
})();
