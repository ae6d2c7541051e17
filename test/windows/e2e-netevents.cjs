// The real-Windows check of the 'netevents' source (run by .github/workflows/windows.yml on an
// elevated windows-latest runner): a firewall rule blocks outbound TCP to a documentation address; a
// connection attempt must come back from WFP's own net events as the same 5157 the Security log
// gives (no audit policy involved), with the application, the user SID and the blocking rule's name;
// a second watcher must find it in the engine's buffer (`from: 'oldest'`) and resume after it from a
// bookmark. The engine options, read by netsh independently of this library, must be exactly what
// they were. Nothing here can run under Wine.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { connectOnce, powershell, run } = require('./e2e-shared.cjs');
const os = require('node:os');
const path = require('node:path');
const { watchBlocks } = require('wfp-blocks');

const TARGET = { address: '192.0.2.1', port: 8444 }; // TEST-NET-1 (RFC 5737): nothing answers there
const RULE = 'wfp-blocks e2e: block 192.0.2.1 (netevents)';
process.env.WFP_BLOCKS_NETEVENTS_STATE = path.join(os.tmpdir(), 'wfp-blocks-e2e', 'netevents-state.json');

const engineOptions = () => run('netsh.exe', ['wfp', 'show', 'options', 'optionsfor=netevents']).trim();

const isTarget = (e) => e.remote?.address === TARGET.address && e.remote?.port === TARGET.port;

function firstBlock(options) {
  const watcher = watchBlocks(options);
  const errors = [];
  watcher.on('error', (e) => errors.push(e));
  const found = new Promise((resolve) => watcher.on('block', (e) => isTarget(e) && resolve(e)));
  return { watcher, errors, found };
}

async function main() {
  const before = engineOptions();
  console.log('net-event options before:\n' + before);
  let live = null;
  try {
    powershell('Set-NetFirewallProfile -All -Enabled True');
    powershell(
      `New-NetFirewallRule -DisplayName '${RULE}' -Direction Outbound -Action Block -Protocol TCP ` +
        `-RemoteAddress ${TARGET.address} -RemotePort ${TARGET.port} | Out-Null`,
    );
    live = firstBlock({ source: 'netevents', kinds: ['connection'] });
    await new Promise((r) => setTimeout(r, 1000)); // subscribed
    let event = null;
    for (let attempt = 0; attempt < 5 && !event; attempt++) {
      await connectOnce(TARGET);
      event = await Promise.race([live.found, new Promise((r) => setTimeout(() => r(null), 10000))]);
    }
    assert.ok(event, 'no net event for the blocked connection arrived');
    console.log('event:', JSON.stringify(event, null, 2));
    assert.deepEqual(live.errors, []);
    assert.equal(event.eventId, 5157);
    assert.equal(event.kind, 'connection');
    assert.equal(event.action, 'block');
    assert.equal(event.direction, 'outbound');
    assert.equal(event.protocol, 6);
    assert.deepEqual(event.remote, TARGET);
    assert.deepEqual(event.destination, TARGET);
    assert.equal(event.local, event.source);
    assert.equal(event.pid, null, 'net events carry no PID');
    assert.equal(event.layerName, 'Connect');
    assert.match(event.application, /\\node\.exe$/i);
    assert.equal(event.applicationPath?.toLowerCase(), process.execPath.toLowerCase());
    assert.match(event.userSid ?? '', /^S-1-5-/);
    assert.ok(event.filterId > 0);
    assert.equal(event.filter?.name, RULE, `the WFP filter behind filterId is the firewall rule (${JSON.stringify(event.filter)})`);
    const bookmark = live.watcher.bookmark;
    assert.match(bookmark, /^wfp-netevents\/1;/);
    await live.watcher.close();

    // The engine's buffer still holds it: a watcher from 'oldest' lists it, one from the bookmark does not.
    const listed = firstBlock({ source: 'netevents', from: 'oldest', kinds: ['connection'] });
    const again = await Promise.race([listed.found, new Promise((r) => setTimeout(() => r(null), 10000))]);
    await listed.watcher.close();
    assert.ok(again, "from 'oldest', the buffer lists the block");
    assert.equal(again.time.getTime(), event.time.getTime());
    const resumed = firstBlock({ source: 'netevents', from: { bookmark }, kinds: ['connection'] });
    const repeat = await Promise.race([resumed.found, new Promise((r) => setTimeout(() => r(null), 3000))]);
    await resumed.watcher.close();
    assert.equal(repeat, null, 'resuming after the bookmark does not repeat the event');
  } finally {
    await live?.watcher.close();
    powershell(`Remove-NetFirewallRule -DisplayName '${RULE}' -ErrorAction SilentlyContinue`);
  }
  const after = engineOptions();
  console.log('net-event options after:\n' + after);
  assert.equal(after, before, 'the engine options are what they were before the run');
  assert.equal(fs.existsSync(process.env.WFP_BLOCKS_NETEVENTS_STATE), false, 'no engine-option record is left');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
