/**
 * Prints a watcher's events until it closes: a table on a terminal (fitted to its width, coloured
 * unless NO_COLOR), or one JSON document per line, which the native thread writes (the lines arrive
 * as bytes and go straight out). The watcher pauses while stdout is full. Problems go to stderr;
 * nothing reaches stdout before the first event, so a command that fails before reading prints
 * nothing there.
 */
import { constants as osConstants } from 'node:os';
import { EventTable } from '../format';
import { resolveOptions, type WatchOptions } from '../options';
import { BlockWatcher, watchText } from '../watcher';
import type { RuleChange } from '../types';
import { UsageError } from './args';
import { say, wantsColor, type Io } from './command';
import type { FormatName } from './flags';

const CHUNK = 1 << 16;

/** A change event in the table: when, what changed, which rule or filter, who. */
function changeRow(c: RuleChange): string {
  const what = [c.name && `'${c.name}'`, c.ruleId, c.filterId !== null && `filter ${c.filterId}`].filter(Boolean).join(' ');
  const who = c.user.name ?? c.user.sid;
  return `${c.time.toISOString()} ${c.eventId} change ${c.change}${what ? ` ${what}` : ''}${who ? ` by ${who}` : ''}\n`;
}

/**
 * Starts a watcher for `options` that prints in `format` (throws the API's WfpOptionError for bad
 * options; `prepare` may attach listeners before anything is read) and resolves with the exit
 * status: 1 when any problem was reported, else 0.
 */
export function startPrinting(
  options: WatchOptions,
  format: FormatName,
  io: Io,
  command: string,
  prepare?: (watcher: BlockWatcher) => void,
): Promise<number> {
  const resolved = resolveOptions(options);
  if (resolved.includeChanges && (format === 'ecs' || format === 'otel')) {
    throw new UsageError(`--include-changes prints change events in the table or with --json, not with --format ${format}`);
  }
  const out = io.stdout;
  let pending = '';
  let flushQueued = false;
  let waitingForDrain = false;
  let watcher: BlockWatcher;

  const write = (chunk: string | Uint8Array) => {
    if (!out.write(chunk) && !waitingForDrain) {
      waitingForDrain = true;
      watcher.pause();
      out.once('drain', () => {
        waitingForDrain = false;
        watcher.resume();
      });
    }
  };
  const flush = () => {
    flushQueued = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    write(chunk);
  };

  if (format === 'table') {
    const table = new EventTable({ width: out.isTTY ? out.columns : undefined, color: wantsColor(io) });
    let headerDone = false;
    watcher = new BlockWatcher(resolved);
    watcher.on('block', (event) => {
      if (!headerDone) {
        headerDone = true;
        pending += table.header();
      }
      pending += table.row(event);
      if (pending.length >= CHUNK) flush();
      else if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush); // after the rest of this batch
      }
    });
    watcher.on('ruleChange', (change) => {
      pending += changeRow(change);
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    });
  } else {
    watcher = watchText(resolved, format, (bytes) => write(bytes));
    // Between the lines of the events around it (lib/decode.ts cuts a batch's lines there).
    watcher.on('ruleChange', (change) => write(`${JSON.stringify({ type: 'ruleChange', ...change })}\n`));
  }

  let problems = 0;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE')
      void watcher.close(); // the reader went away (| head): stop quietly
    else throw error;
  });
  watcher.on('error', (error) => {
    problems++;
    flush();
    say(io, error.message, command);
  });
  prepare?.(watcher);
  // Stopped by a signal, the status is the shell's for it (128 + its number: 130 for SIGINT), once
  // what was read is printed.
  let stoppedBy: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    void watcher.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Not events.once(): it would reject on the first 'error', and most errors here are recoverable.
  return new Promise<number>((resolve) =>
    watcher.once('close', () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      flush();
      if (stoppedBy) resolve(128 + osConstants.signals[stoppedBy]);
      else resolve(problems > 0 ? 1 : 0);
    }),
  );
}
