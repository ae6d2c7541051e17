// Lifecycle of the 'netevents' source under Wine, as for the other sources: workers and process exit
// with a subscribed watcher whose callbacks keep coming, ref/unref; and the Windows 8.1 structures
// (FWPM_NET_EVENT2), from a copy of the package whose stand-in exports nothing newer.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { assertUnrefExitsRefKeeps, blockLines, expectedNetEvents, netEventEngine, netEventLine } = require('./helpers.cjs');

const BLOCKS = blockLines();

// A worker whose watcher keeps receiving: the stand-in delivers a new event every few milliseconds.
const workerBody = `
  const { parentPort } = require('node:worker_threads');
  const { watchBlocks } = require('wfp-blocks');
  const w = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
  let n = 0;
  w.on('block', () => { if (++n === 10) parentPort.postMessage('streaming'); if (n === 20 && process.env.EXIT_IN_WORKER) process.exit(7); });
`;

function streamingEngine() {
  const engine = netEventEngine({ records: BLOCKS });
  const base = BLOCKS.map((b) => netEventLine(b));
  let i = 0;
  const timer = setInterval(() => {
    engine.appendLines([base[i % base.length].replace(/^t=(\d+)/, (_, t) => `t=${BigInt(t) + 10n ** 12n + BigInt(i)}`)]);
    i++;
  }, 5);
  return { engine, stop: () => clearInterval(timer) };
}

test('a worker with a subscribed netevents watcher survives terminate(), again and again', async () => {
  const { engine, stop } = streamingEngine();
  try {
    for (let i = 0; i < 5; i++) {
      const worker = new Worker(workerBody, { eval: true });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
    }
  } finally {
    stop();
  }
  const calls = engine.calls();
  assert.equal(calls.filter((c) => c === 'FwpmNetEventUnsubscribe0').length, 5, 'each worker unsubscribed');
  assert.ok(!calls.some((c) => c.includes('called from its own callback')));
});

test("a worker's process.exit() while its watcher delivers leaves the parent alive", async () => {
  const { stop } = streamingEngine();
  try {
    for (let i = 0; i < 5; i++) {
      const worker = new Worker(workerBody, { eval: true, env: { ...process.env, EXIT_IN_WORKER: '1' } });
      const code = await new Promise((resolve) => worker.once('exit', resolve));
      assert.equal(code, 7);
    }
  } finally {
    stop();
  }
});

test("an unref'd netevents watcher lets the process exit; a ref'd one keeps it until close()", () => {
  netEventEngine({ records: BLOCKS });
  assertUnrefExitsRefKeeps("{ source: 'netevents' }");
});

test('Windows 8.1: FwpmNetEventSubscribe1 and FwpmNetEventEnum2 (FWPM_NET_EVENT2), with the same events', async () => {
  const engine = netEventEngine({ records: BLOCKS });
  const expected = await expectedNetEvents(BLOCKS);
  const script = `
    const { watchBlocks } = require('wfp-blocks');
    const w = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
    const out = [];
    w.on('block', (e) => { out.push(e); if (out.length === ${expected.length}) w.close(); });
    w.on('error', (e) => { console.error(e.message); process.exitCode = 1; });
    w.on('close', () => require('node:fs').writeFileSync('v2-events.json', JSON.stringify(out)));
  `;
  const v2 = path.join(__dirname, 'v2');
  const child = spawnSync(process.execPath, ['-e', script], { cwd: v2, encoding: 'utf8', timeout: 60000 });
  assert.equal(child.status, 0, child.stderr);
  const events = JSON.parse(require('node:fs').readFileSync(path.join(v2, 'v2-events.json'), 'utf8'));
  const facts = events.map((e) => ({ ...e, time: new Date(e.time) })).map(require('./helpers.cjs').sharedFacts);
  assert.deepEqual(facts, expected);
  assert.ok(events.every((e) => e.version === 2));
  const calls = engine.calls();
  assert.ok(
    calls.some((c) => c.startsWith('FwpmNetEventSubscribe1 ')) && calls.some((c) => c.startsWith('FwpmNetEventEnum2 ')),
    calls.join('\n'),
  );
  assert.ok(!calls.some((c) => /Subscribe[234]|Enum[345]/.test(c)));
});
