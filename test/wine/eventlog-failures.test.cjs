// Injected failures of the event-log API, each handled as §12 of the subscriber notes says. This file
// runs in its own process: the stand-in injects a stale result once per process.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fixtureLines, securityLog, run } = require('./helpers.cjs');

test('a stale result: resubscribes after the last record, with no loss and no duplicate', async () => {
  const log = securityLog(fixtureLines(), 'stale-after=20');
  const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  assert.deepEqual(got.events.map((e) => e.recordId), fixtureLines().map((_, i) => 5001 + i));
  assert.equal(got.errors.length, 1);
  assert.equal(got.errors[0].code, 'ERR_EVENTLOG_TRANSIENT');
  assert.equal(got.errors[0].systemCode, 15011);
  assert.equal(got.errors[0].recoverable, true);
  const calls = log.calls();
  assert.ok(calls.includes('EvtNext stale'));
  const resubscribe = calls.filter((c) => c.startsWith('EvtSubscribe'))[1];
  const delivered = /bookmark=(\d+)/.exec(resubscribe)[1];
  assert.match(resubscribe, /^EvtSubscribe flags=65539 /);
  assert.ok(Number(delivered) >= 5001 && Number(delivered) <= 5077);
});

test('access denied: a typed fatal error with the code and a hint, then close', async () => {
  securityLog(fixtureLines(), 'subscribe=5');
  const got = await run({});
  assert.equal(got.events.length, 0);
  assert.equal(got.errors.length, 1);
  const [error] = got.errors;
  assert.equal(error.code, 'ERR_ACCESS_DENIED');
  assert.equal(error.systemCode, 5);
  assert.equal(error.recoverable, false);
  assert.match(error.hint, /administrator|Event Log Readers|elevated/);
  assert.match(error.message, /EvtSubscribe failed on Security/);
});

test('a missing channel and an invalid query are typed fatal errors', async () => {
  for (const [code, expected] of [[15007, 'ERR_CHANNEL_NOT_FOUND'], [15001, 'ERR_EVENTLOG_QUERY']]) {
    securityLog(fixtureLines(), `subscribe=${code}`);
    const got = await run({});
    assert.equal(got.errors[0].code, expected);
    assert.equal(got.errors[0].systemCode, code);
  }
});
