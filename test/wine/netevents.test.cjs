// The real 'netevents' source, in Windows node under Wine, against the stand-in fwpuclnt.dll whose
// engine holds the blocks of every 5152 and 5157 of the fixture records as net events.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { blockLines, expectedNetEvents: expectedFrom, netEventEngine, run, sharedFacts, waitFor, watchBlocks } = require('./helpers.cjs');

const BLOCKS = blockLines();
test('every 5152 and 5157 of the fixture records, listed from the buffer, is what the Security log says of it', async () => {
  assert.ok(BLOCKS.length >= 39, `${BLOCKS.length} records`);
  const engine = netEventEngine({ records: BLOCKS });
  const expected = await expectedFrom(BLOCKS);
  const got = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length === expected.length);
  assert.deepEqual(got.errors, []);
  assert.deepEqual(got.events.map(sharedFacts), expected);
  for (const e of got.events) {
    assert.equal(e.recordId, 0);
    assert.equal(e.version, 5, 'FWPM_NET_EVENT5, the newest the stand-in exports');
    assert.equal(e.data.NetEventType, 'classifyDrop');
    assert.match(e.computer, /\S/);
  }
  const calls = engine.calls();
  assert.ok(calls.includes('FwpmNetEventSubscribe4 types=3,7,9'), calls.join('\n'));
  assert.ok(calls.includes('FwpmNetEventCreateEnumHandle0 types=3,7,9'));
  assert.ok(calls.some((c) => /^FwpmNetEventEnum5 returned=[1-9]/.test(c)));
  assert.ok(
    calls.indexOf('FwpmNetEventSubscribe4 types=3,7,9') < calls.indexOf('FwpmNetEventCreateEnumHandle0 types=3,7,9'),
    'subscribed before listing, so that nothing falls between',
  );
  assert.ok(calls.includes('FwpmNetEventUnsubscribe0'));
  assert.ok(!calls.some((c) => c.includes('called from its own callback')));
  assert.ok(!calls.some((c) => c.includes('did not return')), 'every block the API returned was freed by its pointer');
  // The app-container drops it asks for need a keyword: added for the watcher, removed after it.
  assert.deepEqual(engine.options(), [1, 0]);
  assert.deepEqual(
    calls.filter((c) => c.startsWith('FwpmEngineSetOption0')),
    ['FwpmEngineSetOption0 option=1 value=4', 'FwpmEngineSetOption0 option=1 value=0'],
  );
  assert.equal(fs.existsSync(engine.state), false, 'the record is gone once restored');
});

test('inbound multicast drops come only when their keyword is on, which the source leaves as it is', async () => {
  // A real inbound drop, sent to a multicast group instead (the fixtures' inbound drops are unicast).
  const inbound = BLOCKS.find((l) => /<EventID>5152</.test(l) && /%%14592/.test(l));
  const multicast = inbound.replace(/(<Data Name=['"]DestAddress['"]>)[^<]*/, '$1224.0.0.251');
  const off = netEventEngine({ records: [inbound, multicast] });
  const without = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length === 1);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(without.events.length, 1, 'by default the engine collects inbound unicast only');
  assert.ok(!off.calls().some((c) => /option=1 value=[^04]/.test(c)), 'the multicast keyword is not the source to change');
  const on = netEventEngine({ records: [inbound, multicast], options: [1, 1] });
  const withKeyword = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length === 2);
  const unicast = /<Data Name=['"]DestAddress['"]>([^<]*)/.exec(inbound)[1];
  assert.deepEqual(
    withKeyword.events.map((e) => e.local.address),
    [unicast, '224.0.0.251'],
  );
  assert.deepEqual(on.options(), [1, 1], 'restored to exactly what it was');
});

test("'now' delivers the events that happen after the start, from the stand-in's own callback thread", async () => {
  const engine = netEventEngine({ records: BLOCKS.slice(0, 10) });
  const watcher = watchBlocks({ source: 'netevents', enrich: false });
  const events = [];
  watcher.on('block', (e) => events.push(e));
  watcher.on('error', (e) => assert.fail(e.message));
  await waitFor(() => engine.calls().includes('FwpmNetEventSubscribe4 types=3,7,9'), 'the subscription');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(events.length, 0, 'events from before the start are not delivered');
  assert.ok(!engine.calls().some((c) => c.startsWith('FwpmNetEventCreateEnumHandle0')), "'now' lists nothing");
  engine.append(BLOCKS.slice(10, 13));
  const expected = await expectedFrom(BLOCKS.slice(10, 13));
  await waitFor(() => events.length === expected.length, 'the new events');
  assert.deepEqual(events.map(sharedFacts), expected);
  await watcher.close();
});

test('a subscription and a listing that overlap deliver each event once', async () => {
  // The stand-in's subscription also delivers the 8 newest events it already had, as events in
  // flight while a subscription is made are: the listing has them too.
  const engine = netEventEngine({ records: BLOCKS, fail: 'subscribe-replays=8' });
  const expected = await expectedFrom(BLOCKS);
  const got = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length >= expected.length);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(got.events.map(sharedFacts), expected);
  assert.ok(engine.calls().includes('FwpmNetEventSubscribe4 types=3,7,9'));
});

test('resume from a bookmark: a restarted watcher neither loses nor repeats events', async () => {
  netEventEngine({ records: BLOCKS });
  const expected = await expectedFrom(BLOCKS);
  const first = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length === 15);
  const bookmark = first.watcher.bookmark;
  assert.match(bookmark, /^wfp-netevents\/1;t=\d+;n=\d+;h=[0-9a-f]{8}$/);
  const second = await run({ source: 'netevents', from: { bookmark }, enrich: false }, (events) => events.length === expected.length - 15);
  assert.deepEqual(second.gaps, []);
  assert.deepEqual([...first.events, ...second.events].map(sharedFacts), expected);
});

