import type { NativeEpoch, NativeInput, NativeProgress } from '../binding';
import { CHANNELS, FIREWALL_CHANNEL, SECURITY_CHANNEL } from './catalog';
import { WfpOptionError } from './errors';
import type { SourceType } from './sources';

/**
 * Bookmarks: where a watcher stopped, as a string the caller persists and passes back as
 * `from: { bookmark }`.
 *
 * - The live sources ('eventlog', 'legacy') give the XML Windows renders for where they stand in each
 *   log they read (EvtRender(EvtRenderBookmark)): a <Bookmark Channel='…' RecordId='…'/> per log, each
 *   log's record IDs a sequence of its own that only grows. 'eventlog' reads the Security log (the
 *   blocks, and its change events) and the firewall's own log (its change events); 'legacy' the
 *   Security log alone. The Security log stands at the last block delivered, or past records with
 *   nothing to deliver; the firewall's log at the last of its records handled (its changes are
 *   delivered as 'ruleChange' events as they come). A bookmark that does not name the firewall's log
 *   (from a version that read the Security log alone) resumes the Security log and reads the
 *   firewall's log from its newest record on, as 'now' does: its older changes are not reported as new.
 * - The 'netevents' source gives its own: the time, ordinal and hash of the last net event delivered
 *   (native/sources/net_event.h, NetEventBookmark), found again in the engine's buffer.
 * - Replays (files and streams) give a position: for each input, found again by its first bytes (not
 *   its name, so a renamed file is found), the byte offset after the last record delivered from it,
 *   with that record's ID and time. A replaced or truncated file has other first bytes: it is a new
 *   input, read from its start, and the bookmark's input it replaced is reported missing unless it
 *   had been read to its end.
 * - With coalescing, an epoch whose folds were only partly delivered is named too (where it ended,
 *   how many of its folds were delivered): a resumed watcher rebuilds the same epoch from the same
 *   records and delivers only the rest. The window and the bound on held folds must be the same.
 *
 * Delivered means consumed: the last event a 'block' listener was called with, or the last one a
 * `for await` loop took. Parsing is linear in the bookmark's length, and a bookmark is at most
 * MAX_BOOKMARK_BYTES long.
 */

export const MAX_BOOKMARK_BYTES = 1 << 20;
const FORMAT = 1;

/** What a replay bookmark says of one input. */
export interface BookmarkInput {
  /** The input's name when the bookmark was taken (for messages; inputs are matched by their first bytes). */
  name: string;
  headLength: number;
  /** FNV-1a 64 of the first headLength bytes, hex. */
  headHash: string;
  /** Everything before this offset (in the input's decoder offsets) was delivered. */
  offset: string;
  /** It had been read to its end. */
  done: boolean;
  /** The last record delivered from it, as a cross-check for people reading the bookmark. */
  recordId?: string;
  time?: string;
}

/** An epoch whose folds were only partly delivered. */
export interface BookmarkEpoch {
  /** Replays: index into `inputs` of the input the epoch ended in; live sources: 0. */
  input: number;
  /** Where the epoch's last record ended there (live sources: its record ID). */
  end: string;
  /** How many of its folds were delivered. */
  delivered: number;
}

export interface BookmarkState {
  source: SourceType;
  /** Live sources: where the Security log stands (the last record ID delivered or passed over). */
  recordId?: string;
  /** 'eventlog': where the firewall's own log stands (the last record ID handled there). */
  firewallRecordId?: string;
  /** 'netevents': the source's bookmark of the last net event delivered. */
  netEvent?: string;
  /** Replays. */
  inputs: BookmarkInput[];
  epoch?: BookmarkEpoch;
  /** With an epoch: the coalescing it was built with. */
  coalesce?: { windowMs: number; maxHeld: number };
}

const isLiveType = (type: SourceType) => type === 'eventlog' || type === 'legacy';
const NET_EVENT_BOOKMARK = /^wfp-netevents\/1;t=\d{1,20};n=[1-9]\d{0,9};h=[0-9a-f]{8}$/;

