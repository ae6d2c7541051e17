/** `wfp-blocks summary`: what exported logs say at a glance, in the terminal, as JSON or as one HTML file. */
import { writeFileSync } from 'node:fs';
import { watchBlocks } from '../index';
import { Summarizer, type BlockSummary } from '../summary';
import { summaryToHtml } from '../summary-html';
import { has, UsageError, valueOf, type Flag } from './args';
import { say, wantsColor, type Command, type Io } from './command';
import { cliError, REPLAY_OPTION_FLAGS, watchOptionsOf } from './flags';
import { replaySource } from './replay';

const FLAGS: readonly Flag[] = [
  { name: 'json', help: 'print the summary as one JSON document' },
  { name: 'html', value: 'FILE', help: 'also write a self-contained HTML report (charts, no network access) to FILE' },
  { name: 'top', short: 'n', value: 'N', help: 'how many values of each dimension to show (default 10)' },
  ...REPLAY_OPTION_FLAGS,
];

const n = (x: number) => x.toLocaleString('en-US');

/** The summary for a terminal: totals, the top values of each dimension, and the timeline. */
export function summaryText(s: BlockSummary, color = false, width = 80): string {
  const bold = (t: string) => (color ? `\x1b[1m${t}\x1b[0m` : t);
  const lines: string[] = [];
  lines.push(`${bold(`${n(s.events)} events`)}: ${n(s.blocked)} blocked, ${n(s.allowed)} allowed`);
  if (s.first) lines.push(`from ${s.first} to ${s.last}`);
  if (s.byEventId.length) lines.push(`by event ID: ${s.byEventId.map((c) => `${c.value} ${n(c.count)}`).join(', ')}`);
  for (const { title, values, distinct } of Object.values(s.top)) {
    if (values.length === 0) continue;
    lines.push('', bold(`${title} (top ${values.length} of ${n(distinct)})`));
    const countWidth = Math.max(...values.map((v) => n(v.count).length));
    const room = Math.max(20, width - countWidth - 10);
    for (const v of values) {
      const share = `${((100 * v.count) / s.events).toFixed(1)}%`.padStart(6);
      const value = v.value.length > room ? `…${v.value.slice(v.value.length - room + 1)}` : v.value;
      lines.push(`  ${n(v.count).padStart(countWidth)} ${share}  ${value}`);
    }
  }
  const { points, step } = s.timeline;
  if (points.length) {
    lines.push('', bold(`Timeline (per ${step})`));
    const max = Math.max(...points.map((p) => p.blocked + p.allowed));
    const label = (iso: string) => (step === 'day' ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' '));
    const shown = points.length > 60 ? points.filter((p) => p.blocked + p.allowed + p.changes > 0) : points;
    const barRoom = Math.max(10, width - 30);
    for (const p of shown) {
      const total = p.blocked + p.allowed;
      const bar = '█'.repeat(Math.round((barRoom * total) / max)) || (total ? '▏' : '');
      const changes = p.changes ? ` (${n(p.changes)} change${p.changes > 1 ? 's' : ''})` : '';
      lines.push(`  ${label(p.start)}  ${n(total).padStart(7)} ${bar}${changes}`);
    }
    if (shown.length < points.length) lines.push(`  (${points.length - shown.length} empty ${step}s not shown)`);
  }
  if (s.changes.total) {
    const { total, shown } = s.changes;
    lines.push('', bold(`Rule changes (${shown.length < total ? `the last ${shown.length} of ${n(total)}` : n(total)})`));
    for (const c of shown) {
      lines.push(
        `  ${c.time.slice(0, 19).replace('T', ' ')}  ${c.eventId} ${c.change}${c.subject ? ` ${c.subject}` : ''}${c.by ? ` by ${c.by}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function collect(parsed: Parameters<Command['run']>[0], io: Io): Promise<{ summary: BlockSummary; problems: number }> {
  const top = valueOf(parsed, 'top') ?? '10';
  if (!/^[1-9]\d*$/.test(top)) throw new UsageError(`--top must be a whole number of 1 or more, got '${top}'`);
  let watcher;
  try {
    // Change events always: the timeline shows them beside the blocks they may explain.
    watcher = watchBlocks({ ...watchOptionsOf(parsed, REPLAY_OPTION_FLAGS), source: replaySource(parsed, io), includeChanges: true });
  } catch (error) {
    throw cliError(error, parsed, REPLAY_OPTION_FLAGS);
  }
  const summarizer = new Summarizer();
  let problems = 0;
  watcher.on('block', (e) => summarizer.add(e));
  watcher.on('ruleChange', (c) => summarizer.addChange(c));
  watcher.on('error', (error) => {
    problems++;
    say(io, error.message, 'summary');
  });
  await new Promise<void>((resolve) => watcher.once('close', resolve));
  return { summary: summarizer.result(Number(top)), problems };
}

export const summary: Command = {
  name: 'summary',
  summary: 'totals, top applications, addresses, ports and rules, and a timeline of exported logs',
  usage: '[options] FILE|DIR...',
  description: [
    'Reads the inputs as replay does (with the same filters) and prints what they say at a glance:',
    'totals, then the most frequent applications, remote addresses, local ports, filters and rules,',
    'and directions, and a timeline per minute, hour or day as fits the span. --json prints the same',
    'as one JSON document; --html FILE also writes it as one self-contained page with charts.',
  ].join('\n'),
  flags: FLAGS,
  examples: ['wfp-blocks summary security.xml', 'wfp-blocks summary --since 7d --html report.html exports/'],
  async run(parsed, io) {
    const html = valueOf(parsed, 'html');
    const { summary: s, problems } = await collect(parsed, io);
    if (html !== undefined) {
      try {
        writeFileSync(html, summaryToHtml(s, { inputs: parsed.positionals, generatedAt: new Date() }));
      } catch (error) {
        say(io, `cannot write ${html}: ${(error as Error).message}`, 'summary');
        return 1;
      }
    }
    if (has(parsed, 'json')) io.stdout.write(`${JSON.stringify(s)}\n`);
    else io.stdout.write(summaryText(s, wantsColor(io), io.stdout.isTTY ? io.stdout.columns : 80));
    return problems > 0 ? 1 : 0;
  },
};
