// Every fixture record through toEcs() and toOtelLogRecord(): the ECS documents against an
// independent re-implementation of Elastic's integration (test/elastic-reference.mjs), the OTel
// records against the mapping documented in lib/otel.ts (written here again from the raw EventData).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { communityId, toEcs, toOtelLogRecord, toOtlpJson, type BlockEvent } from '../dist/index.js';
import { integrationDocument } from './elastic-reference.mjs';
import { collect, fixtureFiles, tempFile } from './helpers';
import { record, WIN11_5157_DATA } from './synthetic';

let events: BlockEvent[] = [];
beforeAll(async () => {
  events = (await collect({ source: { replay: fixtureFiles() }, includeAllowed: true })).events;
  const synthetic = [
    record({ version: 3, recordId: 1, data: WIN11_5157_DATA }),
    record({ version: 3, recordId: 2, data: WIN11_5157_DATA.map(([k, v]) => [k, k === 'FilterOrigin' ? 'Query User Default' : v]) }),
  ];
  events.push(...(await collect({ source: { replay: tempFile(synthetic.join('\n')) } })).events);
});

const icmp = (e: BlockEvent) => e.data.Protocol === '1' || e.data.Protocol === '58';
const port = (e: BlockEvent, name: string) => (icmp(e) || e.data[name] === undefined ? undefined : Number(e.data[name]));
const MAPPED = new Set([5152, 5156, 5157, 5158]);
const WFP = /<EventID>(5031|515\d)<\/EventID>/;

/** toEcs() without the fields lib/ecs.ts documents as this library's own additions. */
function withoutExtras(e: BlockEvent): Record<string, any> {
  const d = JSON.parse(JSON.stringify(toEcs(e)));
  delete d.message;
  delete d.winlog.time_created;
  delete d.rule;
  delete d.event.reason;
  delete d.network?.type;
  delete d.source?.address;
  delete d.destination?.address;
  delete d.process?.pid;
  if (!MAPPED.has(e.eventId)) {
    if (d.winlog.task === undefined) delete d.event.action; // the agent renders no task name for it
    delete d.event.category;
    delete d.event.type;
    for (const k of ['source', 'destination', 'related', 'process']) delete d[k];
    for (const k of ['iana_number', 'transport', 'community_id']) delete d.network?.[k];
  }
  for (const k of ['network', 'process', 'source', 'destination']) if (d[k] && Object.keys(d[k]).length === 0) delete d[k];
  return d;
}

describe("toEcs: what Elastic's Windows Security integration writes for the same record", () => {
  it("equals the integration's document for every fixture record, keeping only our documented extras", async () => {
    let compared = 0;
    for (const file of fixtureFiles()) {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => WFP.test(l));
      const { events: got } = await collect({ source: { replay: file }, includeAllowed: true });
      expect(got).toHaveLength(lines.length);
      got.forEach((e, i) => {
        expect(withoutExtras(e), `${file} record ${e.recordId}`).toEqual(integrationDocument(lines[i]));
        compared++;
      });
    }
    expect(compared).toBe(9099);
  });

  it('an IPv4-mapped source as the integration writes it: source.ip unmapped, destination.ip as logged, both forms related', async () => {
    const xml = record({
      recordId: 7,
      data: [
        ['ProcessID', '4'],
        ['Application', 'System'],
        ['Direction', '%%14592'],
        ['SourceAddress', '::ffff:10.47.0.122'],
        ['SourcePort', '52000'],
        ['DestAddress', '::ffff:10.47.0.5'],
        ['DestPort', '445'],
        ['Protocol', '6'],
        ['FilterRTID', '68000'],
        ['LayerName', '%%14610'],
        ['LayerRTID', '44'],
        ['RemoteUserID', 'S-1-0-0'],
        ['RemoteMachineID', 'S-1-0-0'],
      ],
    });
    const [e] = (await collect({ source: { replay: tempFile(xml) } })).events;
    const d = toEcs(e);
    expect(withoutExtras(e)).toEqual(integrationDocument(xml));
    expect(d.source).toEqual({ address: '::ffff:10.47.0.122', ip: '10.47.0.122', port: 52000 });
    expect(d.destination?.ip).toBe('::ffff:10.47.0.5');
    expect(d.related?.ip).toEqual(['::ffff:10.47.0.5', '::ffff:10.47.0.122', '10.47.0.122']);
    expect(d.event).toMatchObject({ action: 'windows-firewall-packet-block', type: ['connection', 'info', 'denied'], outcome: 'failure' });
    expect(d.network).toMatchObject({ direction: 'inbound', transport: 'tcp', iana_number: '6', type: 'ipv4' });
    expect(d.network?.community_id).toBe(
      communityId({ protocol: 6, sourceAddress: '10.47.0.122', destinationAddress: '10.47.0.5', sourcePort: 52000, destinationPort: 445 }),
    );
    expect(d.winlog.event_data).toMatchObject({
      LayerNameDescription: 'Receive/Accept',
      RemoteUserDescription: 'Nobody',
      RemoteMachineDescription: 'Nobody',
    });
    expect(d.winlog.event_data?.SourceAddress).toBeUndefined();
    expect(d.log).toEqual({ level: 'information' });
    expect(d.winlog).toMatchObject({ opcode: 'Info', provider_guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}', api: 'wineventlog' });
  });

  it('ICMP keeps the type and code in the ports, as the integration does, and gets no Community ID (it needs icmp.type)', () => {
    const ping = events.find((e) => e.protocol === 1 && e.eventId === 5152) as BlockEvent;
    const d = toEcs(ping);
    expect(d.source?.port).toBe(ping.source?.port);
    expect(d.network?.community_id).toBeUndefined();
    expect(d.network?.transport).toBe('icmp');
  });

  it("FilterOrigin: a rule ID as rule.uuid, a default filter's name as rule.name", () => {
    const [ruleId, defaultFilter] = events.slice(-2).map(toEcs);
    expect(ruleId.rule).toEqual({
      id: '206474',
      uuid: '{A549B7CF-0542-4B67-93F9-EEBCDD584377}',
      category: 'rule',
      ruleset: 'Windows Defender Firewall',
    });
    expect(ruleId.event.reason).toBe('blocked by firewall rule {A549B7CF-0542-4B67-93F9-EEBCDD584377}');
    expect(defaultFilter.rule).toEqual({
      id: '206474',
      name: 'Query User Default',
      category: 'query-user-default',
      ruleset: 'Windows Defender Firewall',
    });
    expect(defaultFilter.event.reason).toBe("blocked by the firewall's query user default filter");
  });

  it("Community ID v1 matches the spec's published baseline (seed 0 and seed 1)", () => {
    for (const [file, seed] of [
      ['baseline_deflt.json', 0],
      ['baseline_seed1.json', 1],
    ] as const) {
      const vectors = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'community-id', file), 'utf8'));
      expect(vectors.length).toBeGreaterThan(20);
      for (const v of vectors) {
        const got = communityId(
          {
            protocol: v.proto,
            sourceAddress: v.saddr,
            destinationAddress: v.daddr,
            sourcePort: v.sport ?? undefined,
            destinationPort: v.dport ?? undefined,
          },
          seed,
        );
        expect(got, JSON.stringify(v)).toBe(v.communityid);
      }
    }
  });
});

