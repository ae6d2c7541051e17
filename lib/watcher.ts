import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { NativeIssue, NativeMessage, NativePolicyChange, Watcher as NativeWatcher } from '../binding';
import {
  AUDIT_SUBCATEGORIES,
  enableBlockAuditing,
  getAuditPolicy,
  missingAuditing,
  restoreAuditPolicy,
  type AuditChange,
  type AuditPolicy,
  type AuditSubcategory,
} from './audit';
import { loadBinding, type NativeBinding } from './binding';
import { BatchDecoder } from './decode';
import { WfpBlocksError, type WfpErrorCode } from './errors';
import type { AuditWatchOptions, ResolvedOptions } from './options';
import type { BlockEvent } from './types';

/** The bookmarked record was gone (the log was cleared or overwritten): records may have been missed. */
export interface GapInfo {
  reason: 'bookmark-not-found';
  message: string;
}

/** Whether the auditing this watcher needs is on. Emitted when it is not, and whenever that changes. */
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

export interface BlockWatcherEvents {
  block: [event: BlockEvent];
  audit: [status: AuditStatus];
  policyChange: [change: PolicyChange];
  /** 'eventlog' source: reading resumed from the oldest record because the bookmarked one was gone. */
  gap: [gap: GapInfo];
  /** Recoverable problems (`error.recoverable`) and the fatal error that ends the watcher. */
  error: [error: WfpBlocksError];
  /** The watcher's thread has stopped; no event follows. */
  close: [];
}

type State = 'open' | 'closing' | 'closed';

const AUDIT_RECHECK_MS = 5 * 60_000;
/** Every source reads the Security log (live, or exported from it). */
const CHANNEL = 'Security';

/**
 * A running watcher: emits 'block' for each event, 'error' for problems and 'close' once its native
 * thread has stopped. Also an async iterable of its events. Create it with watchBlocks().
 */
export class BlockWatcher extends EventEmitter<BlockWatcherEvents> implements AsyncIterable<BlockEvent> {
  #native: NativeWatcher | null = null;
  #binding: NativeBinding | null = null;
  #state: State = 'open';
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;
  readonly #highWaterMark: number;
  #userPaused = false;
  #iteratorsPaused = 0;
  #detach: Array<() => void> = [];
  #resumeStream: (() => void) | null = null;
  #lastRecordId: number | null = null;
  #audit: AuditWatchOptions = { mode: 'ignore' };
  #auditNeeds = { packetDrops: false, allowed: false };
  #auditChange: AuditChange | null = null;
  #auditStatus: AuditStatus['status'] | null = null;
  #checkAudit: ((reason: AuditStatus['reason']) => void) | null = null;

