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
  /** Why the status is unknown (not elevated, no audit API). */
  error: WfpBlocksError | null;
  reason: 'start' | 'policy-changed' | 'recheck';
}

/** Event 4719: someone (Group Policy, auditpol, another tool) changed an audit subcategory. */
export interface PolicyChange {
  recordId: number;
  time: Date;
  subcategoryGuid: string;
  /** 'connection' or 'packetDrop' for the subcategories WFP uses; null for the others. */
  subcategory: AuditSubcategory | null;
  successAdded: boolean;
  successRemoved: boolean;
  failureAdded: boolean;
  failureRemoved: boolean;
}

const AUDIT_RECHECK_MS = 5 * 60_000;

/** The subcategory a 4719 is about, when it is one WFP uses. */
export function policySubcategory(guid: string): AuditSubcategory | null {
  const upper = guid.toUpperCase();
  return (Object.keys(AUDIT_SUBCATEGORIES) as AuditSubcategory[]).find((k) => AUDIT_SUBCATEGORIES[k].guid === upper) ?? null;
}

/**
 * The audit policy side of a live watcher. 'enable' turns on what its events need and restores
 * exactly that when the watcher ends; 'check' and 'enable' say once when the needed auditing is off
 * (nobody should wait for events that cannot come), and again whenever that changes: on a 4719 for
 * these subcategories, and every few minutes, since Group Policy re-applies settings without always
 * logging it.
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
    const { mode, stateFile, store, restoreOnSignals } = this.#options;
    if (mode === 'ignore') return;
    if (mode === 'enable') {
      // Exactly the bits the watcher's own events need, never more.
      this.#change = enableAuditingFor(this.#events, { stateFile, store } as Parameters<typeof enableAuditingFor>[1]);
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
      status = { status: missing.length ? 'off' : 'on', missing, policy, error: null, reason };
    } catch (error) {
      status = { status: 'unknown', missing: [], policy: null, error: error as WfpBlocksError, reason };
    }
    const first = this.#status === null;
    const changed = status.status !== this.#status;
    this.#status = status.status;
    if ((first && status.status !== 'on') || (!first && changed)) this.#emitStatus(status);
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
