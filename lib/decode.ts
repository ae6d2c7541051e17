import type {
  NativeBatch,
  NativeGap,
  NativeInput,
  NativeIssue,
  NativePolicyChange,
  NativeProgress,
  NativeRuleChange,
  SlotName,
} from '../binding';
import type { EventPlace } from './bookmark';
import type {
  BlockAction,
  BlockEvent,
  BlockKind,
  DecidedBy,
  Direction,
  Endpoint,
  EventChannel,
  FirewallRuleInfo,
  RuleChange,
  RuleChangeKind,
  SidesBy,
} from './types';

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
  #last = 0;
  readonly #numbers_ = new Map<number, number | null>();

  constructor(batch: NativeBatch, slots: Slots) {
    this.#numbers = batch.numbers;
    this.#strings = batch.strings.split('\0');
    this.#s = slots;
  }

  // The number a string of the batch holds (System values arrive as written), once per string.
  #number(index: number): number | null {
    if (index < 0) return null;
    let v = this.#numbers_.get(index);
    if (v === undefined) {
      const text = this.#strings[index].trim();
      v = /^\d+$/.test(text) ? Number(text) : null;
      this.#numbers_.set(index, v);
    }
    return v;
  }

  /** Where the event next() returned last was read, for the bookmark. */
  place(event: BlockEvent): EventPlace {
    const n = this.#numbers;
    const o = this.#last;
    const s = this.#s;
    const input = n[o + s.input];
    const epoch = n[o + s.epoch];
    return {
      input: input === input ? input : null,
      end: input === input ? String(n[o + s.end]) : null,
      recordId: event.recordId,
      timeCreated: event.system.timeCreated,
      epoch: epoch === epoch ? String(epoch) : null,
      epochIndex: epoch === epoch ? n[o + s.epochIndex] : null,
      sourceBookmark: this.#strings[n[o + s.bookmark]] ?? null,
    };
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
      if (name === '__proto__')
        Object.defineProperty(data, name, { value: strs[n[first + 2 * i + 1]], enumerable: true, writable: true, configurable: true });
      else data[name] = strs[n[first + 2 * i + 1]];
    }
    this.#offset = first + 2 * count;
    this.#last = o;
    const folded = n[o + s.count];
    const event: BlockEvent = {
      eventId: n[o + s.eventId],
      recordId: str(s.recordIdText) ?? n[o + s.recordId],
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
      sidesBy: str(s.sidesBy) as SidesBy | null,
      filterId: num(s.filterId),
      filterOrigin: str(s.filterOrigin),
      layerId: num(s.layerId),
      layerName: str(s.layerName),
      interfaceIndex: num(s.interfaceIndex),
      decidedBy: strs[n[o + s.decidedBy]] as DecidedBy,
      ruleId: str(s.ruleId),
      data,
      system: {
        provider: str(s.provider),
        providerGuid: str(s.providerGuid),
        channel: str(s.channel),
        level: this.#number(n[o + s.level]),
        task: this.#number(n[o + s.task]),
        opcode: this.#number(n[o + s.opcode]),
        keywords: str(s.keywords),
        activityId: str(s.activityId),
        userId: str(s.userId),
        processId: this.#number(n[o + s.writerProcessId]),
        threadId: this.#number(n[o + s.writerThreadId]),
        timeCreated: strs[n[o + s.timeCreated]],
      },
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
    const ruleStore = str(s.ruleStore);
    if (ruleStore !== null) {
      event.rule = {
        group: str(s.ruleGroup),
        direction: str(s.ruleDirection) as FirewallRuleInfo['direction'],
        action: str(s.ruleAction) as FirewallRuleInfo['action'],
        store: ruleStore as FirewallRuleInfo['store'],
      };
    }
    const processName = str(s.processName);
    if (processName !== null) event.processName = processName;
    const services = str(s.services);
    if (services !== null) event.services = services.split(',');
    const change = str(s.change);
    if (change !== null) {
      event.lastChange = {
        eventId: n[o + s.changeEventId],
        recordId: n[o + s.changeRecordId],
        time: new Date(n[o + s.changeTimeMs]),
        change: change as RuleChangeKind,
        name: str(s.changeName),
        user: { sid: str(s.changeUserSid), name: str(s.changeUserName) },
        application: str(s.changeApplication),
      };
    }
    const userSid = str(s.userSid);
    if (userSid !== null) event.userSid = userSid;
    const packageSid = str(s.packageSid);
    if (packageSid !== null) event.packageSid = packageSid;
    const loopback = num(s.loopback);
    if (loopback !== null) event.loopback = loopback === 1;
    const reauthReason = num(s.reauthReason);
    if (reauthReason !== null) event.reauthReason = reauthReason;
    const originalProfile = num(s.originalProfile);
    if (originalProfile !== null) event.originalProfile = originalProfile;
    const currentProfile = num(s.currentProfile);
    if (currentProfile !== null) event.currentProfile = currentProfile;
    if (folded === folded) {
      event.count = folded;
      event.firstTime = new Date(n[o + s.firstTimeMs]);
      event.lastTime = new Date(n[o + s.lastTimeMs]);
    }
    return event;
  }
}

