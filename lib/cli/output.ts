/**
 * Prints a watcher's events until it closes: a table on a terminal (fitted to its width, coloured
 * unless NO_COLOR), or one JSON document per line. Output is written in large chunks, and the
 * watcher pauses while stdout is full. Problems go to stderr; nothing reaches stdout before the
 * first event, so a command that fails before reading prints nothing there.
 */
import type { BlockWatcher } from '../watcher';
import type { BlockEvent } from '../types';
import { EventTable, MACHINE_FORMATS } from '../format';
import { say, wantsColor, type Io } from './command';
import type { FormatName } from './flags';

const CHUNK = 1 << 16;

/** Resolves with the exit status: 1 when any problem was reported, else 0. */
export async function printEvents(watcher: BlockWatcher, format: FormatName, io: Io, command: string): Promise<number> {
  const out = io.stdout;
  let problems = 0;
  let pending = '';
  let headerDone = format !== 'table';
  let waitingForDrain = false;
  let flushQueued = false;
  const table =
    format === 'table' ? new EventTable({ width: out.isTTY ? out.columns : undefined, color: wantsColor(io) }) : undefined;
  const line: (e: BlockEvent) => string = table ? (e) => table.row(e) : MACHINE_FORMATS[format as keyof typeof MACHINE_FORMATS];

  const flush = () => {
    flushQueued = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (!out.write(chunk) && !waitingForDrain) {
      waitingForDrain = true;
      watcher.pause();
      out.once('drain', () => {
        waitingForDrain = false;
        watcher.resume();
      });
    }
  };
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void watcher.close(); // the reader went away (| head): stop quietly
    else throw error;
  });
  watcher.on('block', (event) => {
    if (!headerDone) {
      headerDone = true;
      pending += (table as EventTable).header();
    }
    pending += line(event);
    if (pending.length >= CHUNK) flush();
    else if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush); // after the rest of this batch
    }
  });
  watcher.on('error', (error) => {
    problems++;
    flush();
    say(io, error.message, command);
  });
  const stop = () => void watcher.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Not events.once(): it would reject on the first 'error', and most errors here are recoverable.
  await new Promise<void>((resolve) => watcher.once('close', resolve));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  flush();
  return problems > 0 ? 1 : 0;
}
