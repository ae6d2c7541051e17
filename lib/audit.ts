import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBinding } from './binding';
import { changeEvents, EVENTS, SUBCATEGORIES, type EventInfo } from './catalog';
import { WfpBlocksError, type WfpErrorCode } from './errors';

const subcategory = (key: 'connection' | 'packetDrop' | 'ruleChange' | 'wfpPolicyChange' | 'otherPolicyChange') => {
  const { guid, name } = SUBCATEGORIES.find((s) => s.key === key) as (typeof SUBCATEGORIES)[number];
  return { guid, name };
};

/**
 * The audit subcategories WFP writes its block events under, and those of the firewall rule and WFP
 * policy changes. Always addressed by GUID: names are localised.
 */
export const AUDIT_SUBCATEGORIES = {
  connection: subcategory('connection'),
  packetDrop: subcategory('packetDrop'),
  /** MPSSVC Rule-Level Policy Change: 4944-4958, the firewall's rule and setting changes. */
  ruleChange: subcategory('ruleChange'),
  /** Filtering Platform Policy Change: 5440-5446, 5448-5450, WFP callouts, providers, sub-layers. */
  wfpPolicyChange: subcategory('wfpPolicyChange'),
  /** Other Policy Change Events: 5447, WFP filter changes (very noisy during Group Policy refreshes). */
  otherPolicyChange: subcategory('otherPolicyChange'),
} as const;

export type AuditSubcategory = keyof typeof AUDIT_SUBCATEGORIES;
export interface AuditSetting {
  success: boolean;
  failure: boolean;
}
export type AuditPolicy = Record<AuditSubcategory, AuditSetting>;

/** Where the policy is read and written: the system on Windows; memory in tests. Bits: 1 success, 2 failure. */
export interface AuditPolicyStore {
  query(guids: readonly string[]): number[];
  set(entries: ReadonlyArray<{ guid: string; bits: number }>): void;
}

/** What one enableBlockAuditing() turned on: exactly what restoreAuditPolicy() turns off again. */
export interface AuditChange {
  turnedOn: Array<{ subcategory: AuditSubcategory; guid: string; success: boolean; failure: boolean }>;
  /** Where the change was recorded before it was made, for restoring after a crash. */
  stateFile: string | null;
  at: string;
}

export interface AuditOptions {
  /** Crash-safety record. Default: WFP_BLOCKS_AUDIT_STATE, else %ProgramData%\wfp-blocks\audit-state.json (tmp elsewhere). */
  stateFile?: string;
}

/** @internal The options with the policy store tests give instead of the system's (not public API). */
interface WithStore {
  store?: AuditPolicyStore;
}
const storeOf = (options: object): AuditPolicyStore => (options as WithStore).store ?? systemStore();

export interface EnableOptions extends AuditOptions {
  /** Also Filtering Platform Packet Drop (5152, 5153; 5150, 5151): very noisy, so off by default. */
  packetDrops?: boolean;
  /** Also success auditing, for permitted traffic (5154, 5156, 5158). */
  allowed?: boolean;
  /**
   * Also success auditing of the firewall's rule and setting changes and of WFP policy changes: MPSSVC
   * Rule-Level Policy Change and Filtering Platform Policy Change.
   */
  ruleChanges?: boolean;
  /** Also success auditing of WFP filter changes (5447, Other Policy Change Events): noisy, so off by default. */
  filterChanges?: boolean;
}

/**
 * The audit bits (1 success, 2 failure) per subcategory that make Windows log `events`: each event's
 * outcome in its subcategory, as the catalogue gives them.
 */
export function auditBitsFor(events: readonly EventInfo[]): Record<AuditSubcategory, number> {
  const bits = Object.fromEntries(NAMES.map((n) => [n, 0])) as Record<AuditSubcategory, number>;
  for (const e of events) {
    if (e.subcategory !== null && e.subcategory in bits && e.outcome !== null) {
      bits[e.subcategory as AuditSubcategory] |= e.outcome === 'success' ? SUCCESS : FAILURE;
    }
  }
  return bits;
}

