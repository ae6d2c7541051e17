// Injected failures and quirks of the event-log API, each handled as §12 of the subscriber notes says,
// against the stand-in wevtapi.dll (its header lists what it can inject). The stand-in starts its
// injection state afresh whenever WFP_STANDIN_FAIL changes, so each test sets its own.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { assertAccessDenied, fixtureLines, securityLog, run, waitFor, watchBlocks, STANDIN } = require('./helpers.cjs');

const skip = !STANDIN && 'injects failures through the stand-in wevtapi.dll';
const ALL = fixtureLines().map((_, i) => 5001 + i);
const renumbered = (line, id) => line.replace(/<EventRecordID>\d+</, `<EventRecordID>${id}<`);
const subscribes = (calls) => calls.filter((c) => c.startsWith('EvtSubscribe '));

test('a stale result: resubscribes after the last record, with no loss and no duplicate', { skip }, async () => {
  const log = securityLog(fixtureLines(), 'stale-after=20');
  const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  assert.deepEqual(
    got.events.map((e) => e.recordId),
    ALL,
  );
  assert.equal(got.errors.length, 1);
  assert.equal(got.errors[0].code, 'ERR_EVENTLOG_TRANSIENT');
  assert.equal(got.errors[0].systemCode, 15011);
  assert.equal(got.errors[0].recoverable, true);
  const calls = log.calls();
  assert.ok(calls.includes('failed EvtNext 15011'));
  const resubscribe = subscribes(calls)[1];
  const delivered = /bookmark=Security:(\d+) /.exec(resubscribe)[1];
  assert.match(resubscribe, /^EvtSubscribe flags=69635 /);
  assert.ok(Number(delivered) >= 5001 && Number(delivered) <= 5077);
});

test('access denied: a typed fatal error with the code and a hint, then close', { skip }, async () => {
  securityLog(fixtureLines(), 'subscribe=5');
  const got = await run({});
  assertAccessDenied(got, 'EvtSubscribe', /administrator|Event Log Readers|elevated/);
  assert.match(got.errors[0].message, /EvtSubscribe failed on Security/);
});

test('a missing channel and an invalid query are typed fatal errors', { skip }, async () => {
  for (const [code, expected] of [
    [15007, 'ERR_CHANNEL_NOT_FOUND'],
    [15001, 'ERR_EVENTLOG_QUERY'],
  ]) {
    securityLog(fixtureLines(), `subscribe=${code}`);
    const got = await run({});
    assert.equal(got.errors[0].code, expected);
    assert.equal(got.errors[0].systemCode, code);
  }
});

test('ERROR_INVALID_PARAMETER from EvtSubscribe is permanent: one fatal error and the watcher ends', { skip }, async () => {
  const log = securityLog(fixtureLines(), 'subscribe=87');
  const got = await run({ from: 'oldest' });
  assert.equal(got.errors.length, 1);
  assert.deepEqual([got.errors[0].code, got.errors[0].systemCode, got.errors[0].recoverable], ['ERR_EVENTLOG', 87, false]);
  assert.equal(subscribes(log.calls()).length, 1, 'not retried');
});

test("'now' while the service is still starting: the first EvtSubscribe calls fail, and no old record is reported", { skip }, async () => {
  const lines = fixtureLines();
  const log = securityLog(lines, 'subscribe-fails=2:1722');
  const watcher = watchBlocks({ includeAllowed: true, audit: 'ignore' });
  const events = [];
  const errors = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => errors.push(e));
  try {
    await waitFor(() => log.calls().some((c) => c.startsWith('open subscription')), 'the subscription', 15000);
    // The newest record at the start is asked for first: that is where 'now' is.
    assert.ok(log.calls().includes('EvtQuery path=Security flags=513 query=*'));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(events, [], 'records from before the start are not delivered');
    log.append([renumbered(lines[0], 6001), renumbered(lines[3], 6002)]);
    await waitFor(() => events.length === 2, 'the two new records');
    assert.deepEqual(
      events.map((e) => e.recordId),
      [6001, 6002],
    );
  } finally {
    await watcher.close();
  }
  assert.deepEqual(
    errors.map((e) => [e.code, e.systemCode, e.recoverable]),
    [
      ['ERR_EVENTLOG_TRANSIENT', 1722, true],
      ['ERR_EVENTLOG_TRANSIENT', 1722, true],
    ],
  );
});

