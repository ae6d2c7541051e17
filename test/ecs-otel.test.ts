// Every fixture record through toEcs() and toOtelLogRecord(), each mapped field checked against the
// mapping documented in lib/ecs.ts and lib/otel.ts (written here again from the raw EventData).
import { isIP } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { toEcs, toOtelLogRecord, toOtlpJson, type BlockEvent } from '../dist/index.js';
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

const SUCCESS_AUDIT = new Set([5153, 5154, 5156, 5158]);
const icmp = (e: BlockEvent) => e.data.Protocol === '1' || e.data.Protocol === '58';
const port = (e: BlockEvent, name: string) => (icmp(e) || e.data[name] === undefined ? undefined : Number(e.data[name]));
const basename = (p: string) => p.split('\\').pop();

describe('toEcs', () => {
  it('maps every field of every record as documented', () => {
    expect(events.length).toBe(9099 + 2);
    for (const e of events) {
      const d = toEcs(e);
      const d2 = JSON.parse(JSON.stringify(d));
      expect(d2['@timestamp']).toBe(e.time.toISOString());
      expect(d.event.code).toBe(String(e.eventId));
      expect(d.event.provider).toBe('Microsoft-Windows-Security-Auditing');
      expect(d.event.action).toBe(e.eventId === 5152 || e.eventId === 5153 ? 'Filtering Platform Packet Drop' : 'Filtering Platform Connection');
      expect(d.event.outcome).toBe(SUCCESS_AUDIT.has(e.eventId) ? 'success' : 'failure');
      expect(d.event.category).toEqual(['network']);
      expect(d.event.type).toContain(e.action === 'block' ? 'denied' : 'allowed');
      expect(d.host.name).toBe(e.computer);
      if (e.decidedBy === 'unknown') {
        const verb = e.action === 'block' ? 'blocked' : 'permitted';
        expect(d.event.reason).toBe(e.filterId === null ? `${verb} by the Windows Filtering Platform` : `${verb} by WFP filter ${e.filterId}`);
        expect(d.rule?.category).toBeUndefined();
      }
      expect(d.winlog).toMatchObject({
        channel: 'Security',
        event_id: String(e.eventId),
        record_id: String(e.recordId),
        computer_name: e.computer,
        keywords: [SUCCESS_AUDIT.has(e.eventId) ? 'Audit Success' : 'Audit Failure'],
        event_data: e.data,
      });
      const direction = { '%%14592': 'ingress', '%%14593': 'egress' }[e.data.Direction as string];
      expect(d.network?.direction).toBe(direction);
      expect(d.network?.iana_number).toBe(e.data.Protocol);
      expect(d.network?.transport).toBe(e.protocolName ?? undefined);
      for (const [side, address, portName] of [['source', 'SourceAddress', 'SourcePort'], ['destination', 'DestAddress', 'DestPort']] as const) {
        const a = e.data[address];
        if (a === undefined) {
          expect(d[side]).toBeUndefined();
          continue;
        }
        expect(d[side]?.address).toBe(a);
        expect(d[side]?.ip).toBe(isIP(a) ? a : undefined);
        expect(d[side]?.port).toBe(port(e, portName));
      }
      if (e.data.SourceAddress) expect(d.network?.type).toBe(isIP(e.data.SourceAddress) === 6 ? 'ipv6' : 'ipv4');
      const pid = e.data.ProcessID ?? e.data.ProcessId;
      expect(d.process?.pid).toBe(pid === undefined ? undefined : Number(pid));
      const app = e.data.Application;
      expect(d.process?.executable).toBe(app === undefined || app === '-' ? undefined : app);
      expect(d.process?.name).toBe(app === undefined || app === '-' ? undefined : basename(app));
      expect(d.rule?.id).toBe(e.data.FilterRTID);
    }
  });

  it('IPv6, ICMP (no ports), listen and bind (no remote side), FilterOrigin', () => {
    const v6 = events.find((e) => e.source?.address.includes(':') && e.source.address !== '::') as BlockEvent;
    expect(toEcs(v6).network?.type).toBe('ipv6');
    expect(toEcs(v6).source?.ip).toBe(v6.source?.address);

    const ping = events.find((e) => e.protocol === 1) as BlockEvent;
    const pingDoc = toEcs(ping);
    expect(pingDoc.network?.transport).toBe('icmp');
    expect(pingDoc.source?.port).toBeUndefined();
    expect(pingDoc.destination?.port).toBeUndefined();
    expect(pingDoc.winlog.event_data.DestPort).toBe(ping.data.DestPort); // the ICMP type stays in the raw data

    const icmpv6 = events.find((e) => e.protocol === 58) as BlockEvent;
    expect(toEcs(icmpv6).network).toMatchObject({ transport: 'ipv6-icmp', iana_number: '58', type: 'ipv6' });

    for (const kind of ['listen', 'bind'] as const) {
      const e = events.find((x) => x.kind === kind) as BlockEvent;
      const doc = toEcs(e);
      expect(doc.destination).toBeUndefined();
      expect(doc.source?.port).toBe(e.local?.port);
      expect(doc.network?.direction).toBeUndefined();
    }

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
    expect(rl.resource.attributes).toEqual([{ key: 'host.name', value: { stringValue: e.computer } }]);
    const lr = rl.scopeLogs[0].logRecords[0];
    expect(lr.timeUnixNano).toBe(`${e.time.getTime()}000000`);
    expect(lr.body).toEqual({ stringValue: 'The Windows Filtering Platform has blocked a connection.' });
    const attr = Object.fromEntries(lr.attributes.map((x: { key: string; value: unknown }) => [x.key, x.value]));
    expect(attr['wfp.event_id']).toEqual({ intValue: '5157' });
    expect(attr['wfp.action']).toEqual({ stringValue: 'block' });
    expect(attr['host.name']).toBeUndefined();
  });
});
