// The firewall's own log (pfirewall.log) as a replay input, on the real published samples of
// test/fixtures/fwlog: chosen by its header whatever the file's name, mapped to the same BlockEvent
// contract (and so to ECS and OpenTelemetry), local time converted with the given offset or this
// machine's zone, followed as it grows and after it is truncated and rewritten.
import { execFileSync } from 'node:child_process';
import { appendFileSync, createReadStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toEcs, toOtelLogRecord, watchBlocks, type BlockEvent } from '../dist/index.js';
import { collect, tempFile } from './helpers';

const FWLOG = path.join(__dirname, 'fixtures', 'fwlog');
const sample = (name: string) => path.join(FWLOG, name);
const BETA = sample('BetaHydri-pfirewall.log');

describe('the firewall log as a replay input', () => {
  it('is recognised by its header and every line becomes an event in the BlockEvent contract', async () => {
    const got = await collect({ source: { replay: BETA }, includeAllowed: true, utcOffset: 120 });
    expect(got.errors.map((e) => e.code)).toEqual(['ERR_EVENTS_LOST', 'ERR_EVENTS_LOST']); // INFO-EVENTS-LOST, twice
    expect(got.errors.every((e) => e.recoverable && e.input === BETA && typeof e.offset === 'number')).toBe(true);
    expect(got.events).toHaveLength(232);
    const [first] = got.events;
    expect(first).toMatchObject({
      eventId: 5152,
      kind: 'packet',
      action: 'block',
      direction: 'inbound',
      protocol: 17,
      protocolName: 'udp',
      source: { address: '192.168.178.25', port: 5353 },
      destination: { address: '224.0.0.251', port: 5353 },
      pid: null,
      application: null,
      filterId: null,
    });
    expect(first.time.toISOString()).toBe('2021-06-22T10:19:41.000Z'); // 12:19:41 at UTC+2
    expect(first.local).toBe(first.destination);
    expect(first.remote).toBe(first.source);
    expect(first.data).toMatchObject({ action: 'DROP', path: 'RECEIVE', size: '73', tcpflags: '-' });
    const allowedOut = got.events.find((e) => e.action === 'allow' && e.protocol === 6 && e.direction === 'outbound') as BlockEvent;
    expect(allowedOut).toMatchObject({ eventId: 5156, kind: 'connection' });
    expect(allowedOut.local).toBe(allowedOut.source);
    // Logged as ICMP: ICMPv6 between IPv6 addresses (46 lines), ICMP between IPv4 ones (3).
    expect(got.events.filter((e) => e.protocol === 58).every((e) => e.source?.address.includes(':'))).toBe(true);
    expect([got.events.filter((e) => e.protocol === 58).length, got.events.filter((e) => e.protocol === 1).length]).toEqual([46, 3]);
    const igmp = got.events.filter((e) => e.protocol === 2);
    expect(igmp.map((e) => e.protocolName)).toEqual(Array(32).fill('igmp'));
  });

  it('only blocks unless allowed traffic is asked for, and kinds filter as for the Security log', async () => {
    const blocks = await collect({ source: { replay: BETA }, utcOffset: 0 });
    expect(blocks.events).toHaveLength(66);
    expect(blocks.events.every((e) => e.eventId === 5152)).toBe(true);
    const connections = await collect({ source: { replay: BETA }, includeAllowed: true, kinds: ['connection'], utcOffset: 0 });
    expect(connections.events.every((e) => e.kind === 'connection' && e.action === 'allow')).toBe(true);
    expect(connections.events).toHaveLength(232 - 66);
  });

  it("current Windows' pid column", async () => {
    const got = await collect({ source: { replay: sample('crowdsec-windows-firewall.log') }, utcOffset: -300 });
    expect(got.errors).toEqual([]);
    expect(got.events.map((e) => [e.pid, e.time.toISOString(), e.data.tcpflags])).toEqual([[4, '2022-01-31T17:24:51.000Z', 'S']]);
  });

  it('the old format: OPEN is a permit, CLOSE is skipped, ICMP type and code where WFP puts them', async () => {
    const got = await collect({ source: { replay: sample('plaso-windows_firewall.log') }, includeAllowed: true, utcOffset: 0 });
    expect(got.events.map((e) => e.data.action)).toEqual([
      'DROP',
      'DROP',
      'OPEN',
      'DROP',
      'DROP',
      'DROP',
      'DROP',
      'DROP',
      'OPEN',
      'DROP',
      'DROP',
    ]);
    const icmp = got.events.find((e) => e.protocol === 1) as BlockEvent;
    expect(icmp.local).toEqual({ address: '123.156.78.90', port: 8 }); // icmptype 8, echo request
    expect(icmp.remote).toEqual({ address: '123.45.78.90', port: 0 }); // icmpcode 0
  });

  it('reads the same from a stream as from the file', async () => {
    const fromFile = await collect({ source: { replay: BETA }, includeAllowed: true, utcOffset: 60 });
    const fromStream = await collect({
      source: { replay: createReadStream(BETA, { highWaterMark: 1000 }) },
      includeAllowed: true,
      utcOffset: 60,
    });
    expect(JSON.parse(JSON.stringify(fromStream.events))).toEqual(JSON.parse(JSON.stringify(fromFile.events)));
  });

  it('gives ECS and OpenTelemetry documents with no special case', async () => {
    const [e] = (await collect({ source: { replay: sample('crowdsec-windows-firewall.log') }, utcOffset: 0 })).events;
    const ecs = toEcs(e);
    expect(ecs.event.code).toBe('5152');
    expect(ecs.network).toMatchObject({ direction: 'inbound', transport: 'tcp', iana_number: '6', type: 'ipv4' });
    expect(ecs.source).toEqual({ address: '192.168.9.163', ip: '192.168.9.163', port: 63619 });
    expect(ecs.process?.pid).toBe(4);
    const otel = toOtelLogRecord(e);
    expect(otel.attributes['network.peer.address']).toBe('192.168.9.163');
    expect(otel.attributes['windows.event_data.path']).toBe('RECEIVE');
  });

  it("with no offset given, this machine's zone converts each time, daylight saving included", () => {
    const script = `
      const { watchBlocks } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'index.js'))});
      const out = [];
      const w = watchBlocks({ source: { replay: process.argv[1] } });
      w.on('block', (e) => out.push(e.time.toISOString()));
      w.on('close', () => console.log(JSON.stringify(out)));
    `;
    const log = tempFile(
      '#Version: 1.5\n#Software: Microsoft Windows Firewall\n#Time Format: Local\n' +
        '#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid\n' +
        '2022-01-31 12:24:51 DROP TCP 192.168.9.163 192.168.9.212 63619 445 64 S 1031365855 0 65535 - - - RECEIVE 4\n' +
        '2021-06-22 12:19:41 DROP UDP 192.168.178.25 224.0.0.251 5353 5353 73 - - - - - - - RECEIVE\n',
      'pfirewall.log',
    );
    const run = (tz: string) =>
      JSON.parse(execFileSync(process.execPath, ['-e', script, log], { encoding: 'utf8', env: { ...process.env, TZ: tz } }));
    expect(run('Europe/Berlin')).toEqual(['2022-01-31T11:24:51.000Z', '2021-06-22T10:19:41.000Z']);
    expect(run('America/New_York')).toEqual(['2022-01-31T17:24:51.000Z', '2021-06-22T16:19:41.000Z']);
  });

  it('rejects a utcOffset that is not whole minutes within a day', () => {
    for (const bad of [12.5, 1500, '+02:00', null]) {
      expect(() => watchBlocks({ source: { replay: BETA }, utcOffset: bad as never })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'utcOffset' }),
      );
    }
  });
});

