// The two independent .evtx renderers the tests hold the reader to, and how their output is compared:
// libyal's `evtxexport -f xml` (Debian libevtx-utils) and python-evtx (Debian python3-evtx, through
// test/evtx/python_evtx_dump.py). Each reference record's XML is read by wfp-blocks' own XML path
// (`exportRecords(..., format: 'json')` on that XML), so a record from the .evtx is compared with what
// the existing XML path makes of the same record's XML. Where a renderer writes a value differently from
// Windows (EvtRender), a named rule below says how and why; everything else must be equal.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { exportRecords, type WfpBlocksError } from '../dist/index.js';

const ROOT = path.join(__dirname, '..');
export const REPO_EVTX = path.join(__dirname, 'fixtures', 'evtx');
const CACHE = path.join(ROOT, '.evtx-references');
const PYTHON_DUMP = path.join(__dirname, 'evtx', 'python_evtx_dump.py');

/** The team's shared set (`shared/fixtures/evtx` in a parent folder), when this machine has it. */
export function sharedEvtxDir(): string | null {
  for (let dir = ROOT; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', 'fixtures', 'evtx');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * The repository's .evtx files, decompressed once into the cache folder; then the shared set's others
 * (not with WFP_EVTX_REPO_ONLY set: as on a machine without the shared set).
 */
export function evtxFiles(): Array<{ name: string; file: string; inRepo: boolean }> {
  const out = path.join(CACHE, 'files');
  mkdirSync(out, { recursive: true });
  const files = readdirSync(REPO_EVTX)
    .filter((f) => f.endsWith('.evtx.gz'))
    .sort()
    .map((gz) => {
      const name = gz.slice(0, -3);
      const file = path.join(out, name);
      if (!existsSync(file)) writeFileSync(file, gunzipSync(readFileSync(path.join(REPO_EVTX, gz))));
      return { name, file, inRepo: true };
    });
  const shared = process.env.WFP_EVTX_REPO_ONLY ? null : sharedEvtxDir();
  if (shared) {
    const have = new Set(files.map((f) => f.name));
    for (const name of readdirSync(shared)
      .filter((f) => f.endsWith('.evtx'))
      .sort())
      if (!have.has(name)) files.push({ name, file: path.join(shared, name), inRepo: false });
  }
  return files;
}

// ---- what wfp-blocks makes of a file or of XML -----------------------------------------------------

/** One record as `wfp-blocks export --format json` writes it. */
export interface JsonRecord {
  eventId: number | null;
  recordId: number | null;
  timeCreated: string | null;
  data: Record<string, string | string[]>;
  [system: string]: unknown;
}

export interface Exported {
  text: string;
  errors: WfpBlocksError[];
}

export function exportText(source: string | string[] | Readable, format: 'xml' | 'json'): Promise<Exported> {
  const chunks: Buffer[] = [];
  const errors: WfpBlocksError[] = [];
  const run = exportRecords({ source: { replay: source }, format });
  run.on('data', (c) => chunks.push(c));
  run.on('error', (e) => errors.push(e));
  return new Promise((resolve) => run.once('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), errors })));
}

export const jsonLines = (text: string): JsonRecord[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonRecord);

/** Event XML (any layout, several records) through the XML path, as JSON records. */
export async function xmlToJson(xml: string): Promise<{ records: JsonRecord[]; errors: WfpBlocksError[] }> {
  if (xml.trim() === '') return { records: [], errors: [] };
  const { text, errors } = await exportText(Readable.from([Buffer.from(xml, 'utf8')]), 'json');
  return { records: jsonLines(text), errors };
}

// ---- the renderers ---------------------------------------------------------------------------------

export interface Libevtx {
  status: number | null;
  stderr: string;
  records: string[]; // each record's XML as evtxexport printed it
}

/** `evtxexport -f xml` (mode items: the allocated records, or recovered: those libevtx finds elsewhere). */
export function libevtx(file: string, mode: 'items' | 'recovered' = 'items'): Libevtx {
  const r = spawnSync('evtxexport', ['-m', mode, '-f', 'xml', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stderr: r.stderr, records: r.stdout.match(/<Event[ >][\s\S]*?<\/Event>/g) ?? [] };
}

export interface PythonRow {
  chunk: number;
  offset: number;
  id: number;
  xml?: string;
  error?: string;
}

function pythonEvtxVersion(): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import Evtx, os; print(os.path.getmtime(Evtx.__file__))'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3-evtx is not installed (apt-get install python3-evtx): ${r.stderr}`);
  return r.stdout.trim();
}

let pythonVersion: string | undefined;
let running = 0;
const queue: Array<() => void> = [];

/**
 * python-evtx's rendering of every record of `file`. python-evtx reads about a hundred records a
 * second, so its output is kept in the (git-ignored) cache folder, keyed by the file's bytes, the dump
 * script and the installed python-evtx: a run from a clean checkout runs it on every file, two at a time.
 */
export async function pythonEvtx(file: string): Promise<PythonRow[]> {
  pythonVersion ??= pythonEvtxVersion();
  const key = createHash('sha256')
    .update(readFileSync(file))
    .update(readFileSync(PYTHON_DUMP))
    .update(pythonVersion)
    .digest('hex')
    .slice(0, 24);
  const cached = path.join(CACHE, 'python-evtx', `${key}.jsonl`);
  if (!existsSync(cached)) {
    if (running >= 2) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn('/usr/bin/python3', [PYTHON_DUMP, file]);
        const parts: Buffer[] = [];
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => parts.push(c));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0 ? resolve(Buffer.concat(parts).toString('utf8')) : reject(new Error(`python-evtx on ${file}: ${stderr}`)),
        );
      });
      mkdirSync(path.dirname(cached), { recursive: true });
      writeFileSync(cached, out);
    } finally {
      running--;
      queue.shift()?.();
    }
  }
  return readFileSync(cached, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PythonRow);
}

