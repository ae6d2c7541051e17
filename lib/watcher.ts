import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { NativeIssue, NativeMessage, NativePolicyChange, NativeProgress, Watcher as NativeWatcher } from '../binding';
import { AuditSupervisor, policySubcategory, type AuditStatus, type PolicyChange } from './audit-supervisor';
import { loadBinding, type NativeBinding } from './binding';
import { selectedEvents } from './catalog';
import { DeliveryPosition, formatBookmark, resumeOptions, type EventPlace } from './bookmark';
import { decodeRuleChange, deliverBatch } from './decode';
import { WfpBlocksError, type WfpErrorCode } from './errors';
import { EventFeed, type FeedOwner } from './iterator';
import { emitRethrowingLater, PauseReasons } from './native-emitter';
import { PACKAGE_VERSION } from './otel';
import type { ResolvedOptions } from './options';
import { feedStream, isLive, nativeOptions, readsSecurityLog, streamName } from './sources';
import type { BlockEvent, RuleChange } from './types';

export type { AuditStatus, PolicyChange } from './audit-supervisor';

/** The bookmarked record was gone (the log was cleared or overwritten): records may have been missed. */
export interface GapInfo {
  reason: 'bookmark-not-found';
  message: string;
}

export interface BlockWatcherEvents {
  block: [event: BlockEvent];
  audit: [status: AuditStatus];
  policyChange: [change: PolicyChange];
  /** With `includeChanges`: a firewall rule, setting or WFP object change among the records, in input order. */
  ruleChange: [change: RuleChange];
  /** 'eventlog' source: reading resumed from the oldest record because the bookmarked one was gone. */
  gap: [gap: GapInfo];
  /** Recoverable problems (`error.recoverable`) and the fatal error that ends the watcher. */
  error: [error: WfpBlocksError];
  /** The watcher's thread has stopped; no event follows. */
  close: [];
}

