// Workers are terminated at chosen points inside a watcher's construction (while the native side
// reads each option: a getter that spins there), its delivery (a listener that spins) and its closing,
// then at random points of a loop that creates, reads and closes watchers of every replay kind. Each
// worker is the first to load the addon. The host process must survive every one.
//   node terminate-anywhere.cjs [chosen|random|all] [random rounds] [package entry] [fixture file] [max delay ms]
// (the Wine suite passes the installed package, its own fixture copy, and longer delays: workers
// start slower there).
const { Worker } = require('node:worker_threads');
const path = require('node:path');

const [mode = 'all', roundsArg = '40', entryArg, fixtureArg, maxDelayArg = '150'] = process.argv.slice(2);
const entry = entryArg ? path.resolve(entryArg) : path.join(__dirname, '..', '..', 'dist', 'index.js');
const fixture = fixtureArg ? path.resolve(fixtureArg) : path.join(__dirname, '..', 'fixtures', 'records', 'otrf-50c132c2.xml');

const body = `
const { parentPort, workerData: { entry, fixture, point } } = require('node:worker_threads');
const path = require('node:path');
const { Readable } = require('node:stream');
const { watchBlocks } = require(entry);
const spin = () => { parentPort.postMessage('inside'); for (;;); };
const [where, name] = point.split(':');
if (where === 'option') {
  // The raw binding, so that the native constructor itself reads a getter.
  const { loadBinding } = require(path.join(path.dirname(entry), 'binding.js'));
  const { Watcher } = loadBinding();
  const base = { kinds: ['connection', 'packet'], includeAllowed: true, highWaterMark: 64, policyChanges: false,
                 ruleChanges: false, afterRecordId: '0', resumeInputs: [], coalesceMs: 0, coalesceMaxHeld: 16,
                 filterSinceMs: 0, filterEventIds: ['5157'], format: 'json', packageVersion: '0', enrich: false };
  const options = name === 'name' ? { source: 'stream', name: 's', ...base }
                                   : { source: 'files', files: [fixture], follow: false, ...base };
  if (name === 'kinds[0]') Object.defineProperty(options.kinds, 0, { get: spin });
  else Object.defineProperty(options, name, { get: spin, enumerable: true });
  new Watcher(options, () => {});
} else if (where === 'listener') {
  const w = watchBlocks({ source: { replay: name === 'error' ? [fixture + '.missing', fixture] : [fixture] }, includeAllowed: true });
  w.on('error', () => { if (name === 'error') spin(); });
  w.on('block', () => { if (name === 'block') spin(); });
  w.on('close', () => { if (name === 'close') spin(); });
} else {
  parentPort.postMessage('started');
  let round = 0;
  (function loop() {
    for (let i = 0; i < 4; i++, round++) {
      const kind = round % 3;
      const source = kind === 0 ? { replay: [fixture, fixture] }
                   : kind === 1 ? { replay: Readable.from([require('node:fs').readFileSync(fixture)]) }
                   : { replay: fixture, follow: true };
      const w = watchBlocks({ source, includeAllowed: true, highWaterMark: 8, coalesce: round % 2 ? { windowMs: 1000 } : undefined });
      w.on('error', () => {});
      let n = 0;
      w.on('block', () => { if (++n === 5 && round % 2) void w.close(); });
      if (round % 4 === 3) void w.close();
    }
    setImmediate(loop);
  })();
}
`;

const OPTIONS = [
  'source',
  'highWaterMark',
  'kinds',
  'kinds[0]',
  'includeAllowed',
  'policyChanges',
  'ruleChanges',
  'afterRecordId',
  'resumeInputs',
  'coalesceMs',
  'coalesceMaxHeld',
  'filterSinceMs',
  'filterEventIds',
  'format',
  'packageVersion',
  'enrich',
  'files',
  'follow',
  'name',
];
const chosen = [...OPTIONS.map((o) => `option:${o}`), 'listener:block', 'listener:error', 'listener:close'];

function start(point) {
  const worker = new Worker(body, { eval: true, workerData: { entry, fixture, point } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const failed = new Promise((_, reject) => worker.once('error', reject));
  return { worker, exited, failed };
}

(async () => {
  let survived = 0;
  if (mode !== 'random') {
    for (const point of chosen) {
      const { worker, exited, failed } = start(point);
      await Promise.race([new Promise((resolve) => worker.once('message', resolve)), failed]);
      await worker.terminate();
      await exited;
      survived++;
    }
  }
  if (mode !== 'chosen') {
    // Worker start-up takes tens of milliseconds, loading the addon a few more: the delays cover
    // start-up, the first load, and the loop's construction, reading and closing.
    const rounds = Number(roundsArg);
    for (let i = 0; i < rounds; i++) {
      const { worker, exited } = start('random');
      worker.on('error', () => {});
      await new Promise((r) => setTimeout(r, Math.random() * Number(maxDelayArg)));
      await worker.terminate();
      await exited;
      survived++;
    }
  }
  process.stdout.write(`survived ${survived}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
