// The real 'eventlog' and 'legacy' sources, in Windows node under Wine against the stand-in
// wevtapi.dll; on a real Windows runner the same file runs against the real DLLs, where the tests that
// need the stand-in's log are skipped.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fixtureLines, securityLog, run, replayOf, waitFor, watchBlocks, STANDIN } = require('./helpers.cjs');

// A live watcher's default kinds leave out packet drops (5150-5153): they are opt-in.
const BLOCK_IDS = 'EventID=5031 or EventID=5155 or EventID=5157 or EventID=5159';
// The Security log's rule and WFP object changes, asked for beside the blocks (as ranges: a query
// holds at most 21 comparisons).
const CHANGES_BEFORE = '(EventID >= 4944 and EventID <= 4954) or (EventID >= 4956 and EventID <= 4958)';
const CHANGES_AFTER = '(EventID >= 5440 and EventID <= 5444) or (EventID >= 5446 and EventID <= 5450)';
const withChanges = (ids) => `${CHANGES_BEFORE} or ${ids} or ${CHANGES_AFTER}`;
// Beside it, a <Query> for the firewall's own log: its change events (2002-2099), as ranges where they run.
const FIREWALL = 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall';
const FIREWALL_IDS =
  '(EventID >= 2002 and EventID <= 2006) or EventID=2008 or EventID=2010 or EventID=2032 or EventID=2033 or EventID=2052 or ' +
  'EventID=2059 or EventID=2060 or EventID=2071 or EventID=2073 or EventID=2082 or EventID=2083 or EventID=2097 or EventID=2099';
const query = (ids) =>
  `<QueryList><Query Id="0" Path="Security"><Select Path="Security">*[System[(${ids})]]</Select></Query>` +
  `<Query Id="1" Path="${FIREWALL}"><Select Path="${FIREWALL}">*[System[(${FIREWALL_IDS})]]</Select></Query></QueryList>`;

test(
  'records arrive in order through EvtSubscribe, EvtNext and EvtRender, as the replay source reads them',
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    const log = securityLog(fixtureLines());
    const got = await run({ from: 'oldest', includeAllowed: true, enrich: false }, (events) => events.length === 77);
    assert.deepEqual(got.errors, []);
    assert.deepEqual(
      JSON.parse(JSON.stringify(got.events)),
      JSON.parse(JSON.stringify(await replayOf(log.file, { includeAllowed: true }))),
    );
    const calls = log.calls();
    // 4719 too: the default audit 'check' watches for audit policy changes.
    assert.equal(
      calls[0],
      `EvtSubscribe flags=4098 bookmark=none signal=yes callback=no query=${query(`EventID=4719 or ${withChanges('EventID=5031 or (EventID >= 5154 and EventID <= 5159)')}`)}`,
    );
    assert.ok(
      calls.some((c) => /^EvtNext size=\d+ returned=\d+$/.test(c) && !c.endsWith('returned=0')),
      'EvtNext delivered records',
    );
  },
);

test(
  'Windows filters by event ID: by default the query asks for blocks only, packet drops when asked for',
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    let log = securityLog(fixtureLines());
    const got = await run({ from: 'oldest', audit: 'ignore' }, (events) => events.length === 5);
    assert.deepEqual(
      got.events.map((e) => e.eventId),
      [5157, 5157, 5157, 5157, 5157],
    );
    assert.equal(log.calls()[0], `EvtSubscribe flags=4098 bookmark=none signal=yes callback=no query=${query(withChanges(BLOCK_IDS))}`);
    log = securityLog(fixtureLines());
    await run({ from: 'oldest', audit: 'ignore', kinds: ['connection', 'packet', 'mac'] }, (events) => events.length === 5);
    assert.equal(
      log.calls()[0],
      `EvtSubscribe flags=4098 bookmark=none signal=yes callback=no query=${query(withChanges('(EventID >= 5150 and EventID <= 5153) or EventID=5157'))}`,
    );
  },
);

