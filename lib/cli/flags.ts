/**
 * The options several commands share, each with what it does to the watcher's options, and the CLI
 * wording of the API's option errors. An option of one command only lives in that command's file;
 * one that several share is a line in OPTION_FLAGS here (its flag, and its `apply`).
 */
import { ALLOWED_IDS } from './text';
import { has, listOf, UsageError, valueOf, type Flag, type ParsedArgs } from './args';
import { BLOCK_KINDS, DEFAULT_LIVE_KINDS } from '../catalog';
import { WfpOptionError } from '../errors';
import { parseDuration, type BlockFilter } from '../filter';
import type { WatchOptions } from '../options';
import type { BlockKind } from '../types';

/** A flag and what it sets in WatchOptions (and the API option it stands for, for error wording). */
export interface OptionFlag extends Flag {
  /** The API option path its value lands in (`kinds`, `filter.since`): errors about it name this flag. */
  option: string;
  /** What its value must be, in command-line words, for errors. */
  expects?: string;
  apply(options: WatchOptions, parsed: ParsedArgs): void;
}

const filterOf = (o: WatchOptions): BlockFilter => (o.filter ??= {}) as BlockFilter;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const setFilter = <K extends keyof BlockFilter>(o: WatchOptions, key: K, value: BlockFilter[K]) => {
  (filterOf(o) as Mutable<BlockFilter>)[key] = value;
};

