// .evtx files read by the Windows build: the BlockEvents and audit policy changes of real files equal
// those of the same records' XML through the XML path (as test/evtx-source.test.ts checks on Linux), and,
// under Wine, every record exported as XML and as JSON, with the problems of a dirty file, is byte for byte
// what the Linux build gives (scripts/wine-test.sh writes that next to each file with
// test/wine/evtx-expected.cjs; on a real Windows machine there is no Linux build to compare with, and
// that test is skipped).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { exportRecords, watchBlocks } = require('wfp-blocks');
const { exported } = require('./evtx-expected.cjs');

const FIXTURES = path.join(__dirname, 'fixtures');
const EVTX = path.join(FIXTURES, 'evtx');

function watch(replay) {
  const seen = { events: [], changes: [], errors: [] };
  const w = watchBlocks({ source: { replay }, includeAllowed: true });
  w.on('block', (e) => seen.events.push(e));
  w.on('policyChange', (c) => seen.changes.push(c));
  w.on('error', (e) => seen.errors.push(e));
  return new Promise((resolve) => w.once('close', () => resolve(seen)));
}

test('the blocks of an .evtx file equal those of the same records as XML', async () => {
  const fromEvtx = await watch(path.join(EVTX, 'omerbenamram-evtx--Security_short_selected.evtx'));
  const fromXml = await watch(path.join(FIXTURES, 'evtx-omerbenamram-evtx.xml'));
  assert.deepEqual(fromEvtx.errors, []);
  assert.deepEqual(
    fromEvtx.events.map((e) => e.eventId),
    [5152, 5152, 5157],
  );
  assert.deepEqual(fromEvtx.events, fromXml.events);
  assert.equal(fromEvtx.events[0].system.timeCreated, '2016-06-29T15:24:34.346000000Z');
});

test('the audit policy changes of an .evtx file equal those of the same records as XML', async () => {
  const fromEvtx = await watch(path.join(EVTX, 'Velocidex-evtx--Security.evtx'));
  const fromXml = await watch(path.join(FIXTURES, 'evtx-Velocidex-evtx.xml'));
  assert.deepEqual(fromEvtx.errors, []);
  assert.ok(fromEvtx.changes.length > 0);
  assert.deepEqual(fromEvtx.changes, fromXml.changes);
});

const expectedFiles = fs.existsSync(EVTX) ? fs.readdirSync(EVTX).filter((f) => f.endsWith('.expected.json')) : [];
test(
  'every record exported as XML and JSON, and the problems of dirty files, byte for byte as the Linux build',
  { skip: expectedFiles.length === 0 && 'no Linux build output to compare with (scripts/wine-test.sh writes it)' },
  async () => {
    let records = 0;
    let problems = 0;
    for (const name of expectedFiles) {
      const file = path.join(EVTX, name.slice(0, -'.expected.json'.length));
      const expected = JSON.parse(fs.readFileSync(path.join(EVTX, name), 'utf8'));
      const xml = await exported(exportRecords, file, 'xml');
      const json = await exported(exportRecords, file, 'json');
      assert.equal(xml.text, expected.xml, `${name}: XML`);
      assert.equal(json.text, expected.json, `${name}: JSON`);
      assert.deepEqual(xml.errors, expected.errors, `${name}: problems`);
      records += xml.text.split('\n').length - 1;
      problems += xml.errors.length;
    }
    assert.ok(records > 1000, `only ${records} records compared`);
    assert.ok(problems > 0, 'no dirty file among them');
  },
);
