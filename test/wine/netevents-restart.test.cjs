// The engine restarts while a watcher is subscribed (BFE restarted, its RPC connection broke): the
// subscription then says nothing, the watcher's check of the engine notices, it reconnects and lists
// the buffer after the last event it delivered. In a process of its own: the stand-in restarts once.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { blockLines, expectedNetEvents, netEventEngine, sharedFacts, waitFor, watchBlocks } = require('./helpers.cjs');

const BLOCKS = blockLines();

test('RPC errors mid-subscription: transient, reconnected, and nothing lost or repeated across it', async () => {
  const engine = netEventEngine({ records: [], fail: 'break-after=4,down-ms=1500' });
  const watcher = watchBlocks({ source: 'netevents', enrich: false });
  const events = [];
  const errors = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => errors.push(e));
  await waitFor(() => engine.calls().some((c) => c.startsWith('FwpmNetEventSubscribe4')), 'the subscription');
  const records = BLOCKS.slice(0, 12);
  engine.append(records);
  const expected = await expectedNetEvents(records);
  await waitFor(() => events.length === expected.length, 'every event, before and after the restart', 30000);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(events.map(sharedFacts), expected);
  assert.ok(errors.length >= 1, 'the restart is reported');
  assert.ok(errors.every((e) => e.code === 'ERR_NETEVENTS_TRANSIENT' && e.recoverable));
  assert.ok(
    errors.some((e) => e.systemCode === 1722),
    'RPC_S_SERVER_UNAVAILABLE from the check',
  );
  const calls = engine.calls();
  assert.ok(calls.includes('engine restarted'));
  assert.ok(calls.filter((c) => c.startsWith('FwpmNetEventSubscribe4')).length >= 2, 'subscribed again');
  assert.ok(
    calls.some((c) => c.startsWith('FwpmNetEventCreateEnumHandle0')),
    'and listed the buffer after the last event',
  );
  await watcher.close();
});