test("a bookmark the engine's buffer no longer reaches: a 'gap', then the events after it", async () => {
  netEventEngine({ records: BLOCKS });
  const first = await run({ source: 'netevents', from: 'oldest', enrich: false }, (events) => events.length === 5);
  const bookmark = first.watcher.bookmark;
  // The buffer now keeps the 20 newest events only.
  netEventEngine({ records: BLOCKS, buffer: 20 });
  const kept = await expectedFrom(BLOCKS.slice(-20));
  const second = await run({ source: 'netevents', from: { bookmark }, enrich: false }, (events) => events.length === kept.length);
  assert.equal(second.gaps.length, 1);
  assert.match(second.gaps[0].message, /no longer in the filter engine's buffer/);
  assert.deepEqual(second.events.map(sharedFacts), kept);
});

test('a bookmark of another source is refused before anything runs', () => {
  const eventlog = "<BookmarkList><Bookmark Channel='Security' RecordId='5' IsCurrent='true'/></BookmarkList>";
  assert.throws(() => watchBlocks({ source: 'netevents', from: { bookmark: eventlog } }), {
    code: 'ERR_INVALID_OPTION',
    option: 'from.bookmark',
  });
  assert.throws(() => watchBlocks({ from: { bookmark: 'wfp-netevents/1;t=1;n=1;h=00000000' } }), { code: 'ERR_INVALID_OPTION' });
});

test('collection off: turned on for the watcher, written down first, put back exactly on close', async () => {
  // Off, with the inbound multicast keyword on (someone's choice, kept as it is).
  const engine = netEventEngine({ records: BLOCKS.slice(0, 5), options: [0, 1] });
  const watcher = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
  const events = [];
  watcher.on('block', (e) => events.push(e));
  await waitFor(() => events.length > 0, 'events once collection is on');
  assert.deepEqual(engine.options(), [1, 5]);
  const record = JSON.parse(fs.readFileSync(engine.state, 'utf8'));
  assert.deepEqual(record.before, { collect: 0, keywords: 1 });
  assert.equal(record.turnedOnCollect, 1);
  assert.equal(record.addedKeywords, 4);
  assert.equal(record.owners.length, 1);
  assert.equal(record.owners[0].pid, process.pid);
  await watcher.close();
  assert.deepEqual(engine.options(), [0, 1]);
  assert.equal(fs.existsSync(engine.state), false);
});

test('two watchers: what the first turned on stays until the last one that relies on it closes', async () => {
  const engine = netEventEngine({ records: BLOCKS.slice(0, 5), options: [0, 0] });
  const a = watchBlocks({ source: 'netevents', enrich: false });
  await waitFor(() => engine.options()[0] === 1, 'collection on');
  const b = watchBlocks({ source: 'netevents', includeAllowed: true, enrich: false });
  await waitFor(() => engine.options()[1] === 28, 'the allow keywords too');
  assert.equal(JSON.parse(fs.readFileSync(engine.state, 'utf8')).owners.length, 2);
  await a.close();
  assert.deepEqual(engine.options(), [1, 28], 'b still relies on all of it');
  await b.close();
  assert.deepEqual(engine.options(), [0, 0]);
  assert.equal(fs.existsSync(engine.state), false);
});

test('includeAllowed: permitted connections, binds and listens, with the keywords they need', async () => {
  const records = fs
    .readFileSync(require('node:path').join(__dirname, 'fixtures', 'otrf-50c132c2.xml'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const engine = netEventEngine({ records });
  const expected = await expectedFrom(records);
  const got = await run(
    { source: 'netevents', from: 'oldest', includeAllowed: true, enrich: false },
    (events) => events.length === expected.length,
  );
  assert.deepEqual(got.errors, []);
  assert.deepEqual(got.events.map(sharedFacts), expected);
  assert.ok(engine.calls().includes('FwpmNetEventSubscribe4 types=3,7,9,6,8'));
  assert.deepEqual(engine.options(), [1, 0]);
});

test('filter names through the enricher, on the session the source opened: one FwpmEngineOpen0 for both', async () => {
  const filterId = /<Data Name=['"]FilterRTID['"]>(\d+)</.exec(BLOCKS[0])[1];
  // A run-time filter ID names its filter only since the engine's last start: a block from now.
  const recent = BLOCKS[0].replace(/SystemTime=(['"])[^'"]+\1/, `SystemTime='${new Date().toISOString()}'`);
  const engine = netEventEngine({ records: [recent], filters: [[filterId, 'Block%20192.0.2.1', 'a%20test%20rule', 'Windows%20Firewall']] });
  const got = await run({ source: 'netevents', from: 'oldest' }, (events) => events.length >= 1);
  const first = got.events[0];
  assert.equal(String(first.filterId), filterId);
  assert.deepEqual(first.filter, { name: 'Block 192.0.2.1', description: 'a test rule', provider: 'Windows Firewall' });
  assert.equal(engine.calls().filter((c) => c.startsWith('FwpmEngineOpen0')).length, 1);
});

test("'other-provider': a block by a filter of another WFP provider (an EDR, a VPN); Windows' own providers leave it unknown", async () => {
  const filterId = /<Data Name=['"]FilterRTID['"]>(\d+)</.exec(BLOCKS[0])[1];
  const recent = BLOCKS[0].replace(/SystemTime=(['"])[^'"]+\1/, `SystemTime='${new Date().toISOString()}'`);
  const decided = async (providerKey) => {
    netEventEngine({ records: [recent], filters: [[filterId, 'Block%20all', 'x', 'Contoso%20EDR', providerKey]] });
    const got = await run({ source: 'netevents', from: 'oldest' }, (events) => events.length >= 1);
    return [got.events[0].decidedBy, got.events[0].filter?.provider];
  };
  assert.deepEqual(await decided('{6B5F6B2C-3E0A-4D1B-9C1E-0A1B2C3D4E5F}'), ['other-provider', 'Contoso EDR']);
  assert.deepEqual(await decided('{4B153735-1049-4480-AAB4-D1B9BDC03710}'), ['unknown', 'Contoso EDR']); // FWPM_PROVIDER_MPSSVC_WSH
  assert.deepEqual(await decided('{DECC16CA-3F33-4346-BE1E-8FB4AE0F3D62}'), ['unknown', 'Contoso EDR']); // FWPM_PROVIDER_MPSSVC_WF
});

test('close() during a wait settles promptly, unsubscribes from its own thread, and nothing follows it', async () => {
  const engine = netEventEngine({ records: BLOCKS.slice(0, 3) });
  const watcher = watchBlocks({ source: 'netevents', from: 'oldest', enrich: false });
  let n = 0;
  watcher.on('block', () => n++);
  await waitFor(() => n >= 1, 'the backlog');
  const started = Date.now();
  await watcher.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  const after = n;
  engine.append(BLOCKS.slice(3, 6));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(n, after);
  const calls = engine.calls();
  assert.ok(calls.includes('FwpmNetEventUnsubscribe0') && !calls.some((c) => c.includes('called from its own callback')));
});
