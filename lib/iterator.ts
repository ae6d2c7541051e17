import type { BlockEvent } from './types';
import type { WfpBlocksError } from './errors';

/** What an async iterator needs of its watcher. */
export interface IterableWatcher {
  on(event: 'block', listener: (event: BlockEvent) => void): unknown;
  on(event: 'error', listener: (error: WfpBlocksError) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'block' | 'error' | 'close', listener: (...args: never[]) => void): unknown;
  readonly closed: boolean;
  close(): Promise<void>;
}

/**
 * An async iterator over a watcher's events, with back-pressure: when `highWaterMark` events wait in
 * it, it asks the watcher to pause (`setPaused(true)`) until the loop has taken half of them. It
 * throws the error that ends the watcher and skips recoverable ones. Leaving the loop early closes
 * the watcher.
 */
export function iterateEvents(
  watcher: IterableWatcher,
  highWaterMark: number,
  setPaused: (paused: boolean) => void,
): AsyncIterableIterator<BlockEvent> {
  const buffered: BlockEvent[] = [];
  let waiting: { resolve: (r: IteratorResult<BlockEvent>) => void; reject: (e: unknown) => void } | null = null;
  let failure: WfpBlocksError | null = null;
  let done = false;
  let paused = false;

  const pause = (value: boolean) => {
    if (paused === value) return;
    paused = value;
    setPaused(value);
  };
  const onBlock = (event: BlockEvent) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w.resolve({ value: event, done: false });
      return;
    }
    buffered.push(event);
    if (buffered.length >= highWaterMark) pause(true);
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
    pause(false);
    watcher.off('block', onBlock);
    watcher.off('error', onError);
    watcher.off('close', onClose);
  };
  watcher.on('block', onBlock);
  watcher.on('error', onError);
  watcher.on('close', onClose);
  if (watcher.closed) onClose();

  const iterator: AsyncIterableIterator<BlockEvent> = {
    next: () => {
      if (buffered.length > 0) {
        const value = buffered.shift() as BlockEvent;
        if (buffered.length <= highWaterMark / 2) pause(false);
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
      await watcher.close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