export const FORMAT_NAMES = ['table', 'json', 'ecs', 'otel'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** --format and --json, for the commands that print events. */
export const FORMAT_FLAGS: readonly Flag[] = [
  {
    name: 'format',
    short: 'o',
    value: 'FORMAT',
    choices: FORMAT_NAMES,
    help: 'table (default), json (the BlockEvent contract), ecs (Elastic Common Schema) or otel (OTLP/JSON): one JSON document per line for all but table',
  },
  { name: 'json', help: 'the same as --format json' },
];

/** The output format a command line asks for; --json with another --format is a conflict. */
export function formatOf(parsed: ParsedArgs): FormatName {
  const format = valueOf(parsed, 'format') as FormatName | undefined;
  if (has(parsed, 'json')) {
    if (format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} contradict each other`);
    return 'json';
  }
  return format ?? 'table';
}

/** The options that choose which events a watcher reports: read natively, before JavaScript sees them. */
export const OPTION_FLAGS: readonly OptionFlag[] = [
  {
    name: 'include-allowed',
    short: 'a',
    help: `also permitted traffic (${ALLOWED_IDS})`,
    option: 'includeAllowed',
    apply: (o) => (o.includeAllowed = true),
  },
  {
    name: 'include-changes',
    help: 'also print the firewall rule, setting and WFP object changes among the records (JSON: "type": "ruleChange")',
    option: 'includeChanges',
    apply: (o) => (o.includeChanges = true),
  },
  {
    name: 'kinds',
    short: 'k',
    value: 'K,K',
    repeatable: true,
    help: `${BLOCK_KINDS.join(', ')} (default for watch: ${DEFAULT_LIVE_KINDS.join(', ')}, packet drops being opt-in; for --source netevents and replays: all)`,
    option: 'kinds',
    expects: `a comma-separated list of ${BLOCK_KINDS.join(', ')}`,
    apply: (o, p) => (o.kinds = listOf(p, 'kinds') as BlockKind[]),
  },
  {
    name: 'since',
    short: 'S',
    value: 'TIME',
    help: 'events at or after TIME: ISO 8601 (2024-05-01, 2024-05-01T10:00Z) or a duration before now (30m, 2h, 7d)',
    option: 'filter.since',
    expects: 'an ISO 8601 time (2024-05-01, 2024-05-01T10:00:00Z) or a duration before now (30m, 2h, 7d)',
    apply: (o, p) => setFilter(o, 'since', valueOf(p, 'since')),
  },
  {
    name: 'until',
    short: 'U',
    value: 'TIME',
    help: 'events at or before TIME (as --since)',
    option: 'filter.until',
    expects: 'an ISO 8601 time or a duration before now (30m, 2h, 7d), not before --since',
    apply: (o, p) => setFilter(o, 'until', valueOf(p, 'until')),
  },
  {
    name: 'event',
    short: 'e',
    value: 'ID,ID',
    repeatable: true,
    help: 'only these event IDs (5031, 5150-5159)',
    option: 'filter.eventIds',
    expects: 'a comma-separated list of event IDs from 5031 and 5150-5159',
    apply: (o, p) =>
      setFilter(
        o,
        'eventIds',
        listOf(p, 'event')?.map((id) => (/^\d+$/.test(id) ? Number(id) : (id as unknown as number))),
      ),
  },
  {
    name: 'direction',
    value: 'DIR,DIR',
    repeatable: true,
    help: 'inbound, outbound, forward or bidirectional',
    option: 'filter.directions',
    expects: 'a comma-separated list of inbound, outbound, forward, bidirectional',
    apply: (o, p) => setFilter(o, 'directions', listOf(p, 'direction') as BlockFilter['directions']),
  },
  {
    name: 'action',
    value: 'ACTION',
    repeatable: true,
    help: 'block or allow (allow implies --include-allowed)',
    option: 'filter.actions',
    expects: 'block or allow',
    apply: (o, p) => {
      const actions = listOf(p, 'action') as NonNullable<BlockFilter['actions']>;
      if (actions.includes('allow')) o.includeAllowed = true;
      setFilter(o, 'actions', actions);
    },
  },
  {
    name: 'app',
    value: 'PATTERN',
    repeatable: true,
    help: "the application path contains PATTERN (any case), or matches it as a glob ('*.exe', '*\\system32\\*')",
    option: 'filter.applications',
    apply: (o, p) => setFilter(o, 'applications', p.values.get('app')),
  },
  {
    name: 'address',
    value: 'ADDR',
    repeatable: true,
    help: 'either endpoint is ADDR or in it: 10.0.0.5, 10.0.0.0/8, fe80::/10 (comma-separated or repeated)',
    option: 'filter.addresses',
    expects: 'addresses or CIDR blocks such as 10.0.0.5, 10.0.0.0/8 or fe80::/10',
    apply: (o, p) => setFilter(o, 'addresses', listOf(p, 'address')),
  },
  {
    name: 'port',
    value: 'PORT',
    repeatable: true,
    help: 'either endpoint has this port or one in a range: 443, 1024-65535',
    option: 'filter.ports',
    expects: 'ports (0-65535) or ranges such as 1024-65535',
    apply: (o, p) => setFilter(o, 'ports', listOf(p, 'port')),
  },
  {
    name: 'coalesce',
    short: 'c',
    value: 'WINDOW',
    help: 'fold repeats of the same block within WINDOW (500ms, 5s, 1m) into one event with a count',
    option: 'coalesce',
    apply: (o, p) => {
      const text = valueOf(p, 'coalesce') as string;
      const ms = parseDuration(text);
      if (ms === undefined) throw new UsageError(`--coalesce must be a duration such as 500ms, 5s or 1m, got '${text}'`);
      o.coalesce = { windowMs: ms };
    },
  },
];

/** Replays also read inputs that log local time (the Windows Firewall log). */
export const REPLAY_OPTION_FLAGS: readonly OptionFlag[] = [
  ...OPTION_FLAGS,
  {
    name: 'utc-offset',
    value: 'OFFSET',
    help: "the zone of the machine that wrote a firewall log (pfirewall.log logs local time): +01:00, -05:00, 60 (minutes east of UTC), or 'system' (default: this machine's)",
    option: 'utcOffset',
    expects: "an offset such as +01:00, -05:30 or 60 (minutes east of UTC, at most 18 hours), or 'system'",
    apply: (o, p) => {
      const text = (valueOf(p, 'utc-offset') as string).trim();
      const hhmm = /^([+-])(\d{1,2}):([0-5]\d)$/.exec(text);
      if (text === 'system') o.utcOffset = 'system';
      else if (hhmm) o.utcOffset = (hhmm[1] === '-' ? -1 : 1) * (Number(hhmm[2]) * 60 + Number(hhmm[3]));
      else if (/^[+-]?\d+$/.test(text)) o.utcOffset = Number(text);
      else throw new UsageError(`--utc-offset must be an offset such as +01:00, -05:30 or 60, or 'system', got '${text}'`);
    },
  },
];

/** The watch options the command line's OPTION_FLAGS ask for. */
export function watchOptionsOf(parsed: ParsedArgs, flags: readonly OptionFlag[] = OPTION_FLAGS): WatchOptions {
  const options: WatchOptions = {};
  for (const flag of flags) if (parsed.values.has(flag.name)) flag.apply(options, parsed);
  return options;
}

/**
 * An API option error in command-line words: `--kinds must be ... got 'connection,teleport'`
 * instead of `options.kinds must be ...`. Any other error is returned as it is.
 */
export function cliError(error: unknown, parsed: ParsedArgs, flags: readonly OptionFlag[] = OPTION_FLAGS): unknown {
  if (!(error instanceof WfpOptionError)) return error;
  const flag = flags.find((f) => error.option === f.option || error.option.startsWith(`${f.option}.`));
  if (!flag) return error;
  const given = parsed.values.get(flag.name)?.join(',') ?? '';
  return new UsageError(`--${flag.name} must be ${flag.expects ?? error.expected}, got '${given}'`);
}
