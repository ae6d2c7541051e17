// The addon imports Node-API from "node.exe" through a delay-load hook that answers with the host
// executable, so it also loads in hosts with another name (Electron). Checked with a renamed node.exe.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('the addon loads in a host that is not named node.exe', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-host-'));
  const host = path.join(dir, 'electron-like-host.exe');
  fs.copyFileSync(process.execPath, host);
  const script = `
    const { watchBlocks } = require(${JSON.stringify(require.resolve('wfp-blocks'))});
    const w = watchBlocks({ source: { replay: ${JSON.stringify(path.join(__dirname, 'fixtures', 'evtx-omerbenamram-evtx.xml'))} } });
    let n = 0;
    w.on('block', () => n++);
    w.on('close', () => console.log('events ' + n));
  `;
  const r = spawnSync(host, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'events 3');
});
