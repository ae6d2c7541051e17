import { EventEmitter } from 'node:events';
import type { NativeMessage, Watcher as NativeWatcher } from '../binding';
import { loadBinding } from './binding';
import { BLOCK_KINDS } from './catalog';
import { WfpBlocksError, WfpOptionError, type WfpErrorCode } from './errors';
import { emitRethrowingLater, PauseReasons } from './native-emitter';
import { DEFAULT_HIGH_WATER_MARK } from './options';
import { feedStream, isLive, nativeOptions, resolveSource, streamName, type ReplaySourceOptions } from './sources';

/**
 * `'xml'`: each record's event XML on one line (EvtRender-style for .evtx files, the input's own text
 * for XML inputs). `'json'`: one object per record, the System fields and every EventData/UserData
 * value by name.
 */
export type ExportFormat = 'xml' | 'json';

export interface ExportOptions {
  /** Exported logs of any event ID: .evtx files, event XML, or both (a path, paths read in order, a Readable). */
  source: ReplaySourceOptions;
  format?: ExportFormat;
  /** How many records may wait for JavaScript before the native thread stops reading (2048). */
  highWaterMark?: number;
  /** Closes the export when aborted. */
  signal?: AbortSignal;
}

export interface RecordExportEvents {
  /** Whole lines, UTF-8: one or more records each, in input order. */
  data: [chunk: Buffer];
  /** A problem with one record or one input (`recoverable`), as for a watcher. */
  error: [error: WfpBlocksError];
  /** Every record was delivered, or the export was closed; nothing follows. */
  close: [];
}

/**
 * Every record of the inputs, of any event ID, rendered natively on the watcher thread and handed
 * over in chunks of whole lines through the same bounded queue as events: pause() (or a slow async
 * iterator) stops the reading, not the memory. Create it with exportRecords().
 */