test(
  "live rule changes: the Security log's change events come with the blocks, and a block carries the last change of its rule",
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    const fs = require('node:fs');
    const path = require('node:path');
    const changes = fs
      .readFileSync(path.join(__dirname, 'fixtures', 'text-msdocs-mpssvc-wfp.xml'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('<Event'));
    const added = changes.find((l) => l.includes('<EventID>4946<'));
    const ruleId = /<Data Name="RuleId">([^<]*)</.exec(added)[1];
    // A Windows 11 block by that rule, on the same computer, after its changes (added, modified, deleted).
    const block = fixtureLines()
      .find((l) => /<EventID>5157</.test(l))
      .replace(/SystemTime=(['"])[^'"]+\1/, "SystemTime='2015-10-08T00:00:00.000Z'")
      .replace(/<Computer>[^<]*</, '<Computer>DC01.contoso.local<')
      .replace('</EventData>', `<Data Name='FilterOrigin'>${ruleId}</Data></EventData>`);
    // A live log's record IDs ascend (the documentation's samples come from several exports).
    const lines = [...changes, block].map((l, i) => l.replace(/<EventRecordID>\d+</, `<EventRecordID>${7000 + i}<`));
    const log = securityLog(lines);
    const got = await run({ from: 'oldest', audit: 'ignore', enrich: false, includeChanges: true }, (events) => events.length === 1);
    assert.deepEqual(got.errors, []);
    assert.deepEqual(
      got.ruleChanges.map((c) => c.eventId),
      changes.map((l) => Number(/<EventID>(\d+)</.exec(l)[1])),
    );
    assert.equal(got.events[0].decidedBy, 'rule');
    assert.equal(got.events[0].ruleId, ruleId);
    assert.equal(got.events[0].lastChange?.eventId, 4948);
    assert.equal(got.events[0].lastChange?.change, 'rule-deleted');
    assert.equal(got.events[0].lastChange?.name, 'Allow All Rule');
    // Without includeChanges the changes are still read (for the correlation), not reported.
    securityLog(lines);
    const quiet = await run({ from: 'oldest', audit: 'ignore', enrich: false }, (events) => events.length === 1);
    assert.equal(quiet.ruleChanges.length, 0);
    assert.equal(quiet.events[0].lastChange?.eventId, 4948);
    assert.ok(log.calls()[0].includes('(EventID >= 4944 and EventID <= 4954)'));
  },
);

test(
  "'now' delivers records written after the start, woken by the subscription's signal",
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    const lines = fixtureLines();
    const log = securityLog(lines.slice(0, 10));
    const watcher = watchBlocks({ includeAllowed: true });
    const events = [];
    watcher.on('block', (e) => events.push(e));
    await waitFor(() => log.calls().some((c) => c.startsWith('EvtSubscribe flags=4097 ')), 'the subscription');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(events.length, 0, 'records from before the start are not delivered');
    log.append(lines.slice(10, 13));
    await waitFor(() => events.length === 3, 'three new records');
    assert.deepEqual(
      events.map((e) => e.recordId),
      [5011, 5012, 5013],
    );
    await watcher.close();
  },
);

test('close() during a wait settles promptly and nothing follows it', async () => {
  securityLog(fixtureLines().slice(0, 3));
  const watcher = watchBlocks(STANDIN ? { from: 'oldest', includeAllowed: true } : { kinds: ['connection'] });
  let n = 0;
  const errors = [];
  watcher.on('block', () => n++);
  watcher.on('error', (e) => errors.push(e));
  if (STANDIN) await waitFor(() => n === 3, 'the backlog');
  else await new Promise((r) => setTimeout(r, 1000)); // the real log: subscribed, waiting
  const started = Date.now();
  await watcher.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  const after = n;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, after);
  assert.deepEqual(errors, []);
});

test(
  'resume from a bookmark: a restarted watcher neither loses nor repeats records',
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    securityLog(fixtureLines());
    const first = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 30);
    assert.equal(first.events.length, 30);
    const bookmark = first.watcher.bookmark;
    assert.match(bookmark, /RecordId='5030'/);
    const second = await run({ from: { bookmark }, includeAllowed: true }, (events) => events.length === 47);
    const ids = [...first.events, ...second.events].map((e) => e.recordId);
    assert.deepEqual(
      ids,
      fixtureLines().map((_, i) => 5001 + i),
    );
  },
);

