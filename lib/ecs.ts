import { isIP } from 'node:net';
import { communityId } from './community-id';
import { DECIDED_BY_FILTER_NAMES, eventInfo } from './catalog';
import type { BlockEvent, Endpoint } from './types';
import {
  AUDIT_FAILURE,
  AUDIT_SUCCESS,
  KEYWORDS,
  LEVELS,
  MESSAGES,
  OPCODES,
  TASKS,
  TRANSPORT_NAMES,
  WELL_KNOWN_SIDS,
} from './windows-names';

/**
 * An Elastic Common Schema document for a BlockEvent, equal to what Elastic's Windows Security
 * integration writes for the same record: the Elastic Agent's winlog input (Winlogbeat's
 * `Record.ToEvent`) followed by the System integration's `security` pipeline
 * (`system_security_default` → `security_standard` → `security_common`). Step by step:
 *
 * - The input: `event.kind`/`code`/`provider`, `event.action` (the task name), `event.outcome`
 *   (the Audit Success/Failure keyword), `log.level` (the level's name, lower-case), `host.name`,
 *   and `winlog.*`: `channel`, `computer_name`, `event_id`, `record_id`, `provider_name`,
 *   `provider_guid` (the record's), `version` (absent when 0), `task`, `keywords`, `opcode`,
 *   `activity_id`, `process.pid`/`thread.id` (the writer's), `api`, `event_data`.
 * - The pipeline: empty values (`-`, empty, the null GUID) leave `event_data`; for 5152, 5156, 5157
 *   and 5158 `event.category`/`type`/`action` from its table (`windows-firewall-packet-drop`,
 *   `-connection`, `-packet-block`, `-bind-local-port`), and the addresses, ports and application
 *   move out of `event_data` to `source.*`, `destination.*`, `related.ip`, `process.executable`/
 *   `name`, with `network.iana_number` and `network.transport`; for every record `DirectionDescription`
 *   becomes `network.direction` (lower-case: `inbound`, `outbound`), `LayerNameDescription`,
 *   `RemoteUserDescription` and `RemoteMachineDescription` are added, `network.community_id` is
 *   computed, `source.ip` loses an IPv4-mapped prefix (`::ffff:10.0.0.1` → `10.0.0.1`) and is
 *   added to `related.ip`, and `ecs.version` is 8.11.0.
 *
 * Kept from this library where the integration has nothing: `event.action` for a record whose Task
 * number names no WFP subcategory (the subcategory of its kind), `message` (the event's title; the
 * agent renders the full message text, which needs the publisher's DLLs), `event.category` and
 * `event.type` for the other event IDs, `source`/`destination`/`process`/`network` for the event
 * IDs its pipeline does not map, `source.address`/`destination.address`, `network.type`,
 * `process.pid` (the blocked process; the integration leaves `ProcessID` in `event_data`),
 * `rule.*`, `winlog.time_created`, and the enrichment of live events. Left out: what the agent and
 * Fleet add about themselves (`agent.*`, `data_stream.*`, `event.created`, `event.ingested`,
 * `input.type`), and GeoIP (`source.geo`, `source.as`), which needs Elasticsearch's databases.
 * - What decided the event (this library's): `rule.category` is `decidedBy`, `rule.ruleset` "Windows
 *   Defender Firewall" for a firewall rule or default filter (or the WFP provider's name), and
 *   `event.reason` says it in a sentence, with the last change of that rule or filter when the watcher
 *   read one.
 */
export interface EcsDocument {
  '@timestamp': string;
  message: string;
  ecs: { version: string };
  event: {
    kind: 'event';
    category: string[];
    type: string[];
    code: string;
    provider: string;
    action: string;
    outcome: 'success' | 'failure';
    module: 'system';
    dataset: 'system.security';
    reason?: string;
  };
  host: { name: string };
  log?: { level: string };
  network?: {
    direction?: string;
    transport?: string;
    iana_number?: string;
    type?: 'ipv4' | 'ipv6';
    community_id?: string;
  };
  source?: EcsEndpoint;
  destination?: EcsEndpoint;
  related?: { ip: string[] };
  process?: { pid?: number; executable?: string; name?: string };
  rule?: { id?: string; uuid?: string; name?: string; description?: string; category?: string; ruleset?: string };
  winlog: {
    channel: string;
    computer_name: string;
    event_id: string;
    record_id: string;
    provider_name: string;
    provider_guid?: string;
    version?: number;
    /** The record's Task by name; absent for a Task number that is none of the WFP subcategories'. */
    task?: string;
    keywords?: string[];
    opcode?: string;
    activity_id?: string;
    process?: { pid?: number; thread?: { id: number } };
    user?: { identifier: string };
    api: 'wineventlog';
    time_created: string;
    event_data?: Record<string, string>;
  };
}

