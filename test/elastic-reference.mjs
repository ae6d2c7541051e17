// What Elastic's Windows Security integration writes for one Security-log record, re-implemented
// here from its sources, independently of lib/ecs.ts and of the native reader: the record is read
// with fast-xml-parser, turned into what the Elastic Agent's winlog input sends (Winlogbeat's
// winevent `Event.Fields()` and `Record.ToEvent()`, elastic/beats), then put through the System
// integration's `security` pipeline as its YAML says (elastic/integrations,
// system_security_default.yml → security_standard.yml → security_common.yml), step by step.
// Left out, as lib/ecs.ts documents: what the agent says about itself, event.created, GeoIP.
import { XMLParser } from 'fast-xml-parser';
import { communityId } from '../dist/community-id.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'Data',
});

// winmeta.xml, as beats' winevent package holds it.
const LEVELS = { 0: 'Information', 1: 'Critical', 2: 'Error', 3: 'Warning', 4: 'Information', 5: 'Verbose' };
const OPCODES = {
  0: 'Info',
  1: 'Start',
  2: 'Stop',
  3: 'DCStart',
  4: 'DCStop',
  5: 'Extension',
  6: 'Reply',
  7: 'Resume',
  8: 'Suspend',
  9: 'Send',
};
const KEYWORDS = new Map([
  [0x1000000000000n, 'Response Time'],
  [0x4000000000000n, 'WDI Diag'],
  [0x8000000000000n, 'SQM'],
  [0x10000000000000n, 'Audit Failure'],
  [0x20000000000000n, 'Audit Success'],
  [0x40000000000000n, 'Correlation Hint'],
  [0x80000000000000n, 'Classic'],
]);
// The publisher's task names for the WFP events (what the agent renders).
const TASKS = { 12809: 'Filtering Platform Packet Drop', 12810: 'Filtering Platform Connection' };

// security_standard.yml: "Set ECS categorization fields" (only these WFP IDs), the message table
// entries WFP uses, the SID table entries its records hold, and the transport table.
const CATEGORIZATION = {
  5152: { category: ['network'], type: ['connection', 'info', 'denied'], action: 'windows-firewall-packet-drop' },
  5156: { category: ['network'], type: ['connection', 'info', 'allowed'], action: 'windows-firewall-connection' },
  5157: { category: ['network'], type: ['connection', 'info', 'denied'], action: 'windows-firewall-packet-block' },
  5158: { category: ['network'], type: ['info'], action: 'windows-firewall-bind-local-port' },
};
const DESCRIPTIONS = {
  14592: 'Inbound',
  14593: 'Outbound',
  14594: 'Forward',
  14595: 'Bidirectional',
  14596: 'IP Packet',
  14597: 'Transport',
  14598: 'Forward',
  14599: 'Stream',
  14600: 'Datagram Data',
  14601: 'ICMP Error',
  14602: 'MAC 802.3',
  14603: 'MAC Native',
  14604: 'vSwitch',
  14608: 'Resource Assignment',
  14609: 'Listen',
  14610: 'Receive/Accept',
  14611: 'Connect',
  14612: 'Flow Established',
  14614: 'Resource Release',
  14615: 'Endpoint Closure',
  14616: 'Connect Redirect',
  14617: 'Bind Redirect',
  14624: 'Stream Packet',
  14640: 'ICMP Echo-Request',
  14641: 'vSwitch Ingress',
  14642: 'vSwitch Egress',
};
const SIDS = { 'S-1-0-0': 'Nobody', 'S-1-5-18': 'Local System', 'S-1-5-19': 'NT Authority', 'S-1-5-20': 'NT Authority' };
const TRANSPORT = {
  1: 'icmp',
  2: 'igmp',
  4: 'ipv4',
  6: 'tcp',
  8: 'egp',
  9: 'igp',
  12: 'pup',
  17: 'udp',
  27: 'rdp',
  28: 'irtp',
  33: 'dccp',
  35: 'idpr',
  41: 'ipv6',
  43: 'ipv6-route',
  44: 'ipv6-frag',
  46: 'rsvp',
  47: 'gre',
  50: 'esp',
  58: 'ipv6-icmp',
  59: 'ipv6-nonxt',
  60: 'ipv6-opts',
};

const text = (v) => (typeof v === 'string' ? v : (v?.['#text'] ?? ''));
const isZero = (v) => v === undefined || v === '' || v === 0;