/** The events that enableBlockAuditing() turns auditing on for. */
function enabledEvents(options: { packetDrops?: boolean; allowed?: boolean; ruleChanges?: boolean; filterChanges?: boolean }): EventInfo[] {
  const traffic = EVENTS.filter(
    (e) => e.role === 'traffic' && (options.packetDrops || e.subcategory !== 'packetDrop') && (options.allowed || e.action === 'block'),
  );
  const changes = changeEvents([
    ...(options.ruleChanges ? (['ruleChange', 'wfpPolicyChange'] as const) : []),
    ...(options.filterChanges ? (['otherPolicyChange'] as const) : []),
  ]);
  return [...traffic, ...changes];
}

const SUCCESS = 1;
const FAILURE = 2;
const NAMES = Object.keys(AUDIT_SUBCATEGORIES) as AuditSubcategory[];

export function defaultAuditStateFile(): string {
  if (process.env.WFP_BLOCKS_AUDIT_STATE) return process.env.WFP_BLOCKS_AUDIT_STATE;
  const base = process.platform === 'win32' ? (process.env.ProgramData ?? 'C:\\ProgramData') : os.tmpdir();
  return path.join(base, 'wfp-blocks', 'audit-state.json');
}

function systemStore(): AuditPolicyStore {
  if (process.platform !== 'win32') {
    throw new WfpBlocksError('ERR_UNSUPPORTED_PLATFORM', `the Windows audit policy does not exist on ${process.platform}`);
  }
  let binding;
  try {
    binding = loadBinding();
  } catch (cause) {
    throw new WfpBlocksError('ERR_BINDING_NOT_FOUND', 'no native build of wfp-blocks loads here', { cause });
  }
  const { auditQuery, auditSet } = binding;
  if (!auditQuery || !auditSet) throw new WfpBlocksError('ERR_UNSUPPORTED_PLATFORM', 'this build has no audit policy support');
  const typed = <T>(call: () => T): T => {
    try {
      return call();
    } catch (error) {
      const e = error as Error & { code?: string; systemCode?: number };
      if (e.code === 'ERR_ELEVATION_REQUIRED' || e.code === 'ERR_AUDIT_POLICY') {
        throw new WfpBlocksError(e.code as WfpErrorCode, e.message, {
          systemCode: e.systemCode,
          hint: e.code === 'ERR_ELEVATION_REQUIRED' ? 'run as an elevated administrator' : null,
        });
      }
      throw error;
    }
  };
  return { query: (guids) => typed(() => auditQuery([...guids])), set: (entries) => typed(() => auditSet([...entries])) };
}

const toSetting = (bits: number): AuditSetting => ({ success: (bits & SUCCESS) !== 0, failure: (bits & FAILURE) !== 0 });
const toBits = (s: { success: boolean; failure: boolean }) => (s.success ? SUCCESS : 0) | (s.failure ? FAILURE : 0);

function readPolicy(store: AuditPolicyStore): Record<AuditSubcategory, number> {
  const bits = store.query(NAMES.map((n) => AUDIT_SUBCATEGORIES[n].guid));
  return Object.fromEntries(NAMES.map((n, i) => [n, bits[i]])) as Record<AuditSubcategory, number>;
}

/** The success and failure state of each subcategory of AUDIT_SUBCATEGORIES. */
export function getAuditPolicy(options: AuditOptions = {}): AuditPolicy {
  const bits = readPolicy(storeOf(options));
  return Object.fromEntries(NAMES.map((n) => [n, toSetting(bits[n])])) as AuditPolicy;
}

type Recorded = AuditChange['turnedOn'];

function readState(file: string): Recorded {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { turnedOn?: Recorded };
    return Array.isArray(parsed.turnedOn) ? parsed.turnedOn : [];
  } catch {
    return [];
  }
}

