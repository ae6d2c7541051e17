import type { NativeBatch, NativeGap, NativeIssue, NativePolicyChange, SlotName } from '../binding';
import type { BlockAction, BlockEvent, BlockKind, Direction, Endpoint } from './types';

type Slots = Readonly<Record<SlotName, number>>;

/**
 * Builds BlockEvent objects from one native batch (the wire format of native/batch.h), one at a time
 * so that problems reported between events keep their place.
 */
export class BatchDecoder {
  readonly #numbers: Float64Array;
  readonly #strings: string[];
  readonly #s: Slots;
  #offset = 0;

  constructor(batch: NativeBatch, slots: Slots) {
    this.#numbers = batch.numbers;
    this.#strings = batch.strings.split('\0');
    this.#s = slots;
  }

  next(): BlockEvent {
    const n = this.#numbers;
    const strs = this.#strings;
    const s = this.#s;
    const o = this.#offset;
    const str = (slot: number): string | null => {
      const i = n[o + slot];
      return i < 0 ? null : strs[i];
    };
    const num = (slot: number): number | null => {
      const v = n[o + slot];
      return v !== v ? null : v;
    };
    const endpoint = (addressSlot: number, portSlot: number): Endpoint | null => {
      const i = n[o + addressSlot];
      return i < 0 ? null : { address: strs[i], port: num(portSlot) };
    };
    const source = endpoint(s.sourceAddress, s.sourcePort);
    const destination = endpoint(s.destAddress, s.destPort);
    const side = (slot: number): Endpoint | null => {
      const v = n[o + slot];
      return v === 1 ? source : v === 2 ? destination : null;
    };
    const data: Record<string, string> = {};
    const count = n[o + s.dataCount];
    const first = o + s.header;
    for (let i = 0; i < count; i++) {
      const name = strs[n[first + 2 * i]];
      // A repeated name keeps its first value, as the typed fields do; '__proto__' is kept as a field
      // (an assignment would set the object's prototype instead).
      if (Object.hasOwn(data, name)) continue;
      if (name === '__proto__') Object.defineProperty(data, name, { value: strs[n[first + 2 * i + 1]], enumerable: true, writable: true, configurable: true });
      else data[name] = strs[n[first + 2 * i + 1]];
    }
    this.#offset = first + 2 * count;
    const folded = n[o + s.count];
    const event: BlockEvent = {
      eventId: n[o + s.eventId],
      recordId: n[o + s.recordId],
      time: new Date(n[o + s.timeMs]),
      computer: strs[n[o + s.computer]],
      version: n[o + s.version],
      action: strs[n[o + s.action]] as BlockAction,
      kind: strs[n[o + s.kind]] as BlockKind,
      direction: str(s.direction) as Direction | null,
      protocol: num(s.protocol),
      protocolName: str(s.protocolName),
      pid: num(s.pid),
      application: str(s.application),
      source,
      destination,
      local: side(s.local),
      remote: side(s.remote),
      filterId: num(s.filterId),
      filterOrigin: str(s.filterOrigin),
      layerId: num(s.layerId),
      layerName: str(s.layerName),
      interfaceIndex: num(s.interfaceIndex),
      data,
    };
    const applicationPath = str(s.applicationPath);
    if (applicationPath !== null) event.applicationPath = applicationPath;
    const filterName = str(s.filterName);
    const filterDescription = str(s.filterDescription);
    const filterProvider = str(s.filterProvider);
    if (filterName !== null || filterDescription !== null || filterProvider !== null) {
      event.filter = { name: filterName, description: filterDescription, provider: filterProvider };
    }
    const ruleName = str(s.ruleName);
    if (ruleName !== null) event.ruleName = ruleName;
    const processName = str(s.processName);
    if (processName !== null) event.processName = processName;
    const services = str(s.services);
    if (services !== null) event.services = services.split(',');
    if (folded === folded) {
      event.count = folded;
      event.firstTime = new Date(n[o + s.firstTimeMs]);
      event.lastTime = new Date(n[o + s.lastTimeMs]);
    }
    return event;
  }
}

/** What a batch carries besides events, each delivered at its place among them. */
export interface BatchHandlers {
  event(event: BlockEvent): void;
  issue(issue: NativeIssue): void;
  gap(gap: NativeGap): void;
  policyChange(change: NativePolicyChange): void;
  /** Checked before each event: false stops the delivery (a listener closed the watcher). */
  open(): boolean;
}

/**
 * Delivers a batch in input order: the issues, gaps and policy changes that came after the first
 * `atEvent` events of the batch are delivered right before event number `atEvent`; those after the
 * last event, after it.
 */
export function deliverBatch(batch: NativeBatch, slots: Slots, handlers: BatchHandlers): void {
  const decoder = new BatchDecoder(batch, slots);
  const { issues, gaps, policyChanges, events } = batch;
  let nextIssue = 0;
  let nextGap = 0;
  let nextChange = 0;
  const upTo = (at: number) => {
    while (nextIssue < issues.length && issues[nextIssue].atEvent <= at && handlers.open()) handlers.issue(issues[nextIssue++]);
    while (nextGap < gaps.length && gaps[nextGap].atEvent <= at && handlers.open()) handlers.gap(gaps[nextGap++]);
    while (nextChange < policyChanges.length && policyChanges[nextChange].atEvent <= at && handlers.open())
      handlers.policyChange(policyChanges[nextChange++]);
  };
  for (let i = 0; i < events; i++) {
    upTo(i);
    if (!handlers.open()) return;
    handlers.event(decoder.next());
  }
  upTo(events);
}
