import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, fixture, tempFile } from './helpers';
import { record } from './synthetic';

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
const cli = (args: string[], input?: string | Buffer) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 20_000 });

describe('wfp-blocks replay', () => {
  const files = [fixture('text-EricZimmerman.xml'), fixture('otrf-50c132c2.xml')];

  it('--json prints one contract object per line, in input order, with ISO times', async () => {
    const r = cli(['replay', '--json', '--include-allowed', ...files]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const { events } = await collect({ source: { replay: files }, includeAllowed: true });
    expect(lines).toEqual(JSON.parse(JSON.stringify(events)));
    expect(lines[0].time).toBe('2015-09-22T16:52:37.274Z');
  });

  it('prints a table by default, blocks only', () => {
    const r = cli(['replay', ...files]);
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+ID\s+ACTION\s+KIND\s+DIR\s+PROTO\s+LOCAL\s+REMOTE\s+PID\s+FILTER\s+DECIDED\s+APPLICATION$/);
    expect(rows).toHaveLength(1 + 3 + 5);
    expect(rows[3]).toMatch(/^2019-04-19T07:36:55\.955Z 5159\s+block\s+bind\s+-\s+tcp\s+0\.0\.0\.0:5555\s+-\s+7924\s+84614\s+unknown\s+nc\.exe$/);
  });

  it('--format ecs and --format otel print one document per line, in input order', async () => {
    const { events } = await collect({ source: { replay: files } });
    const ecs = cli(['replay', '--format', 'ecs', ...files]);
    expect(ecs.status).toBe(0);
    const docs = ecs.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(docs.map((d) => d.winlog.record_id)).toEqual(events.map((e) => String(e.recordId)));
    expect(docs[0]).toMatchObject({ event: { code: '5152', outcome: 'failure' }, source: { ip: '10.0.0.100', port: 49278 } });
    const otel = cli(['replay', '--format', 'otel', ...files]);
    const records = otel.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).resourceLogs[0].scopeLogs[0].logRecords[0]);
    expect(records).toHaveLength(events.length);
    expect(records[0]).toMatchObject({ severityText: 'WARN', eventName: 'wfp.block' });
    expect(cli(['replay', '--format', 'xml', ...files]).status).toBe(2);
  });

  it('reads standard input with -', () => {
    const r = cli(['replay', '--json', '-'], readFileSync(fixture('evtx-omerbenamram-evtx.xml')));
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).recordId)).toEqual([319457771, 319457855, 319457856]);
  });

  it('reports bad input on stderr with file and offset, goes on, and exits 1', () => {
    const good = record({ recordId: 5 });
    const bad = tempFile(`${good.slice(0, 100)}\n<Event>oops</Oops>\n${good}\n`);
    const r = cli(['replay', '--json', bad, '/no/such/file.xml']);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).recordId)).toEqual([5]);
    expect(r.stderr).toContain(`ERR_XML_MALFORMED`);
    expect(r.stderr).toContain(`(${bad} at offset 0)`);
    expect(r.stderr).toContain('ERR_FILE_NOT_FOUND');
  });

  it('usage errors exit 2', () => {
    expect(cli(['replay']).status).toBe(2);
    expect(cli(['replay', '--kinds', 'teleport', files[0]]).stderr).toContain('options.kinds');
    expect(cli(['frobnicate']).status).toBe(2);
  });
});

describe.skipIf(process.platform === 'win32')('wfp-blocks watch and audit, on Linux', () => {
  it('watch says the platform is unsupported and exits 1', () => {
    const r = cli(['watch', '--json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ERR_UNSUPPORTED_PLATFORM: the 'eventlog' source reads the Windows Security log and cannot run on linux/);
  });

  it('audit status says the platform is unsupported and exits 1', () => {
    const r = cli(['audit', 'status']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ERR_UNSUPPORTED_PLATFORM/);
  });

  it('audit without a subcommand is a usage error', () => {
    expect(cli(['audit']).status).toBe(2);
    expect(cli(['watch', 'file.xml']).stderr).toContain('did you mean replay?');
  });
});
