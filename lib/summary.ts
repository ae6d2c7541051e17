import type { BlockEvent } from './types';

/**
 * What a set of events says at a glance: totals, the top values of each dimension by count, and a
 * timeline whose step (minute, hour or day) fits the span. Coalesced events count as many records
 * as they folded. Plain data, so the terminal, JSON and HTML views render the same thing.
 */
export interface SummaryCount {
  value: string;
  count: number;
}

export interface TimelinePoint {
  /** The bucket's start, ISO 8601. */
  start: string;
  blocked: number;
  allowed: number;
}

export interface BlockSummary {
  events: number;
  blocked: number;
  allowed: number;
  /** The first and last event times, ISO 8601 (null without events). */
  first: string | null;
  last: string | null;
  byEventId: SummaryCount[];
  byKind: SummaryCount[];
  /** For each dimension of DIMENSIONS, its most frequent values (at most `top`), most frequent first. */
  top: Record<string, { title: string; values: SummaryCount[]; distinct: number }>;
  timeline: { step: 'minute' | 'hour' | 'day'; points: TimelinePoint[] };
}

/** One way to group events: adding a dimension to the summary is a line here. */
export interface Dimension {
  key: string;
  title: string;
  /** The event's value in this dimension; null when it has none (not counted). */
  of(event: BlockEvent): string | null;
}

const transport = (e: BlockEvent) => e.protocolName ?? (e.protocol === null ? '?' : String(e.protocol));

/** The rule or filter that decided: the firewall rule's name where known, else the filter. */
export function ruleOf(e: BlockEvent): string | null {
  if (e.ruleName) return e.ruleName;
  if (e.filter?.name) return e.filter.name;
  if (e.filterOrigin) return e.filterOrigin;
  return e.filterId === null ? null : `filter ${e.filterId}`;
}

export const DIMENSIONS: readonly Dimension[] = [
  { key: 'applications', title: 'Applications', of: (e) => e.application },
  { key: 'remoteAddresses', title: 'Remote addresses', of: (e) => e.remote?.address ?? null },
  { key: 'localPorts', title: 'Local ports', of: (e) => (e.local?.port == null ? null : `${transport(e)}/${e.local.port}`) },
  { key: 'rules', title: 'Filters and rules', of: ruleOf },
  { key: 'directions', title: 'Directions', of: (e) => e.direction },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function stepFor(spanMs: number): { step: BlockSummary['timeline']['step']; ms: number } {
  if (spanMs <= 3 * HOUR) return { step: 'minute', ms: MINUTE };
  if (spanMs <= 7 * DAY) return { step: 'hour', ms: HOUR };
  return { step: 'day', ms: DAY };
}

function increment(map: Map<string, number>, key: string | null, n: number): void {
  if (key !== null) map.set(key, (map.get(key) ?? 0) + n);
}

function topOf(map: Map<string, number>, top: number): SummaryCount[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([value, count]) => ({ value, count }));
}

/** Collects events one at a time; `result()` gives the summary so far. */
export class Summarizer {
  readonly #dimensions: readonly Dimension[];
  readonly #counts: Map<string, number>[];
  readonly #ids = new Map<string, number>();
  readonly #kinds = new Map<string, number>();
  readonly #minutes = new Map<number, { blocked: number; allowed: number }>();
  #events = 0;
  #blocked = 0;
  #first = Infinity;
  #last = -Infinity;
  #firstMinute = Infinity;
  #lastMinute = -Infinity;

  constructor(dimensions: readonly Dimension[] = DIMENSIONS) {
    this.#dimensions = dimensions;
    this.#counts = dimensions.map(() => new Map());
  }

  add(e: BlockEvent): void {
    const n = e.count ?? 1;
    this.#events += n;
    if (e.action === 'block') this.#blocked += n;
    increment(this.#ids, String(e.eventId), n);
    increment(this.#kinds, e.kind, n);
    this.#dimensions.forEach((d, i) => increment(this.#counts[i], d.of(e), n));
    const first = (e.firstTime ?? e.time).getTime();
    const last = (e.lastTime ?? e.time).getTime();
    if (first < this.#first) this.#first = first;
    if (last > this.#last) this.#last = last;
    const minute = Math.floor(e.time.getTime() / MINUTE) * MINUTE;
    if (minute < this.#firstMinute) this.#firstMinute = minute;
    if (minute > this.#lastMinute) this.#lastMinute = minute;
    let bucket = this.#minutes.get(minute);
    if (!bucket) this.#minutes.set(minute, (bucket = { blocked: 0, allowed: 0 }));
    if (e.action === 'block') bucket.blocked += n;
    else bucket.allowed += n;
  }

  result(top = 10): BlockSummary {
    const empty = this.#events === 0;
    const { step, ms } = stepFor(empty ? 0 : this.#last - this.#first);
    const points: TimelinePoint[] = [];
    if (!empty) {
      const start = Math.floor(this.#firstMinute / ms) * ms;
      const end = Math.floor(this.#lastMinute / ms) * ms;
      const buckets = new Map<number, TimelinePoint>();
      for (let t = start; t <= end; t += ms) {
        const p = { start: new Date(t).toISOString(), blocked: 0, allowed: 0 };
        buckets.set(t, p);
        points.push(p);
      }
      for (const [minute, c] of this.#minutes) {
        const p = buckets.get(Math.floor(minute / ms) * ms) as TimelinePoint;
        p.blocked += c.blocked;
        p.allowed += c.allowed;
      }
    }
    return {
      events: this.#events,
      blocked: this.#blocked,
      allowed: this.#events - this.#blocked,
      first: empty ? null : new Date(this.#first).toISOString(),
      last: empty ? null : new Date(this.#last).toISOString(),
      byEventId: topOf(this.#ids, Infinity),
      byKind: topOf(this.#kinds, Infinity),
      top: Object.fromEntries(
        this.#dimensions.map((d, i) => [d.key, { title: d.title, values: topOf(this.#counts[i], top), distinct: this.#counts[i].size }]),
      ),
      timeline: { step, points },
    };
  }
}
