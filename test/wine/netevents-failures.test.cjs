// Failures of the WFP engine the documentation lists, injected through the stand-in fwpuclnt.dll:
// access denied, BFE not running, RPC errors, collection that cannot be turned on; and the hand-off's
// bound. Each is a typed error; the transient ones are retried until the engine answers again.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { assertAccessDenied, blockLines, netEventEngine, netEventLine, run, waitFor, watchBlocks } = require('./helpers.cjs');

const BLOCKS = blockLines();

test('access denied: a typed fatal error with the code and a hint, then close', async () => {
  netEventEngine({ records: BLOCKS, fail: 'subscribe=5' });
  const got = await run({ source: 'netevents' });
  assertAccessDenied(got, 'FwpmNetEventSubscribe', /elevated administrator/);
});

test('collection off and not ours to turn on: a typed fatal error, the options untouched, no record left', async () => {
  const engine = netEventEngine({ records: BLOCKS, options: [0, 0], fail: 'setoption=5' });
  const got = await run({ source: 'netevents' });
  assert.equal(got.errors.length, 1);
  assert.equal(got.errors[0].code, 'ERR_ACCESS_DENIED');
  assert.match(got.errors[0].message, /collection is off/);
  assert.deepEqual(engine.options(), [0, 0]);
  assert.equal(fs.existsSync(engine.state), false);
});

test('BFE not running: reported as transient and retried until the engine answers, then the buffer is listed', async () => {
  const engine = netEventEngine({ records: BLOCKS.slice(0, 6), fail: 'open=1753' });
  const watcher = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
  const events = [];
  const errors = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => errors.push(e));
  await waitFor(() => errors.length >= 2, 'two attempts');
  assert.ok(errors.every((e) => e.code === 'ERR_NETEVENTS_TRANSIENT' && e.systemCode === 1753 && e.recoverable));
  assert.equal(events.length, 0);
  process.env.WFP_STANDIN_FAIL = '';
  await waitFor(() => events.length === 6, 'the events once BFE runs', 20000);
  await watcher.close();
  assert.ok(engine.calls().filter((c) => c.startsWith('FwpmEngineOpen0')).length >= 3);
});

test('an RPC error while listing: transient, and the listing is made again', async () => {
  netEventEngine({ records: BLOCKS.slice(0, 4), fail: 'enum=1726' });
  const watcher = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
  const events = [];
  const errors = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => errors.push(e));
  await waitFor(() => errors.length >= 1, 'the failure');
  assert.equal(errors[0].code, 'ERR_NETEVENTS_TRANSIENT');
  assert.equal(errors[0].systemCode, 1726);
  process.env.WFP_STANDIN_FAIL = '';
  await waitFor(() => events.length === 4, 'the listing', 20000);
  await watcher.close();
});

test('a hand-off that is full: the events it had to drop are counted and reported, every other one arrives', async () => {
  const engine = netEventEngine({ records: [] });
  const watcher = watchBlocks({ source: 'netevents', enrich: false, highWaterMark: 1 });
  const events = [];
  let dropped = 0;
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => {
    assert.equal(e.code, 'ERR_EVENTS_LOST');
    assert.equal(e.recoverable, true);
    dropped += Number(/^ERR_EVENTS_LOST: (\d+) net events were dropped/.exec(e.message)[1]);
  });
  await waitFor(() => engine.calls().some((c) => c.startsWith('FwpmNetEventSubscribe4')), 'the subscription');
  watcher.pause();
  // 6000 events at once, each a real block at its own time, while JavaScript takes none.
  const base = BLOCKS.map((b) => netEventLine(b));
  const lines = Array.from({ length: 6000 }, (_, i) => base[i % base.length].replace(/^t=(\d+)/, (_, t) => `t=${BigInt(t) + BigInt(i)}`));
  engine.appendLines(lines);
  await new Promise((r) => setTimeout(r, 1500));
  watcher.resume();
  await waitFor(() => events.length + dropped === 6000, 'every event delivered or counted', 30000);
  assert.ok(dropped > 0 && dropped < 6000 - 4096 + 64, `${dropped} dropped`);
  await watcher.close();
});