type State = 'open' | 'closing' | 'closed';

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
  readonly #paused = new PauseReasons(() => this.#native);
  #detach: Array<() => void> = [];
  #resumeStream: (() => void) | null = null;
  readonly #position: DeliveryPosition;
  readonly #signal: AbortSignal | undefined;
  /** The loops iterating the watcher; the first one's takes decide the bookmark. */
  readonly #feeds: EventFeed[] = [];
  #audit: AuditSupervisor | null = null;
  #onText: ((text: Uint8Array, count: number) => void) | null = null;

  /** @internal Use watchBlocks(). */
  constructor(options: ResolvedOptions) {
    super();
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#highWaterMark = options.highWaterMark;
    const { source, signal } = options;
    this.#signal = signal;
    this.#position = new DeliveryPosition(
      source.type,
      options.coalesce,
      options.from.type === 'bookmark' ? options.from.state : null,
      (recordIds) => (this.#binding as NativeBinding).bookmarkXml(recordIds),
    );

    if (signal) {
      if (signal.aborted) {
        this.#endSoon(null);
        return;
      }
      const onAbort = () => {
        for (const feed of [...this.#feeds]) feed.abort(signal.reason);
        void this.close();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detach.push(() => signal.removeEventListener('abort', onAbort));
    }
    const live = isLive(source);
    if (process.platform !== 'win32' && live) {
      const what = readsSecurityLog(source) ? 'the Windows Security log' : "the Windows Filtering Platform's net events";
      this.#endSoon(
        new WfpBlocksError(
          'ERR_UNSUPPORTED_PLATFORM',
          `the '${source.type}' source reads ${what} and cannot run on ${process.platform}; ` +
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
    if (readsSecurityLog(source)) {
      this.#audit = new AuditSupervisor(
        options.audit,
        selectedEvents(options.kinds, options.includeAllowed),
        (status) => this.#state === 'open' && this.#emitSafely('audit', status),
        (error) => this.#emitSafely('error', error),
      );
      try {
        this.#audit.start();
      } catch (error) {
        this.#endSoon(error as WfpBlocksError);
        return;
      }
    }
    const { from } = options;
    const common = {
      kinds: options.kinds,
      includeAllowed: options.includeAllowed,
      highWaterMark: options.highWaterMark,
      policyChanges: !live || (readsSecurityLog(source) && options.audit.mode !== 'ignore'),
      coalesceMs: options.coalesce?.windowMs ?? 0,
      coalesceMaxHeld: options.coalesce?.maxHeld,
      enrich: options.enrich,
      ...(from.type === 'bookmark' ? resumeOptions(from.state) : {}),
      ruleChanges: options.includeChanges,
      ...options.filter,
      ...(options.text ? { format: options.text.format, packageVersion: PACKAGE_VERSION } : {}),
      utcOffsetMinutes: options.utcOffsetMinutes ?? undefined,
    };
    this.#onText = options.text?.onText ?? null;
    // A live log resumes after the Windows bookmark of where it stood in each log, or from the oldest
    // record when an epoch that began with the Security log's first record was cut (record ID 0; the
    // firewall's log is then skipped up to its position, afterFirewallRecordId).
    let start: { type: 'now' | 'oldest' } | { type: 'bookmark'; bookmark: string } = from;
    if (from.type === 'bookmark') {
      const { state } = from;
      if (state.netEvent !== undefined) start = { type: 'bookmark', bookmark: state.netEvent };
      else if (state.recordId === '0') start = { type: 'oldest' };
      else if (state.recordId !== undefined || state.firewallRecordId !== undefined)
        start = { type: 'bookmark', bookmark: formatBookmark({ ...state, epoch: undefined }, this.#binding.bookmarkXml) as string };
    }
    this.#native = new this.#binding.Watcher(nativeOptions(source, common, start), (message) => this.#onMessage(message));
    if (source.type === 'stream') this.#feed(source.stream, this.#native);
    if (source.type === 'files') {
      for (const dir of source.emptyDirectories) {
        const error = new WfpBlocksError('ERR_EMPTY_INPUT', `directory ${dir} holds no .xml or .evtx file`, { input: dir, fatal: false });
        process.nextTick(() => this.#state === 'open' && this.#emitSafely('error', error));
      }
    }
  }

  /**
   * A string for the position after the last event the application received (the last 'block'
   * listener call, or the last event a `for await` loop took), to persist and pass back as
   * `from: { bookmark }`: a restarted watcher neither loses nor repeats records. Null before the
   * first event (for a replay: before its inputs were opened). See the README for what it covers.
   */
  get bookmark(): string | null {
    return this.#position.bookmark();
  }

  /** Whether the watcher has stopped ('close' was emitted). */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Stops the watcher. Settles once its thread has stopped; no event is emitted after that. */
  close(): Promise<void> {
    // Also after the input ended by itself: a loop yields nothing it holds once close() is called.
    for (const feed of [...this.#feeds]) feed.end(true);
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
    this.#paused.user(true);
    return this;
  }

  resume(): this {
    this.#paused.user(false);
    return this;
  }

  /**
   * Yields each event. Throws the error that ends the watcher; recoverable problems are skipped here
   * (listen for 'error' to see them). Leaving the loop early closes the watcher.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<BlockEvent> {
    const owner: FeedOwner = {
      consumed: (place) => feed === this.#feeds[0] && this.#position.consumed(place),
      progressed: (progress) => feed === this.#feeds[0] && this.#position.progress(progress),
      setPaused: (paused) => this.#paused.iterator(paused),
      close: () => this.close(),
      detach: (f) => this.#feeds.splice(this.#feeds.indexOf(f) >>> 0, 1),
    };
    const feed = new EventFeed(owner, this.#highWaterMark);
    if (this.#signal?.aborted) feed.abort(this.#signal.reason);
    else if (this.#state !== 'open') feed.end(this.#state === 'closing');
    else this.#feeds.push(feed);
    return feed;
  }

  // Hands the stream's bytes to the native reader. Whatever way the stream stops (its end, an error,
  // destroy() without one, or having stopped before it was passed in) ends the input, so the watcher
  // closes once what was read is delivered; nothing here throws into the stream's callbacks. (Events,
  // not stream.finished(): any object with on/pause/resume is taken as a stream.)
  #feed(stream: Readable, native: NativeWatcher): void {
    const feed = feedStream(stream, native, (problem, cause) =>
      this.#emitIssue('ERR_STREAM', `the input stream ${problem}`, streamName(stream), null, cause),
    );
    this.#detach.push(feed.detach);
    this.#resumeStream = feed.resume;
  }

  #onMessage(message: NativeMessage): void {
    if ('numbers' in message) {
      if (this.#state !== 'open' || !this.#binding) return;
      for (const epoch of message.epochs) this.#position.epochEnded(epoch);
      deliverBatch(message, this.#binding.slots, {
        open: () => this.#state === 'open',
        input: (input) => this.#position.inputOpened(input),
        event: (event, place) => this.#deliver(event, place),
        issue: (issue) => this.#emitNativeIssue(issue),
        gap: (gap) => this.#emitSafely('gap', { reason: 'bookmark-not-found', message: gap.message }),
        // A change carries how far the inputs stand once it is delivered (where no block before it is
        // held): the bookmark moves before its listeners run, as it does for a block.
        policyChange: (change) => {
          this.#markProgress(change.progress);
          this.#emitPolicyChange(change);
        },
        progress: (marked) => this.#markProgress(marked),
        ruleChange: (change) => {
          this.#markProgress(change.progress);
          this.#emitSafely('ruleChange', decodeRuleChange(change));
        },
        text: (text, count) => emitRethrowingLater(() => this.#onText?.(text, count)),
      });
      return;
    }
    if (message.drained && this.#state === 'open') this.#resumeStream?.();
    if (message.ended) this.#finish();
  }

  // 'block' listeners are called with it; loops get it to take. What counts as delivered is what a
  // loop took, or, with no loop, what the listeners were called with.
  // The bookmark moves first, so that a listener that saves it has the event it was called with in it.
  #deliver(event: BlockEvent, place: EventPlace): void {
    if (this.#feeds.length === 0) this.#position.consumed(place);
    this.#emitSafely('block', event);
    for (const feed of this.#feeds) feed.push(event, place);
  }

  // How far the inputs stand: at once, or for each loop once it has taken the events before.
  #markProgress(marked: NativeProgress[]): void {
    const progress = this.#position.progressAtOnce(marked);
    if (progress.length === 0) return;
    if (this.#feeds.length) for (const feed of this.#feeds) feed.mark(progress);
    else this.#position.progress(progress);
  }

  #emitPolicyChange(native: NativePolicyChange): void {
    const change: PolicyChange = {
      recordId: Number.isSafeInteger(Number(native.recordId)) ? Number(native.recordId) : native.recordId,
      time: new Date(native.timeMs),
      subcategoryGuid: native.subcategoryGuid,
      subcategory: policySubcategory(native.subcategoryGuid),
      successAdded: (native.changes & 1) !== 0,
      successRemoved: (native.changes & 2) !== 0,
      failureAdded: (native.changes & 4) !== 0,
      failureRemoved: (native.changes & 8) !== 0,
    };
    this.#emitSafely('policyChange', change);
    this.#audit?.onPolicyChange(change);
  }

  #emitNativeIssue(issue: NativeIssue): void {
    const { input, offset, line, column, systemCode, hint, fatal, repeated } = issue;
    const error = new WfpBlocksError(issue.code as WfpErrorCode, issue.message, {
      input,
      offset,
      line,
      column,
      systemCode,
      hint,
      fatal,
      repeated,
    });
    this.#emitSafely('error', error);
    if (fatal) for (const feed of this.#feeds) feed.fail(error);
  }

  #emitIssue(code: WfpErrorCode, message: string, input: string | null, offset: number | null, cause?: unknown): void {
    if (this.#state !== 'open') return;
    this.#emitSafely('error', new WfpBlocksError(code, message, { input, offset, cause }));
  }

  // A listener's exception reaches the process as an uncaught exception (emitRethrowingLater).
  #emitSafely<K extends keyof BlockWatcherEvents>(name: K, ...args: BlockWatcherEvents[K]): void {
    // A loop takes the errors (it throws the fatal one): without a listener they are not thrown again.
    if (name === 'error' && this.#feeds.length > 0 && this.listenerCount('error') === 0) return;
    emitRethrowingLater(() => (this.emit as (n: K, ...a: BlockWatcherEvents[K]) => boolean)(name, ...args));
  }

  // Ends a watcher whose native thread never started: reported on the next tick, so that the
  // caller can attach listeners first.
  #endSoon(error: WfpBlocksError | null): void {
    process.nextTick(() => {
      if (error && this.#state === 'open') {
        this.#emitSafely('error', error);
        for (const feed of this.#feeds) feed.fail(error);
      }
      this.#finish();
    });
  }

  #release(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    for (const feed of [...this.#feeds]) feed.end(false);
    this.#audit?.stop();
    this.#state = 'closed';
    this.#release();
    this.#native = null;
    this.#resolveClosed();
    this.#emitSafely('close');
  }
}

/**
 * @internal A watcher whose events arrive as lines of `format`, written on its native thread
 * (what the CLI prints); `onText` gets each batch of lines. Everything else is as for watchBlocks().
 */
export function watchText(
  options: ResolvedOptions,
  format: 'json' | 'ecs' | 'otel',
  onText: (text: Uint8Array, count: number) => void,
): BlockWatcher {
  return new BlockWatcher({ ...options, text: { format, onText } });
}
