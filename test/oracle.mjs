// An independent reading of the BlockEvent contract, in plain JavaScript: fast-xml-parser reads the
// XML, and the mapping below is written from the README's contract and the fixtures' README, not from
// the native code. The tests check the native pipeline against it, and `npm run bench` uses it as the
// pipeline a user would write without this library.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'Data',
});

const KIND = {
  5031: 'accept',
  5150: 'mac',
  5151: 'mac',
  5152: 'packet',
  5153: 'packet',
  5154: 'listen',
  5155: 'listen',
  5156: 'connection',
  5157: 'connection',
  5158: 'bind',
  5159: 'bind',
};
const ALLOWED = new Set([5154, 5156, 5158]);
const DIRECTION = {
  '%%14592': 'inbound',
  '%%14593': 'outbound',
  '%%14594': 'forward',
  '%%14595': 'bidirectional',
};
const LAYER = {
  '%%14597': 'Transport',
  '%%14601': 'ICMP Error',
  '%%14608': 'Resource Assignment',
  '%%14609': 'Listen',
  '%%14610': 'Receive/Accept',
  '%%14611': 'Connect',
};
const PROTOCOL = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' };

// The README's decidedBy table: FilterOrigin names of the firewall's default filters (any case and
// spacing), a rule ID (a GUID, one token, or a query-user rule), else unknown.
const DEFAULT_FILTERS = {
  'appcontainer loopback': 'appcontainer-loopback',
  'boot time default': 'boot-time-default',
  'quarantine default': 'quarantine-default',
  'query user default': 'query-user-default',
  stealth: 'stealth',
  'uwp default': 'uwp-default',
  'universal windows platform default': 'uwp-default',
  'universal windows platform (uwp) default': 'uwp-default',
  'wsh default': 'wsh-default',
  'windows service hardening default': 'wsh-default',
  'windows service hardening (wsh) default': 'wsh-default',
};

export function decisionFor(filterOrigin) {
  if (filterOrigin === undefined) return { decidedBy: 'unknown', ruleId: null };
  const origin = filterOrigin.trim();
  const words = origin.toLowerCase().split(/\s+/).join(' ');
  if (DEFAULT_FILTERS[words]) return { decidedBy: DEFAULT_FILTERS[words], ruleId: null };
  if (origin === '' || origin === '-' || words === 'unknown') return { decidedBy: 'unknown', ruleId: null };
  const guid = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(origin);
  if (guid || /^(TCP|UDP) Query User\{/i.test(origin) || !/\s/.test(origin)) return { decidedBy: 'rule', ruleId: origin };
  return { decidedBy: 'unknown', ruleId: null };
}

function toMs(systemTime) {
  // 2016-06-29T15:24:34.346000000Z or 2021-12-06 07:35:44.3515332 (UTC without a zone)
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/.exec(systemTime);
  if (!m) throw new Error(`unexpected SystemTime ${systemTime}`);
  return Date.parse(`${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`);
}

// System values as written; an absent or empty one is null.
const text = (v) => (typeof v === 'string' && v !== '' ? v : null);
const number = (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : null);
// Which endpoint is the computer's own (README, "local and remote"): its listens, binds, outbound
// connections and packet drops show its addresses (unicast ones: not 0.0.0.0/::, multicast or .255);
// where exactly one endpoint of a later connection is one of them, that one is local.
const isGroupOrUnspecified = (address) =>
  /^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0)$/.test(address) || /^(22[4-9]|23\d)\./.test(address) || /\.255$/.test(address) || /^ff/i.test(address);
const canonical = (address) => {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return v4 ? v4[1] : address.toLowerCase().replace(/%.*$/, '');
};

/** What each computer's records have shown of its own addresses so far: one per file read in order. */
export function learnedAddresses() {
  return new Map();
}

