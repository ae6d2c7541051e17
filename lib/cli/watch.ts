/** `wfp-blocks watch`: the live Security log (Windows), with what is wrong said plainly elsewhere. */
import { UsageError, has, valueOf, type Flag } from './args';
import { PROGRAM, say, type Command } from './command';
import { cliError, FORMAT_FLAGS, formatOf, OPTION_FLAGS, watchOptionsOf } from './flags';
import { startPrinting } from './output';
import { OFF_WINDOWS_HINT } from './text';

const FLAGS: readonly Flag[] = [
  ...FORMAT_FLAGS,
  {
    name: 'source',
    value: 'SOURCE',
    choices: ['eventlog', 'netevents'],
    help: "eventlog (default): the Security log's audit events; netevents: WFP's own net events (no auditing needed)",
  },
  { name: 'from', value: 'WHERE', choices: ['now', 'oldest'], help: 'now (default): new records only; oldest: the whole log first' },
  { name: 'enable-audit', help: 'turn on the auditing the requested kinds need while it runs, and put it back after (elevated)' },
  ...OPTION_FLAGS,
];

const auditBits = (s: { success: boolean; failure: boolean }) =>
  [s.success && 'success', s.failure && 'failure'].filter(Boolean).join(' and ');

export const watch: Command = {
  name: 'watch',
  summary: 'print WFP events from the live Security log as they happen (Windows)',
  usage: '[options]',
  description: [
    'Prints WFP block events from the live Security log as they happen. Needs Windows, and an elevated',
    'administrator or a member of Event Log Readers. Reads connection, listen, bind and accept blocks by',
    "default (what 'Filtering Platform Connection' audits); add packet drops with --kinds ...,packet,mac.",
    'Says when the auditing those events need is off, and how to turn it on. --source netevents reads',
    "WFP's own net events instead (FwpmNetEventSubscribe): no auditing needed, the filter of each drop named.",
  ].join('\n'),
  flags: FLAGS,
  examples: [
    'wfp-blocks watch',
    'wfp-blocks watch --enable-audit --direction inbound',
    'wfp-blocks watch -o ecs >> blocks.ndjson',
    'wfp-blocks watch --source netevents --from oldest',
  ],
  async run(parsed, io) {
    if (parsed.positionals.length > 0) {
      throw new UsageError(`takes no files (got ${parsed.positionals.join(' ')}); did you mean '${PROGRAM} replay'?`);
    }
    const format = formatOf(parsed);
    const netEvents = valueOf(parsed, 'source') === 'netevents';
    if (netEvents && has(parsed, 'enable-audit')) {
      throw new UsageError('--enable-audit is for the Security log; WFP net events need no auditing');
    }
    if (process.platform !== 'win32') {
      say(
        io,
        `ERR_UNSUPPORTED_PLATFORM: ${netEvents ? "WFP's net events exist" : 'the live Security log exists'} only on Windows (this is ${process.platform}); ${OFF_WINDOWS_HINT}`,
        'watch',
      );
      return 1;
    }
    const from = (valueOf(parsed, 'from') ?? 'now') as 'now' | 'oldest';
    const options = netEvents
      ? { ...watchOptionsOf(parsed), source: 'netevents' as const, from }
      : {
          ...watchOptionsOf(parsed),
          source: 'eventlog' as const,
          from,
          audit: { mode: has(parsed, 'enable-audit') ? ('enable' as const) : ('check' as const), restoreOnSignals: true },
        };
    if (format === 'table' && io.stdout.isTTY)
      say(io, `watching ${netEvents ? "WFP's net events" : 'the Security log'}; Ctrl+C stops`, 'watch');
    try {
      return await startPrinting(options, format, io, 'watch', (watcher) =>
        watcher.on('audit', (status) => {
          if (status.status === 'off') {
            for (const m of status.missing) {
              say(io, `auditing is off for ${m.name} ${m.guid} (${auditBits(m)}): Windows writes no such events.`, 'watch');
            }
            say(
              io,
              `turn it on with '${PROGRAM} audit enable${status.missing.some((m) => m.subcategory === 'packetDrop') ? ' --packet-drops' : ''}${status.missing.some((m) => m.subcategory === 'connection' && m.success) ? ' --allowed' : ''}' (elevated), or run watch with --enable-audit`,
              'watch',
            );
          } else if (status.status === 'unknown') {
            say(io, `cannot read the audit policy (${status.error?.message}); events may not come`, 'watch');
          } else {
            say(io, 'auditing is on again', 'watch');
          }
        }),
      );
    } catch (error) {
      throw cliError(error, parsed);
    }
  },
};
