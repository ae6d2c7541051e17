import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../dist/cli/index.js';
import { endpointText } from '../dist/format.js';
import { collect, fixture, FIXTURES, tempDir, tempFile } from './helpers';
import { record } from './synthetic';

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
const cli = (args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
  });
const jsonLines = (out: string) =>
  out
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** Runs the CLI in this process with a fake terminal of `columns` (or a pipe), as a user's shell would give it. */
async function inTerminal(args: string[], tty: { columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty.columns !== undefined, columns: tty.columns });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(args, { stdout, stderr, env: tty.env ?? {}, stdin: new PassThrough() });
  return { code, out, err };
}

describe('wfp-blocks replay', () => {
  const files = [fixture('text-EricZimmerman.xml'), fixture('otrf-50c132c2.xml')];

  it('--json prints one contract object per line, in input order, with ISO times', async () => {
    const r = cli(['replay', '--json', '--include-allowed', ...files]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const { events } = await collect({ source: { replay: files }, includeAllowed: true });
    expect(jsonLines(r.stdout)).toEqual(JSON.parse(JSON.stringify(events)));
    expect(jsonLines(r.stdout)[0].time).toBe('2015-09-22T16:52:37.274Z');
  });

  it('reads a Windows Firewall log, its local times in the zone --utc-offset names', () => {
    const log = path.join(__dirname, 'fixtures', 'fwlog', 'crowdsec-windows-firewall.log');
    const times = (args: string[]) => jsonLines(cli(['replay', '--json', ...args, log]).stdout).map((e) => e.time);
    expect(times(['--utc-offset', '-05:00'])).toEqual(['2022-01-31T17:24:51.000Z']);
    expect(times(['--utc-offset', '+01:30'])).toEqual(['2022-01-31T10:54:51.000Z']);
    expect(times(['--utc-offset', '60'])).toEqual(['2022-01-31T11:24:51.000Z']);
  });

  describe('with the change events (--include-changes), and summary of them', () => {
    // Real change records (Microsoft's samples, renumbered so they ascend) and a block of the rule they changed, after them.
    const changes = readFileSync(path.join(FIXTURES, 'changes', 'text-msdocs-mpssvc-wfp.xml'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('<Event'));
    const ruleId = /<Data Name="RuleId">([^<]*)</.exec(changes.find((l) => l.includes('<EventID>4946<')) as string)?.[1] as string;
    const block = (
      readFileSync(fixture('otrf-50c132c2.xml'), 'utf8')
        .split('\n')
        .find((l) => /<EventID>5157</.test(l)) as string
    )
      .replace(/SystemTime=(['"])[^'"]+\1/, "SystemTime='2015-10-08T00:00:00.000Z'")
      .replace(/<Computer>[^<]*</, '<Computer>DC01.contoso.local<')
      .replace('</EventData>', `<Data Name='FilterOrigin'>${ruleId}</Data></EventData>`);
    const file = tempFile(`${[...changes, block].join('\n')}\n`);

    it('replay --json prints each change as a "ruleChange" line, in input order among the events', () => {
      const r = cli(['replay', '--json', '--include-changes', file]);
      expect(r.status).toBe(0);
      const lines = jsonLines(r.stdout);
      expect(lines.map((l) => l.type ?? 'block')).toEqual([...changes.map(() => 'ruleChange'), 'block']);
      expect(lines.slice(0, -1).map((l) => l.eventId)).toEqual(changes.map((l) => Number(/<EventID>(\d+)</.exec(l)?.[1])));
      expect(lines[lines.length - 1]).toMatchObject({ decidedBy: 'rule', ruleId, lastChange: { eventId: 4948, change: 'rule-deleted' } });
      expect(jsonLines(cli(['replay', '--json', file]).stdout)).toHaveLength(1);
    });

    it('the table gives each change a row of its own; ECS and OpenTelemetry refuse them (no such document)', () => {
      const rows = cli(['replay', '--include-changes', file]).stdout.trimEnd().split('\n');
      expect(rows.filter((row) => / change /.test(row))).toHaveLength(changes.length);
      expect(rows.find((row) => row.includes(' 4946 change rule-added '))).toContain(`'Allow All Rule' ${ruleId}`);
      const r = cli(['replay', '-o', 'ecs', '--include-changes', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--include-changes prints change events in the table or with --json, not with --format ecs/);
    });

    it('summary counts by decidedBy and rule, and shows the changes in its timeline and list', () => {
      const s = JSON.parse(cli(['summary', '--json', file]).stdout);
      expect(s.top.decidedBy.values).toEqual([{ value: 'rule', count: 1 }]);
      expect(s.top.rules.values).toEqual([{ value: ruleId, count: 1 }]);
      expect(s.changes.total).toBe(changes.length);
      expect(s.timeline.points.reduce((n: number, p: { changes: number }) => n + p.changes, 0)).toBe(changes.length);
      expect(s.changes.shown.at(-1)).toMatchObject({ eventId: 5447 });
      const text = cli(['summary', file]).stdout;
      expect(text).toMatch(/Decided by \(top 1 of 1\)\n +1 100\.0% +rule/);
      expect(text).toMatch(/Rule changes \(the last 10 of 13\)/);
    });
  });

  it('prints a table by default, blocks only, with the application path', () => {
    const r = cli(['replay', ...files]);
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+ID\s+ACTION\s+KIND\s+DIR\s+PROTO\s+LOCAL\s+REMOTE\s+PID\s+FILTER\s+DECIDED\s+APPLICATION$/);
    expect(rows).toHaveLength(1 + 3 + 5);
    expect(rows[3]).toMatch(
      /^2019-04-19T07:36:55\.955Z 5159\s+block\s+bind\s+-\s+tcp\s+0\.0\.0\.0:5555\s+-\s+7924\s+84614\s+unknown\s+\\device\\harddiskvolume2\\users\\test\\desktop\\netcat\\nc\.exe$/,
    );
  });

  it('--format ecs and --format otel (and -o) print one document per line, in input order', async () => {
    const { events } = await collect({ source: { replay: files } });
    const ecs = cli(['replay', '--format', 'ecs', ...files]);
    expect(ecs.status).toBe(0);
    const docs = jsonLines(ecs.stdout);
    expect(docs.map((d) => d.winlog.record_id)).toEqual(events.map((e) => String(e.recordId)));
    expect(docs[0]).toMatchObject({
      event: { code: '5152', outcome: 'failure', action: 'windows-firewall-packet-drop' },
      source: { ip: '10.0.0.100', port: 49278 },
    });
    const records = jsonLines(cli(['replay', '-o', 'otel', ...files]).stdout).map((l) => l.resourceLogs[0].scopeLogs[0].logRecords[0]);
    expect(records).toHaveLength(events.length);
    expect(records[0]).toMatchObject({ severityText: 'WARN', eventName: 'wfp.block' });
  });

  it('reads standard input with -', () => {
    const r = cli(['replay', '--json', '-'], readFileSync(fixture('evtx-omerbenamram-evtx.xml')));
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((l) => l.recordId)).toEqual([319457771, 319457855, 319457856]);
  });

  it('reports bad input on stderr with file, offset, line and column, goes on, and exits 1', () => {
    const good = record({ recordId: 5 });
    const bad = tempFile(`${good.slice(0, 100)}\n<Event>oops</Oops>\n${good}\n`);
    const r = cli(['replay', '--json', bad, '/no/such/file.xml']);
    expect(r.status).toBe(1);
    expect(jsonLines(r.stdout).map((l) => l.recordId)).toEqual([5]);
    expect(r.stderr).toMatch(/^wfp-blocks replay: ERR_XML_MALFORMED: /m);
    expect(r.stderr).toContain(`(${bad} at offset 0, line 1, column 1)`);
    expect(r.stderr).toContain(`(${bad} at offset 101, line 2, column 1)`);
    expect(r.stderr).toContain('ERR_FILE_NOT_FOUND');
  });

  it('filters while reading: time, event ID, direction, action, application, address with CIDR, port', async () => {
    const all = (await collect({ source: { replay: FIXTURES }, includeAllowed: true })).events;
    const cases: Array<[string[], (e: (typeof all)[number]) => boolean]> = [
      [['-e', '5157,5152'], (e) => e.eventId === 5157 || e.eventId === 5152],
      [['--direction', 'inbound'], (e) => e.direction === 'inbound'],
      [['--action', 'allow'], (e) => e.action === 'allow'],
      [['--app', 'svchost'], (e) => !!e.application?.toLowerCase().includes('svchost')],
      [['--app', '*\\lsass.exe'], (e) => !!e.application?.toLowerCase().endsWith('\\lsass.exe')],
      [['--address', '172.18.0.0/16'], (e) => [e.source, e.destination].some((p) => p?.address.startsWith('172.18.'))],
      [
        ['--port', '53', '--port', '137-139'],
        (e) => [e.source, e.destination].some((p) => p?.port === 53 || (p?.port != null && p.port >= 137 && p.port <= 139)),
      ],
      [
        ['--since', '2020-09-14', '--until', '2020-09-15T00:00:00Z'],
        (e) => e.time >= new Date('2020-09-14') && e.time <= new Date('2020-09-15'),
      ],
      [
        ['-S', '2020-01-01', '-e', '5156', '--app', 'dns.exe', '--direction', 'outbound'],
        (e) => e.time >= new Date('2020-01-01') && e.eventId === 5156 && !!e.application?.endsWith('dns.exe') && e.direction === 'outbound',
      ],
    ];
    for (const [flags, keep] of cases) {
      const r = cli(['replay', '--json', '-a', ...flags, FIXTURES]);
      expect(r.status, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
      const got = jsonLines(r.stdout).map((l) => l.recordId);
      const expected = all.filter(keep).map((e) => e.recordId);
      expect(got, flags.join(' ')).toEqual(expected);
      expect(got.length, flags.join(' ')).toBeGreaterThan(0);
      expect(got.length, flags.join(' ')).toBeLessThan(all.length);
    }
  });

  it('--since 2h is relative to now (no fixture record is that recent); --coalesce folds repeats', () => {
    expect(cli(['replay', '--json', '-a', '--since', '2h', FIXTURES]).stdout).toBe('');
    const folded = jsonLines(cli(['replay', '--json', '-a', '-c', '1m', fixture('otrf-f2bb3e18.xml')]).stdout);
    expect(folded.length).toBeGreaterThan(0);
    expect(folded.every((e) => e.count >= 1)).toBe(true);
    expect(folded.reduce((n, e) => n + e.count, 0)).toBe(
      jsonLines(cli(['replay', '--json', '-a', fixture('otrf-f2bb3e18.xml')]).stdout).length,
    );
  });

  it('a directory is every .xml and .evtx file in it, oldest first; gzip is read by its signature', () => {
    const dir = tempDir();
    const a = path.join(dir, 'b-newer.xml');
    const b = path.join(dir, 'a-older.xml.gz');
    writeFileSync(a, readFileSync(fixture('text-EricZimmerman.xml')));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a log');
    writeFileSync(path.join(dir, 'old.xml'), gzipSync(readFileSync(fixture('evtx-omerbenamram-evtx.xml'))));
    utimesSync(path.join(dir, 'old.xml'), new Date('2020-01-01'), new Date('2020-01-01'));
    utimesSync(a, new Date('2021-01-01'), new Date('2021-01-01'));
    writeFileSync(b, gzipSync(readFileSync(fixture('evtx-omerbenamram-evtx.xml'))));
    const r = cli(['replay', '--json', dir]);
    expect(r.stderr).toBe('');
    // old.xml (gzip, 2020) then b-newer.xml (2021); .gz and .txt files are not taken from a directory
    expect(jsonLines(r.stdout).map((l) => l.recordId)).toEqual([319457771, 319457855, 319457856, 321323, 304390, 44097]);
    expect(jsonLines(cli(['replay', '--json', b]).stdout).map((l) => l.recordId)).toEqual([319457771, 319457855, 319457856]);
    const empty = tempDir();
    mkdirSync(path.join(empty, 'sub'));
    const e = cli(['replay', empty]);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain(`ERR_EMPTY_INPUT: directory ${empty} holds no .xml or .evtx file`);
  });

  it('an input that is none of the readable formats says what it looks like', () => {
    const xml = readFileSync(fixture('text-EricZimmerman.xml'), 'utf8');
    const cases: Array<[Buffer, RegExp]> = [
      // .evtx is read (by its signature): a header cut short is the .evtx reader's error, not this one.
      [
        Buffer.concat([Buffer.from('ElfFile\0'), Buffer.alloc(200)]),
        /ERR_EVTX_TRUNCATED: the file ends inside its header, after 208 of 4096 bytes/,
      ],
      [
        Buffer.from('Security log export, see attachment\r\n', 'utf16le'),
        /it looks like UTF-16 little-endian text without a byte-order mark that is not XML/,
      ],
      [Buffer.from([0x50, 0x4b, 3, 4, ...Array(60).fill(1)]), /it looks like a zip archive/],
      [Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)), /it looks like binary data/],
      [gzipSync(Buffer.from('hello')).subarray(0, 12), /ERR_UNREADABLE_INPUT: cannot decompress .*: the gzip data end early/],
    ];
    for (const [bytes, message] of cases) {
      const r = cli(['replay', tempFile(bytes, 'input.bin')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('ERR_XML_GARBAGE');
    }
    // UTF-16 event XML without a byte-order mark is read (told by the zero bytes of its markup)
    const utf16 = cli(['replay', '--json', tempFile(Buffer.from(xml, 'utf16le'), 'utf16.xml')]);
    expect(utf16.stdout).toBe(cli(['replay', '--json', fixture('text-EricZimmerman.xml')]).stdout);
    expect(utf16.stdout).not.toBe('');
  });
});

describe('help and errors like the tools people know', () => {
  it('--help and -h after every command, and a help command, print to stdout and exit 0', () => {
    for (const command of ['replay', 'watch', 'summary', 'audit', 'export']) {
      for (const args of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
        [command, '--json', '--help', 'x.xml'],
      ]) {
        const r = cli(args);
        expect(r.status, args.join(' ')).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: wfp-blocks ${command} `));
        expect(r.stdout).toContain('-h, --help');
        expect(r.stderr).toBe('');
      }
    }
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: wfp-blocks COMMAND/);
      for (const command of ['replay', 'watch', 'summary', 'audit', 'export', 'help'])
        expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(cli(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
  });

  it('a usage error is one line and the hint to run --help, exit 2, nothing on stdout', () => {
    const cases: Array<[string[], string]> = [
      [['replay'], 'wfp-blocks replay: needs at least one FILE or DIR (or - for standard input)'],
      [
        ['replay', '--kinds', 'teleport', 'x.xml'],
        "wfp-blocks replay: --kinds must be a comma-separated list of connection, packet, listen, bind, accept, mac, got 'teleport'",
      ],
      [
        ['replay', '--format', 'x.xml'],
        "wfp-blocks replay: --format must be one of table, json, ecs, otel, got 'x.xml' (a file name? options that take a value need it first)",
      ],
      [['replay', '--json', '--format', 'ecs', 'x.xml'], 'wfp-blocks replay: --json and --format ecs contradict each other'],
      [['replay', '--frob', 'x.xml'], "wfp-blocks replay: unknown option '--frob'"],
      [['replay', '-o'], 'wfp-blocks replay: -o (--format) needs a value (FORMAT)'],
      [
        ['replay', '--since', 'yesterday', 'x.xml'],
        "wfp-blocks replay: --since must be an ISO 8601 time (2024-05-01, 2024-05-01T10:00:00Z) or a duration before now (30m, 2h, 7d), got 'yesterday'",
      ],
      [
        ['replay', '--address', '10.0.0.0/33', 'x.xml'],
        "wfp-blocks replay: --address must be addresses or CIDR blocks such as 10.0.0.5, 10.0.0.0/8 or fe80::/10, got '10.0.0.0/33'",
      ],
      [
        ['replay', '--port', '99999', 'x.xml'],
        "wfp-blocks replay: --port must be ports (0-65535) or ranges such as 1024-65535, got '99999'",
      ],
      [['replay', '--coalesce', '60', 'x.xml'], "wfp-blocks replay: --coalesce must be a duration such as 500ms, 5s or 1m, got '60'"],
      [['replay', '-', 'x.xml'], "wfp-blocks replay: '-' (standard input) cannot be combined with files"],
      [['watch', 'file.xml'], "wfp-blocks watch: takes no files (got file.xml); did you mean 'wfp-blocks replay'?"],
      [
        ['replay', '--utc-offset', 'CET', 'x.log'],
        "wfp-blocks replay: --utc-offset must be an offset such as +01:00, -05:30 or 60, or 'system', got 'CET'",
      ],
      [
        ['replay', '--utc-offset', '2000', 'x.log'],
        "wfp-blocks replay: --utc-offset must be an offset such as +01:00, -05:30 or 60 (minutes east of UTC, at most 18 hours), or 'system', got '2000'",
      ],
      [
        ['watch', '--source', 'netevents', '--enable-audit'],
        'wfp-blocks watch: --enable-audit is for the Security log; WFP net events need no auditing',
      ],
      [['watch', '--source', 'wmi'], "wfp-blocks watch: --source must be one of eventlog, netevents, got 'wmi'"],
      [['watch', '--from', 'yesterday'], "wfp-blocks watch: --from must be one of now, oldest, got 'yesterday'"],
      [['audit'], 'wfp-blocks audit: needs one of status, enable, restore'],
      [['audit', 'frob'], "wfp-blocks audit: unknown audit command 'frob' (one of status, enable, restore)"],
      [
        ['audit', 'status', '--allowed'],
        "wfp-blocks audit: --packet-drops, --allowed, --rule-changes, --filter-changes belong to 'audit enable', not 'audit status'",
      ],
      [
        ['audit', 'restore', '--rule-changes'],
        "wfp-blocks audit: --packet-drops, --allowed, --rule-changes, --filter-changes belong to 'audit enable', not 'audit restore'",
      ],
      [['summary', '--top', '0', 'x.xml'], "wfp-blocks summary: --top must be a whole number of 1 or more, got '0'"],
      [['export', '--format', 'yaml', 'x.evtx'], "wfp-blocks export: --format must be one of xml, json, got 'yaml'"],
      [['frobnicate'], "wfp-blocks: 'frobnicate': not a command (one of replay, watch, summary, audit, export)"],
      [[], 'wfp-blocks: missing command (one of replay, watch, summary, audit, export)'],
    ];
    for (const [args, line] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      const where = line.slice(0, line.indexOf(':'));
      expect(r.stderr, args.join(' ')).toBe(`${line}\nTry '${where} --help' for more information.\n`);
    }
  });

  it('nothing reaches stdout (not even the table header) when a command fails before reading', () => {
    for (const args of [
      ['replay', '/no/such/file.xml'],
      ['replay', tempFile(Buffer.from('ElfFile\0'.padEnd(100, '\0')))],
    ]) {
      const r = cli(args);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toBe('');
    }
  });
});

describe.skipIf(process.platform === 'win32')('wfp-blocks watch and audit, on Linux', () => {
  it('watch says the live log is Windows-only and points at replay, prints nothing on stdout, exits 1', () => {
    for (const args of [['watch'], ['watch', '--json'], ['watch', '-o', 'ecs', '--enable-audit']]) {
      const r = cli(args);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^wfp-blocks watch: ERR_UNSUPPORTED_PLATFORM: the live Security log exists only on Windows \(this is linux\); read exported logs instead: 'wfp-blocks replay FILE'/,
      );
    }
  });

  it("watch --source netevents says WFP's net events are Windows-only, exits 1", () => {
    const r = cli(['watch', '--source', 'netevents', '--from', 'oldest']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wfp-blocks watch: ERR_UNSUPPORTED_PLATFORM: WFP's net events exist only on Windows \(this is linux\)/);
  });

  it('audit status, enable and restore all fail the same way off Windows', () => {
    for (const sub of ['status', 'enable', 'restore']) {
      const r = cli(['audit', sub]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('wfp-blocks audit: ERR_UNSUPPORTED_PLATFORM: the Windows audit policy does not exist on linux\n');
    }
  });
});

describe('a table that fits', () => {
  it('never cuts an endpoint: every row of every fixture record holds its local and remote endpoint whole', async () => {
    const { events } = await collect({ source: { replay: FIXTURES }, includeAllowed: true });
    const r = cli(['replay', '-a', FIXTURES]);
    const rows = r.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(events.length);
    let ipv6 = 0;
    events.forEach((e, i) => {
      const local = endpointText(e.local ?? e.source);
      const remote = endpointText(e.remote ?? (e.local ? null : e.destination));
      expect(rows[i]).toContain(` ${local} `);
      expect(rows[i]).toContain(` ${remote} `);
      if (local.startsWith('[') && local.length > 21) ipv6++;
    });
    expect(ipv6).toBeGreaterThan(100); // the long IPv6 endpoints that used to lose their port
  });

  it('on a terminal, fits its width by shortening the application from the left; colour only on a terminal without NO_COLOR', async () => {
    const file = fixture('otrf-50c132c2.xml');
    const narrow = await inTerminal(['replay', '-a', file], { columns: 140, env: { NO_COLOR: '1' } });
    expect(narrow.code).toBe(0);
    const rows = narrow.out.trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(140);
    expect(rows.some((row) => /…[^\s]*\.exe$/.test(row))).toBe(true);
    expect(narrow.out).not.toMatch(/\x1b\[/);
    const coloured = await inTerminal(['replay', '-a', file], { columns: 140 });
    expect(coloured.out).toMatch(/\x1b\[3[12]m(block|allow)\x1b\[0m/);
    const piped = await inTerminal(['replay', '-a', file]);
    expect(piped.out).not.toMatch(/\x1b\[|…/);
    expect(piped.out.split('\n').some((row) => row.length > 140)).toBe(true);
  });
});

describe('wfp-blocks summary', () => {
  it('prints totals, the top values of each dimension and a timeline; --json the same as data', async () => {
    const file = fixture('otrf-f2bb3e18.xml');
    const { events } = await collect({ source: { replay: file }, includeAllowed: true });
    const text = cli(['summary', '-a', file]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${events.length.toLocaleString('en-US')} events: `));
    for (const title of ['Applications', 'Remote addresses', 'Local ports', 'Filters and rules', 'Directions', 'Timeline (per ']) {
      expect(text.stdout).toContain(title);
    }
    const json = JSON.parse(cli(['summary', '-a', '--json', '-n', '3', file]).stdout);
    expect(json.events).toBe(events.length);
    expect(json.blocked + json.allowed).toBe(events.length);
    const apps = new Map<string, number>();
    for (const e of events) if (e.application) apps.set(e.application, (apps.get(e.application) ?? 0) + 1);
    const top = [...apps].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(json.top.applications.values.map((v: { value: string; count: number }) => [v.value, v.count])).toEqual(top);
    expect(json.top.applications.distinct).toBe(apps.size);
    expect(json.timeline.points.reduce((n: number, p: { blocked: number; allowed: number }) => n + p.blocked + p.allowed, 0)).toBe(
      events.length,
    );
    expect(json.first).toBe(new Date(Math.min(...events.map((e) => e.time.getTime()))).toISOString());
  });

  it('takes the filters: summary of the blocks of one application', () => {
    const json = JSON.parse(cli(['summary', '--json', '--app', 'listener.exe', fixture('text-EricZimmerman.xml')]).stdout);
    expect(json.events).toBe(2);
    expect(json.top.applications.values).toEqual([{ value: '\\device\\harddiskvolume2\\documents\\listener.exe', count: 2 }]);
  });
});
