// What the real-Windows checks (e2e-block.cjs, e2e-netevents.cjs) share: running a Windows tool for
// its output, and one connection attempt to a documentation address that nothing answers. Copied
// beside them by .github/workflows/windows.yml; nothing here can run under Wine.
'use strict';
const { execFileSync } = require('node:child_process');
const net = require('node:net');

const run = (file, args) => execFileSync(file, args, { encoding: 'utf8' });
const powershell = (script) => run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);

/** Tries `target` ({ address, port }) once; resolves when the socket is gone (refused, blocked or timed out). */
function connectOnce(target) {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', resolve);
  });
}

module.exports = { run, powershell, connectOnce };
