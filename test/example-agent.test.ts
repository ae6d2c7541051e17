// The example agent (examples/ecs-agent) in follow mode on Linux: stopped cleanly, killed hard, and
// restarted while records keep arriving; its rotated ECS output must hold every record exactly once,
// in input order. The input mixes two hosts, in runs newest first,
// with record IDs that go down as often as up: a record ID says nothing about what was delivered.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers';

const AGENT = path.join(__dirname, '..', 'examples', 'ecs-agent', 'agent.mjs');
const hostA = readFileSync(fixture('otrf-2476ad98.xml'), 'utf8').split('\n').filter(Boolean);
const hostB = readFileSync(fixture('otrf-99a6e234.xml'), 'utf8').split('\n').filter(Boolean);
const lines: string[] = [];
for (let i = 0; i < 200; i += 10) {
  lines.push(...hostA.slice(i, i + 10).reverse(), ...hostB.slice(i, i + 10).reverse());
}
const recordKey = (xml: string) => `${/<Computer>([^<]+)/.exec(xml)?.[1]}|${/<EventRecordID>(\d+)/.exec(xml)?.[1]}`;

function outputKeys(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.startsWith('wfp-blocks.ndjson'));
  const rank = (f: string) => (f === 'wfp-blocks.ndjson' ? 0 : Number(f.split('.').pop()));
  return files
    .sort((a, b) => rank(b) - rank(a)) // oldest rotation first
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').slice(0, -1)) // not a line still being written
    .map((l) => {
      const doc = JSON.parse(l);
      return `${doc.winlog.computer_name}|${doc.winlog.record_id}`;
    });
}

async function waitFor(condition: () => boolean, what: string) {
  const end = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startAgent(records: string, out: string): ChildProcess {
  return spawn(
    process.execPath,
    [AGENT, '--replay', records, '--out', out, '--include-allowed', '--max-bytes', '60000', '--keep', '1000'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('examples/ecs-agent', () => {
  it('resumes after a clean stop and after a hard kill with nothing lost and nothing repeated', async () => {
    const dir = tempDir();
    const records = path.join(dir, 'security.xml');
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(
      records,
      lines
        .slice(0, 100)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const append = (from: number, to: number) =>
      appendFileSync(
        records,
        lines
          .slice(from, to)
          .map((l) => `${l}\n`)
          .join(''),
      );

    let agent = startAgent(records, out);
    await waitFor(() => existsSync(path.join(out, 'wfp-blocks.ndjson')) && outputKeys(out).length === 100, '100 events');
    append(100, 150);
    await waitFor(() => outputKeys(out).length === 150, '150 events');
    agent.kill('SIGTERM');
    expect(await exited(agent)).toBe(0);

    append(150, 200); // written while the agent is down
    agent = startAgent(records, out);
    await waitFor(() => outputKeys(out).length >= 200, '200 events after the restart');
    append(200, 260);
    await waitFor(() => outputKeys(out).length >= 260, '260 events');
    append(260, 300);
    agent.kill('SIGKILL'); // a crash, possibly between writing events and saving the bookmark
    await exited(agent);

    agent = startAgent(records, out);
    append(300, 320);
    await waitFor(() => outputKeys(out).length >= 320, '320 events after the crash');
    await new Promise((r) => setTimeout(r, 300)); // anything repeated would show up by now
    agent.kill('SIGTERM');
    expect(await exited(agent)).toBe(0);

    expect(outputKeys(out)).toEqual(lines.slice(0, 320).map(recordKey));
    expect(readdirSync(out).filter((f) => f.startsWith('wfp-blocks.ndjson.')).length).toBeGreaterThan(2); // it rotated
    const doc = JSON.parse(readFileSync(path.join(out, 'wfp-blocks.ndjson.1'), 'utf8').split('\n')[0]);
    expect(doc.event.code).toMatch(/^51\d\d$/);
    expect(doc.winlog.channel).toBe('Security');
  }, 60_000);
});