/** Makes Windows's bookmark XML from a record ID (or null) per log of CHANNELS: the binding's bookmarkXml. */
export type BookmarkXml = (recordIds: Array<string | null>) => string;

/** A live state's position in each log, in CHANNELS order (what BookmarkXml takes). */
function channelRecordIds(state: BookmarkState): Array<string | null> {
  const byChannel: Record<string, string | undefined> = { [SECURITY_CHANNEL]: state.recordId, [FIREWALL_CHANNEL]: state.firewallRecordId };
  return CHANNELS.map((channel) => byChannel[channel] ?? null);
}

/**
 * The string for a bookmark state: Windows's XML for a live log between epochs (made by `bookmarkXml`,
 * the binding's), JSON otherwise.
 */
export function formatBookmark(state: BookmarkState, bookmarkXml: BookmarkXml): string | null {
  if (state.source === 'netevents') return state.netEvent ?? null;
  if (isLiveType(state.source)) {
    if (state.recordId === undefined && state.firewallRecordId === undefined) return null;
    if (!state.epoch) return bookmarkXml(channelRecordIds(state));
  } else if (state.inputs.length === 0) {
    return null;
  }
  const out: Record<string, unknown> = { wfpBlocks: FORMAT, source: state.source };
  if (isLiveType(state.source)) out.bookmark = bookmarkXml(channelRecordIds(state));
  else out.inputs = state.inputs;
  if (state.epoch) {
    out.epoch = state.epoch;
    out.coalesce = state.coalesce;
  }
  return JSON.stringify(out);
}

const DECIMAL = /^\d{1,20}$/;
const fitsU64 = (s: string) => DECIMAL.test(s) && BigInt(s) < 2n ** 64n;

// The <Bookmark> elements of Windows's bookmark XML, read in one pass: the record ID of each log it
// names (a log named twice, or one no live source reads, is refused).
function readBookmarkXml(xml: string): Map<string, string> | string {
  const text = xml.trim();
  if (!text.startsWith('<BookmarkList')) return 'it is not bookmark XML';
  if (!text.endsWith('</BookmarkList>')) return 'it is cut short';
  const logs = new Map<string, string>();
  for (let start = text.indexOf('<Bookmark '); start >= 0; start = text.indexOf('<Bookmark ', start + 1)) {
    const end = text.indexOf('>', start);
    if (end < 0) return 'it is cut short';
    const attributes = new Map<string, string>();
    let i = start + '<Bookmark'.length;
    while (i < end) {
      while (i < end && /\s/.test(text[i])) i++;
      if (i >= end || text[i] === '/') break;
      const eq = text.indexOf('=', i);
      if (eq < 0 || eq > end) return 'an attribute has no value';
      const name = text.slice(i, eq).trim();
      const quote = text[eq + 1];
      if (quote !== '"' && quote !== "'") return 'an attribute value has no quotes';
      const close = text.indexOf(quote, eq + 2);
      if (close < 0 || close > end) return 'an attribute value is cut short';
      attributes.set(name, text.slice(eq + 2, close));
      i = close + 1;
    }
    const channel = attributes.get('Channel');
    const recordId = attributes.get('RecordId');
    if (channel === undefined || recordId === undefined) return 'a <Bookmark> has no Channel or RecordId';
    if (!(CHANNELS as readonly string[]).includes(channel))
      return `it is for the ${JSON.stringify(channel.slice(0, 80))} log, which no live source reads`;
    if (logs.has(channel)) return `it names the ${channel} log twice`;
    if (!fitsU64(recordId)) return `its RecordId ${JSON.stringify(recordId.slice(0, 30))} is not a record ID`;
    logs.set(channel, recordId);
  }
  if (logs.size === 0) return 'it names no log';
  return logs;
}

