// Why was it stopped: decidedBy and ruleId on every event, the 'ruleChange' events of the firewall's
// rule, setting and WFP object changes (real records: test/fixtures/records/changes), and the last change
// of the rule or filter that decided a block.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toEcs, toOtelLogRecord, watchBlocks, WfpOptionError, type BlockEvent, type RuleChange, type WatchOptions } from '../dist/index.js';
import { FIXTURES, fixture, tempFile } from './helpers';
import { record, WIN11_5157_DATA } from './synthetic';

const change = (name: string) => path.join(FIXTURES, 'changes', name);
const DISABLED = change('evtx-mdecrevoisier-firewall-disabled.xml');
const MSDOCS = change('text-msdocs-mpssvc-wfp.xml');
const FIREWALL_LOG = change('text-EricZimmerman-firewall.xml');

interface Seen {
  blocks: BlockEvent[];
  changes: RuleChange[];
  order: Array<BlockEvent | RuleChange>;
  errors: Error[];
}

function watch(options: WatchOptions): Promise<Seen> {
  const seen: Seen = { blocks: [], changes: [], order: [], errors: [] };
  const w = watchBlocks(options);
  w.on('block', (e) => {
    seen.blocks.push(e);
    seen.order.push(e);
  });
  w.on('ruleChange', (c) => {
    seen.changes.push(c);
    seen.order.push(c);
  });
  w.on('error', (e) => seen.errors.push(e));
  return new Promise((resolve) => w.once('close', () => resolve(seen)));
}

/** A Windows 11 5157 built for the test (says so in Computer), blocked by `origin` and filter `filterRtid`. */
const win11Block = (recordId: number, time: string, origin: string, filterRtid = '206474') =>
  record({
    version: 3,
    recordId,
    time,
    data: WIN11_5157_DATA.map(([k, v]) => [k, k === 'FilterOrigin' ? origin : k === 'FilterRTID' ? filterRtid : v]),
  });

describe('decidedBy and ruleId', () => {
  it('every documented FilterOrigin value arrives mapped, with the rule ID only for rules', async () => {
    const origins: Array<[string, string, string | null]> = [
      ['{A549B7CF-0542-4B67-93F9-EEBCDD584377}', 'rule', '{A549B7CF-0542-4B67-93F9-EEBCDD584377}'],
      [' {A549B7CF-0542-4B67-93F9-EEBCDD584377} ', 'rule', '{A549B7CF-0542-4B67-93F9-EEBCDD584377}'],
      ['CoreNet-Teredo-In', 'rule', 'CoreNet-Teredo-In'],
      ['AppContainer Loopback', 'appcontainer-loopback', null],
      ['Boot Time Default', 'boot-time-default', null],
      ['Quarantine Default', 'quarantine-default', null],
      ['Query User Default', 'query-user-default', null],
      ['Stealth', 'stealth', null],
      ['UWP Default', 'uwp-default', null],
      ['WSH Default', 'wsh-default', null],
      ['Unknown', 'unknown', null],
      ['A Default Nobody Documented', 'unknown', null],
    ];
    const file = tempFile(origins.map(([o], i) => win11Block(i + 1, '2024-05-06T07:08:09.1234567Z', o)).join('\n'));
    const { blocks, errors } = await watch({ source: { replay: file } });
    expect(errors).toEqual([]);
    expect(blocks.map((e) => [e.filterOrigin, e.decidedBy, e.ruleId])).toEqual(origins);
  });

  it('allowed events say what permitted them; records without FilterOrigin say unknown', async () => {
    const allowed = record({
      eventId: 5156,
      recordId: 7,
      data: WIN11_5157_DATA.map(([k, v]) => [k, k === 'FilterOrigin' ? 'RemoteDesktop-UserMode-In-TCP' : v]),
    });
    const { blocks } = await watch({ source: { replay: [tempFile(allowed), fixture('text-EricZimmerman.xml')] }, includeAllowed: true });
    expect(blocks[0]).toMatchObject({ action: 'allow', decidedBy: 'rule', ruleId: 'RemoteDesktop-UserMode-In-TCP' });
    expect(blocks.slice(1).every((e) => e.decidedBy === 'unknown' && e.ruleId === null)).toBe(true);
  });
});

