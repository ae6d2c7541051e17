// A flood run in a process of its own, so that its peak memory is its own: prints one JSON line with
// what arrived, in what order, and the process's peak RSS.
//   node flood.cjs empty-events N | nested N | distinct-keys N | device PATH
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { watchBlocks } = require('./common.cjs');

const [mode, arg] = process.argv.slice(2);
const n = Number(arg);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-flood-'));
const good = (id, address = '192.0.2.1') =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/>` +
  `<EventID>5157</EventID><Version>1</Version><TimeCreated SystemTime='2024-05-06T07:08:09.1234567Z'/><EventRecordID>${id}</EventRecordID>` +
  `<Computer>flood.wfp-blocks.test</Computer></System><EventData><Data Name='Direction'>%%14592</Data>` +
  `<Data Name='SourceAddress'>${address}</Data><Data Name='SourcePort'>${40000 + (id % 20000)}</Data><Data Name='DestPort'>445</Data>` +
  `<Data Name='Protocol'>6</Data></EventData></Event>\n`;

let source;
let options = {};
if (mode === 'empty-events' || mode === 'nested') {
  // A file of N bad records (each an error), then one good record.
  const file = path.join(dir, 'flood.xml');
  const fd = fs.openSync(file, 'w');
  const unit = mode === 'empty-events' ? '<Event/>\n' : '<Event>';
  const block = unit.repeat(10000);
  for (let i = 0; i < n; i += 10000) fs.writeSync(fd, block);
  fs.writeSync(fd, good(1));
  fs.closeSync(fd);
  source = { replay: file };
} else if (mode === 'distinct-keys') {
  // A scan from spoofed addresses: N records, each from another address, coalesced.
  let i = 0;
  source = {
    replay: new Readable({
      read() {
        let chunk = '';
        for (let k = 0; k < 1000 && i < n; k++, i++) chunk += good(i + 1, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
        this.push(i < n || chunk ? chunk : null);
        if (i >= n && chunk) this.push(null);
      },
    }),
  };
  options = { coalesce: { windowMs: 3_600_000 } };
} else if (mode === 'device') {
  source = { replay: arg };
}

const order = [];
let events = 0;
let folded = 0;
let errors = 0;
let repeated = 0;
let summaries = 0;
const codes = new Set();
const watcher = watchBlocks({ source, ...options });
watcher.on('block', (e) => {
  if (events++ === 0) order.push('event');
  folded += e.count ?? 1;
});
watcher.on('error', (e) => {
  if (errors++ === 0) order.push('error');
  repeated += e.repeated;
  if (e.repeated) summaries++;
  codes.add(e.code);
  if (mode === 'device' && errors === 1) setTimeout(() => watcher.close(), 200);
});
watcher.on('close', () => {
  process.stdout.write(
    `${JSON.stringify({ events, folded, errors, summaries, repeated, codes: [...codes], order, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
});
