import { parseArgs } from 'node:util';
import { exportRecords, type ExportFormat } from './export';

export const EXPORT_USAGE = `  wfp-blocks export [--format xml|json] FILE...
      Prints every record of any event ID, one per line: EvtRender-style XML (the default) or one
      JSON object per record (System fields and every EventData/UserData value by name). FILE is an
      .evtx file or exported event XML; '-' reads standard input.`;

const say = (message: string) => process.stderr.write(`wfp-blocks: ${message}\n`);

/** `wfp-blocks export ...`: resolves with the exit status (0 all well, 1 problems on stderr, 2 usage). */
export async function exportCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'xml' }, json: { type: 'boolean', default: false } } });
  } catch (error) {
    say(`${(error as Error).message}\nUsage:\n${EXPORT_USAGE}`);
    return 2;
  }
  const { values, positionals: files } = parsed;
  const format = values.json ? 'json' : values.format;
  if (format !== 'xml' && format !== 'json') {
    say(`--format must be xml or json, got ${format}\nUsage:\n${EXPORT_USAGE}`);
    return 2;
  }
  if (files.length === 0 || (files.includes('-') && files.length > 1)) {
    say(`${files.length === 0 ? 'export needs at least one FILE' : "'-' (standard input) cannot be combined with files"}\nUsage:\n${EXPORT_USAGE}`);
    return 2;
  }
  const source = files[0] === '-' ? { replay: process.stdin } : { replay: files };
  const records = exportRecords({ source, format: format as ExportFormat });
  const out = process.stdout;
  let problems = 0;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void records.close(); // the reader went away (| head): stop quietly
    else throw error;
  });
  let waitingForDrain = false;
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
  records.on('error', (error) => {
    problems++;
    say(error.message);
  });
  process.once('SIGINT', () => void records.close());
  process.once('SIGTERM', () => void records.close());
  await new Promise<void>((resolve) => records.once('close', resolve));
  return problems > 0 ? 1 : 0;
}
