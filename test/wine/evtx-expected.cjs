// Run by scripts/wine-test.sh with Linux's node and the Linux build, before the Wine suite: for each
// .evtx file in a folder, writes NAME.expected.json beside it, with what `exportRecords()` gives for it
// in XML and in JSON and the problems it reports (code, offset, recoverable). test/wine/evtx.test.cjs
// holds the Windows build to the same bytes, reading them with the same exported(). Arguments: the
// library's entry (dist/index.js) and the folder.
const fs = require('node:fs');
const path = require('node:path');

/** What `exportRecords` (of the build under test) gives for `file` in `format`: the text and the problems. */
function exported(exportRecords, file, format) {
  const chunks = [];
  const errors = [];
  const run = exportRecords({ source: { replay: file }, format });
  run.on('data', (chunk) => chunks.push(chunk));
  run.on('error', (e) => errors.push({ code: e.code, offset: e.offset, recoverable: e.recoverable }));
  return new Promise((resolve) => run.once('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), errors })));
}

async function writeExpected(library, folder) {
  const { exportRecords } = require(path.resolve(library));
  for (const name of fs.readdirSync(folder).filter((f) => f.endsWith('.evtx'))) {
    const file = path.join(folder, name);
    const xml = await exported(exportRecords, file, 'xml');
    const json = await exported(exportRecords, file, 'json');
    fs.writeFileSync(`${file}.expected.json`, JSON.stringify({ xml: xml.text, json: json.text, errors: xml.errors }));
  }
}

if (require.main === module) void writeExpected(process.argv[2], process.argv[3]);

module.exports = { exported };