/** @returns {{ eventId: number, expected: object | null }} expected is null for other event IDs */
export function expectedFor(xml, learned = learnedAddresses()) {
  const event = parser.parse(xml).Event;
  const system = event.System;
  const eventId = Number(system.EventID);
  const kind = KIND[eventId];
  if (!kind) return { eventId, expected: null };
  const data = {};
  for (const d of event.EventData?.Data ?? []) data[d['@Name']] = d['#text'] ?? '';
  const endpoint = (address, port) =>
    data[address] === undefined ? null : { address: data[address], port: data[port] === undefined ? null : Number(data[port]) };
  const source = endpoint('SourceAddress', 'SourcePort');
  const destination = endpoint('DestAddress', 'DestPort');
  const direction = data.Direction === undefined ? null : DIRECTION[data.Direction];
  let local = null;
  let remote = null;
  if (kind === 'listen' || kind === 'bind') local = source;
  else if (direction === 'inbound') [remote, local] = [source, destination];
  else if (direction === 'outbound') [local, remote] = [source, destination];
  let sidesBy = local || remote ? (kind === 'listen' || kind === 'bind' ? 'kind' : 'direction') : null;
  const own = learned.get(system.Computer) ?? new Set();
  const hostAddress = (e) => (e && !isGroupOrUnspecified(e.address) && /[.:]/.test(e.address) ? canonical(e.address) : null);
  const showsOwn =
    kind === 'listen' ||
    kind === 'bind' ||
    (kind === 'connection' && direction === 'outbound') ||
    (kind === 'packet' && (direction === 'inbound' || direction === 'outbound'));
  if (showsOwn) {
    const address = hostAddress(local);
    if (address) learned.set(system.Computer, own.add(address));
  } else if (kind === 'connection' || kind === 'packet') {
    const [s, d] = [hostAddress(source), hostAddress(destination)];
    if (s && d && own.has(s) !== own.has(d)) {
      [local, remote] = own.has(s) ? [source, destination] : [destination, source];
      sidesBy = 'learned';
    }
  }
  const pid = data.ProcessID ?? data.ProcessId;
  const protocol = data.Protocol === undefined ? null : Number(data.Protocol);
  return {
    eventId,
    expected: {
      eventId,
      recordId: Number(system.EventRecordID),
      time: new Date(toMs(system.TimeCreated['@SystemTime'])),
      computer: system.Computer,
      version: Number(system.Version),
      action: ALLOWED.has(eventId) ? 'allow' : 'block',
      kind,
      direction,
      protocol,
      protocolName: protocol === null ? null : PROTOCOL[protocol],
      pid: pid === undefined ? null : Number(pid),
      application: data.Application === undefined || data.Application === '-' ? null : data.Application,
      source,
      destination,
      local,
      remote,
      sidesBy,
      filterId: data.FilterRTID === undefined ? null : Number(data.FilterRTID),
      filterOrigin: data.FilterOrigin ?? null,
      layerId: data.LayerRTID === undefined ? null : Number(data.LayerRTID),
      layerName: data.LayerName === undefined ? null : (LAYER[data.LayerName] ?? data.LayerName),
      interfaceIndex: data.InterfaceIndex === undefined ? null : Number(data.InterfaceIndex),
      ...decisionFor(data.FilterOrigin),
      data,
      system: {
        provider: text(system.Provider?.['@Name']),
        providerGuid: text(system.Provider?.['@Guid']),
        channel: text(system.Channel),
        level: number(system.Level),
        task: number(system.Task),
        opcode: number(system.Opcode),
        keywords: text(system.Keywords),
        activityId: text(system.Correlation?.['@ActivityID']),
        userId: text(system.Security?.['@UserID']),
        processId: number(system.Execution?.['@ProcessID']),
        threadId: number(system.Execution?.['@ThreadID']),
        timeCreated: system.TimeCreated['@SystemTime'],
      },
    },
  };
}

export function expectedForFile(file) {
  const learned = learnedAddresses();
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => expectedFor(line, learned));
}
