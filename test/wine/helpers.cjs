// Shared by the Wine suite: a fresh "Security log" for the stand-in wevtapi.dll, made of real fixture
// records renumbered in ascending order (as a real log's record IDs are); and a fresh engine for the
// stand-in fwpuclnt.dll, whose net events are the blocks of real fixture records. The same files run on
// a real Windows machine (.github/workflows/windows.yml) against the real DLLs: STANDIN says which, and
// the tests that need the stand-in's records or injected failures are skipped there.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { watchBlocks } = require('wfp-blocks');

/** Whether the stand-in wevtapi.dll sits beside the addon (scripts/wine-test.sh puts it there). */
const STANDIN = fs.existsSync(path.join(path.dirname(require.resolve('wfp-blocks/package.json')), 'prebuilds', 'win32-x64', 'wevtapi.dll'));

const FIXTURE = path.join(__dirname, 'fixtures', 'otrf-50c132c2.xml'); // 5156 x37, 5157 x5, 5158 x35

function fixtureLines(firstId = 5001) {
  return fs
    .readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line, i) => line.replace(/<EventRecordID>\d+</, `<EventRecordID>${firstId + i}<`));
}

/**
 * A new log file for the stand-in, with `lines`; the stand-in's call log is kept beside it. With
 * `firewall` (record lines, maybe none), the machine also has the firewall's operational log, in a file
 * of its own; without, it has no such channel.
 */
