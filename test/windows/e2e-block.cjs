// The real-Windows check (run by .github/workflows/windows.yml on an elevated windows-latest runner):
// a watcher with audit: 'enable' turns on failure auditing for "Filtering Platform Connection" if it
// is off; a firewall rule blocks outbound TCP to a documentation address; a connection attempt must
// come back as the matching 5157. Closing the watcher puts the audit policy back, and the policy
// (read by auditpol, independently of this library) must be exactly what it was. Nothing here can
// run under Wine.
'use strict';
const assert = require('node:assert/strict');
const { connectOnce, powershell, run } = require('./e2e-shared.cjs');
const { getAuditPolicy, watchBlocks } = require('wfp-blocks');
const { parseAuditpolCsv } = require('./auditpol.cjs');

const CONNECTION = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const PACKET_DROP = '{0CCE9225-69AE-11D9-BED3-505054503030}';
const TARGET = { address: '192.0.2.1', port: 8443 }; // TEST-NET-1 (RFC 5737): nothing answers there
const RULE = 'wfp-blocks e2e: block 192.0.2.1';

/** The policy of both subcategories as auditpol reports it (by GUID: names are localised). */
function auditPolicy() {
  return parseAuditpolCsv(run('auditpol.exe', ['/get', `/subcategory:${CONNECTION},${PACKET_DROP}`, '/r']));
}

async function main() {
  const before = auditPolicy();
  console.log('audit policy before:', JSON.stringify(before));
  // Our reading of the policy agrees with auditpol's.
  const ours = getAuditPolicy();
  const connectionSetting = before.find((p) => p.guid.toUpperCase() === CONNECTION).setting;
  assert.equal(ours.connection.failure, /Failure/.test(connectionSetting));
  assert.equal(ours.connection.success, /Success/.test(connectionSetting));
  let watcher = null;
  try {
    powershell('Set-NetFirewallProfile -All -Enabled True');
    powershell(
      `New-NetFirewallRule -DisplayName '${RULE}' -Direction Outbound -Action Block -Protocol TCP ` +
        `-RemoteAddress ${TARGET.address} -RemotePort ${TARGET.port} | Out-Null`,
    );

    watcher = watchBlocks({ kinds: ['connection'], audit: 'enable' });
    assert.equal(getAuditPolicy().connection.failure, true, "audit: 'enable' turned failure auditing on");
    const errors = [];
    watcher.on('error', (e) => errors.push(e));
    const found = new Promise((resolve) => {
      watcher.on('block', (e) => {
        if (e.remote?.address === TARGET.address && e.remote?.port === TARGET.port) resolve(e);
      });
    });
    await new Promise((r) => setTimeout(r, 1000)); // the subscription is in place
    let event = null;
    for (let attempt = 0; attempt < 5 && !event; attempt++) {
      await connectOnce(TARGET);
      event = await Promise.race([found, new Promise((r) => setTimeout(() => r(null), 10000))]);
    }
    await watcher.close();
    assert.deepEqual(errors, []);
    assert.ok(event, 'no 5157 for the blocked connection arrived');
    console.log('event:', JSON.stringify(event, null, 2));
    assert.equal(event.eventId, 5157);
    assert.equal(event.action, 'block');
    assert.equal(event.kind, 'connection');
    assert.equal(event.direction, 'outbound');
    assert.equal(event.protocol, 6);
    assert.equal(event.protocolName, 'tcp');
    assert.equal(event.pid, process.pid);
    assert.match(event.application, /\\node\.exe$/i);
    assert.deepEqual(event.remote, TARGET);
    assert.deepEqual(event.destination, TARGET);
    assert.equal(event.local, event.source);
    // This machine's own interface address decided which endpoint is local.
    assert.equal(event.sidesBy, 'interface');
    const own = Object.values(require('node:os').networkInterfaces())
      .flat()
      .map((a) => a.address);
    assert.ok(own.includes(event.local.address), `${event.local.address} is one of ${own.join(', ')}`);
    assert.ok(event.filterId > 0);
    // Enrichment: the DOS path of this very node.exe, and the blocking rule by name.
    assert.equal(event.applicationPath?.toLowerCase(), process.execPath.toLowerCase());
    assert.equal(event.processName?.toLowerCase(), 'node.exe');
    assert.equal(event.filter?.name, RULE, `the WFP filter behind FilterRTID is the firewall rule (${JSON.stringify(event.filter)})`);
    if (event.filterOrigin) assert.equal(event.ruleName, RULE); // Windows 11 / Server 2022 log FilterOrigin
    assert.ok(watcher.bookmark, 'a bookmark after the event');
  } finally {
    await watcher?.close(); // restores the audit policy
    powershell(`Remove-NetFirewallRule -DisplayName '${RULE}' -ErrorAction SilentlyContinue`);
  }
  const after = auditPolicy();
  console.log('audit policy after:', JSON.stringify(after));
  assert.deepEqual(after, before, 'the audit policy is what it was before the run');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
