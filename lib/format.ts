import { toEcs } from './ecs';
import { toOtelLogRecord, toOtlpJson } from './otel';
import type { BlockEvent, Endpoint } from './types';

/** One JSON object per line (the BlockEvent contract, `time` as ISO 8601). */
export function toJsonLine(event: BlockEvent): string {
  return `${JSON.stringify(event)}\n`;
}

const COLUMNS = [
  ['TIME', 24],
  ['ID', 5],
  ['ACTION', 6],
  ['KIND', 10],
  ['DIR', 8],
  ['PROTO', 9],
  ['LOCAL', 32],
  ['REMOTE', 32],
  ['PID', 6],
  ['FILTER', 8],
  ['DECIDED', 18],
] as const;

function endpoint(e: Endpoint | null): string {
  if (!e) return '-';
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  return e.port === null ? address : `${address}:${e.port}`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

export function tableHeader(): string {
  return `${COLUMNS.map(([name, width]) => fit(name, width)).join(' ')} APPLICATION\n`;
}

/** A readable row; the application is shortened to its file name (the JSON keeps the path). */
export function tableRow(event: BlockEvent): string {
  const cells = [
    event.time.toISOString(),
    String(event.eventId),
    event.action,
    event.kind,
    event.direction ?? '-',
    event.protocolName ?? (event.protocol === null ? '-' : String(event.protocol)),
    endpoint(event.local ?? event.source),
    endpoint(event.remote ?? (event.local ? null : event.destination)),
    event.pid === null ? '-' : String(event.pid),
    event.filterId === null ? '-' : String(event.filterId),
    event.decidedBy,
  ];
  const app = event.application === null ? '-' : event.application.slice(event.application.lastIndexOf('\\') + 1);
  return `${cells.map((cell, i) => fit(cell, COLUMNS[i][1])).join(' ')} ${app}\n`;
}

/** The CLI's output formats: each turns one event into what it prints for it. */
export const FORMATS = {
  table: tableRow,
  json: toJsonLine,
  ecs: (e: BlockEvent) => `${JSON.stringify(toEcs(e))}\n`,
  otel: (e: BlockEvent) => `${JSON.stringify(toOtlpJson(toOtelLogRecord(e)))}\n`,
} as const;

export type Format = keyof typeof FORMATS;
