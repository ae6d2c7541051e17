#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  AUDIT_SUBCATEGORIES,
  enableBlockAuditing,
  getAuditPolicy,
  restoreAuditPolicy,
  watchBlocks,
  type AuditChange,
  type BlockEvent,
  type BlockKind,
  type BlockWatcher,
  type WatchOptions,
} from './index';
import { BLOCK_KINDS, EVENTS } from './catalog';
import { EXPORT_USAGE, exportCommand } from './export-command';
import { FORMATS, tableHeader, type Format } from './format';

const ALLOWED_IDS = EVENTS.filter((e) => e.action === 'allow').map((e) => e.id).join(', ');

const USAGE = `Usage:
  wfp-blocks watch [--format F] [--include-allowed] [--kinds K,K] [--from now|oldest] [--enable-audit]
      Prints WFP block events from the live Security log as they happen (Windows, elevated or a member
      of Event Log Readers). --enable-audit turns on the auditing they need while it runs.
  wfp-blocks replay [--format F] [--include-allowed] [--kinds K,K] [--follow] FILE...
      Reads exported Security logs (.evtx files, or XML from wevtutil qe /f:xml or Get-WinEvent)
      and prints the WFP block events in input order. FILE '-' reads standard input.
  wfp-blocks audit status | enable [--packet-drops] [--allowed] | restore   [--state-file F]
      Shows, turns on (only what is off) or puts back the WFP audit subcategories (Windows, elevated).
${EXPORT_USAGE}
  wfp-blocks --version

  --format           table (default), json (the BlockEvent contract), ecs (Elastic Common Schema) or
                     otel (OTLP/JSON log records): one JSON document per line for the machine formats
  --json             the same as --format json
  --include-allowed  also permitted traffic (${ALLOWED_IDS})
  --kinds            ${BLOCK_KINDS.join(',')} (default: all)
Exit status: 0 when all went well, 1 when there were problems (reported on stderr), 2 for a usage error.`;