export class RecordExport extends EventEmitter<RecordExportEvents> implements AsyncIterable<Buffer> {
  #native: NativeWatcher | null = null;
  #open = true;
  #closed = false;
  readonly #paused = new PauseReasons(() => this.#native);
  #iteratorPaused = false;
  #detach: Array<() => void> = [];
  #resumeStream: (() => void) | null = null;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  /** @internal Use exportRecords(). */
  constructor(options: ExportOptions) {
    super();
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    const { source, format, highWaterMark, signal } = validate(options);
    if (signal) {
      if (signal.aborted) {
        process.nextTick(() => this.#finish());
        return;
      }
      const onAbort = () => void this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detach.push(() => signal.removeEventListener('abort', onAbort));
    }
    let binding;
    try {
      binding = loadBinding();
    } catch (cause) {
      process.nextTick(() => {
        this.#emitSafely(
          'error',
          new WfpBlocksError('ERR_BINDING_NOT_FOUND', `no native build of wfp-blocks loads on ${process.platform}-${process.arch}`, {
            cause,
          }),
        );
        this.#finish();
      });
      return;
    }
    const common = { kinds: [...BLOCK_KINDS], includeAllowed: true, highWaterMark, export: format };
    this.#native = new binding.Watcher(nativeOptions(source, common, { type: 'oldest' }), (message) => this.#onMessage(message));
    if (source.type === 'files') {
      for (const dir of source.emptyDirectories) {
        const error = new WfpBlocksError('ERR_EMPTY_INPUT', `directory ${dir} holds no .xml or .evtx file`, { input: dir, fatal: false });
        process.nextTick(() => this.#open && this.#emitSafely('error', error));
      }
    }
    if (source.type === 'stream') {
      const { stream } = source;
      const feed = feedStream(stream, this.#native, (problem, cause) => {
        if (this.#open)
          this.#emitSafely('error', new WfpBlocksError('ERR_STREAM', `the input stream ${problem}`, { input: streamName(stream), cause }));
      });
      this.#detach.push(feed.detach);
      this.#resumeStream = feed.resume;
    }
  }

  /** Stops the export; settles once its thread has stopped. Nothing is emitted after close(). */
  close(): Promise<void> {
    if (this.#open) {
      this.#open = false;
      this.#release();
      if (this.#native) this.#native.close();
      else this.#finish();
    }
    return this.#done;
  }

  /** Stops reading after the chunks already on their way, until resume(). */
  pause(): this {
    this.#paused.user(true);
    return this;
  }

  resume(): this {
    this.#paused.user(false);
    return this;
  }

  /** Yields the chunks; recoverable problems are skipped here (listen for 'error' to see them). */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    const waiting: Buffer[] = [];
    let ended = false;
    let wake: (() => void) | null = null;
    const onData = (chunk: Buffer) => {
      waiting.push(chunk);
      if (waiting.length >= 4 && !this.#iteratorPaused) {
        this.#iteratorPaused = true;
        this.#paused.iterator(true);
      }
      wake?.();
    };
    const onClose = () => {
      ended = true;
      wake?.();
    };
    const onError = () => {}; // recoverable problems do not end the iteration
    this.on('data', onData);
    this.on('error', onError);
    this.once('close', onClose);
    const stop = () => {
      this.off('data', onData);
      this.off('error', onError);
      this.off('close', onClose);
    };
    const iterator: AsyncIterableIterator<Buffer> = {
      next: async () => {
        while (waiting.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const chunk = waiting.shift();
        if (waiting.length < 2 && this.#iteratorPaused) {
          this.#iteratorPaused = false;
          this.#paused.iterator(false);
        }
        if (chunk) return { value: chunk, done: false };
        stop();
        return { value: undefined, done: true };
      },
      return: async () => {
        stop();
        await this.close();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  #onMessage(message: NativeMessage): void {
    if ('numbers' in message) {
      // An export batch holds the problems met before its records (the sink sends those first).
      for (const issue of message.issues) {
        if (!this.#open) return;
        const { input, offset, systemCode, hint, fatal } = issue;
        this.#emitSafely(
          'error',
          new WfpBlocksError(issue.code as WfpErrorCode, issue.message, { input, offset, systemCode, hint, fatal }),
        );
      }
      const { text } = message;
      if (text && this.#open) this.#emitSafely('data', Buffer.from(text.buffer, text.byteOffset, text.byteLength));
      return;
    }
    if (message.drained && this.#open) this.#resumeStream?.();
    if (message.ended) this.#finish();
  }

  #emitSafely<K extends keyof RecordExportEvents>(name: K, ...args: RecordExportEvents[K]): void {
    emitRethrowingLater(() => (this.emit as (n: K, ...a: RecordExportEvents[K]) => boolean)(name, ...args));
  }

  #release(): void {
    for (const detach of this.#detach.splice(0)) detach();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    this.#release();
    this.#native = null;
    this.#resolveDone();
    this.#emitSafely('close');
  }
}

function validate(options: unknown) {
  if (typeof options !== 'object' || options === null) throw new WfpOptionError('', options, 'an object');
  const o = options as Record<string, unknown>;
  const known = new Set(['source', 'format', 'highWaterMark', 'signal']);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new WfpOptionError(key, o[key], `one of the known options (${[...known].join(', ')})`);
  }
  const source = resolveSource(o.source);
  if (isLive(source))
    throw new WfpOptionError('source', o.source, '{ replay: string | string[] | Readable } (an export reads exported logs)');
  const format = o.format ?? 'xml';
  if (format !== 'xml' && format !== 'json') throw new WfpOptionError('format', format, "'xml' or 'json'");
  const highWaterMark = o.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  if (typeof highWaterMark !== 'number' || !Number.isInteger(highWaterMark) || highWaterMark < 1 || highWaterMark > 1_000_000) {
    throw new WfpOptionError('highWaterMark', highWaterMark, 'an integer from 1 to 1000000');
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new WfpOptionError('signal', o.signal, 'an AbortSignal');
  return { source, format: format as ExportFormat, highWaterMark, signal: o.signal as AbortSignal | undefined };
}

/**
 * Every record of exported logs (.evtx or event XML, any event ID) as one-line XML or JSON, rendered
 * natively. Throws a WfpOptionError for invalid options; every other problem arrives as 'error'.
 */
export function exportRecords(options: ExportOptions): RecordExport {
  return new RecordExport(options);
}
