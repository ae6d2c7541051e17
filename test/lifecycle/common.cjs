// Shared by the lifecycle scripts, which run in child processes so that exits and crashes are observed.
const { watchBlocks } = require('../../dist/index.js');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const records = path.join(__dirname, '..', 'fixtures', 'records');
const fixture = (name) => path.join(records, name);
const allFixtures = () =>
  fs
    .readdirSync(records)
    .filter((f) => f.endsWith('.xml'))
    .map(fixture);

/** A copy of a fixture in a temp dir, for follow mode. */
function followedCopy(name = 'otrf-50c132c2.xml') {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-blocks-life-')), 'live.xml');
  fs.copyFileSync(fixture(name), file);
  return file;
}

module.exports = { watchBlocks, fixture, allFixtures, followedCopy };
