// Exactly once for the live 'eventlog' source, under Wine against the stand-in wevtapi.dll: stopped in
// every way (a listener's close(), break out of a for-await loop, close() inside the loop, coalescing)
// at several points, and resumed from its bookmark, it delivers every record of the log exactly once.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { fixtureLines, securityLog, watchBlocks } = require('./helpers.cjs');

const lines = fixtureLines(); // 77 records, IDs 5001-5077
const all = lines.map((_, i) => 5001 + i);
const options = { includeAllowed: true, enrich: false, audit: 'ignore' };

async function firstRun(style, stopAfter, extra = {}) {
  const watcher = watchBlocks({ from: 'oldest', ...options, ...extra });
  const got = [];
  let afterClose = 0;
  if (style === 'listener') {
    await new Promise((resolve) => {
      watcher.on('block', (e) => {
        got.push(e);
        if (got.length === stopAfter) void watcher.close();
      });
      watcher.once('close', resolve);
    });
  } else {
    let closed = false;
    for await (const e of watcher) {
      if (closed) afterClose++;
      got.push(e);
      if (got.length === stopAfter) {
        if (style === 'break') break;
        await watcher.close();
        closed = true;
      }
    }
  }
  assert.equal(afterClose, 0, 'nothing after close()');
  return { got, bookmark: watcher.bookmark };
}

// A live log never ends: the run closes once `expected` events came and a moment passed without more.
async function rest(bookmark, expected, extra = {}, quietMs = 400) {
  const watcher = watchBlocks({ from: bookmark ? { bookmark } : 'oldest', ...options, ...extra });
  const got = [];
  await new Promise((resolve) => {
    let quiet;
    const settle = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => void watcher.close(), quietMs);
    };
    watcher.on('block', (e) => {
      got.push(e);
      if (got.length >= expected) settle();
    });
    if (expected === 0) settle();
    // Fewer than expected: stop anyway, so that the comparison says what is missing.
    const limit = setTimeout(() => void watcher.close(), 10_000);
    watcher.once('close', () => {
      clearTimeout(limit);
      clearTimeout(quiet);
      resolve();
    });
  });
  return got;
}

for (const style of ['listener', 'break', 'close-in-loop']) {
  test(`resumed after ${style} at the first, a middle and the last record: every record once`, async () => {
    securityLog(lines);
    for (const cut of [1, 38, 77]) {
      const first = await firstRun(style, cut);
      assert.equal(first.got.length, cut);
      assert.match(first.bookmark, new RegExp(`RecordId='${5000 + cut}'`));
      const second = await rest(first.bookmark, 77 - cut);
      assert.deepEqual(
        [...first.got, ...second].map((e) => e.recordId),
        all,
        `${style}, cut after ${cut}`,
      );
    }
  });
}

test('coalescing: a cut inside an epoch resumes that epoch; every record counted once', async () => {
  securityLog(lines);
  // Epochs end by event time, at five folds, and by the clock while the log is quiet.
  const coalesce = { coalesce: { windowMs: 1500, maxHeld: 5 } };
  const whole = await rest(null, 1, coalesce, 3000);
  assert.ok(whole.length > 3, `${whole.length} folds`);
  for (const cut of [1, 3, whole.length - 1]) {
    const first = await firstRun('listener', cut, coalesce);
    const second = await rest(first.bookmark, whole.length - cut, coalesce, 3000);
    const folds = (events) => events.map((e) => `${e.recordId}x${e.count}`);
    assert.deepEqual(folds([...first.got, ...second]), folds(whole), `cut after ${cut}`);
    assert.equal(
      [...first.got, ...second].reduce((n, e) => n + e.count, 0),
      77,
    );
  }
});