// ---- comparing -------------------------------------------------------------------------------------

/** A way a renderer writes a value differently from Windows, and why ours (Windows') is right. */
export interface Rule {
  name: string;
  explains(ours: string, theirs: string, field: string): boolean;
}

const HEX = /^0x[0-9a-fA-F]+$/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{7})00Z$/;
const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;

/**
 * What python-evtx writes for a time of `ticks` (100 ns since 1970): str(datetime), from
 * utcfromtimestamp(float(FILETIME) * 1e-7 - 11644473600) (`viaFloat`, its FILETIME values, rounded
 * half to even at the microsecond as CPython does) or from exact fields (its SYSTEMTIME values).
 */
function pythonTime(ticks: bigint, viaFloat: boolean): string {
  let seconds: number;
  let micro: number;
  if (viaFloat) {
    const t = Number(ticks + 116444736000000000n) * 1e-7 - 11644473600;
    seconds = Math.trunc(t);
    const scaled = (t - seconds) * 1e6;
    micro = Math.round(scaled);
    if (Math.abs(scaled % 1) === 0.5 && micro % 2 !== 0) micro -= 1; // half to even
    if (micro >= 1e6) {
      seconds += 1;
      micro -= 1e6;
    }
  } else {
    seconds = Number(ticks / 10000000n);
    micro = Number((ticks % 10000000n) / 10n);
  }
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${micro ? `.${String(micro).padStart(6, '0')}` : ''}`;
}

function ticks(m: RegExpMatchArray): bigint {
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return BigInt(ms) * 10000n + BigInt((m[7] ?? '').padEnd(7, '0'));
}

export const RULES = {
  hexPadding: {
    name: 'hex values zero-padded',
    explains: (o, t) => HEX.test(o) && HEX.test(t) && t.length > o.length && BigInt(o) === BigInt(t),
  },
  sizeTDecimal: {
    name: 'SizeT in decimal',
    explains: (o, t) => HEX.test(o) && /^\d+$/.test(t) && BigInt(o) === BigInt(t),
  },
  int32Negative: {
    name: 'negative Int32 n written as -(2^31 + n)',
    explains: (o, t) => /^-\d+$/.test(o) && /^-\d+$/.test(t) && -BigInt(t) === 2n ** 31n + BigInt(o),
  },
  loneLineBreak: {
    name: 'a text that is one line break written as empty',
    explains: (o, t) => /^\r?\n$/.test(o) && t === '',
  },
  timeMicroseconds: {
    name: 'times to the microsecond, through a float',
    explains: (o, t) => {
      const a = ISO.exec(o);
      return a !== null && (t === pythonTime(ticks(a), true) || t === pythonTime(ticks(a), false));
    },
  },
  guidLowerCase: {
    name: 'GUIDs in lower case',
    explains: (o, t) => GUID.test(o) && t !== o && t.toUpperCase() === o,
  },
  boolCapitalised: {
    name: 'booleans as True/False',
    explains: (o, t) => (o === 'true' && t === 'True') || (o === 'false' && t === 'False'),
  },
  binaryBase64: {
    name: 'binary in base64',
    explains: (o, t) => /^([0-9A-F]{2})+$/.test(o) && Buffer.from(t, 'base64').toString('hex').toUpperCase() === o,
  },
  loneSurrogateTakesNext: {
    name: 'a lone surrogate swallows the character after it',
    explains: (o, t) => o.includes('\uFFFD') && t === o.replace(/\uFFFD[^\uFFFD]/gu, '\uFFFD'),
  },
  controlCharactersDropped: {
    name: 'control characters XML 1.0 does not allow left out',
    explains: (o, t) => t !== o && t === o.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, ''),
  },
  nestedValueText: {
    name: 'the values of nested BinXML as one text of <string>…</string> lines',
    explains: () => false, // applied to whole value lists in compareRecord
  },
} satisfies Record<string, Rule>;

export const LIBEVTX_RULES: Rule[] = [
  RULES.hexPadding,
  RULES.sizeTDecimal,
  RULES.int32Negative,
  RULES.loneLineBreak,
  RULES.loneSurrogateTakesNext,
];
export const PYTHON_RULES: Rule[] = [
  RULES.hexPadding,
  RULES.sizeTDecimal,
  RULES.timeMicroseconds,
  RULES.guidLowerCase,
  RULES.boolCapitalised,
  RULES.binaryBase64,
  RULES.controlCharactersDropped,
  RULES.nestedValueText,
];
/** python-evtx writes an element whose optional substitution is null as an empty element; Windows leaves it out. */
export const EMPTY_OPTIONAL_ELEMENT = 'empty element for a null optional substitution';

export interface Comparison {
  compared: number;
  explained: Map<string, number>;
  differences: string[];
  /** Records whose values of nested BinXML python-evtx misreads (their data are not compared). */
  misread: JsonRecord[];
}

export function newComparison(): Comparison {
  return { compared: 0, explained: new Map(), differences: [], misread: [] };
}

/**
 * python-evtx writes the values of a nested BinXML fragment as one text of `<string>…</string>` lines,
 * and where that fragment holds empty values it leaves them out and repeats part of another (the
 * 6013 records of System logs: `1039089` then `089`). Where such a record's data do not match, they
 * are not compared with python-evtx; the test holds those records to libevtx instead.
 */
export const NESTED_MISREAD = 'values of nested BinXML misread (compared with libevtx instead)';

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Compares one of our records with a reference's; counts what the rules explain, lists the rest. */
export function compareRecord(ours: JsonRecord, theirs: JsonRecord, rules: Rule[], c: Comparison, where: string, python = false): void {
  c.compared++;
  const explain = (field: string, o: string, t: string) => {
    if (o === t) return;
    const rule = rules.find((r) => r.explains(o, t, field));
    if (rule) c.explained.set(rule.name, (c.explained.get(rule.name) ?? 0) + 1);
    else c.differences.push(`${where} ${field}: ours ${JSON.stringify(o)}, theirs ${JSON.stringify(t)}`);
  };
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    if (key === 'data') continue;
    explain(key, ours[key] === null ? '' : String(ours[key]), theirs[key] === null || theirs[key] === undefined ? '' : String(theirs[key]));
  }
  // Named values by name; unnamed ones (keyed by their position) in order.
  const unnamed = (d: JsonRecord['data']) =>
    Object.keys(d)
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => +a - +b)
      .flatMap((k) => values(d[k]));
  const named = (d: JsonRecord['data']) => Object.keys(d).filter((k) => !/^\d+$/.test(k));
  const nested = python && Object.values(theirs.data).some((v) => values(v).some((x) => /^(<string>[\s\S]*?<\/string>\n)+$/.test(x)));
  const before = c.differences.length;
  const pairs: Array<[string, string[], string[]]> = [['(unnamed)', unnamed(ours.data), unnamed(theirs.data)]];
  for (const name of new Set([...named(ours.data), ...named(theirs.data)]))
    pairs.push([name, values(ours.data[name]), values(theirs.data[name])]);
  for (const [name, o, rawTheirs] of pairs) {
    // python-evtx writes the values of nested BinXML as one text of <string>…</string> lines.
    const t = python
      ? rawTheirs.flatMap((v) => {
          const items = /^(<string>[\s\S]*?<\/string>\n)+$/.test(v)
            ? [...v.matchAll(/<string>([\s\S]*?)<\/string>\n/g)].map((m) => m[1])
            : null;
          if (!items) return [v];
          c.explained.set(RULES.nestedValueText.name, (c.explained.get(RULES.nestedValueText.name) ?? 0) + 1);
          return items;
        })
      : rawTheirs;
    const same = (a: string, b: string) => a === b || rules.some((r) => r.explains(a, b, `data ${name}`));
    // python-evtx writes an element Windows leaves out as empty: find where its extra empty values go
    // (the one alignment that skips only empty values of theirs and matches everything else).
    let skip: boolean[] | null = null;
    if (python && t.length > o.length) {
      const n = t.length;
      const m = o.length;
      const ok: boolean[][] = Array.from({ length: n + 1 }, () => new Array<boolean>(m + 1).fill(false));
      ok[n][m] = true;
      for (let i = n - 1; i >= 0; i--)
        for (let j = m; j >= 0; j--) ok[i][j] = (t[i] === '' && ok[i + 1][j]) || (j < m && same(o[j], t[i]) && ok[i + 1][j + 1]);
      if (ok[0][0]) {
        skip = [];
        for (let i = 0, j = 0; i < n; i++) {
          const take = j < m && same(o[j], t[i]) && ok[i + 1][j + 1];
          skip.push(!take);
          if (take) j++;
        }
      }
    }
    let j = 0;
    for (let i = 0; i < t.length; i++) {
      if (skip?.[i]) {
        c.explained.set(EMPTY_OPTIONAL_ELEMENT, (c.explained.get(EMPTY_OPTIONAL_ELEMENT) ?? 0) + 1);
        continue;
      }
      if (j >= o.length) {
        c.differences.push(`${where} data ${name}: theirs has ${JSON.stringify(t[i])}, ours nothing`);
        continue;
      }
      explain(`data ${name}`, o[j++], t[i]);
    }
    for (; j < o.length; j++) c.differences.push(`${where} data ${name}: ours has ${JSON.stringify(o[j])}, theirs nothing`);
  }
  if (nested && c.differences.length > before) {
    c.differences.length = before;
    c.misread.push(ours);
    c.explained.set(NESTED_MISREAD, (c.explained.get(NESTED_MISREAD) ?? 0) + 1);
  }
}

/** Pairs records by EventRecordID in input order (a file may hold the same ID twice). */
export function pairById<T extends { recordId: number | null }>(
  ours: JsonRecord[],
  theirs: T[],
): {
  pairs: Array<[JsonRecord, T]>;
  oursOnly: JsonRecord[];
  theirsOnly: T[];
} {
  const byId = new Map<number | null, T[]>();
  for (const t of theirs) byId.set(t.recordId, [...(byId.get(t.recordId) ?? []), t]);
  const pairs: Array<[JsonRecord, T]> = [];
  const oursOnly: JsonRecord[] = [];
  for (const o of ours) {
    const t = byId.get(o.recordId)?.shift();
    if (t) pairs.push([o, t]);
    else oursOnly.push(o);
  }
  return { pairs, oursOnly, theirsOnly: [...byId.values()].flat() };
}