export interface EcsEndpoint {
  address: string;
  ip?: string;
  port?: number;
}

const ECS_VERSION = '8.11.0';
const PROVIDER = 'Microsoft-Windows-Security-Auditing';

/** What the integration's table says for the event IDs it maps. */
const MAPPED: Readonly<Record<number, { action: string; category: string[]; type: string[] }>> = {
  5152: { action: 'windows-firewall-packet-drop', category: ['network'], type: ['connection', 'info', 'denied'] },
  5156: { action: 'windows-firewall-connection', category: ['network'], type: ['connection', 'info', 'allowed'] },
  5157: { action: 'windows-firewall-packet-block', category: ['network'], type: ['connection', 'info', 'denied'] },
  5158: { action: 'windows-firewall-bind-local-port', category: ['network'], type: ['info'] },
};

// The values the pipeline drops from event_data before anything else.
const EMPTY = new Set(['', '-', '{00000000-0000-0000-0000-000000000000}']);
// What its connection step moves out of event_data for the mapped IDs.
const MOVED = new Set(['DestAddress', 'SourceAddress', 'DestPort', 'SourcePort', 'Application']);

/** The event's title as Windows gives it. */
export const eventTitle = (eventId: number): string => eventInfo(eventId)?.title ?? `Windows Filtering Platform event ${eventId}.`;

/** The name of the record's Task, when it is one of the WFP subcategories' (what the agent renders). */
export const recordTask = (e: BlockEvent): string | undefined => (e.system?.task != null ? TASKS[e.system.task] : undefined);

/** The task's name: the record's where known, else the subcategory the event's kind belongs to. */
export const taskName = (e: BlockEvent): string =>
  recordTask(e) ?? (e.kind === 'packet' || e.kind === 'mac' ? 'Filtering Platform Packet Drop' : 'Filtering Platform Connection');

function keywordBits(e: BlockEvent): bigint | null {
  const k = e.system?.keywords;
  if (!k) return null;
  try {
    return BigInt(k);
  } catch {
    return null;
  }
}

/** Audit Success or Audit Failure: from the record's keywords, else as the catalogue says Windows logs it. */
export function auditOutcome(e: BlockEvent): 'success' | 'failure' {
  const bits = keywordBits(e);
  if (bits !== null && bits & AUDIT_FAILURE) return 'failure';
  if (bits !== null && bits & AUDIT_SUCCESS) return 'success';
  return eventInfo(e.eventId)?.outcome ?? 'failure';
}

/** The file name of a Windows path (`\device\harddiskvolume2\...\nc.exe` -> `nc.exe`). */
export const windowsBaseName = (path: string): string => path.slice(path.lastIndexOf('\\') + 1);

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const IPV4_MAPPED = /^\[?::ffff:(\d+\.\d+\.\d+\.\d+)(?:\](?::\d+)?)?$/i;
const isAddress = (a: string) => isIP(a.includes('%') ? a.slice(0, a.indexOf('%')) : a) !== 0;

/** ICMP and ICMPv6 log their type and code in the port fields. */
export const hasPorts = (e: BlockEvent): boolean => e.protocol !== 1 && e.protocol !== 58;

