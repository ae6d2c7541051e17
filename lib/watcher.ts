import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { NativeIssue, NativeMessage, Watcher as NativeWatcher } from '../binding';
import { loadBinding, type NativeBinding } from './binding';
import { BatchDecoder } from './decode';
import { WfpBlocksError, type WfpErrorCode } from './errors';
import type { ResolvedOptions } from './options';
import type { BlockEvent } from './types';

/** The bookmarked record was gone (the log was cleared or overwritten): records may have been missed. */
export interface GapInfo {
  reason: 'bookmark-not-found';
  message: string;
}

export interface BlockWatcherEvents {
  block: [event: BlockEvent];
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
  #userPaused = false;
  #iteratorsPaused = 0;
  #detach: Array<() => void> = [];
  #resumeStream: (() => void) | null = null;
  #channel: string | null = null;
  #lastRecordId: number | null = null;

  /** @internal Use watchBlocks(). */
  constructor(options: ResolvedOptions) {
    super();
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#highWaterMark = options.highWaterMark;
    const { source, signal } = options;

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
    if (source.type === 'legacy') {
      this.#endSoon(new WfpBlocksError('ERR_SOURCE_UNAVAILABLE', "the 'legacy' source is not part of this build yet"));
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
    const common = { kinds: options.kinds, includeAllowed: options.includeAllowed, highWaterMark: options.highWaterMark };
    const onMessage = (message: NativeMessage) => this.#onMessage(message);
    if (source.type === 'eventlog') {
      const { from } = options;
      this.#channel = 'Security';
      this.#native = new this.#binding.Watcher(
        { source: 'eventlog', from: from.type, bookmark: from.type === 'bookmark' ? from.bookmark : undefined, ...common },
        onMessage,
      );
    } else if (source.type === 'files') {
      this.#native = new this.#binding.Watcher({ source: 'replay', files: source.files, follow: source.follow, ...common }, onMessage);
    } else if (source.type === 'stream') {
      this.#native = new this.#binding.Watcher({ source: 'stream', name: streamName(source.stream), ...common }, onMessage);
      this.#feed(source.stream, this.#native);
    }
  }

  /**
   * 'eventlog' source: an opaque string for the position after the last event emitted, to persist and
   * pass back as `from: { bookmark }` so that a restarted watcher neither loses nor repeats records.
   * Null before the first event, and for replay sources.
   */
  get bookmark(): string | null {
    if (this.#channel === null || this.#lastRecordId === null) return null;
    return this.#binding?.bookmarkXml?.(this.#channel, this.#lastRecordId) ?? null;
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
      const { issues, events } = message;
      let next = 0;
      for (let i = 0; i < events; i++) {
        while (next < issues.length && issues[next].atEvent === i) this.#emitNativeIssue(issues[next++]);
        if (this.#state !== 'open') return; // a listener closed the watcher
        const event = decoder.next();
        this.#lastRecordId = event.recordId;
        this.#emitSafely('block', event);
      }
      while (next < issues.length && this.#state === 'open') this.#emitNativeIssue(issues[next++]);
      return;
    }
    if (message.drained && this.#state === 'open') this.#resumeStream?.();
    if (message.ended) this.#finish();
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