// Written to a temporary file and renamed, so a crash leaves the old record or the new one.
function writeState(file: string, turnedOn: Recorded): void {
  if (turnedOn.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ version: 1, pid: process.pid, at: new Date().toISOString(), turnedOn }, null, 2)}\n`);
  renameSync(temp, file);
}

function merge(a: Recorded, b: Recorded): Recorded {
  return NAMES.flatMap((subcategory) => {
    const mine = [...a, ...b].filter((e) => e.subcategory === subcategory);
    if (mine.length === 0) return [];
    return [
      {
        subcategory,
        guid: AUDIT_SUBCATEGORIES[subcategory].guid,
        success: mine.some((e) => e.success),
        failure: mine.some((e) => e.failure),
      },
    ];
  });
}

function subtract(from: Recorded, remove: Recorded): Recorded {
  return from.flatMap((e) => {
    const r = remove.find((x) => x.subcategory === e.subcategory);
    const left = { ...e, success: e.success && !r?.success, failure: e.failure && !r?.failure };
    return left.success || left.failure ? [left] : [];
  });
}

/**
 * Turns on the audit bits WFP block events need, only those that are off: failure auditing for
 * blocks, success only when allowed events are wanted; success of the change subcategories when asked. Records what it will change in the state file
 * before changing anything, and returns the change for restoreAuditPolicy().
 */
export function enableBlockAuditing(options: EnableOptions = {}): AuditChange {
  return enableAuditingFor(enabledEvents(options), options);
}

/**
 * Turns on exactly the audit bits that make Windows log `events` (each event's outcome in its
 * subcategory), only those that are off: what a watcher with `audit: 'enable'` needs for its kinds.
 */
export function enableAuditingFor(events: readonly EventInfo[], options: AuditOptions = {}): AuditChange {
  const store = storeOf(options);
  const stateFile = options.stateFile ?? defaultAuditStateFile();
  const wanted = auditBitsFor(events);
  const current = readPolicy(store);
  const turnedOn: Recorded = NAMES.flatMap((subcategory) => {
    const missing = wanted[subcategory] & ~current[subcategory];
    if (!missing) return [];
    return [{ subcategory, guid: AUDIT_SUBCATEGORIES[subcategory].guid, ...toSetting(missing) }];
  });
  const change: AuditChange = { turnedOn, stateFile: turnedOn.length ? stateFile : null, at: new Date().toISOString() };
  if (turnedOn.length === 0) return change;

  try {
    writeState(stateFile, merge(readState(stateFile), turnedOn));
  } catch (cause) {
    throw new WfpBlocksError('ERR_AUDIT_POLICY', `cannot record the change in ${stateFile} before making it`, {
      cause,
      hint: 'set the stateFile option or WFP_BLOCKS_AUDIT_STATE to a writable file',
    });
  }
  store.set(turnedOn.map((e) => ({ guid: e.guid, bits: current[e.subcategory] | toBits(e) })));
  const after = readPolicy(store);
  const notApplied = turnedOn.filter((e) => (after[e.subcategory] & toBits(e)) !== toBits(e));
  if (notApplied.length > 0) {
    throw new WfpBlocksError(
      'ERR_AUDIT_POLICY',
      `the audit policy did not take the change for ${notApplied.map((e) => AUDIT_SUBCATEGORIES[e.subcategory].name).join(', ')}`,
      {
        hint: 'Group Policy may override local audit settings (see SCENoApplyLegacyAuditPolicy)',
      },
    );
  }
  return change;
}

/**
 * Puts back exactly what `change` turned on, and nothing else: bits that were on before it, or that
 * it did not set, are never turned off. Without a change, undoes what the state file says a process
 * left behind (it crashed, or was killed, between enabling and restoring). Returns what was restored.
 */
export function restoreAuditPolicy(change?: AuditChange | null, options: AuditOptions = {}): AuditChange {
  const stateFile = change?.stateFile ?? options.stateFile ?? defaultAuditStateFile();
  const recorded = readState(stateFile);
  const restoring = change ? change.turnedOn : recorded;
  const restored: AuditChange = { turnedOn: restoring, stateFile, at: new Date().toISOString() };
  if (restoring.length === 0) return restored;
  const store = storeOf(options);
  const current = readPolicy(store);
  store.set(restoring.map((e) => ({ guid: e.guid, bits: current[e.subcategory] & ~toBits(e) })));
  writeState(stateFile, subtract(recorded, restoring));
  return restored;
}

/** Which of the bits `events` need are off now. */
export function missingAuditing(
  policy: AuditPolicy,
  events: readonly EventInfo[],
): Array<{ subcategory: AuditSubcategory; guid: string; name: string; success: boolean; failure: boolean }> {
  const need = auditBitsFor(events);
  return NAMES.flatMap((subcategory) => {
    const success = (need[subcategory] & SUCCESS) !== 0 && !policy[subcategory].success;
    const failure = (need[subcategory] & FAILURE) !== 0 && !policy[subcategory].failure;
    return success || failure ? [{ subcategory, ...AUDIT_SUBCATEGORIES[subcategory], success, failure }] : [];
  });
}