function usage(message: string): never {
  process.stderr.write(`wfp-blocks: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const say = (message: string) => process.stderr.write(`wfp-blocks: ${message}\n`);

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    usage((error as Error).message);
  }
}

const COMMON = {
  format: { type: 'string', default: 'table' },
  json: { type: 'boolean', default: false },
  'include-allowed': { type: 'boolean', default: false },
  kinds: { type: 'string' },
} as const;

function commonOptions(values: { 'include-allowed'?: boolean; kinds?: string }): WatchOptions {
  const options: WatchOptions = { includeAllowed: values['include-allowed'] };
  if (values.kinds !== undefined) options.kinds = values.kinds.split(',').map((k) => k.trim()) as BlockKind[];
  return options;
}

function start(options: WatchOptions): BlockWatcher {
  try {
    return watchBlocks(options);
  } catch (error) {
    usage((error as Error).message);
  }
}

function formatOf(values: { format?: string; json?: boolean }): Format {
  const name = values.json ? 'json' : values.format ?? 'table';
  if (!(name in FORMATS)) usage(`--format must be one of ${Object.keys(FORMATS).join(', ')}, got ${name}`);
  return name as Format;
}

/** Prints the watcher's events until it closes; problems go to stderr. Resolves with the exit status. */
async function print(watcher: BlockWatcher, formatName: Format): Promise<number> {
  const out = process.stdout;
  const format = FORMATS[formatName];
  let problems = 0;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void watcher.close(); // the reader went away (| head): stop quietly
    else throw error;
  });
  if (formatName === 'table') out.write(tableHeader());
  let waitingForDrain = false;
  watcher.on('block', (event: BlockEvent) => {
    if (!out.write(format(event)) && !waitingForDrain) {
      waitingForDrain = true;
      watcher.pause();
      out.once('drain', () => {
        waitingForDrain = false;
        watcher.resume();
      });
    }
  });
  watcher.on('error', (error) => {
    problems++;
    say(error.message);
  });
  process.once('SIGINT', () => void watcher.close());
  process.once('SIGTERM', () => void watcher.close());
  // Not events.once(): it would reject on the first 'error', and most errors here are recoverable.
  await new Promise<void>((resolve) => watcher.once('close', resolve));
  return problems > 0 ? 1 : 0;
}

async function replay(args: string[]): Promise<number> {
  const { values, positionals: files } = parse(args, { ...COMMON, follow: { type: 'boolean', default: false } });
  if (files.length === 0) usage('replay needs at least one FILE');
  if (files.includes('-') && files.length > 1) usage("'-' (standard input) cannot be combined with files");
  const source = files[0] === '-' ? { replay: process.stdin } : { replay: files, follow: values.follow as boolean };
  const format = formatOf(values);
  return print(start({ ...commonOptions(values), source }), format);
}

async function watch(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON,
    from: { type: 'string', default: 'now' },
    'enable-audit': { type: 'boolean', default: false },
  });
  if (positionals.length > 0) usage(`watch takes no files (got ${positionals.join(' ')}); did you mean replay?`);
  if (values.from !== 'now' && values.from !== 'oldest') usage(`--from must be now or oldest, got ${values.from}`);
  const format = formatOf(values);
  const watcher = start({
    ...commonOptions(values),
    source: 'eventlog',
    from: values.from as 'now' | 'oldest',
    audit: { mode: values['enable-audit'] ? 'enable' : 'check', restoreOnSignals: true },
  });
  watcher.on('audit', (status) => {
    if (status.status === 'off') {
      for (const m of status.missing) {
        say(`auditing is off for ${m.name} ${m.guid} (${auditBits(m)}): Windows writes no such block events.`);
      }
      say("turn it on with 'wfp-blocks audit enable' (elevated), or run watch with --enable-audit");
    } else if (status.status === 'unknown') {
      say(`cannot read the audit policy (${status.error?.message}); events may not come`);
    } else {
      say('auditing is on again');
    }
  });
  if (process.platform === 'win32' && format === 'table') say('watching the Security log; Ctrl+C stops');
  return print(watcher, format);
}

const auditBits = (s: { success: boolean; failure: boolean }) =>
  [s.success && 'success', s.failure && 'failure'].filter(Boolean).join(' and ');

function describeChange(verb: string, change: AuditChange): string {
  if (change.turnedOn.length === 0) return `nothing to ${verb}`;
  return change.turnedOn
    .map((e) => {
      return `${verb} ${auditBits(e)} auditing of ${AUDIT_SUBCATEGORIES[e.subcategory].name} ${e.guid}`;
    })
    .join('\n');
}

function audit(args: string[]): number {
  const { values, positionals } = parse(args, {
    'packet-drops': { type: 'boolean', default: false },
    allowed: { type: 'boolean', default: false },
    'state-file': { type: 'string' },
  });
  const stateFile = values['state-file'] as string | undefined;
  try {
    switch (positionals[0]) {
      case 'status': {
        const policy = getAuditPolicy();
        for (const [key, { name, guid }] of Object.entries(AUDIT_SUBCATEGORIES)) {
          const p = policy[key as keyof typeof policy];
          process.stdout.write(`${name} ${guid}: success ${p.success ? 'on' : 'off'}, failure ${p.failure ? 'on' : 'off'}\n`);
        }
        return 0;
      }
      case 'enable': {
        const change = enableBlockAuditing({ packetDrops: values['packet-drops'] as boolean, allowed: values.allowed as boolean, stateFile });
        process.stdout.write(`${describeChange('turned on', change)}\n`);
        if (change.stateFile) process.stdout.write(`recorded in ${change.stateFile}; 'wfp-blocks audit restore' puts it back\n`);
        return 0;
      }
      case 'restore': {
        process.stdout.write(`${describeChange('turned off', restoreAuditPolicy(null, { stateFile }))}\n`);
        return 0;
      }
      default:
        usage(positionals[0] === undefined ? 'audit needs status, enable or restore' : `unknown audit command '${positionals[0]}'`);
    }
  } catch (error) {
    say((error as Error).message);
    return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case '--version':
    case '-v': {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'replay':
      return replay(rest);
    case 'watch':
      return watch(rest);
    case 'audit':
      return audit(rest);
    case 'export':
      return exportCommand(rest);
    default:
      usage(command === undefined ? 'missing command' : `unknown command '${command}'`);
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
