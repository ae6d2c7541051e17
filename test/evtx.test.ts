// The .evtx reader on every record of every real file (test/fixtures/evtx/, and the team's shared set
// where this machine has it), against two independent renderers: libyal's evtxexport and python-evtx.
// Each reference record's XML goes through wfp-blocks' own XML path, so an .evtx record is held to what
// the XML path makes of that record's XML. Where a renderer differs from Windows, a named rule in
// test/evtx-references.ts says how; where the two renderers differ from each other, a test below says
// which is right and why. Records neither renderer reads (template-less records, BinXML in
// substitutions, Null-typed values with bytes) are checked against what they must be.
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { watchBlocks, type BlockEvent, type PolicyChange, type WfpBlocksError } from '../dist/index.js';
import {
  EMPTY_OPTIONAL_ELEMENT,
  LIBEVTX_RULES,
  PYTHON_RULES,
  RULES,
  compareRecord,
  evtxFiles,
  exportText,
  jsonLines,
  libevtx,
  newComparison,
  pairById,
  pythonEvtx,
  xmlToJson,
  type Comparison,
  type JsonRecord,
} from './evtx-references';
import { tempDir } from './helpers';

const CHUNK = 65536;
const HEADER = 4096;

// What the reader gives for each file: its record count and the problems it reports, in order. The
// comments say what each problem is; the tests below check the records themselves.
const EXPECTED: Record<string, { records: number; errors: string[] }> = {
  'AndrewRathbun-DFIRArtifactMuseum--APTSimulatorVM_EventLogs_Microsoft-Windows-Ntfs%4Operational.evtx': { records: 43, errors: [] },
  'AndrewRathbun-DFIRArtifactMuseum--APTSimulatorVM_EventLogs_Server2022_Application.evtx': { records: 115, errors: [] },
  'AndrewRathbun-DFIRArtifactMuseum--APTSimulatorVM_EventLogs_Server2022_Security.evtx': { records: 583, errors: [] },
  'AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W10EventLogs_Microsoft-Windows-Ntfs%4Operational.evtx': { records: 211, errors: [] },
  // An empty log: its only chunk was initialised with no record.
  'AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W10EventLogs_Microsoft-Windows-VPN%4Operational.evtx': {
    records: 0,
    errors: ['ERR_EMPTY_INPUT'],
  },
  'AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W11EventLogs_System.evtx': { records: 1077, errors: [] },
  'Velocidex-evtx--Microsoft-Windows-CAPI2_Operational_EventID70.evtx': { records: 1, errors: [] },
  // Dirty: the header counts 5 chunks, 10 are there; all are read, silently (nothing is wrong with them).
  'Velocidex-evtx--Security.evtx': { records: 739, errors: [] },
  // 200,000 bytes: the file ends inside its third chunk; the 89 records wholly inside it are read.
  'log2timeline-plaso--System2.evtx': { records: 283, errors: ['ERR_EVTX_TRUNCATED'] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID104-Log_cleared.evtx': { records: 267, errors: [] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID2003-4950-Firewall_disabled.evtx': { records: 6, errors: [] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID4688-5447-4950-Firewall_disabled__command_.evtx': { records: 998, errors: [] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID4719-Audit-policy_deactivated.evtx': { records: 26, errors: [] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID4719-Audit_policy_deactivation.evtx': { records: 30, errors: [] },
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID800-4103-Firewall_disabled.evtx': { records: 10, errors: [] },
  // Two chunks whose records checksum fails, each with a record whose copy of its size is garbage.
  'omerbenamram-evtx--2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx': {
    records: 1910,
    errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD', 'ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'],
  },
  'omerbenamram-evtx--2-vss_7-System.evtx': { records: 1160, errors: [] },
  // Header flag 0x4: Windows keeps no checksums here (none match, none is reported).
  'omerbenamram-evtx--Application_no_crc32.evtx': { records: 17, errors: [] },
  'omerbenamram-evtx--E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx': { records: 340, errors: [] },
  'omerbenamram-evtx--MSExchange_Management_wec.evtx': { records: 1, errors: [] },
  // The sixth record was being written when the file was copied: zeros from its middle on.
  'omerbenamram-evtx--Microsoft-Windows-HelloForBusiness%4Operational.evtx': {
    records: 5,
    errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'],
  },
  'omerbenamram-evtx--Microsoft-Windows-LanguagePackSetup%4Operational.evtx': {
    records: 16,
    errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'],
  },
  'omerbenamram-evtx--Security_short_selected.evtx': { records: 7, errors: [] },
  'omerbenamram-evtx--Security_with_size_t.evtx': { records: 636, errors: [] },
  'omerbenamram-evtx--post-Security.evtx': { records: 126, errors: [] },
  // Record 3 has both size fields zero; records 4-117 after it are sound and read.
  'omerbenamram-evtx--sample-with-zero-data-size-event.evtx': { records: 449, errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'] },
  'omerbenamram-evtx--sample_with_a_bad_chunk_magic.evtx': {
    records: 298,
    errors: [
      'ERR_EVTX_CHECKSUM',
      'ERR_EVTX_RECORD',
      'ERR_EVTX_CHUNK',
      'ERR_EVTX_CHECKSUM',
      'ERR_EVTX_RECORD',
      'ERR_EVTX_CHECKSUM',
      'ERR_EVTX_RECORD',
      'ERR_EVTX_CHUNK',
    ],
  },
  'omerbenamram-evtx--security.evtx': { records: 2261, errors: [] },
  // Dirty, chunks past the header's count, and 8 chunks of leftover bytes after them (unused space).
  'omerbenamram-evtx--sysmon.evtx': { records: 358, errors: [] },
  'williballenthin-python-evtx--dns_log_malformed.evtx': { records: 5, errors: [] },
  'williballenthin-python-evtx--system.evtx': { records: 1601, errors: [] },
};

interface Examined {
  name: string;
  file: string;
  ours: JsonRecord[];
  errors: WfpBlocksError[];
  roundTrip: JsonRecord[];
  libevtx: Comparison;
  libevtxStatus: number | null;
  libevtxOnly: number;
  libevtxUnread: JsonRecord[]; // ours, not rendered by libevtx in any mode
  python: Comparison;
  pythonErrors: Map<string, number>;
  pythonOnly: Array<{ offset: number; id: number; reported: boolean }>;
  pythonUnread: JsonRecord[];
  uncovered: JsonRecord[]; // read by neither renderer
  lib: JsonRecord[]; // libevtx's records through the XML path
  py: Array<JsonRecord & { offset: number }>; // python-evtx's, with each record's offset in the file
}

/** A copy of `file` padded with zeros to whole chunks, for renderers that skip a partial last chunk. */
function padded(file: string): string | null {
  const size = statSync(file).size;
  if ((size - HEADER) % CHUNK === 0) return null;
  const out = path.join(tempDir(), `padded-${path.basename(file)}`);
  const bytes = readFileSync(file);
  writeFileSync(out, Buffer.concat([bytes, Buffer.alloc(CHUNK - ((size - HEADER) % CHUNK))]));
  return out;
}

async function examine(name: string, file: string): Promise<Examined> {
  const json = await exportText(file, 'json');
  const ours = jsonLines(json.text);
  const xml = await exportText(file, 'xml');
  const roundTrip = await xmlToJson(xml.text);
  expect(roundTrip.errors, `${name}: our XML reads back`).toEqual([]);

  // libevtx: its allocated records, then those it recovers, then a padded copy of a cut file.
  const libevtxComparison = newComparison();
  const lib = libevtx(file);
  const libRecords = await xmlToJson(lib.records.join('\n'));
  expect(libRecords.errors, `${name}: libevtx's XML reads`).toEqual([]);
  const first = pairById(ours, libRecords.records);
  for (const [o, t] of first.pairs) compareRecord(o, t, LIBEVTX_RULES, libevtxComparison, `${name} #${o.recordId}`);
  let unread = first.oursOnly;
  const coveredByLibevtx = new Set(first.pairs.map(([o]) => o));
  if (unread.length && lib.status === 0) {
    // libevtx also recovers deleted copies from free space: only a copy of the same event is ours.
    // (Where it gave up on the file, its recovered records are misread too: not compared.)
    const recovered = pairById(unread, (await xmlToJson(libevtx(file, 'recovered').records.join('\n'))).records);
    const same = recovered.pairs.filter(([o, t]) => o.eventId === t.eventId && o.timeCreated === t.timeCreated);
    for (const [o, t] of same) {
      compareRecord(o, t, LIBEVTX_RULES, libevtxComparison, `${name} #${o.recordId} (recovered)`);
      coveredByLibevtx.add(o);
    }
    unread = unread.filter((o) => !coveredByLibevtx.has(o));
  }
  const whole = padded(file);
  if (unread.length && whole) {
    const cut = pairById(unread, (await xmlToJson(libevtx(whole).records.join('\n'))).records);
    for (const [o, t] of cut.pairs) {
      compareRecord(o, t, LIBEVTX_RULES, libevtxComparison, `${name} #${o.recordId} (padded)`);
      coveredByLibevtx.add(o);
    }
    unread = cut.oursOnly;
  }

  // python-evtx: every record it renders; the ones it fails on are counted by error.
  const pythonComparison = newComparison();
  const rows = await pythonEvtx(file);
  const pyRows = whole
    ? [...rows, ...(await pythonEvtx(whole)).filter((r) => r.chunk === Math.floor((statSync(file).size - HEADER) / CHUNK))]
    : rows;
  const rendered = pyRows.filter((r) => r.xml !== undefined);
  const pyRecords = await xmlToJson(rendered.map((r) => r.xml).join('\n'));
  expect(pyRecords.errors, `${name}: python-evtx's XML reads`).toEqual([]);
  expect(pyRecords.records.length).toBe(rendered.length);
  const py = pairById(ours, pyRecords.records);
  for (const [o, t] of py.pairs) compareRecord(o, t, PYTHON_RULES, pythonComparison, `${name} #${o.recordId}`, true);
  const pythonErrors = new Map<string, number>();
  for (const r of pyRows.filter((r) => r.error)) pythonErrors.set(r.error!, (pythonErrors.get(r.error!) ?? 0) + 1);
  // Records python-evtx renders that we do not: each must be one we reported, at its offset.
  const reported = new Set(json.errors.filter((e) => e.code === 'ERR_EVTX_RECORD' || e.code === 'ERR_EVTX_TRUNCATED').map((e) => e.offset));
  const pythonOnly = py.theirsOnly.map((t) => {
    const row = rendered[pyRecords.records.indexOf(t)];
    return { offset: row.offset, id: row.id, reported: reported.has(row.offset) };
  });
  const coveredByPython = new Set(py.pairs.map(([o]) => o));
  return {
    name,
    file,
    ours,
    errors: json.errors,
    roundTrip: roundTrip.records,
    libevtx: libevtxComparison,
    libevtxStatus: lib.status,
    libevtxOnly: first.theirsOnly.length,
    libevtxUnread: unread,
    python: pythonComparison,
    pythonErrors,
    pythonOnly,
    pythonUnread: py.oursOnly,
    uncovered: ours.filter((o) => !coveredByLibevtx.has(o) && !coveredByPython.has(o)),
    lib: libRecords.records,
    py: pyRecords.records.map((r, i) => ({ ...r, offset: rendered[i].offset })),
  };
}

const FILES = evtxFiles();
const examined = new Map<string, Examined>();
const failed = new Map<string, unknown>();

describe('every record of every .evtx file against evtxexport and python-evtx', () => {
  beforeAll(async () => {
    await Promise.all(
      FILES.map((f) =>
        examine(f.name, f.file).then(
          (r) => examined.set(r.name, r),
          (error: unknown) => failed.set(f.name, error),
        ),
      ),
    );
  }, 1_200_000);

  it('has the repository files, and the shared set where this machine has it', () => {
    expect(FILES.filter((f) => f.inRepo).length).toBe(21);
    for (const f of FILES) expect(EXPECTED[f.name], `${f.name} is in the table`).toBeDefined();
  });

  for (const { name } of FILES) {
    it(`${name}: the counts and problems, and each record equals the renderers' where they read it`, () => {
      if (failed.has(name)) throw failed.get(name);
      const r = examined.get(name)!;
      expect(r.ours.length).toBe(EXPECTED[name].records);
      expect(r.errors.map((e) => e.code)).toEqual(EXPECTED[name].errors);
      for (const e of r.errors) {
        expect(e.recoverable).toBe(true);
        expect(e.input).toBe(r.file);
        if (e.code !== 'ERR_EMPTY_INPUT') {
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.message).toMatch(/chunk \d+ \(at offset \d+\)/);
        }
      }
      // Our own XML of each record reads back, through the XML path, to the same record.
      expect(r.roundTrip).toEqual(r.ours);
      expect(r.libevtx.differences).toEqual([]);
      expect(r.python.differences).toEqual([]);
      // Whatever libevtx reads, we read; what python-evtx alone renders are records we reported.
      expect(r.libevtxOnly).toBe(0);
      expect(r.pythonOnly.filter((p) => !p.reported)).toEqual([]);
      // Records libevtx leaves out only where it gave up on the file.
      if (r.libevtxUnread.length) expect(r.libevtxStatus, 'libevtx stopped early').toBe(1);
      // Where python-evtx misreads nested BinXML, libevtx read the record.
      expect(r.python.misread.filter((o) => r.libevtxUnread.includes(o))).toEqual([]);
    });
  }

  it('the totals: records compared with each renderer, and the rules that explain every difference', () => {
    const all = [...examined.values()];
    const sum = (f: (r: Examined) => number) => all.reduce((n, r) => n + f(r), 0);
    const rules = (pick: (r: Examined) => Comparison) => {
      const m = new Map<string, number>();
      for (const r of all) for (const [k, v] of pick(r).explained) m.set(k, (m.get(k) ?? 0) + v);
      return Object.fromEntries([...m].sort());
    };
    const totals = {
      files: all.length,
      records: sum((r) => r.ours.length),
      comparedWithLibevtx: sum((r) => r.libevtx.compared),
      comparedWithPython: sum((r) => r.python.compared),
      readByNeither: sum((r) => r.uncovered.length),
      pythonErrors: sum((r) => [...r.pythonErrors.values()].reduce((a, b) => a + b, 0)),
      libevtxRules: rules((r) => r.libevtx),
      pythonRules: rules((r) => r.python),
    };
    console.log(`evtx references: ${JSON.stringify(totals)}`);
    expect(totals.comparedWithLibevtx).toBeGreaterThan(3000);
    expect(totals.comparedWithPython).toBeGreaterThan(3000);
    // Every rule is needed by some real record (a rule nothing needs would hide nothing and mean
    // nothing); the repository's files alone need all but one, which the shared set's security.evtx needs.
    const repoOnly = all.length === 21;
    for (const rule of LIBEVTX_RULES) expect(totals.libevtxRules[rule.name] ?? 0, rule.name).toBeGreaterThan(0);
    for (const rule of PYTHON_RULES.filter((r) => !repoOnly || r !== RULES.controlCharactersDropped))
      expect(totals.pythonRules[rule.name] ?? 0, rule.name).toBeGreaterThan(0);
    expect(totals.pythonRules[EMPTY_OPTIONAL_ELEMENT]).toBeGreaterThan(0);
  });

  it('records read by neither renderer are only those both fail on, in the files listed', () => {
    const unread = Object.fromEntries([...examined.values()].filter((r) => r.uncovered.length).map((r) => [r.name, r.uncovered.length]));
    const expected: Record<string, number> = {
      // Template-less records: libevtx stops at the first Value token, python-evtx fails on each.
      'omerbenamram-evtx--MSExchange_Management_wec.evtx': 1,
      'mdecrevoisier-EVTX-to-MITRE-Attack--ID800-4103-Firewall_disabled.evtx': 10,
      'mdecrevoisier-EVTX-to-MITRE-Attack--ID2003-4950-Firewall_disabled.evtx': 6,
      // BinXML in substitution values with processing instructions: python-evtx fails on every record,
      // libevtx stops after 24 of 340.
      'omerbenamram-evtx--E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx': 316,
      // libevtx stops at record 34 (values typed Null that hold bytes); python-evtx fails on the 18 records
      // with UInt32 or UInt64 arrays (KeyError), 17 of them after record 34.
      'AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W10EventLogs_Microsoft-Windows-Ntfs%4Operational.evtx': 17,
    };
    expect(unread).toEqual(Object.fromEntries(Object.entries(expected).filter(([name]) => examined.has(name))));
  });
});

// Where the two renderers disagree with each other (on the same record), which is right, and why.
// "Windows" is EvtRender's XML, as in the Windows-rendered records of test/fixtures/records.
describe('where evtxexport and python-evtx disagree, and which is right', () => {
  beforeAll(async () => {
    if (examined.size === 0) for (const f of FILES) examined.set(f.name, await examine(f.name, f.file));
  }, 1_200_000);
  const get = (name: string) => examined.get(name);
  const record = (r: Examined, id: number) => ({
    ours: r.ours.find((x) => x.recordId === id)!,
    lib: r.lib.find((x) => x.recordId === id),
    py: r.py.find((x) => x.recordId === id),
  });
  const windowsXml =
    readFileSync(path.join(__dirname, 'fixtures', 'records', 'text-EricZimmerman.xml'), 'utf8') +
    readFileSync(path.join(__dirname, 'fixtures', 'records', 'text-DigitalRuby.xml'), 'utf8');

  it('times: libevtx is right (the 100 ns the file holds); python-evtx goes through a float to the microsecond', () => {
    const r = get('omerbenamram-evtx--Security_short_selected.evtx')!;
    const { ours, lib, py } = record(r, 319457771);
    // The record header's written time holds the same FILETIME as TimeCreated.
    const ticks = readFileSync(r.file).readBigUInt64LE(py!.offset + 16);
    expect(ticks).toBe(131116874743460000n);
    expect(ours.timeCreated).toBe('2016-06-29T15:24:34.346000000Z');
    expect(lib!.timeCreated).toBe(ours.timeCreated);
    expect(py!.timeCreated).toBe('2016-06-29 15:24:34.345999'); // 0.346 s is not a binary fraction
  });

  it('GUIDs: libevtx is right (upper case, as Windows writes them); python-evtx writes lower case', () => {
    expect(windowsXml).toMatch(/\{0CCE9223-69AE-11D9-BED3-505054503030\}/);
    expect(windowsXml).not.toMatch(/\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}/);
    const { ours, lib, py } = record(get('mdecrevoisier-EVTX-to-MITRE-Attack--ID4719-Audit_policy_deactivation.evtx')!, 109446);
    expect(ours.data.SubcategoryGuid).toBe('{0CCE9210-69AE-11D9-BED3-505054503030}');
    expect(lib!.data.SubcategoryGuid).toBe(ours.data.SubcategoryGuid);
    expect(py!.data.SubcategoryGuid).toBe('{0cce9210-69ae-11d9-bed3-505054503030}');
  });

  it('booleans and binary: libevtx is right (true/false and hex, as Windows writes xs:boolean and Binary); python-evtx writes True/False and base64', () => {
    const r = get('AndrewRathbun-DFIRArtifactMuseum--APTSimulatorVM_EventLogs_Microsoft-Windows-Ntfs%4Operational.evtx')!;
    const { ours, lib, py } = record(r, 1);
    expect(ours.data.IsBootVolume).toBe('true');
    expect(lib!.data.IsBootVolume).toBe('true');
    expect(py!.data.IsBootVolume).toBe('True');
    const w11 = record(get('AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W11EventLogs_System.evtx')!, 27);
    expect(w11.ours.data.Binary).toMatch(/^([0-9A-F]{2})+$/);
    expect(w11.lib!.data.Binary).toBe(w11.ours.data.Binary);
    expect(
      Buffer.from(w11.py!.data.Binary as string, 'base64')
        .toString('hex')
        .toUpperCase(),
    ).toBe(w11.ours.data.Binary);
  });

  it('a negative Int32: python-evtx is right (-1); libevtx writes -2147483647', () => {
    const { ours, lib, py } = record(get('AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W11EventLogs_System.evtx')!, 32);
    expect(ours.data.MinimumPasswordLengthAudit).toBe('-1');
    expect(py!.data.MinimumPasswordLengthAudit).toBe('-1');
    // -(2^31 - 1): libevtx negates the low 31 bits instead of the two's complement (FF FF FF FF is -1).
    expect(lib!.data.MinimumPasswordLengthAudit).toBe('-2147483647');
  });

  it('a value that is one line feed: python-evtx is right (the value holds U+000A); libevtx writes it empty', () => {
    const { ours, lib, py } = record(get('omerbenamram-evtx--Application_no_crc32.evtx')!, 441);
    expect(ours.data.ExtraInfo).toBe('\n');
    expect(py!.data.ExtraInfo).toBe('\n');
    expect(lib!.data.ExtraInfo).toBe(''); // libyal: Event Viewer shows such a text as empty
  });

  it("an element whose optional substitution is null: libevtx is right (left out, MS-EVEN6's optional substitution); python-evtx writes it empty", () => {
    const { ours, lib, py } = record(get('omerbenamram-evtx--Application_no_crc32.evtx')!, 427);
    expect(lib!.data).toEqual(ours.data);
    expect(ours.data.Binary).toBeUndefined();
    expect(py!.data.Binary).toBe(''); // <Binary></Binary>
  });

  it('records never completely written: libevtx is right to leave them out; python-evtx renders them from the zeros', () => {
    const r = get('omerbenamram-evtx--sample_with_a_bad_chunk_magic.evtx')!;
    expect(r.pythonOnly.map((p) => p.offset)).toEqual([12224, 470632, 650816]);
    for (const p of r.pythonOnly) {
      const size = readFileSync(r.file).readUInt32LE(p.offset + 4);
      expect(readFileSync(r.file).readUInt32LE(p.offset + size - 4), 'the copy of its size').toBe(0);
    }
    expect(get('omerbenamram-evtx--Microsoft-Windows-HelloForBusiness%4Operational.evtx')!.pythonOnly.length).toBe(1);
  });

  it('records after a broken one in the same chunk: both leave them out; they are sound (libevtx -m recovered gives the same)', () => {
    const r = get('omerbenamram-evtx--sample-with-zero-data-size-event.evtx')!;
    expect(r.ours.length - r.lib.length).toBe(114);
    expect(r.libevtxUnread).toEqual([]); // each of the 114 compared with libevtx's recovered record
  });

  it('a lone UTF-16 surrogate: both lose the character after it; the value holds D9E4 014C, a bad unit and Ō', () => {
    const r = get('log2timeline-plaso--System2.evtx')!;
    expect(readFileSync(r.file).includes(Buffer.from([0xe4, 0xd9, 0x4c, 0x01]))).toBe(true);
    expect(record(r, 216).ours.data.MinPasswordAge).toBe('\uFFFD\u014C');
  });

  it('SizeT and padded hex: both are wrong; Windows writes pointers and hex values as 0x with no padding', () => {
    expect(windowsXml).toMatch(/SubjectLogonId">0x3e7</);
    const { ours, lib, py } = record(get('omerbenamram-evtx--Security_with_size_t.evtx')!, 4);
    expect(ours.data.ProcessId).toBe('0x24c'); // a win:Pointer, written as Windows writes 4624's ProcessId
    expect(lib!.data.ProcessId).toBe('588');
    expect(py!.data.ProcessId).toBe('588');
    expect(ours.data.SubjectLogonId).toBe('0x3e7');
    expect(lib!.data.SubjectLogonId).toBe('0x00000000000003e7');
    expect(py!.data.SubjectLogonId).toBe('0x00000000000003e7');
  });

  it.runIf(FILES.some((f) => f.name === 'omerbenamram-evtx--security.evtx'))(
    'a control character: libevtx is right (the value holds U+0003); python-evtx leaves it out',
    () => {
      const r = get('omerbenamram-evtx--security.evtx')!;
      const ours = r.ours.find((x) => x.data.MinPasswordAge === '\u0003')!;
      expect(r.lib.find((x) => x.recordId === ours.recordId)!.data.MinPasswordAge).toBe('\u0003');
      expect(r.py.find((x) => x.recordId === ours.recordId)!.data.MinPasswordAge).toBe('');
    },
  );
});
