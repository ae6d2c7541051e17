// Shared by the Wine suite: a fresh "Security log" for the stand-in wevtapi.dll, made of real fixture
// records renumbered in ascending order (as a real log's record IDs are). The same files run on a real
// Windows machine (.github/workflows/windows.yml) against the real DLLs: STANDIN says which, and the
// tests that need the stand-in's records or injected failures are skipped there.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { watchBlocks } = require('wfp-blocks');

/** Whether the stand-in wevtapi.dll sits beside the addon (scripts/wine-test.sh puts it there). */
const STANDIN = fs.existsSync(
  path.join(path.dirname(require.resolve('wfp-blocks/package.json')), 'prebuilds', 'win32-x64', 'wevtapi.dll'),
);

const FIXTURE = path.join(__dirname, 'fixtures', 'otrf-50c132c2.xml'); // 5156 x37, 5157 x5, 5158 x35

function fixtureLines(firstId = 5001) {
  return fs
    .readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line, i) => line.replace(/<EventRecordID>\d+</, `<EventRecordID>${firstId + i}<`));
}

/** A new log file for the stand-in, with `lines`; the stand-in's call log is kept beside it. */
function securityLog(lines, fail = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-wine-'));
  const file = path.join(dir, 'security.xml');
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  process.env.WFP_STANDIN_RECORDS = file;
  process.env.WFP_STANDIN_LOG = log;
  process.env.WFP_STANDIN_FAIL = fail;
  return {
    file,
    append: (more) => fs.appendFileSync(file, more.map((l) => `${l}\n`).join('')),
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/** Runs a watcher until `until(events)` says so (then closes it) or it closes by itself. */
function run(options, until = () => false) {
  const watcher = watchBlocks(options);
  const got = { watcher, events: [], errors: [], gaps: [] };
  watcher.on('block', (e) => {
    got.events.push(e);
    if (until(got.events)) void watcher.close();
  });
  watcher.on('error', (e) => got.errors.push(e));
  watcher.on('gap', (g) => got.gaps.push(g));
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

module.exports = { fixtureLines, securityLog, run, replayOf, waitFor, watchBlocks, STANDIN };