// A live bookmark's logs as a state's record IDs; a string says what is wrong.
function liveState(source: SourceType, logs: Map<string, string>): BookmarkState | string {
  const recordId = logs.get(SECURITY_CHANNEL);
  const firewallRecordId = logs.get(FIREWALL_CHANNEL);
  if (source === 'legacy' && recordId === undefined) return "it does not name the Security log, the one a 'legacy' watcher reads";
  return {
    source,
    ...(recordId !== undefined ? { recordId } : {}),
    ...(firewallRecordId !== undefined ? { firewallRecordId } : {}),
    inputs: [],
  };
}

/**
 * Reads a bookmark for a watcher of source type `source`. Throws a WfpOptionError naming what is
 * wrong: not a bookmark, cut short, from another kind of source, another log, another coalescing.
 */
export function parseBookmark(text: unknown, source: SourceType, coalesce: { windowMs: number; maxHeld: number } | null): BookmarkState {
  const fail = (why: string): never => {
    throw new WfpOptionError(
      'from.bookmark',
      typeof text === 'string' && text.length > 200 ? `${text.slice(0, 200)}…` : text,
      `a bookmark a watcher gave out (${why})`,
    );
  };
  if (typeof text !== 'string' || text === '') return fail('not a non-empty string');
  if (text.length > MAX_BOOKMARK_BYTES) return fail(`longer than ${MAX_BOOKMARK_BYTES} characters`);
  const trimmed = text.trim();
  if (source === 'netevents' || trimmed.startsWith('wfp-netevents/')) {
    if (source !== 'netevents') return fail(`it is a 'netevents' watcher's bookmark, and this is '${source}'`);
    if (!NET_EVENT_BOOKMARK.test(trimmed))
      return fail("this is a 'netevents' watcher and it is not one of its bookmarks (wfp-netevents/1;t=…;n=…;h=…)");
    return { source, netEvent: trimmed, inputs: [] };
  }
  if (trimmed.startsWith('<')) {
    if (!isLiveType(source)) return fail(`it is a live log's bookmark, and this is a '${source}' replay`);
    const xml = readBookmarkXml(trimmed);
    const state = typeof xml === 'string' ? xml : liveState(source, xml);
    return typeof state === 'string' ? fail(state) : state;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return fail('neither bookmark XML nor a replay position; cut short?');
  }
  const b = parsed as Record<string, unknown>;
  if (typeof b !== 'object' || b === null || b.wfpBlocks !== FORMAT) return fail('not a wfp-blocks bookmark of this version');
  const kind = b.source;
  const sameKind = isLiveType(source) ? isLiveType(kind as SourceType) : kind === source;
  if (!sameKind) return fail(`it is from a '${String(kind)}' source, and this is '${source}'`);
  let state: BookmarkState = { source, inputs: [] };
  if (isLiveType(source)) {
    const xml = typeof b.bookmark === 'string' ? readBookmarkXml(b.bookmark) : 'it has no bookmark XML';
    const live = typeof xml === 'string' ? xml : liveState(source, xml);
    if (typeof live === 'string') return fail(live);
    state = live;
  } else {
    if (!Array.isArray(b.inputs)) return fail('it has no inputs');
    for (const [i, raw] of (b.inputs as unknown[]).entries()) {
      const x = raw as Record<string, unknown>;
      const ok =
        typeof x === 'object' &&
        x !== null &&
        typeof x.name === 'string' &&
        Number.isInteger(x.headLength) &&
        (x.headLength as number) >= 0 &&
        (x.headLength as number) <= 4096 &&
        typeof x.headHash === 'string' &&
        /^[0-9a-f]{16}$/.test(x.headHash) &&
        typeof x.offset === 'string' &&
        fitsU64(x.offset) &&
        typeof x.done === 'boolean';
      if (!ok) return fail(`its input ${i + 1} is not a position`);
      state.inputs.push({
        name: x.name as string,
        headLength: x.headLength as number,
        headHash: x.headHash as string,
        offset: x.offset as string,
        done: x.done as boolean,
        ...(typeof x.recordId === 'string' ? { recordId: x.recordId } : {}),
        ...(typeof x.time === 'string' ? { time: x.time } : {}),
      });
    }
  }
  if (b.epoch !== undefined) {
    const e = b.epoch as Record<string, unknown>;
    const c = b.coalesce as Record<string, unknown> | undefined;
    const ok =
      typeof e === 'object' &&
      e !== null &&
      Number.isInteger(e.input) &&
      (e.input as number) >= 0 &&
      (isLiveType(source) ? e.input === 0 : (e.input as number) < state.inputs.length) &&
      typeof e.end === 'string' &&
      fitsU64(e.end) &&
      Number.isInteger(e.delivered) &&
      (e.delivered as number) >= 1 &&
      typeof c === 'object' &&
      c !== null &&
      typeof c.windowMs === 'number' &&
      typeof c.maxHeld === 'number';
    if (!ok) return fail('its coalescing epoch is not one a watcher gave out');
    if (!coalesce || coalesce.windowMs !== c.windowMs || coalesce.maxHeld !== c.maxHeld) {
      return fail(
        `it was taken while coalescing with windowMs ${c.windowMs} and maxHeld ${c.maxHeld}; resume with the same coalesce option`,
      );
    }
    state.epoch = { input: e.input as number, end: e.end as string, delivered: e.delivered as number };
    state.coalesce = { windowMs: c.windowMs as number, maxHeld: c.maxHeld as number };
  }
  return state;
}