describe("'ruleChange' events", () => {
  it('includeChanges must be a boolean', () => {
    expect(() => watchBlocks({ source: { replay: DISABLED }, includeChanges: 'yes' as unknown as boolean })).toThrow(WfpOptionError);
    expect(() => watchBlocks({ source: { replay: DISABLED }, includeChanges: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'includeChanges' }),
    );
  });

  it('come only when asked for', async () => {
    const none = await watch({ source: { replay: [DISABLED, MSDOCS, FIREWALL_LOG] } });
    expect(none.changes).toEqual([]);
    expect(none.errors).toEqual([]);
    const all = await watch({ source: { replay: [DISABLED, MSDOCS, FIREWALL_LOG] }, includeChanges: true });
    expect(all.errors).toEqual([]);
    expect(all.changes).toHaveLength(990 + 13 + 4);
  });

  it('a firewall turned off: 4950 for each profile, then the WFP filters MPSSVC swaps, with who did it', async () => {
    const { changes } = await watch({ source: { replay: DISABLED }, includeChanges: true });
    const settings = changes.filter((c) => c.eventId === 4950);
    expect(settings.map((c) => [c.profiles, c.setting, c.value])).toEqual([
      ['Private', 'Enable Windows Firewall', 'No'],
      ['Private', 'Enable Windows Firewall', 'No'],
      ['Domain', 'Enable Windows Firewall', 'No'],
      ['Domain', 'Windows Firewall Shielded Mode', 'No'],
      ['Domain', 'Enable Windows Firewall', 'No'],
      ['Domain', 'Windows Firewall Shielded Mode', 'No'],
    ]);
    const filters = changes.filter((c) => c.eventId === 5447);
    expect(filters).toHaveLength(984);
    const first = filters[0];
    expect(first).toMatchObject({
      recordId: 1965603,
      change: 'filter-added',
      channel: 'Security',
      computer: 'fs01.offsec.lan',
      filterId: 72062,
      key: '{76670131-7EF9-4651-A5C1-0C6AB8C26AFC}',
      name: 'PrivateNetwork Inbound Default Rule',
      provider: { key: '{4B153735-1049-4480-AAB4-D1B9BDC03710}', name: 'Microsoft Corporation' },
      user: { sid: 'S-1-5-19', name: 'NT AUTHORITY\\LOCAL SERVICE' },
      pid: 1000,
      ruleId: null,
      values: { action: 'permit', filterType: 'run-time', layer: 'ALE Receive/Accept v4 Layer', layerId: '44' },
    });
    expect(first.values.conditions).toBe(first.data.Conditions);
    expect(first.time.toISOString()).toBe('2021-06-03T19:17:46.751Z');
    expect(filters.filter((c) => c.change === 'filter-deleted').map((c) => c.filterId)).toContain(72062);
    // Everything Windows logged is still there, exactly.
    const raw = readFileSync(DISABLED, 'utf8')
      .split('\n')
      .find((l) => l.includes('<EventRecordID>1965603<')) as string;
    expect(raw).toContain(`<Data Name="FilterName">${first.data.FilterName}</Data>`);
  });

  it("Microsoft's samples and the firewall's own log, decoded", async () => {
    const { changes } = await watch({ source: { replay: [MSDOCS, FIREWALL_LOG] }, includeChanges: true });
    expect(changes.map((c) => [c.eventId, c.change])).toEqual([
      [4944, 'policy-at-start'],
      [4945, 'rule-at-start'],
      [4946, 'rule-added'],
      [4947, 'rule-modified'],
      [4948, 'rule-deleted'],
      [4949, 'defaults-restored'],
      [4950, 'setting-changed'],
      [4951, 'rule-rejected'],
      [4953, 'rule-rejected'],
      [4954, 'group-policy-applied'],
      [4956, 'active-profile-changed'],
      [4957, 'rule-rejected'],
      [5447, 'filter-deleted'],
      [2003, 'setting-changed'],
      [2004, 'rule-added'],
      [2005, 'rule-modified'],
      [2006, 'rule-deleted'],
    ]);
    const added = changes.find((c) => c.eventId === 4946) as RuleChange;
    expect(added).toMatchObject({
      ruleId: '{F2649D59-1355-4E3C-B886-CDD08B683199}',
      name: 'Allow All Rule',
      profiles: 'All',
      user: { sid: null, name: null },
    });
    const fw = changes.find((c) => c.eventId === 2004) as RuleChange;
    expect(fw).toMatchObject({
      channel: 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
      ruleId: '{21B2FB86-8218-4839-ACF3-CEE5F6CC6793}',
      name: 'windows_ie_ac_001',
      profiles: 'All',
      values: { action: 'block', direction: 'inbound', protocol: 'any', enabled: 'true', origin: 'local', group: 'windows_ie_ac_001' },
      user: { sid: 'S-1-5-80-3088073201-1464728630-1879813800-1107566885-823218052', name: null },
      application: 'C:\\WINDOWS\\System32\\svchost.exe',
    });
    expect(fw.time.toISOString()).toBe('2020-02-12T14:45:13.365Z'); // written with a space for 'T'
    expect(changes.find((c) => c.eventId === 2003)).toMatchObject({
      setting: 'FW_PROFILE_CONFIG_ENABLE_FW',
      value: 'Yes',
      profiles: 'Private',
    });
  });

  it('arrive in input order among blocks, from files and from a stream', async () => {
    const blocks = readFileSync(fixture('otrf-f2bb3e18.xml'), 'utf8').split('\n').filter(Boolean).slice(0, 60);
    const changes = readFileSync(DISABLED, 'utf8').split('\n').filter(Boolean).slice(0, 60);
    const mixed = blocks.flatMap((b, i) => [b, changes[i]]);
    const expected = mixed
      .map((l) => Number(/<EventRecordID>(\d+)</.exec(l)?.[1]))
      .filter((id, i) => {
        const line = mixed[i];
        return /<EventID>(5156|5158|5154|4950|5447)</.test(line);
      });
    for (const source of [{ replay: tempFile(mixed.join('\n')) }, { replay: Readable.from([mixed.join('\n')]) }]) {
      const seen = await watch({ source, includeChanges: true, includeAllowed: true, highWaterMark: 8 });
      expect(seen.errors).toEqual([]);
      expect(seen.order.map((x) => x.recordId)).toEqual(expected);
    }
  });
});

