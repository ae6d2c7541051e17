// Lifecycle of the Windows build (under Wine, and on a real Windows runner): workers and process exit
// with a live eventlog watcher.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { assertUnrefExitsRefKeeps, fixtureLines, securityLog, STANDIN } = require('./helpers.cjs');

// Under Wine the stand-in's log streams records; on a real Windows runner the watcher waits on the real
// log, and the worker goes on once it is subscribed.
const workerBody = `
  const { parentPort } = require('node:worker_threads');
  const { watchBlocks } = require('wfp-blocks');
  const w = watchBlocks(${STANDIN} ? { from: 'oldest', includeAllowed: true } : { kinds: ['connection'] });
  w.on('error', (e) => parentPort.postMessage('error ' + e.code));
  let n = 0;
  const streaming = () => parentPort.postMessage('streaming');
  const exit = () => process.env.EXIT_IN_WORKER && process.exit(7);
  w.on('block', () => { if (++n === 10) streaming(); if (n === 20) exit(); });
  if (!${STANDIN}) setTimeout(() => { streaming(); exit(); }, 500);
`;

test('a worker with a waiting eventlog watcher survives terminate(), again and again', async () => {
  securityLog(fixtureLines());
  for (let i = 0; i < 5; i++) {
    const worker = new Worker(workerBody, { eval: true });
    await new Promise((resolve, reject) => {
      worker.once('message', (m) => (m === 'streaming' ? resolve() : reject(new Error(m))));
      worker.once('error', reject);
    });
    await worker.terminate();
  }
});

test("a worker's process.exit() while its watcher delivers leaves the parent alive", async () => {
  securityLog(fixtureLines());
  for (let i = 0; i < 5; i++) {
    const worker = new Worker(workerBody, { eval: true, env: { ...process.env, EXIT_IN_WORKER: '1' } });
    const code = await new Promise((resolve) => worker.once('exit', resolve));
    assert.equal(code, 7);
  }
});

test("an unref'd eventlog watcher lets the process exit; a ref'd one keeps it until close()", () => {
  securityLog(fixtureLines());
  assertUnrefExitsRefKeeps('{ includeAllowed: true }');
});

test('a worker terminated inside construction, delivery, closing or at random points leaves the host alive', () => {
  const path = require('node:path');
  const r = spawnSync(
    process.execPath,
    [
      path.join(__dirname, 'terminate-anywhere.cjs'),
      'all',
      '12',
      require.resolve('wfp-blocks'),
      path.join(__dirname, 'fixtures', 'otrf-50c132c2.xml'),
      '1500',
    ],
    { encoding: 'utf8', timeout: 300000 },
  );
  assert.equal(r.stderr, '');
  assert.equal(r.signal, null);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'survived 34\n');
});