/** The native options that resume from `state` (see ReadResume in native/node/watcher.cc). */
export function resumeOptions(state: BookmarkState): {
  afterRecordId?: string;
  afterFirewallRecordId?: string;
  resumeInputs?: string[];
  resumeEpoch?: string;
} {
  const out: { afterRecordId?: string; afterFirewallRecordId?: string; resumeInputs?: string[]; resumeEpoch?: string } = {};
  if (state.recordId !== undefined) out.afterRecordId = state.recordId;
  if (state.firewallRecordId !== undefined) out.afterFirewallRecordId = state.firewallRecordId;
  if (state.inputs.length) out.resumeInputs = state.inputs.map((i) => `${i.headLength} ${i.headHash} ${i.offset} ${i.done ? 1 : 0}`);
  if (state.epoch) out.resumeEpoch = `${state.epoch.input} ${state.epoch.end} ${state.epoch.delivered}`;
  return out;
}

/** Where the meta of one delivered event puts it. */
export interface EventPlace {
  input: number | null;
  end: string | null;
  recordId: number | string;
  timeCreated: string;
  epoch: string | null;
  epochIndex: number | null;
  /** The source's own bookmark after the event ('netevents'), else null. */
  sourceBookmark: string | null;
}

/**
 * What a watcher has delivered so far, kept as events are consumed, from which `bookmark` is made.
 * Inputs are known by the index the native side gives them.
 */
export class DeliveryPosition {
  readonly #source: SourceType;
  readonly #coalesce: { windowMs: number; maxHeld: number } | null;
  readonly #inputs = new Map<number, BookmarkInput>();
  // The bookmark's inputs, and those of them not seen again (yet) in this run, kept as they were.
  readonly #resumed: readonly BookmarkInput[];
  readonly #carried: BookmarkInput[];
  #recordId: string | undefined;
  #firewallRecordId: string | undefined;
  #netEvent: string | undefined;
  #epoch: BookmarkEpoch | undefined;
  readonly #epochs = new Map<string, NativeEpoch>();
  readonly #bookmarkXml: BookmarkXml;

  constructor(
    source: SourceType,
    coalesce: { windowMs: number; maxHeld: number } | null,
    resumed: BookmarkState | null,
    bookmarkXml: BookmarkXml,
  ) {
    this.#source = source;
    this.#bookmarkXml = bookmarkXml;
    this.#coalesce = coalesce;
    this.#resumed = resumed ? resumed.inputs : [];
    this.#carried = [...this.#resumed];
    this.#recordId = resumed?.recordId;
    this.#firewallRecordId = resumed?.firewallRecordId;
    this.#netEvent = resumed?.netEvent;
    this.#epoch = resumed?.epoch;
  }

