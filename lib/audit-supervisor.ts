import {
  AUDIT_SUBCATEGORIES,
  enableAuditingFor,
  getAuditPolicy,
  missingAuditing,
  restoreAuditPolicy,
  type AuditChange,
  type AuditPolicy,
  type AuditSubcategory,
} from './audit';
import type { EventInfo } from './catalog';
import type { WfpBlocksError } from './errors';
import type { ResolvedAuditOptions } from './options';

/** Whether the auditing a watcher needs is on. Emitted when it is not, and whenever that changes. */
export interface AuditStatus {
  status: 'on' | 'off' | 'unknown';
  /** Bits that are off although the requested kinds need them. */
  missing: ReturnType<typeof missingAuditing>;
  policy: AuditPolicy | null;
  /** Why the status is unknown (not elevated, no audit API), or why re-applying a revert failed. */
  error: WfpBlocksError | null;
  /**
   * 'start', 'policy-changed' (a 4719 for these subcategories), 'recheck' (every few minutes), or
   * 'reapplied': in 'enable' mode, the auditing that was reverted is on again.
   */
  reason: 'start' | 'policy-changed' | 'recheck' | 'reapplied';
  /**
   * 'enable' mode: the auditing the watcher turned on was found off (Group Policy re-applying its own
   * settings, or someone else); the watcher turns it on again and says so with a 'reapplied' status.
   */
  reverted: boolean;
}

/** Event 4719: someone (Group Policy, auditpol, another tool) changed an audit subcategory. */
export interface PolicyChange {
  /** A number, or its decimal text above 2^53. */
  recordId: number | string;
  time: Date;
  subcategoryGuid: string;
  /** The AUDIT_SUBCATEGORIES key for the subcategories this library uses (blocks, rule changes); null for the others. */
  subcategory: AuditSubcategory | null;
  successAdded: boolean;
  successRemoved: boolean;
  failureAdded: boolean;
  failureRemoved: boolean;
}

/** How often the policy is read again: Group Policy re-applies its audit settings without a 4719 always being noticed. */
export const AUDIT_RECHECK_MS = 5 * 60_000;

/** The subcategory a 4719 is about, when it is one WFP uses. */
/** Both changes' bits per subcategory, as one change would have turned them on. */
function mergeChanges(a: AuditChange['turnedOn'], b: AuditChange['turnedOn']): AuditChange['turnedOn'] {
  const merged = new Map<string, AuditChange['turnedOn'][number]>();
  for (const e of [...a, ...b]) {
    const known = merged.get(e.subcategory);
    merged.set(e.subcategory, known ? { ...known, success: known.success || e.success, failure: known.failure || e.failure } : { ...e });
  }
  return [...merged.values()];
}

export function policySubcategory(guid: string): AuditSubcategory | null {
  const upper = guid.toUpperCase();
  return (Object.keys(AUDIT_SUBCATEGORIES) as AuditSubcategory[]).find((k) => AUDIT_SUBCATEGORIES[k].guid === upper) ?? null;
}

/**
 * The audit policy side of a live watcher. 'enable' turns on what its events need and restores
 * exactly that when the watcher ends; 'check' and 'enable' say once when the needed auditing is off
 * (nobody should wait for events that cannot come), and again whenever that changes: on a 4719 for
 * these subcategories, and every few minutes, since Group Policy re-applies settings without always
 * logging it. In 'enable' mode a check that finds the auditing off again is a revert: it is reported
 * ('audit' with `reverted`), and turned on again ('audit' with reason 'reapplied'); what it turns on is
 * added to what is restored at the end. A domain policy that keeps winning is reverted and re-applied
 * at each of its refreshes; events in between are not logged by Windows.
 */
export class AuditSupervisor {
  readonly #options: ResolvedAuditOptions;
  readonly #events: readonly EventInfo[];
  readonly #emitStatus: (status: AuditStatus) => void;
  readonly #emitError: (error: WfpBlocksError) => void;
  #change: AuditChange | null = null;
  #status: AuditStatus['status'] | null = null;
  #stopped = false;
  #detach: Array<() => void> = [];

  constructor(
    options: ResolvedAuditOptions,
    events: readonly EventInfo[],
    emitStatus: (status: AuditStatus) => void,
    emitError: (error: WfpBlocksError) => void,
  ) {
    this.#options = options;
    this.#events = events;
    this.#emitStatus = emitStatus;
    this.#emitError = emitError;
  }

  /** Turns auditing on ('enable'; throws a WfpBlocksError when it cannot) and starts watching it. */
  start(): void {
    const { mode, restoreOnSignals } = this.#options;
    if (mode === 'ignore') return;
    if (mode === 'enable') {
      this.#change = this.#enable();
      if (restoreOnSignals) this.#restoreOnSignals();
    }
    process.nextTick(() => this.#check('start'));
    const timer = setInterval(() => this.#check('recheck'), AUDIT_RECHECK_MS).unref();
    this.#detach.push(() => clearInterval(timer));
  }

  /** A 4719 arrived among the records. */
  onPolicyChange(change: PolicyChange): void {
    if (change.subcategory) this.#check('policy-changed');
  }

  /** The watcher ends: stop watching, and put back what 'enable' changed. */
  stop(): void {
    this.#stopped = true;
    for (const detach of this.#detach.splice(0)) detach();
    this.#restore();
  }

  #check(reason: AuditStatus['reason']): void {
    if (this.#stopped) return;
    let status: AuditStatus;
    try {
      const policy = getAuditPolicy({ store: this.#options.store } as Parameters<typeof getAuditPolicy>[0]);
      const missing = missingAuditing(policy, this.#events);
      status = { status: missing.length ? 'off' : 'on', missing, policy, error: null, reason, reverted: false };
    } catch (error) {
      status = { status: 'unknown', missing: [], policy: null, error: error as WfpBlocksError, reason, reverted: false };
    }
    if (this.#options.mode === 'enable' && status.status === 'off' && reason !== 'reapplied') {
      this.#reapply(status);
      return;
    }
    const first = this.#status === null;
    const changed = status.status !== this.#status;
    this.#status = status.status;
    if ((first && status.status !== 'on') || (!first && changed)) this.#emitStatus(status);
  }

  // Every revert is reported, also when the last re-apply did not hold either.
  #reapply(found: AuditStatus): void {
    this.#status = 'off';
    let change: AuditChange;
    try {
      change = this.#enable();
    } catch (error) {
      this.#emitStatus({ ...found, reverted: true, error: error as WfpBlocksError });
      return;
    }
    this.#emitStatus({ ...found, reverted: true });
    this.#change = this.#change
      ? {
          ...this.#change,
          turnedOn: mergeChanges(this.#change.turnedOn, change.turnedOn),
          stateFile: change.stateFile ?? this.#change.stateFile,
        }
      : change;
    this.#check('reapplied');
  }

  // Exactly the bits the watcher's own events need, never more.
  #enable(): AuditChange {
    const { stateFile, store } = this.#options;
    return enableAuditingFor(this.#events, { stateFile, store } as Parameters<typeof enableAuditingFor>[1]);
  }

  #restoreOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.#restore();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Without other listeners, let the signal do what it would have done.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    this.#detach.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }

  #restore(): void {
    const change = this.#change;
    this.#change = null;
    if (!change) return;
    try {
      restoreAuditPolicy(change, { store: this.#options.store } as Parameters<typeof restoreAuditPolicy>[1]);
    } catch (error) {
      this.#emitError(error as WfpBlocksError);
    }
  }
}