describe('toOtelLogRecord and OTLP/JSON', () => {
  it('maps every record to semantic-convention attributes', () => {
    for (const e of events) {
      const r = toOtelLogRecord(e);
      expect(r.timestamp).toBe(e.time.getTime());
      expect(r.severityText).toBe(e.action === 'block' ? 'WARN' : 'INFO');
      expect(r.severityNumber).toBe(e.action === 'block' ? 13 : 9);
      const a = r.attributes;
      expect(a['host.name']).toBe(e.computer);
      expect(a['wfp.event_id']).toBe(e.eventId);
      expect(a['wfp.record_id']).toBe(e.recordId);
      expect(a['network.transport']).toBe(e.protocolName === 'tcp' || e.protocolName === 'udp' ? e.protocolName : undefined);
      expect(a['network.local.address']).toBe(e.local?.address);
      expect(a['network.peer.address']).toBe(e.remote?.address);
      expect(a['network.local.port']).toBe(icmp(e) ? undefined : (e.local?.port ?? undefined));
      expect(a['source.address']).toBe(e.data.SourceAddress);
      expect(a['destination.port']).toBe(port(e, 'DestPort'));
      expect(a['process.pid']).toBe(e.pid ?? undefined);
      expect(a['process.executable.path']).toBe(e.application ?? undefined);
      for (const [k, v] of Object.entries(e.data)) expect(a[`windows.event_data.${k}`]).toBe(v);
      expect(a['wfp.decided_by']).toBe(e.decidedBy);
      expect(a['wfp.rule.id']).toBe(e.ruleId ?? undefined);
    }
  });

  it('writes OTLP/JSON an otlpjsonfile receiver reads: nanosecond strings, typed values, host on the resource', () => {
    const e = events.find((x) => x.eventId === 5157) as BlockEvent;
    const json = JSON.parse(JSON.stringify(toOtlpJson(toOtelLogRecord(e))));
    const rl = json.resourceLogs[0];
    expect(rl.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'wfp-blocks' } },
      { key: 'host.name', value: { stringValue: e.computer } },
    ]);
    expect(rl.scopeLogs[0].scope).toEqual({
      name: 'wfp-blocks',
      version: JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version,
    });
    const lr = rl.scopeLogs[0].logRecords[0];
    expect(lr.timeUnixNano).toBe(`${e.time.getTime()}000000`);
    expect(lr.body).toEqual({ stringValue: 'The Windows Filtering Platform has blocked a connection.' });
    const attr = Object.fromEntries(lr.attributes.map((x: { key: string; value: unknown }) => [x.key, x.value]));
    expect(attr['wfp.event_id']).toEqual({ intValue: '5157' });
    expect(attr['wfp.action']).toEqual({ stringValue: 'block' });
    expect(attr['host.name']).toBeUndefined();
  });
});
