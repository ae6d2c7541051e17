// The real 'eventlog' source, running in Windows node under Wine against the stand-in wevtapi.dll.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fixtureLines, securityLog, run, replayOf, waitFor, watchBlocks } = require('./helpers.cjs');

const ALL_IDS = 'EventID=5031 or EventID=5150 or EventID=5151 or EventID=5152 or EventID=5153 or EventID=5154 or ' +
  'EventID=5155 or EventID=5156 or EventID=5157 or EventID=5158 or EventID=5159';
const BLOCK_IDS = 'EventID=5031 or EventID=5150 or EventID=5151 or EventID=5152 or EventID=5153 or EventID=5155 or ' +
  'EventID=5157 or EventID=5159';
const query = (ids) =>
  `<QueryList><Query Id="0" Path="Security"><Select Path="Security">*[System[(${ids})]]</Select></Query></QueryList>`;

test('records arrive in order through EvtSubscribe, EvtNext and EvtRender, as the replay source reads them', async () => {
  const log = securityLog(fixtureLines());
  const got = await run({ from: 'oldest', includeAllowed: true, enrich: false }, (events) => events.length === 77);
  assert.deepEqual(got.errors, []);
  assert.deepEqual(JSON.parse(JSON.stringify(got.events)), JSON.parse(JSON.stringify(await replayOf(log.file, { includeAllowed: true }))));
  const calls = log.calls();
  // 4719 too: the default audit 'check' watches for audit policy changes.
  assert.equal(calls[0], `EvtSubscribe flags=2 bookmark=none signal=yes callback=no query=${query(`EventID=4719 or ${ALL_IDS}`)}`);
  assert.ok(calls.some((c) => /^EvtNext size=\d+ returned=\d+$/.test(c) && !c.endsWith('returned=0')), 'EvtNext delivered records');
});

test('Windows filters by event ID: by default the query asks for blocks only', async () => {
  const log = securityLog(fixtureLines());
  const got = await run({ from: 'oldest', audit: 'ignore' }, (events) => events.length === 5);
  assert.deepEqual(got.events.map((e) => e.eventId), [5157, 5157, 5157, 5157, 5157]);
  assert.equal(log.calls()[0], `EvtSubscribe flags=2 bookmark=none signal=yes callback=no query=${query(BLOCK_IDS)}`);
});

test("'now' delivers records written after the start, woken by the subscription's signal", async () => {
  const lines = fixtureLines();
  const log = securityLog(lines.slice(0, 10));
  const watcher = watchBlocks({ includeAllowed: true });
  const events = [];
  watcher.on('block', (e) => events.push(e));
  await waitFor(() => log.calls().some((c) => c.startsWith('EvtSubscribe flags=1 ')), 'the subscription');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(events.length, 0, 'records from before the start are not delivered');
  log.append(lines.slice(10, 13));
  await waitFor(() => events.length === 3, 'three new records');
  assert.deepEqual(events.map((e) => e.recordId), [5011, 5012, 5013]);
  await watcher.close();
});

test('close() during a wait settles promptly and nothing follows it', async () => {
  securityLog(fixtureLines().slice(0, 3));
  const watcher = watchBlocks({ from: 'oldest', includeAllowed: true });
  let n = 0;
  watcher.on('block', () => n++);
  await waitFor(() => n === 3, 'the backlog');
  const started = Date.now();
  await watcher.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  const after = n;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, after);
});

test('resume from a bookmark: a restarted watcher neither loses nor repeats records', async () => {
  securityLog(fixtureLines());
  const first = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 30);
  assert.equal(first.events.length, 30);
  const bookmark = first.watcher.bookmark;
  assert.match(bookmark, /RecordId='5030'/);
  const second = await run({ from: { bookmark }, includeAllowed: true }, (events) => events.length === 47);
  const ids = [...first.events, ...second.events].map((e) => e.recordId);
  assert.deepEqual(ids, fixtureLines().map((_, i) => 5001 + i));
});

test("a bookmark whose record is gone: a 'gap' event, then everything from the oldest record", async () => {
  const log = securityLog(fixtureLines());
  const bookmark = "<BookmarkList><Bookmark Channel='Security' RecordId='42' IsCurrent='true'/></BookmarkList>";
  const got = await run({ from: { bookmark }, includeAllowed: true }, (events) => events.length === 77);
  assert.equal(got.gaps.length, 1);
  assert.equal(got.gaps[0].reason, 'bookmark-not-found');
  assert.equal(got.events[0].recordId, 5001);
  assert.equal(got.events.length, 77);
  const subscribes = log.calls().filter((c) => c.startsWith('EvtSubscribe'));
  assert.match(subscribes[0], /^EvtSubscribe flags=65539 bookmark=42 /); // after the bookmark, strict
  assert.match(subscribes[1], /^EvtSubscribe flags=2 bookmark=none /); // then the oldest
});

test('an invalid bookmark option is a TypeError naming it', () => {
  assert.throws(() => watchBlocks({ from: { bookmark: 'not a bookmark' } }), { code: 'ERR_INVALID_OPTION', option: 'from' });
});

test("the 'legacy' source opens, waits and closes cleanly (Wine's event log never signals)", async () => {
  const watcher = watchBlocks({ source: 'legacy', from: 'oldest' });
  const errors = [];
  const events = [];
  watcher.on('error', (e) => errors.push(e));
  watcher.on('block', (e) => events.push(e));
  await new Promise((r) => setTimeout(r, 700)); // open, read to the end, wait on the notification
  const started = Date.now();
  await watcher.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  assert.deepEqual(errors.filter((e) => !e.recoverable), []);
  assert.deepEqual(events, []);
});

test('enrichment: device paths through QueryDosDevice; lookups that cannot answer leave fields absent, never the event', async () => {
  const log = securityLog(fixtureLines());
  const enriched = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
  const plain = await run({ from: 'oldest', includeAllowed: true, enrich: false }, (events) => events.length === 77);
  assert.equal(enriched.events.length, 77);
  assert.deepEqual(enriched.errors, []);
  for (const [i, e] of enriched.events.entries()) {
    assert.equal(e.filter, undefined); // the stand-in fwpuclnt.dll knows no filter unless a test gives it some
    const { applicationPath, processName, services, ruleName, filter, ...core } = e;
    assert.deepEqual(JSON.parse(JSON.stringify(core)), JSON.parse(JSON.stringify(plain.events[i])));
  }
  assert.ok(plain.events.every((e) => !('applicationPath' in e) && !('processName' in e)));
  assert.ok(log.calls().length > 0);
  // Wine maps its drives to devices too: where a fixture's device is one of them, the DOS path keeps
  // everything after the device.
  for (const e of enriched.events.filter((x) => x.applicationPath !== undefined)) {
    assert.match(e.applicationPath, /^[A-Z]:\\/);
    assert.equal(e.applicationPath.slice(2).toLowerCase(), e.application.replace(/^\\device\\[^\\]+/i, '').toLowerCase());
  }
});

test('replay works under Windows node too', async () => {
  const events = await replayOf(require('node:path').join(__dirname, 'fixtures', 'evtx-omerbenamram-evtx.xml'));
  assert.deepEqual(events.map((e) => e.recordId), [319457771, 319457855, 319457856]);
});
