// The replay source of the Windows build under Wine: a named pipe as the replay path (records as the
// writer writes them, close() while it is silent), follow mode with a writer that keeps its handle
// open, and follow mode through rotation. Each test waits for records, never for time.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { fixtureLines, watchBlocks } = require('./helpers.cjs');

const lines = (first, count) => fixtureLines(first).slice(0, count);
const text = (ls) => ls.map((l) => `${l}\n`).join('');
const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-wine-replay-')), 'security.xml');

/** Resolves with the record IDs once `count` events arrived. */
function until(watcher, count) {
  const ids = [];
  const errors = [];
  return new Promise((resolve) => {
    watcher.on('error', (e) => errors.push(e));
    watcher.on('block', (e) => {
      ids.push(e.recordId);
      if (ids.length === count) resolve({ ids, errors });
    });
  });
}

const range = (from, count) => Array.from({ length: count }, (_, i) => from + i);

test('a named pipe: each record arrives while the writer still writes; close() settles while it is silent', async () => {
  const name = `\\\\.\\pipe\\wfp-blocks-test-${process.pid}`;
  let accepted;
  const connected = new Promise((resolve) => (accepted = resolve));
  const server = net.createServer((socket) => accepted(socket));
  await new Promise((resolve) => server.listen(name, resolve));
  const watcher = watchBlocks({ source: { replay: name }, includeAllowed: true }); // a client of the pipe
  const socket = await connected;
  const records = lines(7001, 5);
  for (const [i, record] of records.entries()) {
    const arrived = new Promise((resolve) => watcher.once('block', resolve));
    socket.write(`${record}\n`);
    assert.equal((await arrived).recordId, 7001 + i);
  }
  await watcher.close(); // the writer is still connected, writing nothing
  socket.destroy();
  server.close();
});

test('a named pipe read to its end: the watcher closes by itself with every record', async () => {
  const name = `\\\\.\\pipe\\wfp-blocks-test-end-${process.pid}`;
  const server = net.createServer((socket) => socket.end(text(lines(8001, 20))));
  await new Promise((resolve) => server.listen(name, resolve));
  const watcher = watchBlocks({ source: { replay: name }, includeAllowed: true });
  const ids = [];
  watcher.on('block', (e) => ids.push(e.recordId));
  await new Promise((resolve) => watcher.once('close', resolve));
  server.close();
  assert.deepEqual(ids, range(8001, 20));
});

test('follow mode: records appended by a writer that keeps its handle open arrive', async () => {
  const file = tempFile();
  fs.writeFileSync(file, text(lines(1, 5)));
  const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
  const fd = fs.openSync(file, 'a');
  try {
    const all = until(watcher, 15);
    await new Promise((resolve) => watcher.on('block', (e) => e.recordId === 5 && resolve()));
    fs.writeSync(fd, text(lines(6, 10))); // never closed, never flushed by us
    const { ids, errors } = await all;
    assert.deepEqual(errors, []);
    assert.deepEqual(ids, range(1, 15));
  } finally {
    fs.closeSync(fd);
    await watcher.close();
  }
});

for (const [name, rotate] of [
  ['rename and create', (file) => fs.renameSync(file, `${file}.1`)],
  [
    'copytruncate',
    (file) => {
      fs.copyFileSync(file, `${file}.1`);
      fs.truncateSync(file, 0);
    },
  ],
]) {
  test(`follow mode through ${name}: the old file's records, then the new file's, each once`, async () => {
    const file = tempFile();
    fs.writeFileSync(file, text(lines(1, 10)));
    const watcher = watchBlocks({ source: { replay: file, follow: true }, includeAllowed: true });
    try {
      const all = until(watcher, 25);
      await new Promise((resolve) => watcher.on('block', (e) => e.recordId === 10 && resolve()));
      fs.appendFileSync(file, text(lines(11, 5)));
      rotate(file);
      fs.appendFileSync(file, text(lines(16, 10)));
      const { ids, errors } = await all;
      assert.deepEqual(errors, []);
      assert.deepEqual(ids, range(1, 25));
    } finally {
      await watcher.close();
    }
  });
}