function securityLog(lines, fail = '', firewall = null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-wine-'));
  const file = path.join(dir, 'security.xml');
  const firewallFile = path.join(dir, 'firewall.xml');
  const log = path.join(dir, 'calls.log');
  const write = (to, more) => fs.appendFileSync(to, more.map((l) => `${l}\n`).join(''));
  write(file, lines);
  process.env.WFP_STANDIN_RECORDS = file;
  process.env.WFP_STANDIN_LOG = log;
  process.env.WFP_STANDIN_FAIL = fail;
  if (firewall) {
    write(firewallFile, firewall);
    process.env.WFP_STANDIN_FIREWALL_RECORDS = firewallFile;
  } else {
    delete process.env.WFP_STANDIN_FIREWALL_RECORDS;
  }
  return {
    file,
    firewallFile,
    append: (more) => write(file, more),
    appendFirewall: (more) => write(firewallFile, more),
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/** Runs a watcher until `until(events)` says so (then closes it) or it closes by itself. */
function run(options, until = () => false) {
  const watcher = watchBlocks(options);
  const got = { watcher, events: [], errors: [], gaps: [], ruleChanges: [] };
  watcher.on('block', (e) => {
    got.events.push(e);
    if (until(got.events)) void watcher.close();
  });
  watcher.on('error', (e) => got.errors.push(e));
  watcher.on('gap', (g) => got.gaps.push(g));
  watcher.on('ruleChange', (c) => got.ruleChanges.push(c));
  return new Promise((resolve) => watcher.once('close', () => resolve(got)));
}

/** The same records read by the replay source: what the eventlog source must deliver too. */
async function replayOf(file, options = {}) {
  return (await run({ source: { replay: file }, ...options })).events;
}

const waitFor = async (condition, what, ms = 10000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

// ---- WFP net events for the stand-in fwpuclnt.dll ----

const NETEVENT_FIXTURES = path.join(__dirname, 'fixtures', 'netevents');

const unescapeXml = (s) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);

/** Every record line with a 5152 or 5157 of the fixture files, oldest first (as the engine's buffer is). */
function blockLines() {
  const lines = fs
    .readdirSync(NETEVENT_FIXTURES)
    .flatMap((f) => fs.readFileSync(path.join(NETEVENT_FIXTURES, f), 'utf8').split('\n'))
    .filter((l) => /<EventID>515[27]<\/EventID>/.test(l));
  return lines.sort((a, b) => (fileTimeOf(a) < fileTimeOf(b) ? -1 : fileTimeOf(a) > fileTimeOf(b) ? 1 : 0));
}

/** The record's SystemTime as a FILETIME (100 ns since 1601), to the 100 ns it was logged with. */
function fileTimeOf(xml) {
  const text = /SystemTime=['"]([^'"]+)['"]/.exec(xml)[1].replace(' ', 'T').replace(/Z$/, '');
  const [whole, fraction = ''] = text.split('.');
  return (BigInt(Date.parse(`${whole}Z`)) + 11644473600000n) * 10000n + BigInt(fraction.padEnd(7, '0').slice(0, 7));
}

function addressHex(text) {
  if (text.includes('.') && !text.includes(':'))
    return text
      .split('.')
      .map((n) => Number(n).toString(16).padStart(2, '0'))
      .join('');
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

/**
 * The net event WFP reports for the block a record describes, as a line for the stand-in: its values
 * put where FWPM_NET_EVENT puts them (local and remote from Source and Dest by the direction:
 * inbound, Source is the peer), written independently of the native test helper that does the same.
 */
function netEventLine(xml, extra = '') {
  const data = {};
  for (const m of xml.matchAll(/<Data Name=['"]([^'"]+)['"]>([^<]*)<\/Data>/g)) data[m[1]] = unescapeXml(m[2]);
  const id = Number(/<EventID>(\d+)<\/EventID>/.exec(xml)[1]);
  const inbound = data.Direction === '%%14592';
  const [la, lp] = inbound ? [data.DestAddress, data.DestPort] : [data.SourceAddress, data.SourcePort];
  const [ra, rp] = inbound ? [data.SourceAddress, data.SourcePort] : [data.DestAddress, data.DestPort];
  let flags = 0x1 | 0x100; // IP_PROTOCOL_SET, IP_VERSION_SET
  const parts = [`t=${fileTimeOf(xml)}`, `type=${[5154, 5156, 5158].includes(id) ? 6 : 3}`, `ver=${(la ?? ra).includes(':') ? 6 : 4}`];
  parts.push(`proto=${data.Protocol}`);
  if (la !== undefined) (flags |= 0x2), parts.push(`la=${addressHex(la)}`);
  if (ra !== undefined) (flags |= 0x4), parts.push(`ra=${addressHex(ra)}`);
  if (lp !== undefined) (flags |= 0x8), parts.push(`lp=${lp}`);
  if (rp !== undefined) (flags |= 0x10), parts.push(`rp=${rp}`);
  if (data.Application && data.Application !== '-') (flags |= 0x20), parts.push(`app=${encodeURIComponent(data.Application)}`);
  const token = /^%%(\d+)$/.exec(data.Direction ?? '');
  parts.push(`filter=${data.FilterRTID}`, `layer=${data.LayerRTID}`, `dir=${token ? token[1] : 0}`, `flags=${flags.toString(16)}`);
  return `${parts.join(' ')}${extra ? ` ${extra}` : ''}`;
}

/**
 * A fresh engine for the stand-in: its net events (`records`: record XML lines, turned into net
 * events), its machine-wide options, filters, failures; and where the watcher records the options it
 * changes. The call log is kept beside them.
 */
function netEventEngine({ records = [], options = [1, 0], fail = '', filters = null, buffer = null } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-netevents-'));
  const file = path.join(dir, 'netevents.txt');
  const engine = path.join(dir, 'engine.txt');
  const log = path.join(dir, 'calls.log');
  const state = path.join(dir, 'state', 'netevents-state.json');
  fs.writeFileSync(file, records.map((r) => `${netEventLine(r)}\n`).join(''));
  fs.writeFileSync(engine, `${options[0]} ${options[1]}\n`);
  process.env.WFP_STANDIN_NETEVENTS = file;
  process.env.WFP_STANDIN_ENGINE = engine;
  process.env.WFP_STANDIN_LOG = log;
  process.env.WFP_STANDIN_FAIL = fail;
  process.env.WFP_BLOCKS_NETEVENTS_STATE = state;
  process.env.WFP_STANDIN_BUFFER = buffer === null ? '' : String(buffer);
  if (filters) {
    const f = path.join(dir, 'filters.txt');
    fs.writeFileSync(f, filters.map((x) => `${x.join('|')}\n`).join(''));
    process.env.WFP_STANDIN_FILTERS = f;
  } else {
    delete process.env.WFP_STANDIN_FILTERS;
  }
  return {
    dir,
    state,
    append: (more) => fs.appendFileSync(file, more.map((r) => `${netEventLine(r)}\n`).join('')),
    appendLines: (lines) => fs.appendFileSync(file, lines.map((l) => `${l}\n`).join('')),
    options: () => fs.readFileSync(engine, 'utf8').trim().split(' ').map(Number),
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/** The replay source's events of `records` (record XML lines, in that order). */
async function replayOfLines(records, options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-replay-'));
  const file = path.join(dir, 'records.xml');
  fs.writeFileSync(file, records.map((l) => `${l}\n`).join(''));
  return replayOf(file, options);
}

/** What a net event and the Security log's record of the same block both say. */
function sharedFacts(e) {
  return {
    eventId: e.eventId,
    kind: e.kind,
    action: e.action,
    time: e.time.toISOString(),
    direction: e.direction,
    protocol: e.protocol,
    protocolName: e.protocolName,
    application: e.application,
    source: e.source,
    destination: e.destination,
    local: e.local,
    remote: e.remote,
    filterId: e.filterId,
    layerId: e.layerId,
    layerName: e.layerName,
  };
}

const isMulticast = (a) => /^(22[4-9]|23\d)\./.test(a) || a === '255.255.255.255' || /^ff/i.test(a);

/**
 * What the net events of `records` must give: the event-log reading of the same records, less what
 * the engine does not collect by default (inbound multicast and broadcast), and a packet of a
 * connection blocked at an ALE layer being that connection's block (WFP reports one drop there).
 */
async function expectedNetEvents(records) {
  // Each record replayed alone: a replay learns each computer's addresses from its other records and
  // may decide local and remote by them, where the stand-in's net events take them from Direction.
  const events = [];
  for (const record of records) events.push(...(await replayOfLines([record], { includeAllowed: true })));
  return events
    .filter((e) => !(e.direction === 'inbound' && e.local && isMulticast(e.local.address)))
    .map((e) => {
      const f = sharedFacts(e);
      if (e.eventId === 5152 && e.layerId >= 36 && e.layerId <= 55) Object.assign(f, { eventId: 5157, kind: 'connection' });
      return f;
    });
}

/** A run that ended in one typed, fatal access-denied error from `api`, whose hint matches `hint`. */
function assertAccessDenied(got, api, hint) {
  assert.equal(got.events.length, 0);
  assert.equal(got.errors.length, 1);
  const [error] = got.errors;
  assert.equal(error.code, 'ERR_ACCESS_DENIED');
  assert.equal(error.systemCode, 5);
  assert.equal(error.recoverable, false);
  assert.match(error.hint, hint);
  assert.match(error.message, new RegExp(`${api} failed`));
}

/**
 * A child process with an unref'd watcher of `options` (JavaScript source) exits by itself; with a
 * ref'd one it stays until close().
 */
function assertUnrefExitsRefKeeps(options) {
  const script = (ref) => `
    const { watchBlocks } = require('wfp-blocks');
    const w = watchBlocks(${options});
    w.on('error', (e) => console.error(e.code));
    ${ref ? "setTimeout(() => { console.log('alive'); w.close(); }, 500).unref();" : 'w.unref();'}
  `;
  const unref = spawnSync(process.execPath, ['-e', script(false)], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
  assert.equal(unref.status, 0);
  const ref = spawnSync(process.execPath, ['-e', script(true)], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
  assert.equal(ref.status, 0);
  assert.equal(ref.stdout.trim(), 'alive');
}

module.exports = {
  assertAccessDenied,
  assertUnrefExitsRefKeeps,
  fixtureLines,
  securityLog,
  run,
  replayOf,
  waitFor,
  watchBlocks,
  STANDIN,
  blockLines,
  netEventLine,
  netEventEngine,
  replayOfLines,
  sharedFacts,
  expectedNetEvents,
};
