import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { enableBlockAuditing, getAuditPolicy, restoreAuditPolicy, watchBlocks, WfpBlocksError, type PolicyChange } from '../dist/index.js';
import type { AuditPolicyStore } from '../dist/audit.js';
import { AUDIT_RECHECK_MS, AuditSupervisor } from '../dist/audit-supervisor.js';
import { BLOCK_KINDS, DEFAULT_LIVE_KINDS, EVENTS, selectedEvents } from '../dist/catalog.js';
import { resolveOptions } from '../dist/options.js';
import { fixtureFiles, tempDir } from './helpers';

const CONNECTION = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const PACKET_DROP = '{0CCE9225-69AE-11D9-BED3-505054503030}';
const MPSSVC_RULE_LEVEL = '{0CCE9232-69AE-11D9-BED3-505054503030}';
const WFP_POLICY_CHANGE = '{0CCE9233-69AE-11D9-BED3-505054503030}';
const OTHER_POLICY_CHANGE = '{0CCE9234-69AE-11D9-BED3-505054503030}';
const SUCCESS = 1;
const FAILURE = 2;

/** The system audit policy, in memory: every subcategory by GUID, with a record of each set() call. */
class MemoryStore implements AuditPolicyStore {
  sets: Array<Array<{ guid: string; bits: number }>> = [];
  constructor(
    public policy: Record<string, number>,
    private failSet = false,
    private ignoreSet = false,
  ) {}
  query(guids: readonly string[]) {
    return guids.map((g) => this.policy[g] ?? 0);
  }
  set(entries: ReadonlyArray<{ guid: string; bits: number }>) {
    if (this.failSet) throw new Error('the process died here');
    this.sets.push([...entries]);
    if (!this.ignoreSet) for (const e of entries) this.policy[e.guid] = e.bits;
  }
}

const stateFile = () => path.join(tempDir(), 'state', 'audit-state.json');

