// Watchers on streams that stop without an 'end' the watcher sees (destroyed without an error, already
// ended, already destroyed when passed in) are never closed here: each must close by itself and let
// the process exit.
const fs = require('node:fs');
const { Readable } = require('node:stream');
const { watchBlocks, fixture } = require('./common.cjs');

const bytes = fs.readFileSync(fixture('otrf-50c132c2.xml'));
const destroyedLater = new Readable({ read() {} });
destroyedLater.push(bytes);
setTimeout(() => destroyedLater.destroy(), 50);
const ended = Readable.from([bytes]);
const destroyed = new Readable({ read() {} });
destroyed.destroy();
ended.resume();
ended.once('end', () => {
  let closed = 0;
  for (const stream of [destroyedLater, ended, destroyed]) {
    const w = watchBlocks({ source: { replay: stream }, includeAllowed: true });
    w.on('error', () => {});
    w.on('close', () => {
      if (++closed === 3) process.stdout.write('all closed\n');
    });
  }
});