  /** @internal Use watchBlocks(). */
  constructor(options: ResolvedOptions) {
    super();
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#highWaterMark = options.highWaterMark;
    const { source, signal } = options;
    this.#audit = options.audit;

    if (signal) {
      if (signal.aborted) {
        this.#endSoon(null);
        return;
      }
      const onAbort = () => void this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detach.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (process.platform !== 'win32' && (source.type === 'eventlog' || source.type === 'legacy')) {
      this.#endSoon(
        new WfpBlocksError(
          'ERR_UNSUPPORTED_PLATFORM',
          `the '${source.type}' source reads the Windows Security log and cannot run on ${process.platform}; ` +
            'use { source: { replay: files } } to read exported logs',
        ),
      );
      return;
    }
    try {
      this.#binding = loadBinding();
    } catch (cause) {
      this.#endSoon(
        new WfpBlocksError('ERR_BINDING_NOT_FOUND', `no native build of wfp-blocks loads on ${process.platform}-${process.arch}`, {
          cause,
        }),
      );
      return;
    }
    const watchesLog = source.type === 'eventlog' || source.type === 'legacy';
    const audit = this.#audit;
    this.#auditNeeds = { packetDrops: options.kinds.includes('packet'), allowed: options.includeAllowed };
    if (watchesLog && audit.mode === 'enable') {
      try {
        this.#auditChange = enableBlockAuditing({ ...this.#auditNeeds, stateFile: audit.stateFile, store: audit.store });
      } catch (error) {
        this.#endSoon(error as WfpBlocksError);
        return;
      }
      if (audit.restoreOnSignals) this.#restoreOnSignals();
    }
    if (watchesLog && audit.mode !== 'ignore') this.#watchAudit();
    const common = {
      kinds: options.kinds,
      includeAllowed: options.includeAllowed,
      highWaterMark: options.highWaterMark,
      policyChanges: !watchesLog || audit.mode !== 'ignore',
      coalesceMs: options.coalesceMs,
    };
    const onMessage = (message: NativeMessage) => this.#onMessage(message);
    const { from } = options;
    const afterRecordId = from.type === 'bookmark' ? from.recordId : undefined;
    if (source.type === 'eventlog' || source.type === 'legacy') {
      this.#native = new this.#binding.Watcher(
        {
          source: source.type,
          from: from.type,
          bookmark: from.type === 'bookmark' ? from.bookmark : undefined,
          afterRecordId,
          enrich: options.enrich,
          ...common,
        },
        onMessage,
      );
    } else if (source.type === 'files') {
      this.#native = new this.#binding.Watcher(
        { source: 'replay', files: source.files, follow: source.follow, afterRecordId, ...common },
        onMessage,
      );
    } else if (source.type === 'stream') {
      this.#native = new this.#binding.Watcher(
        { source: 'stream', name: streamName(source.stream), afterRecordId, ...common },
        onMessage,
      );
      this.#feed(source.stream, this.#native);
    }
  }

  /**
   * An opaque string for the position after the last event emitted, to persist and pass back as
   * `from: { bookmark }` so that a restarted watcher neither loses nor repeats records (the live log
   * resumes after it; a replay skips up to it). Null before the first event.
   */
  get bookmark(): string | null {
    if (this.#lastRecordId === null || !this.#binding) return null;
    return this.#binding.bookmarkXml(CHANNEL, this.#lastRecordId);
  }

  /** Stops the watcher. Settles once its thread has stopped; no event is emitted after that. */
  close(): Promise<void> {
    if (this.#state === 'open') {
      this.#state = 'closing';
      this.#release();
      if (this.#native) this.#native.close();
      else this.#endSoon(null);
    }
    return this.#closed;
  }

  /** Keeps the process alive while the watcher runs (the default). */
  ref(): this {
    this.#native?.ref();
    return this;
  }

  /** Lets the process exit even though the watcher still runs. */
  unref(): this {
    this.#native?.unref();
    return this;
  }

  /** Stops reading after the events already on their way, until resume(). Nothing is lost. */
  pause(): this {
    this.#userPaused = true;
    this.#applyPause();
    return this;
  }

  resume(): this {
    this.#userPaused = false;
    this.#applyPause();
    return this;
  }

  /**
   * Yields each event. Throws the error that ends the watcher; recoverable problems are skipped here
   * (listen for 'error' to see them). Leaving the loop early closes the watcher.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<BlockEvent> {
    const buffered: BlockEvent[] = [];
    let waiting: { resolve: (r: IteratorResult<BlockEvent>) => void; reject: (e: unknown) => void } | null = null;
    let failure: WfpBlocksError | null = null;
    let done = false;
    let paused = false;

    const setPaused = (value: boolean) => {
      if (paused === value) return;
      paused = value;
      this.#iteratorsPaused += value ? 1 : -1;
      this.#applyPause();
    };
    const onBlock = (event: BlockEvent) => {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.resolve({ value: event, done: false });
        return;
      }
      buffered.push(event);
      if (buffered.length >= this.#highWaterMark) setPaused(true);
    };
    const settle = () => {
      if (!waiting) return;
      const w = waiting;
      waiting = null;
      if (failure) w.reject(failure);
      else w.resolve({ value: undefined, done: true });
    };
    const onError = (error: WfpBlocksError) => {
      if (!error.recoverable) failure = error;
    };
    const onClose = () => {
      done = true;
      cleanup();
      settle();
    };
    const cleanup = () => {
      setPaused(false);
      this.off('block', onBlock);
      this.off('error', onError);
      this.off('close', onClose);
    };
    this.on('block', onBlock);
    this.on('error', onError);
    this.on('close', onClose);
    if (this.#state === 'closed') onClose();

    const iterator: AsyncIterableIterator<BlockEvent> = {
      next: () => {
        if (buffered.length > 0) {
          const value = buffered.shift() as BlockEvent;
          if (buffered.length <= this.#highWaterMark / 2) setPaused(false);
          return Promise.resolve({ value, done: false });
        }
        if (failure) {
          const error = failure;
          failure = null;
          done = true;
          return Promise.reject(error);
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (waiting = { resolve, reject }));
      },
      return: async () => {
        cleanup();
        done = true;
        buffered.length = 0;
        await this.close();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  #applyPause(): void {
    if (!this.#native) return;
    if (this.#userPaused || this.#iteratorsPaused > 0) this.#native.pause();
    else this.#native.resume();
  }

  #feed(stream: Readable, native: NativeWatcher): void {
    const onData = (chunk: Buffer | string) => {
      if (!native.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) stream.pause();
    };
    const onEnd = () => native.end();
    const onError = (error: Error) => {
      this.#emitIssue('ERR_STREAM', `the input stream failed: ${error.message}`, streamName(stream), null, error);
      native.end();
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    this.#detach.push(() => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
    });
    this.#resumeStream = () => stream.resume();
  }

  #onMessage(message: NativeMessage): void {
    if ('numbers' in message) {
      if (this.#state !== 'open' || !this.#binding) return;
      const decoder = new BatchDecoder(message, this.#binding.slots);
      const { issues, events, policyChanges } = message;
      let next = 0;
      let nextChange = 0;
      for (let i = 0; i < events; i++) {
        while (next < issues.length && issues[next].atEvent === i) this.#emitNativeIssue(issues[next++]);
        while (nextChange < policyChanges.length && policyChanges[nextChange].atEvent === i) this.#emitPolicyChange(policyChanges[nextChange++]);
        if (this.#state !== 'open') return; // a listener closed the watcher
        const event = decoder.next();
        this.#lastRecordId = event.recordId;
        this.#emitSafely('block', event);
      }
      while (next < issues.length && this.#state === 'open') this.#emitNativeIssue(issues[next++]);
      while (nextChange < policyChanges.length && this.#state === 'open') this.#emitPolicyChange(policyChanges[nextChange++]);
      return;
    }
    if (message.drained && this.#state === 'open') this.#resumeStream?.();
    if (message.ended) this.#finish();
  }

  #emitPolicyChange(change: NativePolicyChange): void {
    if (this.#state !== 'open') return;
    const guid = change.subcategoryGuid.toUpperCase();
    const subcategory =
      (Object.keys(AUDIT_SUBCATEGORIES) as AuditSubcategory[]).find((k) => AUDIT_SUBCATEGORIES[k].guid === guid) ?? null;
    this.#emitSafely('policyChange', {
      recordId: change.recordId,
      time: new Date(change.timeMs),
      subcategoryGuid: change.subcategoryGuid,
      subcategory,
      successAdded: (change.changes & 1) !== 0,
      successRemoved: (change.changes & 2) !== 0,
      failureAdded: (change.changes & 4) !== 0,
      failureRemoved: (change.changes & 8) !== 0,
    });
    if (subcategory) this.#checkAudit?.('policy-changed');
  }

  // 'check' and 'enable': say once when the needed auditing is off (nobody should wait for events
  // that cannot come), and again whenever that changes: on a 4719 for these subcategories, and every
  // few minutes, since Group Policy re-applies settings without always logging it.
  #watchAudit(): void {
    const { store } = this.#audit;
    const check = (reason: AuditStatus['reason']) => {
      if (this.#state !== 'open') return;
      let status: AuditStatus;
      try {
        const policy = getAuditPolicy({ store });
        const missing = missingAuditing(policy, this.#auditNeeds);
        status = { status: missing.length ? 'off' : 'on', missing, policy, error: null, reason };
      } catch (error) {
        status = { status: 'unknown', missing: [], policy: null, error: error as WfpBlocksError, reason };
      }
      const changed = status.status !== this.#auditStatus;
      const first = this.#auditStatus === null;
      this.#auditStatus = status.status;
      if ((first && status.status !== 'on') || (!first && changed)) this.#emitSafely('audit', status);
    };
    this.#checkAudit = check;
    process.nextTick(() => check('start'));
    const timer = setInterval(() => check('recheck'), AUDIT_RECHECK_MS).unref();
    this.#detach.push(() => clearInterval(timer));
  }

  #restoreOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.#restoreAudit();
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

  #restoreAudit(): void {
    const change = this.#auditChange;
    this.#auditChange = null;
    if (!change) return;
    try {
      restoreAuditPolicy(change, { store: this.#audit.store });
    } catch (error) {
      this.#emitSafely('error', error as WfpBlocksError);
    }
  }

  #emitNativeIssue(issue: NativeIssue): void {
    if (this.#state !== 'open') return;
    if (issue.code === 'GAP') {
      this.#emitSafely('gap', { reason: 'bookmark-not-found', message: issue.message });
      return;
    }
    const { input, offset, systemCode, hint } = issue;
    this.#emitSafely('error', new WfpBlocksError(issue.code as WfpErrorCode, issue.message, { input, offset, systemCode, hint }));
  }

  #emitIssue(code: WfpErrorCode, message: string, input: string | null, offset: number | null, cause?: unknown): void {
    if (this.#state !== 'open') return;
    this.#emitSafely('error', new WfpBlocksError(code, message, { input, offset, cause }));
  }

  // A listener's exception reaches the process as an uncaught exception, as it would from any
  // EventEmitter, without cutting the rest of the batch short.
  #emitSafely<K extends keyof BlockWatcherEvents>(name: K, ...args: BlockWatcherEvents[K]): void {
    try {
      (this.emit as (n: K, ...a: BlockWatcherEvents[K]) => boolean)(name, ...args);
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }

  // Ends a watcher whose native thread never started: reported on the next tick, so that the
  // caller can attach listeners first.
  #endSoon(error: WfpBlocksError | null): void {
    process.nextTick(() => {
      if (error && this.#state === 'open') this.#emitSafely('error', error);
      this.#finish();
    });
  }

  #release(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    this.#restoreAudit();
    this.#state = 'closed';
    this.#release();
    this.#native = null;
    this.#resolveClosed();
    this.#emitSafely('close');
  }
}

function streamName(stream: Readable): string {
  const path = (stream as Readable & { path?: unknown }).path;
  return typeof path === 'string' ? path : 'stream';
}
