/** `wfp-blocks replay`: exported logs (files, directories, standard input) to the terminal or NDJSON. */
import { has, UsageError, type Flag, type ParsedArgs } from './args';
import type { Command, Io } from './command';
import { cliError, FORMAT_FLAGS, formatOf, REPLAY_OPTION_FLAGS, watchOptionsOf } from './flags';
import { startPrinting } from './output';

const FLAGS: readonly Flag[] = [
  ...FORMAT_FLAGS,
  { name: 'follow', short: 'f', help: 'keep waiting for records appended to the files, as tail -f does' },
  ...REPLAY_OPTION_FLAGS,
];

/** The `source` option for the inputs on a command line (`-` is standard input). */
export function replaySource(parsed: ParsedArgs, io: Io, follow = false) {
  const inputs = parsed.positionals;
  if (inputs.length === 0) throw new UsageError('needs at least one FILE or DIR (or - for standard input)');
  if (inputs.includes('-')) {
    if (inputs.length > 1) throw new UsageError("'-' (standard input) cannot be combined with files");
    if (follow) throw new UsageError('--follow needs files, not standard input');
    return { replay: io.stdin as NodeJS.ReadableStream as import('node:stream').Readable };
  }
  return { replay: inputs, follow };
}

export const replay: Command = {
  name: 'replay',
  summary: 'read exported Security logs and print their WFP events',
  usage: '[options] FILE|DIR...',
  description: [
    'Reads exported Security logs: .evtx files, or event XML (wevtutil qe Security /f:xml, Get-WinEvent',
    '| % ToXml()) in UTF-8 or UTF-16; plain or gzip-compressed. Prints the WFP block events in input',
    'order. A DIR stands for every .xml, .evtx and .log file in it, oldest first; FILE - reads standard',
    'input. Windows Firewall logs (pfirewall.log) are read too; they log local time: --utc-offset names',
    "the writer's zone.",
    'The filters are applied while reading: what they leave out costs nothing.',
  ].join('\n'),
  flags: FLAGS,
  examples: [
    'wfp-blocks replay security.xml',
    'wfp-blocks replay C:\\Windows\\System32\\winevt\\Logs\\Security.evtx',
    'wfp-blocks replay --since 2h --app chrome --port 443 exports/',
    'wfp-blocks replay -o ecs security.xml.gz > blocks.ndjson',
  ],
  async run(parsed, io) {
    const format = formatOf(parsed);
    const options = { ...watchOptionsOf(parsed, REPLAY_OPTION_FLAGS), source: replaySource(parsed, io, has(parsed, 'follow')) };
    let printing;
    try {
      printing = startPrinting(options, format, io, 'replay');
    } catch (error) {
      throw cliError(error, parsed, REPLAY_OPTION_FLAGS);
    }
    return printing;
  },
};