/** What the agent sends for the record (ToEvent), before any pipeline. */
export function agentEvent(xml) {
  const s = parser.parse(xml).Event.System;
  const data = parser.parse(xml).Event.EventData?.Data ?? [];
  const win = {};
  const opt = (k, v) => {
    if (!isZero(v)) win[k] = v;
  };
  const id = Number(text(s.EventID));
  const keywordsRaw = BigInt(text(s.Keywords) || '0');
  const keywords = [...KEYWORDS].filter(([bit]) => keywordsRaw & bit).map(([, n]) => n);
  opt('channel', text(s.Channel));
  opt('event_id', String(id));
  opt('provider_name', s.Provider['@Name']);
  opt('record_id', Number(text(s.EventRecordID)));
  opt('task', TASKS[Number(text(s.Task))]);
  opt('computer_name', text(s.Computer));
  if (keywords.length) win.keywords = keywords;
  if (text(s.Opcode) !== '') opt('opcode', OPCODES[Number(text(s.Opcode))]);
  opt('provider_guid', s.Provider['@Guid']);
  opt('version', Number(text(s.Version) || '0'));
  const outcome = keywordsRaw & 0x10000000000000n ? 'failure' : keywordsRaw & 0x20000000000000n ? 'success' : undefined;
  const level = LEVELS[Number(text(s.Level))]?.toLowerCase();
  if (s.Security?.['@UserID']) win.user = { identifier: s.Security['@UserID'] };
  const eventData = {};
  data.forEach((d, i) => {
    const value = text(d);
    if (value === '') return;
    const key = d['@Name'] || `param${i + 1}`;
    if (!(key in eventData)) eventData[key] = value;
  });
  if (Object.keys(eventData).length) win.event_data = eventData;
  opt('activity_id', s.Correlation?.['@ActivityID']);
  const pid = Number(s.Execution?.['@ProcessID'] ?? 0);
  const tid = Number(s.Execution?.['@ThreadID'] ?? 0);
  if (pid || tid) win.process = { ...(pid ? { pid } : {}), ...(tid ? { thread: { id: tid } } : {}) };
  win.api = 'wineventlog';
  const doc = { winlog: win, event: { code: win.event_id, kind: 'event', provider: s.Provider['@Name'] } };
  if (outcome) doc.event.outcome = outcome;
  if (level) doc.log = { level };
  if (win.task) doc.event.action = win.task;
  doc.host = { name: win.computer_name };
  const time = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/.exec(s.TimeCreated['@SystemTime']);
  doc['@timestamp'] = `${time[1]}T${time[2]}.${(time[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return doc;
}

const put = (obj, path, value) => {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
};

/** The document the integration's pipeline writes for the agent's event. */
export function integrationDocument(xml) {
  const ctx = agentEvent(xml);
  const ed = ctx.winlog.event_data ?? {};
  // system_security_default: drop empty event_data values.
  for (const [k, v] of Object.entries(ed)) if ([null, '', '-', '{00000000-0000-0000-0000-000000000000}'].includes(v)) delete ed[k];
  // security_standard
  const code = ctx.event.code;
  const cat = CATEGORIZATION[code];
  if (cat) Object.assign(ctx.event, { category: [...cat.category], type: [...cat.type], action: cat.action });
  if (['5152', '5156', '5157', '5158'].includes(code)) {
    const related = ((ctx.related ??= {}).ip ??= []);
    if (ed.DestAddress != null && ed.DestAddress !== '-') {
      put(ctx, 'destination.ip', ed.DestAddress);
      if (!related.includes(ed.DestAddress)) related.push(ed.DestAddress);
      delete ed.DestAddress;
    }
    if (ed.SourceAddress != null && ed.SourceAddress !== '-') {
      put(ctx, 'source.ip', ed.SourceAddress);
      if (!related.includes(ed.SourceAddress)) related.push(ed.SourceAddress);
      delete ed.SourceAddress;
    }
    if (ed.DestPort != null && ed.DestPort !== '-') {
      put(ctx, 'destination.port', Number(ed.DestPort));
      delete ed.DestPort;
    }
    if (ed.SourcePort != null && ed.SourcePort !== '-') {
      put(ctx, 'source.port', Number(ed.SourcePort));
      delete ed.SourcePort;
    }
    if (ed.Protocol != null && ed.Protocol !== '-') put(ctx, 'network.iana_number', ed.Protocol);
    if (ed.Application != null && ed.Application !== '-') {
      put(ctx, 'process.executable', ed.Application);
      delete ed.Application;
    }
    if (ctx.process?.executable) ctx.process.name = ctx.process.executable.split('\\').at(-1);
    if (ctx.related.ip.length === 0) delete ctx.related;
  }
  const described = (v) => DESCRIPTIONS[v?.replace('%%', '').trim()];
  if (ed.Direction != null && described(ed.Direction)) ed.DirectionDescription = described(ed.Direction);
  if (ed.LayerName != null && described(ed.LayerName)) ed.LayerNameDescription = described(ed.LayerName);
  if (ed.RemoteMachineID != null && SIDS[ed.RemoteMachineID]) ed.RemoteMachineDescription = SIDS[ed.RemoteMachineID];
  if (ed.RemoteUserID != null && SIDS[ed.RemoteUserID]) ed.RemoteUserDescription = SIDS[ed.RemoteUserID];
  if (ctx.network?.iana_number != null && TRANSPORT[ctx.network.iana_number]) ctx.network.transport = TRANSPORT[ctx.network.iana_number];
  if (ed.DirectionDescription) {
    put(ctx, 'network.direction', ed.DirectionDescription.toLowerCase());
    delete ed.DirectionDescription;
  }
  // Elasticsearch's community_id processor: source/destination ip, ports for TCP, UDP and SCTP;
  // ICMP needs icmp.type/code, which nothing sets (it fails, ignore_failure: no ID).
  const proto = Number(ctx.network?.iana_number);
  if (ctx.source?.ip && ctx.destination?.ip && ctx.network?.iana_number && proto !== 1 && proto !== 58) {
    const id = communityId({
      protocol: proto,
      sourceAddress: ctx.source.ip,
      destinationAddress: ctx.destination.ip,
      sourcePort: ctx.source.port,
      destinationPort: ctx.destination.port,
    });
    if (id) ctx.network.community_id = id;
  }
  // security_common
  if (ctx.source?.ip) {
    ctx.source.ip = ctx.source.ip.replace(/^\[?::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(?:\](?::[0-9]+)?)?$/, '$1');
    const related = ((ctx.related ??= {}).ip ??= []);
    if (ctx.source.ip !== '-' && !related.includes(ctx.source.ip)) related.push(ctx.source.ip);
  }
  ctx.winlog.record_id = String(ctx.winlog.record_id);
  if (Object.keys(ed).length === 0) delete ctx.winlog.event_data;
  ctx.ecs = { version: '8.11.0' };
  // The integration's agent stream config.
  ctx.event.module = 'system';
  ctx.event.dataset = 'system.security';
  return ctx;
}