/** What decided the event, in a sentence, with the last change of that rule or filter when known. */
export function decisionReason(e: BlockEvent): string {
  const verb = e.action === 'block' ? 'blocked' : 'permitted';
  const filter = DECIDED_BY_FILTER_NAMES[e.decidedBy];
  let reason: string;
  if (e.decidedBy === 'rule') reason = `${verb} by firewall rule ${e.ruleId}`;
  else if (filter) reason = `${verb} by the firewall's ${filter} filter`;
  else if (e.filterId !== null) reason = `${verb} by WFP filter ${e.filterId}`;
  else reason = `${verb} by the Windows Filtering Platform`;
  const c = e.lastChange;
  if (c) {
    const who = [c.user.name ?? c.user.sid, c.application].filter((x) => x !== null).join(' via ');
    reason += `; last change: ${c.change}${c.name ? ` (${c.name})` : ''} at ${c.time.toISOString()}${who ? ` by ${who}` : ''}`;
  }
  return reason;
}

/** TimeCreated/@SystemTime as Go's RFC3339Nano writes it (the agent's form): trailing zeros of the fraction dropped. */
export function rfc3339Nano(systemTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(systemTime.trim());
  if (!m) return systemTime;
  const fraction = (m[3] ?? '').slice(0, 9).replace(/0+$/, '');
  return `${m[1]}T${m[2]}${fraction ? `.${fraction}` : ''}Z`;
}

const message = (value: string | undefined): string | undefined => {
  const m = value === undefined ? null : /^%%(\d+)$/.exec(value.trim());
  return m ? MESSAGES[Number(m[1])] : undefined;
};

function endpoint(e: Endpoint, ip: string | undefined): EcsEndpoint {
  const out: EcsEndpoint = { address: e.address };
  if (ip !== undefined) out.ip = ip;
  if (e.port !== null) out.port = e.port;
  return out;
}

