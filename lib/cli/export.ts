/** `wfp-blocks export`: every record of exported logs (.evtx or event XML, any event ID), one per line. */
import { WfpBlocksError } from '../errors';
import { exportRecords, type ExportFormat } from '../export';
import { has, UsageError, valueOf, type Flag } from './args';
import { say, type Command } from './command';
import { replaySource } from './replay';

const FLAGS: readonly Flag[] = [
  {
    name: 'format',
    short: 'o',
    value: 'FORMAT',
    choices: ['xml', 'json'],
    help: "xml (default): each record's event XML on one line, EvtRender-style for .evtx files; json: one object per record",
  },
  { name: 'json', help: 'the same as --format json' },
];

export const exportCommand: Command = {
  name: 'export',
  summary: 'print every record of exported logs (any event ID) as one-line XML or JSON',
  usage: '[options] FILE|DIR...',
  description: [
    'Prints every record of .evtx files or exported event XML, of any event ID, one per line, in input',
    "order: the XML Windows renders for it (EvtRender-style for .evtx files, the input's own text made",
    'one line for XML), or one JSON object per record (the System fields and every EventData/UserData',
    'value by name). A DIR stands for every .xml and .evtx file in it, oldest first; FILE - reads',
    'standard input. Rendering happens on the native thread.',
  ].join('\n'),
  flags: FLAGS,
  examples: ['wfp-blocks export Security.evtx > security.xml', 'wfp-blocks export --json logs/ | jq .eventId'],
  async run(parsed, io) {
    const format = valueOf(parsed, 'format') as ExportFormat | undefined;
    if (has(parsed, 'json') && format !== undefined && format !== 'json') {
      throw new UsageError(`--json and --format ${format} contradict each other`);
    }
    const records = exportRecords({ source: replaySource(parsed, io), format: has(parsed, 'json') ? 'json' : (format ?? 'xml') });
    const out = io.stdout;
    let problems = 0;
    let waitingForDrain = false;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE')
        void records.close(); // the reader went away (| head): stop quietly
      else throw error;
    });
    records.on('data', (chunk) => {
      if (!out.write(chunk) && !waitingForDrain) {
        waitingForDrain = true;
        records.pause();
        out.once('drain', () => {
          waitingForDrain = false;
          records.resume();
        });
      }
    });
    records.on('error', (error: WfpBlocksError) => {
      problems++;
      say(io, error.message, 'export');
    });
    const stop = () => void records.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise<void>((resolve) => records.once('close', resolve));
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return problems > 0 ? 1 : 0;
  },
};