test("an EventLog service restart before any matching record: 'now' does not replay the log", { skip }, async () => {
  const lines = fixtureLines();
  const log = securityLog(lines, 'restart-after=0');
  const watcher = watchBlocks({ kinds: ['connection'], audit: 'ignore' }); // the log holds five old 5157s
  const events = [];
  const errors = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => errors.push(e));
  try {
    await waitFor(() => subscribes(log.calls()).length >= 6, 'the resubscription after the restart', 20000);
    await waitFor(() => log.calls().filter((c) => c === 'open subscription').length >= 2, 'the new subscription', 10000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(events, [], 'the old 5157s are not reported as new');
    log.append([renumbered(lines[14], 7001)]); // a 5157
    await waitFor(() => events.length === 1, 'the new 5157');
    assert.equal(events[0].recordId, 7001);
  } finally {
    await watcher.close();
  }
  // Cancelled call, server unavailable while down, channel not found while coming back: all transient.
  assert.deepEqual([...new Set(errors.map((e) => e.systemCode))], [1818, 1722, 15007]);
  assert.ok(errors.every((e) => e.code === 'ERR_EVENTLOG_TRANSIENT' && e.recoverable));
});

test('an EventLog service restart while records flow: no loss and no repeat', { skip }, async () => {
  securityLog(fixtureLines(), 'restart-after=20');
  const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  assert.deepEqual(
    got.events.map((e) => e.recordId),
    ALL,
  );
  assert.ok(got.errors.length >= 1 && got.errors.every((e) => e.recoverable));
});

test('a short batch is not the end: the drain goes on until ERROR_NO_MORE_ITEMS', { skip }, async () => {
  const log = securityLog(fixtureLines(), 'short-batch=3');
  const started = Date.now();
  const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  // A drain that stopped at the first short batch would wait for the next signal or the 5 s pull.
  assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
  assert.deepEqual(
    got.events.map((e) => e.recordId),
    ALL,
  );
  const nexts = log.calls().filter((c) => c.startsWith('EvtNext size='));
  assert.ok(nexts.length >= 26 && nexts.slice(0, 25).every((c) => c.endsWith('returned=3')));
});

test('RPC_S_INVALID_BOUND halves the batch, which grows back once large records have passed', { skip }, async () => {
  const log = securityLog(fixtureLines(), 'invalid-bound-above=32,short-batch=2');
  const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  assert.deepEqual(
    got.events.map((e) => e.recordId),
    ALL,
    'no loss and no repeat although the failed call moved on',
  );
  const calls = log.calls();
  const failed = calls.indexOf('failed EvtNext 1734');
  assert.ok(failed > 0);
  const after = calls.slice(failed).filter((c) => c.startsWith('EvtNext size='));
  assert.match(after[0], /^EvtNext size=32 /);
  assert.ok(
    after.some((c) => c.startsWith('EvtNext size=64 ')),
    'the batch grew back',
  );
});

test('a record that cannot be rendered: one recoverable ERR_EVENTLOG_RECORD, and for await goes on', { skip }, async () => {
  securityLog(fixtureLines(), 'render-fail=5010:13');
  const watcher = watchBlocks({ from: 'oldest', includeAllowed: true });
  const errors = [];
  watcher.on('error', (e) => errors.push(e));
  const ids = [];
  for await (const event of watcher) {
    ids.push(event.recordId);
    if (ids.length === 76) break;
  }
  assert.deepEqual(
    ids,
    ALL.filter((id) => id !== 5010),
  );
  assert.deepEqual(
    errors.map((e) => [e.code, e.systemCode, e.recoverable]),
    [['ERR_EVENTLOG_RECORD', 13, true]],
  );
});

test("a bookmark from a watcher with other kinds: Strict refuses it, but the record is there, so no false 'gap'", { skip }, async () => {
  const log = securityLog(fixtureLines());
  const bookmark = "<BookmarkList><Bookmark Channel='Security' RecordId='5030' IsCurrent='true'/></BookmarkList>"; // a 5158
  const got = await run({ from: { bookmark }, kinds: ['connection'], includeAllowed: true }, (events) => events.at(-1)?.recordId === 5065);
  assert.deepEqual(got.gaps, []);
  assert.deepEqual(got.errors, []);
  assert.ok(got.events.every((e) => e.recordId > 5030 && e.kind === 'connection'));
  assert.equal(got.events[0].recordId, 5031);
  const calls = log.calls();
  assert.ok(calls.includes('strict refused: the bookmarked record is not selected'));
  assert.match(subscribes(calls)[1], /^EvtSubscribe flags=4099 bookmark=Security:5030 /); // after it, not strict
});
