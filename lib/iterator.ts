import type { NativeProgress } from '../binding';
import type { EventPlace } from './bookmark';
import type { WfpBlocksError } from './errors';
import type { BlockEvent } from './types';

/** The error an aborted loop throws, as Node's own async iterators do (events.on, timers/promises). */
export class AbortError extends Error {
  override name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(cause: unknown) {
    super('The operation was aborted', { cause });
  }
}

/** What a loop's feed needs of its watcher. */
export interface FeedOwner {
  /** The loop took an event (or everything before a progress mark): the bookmark moves past it. */
  consumed(place: EventPlace): void;
  progressed(progress: NativeProgress[]): void;
  /** Backs pressure up to the native side while `paused`. */
  setPaused(paused: boolean): void;
  close(): Promise<void>;
  /** The loop is gone. */
  detach(feed: EventFeed): void;
}

type Entry = { event: BlockEvent; place: EventPlace } | { progress: NativeProgress[] };

/**
 * The async iterator of a watcher: the watcher pushes each event (and each progress mark) in input
 * order; the loop takes them with back-pressure (when `highWaterMark` events wait, the watcher is
 * paused until the loop has taken half of them). Only what the loop took counts as delivered. After
 * close() nothing more is yielded; an abort throws an AbortError; the error that ends the watcher
 * is thrown after the events before it; recoverable errors are skipped (listen for 'error').
 * Leaving the loop early closes the watcher.
 */
export class EventFeed implements AsyncIterableIterator<BlockEvent> {
  readonly #owner: FeedOwner;
  readonly #highWaterMark: number;
  readonly #buffered: Entry[] = [];
  #events = 0;
  #waiting: { resolve: (r: IteratorResult<BlockEvent>) => void; reject: (e: unknown) => void } | null = null;
  #failure: unknown = null;
  #done = false;
  #ended = false;
  #paused = false;

  constructor(owner: FeedOwner, highWaterMark: number) {
    this.#owner = owner;
    this.#highWaterMark = highWaterMark;
  }

  push(event: BlockEvent, place: EventPlace): void {
    if (this.#done || this.#ended) return;
    if (this.#waiting && this.#buffered.length === 0) {
      this.#owner.consumed(place);
      this.#settle({ value: event, done: false });
      return;
    }
    this.#buffered.push({ event, place });
    if (++this.#events >= this.#highWaterMark) this.#pause(true);
  }

  mark(progress: NativeProgress[]): void {
    if (this.#done) return;
    if (this.#buffered.length === 0) this.#owner.progressed(progress);
    else this.#buffered.push({ progress });
  }

  /** The watcher failed: thrown after the events before it. */
  fail(error: WfpBlocksError): void {
    if (this.#failure === null) this.#failure = error;
    if (this.#buffered.length === 0) this.#flushWaiting();
  }

  /** Aborted: thrown at once; nothing buffered is yielded. */
  abort(reason: unknown): void {
    this.#failure = new AbortError(reason);
    this.#buffered.length = 0;
    this.#events = 0;
    this.#flushWaiting();
  }

  /**
   * The watcher's input ended: what is buffered is still yielded, then the loop ends. With `closed`
   * (close() was called) nothing more is yielded.
   */
  end(closed: boolean): void {
    if (closed && this.#failure === null) {
      this.#buffered.length = 0;
      this.#events = 0;
    }
    this.#ended = true;
    if (this.#buffered.length === 0) this.#finish();
    this.#flushWaiting();
  }

  next(): Promise<IteratorResult<BlockEvent>> {
    while (this.#buffered.length > 0) {
      const entry = this.#buffered.shift() as Entry;
      if ('progress' in entry) {
        this.#owner.progressed(entry.progress);
        continue;
      }
      this.#owner.consumed(entry.place);
      if (--this.#events <= this.#highWaterMark / 2) this.#pause(false);
      // Progress marks right after the event were reached by taking it.
      while (this.#buffered.length > 0 && 'progress' in this.#buffered[0]) {
        this.#owner.progressed((this.#buffered.shift() as { progress: NativeProgress[] }).progress);
      }
      return Promise.resolve({ value: entry.event, done: false });
    }
    if (this.#failure !== null) {
      const error = this.#failure;
      this.#failure = null;
      this.#finish();
      return Promise.reject(error);
    }
    if (this.#ended) this.#finish();
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<BlockEvent>> {
    this.#buffered.length = 0;
    this.#finish();
    await this.#owner.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settle(result: IteratorResult<BlockEvent>): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.resolve(result);
  }

  #flushWaiting(): void {
    if (!this.#waiting) return;
    if (this.#failure !== null) {
      const error = this.#failure;
      this.#failure = null;
      const waiting = this.#waiting;
      this.#waiting = null;
      this.#finish();
      waiting.reject(error);
    } else if (this.#done || (this.#ended && this.#buffered.length === 0)) {
      this.#finish();
      this.#settle({ value: undefined, done: true });
    }
  }

  #pause(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    this.#owner.setPaused(paused);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#pause(false);
    this.#owner.detach(this);
  }
}
