import { toEcs } from './ecs';
import { toOtelLogRecord, toOtlpJson } from './otel';
import type { BlockEvent, Endpoint } from './types';

/** One JSON object per line (the BlockEvent contract, `time` as ISO 8601). */
export function toJsonLine(event: BlockEvent): string {
  return `${JSON.stringify(event)}\n`;
}

// Widths that hold nearly every value; a longer value is never cut (an address or a port above
// all), it pushes the rest of its row to the right, and the application absorbs it.
const COLUMNS = [
  ['TIME', 24],
  ['ID', 4],
  ['ACTION', 6],
  ['KIND', 10],
  ['DIR', 8],
  ['PROTO', 5],
  ['LOCAL', 21],
  ['REMOTE', 21],
  ['PID', 6],
  ['FILTER', 7],
  ['DECIDED', 7], // 'unknown', 'rule', 'stealth'; the defaults' longer names push the row right
] as const;

/** An endpoint as `address:port`, IPv6 in brackets (`[fe80::1]:5353`), `-` when absent. */
export function endpointText(e: Endpoint | null): string {
  if (!e) return '-';
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  return e.port === null ? address : `${address}:${e.port}`;
}

export interface TableOptions {
  /** The terminal's width: rows are fitted to it by shortening the application path from the left. None: no limit. */
  width?: number;
  /** ANSI colour (only for a terminal that wants it). */
  color?: boolean;
}

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** The table the CLI prints: one row per event, columns aligned, endpoints never cut. */
export class EventTable {
  readonly #width: number | undefined;
  readonly #color: boolean;

  constructor(options: TableOptions = {}) {
    this.#width = options.width && options.width > 0 ? options.width : undefined;
    this.#color = options.color ?? false;
  }

  header(): string {
    const line = this.#line(
      COLUMNS.map(([name]) => name),
      'APPLICATION',
    );
    return this.#color ? `${BOLD}${line.slice(0, -1)}${RESET}\n` : line;
  }

  row(event: BlockEvent): string {
    const cells = [
      event.time.toISOString(),
      String(event.eventId),
      event.action,
      event.kind,
      event.direction ?? '-',
      event.protocolName ?? (event.protocol === null ? '-' : String(event.protocol)),
      endpointText(event.local ?? event.source),
      endpointText(event.remote ?? (event.local ? null : event.destination)),
      event.pid === null ? '-' : String(event.pid),
      event.filterId === null ? '-' : String(event.filterId),
      event.decidedBy,
    ];
    const count = event.count !== undefined && event.count > 1 ? ` (x${event.count})` : '';
    const colour = this.#color ? (event.action === 'block' ? RED : GREEN) : undefined;
    return this.#line(cells, `${event.application ?? '-'}${count}`, colour);
  }

  #line(cells: readonly string[], application: string, actionColour?: string): string {
    let out = '';
    let position = 0; // visible characters written
    let target = 0; // where the next column starts when nothing overflowed
    cells.forEach((cell, i) => {
      if (position < target) {
        out += ' '.repeat(target - position);
        position = target;
      }
      out += i === 2 && actionColour ? `${actionColour}${cell}${RESET}` : cell;
      out += ' ';
      position += cell.length + 1;
      target += COLUMNS[i][1] + 1;
    });
    if (position < target) {
      out += ' '.repeat(target - position);
      position = target;
    }
    return `${out}${this.#fit(application, this.#width === undefined ? undefined : this.#width - position)}\n`;
  }

  // The application path shortened from the left to `room` characters (its file name is what matters).
  #fit(text: string, room: number | undefined): string {
    if (room === undefined || text.length <= room) return text;
    if (room <= 1) return '…';
    return `…${text.slice(text.length - room + 1)}`;
  }
}

/** The CLI's machine formats: each turns one event into the line it prints for it. */
export const MACHINE_FORMATS = {
  json: toJsonLine,
  ecs: (e: BlockEvent) => `${JSON.stringify(toEcs(e))}\n`,
  otel: (e: BlockEvent) => `${JSON.stringify(toOtlpJson(toOtelLogRecord(e)))}\n`,
} as const;
