// Under Wine the audit-policy functions are not implemented (AuditQuerySystemPolicy fails with
// ERROR_CALL_NOT_IMPLEMENTED): every entry point must give a typed error, not a crash. On a real
// Windows runner, where they work (test/windows/e2e-block.cjs checks them against auditpol), those
// tests are skipped; the supervision tests need the stand-in's log.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { enableBlockAuditing, getAuditPolicy, restoreAuditPolicy, WfpBlocksError } = require('wfp-blocks');
const { fixtureLines, securityLog, run, STANDIN } = require('./helpers.cjs');

const wine = { skip: !STANDIN && 'Windows implements the audit API' };
const standin = { skip: !STANDIN && 'needs the stand-in log' };

const CONNECTION = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const stateFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-audit-')), 'audit-state.json');

function typedAuditError(error) {
  assert.ok(error instanceof WfpBlocksError, `not a WfpBlocksError: ${error}`);
  assert.equal(error.code, 'ERR_AUDIT_POLICY');
  assert.equal(error.systemCode, 120); // ERROR_CALL_NOT_IMPLEMENTED
  assert.match(error.message, /AuditQuerySystemPolicy failed/);
  return true;
}

test('getAuditPolicy and enableBlockAuditing give typed errors, and enable records nothing', wine, () => {
  assert.throws(() => getAuditPolicy(), typedAuditError);
  const file = stateFile();
  assert.throws(() => enableBlockAuditing({ stateFile: file }), typedAuditError);
  assert.equal(fs.existsSync(file), false);
});

test('restoreAuditPolicy gives a typed error and keeps the crash record for a later try', wine, () => {
  const file = stateFile();
  const turnedOn = [{ subcategory: 'connection', guid: CONNECTION, success: false, failure: true }];
  fs.writeFileSync(file, JSON.stringify({ version: 1, turnedOn }));
  assert.throws(() => restoreAuditPolicy(null, { stateFile: file }), typedAuditError);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).turnedOn, turnedOn);
});

test("a watcher in 'check' mode says the auditing state is unknown, and still delivers", wine, async () => {
  securityLog(fixtureLines());
  const statuses = [];
  const got = await run({ from: 'oldest' }, (events) => events.length === 5);
  got.watcher.on('audit', (s) => statuses.push(s));
  assert.equal(got.events.length, 5);
  const again = await new Promise((resolve) => {
    const { watchBlocks } = require('wfp-blocks');
    const w = watchBlocks({ from: 'oldest' });
    w.on('audit', (s) => {
      resolve(s);
      void w.close();
    });
  });
  assert.equal(again.status, 'unknown');
  assert.equal(again.reason, 'start');
  assert.ok(typedAuditError(again.error));
});

test("a watcher in 'enable' mode ends with the typed error and reads nothing", wine, async () => {
  securityLog(fixtureLines());
  const got = await run({ from: 'oldest', audit: { mode: 'enable', stateFile: stateFile() } });
  assert.equal(got.events.length, 0);
  assert.equal(got.errors.length, 1);
  assert.ok(typedAuditError(got.errors[0]));
  assert.equal(got.errors[0].recoverable, false);
});

test('wfp-blocks audit status says what is wrong and exits 1', wine, () => {
  const cli = require.resolve('wfp-blocks/package.json').replace('package.json', path.join('dist', 'cli.js'));
  const r = spawnSync(process.execPath, [cli, 'audit', 'status'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_AUDIT_POLICY: AuditQuerySystemPolicy failed/);
});

/** The policy in memory, standing in for the system's (which Wine does not implement). */
function memoryStore(policy) {
  return {
    policy,
    query: (guids) => guids.map((g) => policy[g] ?? 0),
    set: (entries) => entries.forEach((e) => (policy[e.guid] = e.bits)),
  };
}

test("'enable' turns on the auditing for the watcher's lifetime and puts back exactly that on close", standin, async () => {
  securityLog(fixtureLines());
  const store = memoryStore({ [CONNECTION]: 1, '{0CCE9225-69AE-11D9-BED3-505054503030}': 0 });
  const { watchBlocks } = require('wfp-blocks');
  const watcher = watchBlocks({ from: 'oldest', kinds: ['connection'], audit: { mode: 'enable', store, stateFile: stateFile() } });
  const errors = [];
  watcher.on('error', (e) => errors.push(e));
  try {
    await new Promise((r) => watcher.once('block', r));
    assert.equal(store.policy[CONNECTION], 3, 'failure auditing added to the success auditing someone else set');
  } finally {
    await watcher.close();
  }
  assert.deepEqual(errors, []);
  assert.equal(store.policy[CONNECTION], 1, 'only what the watcher turned on was turned off');
});

test("a 4719 for a WFP subcategory while watching: 'policyChange', then 'audit' says it is off", standin, async () => {
  const lines = fixtureLines();
  const log = securityLog(lines.slice(0, 3));
  const store = memoryStore({ [CONNECTION]: 2, '{0CCE9225-69AE-11D9-BED3-505054503030}': 0 });
  const { watchBlocks } = require('wfp-blocks');
  const watcher = watchBlocks({ from: 'oldest', kinds: ['connection'], audit: { mode: 'check', store } });
  const statuses = [];
  const changes = [];
  watcher.on('audit', (s) => statuses.push(s));
  watcher.on('policyChange', (c) => changes.push(c));
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(statuses, [], 'on at the start: nothing to say');
    // Someone turns failure auditing off; Windows logs 4719 for the subcategory.
    store.policy[CONNECTION] = 0;
    const template = fs
      .readFileSync(path.join(__dirname, 'fixtures', 'evtx-mdecrevoisier-EVTX-to-MITRE-Attack.xml'), 'utf8')
      .split('\n')[0];
    const change = template
      .replace(/SubcategoryGuid">[^<]*/, `SubcategoryGuid">${CONNECTION}`)
      .replace(/AuditPolicyChanges">[^<]*/, 'AuditPolicyChanges">%%8450')
      .replace(/<EventRecordID>\d+</, '<EventRecordID>9000<');
    log.append([change]);
    const end = Date.now() + 10000;
    while (statuses.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await watcher.close();
  }
  assert.equal(changes.length, 1);
  assert.deepEqual(
    { subcategory: changes[0].subcategory, failureRemoved: changes[0].failureRemoved, failureAdded: changes[0].failureAdded },
    { subcategory: 'connection', failureRemoved: true, failureAdded: false },
  );
  assert.equal(statuses.length, 1);
  assert.equal(statuses[0].status, 'off');
  assert.equal(statuses[0].reason, 'policy-changed');
  assert.deepEqual(
    statuses[0].missing.map((m) => [m.guid, m.failure]),
    [[CONNECTION, true]],
  );
});