test(
  "a bookmark whose record is gone: a 'gap' event, then everything from the oldest record",
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    const log = securityLog(fixtureLines());
    const bookmark = "<BookmarkList><Bookmark Channel='Security' RecordId='42' IsCurrent='true'/></BookmarkList>";
    const got = await run({ from: { bookmark }, includeAllowed: true }, (events) => events.length === 77);
    assert.equal(got.gaps.length, 1);
    assert.equal(got.gaps[0].reason, 'bookmark-not-found');
    assert.equal(got.events[0].recordId, 5001);
    assert.equal(got.events.length, 77);
    const subscribes = log.calls().filter((c) => c.startsWith('EvtSubscribe'));
    assert.match(subscribes[0], /^EvtSubscribe flags=69635 bookmark=Security:42 /); // after the bookmark, strict, tolerant
    assert.match(subscribes[1], /^EvtSubscribe flags=4098 bookmark=none /); // then the oldest
  },
);

test('an invalid bookmark option is a TypeError naming it', () => {
  assert.throws(() => watchBlocks({ from: { bookmark: 'not a bookmark' } }), { code: 'ERR_INVALID_OPTION', option: 'from.bookmark' });
});

test("the 'legacy' source reads the publisher's templates once, opens, waits and closes cleanly (Wine's event log never signals)", async () => {
  const log = securityLog([]);
  const watcher = watchBlocks({ source: 'legacy', from: 'oldest' });
  const errors = [];
  const events = [];
  watcher.on('error', (e) => errors.push(e));
  watcher.on('block', (e) => events.push(e));
  await new Promise((r) => setTimeout(r, 700)); // open, read to the end, wait on the notification
  const started = Date.now();
  await watcher.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  assert.deepEqual(errors, []);
  if (!STANDIN) return; // on Windows the real log may hold records
  assert.deepEqual(events, []);
  // EvtOpenPublisherMetadata, the event enumeration and each event's metadata: every handle closed.
  const calls = log.calls();
  assert.deepEqual(
    calls.filter((c) => c.startsWith('EvtOpenPublisherMetadata')),
    ['EvtOpenPublisherMetadata publisher=Microsoft-Windows-Security-Auditing'],
  );
  for (const kind of ['publisher', 'metadata-enum', 'event-metadata']) {
    const opened = calls.filter((c) => c === `open ${kind}`).length;
    assert.ok(opened > 0, kind);
    assert.equal(calls.filter((c) => c === `EvtClose ${kind}`).length, opened, `every ${kind} handle closed`);
  }
});

test(
  "the 'legacy' source without the publisher's metadata: one recoverable ERR_EVENTLOG_METADATA, and it reads on",
  { skip: !STANDIN && 'needs the stand-in' },
  async () => {
    securityLog([], 'metadata=15002');
    const watcher = watchBlocks({ source: 'legacy', from: 'oldest' });
    const errors = [];
    watcher.on('error', (e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 700));
    await watcher.close();
    assert.deepEqual(
      errors.map((e) => [e.code, e.systemCode, e.recoverable]),
      [['ERR_EVENTLOG_METADATA', 15002, true]],
    );
    assert.match(errors[0].message, /built-in table/);
  },
);

test(
  'enrichment: device paths through QueryDosDevice; lookups that cannot answer leave fields absent, never the event',
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
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
  },
);

test('replay works under Windows node too', async () => {
  const events = await replayOf(require('node:path').join(__dirname, 'fixtures', 'evtx-omerbenamram-evtx.xml'));
  assert.deepEqual(
    events.map((e) => e.recordId),
    [319457771, 319457855, 319457856],
  );
});

