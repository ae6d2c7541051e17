import { isIP } from 'node:net';
import { eventInfo } from './catalog';
import type { BlockEvent, Endpoint } from './types';

/**
 * An Elastic Common Schema document for a BlockEvent, shaped as Elastic's Windows Security
 * integration (Winlogbeat's security module, `winlogbeat-security.js`, and the System integration's
 * `security` data stream) shapes these event IDs, so that its dashboards and rules apply unchanged:
 *
 * - `event.module`/`event.dataset` are `system`/`system.security`, as the System integration sets them
 *   for the Security log; `event.code` is the event ID as a string; `event.provider` the provider; `event.action` the task
 *   name ("Filtering Platform Connection" / "Filtering Platform Packet Drop"), as Winlogbeat sets it for
 *   event IDs without a mapping of their own; `event.outcome` is `success`/`failure` from the Audit
 *   Success/Failure keyword; `winlog.*` carries the record as Winlogbeat does (`event_id` and
 *   `record_id` as strings, `event_data` with every EventData field by name, `keywords`, `task`).
 * - The network, endpoint, process and rule fields follow the ECS field reference (ECS 8.x):
 *   `network.direction` is `ingress`/`egress` (ECS: from a host's point of view), `network.transport`
 *   the IANA keyword and `network.iana_number` the number as a string; `source` is the side that sent
 *   the first packet, as the log records it; `process.executable` the path as logged; `rule.id` the
 *   WFP filter's run-time ID, and `rule.uuid`/`rule.name` the FilterOrigin (a firewall rule ID, or a
 *   default filter's name); `rule.category` what decided it (`decidedBy`) and `rule.ruleset` "Windows
 *   Defender Firewall" when that is a firewall rule or default filter; `event.reason` says the same in a
 *   sentence (ECS: "the reason why this event happened, according to the source"), with the last change
 *   of that rule or filter when the watcher read one.
 */
