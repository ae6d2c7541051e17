/**
 * The CLI: finds the command, parses its options, runs it, and turns a UsageError into one line
 * and a hint to run --help (exit status 2). Adding a command is its own file and one line in
 * COMMANDS; adding an option to a command is a change to that command's file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, UsageError } from './args';
import { audit } from './audit';
import { commandHelp, PROGRAM, type Command, type Io } from './command';
import { replay } from './replay';
import { summary } from './summary';
import { watch } from './watch';

export const COMMANDS: readonly Command[] = [replay, watch, summary, audit];

function version(): string {
  return (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} COMMAND [options]`,
    '',
    'Which network traffic did the Windows Filtering Platform block? Reads the Security log live on',
    'Windows, or exported logs anywhere.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  help for a command: ${PROGRAM} help COMMAND (or ${PROGRAM} COMMAND --help)`,
    '',
    `  -h, --help     this help      -v, --version  the version`,
    '',
    'Exit status: 0 when all went well, 1 when there were problems (reported on stderr), 2 for a usage error.',
    '',
  ].join('\n');
}

function usageError(io: Io, message: string, command?: Command): number {
  const where = command ? `${PROGRAM} ${command.name}` : PROGRAM;
  io.stderr.write(`${where}: ${message}\nTry '${where} --help' for more information.\n`);
  return 2;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(io, 'missing command (one of ' + COMMANDS.map((c) => c.name).join(', ') + ')');
  if (name === '--help' || name === '-h') {
    io.stdout.write(overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      io.stdout.write(overview());
      return 0;
    }
    const target = COMMANDS.find((c) => c.name === rest[0]);
    if (!target) return usageError(io, `no help for '${rest[0]}': not a command`);
    io.stdout.write(commandHelp(target));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const hint = name.startsWith('-') ? 'options go after the command' : 'not a command';
    return usageError(io, `'${name}': ${hint} (one of ${COMMANDS.map((c) => c.name).join(', ')})`);
  }
  try {
    // --help anywhere before `--` wins over every other mistake on the line.
    const dashDash = rest.indexOf('--');
    if (rest.slice(0, dashDash < 0 ? undefined : dashDash).some((a) => a === '--help' || a === '-h')) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, command);
    throw error;
  }
}