  /** An input the native side opened: new, or found to be one of the bookmark's (by its first bytes). */
  inputOpened(input: NativeInput): void {
    const base = input.resumed >= 0 ? this.#resumed[input.resumed] : undefined;
    if (base) this.#carried.splice(this.#carried.indexOf(base), 1);
    this.#inputs.set(
      input.index,
      base
        ? { ...base, name: input.name }
        : {
            name: input.name,
            headLength: input.headLength,
            headHash: input.headHash,
            offset: '0',
            done: false,
          },
    );
  }

  epochEnded(epoch: NativeEpoch): void {
    this.#epochs.set(epoch.seq, epoch);
  }

  /** The event at `place` was consumed. */
  consumed(place: EventPlace): void {
    if (place.sourceBookmark !== null) {
      this.#netEvent = place.sourceBookmark;
      return;
    }
    if (place.epoch !== null && place.epochIndex !== null) {
      const epoch = this.#epochs.get(place.epoch);
      if (!epoch) return;
      if (place.epochIndex >= epoch.folds) {
        this.#epoch = undefined;
        this.#epochs.delete(place.epoch);
        this.progress(epoch.progress);
        if (this.#isLive) this.#recordId = epoch.end;
      } else {
        this.#epoch = { input: this.#isLive ? 0 : this.#bookmarkIndex(epoch.endInput), end: epoch.end, delivered: place.epochIndex };
        if (this.#isLive) this.#recordId = epoch.start;
      }
      return;
    }
    if (this.#isLive) {
      this.#recordId = String(place.recordId);
      return;
    }
    if (place.input === null || place.end === null) return;
    const input = this.#inputs.get(place.input);
    if (!input) return;
    input.offset = place.end;
    input.recordId = String(place.recordId);
    input.time = place.timeCreated;
  }

  /**
   * Of a progress mark, applies at once what no loop has to reach (a live source's logs without blocks:
   * their records were delivered, as 'ruleChange' events, when the batch came) and returns the rest.
   */
  progressAtOnce(progress: NativeProgress[]): NativeProgress[] {
    if (!this.#isLive) return progress;
    const now = progress.filter((p) => CHANNELS[p.index] !== SECURITY_CHANNEL);
    if (now.length === 0) return progress;
    this.progress(now);
    return progress.filter((p) => CHANNELS[p.index] === SECURITY_CHANNEL);
  }

  /** Everything before `progress` was handled (delivered, or nothing to deliver). */
  progress(progress: NativeProgress[]): void {
    if (this.#isLive) {
      const further = (at: string | undefined, end: string) => (at === undefined || BigInt(end) > BigInt(at) ? end : at);
      for (const p of progress) {
        if (CHANNELS[p.index] === SECURITY_CHANNEL) this.#recordId = further(this.#recordId, p.end);
        else if (CHANNELS[p.index] === FIREWALL_CHANNEL) this.#firewallRecordId = further(this.#firewallRecordId, p.end);
      }
      return;
    }
    for (const p of progress) {
      const input = this.#inputs.get(p.index);
      if (!input) continue;
      if (BigInt(p.end) > BigInt(input.offset)) input.offset = p.end;
      input.done = p.done;
    }
  }

  get #isLive(): boolean {
    return isLiveType(this.#source);
  }

  // The position of a native input index in the bookmark's list of inputs.
  #bookmarkIndex(index: number): number {
    return [...this.#inputs.keys()].sort((a, b) => a - b).indexOf(index);
  }

  bookmark(): string | null {
    const inputs = [...this.#inputs.entries()].sort((a, b) => a[0] - b[0]).map(([, input]) => input);
    return formatBookmark(
      {
        source: this.#source,
        recordId: this.#recordId,
        firewallRecordId: this.#firewallRecordId,
        netEvent: this.#netEvent,
        inputs: [...inputs, ...this.#carried],
        epoch: this.#epoch,
        coalesce: this.#epoch && this.#coalesce ? this.#coalesce : undefined,
      },
      this.#bookmarkXml,
    );
  }
}