describe('a block carries the last change of the rule or filter that decided it', () => {
  const afterChanges = '2021-06-03T20:00:00.0000000Z';

  it('by run-time filter ID, from real WFP filter changes; JSON, ECS and OTel say when, what and who', async () => {
    const file = tempFile([win11Block(1, afterChanges, 'Unknown', '72549'), win11Block(2, afterChanges, 'Unknown', '1')].join('\n'));
    const { blocks } = await watch({ source: { replay: [DISABLED, file] } });
    expect(blocks).toHaveLength(2);
    expect(blocks[0].lastChange).toEqual({
      eventId: 5447,
      recordId: 1966464,
      time: new Date('2021-06-03T19:17:47.866Z'),
      change: 'filter-added',
      name: 'WinDefend Outbound for TCP',
      user: { sid: 'S-1-5-19', name: 'NT AUTHORITY\\LOCAL SERVICE' },
      application: null,
    });
    expect(blocks[1].lastChange).toBeUndefined();
    expect(JSON.parse(JSON.stringify(blocks[0])).lastChange.time).toBe('2021-06-03T19:17:47.866Z');
    expect(toEcs(blocks[0]).event.reason).toBe(
      'blocked by WFP filter 72549; last change: filter-added (WinDefend Outbound for TCP) at 2021-06-03T19:17:47.866Z by NT AUTHORITY\\LOCAL SERVICE',
    );
    expect(toOtelLogRecord(blocks[0]).attributes).toMatchObject({
      'wfp.last_change.kind': 'filter-added',
      'wfp.last_change.record_id': 1966464,
      'wfp.last_change.user.id': 'S-1-5-19',
    });
  });

  it('by rule ID in any case, from the firewall log; not when the change came after; kept through coalescing', async () => {
    const rule = 'udp query user{~~~~}c:\\users\\hyuunnn\\downloads\\anydesk.exe';
    const later = win11Block(1, '2021-01-01T00:00:00.0000000Z', rule);
    const earlier = win11Block(2, '2020-12-01T00:00:00.0000000Z', rule);
    for (const coalesce of [undefined, { windowMs: 60_000 }]) {
      const { blocks } = await watch({ source: { replay: [FIREWALL_LOG, tempFile([earlier, later, later].join('\n'))] }, coalesce });
      expect(blocks).toHaveLength(coalesce ? 2 : 3);
      const last = blocks[blocks.length - 1];
      expect(last.decidedBy).toBe('rule');
      expect(last.count).toBe(coalesce ? 2 : undefined);
      expect(last.lastChange).toMatchObject({
        eventId: 2005,
        change: 'rule-modified',
        name: 'anydesk.exe',
        user: { sid: 'S-1-5-21-2856883770-2223847312-2813546713-1001', name: null },
        application: 'C:\\Windows\\System32\\dllhost.exe',
      });
      const before = blocks.find((e) => e.time.getTime() < Date.parse('2020-12-12T07:32:38Z')) as BlockEvent;
      expect(before.lastChange).toBeUndefined(); // modified on 2020-12-12, after this block
    }
  });

  it('changes read after a block do not reach back to it', async () => {
    const block = tempFile(win11Block(1, afterChanges, 'Unknown', '72549'));
    const { blocks } = await watch({ source: { replay: [block, DISABLED] } });
    expect(blocks[0].lastChange).toBeUndefined();
  });
});
