#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { watchBlocks, type BlockEvent, type BlockKind, type WatchOptions } from './index';
import { tableHeader, tableRow, toJsonLine } from './format';

const USAGE = `Usage:
  wfp-blocks replay [--json] [--include-allowed] [--kinds K,K] [--follow] FILE...
      Reads exported Security-log XML (wevtutil qe Security /f:xml, Get-WinEvent | % ToXml())
      and prints the WFP block events in input order. FILE '-' reads standard input.
      --json             one JSON object per line instead of a table
      --include-allowed  also permitted traffic (5154, 5156, 5158)
      --kinds            connection,packet,listen,bind,accept,mac (default: all)
      --follow           keep waiting for records appended to the files
  wfp-blocks --version
Exit status: 0 when every record was read, 1 when some input had problems (reported on stderr),
2 for a usage error.`;

function fail(message: string): never {
  process.stderr.write(`wfp-blocks: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function replay(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'include-allowed': { type: 'boolean', default: false },
        kinds: { type: 'string' },
        follow: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals: files } = parsed;
  if (files.length === 0) fail('replay needs at least one FILE');
  if (files.includes('-') && files.length > 1) fail("'-' (standard input) cannot be combined with files");

  const options: WatchOptions = {
    source: files[0] === '-' ? { replay: process.stdin } : { replay: files, follow: values.follow },
    includeAllowed: values['include-allowed'],
  };
  if (values.kinds !== undefined) options.kinds = values.kinds.split(',').map((k) => k.trim()) as BlockKind[];
  let watcher;
  try {
    watcher = watchBlocks(options);
  } catch (error) {
    fail((error as Error).message);
  }

  const out = process.stdout;
  const format = values.json ? toJsonLine : tableRow;
  let problems = 0;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void watcher.close(); // the reader went away (| head): stop quietly
    else throw error;
  });
  if (!values.json) out.write(tableHeader());
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
    process.stderr.write(`wfp-blocks: ${error.message}\n`);
  });
  process.once('SIGINT', () => void watcher.close());
  process.once('SIGTERM', () => void watcher.close());
  // Not events.once(): it would reject on the first 'error', and most errors here are recoverable.
  await new Promise<void>((resolve) => watcher.once('close', resolve));
  process.exitCode = problems > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
  } else if (command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
  } else if (command === 'replay') {
    await replay(rest);
  } else {
    fail(command === undefined ? 'missing command' : `unknown command '${command}'`);
  }
}

void main(process.argv.slice(2));