describe('following the firewall log', () => {
  const header =
    '#Version: 1.5\r\n#Software: Microsoft Windows Firewall\r\n#Time Format: Local\r\n' +
    '#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid\r\n\r\n';
  const lines = readFileSync(BETA, 'utf8')
    .split('\n')
    .filter((l) => / DROP /.test(l))
    .slice(0, 12);

  function next(watcher: ReturnType<typeof watchBlocks>, count: number): Promise<BlockEvent[]> {
    return new Promise((resolve) => {
      const got: BlockEvent[] = [];
      const on = (e: BlockEvent) => {
        got.push(e);
        if (got.length === count) {
          watcher.off('block', on);
          resolve(got);
        }
      };
      watcher.on('block', on);
    });
  }

  it('delivers lines as the firewall appends them, a line written in two parts once, and starts over after a truncation', async () => {
    const file = tempFile(`${header}${lines.slice(0, 4).join('\r\n')}\r\n`, 'pfirewall.log');
    const watcher = watchBlocks({ source: { replay: file, follow: true }, utcOffset: 0 });
    const errors: string[] = [];
    watcher.on('error', (e) => errors.push(e.code));
    try {
      expect((await next(watcher, 4)).map((e) => e.data.size)).toEqual(lines.slice(0, 4).map((l) => l.split(' ')[8]));
      const appended = next(watcher, 3);
      appendFileSync(file, `${lines.slice(4, 6).join('\r\n')}\r\n`);
      appendFileSync(file, lines[6].slice(0, 20));
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, `${lines[6].slice(20)}\r\n`);
      expect((await appended).map((e) => e.data.size)).toEqual(lines.slice(4, 7).map((l) => l.split(' ')[8]));
      // The firewall starts a new file with its header: the decoder starts over cleanly.
      const rewritten = next(watcher, 2);
      writeFileSync(file, `${header}${lines.slice(10, 12).join('\r\n')}\r\n`);
      expect((await rewritten).map((e) => e.time.toISOString())).toEqual(
        lines.slice(10, 12).map((l) => `${l.slice(0, 10)}T${l.slice(11, 19)}.000Z`),
      );
      expect(errors).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});