describe('audit policy decisions, against an in-memory policy store', () => {
  it('reads every subcategory by GUID', () => {
    const store = new MemoryStore({ [CONNECTION]: FAILURE, [PACKET_DROP]: SUCCESS | FAILURE, [OTHER_POLICY_CHANGE]: SUCCESS });
    expect(getAuditPolicy({ store })).toEqual({
      connection: { success: false, failure: true },
      packetDrop: { success: true, failure: true },
      ruleChange: { success: false, failure: false },
      wfpPolicyChange: { success: false, failure: false },
      otherPolicyChange: { success: true, failure: false },
    });
  });

  it('rule and filter changes: success only, only when asked, restored exactly', () => {
    const cases: Array<[object, Record<string, number>]> = [
      [{ ruleChanges: true }, { [CONNECTION]: FAILURE, [MPSSVC_RULE_LEVEL]: SUCCESS, [WFP_POLICY_CHANGE]: SUCCESS }],
      [{ filterChanges: true }, { [CONNECTION]: FAILURE, [OTHER_POLICY_CHANGE]: SUCCESS }],
      [
        { ruleChanges: true, filterChanges: true },
        { [CONNECTION]: FAILURE, [MPSSVC_RULE_LEVEL]: SUCCESS, [WFP_POLICY_CHANGE]: SUCCESS, [OTHER_POLICY_CHANGE]: SUCCESS },
      ],
    ];
    for (const [options, expected] of cases) {
      const store = new MemoryStore({});
      const file = stateFile();
      const change = enableBlockAuditing({ store, stateFile: file, ...options });
      expect(store.policy).toEqual(expected);
      expect(JSON.parse(readFileSync(file, 'utf8')).turnedOn).toEqual(change.turnedOn);
      restoreAuditPolicy(change, { store });
      expect(Object.values(store.policy).every((bits) => bits === 0)).toBe(true);
      expect(existsSync(file)).toBe(false);
    }
    // A failure bit someone set on MPSSVC Rule-Level (4951-4953, 4957, 4958 are Audit Failure) is kept.
    const store = new MemoryStore({ [MPSSVC_RULE_LEVEL]: FAILURE, [WFP_POLICY_CHANGE]: SUCCESS });
    const change = enableBlockAuditing({ store, stateFile: stateFile(), ruleChanges: true });
    expect(change.turnedOn).toEqual([
      { subcategory: 'connection', guid: CONNECTION, success: false, failure: true },
      { subcategory: 'ruleChange', guid: MPSSVC_RULE_LEVEL, success: true, failure: false },
    ]);
    expect(store.sets).toEqual([
      [
        { guid: CONNECTION, bits: FAILURE },
        { guid: MPSSVC_RULE_LEVEL, bits: SUCCESS | FAILURE },
      ],
    ]);
    restoreAuditPolicy(change, { store });
    expect(store.policy).toEqual({ [CONNECTION]: 0, [MPSSVC_RULE_LEVEL]: FAILURE, [WFP_POLICY_CHANGE]: SUCCESS });
  });

  it('turns on only the bits that are off, and restores exactly those', () => {
    const store = new MemoryStore({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0, '{OTHER}': 3 });
    const file = stateFile();
    const change = enableBlockAuditing({ store, stateFile: file });
    expect(change.turnedOn).toEqual([{ subcategory: 'connection', guid: CONNECTION, success: false, failure: true }]);
    expect(store.policy).toEqual({ [CONNECTION]: SUCCESS | FAILURE, [PACKET_DROP]: 0, '{OTHER}': 3 });
    expect(store.sets).toEqual([[{ guid: CONNECTION, bits: SUCCESS | FAILURE }]]); // the full value, never 0

    const restored = restoreAuditPolicy(change, { store });
    expect(restored.turnedOn).toEqual(change.turnedOn);
    expect(store.policy).toEqual({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0, '{OTHER}': 3 });
    expect(existsSync(file)).toBe(false);
  });

  it('changes nothing, and records nothing, when the bits are already on', () => {
    const store = new MemoryStore({ [CONNECTION]: FAILURE, [PACKET_DROP]: SUCCESS | FAILURE });
    const file = stateFile();
    const change = enableBlockAuditing({ store, stateFile: file, packetDrops: true });
    expect(change.turnedOn).toEqual([]);
    expect(store.sets).toEqual([]);
    expect(existsSync(file)).toBe(false);
    restoreAuditPolicy(change, { store });
    expect(store.policy).toEqual({ [CONNECTION]: FAILURE, [PACKET_DROP]: SUCCESS | FAILURE });
  });

  it('success for permitted traffic only when allowed events are wanted; packet drops only when asked', () => {
    const cases: Array<[object, Record<string, number>]> = [
      [{}, { [CONNECTION]: FAILURE, [PACKET_DROP]: 0 }],
      [{ allowed: true }, { [CONNECTION]: SUCCESS | FAILURE, [PACKET_DROP]: 0 }],
      // 5153 is logged as Audit Success under Packet Drop, 5150-5152 as Audit Failure.
      [{ packetDrops: true }, { [CONNECTION]: FAILURE, [PACKET_DROP]: SUCCESS | FAILURE }],
      [
        { packetDrops: true, allowed: true },
        { [CONNECTION]: SUCCESS | FAILURE, [PACKET_DROP]: SUCCESS | FAILURE },
      ],
    ];
    for (const [options, expected] of cases) {
      const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
      const change = enableBlockAuditing({ store, stateFile: stateFile(), ...options });
      expect(store.policy).toEqual(expected);
      restoreAuditPolicy(change, { store });
      expect(store.policy).toEqual({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    }
  });

  it('never turns off a bit someone else turned on in the meantime', () => {
    const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    const change = enableBlockAuditing({ store, stateFile: stateFile() });
    store.policy[CONNECTION] |= SUCCESS; // Group Policy, another tool
    store.policy[PACKET_DROP] = FAILURE;
    restoreAuditPolicy(change, { store });
    expect(store.policy).toEqual({ [CONNECTION]: SUCCESS, [PACKET_DROP]: FAILURE });
  });

  it('records the change before making it: a process that dies is undone by a later restore', () => {
    const store = new MemoryStore({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0 });
    const file = stateFile();
    enableBlockAuditing({ store, stateFile: file, packetDrops: true }); // ... and the process dies: the change object is lost
    const record = JSON.parse(readFileSync(file, 'utf8'));
    expect(record.turnedOn).toEqual([
      { subcategory: 'connection', guid: CONNECTION, success: false, failure: true },
      { subcategory: 'packetDrop', guid: PACKET_DROP, success: true, failure: true },
    ]);
    const restored = restoreAuditPolicy(null, { store, stateFile: file }); // the next process, or `wfp-blocks audit restore`
    expect(restored.turnedOn).toHaveLength(2);
    expect(store.policy).toEqual({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0 });
    expect(existsSync(file)).toBe(false);
    expect(restoreAuditPolicy(null, { store, stateFile: file }).turnedOn).toEqual([]); // nothing left to do
  });

  it('a crash between recording and setting leaves a record whose restore changes nothing that was on', () => {
    const file = stateFile();
    const dying = new MemoryStore({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0 }, true);
    expect(() => enableBlockAuditing({ store: dying, stateFile: file })).toThrow('the process died here');
    expect(existsSync(file)).toBe(true);
    const store = new MemoryStore(dying.policy);
    restoreAuditPolicy(null, { store, stateFile: file });
    expect(store.policy).toEqual({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0 });
  });

  it('two changes share the record; restoring one keeps the other', () => {
    const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    const file = stateFile();
    const first = enableBlockAuditing({ store, stateFile: file });
    const second = enableBlockAuditing({ store, stateFile: file, packetDrops: true });
    expect(second.turnedOn.map((e) => e.subcategory)).toEqual(['packetDrop']);
    restoreAuditPolicy(second, { store });
    expect(store.policy).toEqual({ [CONNECTION]: FAILURE, [PACKET_DROP]: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8')).turnedOn).toEqual(first.turnedOn);
    restoreAuditPolicy(first, { store });
    expect(store.policy).toEqual({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
  });

  it('a state file that cannot be written stops the change before anything is set', () => {
    const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    const notAFolder = path.join(tempDir(), 'file');
    writeFileSync(notAFolder, 'x');
    expect(() => enableBlockAuditing({ store, stateFile: path.join(notAFolder, 'state.json') })).toThrow(
      expect.objectContaining({ code: 'ERR_AUDIT_POLICY', hint: expect.stringContaining('stateFile') }),
    );
    expect(store.sets).toEqual([]);
  });

  it('a change the system does not keep (Group Policy) is a typed error', () => {
    const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 }, false, true);
    let thrown: unknown;
    try {
      enableBlockAuditing({ store, stateFile: stateFile() });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WfpBlocksError);
    expect(thrown).toMatchObject({ code: 'ERR_AUDIT_POLICY' });
    expect((thrown as Error).message).toContain('Filtering Platform Connection');
  });
});

describe.skipIf(process.platform === 'win32')('the audit functions on Linux', () => {
  for (const [name, call] of [
    ['getAuditPolicy', () => getAuditPolicy()],
    ['enableBlockAuditing', () => enableBlockAuditing({ stateFile: stateFile() })],
    [
      'restoreAuditPolicy',
      () =>
        restoreAuditPolicy({
          turnedOn: [{ subcategory: 'connection', guid: CONNECTION, success: false, failure: true }],
          stateFile: stateFile(),
          at: '',
        }),
    ],
  ] as const) {
    it(`${name} throws a typed unsupported-platform error`, () => {
      expect(call).toThrow(WfpBlocksError);
      expect(call).toThrow(/ERR_UNSUPPORTED_PLATFORM/);
    });
  }
});

describe('packet drops are opt-in, and --enable-audit turns on only what the kinds asked for need', () => {
  it('Security-log watchers read connection, listen, bind and accept by default; net events and a replay read every kind', () => {
    expect(DEFAULT_LIVE_KINDS).toEqual(['connection', 'listen', 'bind', 'accept']);
    expect(resolveOptions({ source: 'eventlog' }).kinds).toEqual(DEFAULT_LIVE_KINDS);
    expect(resolveOptions({ source: 'legacy' }).kinds).toEqual(DEFAULT_LIVE_KINDS);
    expect(resolveOptions({ source: 'netevents' }).kinds).toEqual(BLOCK_KINDS);
    expect(resolveOptions({ source: { replay: 'x.xml' } }).kinds).toEqual(BLOCK_KINDS);
  });

  it('the default watch needs exactly what a plain enableBlockAuditing() turns on', () => {
    const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    const plain = enableBlockAuditing({ store, stateFile: stateFile() } as Parameters<typeof enableBlockAuditing>[0]);
    const watcherStore = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    const supervisor = new AuditSupervisor(
      { mode: 'enable', stateFile: stateFile(), store: watcherStore },
      selectedEvents(DEFAULT_LIVE_KINDS, false),
      () => {},
      () => {},
    );
    supervisor.start();
    expect(watcherStore.policy).toEqual(store.policy);
    expect(plain.turnedOn).toEqual([{ subcategory: 'connection', guid: CONNECTION, success: false, failure: true }]);
    supervisor.stop();
    expect(watcherStore.policy).toEqual({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
  });

  for (const [kinds, includeAllowed, expected] of [
    [['packet'], false, { [CONNECTION]: 0, [PACKET_DROP]: SUCCESS | FAILURE }], // 5152 failure, 5153 success
    [['mac'], false, { [CONNECTION]: 0, [PACKET_DROP]: FAILURE }],
    [['bind'], false, { [CONNECTION]: FAILURE, [PACKET_DROP]: 0 }],
    [['bind'], true, { [CONNECTION]: SUCCESS | FAILURE, [PACKET_DROP]: 0 }],
    [['connection', 'packet'], true, { [CONNECTION]: SUCCESS | FAILURE, [PACKET_DROP]: SUCCESS | FAILURE }],
  ] as const) {
    it(`kinds ${kinds.join(',')}${includeAllowed ? ' with allowed' : ''}: only the bits their events need`, () => {
      const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
      const supervisor = new AuditSupervisor(
        { mode: 'enable', stateFile: stateFile(), store },
        selectedEvents(kinds, includeAllowed),
        () => {},
        () => {},
      );
      supervisor.start();
      expect(store.policy).toEqual(expected);
      supervisor.stop();
      expect(store.policy).toEqual({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
    });
  }
});

describe('event 4719 (audit policy changed) in the fixtures', () => {
  it('is recognised: which subcategory GUID changed, and how', async () => {
    const files = fixtureFiles();
    const expected = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('<EventID>4719</EventID>'))
        .map((line) => {
          const tokens = /AuditPolicyChanges.>([^<]*)/.exec(line)?.[1] ?? '';
          return {
            recordId: Number(/<EventRecordID>(\d+)/.exec(line)?.[1]),
            subcategoryGuid: /SubcategoryGuid.>([^<]*)/.exec(line)?.[1],
            successRemoved: tokens.includes('%%8448'),
            successAdded: tokens.includes('%%8449'),
            failureRemoved: tokens.includes('%%8450'),
            failureAdded: tokens.includes('%%8451'),
          };
        }),
    );
    expect(expected).toHaveLength(45);
    const watcher = watchBlocks({ source: { replay: files } });
    const changes: PolicyChange[] = [];
    watcher.on('policyChange', (c) => changes.push(c));
    await new Promise((r) => watcher.once('close', r));
    expect(changes.map(({ time, subcategory, ...rest }) => rest)).toEqual(expected);
    // Real 4719s that turned off MPSSVC Rule-Level and Other Policy Change Events name those subcategories;
    // no other one of these is a subcategory this library uses.
    const ours: Record<string, string> = { [MPSSVC_RULE_LEVEL]: 'ruleChange', [OTHER_POLICY_CHANGE]: 'otherPolicyChange' };
    expect(changes.map((c) => c.subcategory)).toEqual(changes.map((c) => ours[c.subcategoryGuid.toUpperCase()] ?? null));
    expect(changes.filter((c) => c.subcategory !== null).map((c) => [c.subcategory, c.successRemoved])).toEqual([
      ['ruleChange', true],
      ['otherPolicyChange', true],
    ]);
    expect(changes[0].time).toBeInstanceOf(Date);
  });

  it('names the WFP subcategories when they are the ones that changed', async () => {
    const line = readFileSync(fixtureFiles().find((f) => f.includes('mdecrevoisier')) as string, 'utf8').split('\n')[0];
    const ours = line.replace(/SubcategoryGuid">[^<]*/, `SubcategoryGuid">${CONNECTION}`);
    const file = path.join(tempDir(), 'ours.xml');
    writeFileSync(file, `${ours}\n`);
    const watcher = watchBlocks({ source: { replay: file } });
    const changes: PolicyChange[] = [];
    watcher.on('policyChange', (c) => changes.push(c));
    await new Promise((r) => watcher.once('close', r));
    expect(changes).toHaveLength(1);
    expect(changes[0].subcategory).toBe('connection');
  });
});

describe("'enable' against Group Policy: a revert is reported and re-applied", () => {
  type Status = import('../dist/audit-supervisor.js').AuditStatus;
  const blocks = () => EVENTS.filter((e) => e.role === 'traffic' && e.kind === 'connection' && e.action === 'block');
  const change = (over: Partial<PolicyChange>): PolicyChange => ({
    recordId: 1,
    time: new Date(),
    subcategoryGuid: CONNECTION,
    subcategory: 'connection',
    successAdded: false,
    successRemoved: false,
    failureAdded: false,
    failureRemoved: false,
    ...over,
  });
  const supervise = (store: MemoryStore) => {
    const statuses: Status[] = [];
    const errors: WfpBlocksError[] = [];
    const supervisor = new AuditSupervisor(
      { mode: 'enable', store, stateFile: stateFile() },
      blocks(),
      (s) => statuses.push(s),
      (e) => errors.push(e),
    );
    supervisor.start();
    return { supervisor, statuses, errors };
  };

  it('the periodic recheck finds the revert, says so, turns it on again; close restores all it turned on', () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
      const { supervisor, statuses, errors } = supervise(store);
      vi.runAllTicks();
      expect(store.policy[CONNECTION]).toBe(FAILURE);
      expect(statuses).toEqual([]);
      store.policy[CONNECTION] = 0; // Group Policy re-applies its own settings, without a 4719 seen
      vi.advanceTimersByTime(AUDIT_RECHECK_MS);
      expect(statuses.map((s) => [s.status, s.reason, s.reverted])).toEqual([
        ['off', 'recheck', true],
        ['on', 'reapplied', false],
      ]);
      expect(statuses[0].missing.map((m) => [m.guid, m.failure])).toEqual([[CONNECTION, true]]);
      expect(store.policy[CONNECTION]).toBe(FAILURE);
      supervisor.stop();
      expect(store.policy[CONNECTION]).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a 4719 that turns it off re-applies it at once; one that turns something else off changes nothing', () => {
    const store = new MemoryStore({ [CONNECTION]: SUCCESS, [PACKET_DROP]: 0 });
    const { supervisor, statuses } = supervise(store);
    store.policy[CONNECTION] = SUCCESS; // failure removed by someone; Windows logs 4719
    supervisor.onPolicyChange(change({ failureRemoved: true }));
    expect(statuses.map((s) => [s.status, s.reason, s.reverted])).toEqual([
      ['off', 'policy-changed', true],
      ['on', 'reapplied', false],
    ]);
    expect(store.policy[CONNECTION]).toBe(SUCCESS | FAILURE);
    supervisor.onPolicyChange(
      change({ subcategoryGuid: '{0CCE922B-69AE-11D9-BED3-505054503030}', subcategory: null, failureRemoved: true }),
    );
    expect(statuses.length).toBe(2);
    supervisor.stop();
    expect(store.policy[CONNECTION]).toBe(SUCCESS); // the success bit someone else set stays
  });

  it('a domain policy that keeps winning: every revert is reported, also when re-applying does not hold', () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 });
      const { supervisor, statuses } = supervise(store);
      for (let refresh = 0; refresh < 2; refresh++) {
        store.policy[CONNECTION] = 0;
        vi.advanceTimersByTime(AUDIT_RECHECK_MS);
      }
      expect(statuses.filter((s) => s.reverted).length).toBe(2);
      // Now the policy refuses the change outright (the set does not take).
      const stuck = new MemoryStore({ [CONNECTION]: 0, [PACKET_DROP]: 0 }, false, true);
      stuck.policy[CONNECTION] = FAILURE;
      const held = supervise(stuck);
      stuck.policy[CONNECTION] = 0;
      vi.advanceTimersByTime(AUDIT_RECHECK_MS);
      vi.advanceTimersByTime(AUDIT_RECHECK_MS);
      expect(held.statuses.map((s) => [s.status, s.reverted, s.error?.code])).toEqual([
        ['off', true, 'ERR_AUDIT_POLICY'],
        ['off', true, 'ERR_AUDIT_POLICY'],
      ]);
      expect(held.errors).toEqual([]);
      held.supervisor.stop();
      supervisor.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
