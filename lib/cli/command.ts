/**
 * What a CLI command is: its name, its one-line summary, its usage line, its options and what it
 * does. lib/cli/index.ts lists the commands; each lives in a file of its own, which holds all of it
 * (its options included), so adding a command is that file and one line in index.ts, and adding an
 * option to a command is a change to that command's file (or to flags.ts, for the options several
 * commands share).
 */
import { flagHelp, type Flag, type ParsedArgs } from './args';

/** Where a command writes, and what it knows about the terminal. Tests can give their own. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  name: string;
  /** One line, for the overview. */
  summary: string;
  /** What follows `wfp-blocks NAME` in the usage line. */
  usage: string;
  /** A paragraph or two for `NAME --help`. */
  description: string;
  flags: readonly Flag[];
  /** Lines shown under "Examples:" in the help. */
  examples?: readonly string[];
  /** Runs the command; resolves with the exit status. Throw a UsageError for a bad command line. */
  run(args: ParsedArgs, io: Io): Promise<number> | number;
}

export const PROGRAM = 'wfp-blocks';

/** A command's full help text. */
export function commandHelp(command: Command): string {
  const parts = [`Usage: ${PROGRAM} ${command.name} ${command.usage}`, '', command.description, '', 'Options:', flagHelp(command.flags)];
  if (command.examples?.length) parts.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

/** Writes one line to stderr, prefixed with the program (and command) name, as other tools do. */
export function say(io: Io, message: string, command?: string): void {
  io.stderr.write(`${PROGRAM}${command ? ` ${command}` : ''}: ${message}\n`);
}

/** Whether to colour the output: only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function wantsColor(io: Io): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}