test(
  "live: this machine's interface addresses decide local and remote, also where the log has them reversed",
  { skip: !STANDIN && 'needs the stand-in log' },
  async () => {
    // Wine's GetAdaptersAddresses reports the Linux host's addresses; os.networkInterfaces() reads the same.
    const own = Object.values(require('node:os').networkInterfaces())
      .flat()
      .find((a) => a.family === 'IPv4').address;
    const pair = require('node:fs')
      .readFileSync(require('node:path').join(__dirname, 'fixtures', 'evtx-omerbenamram-evtx.xml'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l, i) => l.replaceAll('169.46.6.101', own).replace(/<EventRecordID>\d+</, `<EventRecordID>${8001 + i}<`));
    securityLog(pair);
    const got = await run({ from: 'oldest', kinds: ['packet', 'connection'] }, (events) => events.length === 3);
    assert.deepEqual(
      got.events.map((e) => [e.eventId, e.local?.address, e.sidesBy]),
      [
        [5152, own, 'interface'],
        [5152, own, 'interface'],
        [5157, own, 'interface'], // logged with Source = this host although inbound
      ],
    );
    securityLog(fixtureLines()); // another machine's addresses: the direction rule decides
    const other = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === 77);
    assert.ok(other.events.every((e) => e.sidesBy === 'direction' || e.sidesBy === 'kind'));
  },
);

test(
  'rule names: FilterOrigin looked up in every rule store, built-in rule IDs too, rule strings over 8 KB',
  { skip: !STANDIN && 'writes HKLM rule stores of the Wine prefix' },
  async () => {
    const { spawnSync } = require('node:child_process');
    const policy = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy';
    const rules = [
      // A built-in rule's ID is text, not a GUID; it lives in Group Policy's store here.
      ['HKLM\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\FirewallRules', 'CoreNet-Test-Out', 'Core Networking - Test (Out)', ''],
      [`${policy}\\RestrictedServices\\AppIso\\FirewallRules`, '{6B3B0B2C-3B5F-4C5A-8E0E-0E6C4A1D7F01}', 'An app container rule', ''],
      [`${policy}\\FirewallRules`, '{6B3B0B2C-3B5F-4C5A-8E0E-0E6C4A1D7F02}', 'A rule with a long description', 'd'.repeat(10000)],
    ];
    for (const [key, id, name, desc] of rules) {
      const group = id === 'CoreNet-Test-Out' ? 'EmbedCtxt=Core Networking|' : '';
      const data = `v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|${desc ? `Desc=${desc}|` : ''}Name=${name}|${group}`;
      const r = spawnSync('reg', ['add', key, '/v', id, '/t', 'REG_SZ', '/d', data, '/f'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    const origins = [...rules.map((r) => r[1]), 'Stealth'];
    const lines = fixtureLines()
      .slice(0, origins.length)
      .map((l, i) => l.replace(/(<Data Name='FilterRTID'>)/, `<Data Name='FilterOrigin'>${origins[i]}</Data>$1`));
    securityLog(lines);
    const got = await run({ from: 'oldest', includeAllowed: true }, (events) => events.length === origins.length);
    assert.deepEqual(
      got.events.map((e) => [e.filterOrigin, e.ruleName]),
      [
        ['CoreNet-Test-Out', 'Core Networking - Test (Out)'],
        [rules[1][1], 'An app container rule'],
        [rules[2][1], 'A rule with a long description'],
        ['Stealth', undefined], // a default filter's name: no store holds it
      ],
    );
    // The rule's identity as its store holds it: group, direction, action, and which store.
    assert.deepEqual(
      got.events.map((e) => e.rule),
      [
        { group: 'Core Networking', direction: 'outbound', action: 'block', store: 'group-policy' },
        { group: null, direction: 'outbound', action: 'block', store: 'app-isolation' },
        { group: null, direction: 'outbound', action: 'block', store: 'local' },
        undefined,
      ],
    );
  },
);
