import { isIP } from 'node:net';
import { auditOutcome, eventTitle, hasPorts, taskName, windowsBaseName } from './ecs';
import type { BlockEvent } from './types';

type AttributeValue = string | number | boolean;

/**
 * An OpenTelemetry log record for a BlockEvent, in the shape the logs API's `logger.emit()` takes.
 * Attribute names follow the semantic conventions where one exists: `network.transport`,
 * `network.type`, `network.local.*`/`network.peer.*` (this host's side and the other side),
 * `source.*`/`destination.*` (as logged: the sender of the first packet), `process.pid`,
 * `process.executable.path`/`.name`, `host.name`. Everything WFP-specific is under `wfp.*`, and the
 * raw record under `windows.event_data.*`.
 */
export interface OtelLogRecord {
  timestamp: number; // milliseconds since the epoch, as the JS API takes it
  severityNumber: number;
  severityText: 'WARN' | 'INFO';
  eventName: 'wfp.block' | 'wfp.allow';
  body: string;
  attributes: Record<string, AttributeValue>;
}

// SeverityNumber: WARN = 13, INFO = 9 (OpenTelemetry log data model).
const WARN = 13;
const INFO = 9;

// The semantic conventions' values for network.transport that WFP can log; ICMP and the others are
// network-layer protocols and only appear as wfp.protocol.
const TRANSPORTS = new Set(['tcp', 'udp']);

export function toOtelLogRecord(e: BlockEvent): OtelLogRecord {
  const a: Record<string, AttributeValue> = {};
  const set = (key: string, value: AttributeValue | null | undefined) => {
    if (value !== null && value !== undefined) a[key] = value;
  };
  set('host.name', e.computer);
  if (e.protocolName && TRANSPORTS.has(e.protocolName)) set('network.transport', e.protocolName);
  const family = isIP(e.source?.address ?? e.destination?.address ?? '');
  if (family) set('network.type', family === 6 ? 'ipv6' : 'ipv4');
  const ports = hasPorts(e);
  set('network.local.address', e.local?.address);
  set('network.peer.address', e.remote?.address);
  set('source.address', e.source?.address);
  set('destination.address', e.destination?.address);
  if (ports) {
    set('network.local.port', e.local?.port);
    set('network.peer.port', e.remote?.port);
    set('source.port', e.source?.port);
    set('destination.port', e.destination?.port);
  }
  set('process.pid', e.pid);
  if (e.application !== null) {
    set('process.executable.path', e.application);
    set('process.executable.name', windowsBaseName(e.application));
  }
  set('wfp.event_id', e.eventId);
  set('wfp.record_id', e.recordId);
  set('wfp.action', e.action);
  set('wfp.kind', e.kind);
  set('wfp.direction', e.direction);
  set('wfp.protocol', e.protocol);
  set('wfp.protocol.name', e.protocolName);
  set('wfp.filter.id', e.filterId);
  set('wfp.filter.origin', e.filterOrigin);
  set('wfp.layer.id', e.layerId);
  set('wfp.layer.name', e.layerName);
  set('wfp.interface.index', e.interfaceIndex);
  set('wfp.decided_by', e.decidedBy);
  set('wfp.rule.id', e.ruleId);
  const c = e.lastChange;
  if (c) {
    set('wfp.last_change.kind', c.change);
    set('wfp.last_change.time', c.time.toISOString());
    set('wfp.last_change.event_id', c.eventId);
    set('wfp.last_change.record_id', c.recordId);
    set('wfp.last_change.name', c.name);
    set('wfp.last_change.user.id', c.user.sid);
    set('wfp.last_change.user.name', c.user.name);
    set('wfp.last_change.application', c.application);
  }
  set('windows.event.task', taskName(e));
  set('windows.event.outcome', auditOutcome(e));
  for (const [key, value] of Object.entries(e.data)) a[`windows.event_data.${key}`] = value;
  const block = e.action === 'block';
  return {
    timestamp: e.time.getTime(),
    severityNumber: block ? WARN : INFO,
    severityText: block ? 'WARN' : 'INFO',
    eventName: block ? 'wfp.block' : 'wfp.allow',
    body: eventTitle(e.eventId),
    attributes: a,
  };
}

/** An OTLP/JSON AnyValue as this library writes them. */
export type OtlpValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
/** One OTLP/JSON `ExportLogsServiceRequest` (opentelemetry-proto `logs/v1`), as toOtlpJson() writes it. */
export interface OtlpLogsRequest {
  resourceLogs: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeLogs: Array<{
      scope: { name: string; version: string };
      logRecords: Array<{
        timeUnixNano: string;
        observedTimeUnixNano: string;
        severityNumber: number;
        severityText: string;
        eventName: string;
        body: { stringValue: string };
        attributes: OtlpKeyValue[];
      }>;
    }>;
  }>;
}

export interface OtlpOptions {
  /** The resource's `service.name`. Default: `wfp-blocks`. */
  serviceName?: string;
  /** The instrumentation scope. Default: `wfp-blocks` at this package's version. */
  scope?: { name: string; version: string };
}

function otlpValue(v: AttributeValue): OtlpValue {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}

/** This package's version (the instrumentation scope's). */
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

/**
 * One OTLP/JSON `ExportLogsServiceRequest` for a record: what the OpenTelemetry Collector's
 * `otlpjsonfile` receiver reads, one per line. The resource carries `service.name` and `host.name`.
 */
export function toOtlpJson(record: OtelLogRecord, options: OtlpOptions = {}): OtlpLogsRequest {
  const nanos = `${BigInt(record.timestamp) * 1_000_000n}`;
  const { 'host.name': host, ...rest } = record.attributes;
  const resource: OtlpKeyValue[] = [{ key: 'service.name', value: { stringValue: options.serviceName ?? 'wfp-blocks' } }];
  if (host !== undefined) resource.push({ key: 'host.name', value: otlpValue(host) });
  return {
    resourceLogs: [
      {
        resource: { attributes: resource },
        scopeLogs: [
          {
            scope: options.scope ?? { name: 'wfp-blocks', version: PACKAGE_VERSION },
            logRecords: [
              {
                timeUnixNano: nanos,
                observedTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                severityNumber: record.severityNumber,
                severityText: record.severityText,
                eventName: record.eventName,
                body: { stringValue: record.body },
                attributes: Object.entries(rest).map(([key, value]) => ({ key, value: otlpValue(value) })),
              },
            ],
          },
        ],
      },
    ],
  };
}