export interface EcsDocument {
  '@timestamp': string;
  message: string;
  ecs: { version: string };
  event: {
    kind: 'event';
    category: ['network'];
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
  network?: { direction?: string; transport?: string; iana_number?: string; type?: 'ipv4' | 'ipv6' };
  source?: EcsEndpoint;
  destination?: EcsEndpoint;
  process?: { pid?: number; executable?: string; name?: string };
  rule?: { id?: string; uuid?: string; name?: string; category?: string; ruleset?: string };
  winlog: {
    channel: 'Security';
    computer_name: string;
    event_id: string;
    record_id: string;
    provider_name: string;
    provider_guid: string;
    version: number;
    task: string;
    keywords: string[];
    outcome: 'success' | 'failure';
    event_data: Record<string, string>;
  };
}

export interface EcsEndpoint {
  address: string;
  ip?: string;
  port?: number;
}

const ECS_VERSION = '8.11.0';
const PROVIDER = 'Microsoft-Windows-Security-Auditing';
const PROVIDER_GUID = '{54849625-5478-4994-A5BA-3E3B0328C30D}';

/** The event's title as Windows gives it. */
export const eventTitle = (eventId: number): string => eventInfo(eventId)?.title ?? `Windows Filtering Platform event ${eventId}.`;

export const taskName = (e: BlockEvent): string =>
  e.kind === 'packet' ? 'Filtering Platform Packet Drop' : 'Filtering Platform Connection';

/** Audit Success or Audit Failure, as the catalogue says Windows logs the event. */
export const auditOutcome = (e: BlockEvent): 'success' | 'failure' => eventInfo(e.eventId)?.outcome ?? 'failure';

/** The file name of a Windows path (`\device\harddiskvolume2\...\nc.exe` -> `nc.exe`). */
export const windowsBaseName = (path: string): string => path.slice(path.lastIndexOf('\\') + 1);

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** ICMP and ICMPv6 have no ports: WFP logs the ICMP type and code in the port fields (kept in winlog.event_data). */
export const hasPorts = (e: BlockEvent): boolean => e.protocol !== 1 && e.protocol !== 58;

const DEFAULT_FILTER_NAMES: Partial<Record<BlockEvent['decidedBy'], string>> = {
  'appcontainer-loopback': 'AppContainer loopback',
  'boot-time-default': 'boot time default',
  'quarantine-default': 'quarantine default',
  'query-user-default': 'query user default',
  stealth: 'stealth',
  'uwp-default': 'UWP default',
  'wsh-default': 'Windows Service Hardening default',
};

/** What decided the event, in a sentence, with the last change of that rule or filter when known. */
export function decisionReason(e: BlockEvent): string {
  const verb = e.action === 'block' ? 'blocked' : 'permitted';
  const filter = DEFAULT_FILTER_NAMES[e.decidedBy];
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

function endpoint(e: Endpoint | null, withPort: boolean): EcsEndpoint | undefined {
  if (!e) return undefined;
  const out: EcsEndpoint = { address: e.address };
  if (isIP(e.address)) out.ip = e.address;
  if (withPort && e.port !== null) out.port = e.port;
  return out;
}

export function toEcs(e: BlockEvent): EcsDocument {
  const outcome = auditOutcome(e);
  const doc: EcsDocument = {
    '@timestamp': e.time.toISOString(),
    message: eventTitle(e.eventId),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event',
      category: ['network'],
      type: e.kind === 'listen' || e.kind === 'bind' ? [e.action === 'block' ? 'denied' : 'allowed'] : ['connection', e.action === 'block' ? 'denied' : 'allowed'],
      code: String(e.eventId),
      provider: PROVIDER,
      action: taskName(e),
      outcome,
      module: 'system',
      dataset: 'system.security',
      reason: decisionReason(e),
    },
    host: { name: e.computer },
    winlog: {
      channel: 'Security',
      computer_name: e.computer,
      event_id: String(e.eventId),
      record_id: String(e.recordId),
      provider_name: PROVIDER,
      provider_guid: PROVIDER_GUID,
      version: e.version,
      task: taskName(e),
      keywords: [outcome === 'success' ? 'Audit Success' : 'Audit Failure'],
      outcome,
      event_data: e.data,
    },
  };
  const network: NonNullable<EcsDocument['network']> = {};
  if (e.direction === 'inbound') network.direction = 'ingress';
  else if (e.direction === 'outbound') network.direction = 'egress';
  else if (e.direction) network.direction = 'unknown';
  if (e.protocolName) network.transport = e.protocolName;
  if (e.protocol !== null) network.iana_number = String(e.protocol);
  const family = isIP(e.source?.address ?? e.destination?.address ?? '');
  if (family) network.type = family === 6 ? 'ipv6' : 'ipv4';
  if (Object.keys(network).length) doc.network = network;
  const source = endpoint(e.source, hasPorts(e));
  const destination = endpoint(e.destination, hasPorts(e));
  if (source) doc.source = source;
  if (destination) doc.destination = destination;
  if (e.pid !== null || e.application !== null) {
    doc.process = {};
    if (e.pid !== null) doc.process.pid = e.pid;
    if (e.application !== null) {
      doc.process.executable = e.application;
      doc.process.name = windowsBaseName(e.application);
    }
  }
  if (e.filterId !== null || e.filterOrigin || e.decidedBy !== 'unknown') {
    doc.rule = {};
    if (e.filterId !== null) doc.rule.id = String(e.filterId);
    if (e.filterOrigin && GUID.test(e.filterOrigin)) doc.rule.uuid = e.filterOrigin;
    else if (e.filterOrigin) doc.rule.name = e.filterOrigin;
    if (e.decidedBy !== 'unknown') doc.rule.category = e.decidedBy;
    if (e.decidedBy !== 'unknown' && e.decidedBy !== 'other-provider') doc.rule.ruleset = 'Windows Defender Firewall';
  }
  return doc;
}