/** A change event as JavaScript sees it. */
export function decodeRuleChange(c: NativeRuleChange): RuleChange {
  const f = (name: string): string | null => c.fields[name] ?? null;
  const providerKey = f('providerKey');
  const providerName = f('providerName');
  return {
    eventId: c.eventId,
    recordId: c.recordId,
    time: new Date(c.timeMs),
    computer: c.computer,
    channel: c.channel as EventChannel,
    change: c.change as RuleChangeKind,
    ruleId: f('ruleId'),
    filterId: c.filterId === c.filterId ? c.filterId : null,
    key: f('key'),
    name: f('name'),
    profiles: f('profiles'),
    setting: f('setting'),
    value: f('value'),
    values: c.values,
    provider: providerKey === null && providerName === null ? null : { key: providerKey, name: providerName },
    user: { sid: f('userSid'), name: f('userName') },
    application: f('application'),
    pid: c.pid === c.pid ? c.pid : null,
    reason: f('reason'),
    data: c.data,
  };
}

/** What a batch carries besides events, each delivered at its place among them. */
export interface BatchHandlers {
  event(event: BlockEvent, place: EventPlace): void;
  input(input: NativeInput): void;
  issue(issue: NativeIssue): void;
  gap(gap: NativeGap): void;
  policyChange(change: NativePolicyChange): void;
  /** Every input stands at least at `progress` once the events before it were consumed. */
  progress(progress: NativeProgress[]): void;
  ruleChange(change: NativeRuleChange): void;
  /** Checked before each event: false stops the delivery (a listener closed the watcher). */
  open(): boolean;
  /** A formatted watcher's batch: the lines of its `count` events. */
  text?(text: Uint8Array, count: number): void;
}

/**
 * Delivers a batch in input order: the issues, gaps, policy and rule changes that came after the first
 * `atEvent` events of the batch are delivered right before event number `atEvent`; those after the
 * last event, after it.
 */
export function deliverBatch(batch: NativeBatch, slots: Slots, handlers: BatchHandlers): void {
  if (batch.text !== undefined) {
    // Formatted: the lines, cut where a rule change came between them (a change is printed in input
    // order), then what else was met on the way (only stderr tells about those).
    const text = batch.text;
    let line = 0; // the lines given so far, one per event
    let at = 0; // where they end in `text`
    const linesUpTo = (event: number) => {
      let end = at;
      if (event === batch.events)
        end = text.length; // the rest: no need to find each line
      else for (let i = line; i < event; i++) end = text.indexOf(0x0a, end) + 1;
      if (end > at && handlers.open()) handlers.text?.(text.subarray(at, end), event - line);
      line = event;
      at = end;
    };
    for (const change of batch.ruleChanges) {
      linesUpTo(Math.min(change.atEvent, batch.events));
      if (handlers.open()) handlers.ruleChange(change);
    }
    linesUpTo(batch.events);
    for (const issue of batch.issues) if (handlers.open()) handlers.issue(issue);
    for (const gap of batch.gaps) if (handlers.open()) handlers.gap(gap);
    for (const change of batch.policyChanges) if (handlers.open()) handlers.policyChange(change);
    return;
  }
  const decoder = new BatchDecoder(batch, slots);
  const { issues, gaps, policyChanges, ruleChanges, events, inputs, progress } = batch;
  let nextProgress = 0;
  let nextInput = 0;
  let nextIssue = 0;
  let nextGap = 0;
  let nextChange = 0;
  let nextRuleChange = 0;
  const upTo = (at: number) => {
    while (nextInput < inputs.length && inputs[nextInput].atEvent <= at) handlers.input(inputs[nextInput++]);
    while (nextIssue < issues.length && issues[nextIssue].atEvent <= at && handlers.open()) handlers.issue(issues[nextIssue++]);
    while (nextGap < gaps.length && gaps[nextGap].atEvent <= at && handlers.open()) handlers.gap(gaps[nextGap++]);
    while (nextChange < policyChanges.length && policyChanges[nextChange].atEvent <= at && handlers.open())
      handlers.policyChange(policyChanges[nextChange++]);
    while (nextRuleChange < ruleChanges.length && ruleChanges[nextRuleChange].atEvent <= at && handlers.open())
      handlers.ruleChange(ruleChanges[nextRuleChange++]);
    while (nextProgress < progress.length && progress[nextProgress].atEvent <= at && handlers.open())
      handlers.progress(progress[nextProgress++].inputs);
  };
  for (let i = 0; i < events; i++) {
    upTo(i);
    if (!handlers.open()) return;
    const event = decoder.next();
    handlers.event(event, decoder.place(event));
  }
  upTo(events);
}