export function toEcs(e: BlockEvent): EcsDocument {
  const mapped = MAPPED[e.eventId];
  const system = e.system;
  const task = recordTask(e);
  const outcome = auditOutcome(e);
  const allow = e.action === 'allow';

  const eventData: Record<string, string> = {};
  let anyData = false;
  for (const key in e.data) {
    const value = e.data[key];
    if (EMPTY.has(value) || (mapped && MOVED.has(key))) continue;
    // '__proto__' stays a field, as in `data` (an assignment would set the prototype instead).
    if (key === '__proto__') Object.defineProperty(eventData, key, { value, enumerable: true, writable: true, configurable: true });
    else eventData[key] = value;
    anyData = true;
  }
  const layer = message(e.data.LayerName);
  if (layer) eventData.LayerNameDescription = layer;
  for (const [id, description] of [
    ['RemoteUserID', 'RemoteUserDescription'],
    ['RemoteMachineID', 'RemoteMachineDescription'],
  ] as const) {
    const name = e.data[id] === undefined ? undefined : WELL_KNOWN_SIDS[e.data[id]];
    if (name) eventData[description] = name;
  }
  anyData ||= layer !== undefined;

  const winlog: EcsDocument['winlog'] = {
    channel: system?.channel ?? 'Security',
    computer_name: e.computer,
    event_id: String(e.eventId),
    record_id: String(e.recordId),
    provider_name: system?.provider ?? PROVIDER,
    api: 'wineventlog',
    time_created: rfc3339Nano(system?.timeCreated ?? e.time.toISOString()),
  };
  if (task) winlog.task = task;
  if (system?.providerGuid) winlog.provider_guid = system.providerGuid;
  if (e.version) winlog.version = e.version;
  const bits = keywordBits(e);
  if (bits !== null) {
    const names = KEYWORDS.filter(([bit]) => bits & bit).map(([, name]) => name);
    if (names.length) winlog.keywords = names;
  }
  if (system?.opcode != null && OPCODES[system.opcode]) winlog.opcode = OPCODES[system.opcode];
  if (system?.activityId) winlog.activity_id = system.activityId;
  if (system?.processId || system?.threadId) {
    winlog.process = {};
    if (system.processId) winlog.process.pid = system.processId;
    if (system.threadId) winlog.process.thread = { id: system.threadId };
  }
  if (system?.userId) winlog.user = { identifier: system.userId };
  if (anyData) winlog.event_data = eventData;

  const doc: EcsDocument = {
    '@timestamp': e.time.toISOString(),
    message: eventTitle(e.eventId),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event',
      category: mapped ? [...mapped.category] : ['network'],
      type: mapped
        ? [...mapped.type]
        : e.kind === 'connection' || e.kind === 'packet'
          ? ['connection', 'info', allow ? 'allowed' : 'denied']
          : ['info', allow ? 'allowed' : 'denied'],
      code: String(e.eventId),
      provider: system?.provider ?? PROVIDER,
      action: mapped?.action ?? task ?? taskName(e),
      outcome,
      module: 'system',
      dataset: 'system.security',
      reason: decisionReason(e),
    },
    host: { name: e.computer },
    winlog,
  };
  const level = system?.level != null ? LEVELS[system.level] : undefined;
  if (level) doc.log = { level: level.toLowerCase() };

  const network: NonNullable<EcsDocument['network']> = {};
  // Records from no event log (the firewall log, net events) have no Direction or Protocol data to
  // read them from as the integration does: their typed fields say the same.
  const fromLog = system?.channel != null;
  const direction = fromLog ? message(e.data.Direction) : e.direction;
  if (direction) network.direction = direction.toLowerCase();
  const protocol = fromLog ? e.data.Protocol : e.protocol === null ? undefined : String(e.protocol);
  if (protocol !== undefined && !EMPTY.has(protocol)) {
    network.iana_number = protocol;
    const transport = TRANSPORT_NAMES[protocol];
    if (transport) network.transport = transport;
  }
  const sourceIp = e.source && isAddress(e.source.address) ? e.source.address : undefined;
  const destinationIp = e.destination && isAddress(e.destination.address) ? e.destination.address : undefined;
  const family = sourceIp ?? destinationIp;
  if (family) network.type = family.includes(':') && !IPV4_MAPPED.test(family) ? 'ipv6' : 'ipv4';
  if (sourceIp && destinationIp && e.protocol !== null) {
    // As Elasticsearch's community_id processor computes it: on the addresses as logged, ports for
    // TCP, UDP and SCTP; ICMP needs icmp.type and icmp.code, which the integration does not set.
    const icmp = e.protocol === 1 || e.protocol === 58;
    const id = icmp
      ? undefined
      : communityId({
          protocol: e.protocol,
          sourceAddress: sourceIp,
          destinationAddress: destinationIp,
          sourcePort: e.source?.port ?? undefined,
          destinationPort: e.destination?.port ?? undefined,
        });
    if (id) network.community_id = id;
  }
  if (Object.keys(network).length) doc.network = network;

  const related: string[] = [];
  const relate = (ip: string | undefined) => {
    if (ip !== undefined && ip !== '-' && !related.includes(ip)) related.push(ip);
  };
  if (e.source) doc.source = endpoint(e.source, sourceIp?.replace(IPV4_MAPPED, '$1'));
  if (e.destination) doc.destination = endpoint(e.destination, destinationIp);
  relate(destinationIp);
  relate(sourceIp);
  relate(doc.source?.ip);
  if (related.length) doc.related = { ip: related };

  if (e.pid !== null || e.application !== null) {
    doc.process = {};
    if (e.pid !== null) doc.process.pid = e.pid;
    if (e.application !== null) {
      doc.process.executable = e.application;
      doc.process.name = windowsBaseName(e.application);
    }
  }
  if (e.filterId !== null || e.filterOrigin || e.filter || e.decidedBy !== 'unknown') {
    doc.rule = {};
    if (e.filterId !== null) doc.rule.id = String(e.filterId);
    if (e.filterOrigin && GUID.test(e.filterOrigin)) doc.rule.uuid = e.filterOrigin;
    const name = e.ruleName ?? e.filter?.name ?? (e.filterOrigin && !GUID.test(e.filterOrigin) ? e.filterOrigin : undefined);
    if (name) doc.rule.name = name;
    if (e.filter?.description) doc.rule.description = e.filter.description;
    if (e.decidedBy !== 'unknown') doc.rule.category = e.decidedBy;
    const firewall = e.decidedBy !== 'unknown' && e.decidedBy !== 'other-provider';
    const ruleset = e.filter?.provider ?? (firewall ? 'Windows Defender Firewall' : undefined);
    if (ruleset) doc.rule.ruleset = ruleset;
  }
  return doc;
}
