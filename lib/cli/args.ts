/**
 * The CLI's argument parser: GNU-style long options (`--format json`, `--format=json`), one-letter
 * short options (`-o json`, `-ojson`), `--` to end the options, `-` as a positional (standard input).
 * Every problem is a UsageError worded for the command line. Depends on nothing but Node.
 */

/** One option of a command. A flag with `value` takes one; without, it is a switch. */
export interface Flag {
  /** The long name, without `--`. */
  name: string;
  /** A one-letter alias, without `-`. */
  short?: string;
  /** The value's name in the help (`FORMAT`); absent for a switch. */
  value?: string;
  /** The values it accepts, when they are a closed list. */
  choices?: readonly string[];
  /** May be given more than once (the values are collected in order). */
  repeatable?: boolean;
  help: string;
}

/** A mistake in the command line: printed as one line and a hint to run --help, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  /** The values given for each flag, in order (switches: ['']). Absent when not given. */
  values: Map<string, string[]>;
  positionals: string[];
  /** Whether -h/--help was given (anywhere before `--`). */
  help: boolean;
}

const HELP: Flag = { name: 'help', short: 'h', help: 'show this help' };

export function parseArgs(args: readonly string[], flags: readonly Flag[]): ParsedArgs {
  const all = [...flags, HELP];
  const byName = new Map(all.map((f) => [f.name, f]));
  const byShort = new Map(all.filter((f) => f.short).map((f) => [f.short as string, f]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;

  const add = (flag: Flag, spelled: string, value: string) => {
    if (flag.name === 'help') {
      help = true;
      return;
    }
    const seen = values.get(flag.name);
    if (seen && !flag.repeatable) {
      if (flag.value === undefined || seen[0] === value) return;
      throw new UsageError(`${spelled} was given twice ('${seen[0]}' and '${value}')`);
    }
    if (flag.choices && !flag.choices.includes(value)) {
      throw new UsageError(`${spelled} must be one of ${flag.choices.join(', ')}, got '${value}'${looksLikeInput(value)}`);
    }
    values.set(flag.name, [...(seen ?? []), value]);
  };
  const valueAfter = (flag: Flag, spelled: string, i: number): string => {
    const next = args[i + 1];
    if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw new UsageError(`${spelled} needs a value (${flag.value})`);
    }
    return next;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const flag = byName.get(name);
      if (!flag) throw new UsageError(`unknown option '--${name}'${suggest(name, all)}`);
      const spelled = `--${name}`;
      if (flag.value === undefined) {
        if (eq >= 0) throw new UsageError(`${spelled} takes no value`);
        add(flag, spelled, '');
      } else if (eq >= 0) {
        add(flag, spelled, arg.slice(eq + 1));
      } else {
        add(flag, spelled, valueAfter(flag, spelled, i));
        i++;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      const flag = byShort.get(arg[1]);
      if (!flag) throw new UsageError(`unknown option '${arg.slice(0, 2)}'`);
      const spelled = `-${arg[1]} (--${flag.name})`;
      if (flag.value === undefined) {
        if (arg.length > 2) throw new UsageError(`unknown option '${arg}' (short options are given one at a time)`);
        add(flag, spelled, '');
      } else if (arg.length > 2) {
        add(flag, spelled, arg.slice(2));
      } else {
        add(flag, spelled, valueAfter(flag, spelled, i));
        i++;
      }
    } else {
      positionals.push(arg);
    }
  }
  return { values, positionals, help };
}

// A value that is obviously a file name was most likely swallowed by the option before it.
function looksLikeInput(value: string): string {
  return /[\\/]|\.(xml|evtx|gz|json|html?)$/i.test(value) ? ` (a file name? options that take a value need it first)` : '';
}

function suggest(name: string, flags: readonly Flag[]): string {
  const close = flags.find((f) => f.name.startsWith(name) || name.startsWith(f.name));
  return close ? `; did you mean --${close.name}?` : '';
}

/** The value of a flag given once (the last one), if given. */
export const valueOf = (parsed: ParsedArgs, name: string): string | undefined => parsed.values.get(name)?.at(-1);
/** Whether a switch was given. */
export const has = (parsed: ParsedArgs, name: string): boolean => parsed.values.has(name);
/** Every value of a repeatable flag, each split at commas (`--kinds a,b --kinds c`). */
export const listOf = (parsed: ParsedArgs, name: string): string[] | undefined =>
  parsed.values
    .get(name)
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** The options part of a command's help, aligned. */
export function flagHelp(flags: readonly Flag[]): string {
  const rows = [...flags, HELP].map((f) => {
    const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
    return [names, f.help] as const;
  });
  const width = Math.min(30, Math.max(...rows.map(([n]) => n.length)));
  const indent = ' '.repeat(width + 4);
  return rows
    .map(([names, text]) => {
      const body = wrap(text, 100 - indent.length).join(`\n${indent}`);
      return names.length > width ? `  ${names}\n${indent}${body}` : `  ${names.padEnd(width)}  ${body}`;
    })
    .join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}
