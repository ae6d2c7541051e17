// The firewall's own operational log, live: one EvtSubscribe whose query has a <Query> for it beside the
// Security log's, in Windows node under Wine against the stand-in wevtapi.dll (WFP_STANDIN_FIREWALL_RECORDS
// is that log's file). Its changes arrive as 'ruleChange' events and give blocks their lastChange; the
// bookmark names both logs; stopped and resumed, a watcher neither loses nor repeats a record of either;
// a bookmark of the version that read the Security log alone still resumes; a machine without that log
// still watches the Security log. Real records: the firewall-log records of test/fixtures/records/changes
// (Eric Zimmerman's map examples, fs01's export) and the Security-log records of otrf-50c132c2. Synthetic:
// the record IDs of the firewall's records (renumbered in ascending order, as a live log's are, except
// fs01's, which are its own), and where a test says so, their times and a block's FilterOrigin.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fixtureLines, securityLog, run, waitFor, watchBlocks, STANDIN } = require('./helpers.cjs');

const skip = !STANDIN && 'needs the stand-in logs';
const FIREWALL = 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall';
const records = (name) =>
  fs
    .readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('<Event'));
const renumbered = (line, id) => line.replace(/<EventRecordID>\d+</, `<EventRecordID>${id}<`);
const timeOf = (line) => /SystemTime=(['"])([^'"]+)\1/.exec(line)[2];
const at = (line, time) => line.replace(/SystemTime=(['"])[^'"]+\1/, `SystemTime='${time}'`);
const dataOf = (line, name) => new RegExp(`<Data Name=['"]${name}['"]>([^<]*)<`).exec(line)[1];
// Eric Zimmerman's examples: 2003 (a profile setting), 2004 (rule added), 2005 (modified), 2006 (deleted).
const EZ = records('text-EricZimmerman-firewall.xml');
// fs01 (one host, 0.2 s): Security 4950, firewall 2003, alternating in time; the firewall's are 912-914.
const FS01 = records('evtx-mdecrevoisier-firewall-profiles.xml');
const FS01_SECURITY = FS01.filter((l) => l.includes('<Channel>Security<'));
const FS01_FIREWALL = FS01.filter((l) => l.includes(`<Channel>${FIREWALL}<`));
const options = { audit: 'ignore', enrich: false, includeChanges: true };
const subscribes = (calls) => calls.filter((c) => c.startsWith('EvtSubscribe '));
const ids = (list) => list.map((x) => x.recordId);

/** The replay source's rule changes of `lines`: what the live source must deliver for them too. */
async function replayedChanges(lines) {
  const file = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'wfp-fw-')), 'changes.xml');
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return (await run({ source: { replay: file }, includeChanges: true })).ruleChanges;
}

test('one subscription, a <Query> per log, tolerant of a missing log: the exact query and flags', { skip }, async () => {
  const log = securityLog(fixtureLines(), '', []);
  await run({ from: 'oldest', includeAllowed: true, ...options }, (events) => events.length === 77);
  assert.equal(
    subscribes(log.calls())[0],
    'EvtSubscribe flags=4098 bookmark=none signal=yes callback=no query=<QueryList>' +
      '<Query Id="0" Path="Security"><Select Path="Security">*[System[((EventID >= 4944 and EventID <= 4954) or ' +
      '(EventID >= 4956 and EventID <= 4958) or EventID=5031 or (EventID >= 5154 and EventID <= 5159) or ' +
      '(EventID >= 5440 and EventID <= 5444) or (EventID >= 5446 and EventID <= 5450))]]</Select></Query>' +
      `<Query Id="1" Path="${FIREWALL}"><Select Path="${FIREWALL}">*[System[((EventID >= 2002 and EventID <= 2006) or ` +
      'EventID=2008 or EventID=2010 or EventID=2032 or EventID=2033 or EventID=2052 or EventID=2059 or EventID=2060 or ' +
      'EventID=2071 or EventID=2073 or EventID=2082 or EventID=2083 or EventID=2097 or EventID=2099)]]</Select></Query>' +
      '</QueryList>',
  );
  assert.ok(!log.calls().some((c) => c.startsWith('tolerated')), 'this machine has the firewall log');
});

test("changes written to the firewall log arrive live as 'ruleChange' events, as the replay source reads them", { skip }, async () => {
  const log = securityLog([], '', []);
  const lines = EZ.map((l, i) => renumbered(l, 4001 + i));
  const watcher = watchBlocks(options);
  const changes = [];
  watcher.on('ruleChange', (c) => changes.push(c));
  try {
    await waitFor(() => log.calls().includes('open subscription'), 'the subscription');
    // 'now' is the newest record of each log; the firewall log is empty, so the query found none.
    assert.ok(log.calls().includes(`EvtQuery path=${FIREWALL} flags=513 query=*`));
    log.appendFirewall(lines);
    await waitFor(() => changes.length === 4, 'the four changes');
  } finally {
    await watcher.close();
  }
  assert.deepEqual(
    changes.map((c) => [c.channel, c.eventId, c.recordId, c.change, c.name]),
    [
      [FIREWALL, 2003, 4001, 'setting-changed', null],
      [FIREWALL, 2004, 4002, 'rule-added', 'windows_ie_ac_001'],
      [FIREWALL, 2005, 4003, 'rule-modified', 'anydesk.exe'],
      [FIREWALL, 2006, 4004, 'rule-deleted', 'WinDefend Outbound for TCP'],
    ],
  );
  assert.deepEqual(JSON.parse(JSON.stringify(changes)), JSON.parse(JSON.stringify(await replayedChanges(lines))));
});

test('a live block carries the last change of its rule from a 2004 or 2005 record of the firewall log', { skip }, async () => {
  const [added, modified] = [renumbered(EZ[1], 4001), renumbered(EZ[2], 4002)];
  // Two Windows 11 blocks by those rules (FilterOrigin, synthetic), after the changes.
  const block = fixtureLines().find((l) => /<EventID>5157</.test(l));
  const blocks = [added, modified].map((change, i) =>
    renumbered(
      at(block, `2021-01-0${i + 1}T00:00:00.0000000Z`).replace(
        '</EventData>',
        `<Data Name='FilterOrigin'>${dataOf(change, 'RuleId')}</Data></EventData>`,
      ),
      9001 + i,
    ),
  );
  for (const includeChanges of [true, false]) {
    const log = securityLog([], '', []);
    const watcher = watchBlocks({ ...options, includeChanges });
    const events = [];
    watcher.on('block', (e) => events.push(e));
    try {
      await waitFor(() => log.calls().includes('open subscription'), 'the subscription');
      log.appendFirewall([added, modified]);
      log.append(blocks);
      await waitFor(() => events.length === 2, 'the two blocks');
    } finally {
      await watcher.close();
    }
    assert.deepEqual(
      events.map((e) => [e.decidedBy, e.ruleId]),
      [
        ['rule', '{21B2FB86-8218-4839-ACF3-CEE5F6CC6793}'],
        ['rule', 'UDP Query User{~~~~}C:\\users\\hyuunnn\\downloads\\anydesk.exe'],
      ],
    );
    assert.deepEqual(
      JSON.parse(JSON.stringify(events.map((e) => e.lastChange))),
      [
        {
          eventId: 2004,
          recordId: 4001,
          time: '2020-02-12T14:45:13.365Z',
          change: 'rule-added',
          name: 'windows_ie_ac_001',
          user: { sid: 'S-1-5-80-3088073201-1464728630-1879813800-1107566885-823218052', name: null },
          application: 'C:\\WINDOWS\\System32\\svchost.exe',
        },
        {
          eventId: 2005,
          recordId: 4002,
          time: '2020-12-12T07:32:38.912Z',
          change: 'rule-modified',
          name: 'anydesk.exe',
          user: { sid: 'S-1-5-21-2856883770-2223847312-2813546713-1001', name: null },
          application: 'C:\\Windows\\System32\\dllhost.exe',
        },
      ],
      `includeChanges: ${includeChanges}`,
    );
  }
});

test("the two logs' records come in the order they were written, and the bookmark names both logs", { skip }, async () => {
  const log = securityLog(FS01_SECURITY, '', FS01_FIREWALL);
  const watcher = watchBlocks({ ...options, from: 'oldest' });
  const changes = [];
  watcher.on('ruleChange', (c) => changes.push(c));
  await waitFor(() => changes.length === 6, 'the six changes');
  await new Promise((r) => setTimeout(r, 300)); // the batch's end, where the Security log's position goes
  await watcher.close();
  assert.deepEqual(
    changes.map((c) => [c.eventId, c.recordId, c.time.toISOString()]),
    [
      [2003, 912, '2021-06-03T19:39:52.893Z'],
      [4950, 1974770, '2021-06-03T19:39:52.893Z'],
      [2003, 913, '2021-06-03T19:39:52.895Z'],
      [4950, 1974775, '2021-06-03T19:39:52.932Z'],
      [2003, 914, '2021-06-03T19:39:53.056Z'],
      [4950, 1974929, '2021-06-03T19:39:53.056Z'],
    ],
  );
  assert.deepEqual(
    changes.map((c) => c.channel),
    [FIREWALL, 'Security', FIREWALL, 'Security', FIREWALL, 'Security'],
  );
  assert.equal(
    watcher.bookmark,
    `<BookmarkList><Bookmark Channel='Security' RecordId='1974929' IsCurrent='true'/><Bookmark Channel='${FIREWALL}' RecordId='914'/></BookmarkList>`,
  );
  // That bookmark resumes both logs after those records: only what is written later comes.
  const more = [renumbered(FS01_FIREWALL[0], 915), renumbered(FS01_SECURITY[0], 1974930)];
  log.appendFirewall([more[0]]);
  log.append([more[1]]);
  const resumed = watchBlocks({ ...options, from: { bookmark: watcher.bookmark } });
  const after = [];
  resumed.on('ruleChange', (c) => after.push(c));
  try {
    await waitFor(() => after.length === 2, 'the two new changes');
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await resumed.close();
  }
  assert.deepEqual(
    ids(after).sort((a, b) => a - b),
    [915, 1974930],
  );
  assert.match(subscribes(log.calls()).at(-1), /^EvtSubscribe flags=69635 bookmark=Security:1974929\+Firewall:914 /);
});

// 30 firewall records (the seven real ones in turn, renumbered 1001-1030), each written between two of
// the Security log's records (its time set to one of theirs): the two logs interleave throughout.
const SECURITY = fixtureLines(); // 77 records, 5001-5077
const FIREWALL_LINES = Array.from({ length: 30 }, (_, i) =>
  renumbered(at([...FS01_FIREWALL, ...EZ][i % 7], timeOf(SECURITY[2 * i + 1])), 1001 + i),
);

// One run of a watcher: stops after `n` of `what` ('block' or 'ruleChange', the latter from inside its
// listener), in a for-await loop with `loop`; or, with n = Infinity, once `expect` events came and a
// moment passed without more. `more`: further watch options.
async function runUntil(from, what, n, { loop = false, expect = null, more = {} } = {}) {
  const watcher = watchBlocks({ ...options, includeAllowed: true, from, ...more });
  const got = { blocks: [], changes: [] };
  let closing = false;
  const stop = () => {
    closing = true;
    void watcher.close();
  };
  let quiet;
  const settle = () => {
    if (expect && got.blocks.length + got.changes.length >= expect) {
      clearTimeout(quiet);
      quiet = setTimeout(stop, 400);
    }
  };
  watcher.on('ruleChange', (c) => {
    assert.ok(!closing, 'nothing after close()');
    got.changes.push(c);
    if (what === 'ruleChange' && got.changes.length === n) stop();
    settle();
  });
  const limit = setTimeout(stop, 15_000); // fewer than expected: stop anyway, so that the comparison says what is missing
  const closed = new Promise((resolve) => watcher.once('close', resolve));
  if (loop) {
    for await (const e of watcher) {
      got.blocks.push(e);
      if (what === 'block' && got.blocks.length === n) break;
    }
  } else {
    watcher.on('block', (e) => {
      assert.ok(!closing, 'nothing after close()');
      got.blocks.push(e);
      if (what === 'block' && got.blocks.length === n) stop();
      settle();
    });
  }
  await closed;
  clearTimeout(limit);
  clearTimeout(quiet);
  return { ...got, bookmark: watcher.bookmark };
}

test(
  'stopped at several points and resumed, with records written to both logs between: every record of each log once',
  { skip },
  async () => {
    const log = securityLog(SECURITY.slice(0, 30), '', FIREWALL_LINES.slice(0, 12));
    const stops = [
      ['block', 4, {}],
      ['ruleChange', 3, {}],
      ['block', 10, { loop: true }],
      ['ruleChange', 1, {}],
      ['block', 1, {}],
    ];
    const blocks = [];
    const changes = [];
    let from = 'oldest';
    let written = [30, 12];
    for (const [what, n, how] of stops) {
      const got = await runUntil(from, what, n, how);
      assert.equal(what === 'block' ? got.blocks.length : got.changes.length, n, `stopped after ${n} of ${what}`);
      blocks.push(...got.blocks);
      changes.push(...got.changes);
      from = { bookmark: got.bookmark };
      assert.match(
        got.bookmark,
        new RegExp(
          `^<BookmarkList><Bookmark Channel='Security' RecordId='\\d+' IsCurrent='true'/><Bookmark Channel='${FIREWALL}' RecordId='\\d+'/></BookmarkList>$`,
        ),
      );
      log.append(SECURITY.slice(written[0], written[0] + 12));
      log.appendFirewall(FIREWALL_LINES.slice(written[1], written[1] + 4));
      written = [written[0] + 12, written[1] + 4];
    }
    log.append(SECURITY.slice(written[0]));
    log.appendFirewall(FIREWALL_LINES.slice(written[1]));
    const rest = await runUntil(from, null, Infinity, { expect: 77 + 30 - blocks.length - changes.length });
    blocks.push(...rest.blocks);
    changes.push(...rest.changes);
    assert.deepEqual(
      ids(blocks),
      SECURITY.map((_, i) => 5001 + i),
      'each Security record once, in order',
    );
    assert.deepEqual(
      ids(changes),
      FIREWALL_LINES.map((_, i) => 1001 + i),
      'each firewall record once, in order',
    );
    assert.ok(changes.every((c) => c.channel === FIREWALL));
    // Every run after the first resumed from a bookmark over both logs.
    const resumes = subscribes(log.calls()).filter((c) => c.includes('bookmark=Security:'));
    assert.ok(resumes.length >= stops.length && resumes.every((c) => /bookmark=Security:\d+\+Firewall:\d+ /.test(c)));
  },
);

test(
  "a bookmark of the version that read the Security log alone: the Security log resumes exactly, the firewall log at 'now'",
  { skip },
  async () => {
    const old = FIREWALL_LINES.slice(0, 6); // 1001-1006, written before the bookmark was taken
    const log = securityLog(SECURITY, '', old);
    const bookmark = "<BookmarkList><Bookmark Channel='Security' RecordId='5030' IsCurrent='true'/></BookmarkList>";
    const watcher = watchBlocks({ ...options, includeAllowed: true, from: { bookmark } });
    const got = { blocks: [], changes: [] };
    watcher.on('block', (e) => got.blocks.push(e));
    watcher.on('ruleChange', (c) => got.changes.push(c));
    try {
      await waitFor(() => got.blocks.length === 47, 'the Security records after the bookmark');
      log.appendFirewall(FIREWALL_LINES.slice(6, 8).map((l) => at(l, '2020-08-05T03:59:00.0000000Z')));
      await waitFor(() => got.changes.length === 2, 'the two new changes');
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await watcher.close();
    }
    assert.deepEqual(
      ids(got.blocks),
      SECURITY.slice(30).map((_, i) => 5031 + i),
    );
    assert.deepEqual(ids(got.changes), [1007, 1008], "the firewall log's older changes are not reported as new");
    const calls = log.calls();
    assert.ok(calls.includes(`EvtQuery path=${FIREWALL} flags=513 query=*`), "the firewall log's newest record is looked up");
    assert.match(subscribes(calls)[0], /^EvtSubscribe flags=69635 bookmark=Security:5030\+Firewall:1006 /);
    assert.equal(
      watcher.bookmark,
      `<BookmarkList><Bookmark Channel='Security' RecordId='5077' IsCurrent='true'/><Bookmark Channel='${FIREWALL}' RecordId='1008'/></BookmarkList>`,
    );
  },
);

test("a firewall-log record of the bookmark is gone: a 'gap' naming that log, and no record of either log repeats", { skip }, async () => {
  const log = securityLog(SECURITY, '', FIREWALL_LINES.slice(10, 20)); // 1011-1020: the log rolled over past 1005
  const bookmark = `<BookmarkList><Bookmark Channel='Security' RecordId='5040' IsCurrent='true'/><Bookmark Channel='${FIREWALL}' RecordId='1005'/></BookmarkList>`;
  const got = await run({ ...options, includeAllowed: true, from: { bookmark } }, (events) => events.length === 37);
  assert.deepEqual(
    got.gaps.map((g) => g.message),
    [`the bookmarked record is no longer in the ${FIREWALL} log (cleared or overwritten); reading goes on from the oldest record`],
  );
  assert.deepEqual(
    ids(got.events),
    SECURITY.slice(40).map((_, i) => 5041 + i),
    'from the oldest, less what was delivered',
  );
  assert.deepEqual(
    ids(got.ruleChanges),
    FIREWALL_LINES.slice(10, 20).map((_, i) => 1011 + i),
  );
  const subs = subscribes(log.calls());
  assert.match(subs[0], /^EvtSubscribe flags=69635 bookmark=Security:5040\+Firewall:1005 /);
  assert.ok(log.calls().includes('strict refused: the bookmarked record is gone in Firewall'));
  assert.match(subs[1], /^EvtSubscribe flags=4098 bookmark=none /);
});

test('a machine without the firewall log: the subscription leaves it out, the Security log is watched as before', { skip }, async () => {
  const log = securityLog(SECURITY); // no WFP_STANDIN_FIREWALL_RECORDS: no such channel
  const got = await run({ ...options, includeAllowed: true, from: 'oldest' }, (events) => events.length === 77);
  assert.deepEqual(got.errors, []);
  assert.deepEqual(
    ids(got.events),
    SECURITY.map((_, i) => 5001 + i),
  );
  const calls = log.calls();
  assert.match(subscribes(calls)[0], /^EvtSubscribe flags=4098 /);
  assert.ok(calls.includes(`tolerated: no channel ${FIREWALL}`));
  assert.equal(got.watcher.bookmark, "<BookmarkList><Bookmark Channel='Security' RecordId='5077' IsCurrent='true'/></BookmarkList>");
  // 'now' there: the firewall log's newest record cannot be looked up, and new Security records still come.
  const now = securityLog(SECURITY.slice(0, 10));
  const watcher = watchBlocks({ ...options, includeAllowed: true });
  const events = [];
  watcher.on('block', (e) => events.push(e));
  try {
    await waitFor(() => now.calls().includes('open subscription'), 'the subscription');
    now.append(SECURITY.slice(10, 12));
    await waitFor(() => events.length === 2, 'two new records');
  } finally {
    await watcher.close();
  }
  assert.deepEqual(ids(events), [5011, 5012]);
});

test(
  "the Security log's own changes: a bookmark taken in their listener resumes after them (none comes again), at every change",
  { skip },
  async () => {
    // Blocks with fs01's three 4950s between them, one Security log numbered 6001-6015.
    const lines = SECURITY.slice(0, 12).flatMap((b, i) => (i % 4 === 1 ? [b, FS01_SECURITY[(i - 1) / 4]] : [b]));
    const numbered = lines.map((l, i) => renumbered(l, 6001 + i));
    for (let n = 1; n <= FS01_SECURITY.length; n++) {
      securityLog(numbered, '', []);
      const first = await runUntil('oldest', 'ruleChange', n);
      assert.equal(first.changes.length, n);
      const rest = await runUntil({ bookmark: first.bookmark }, null, Infinity, {
        expect: numbered.length - first.blocks.length - first.changes.length,
      });
      assert.deepEqual(
        [...ids(first.blocks), ...ids(first.changes), ...ids(rest.blocks), ...ids(rest.changes)].sort((a, b) => a - b),
        numbered.map((_, i) => 6001 + i),
        `stopped at change ${n}: each record once`,
      );
    }
  },
);

test(
  "the firewall log's changes while the Security log's blocks are held (coalescing): a bookmark taken in their listener resumes after them",
  { skip },
  async () => {
    const firewall = FIREWALL_LINES.slice(0, 6);
    const more = { coalesce: { windowMs: 1000 } };
    for (let n = 1; n <= firewall.length; n++) {
      securityLog(SECURITY.slice(0, 20), '', firewall);
      const first = await runUntil('oldest', 'ruleChange', n, { more });
      assert.equal(first.changes.length, n);
      const rest = await runUntil({ bookmark: first.bookmark }, null, Infinity, { expect: firewall.length - n, more });
      assert.deepEqual(
        [...ids(first.changes), ...ids(rest.changes)],
        firewall.map((_, i) => 1001 + i),
        `stopped at change ${n}: each firewall record once`,
      );
    }
  },
);
