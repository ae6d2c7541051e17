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
  'AndrewRathbun-DFIRArtifactMuseum--RathbunVM_W10EventLogs_Microsoft-Windows-VPN%4Operational.evtx': { records: 0, errors: ['ERR_EMPTY_INPUT'] },
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
  'omerbenamram-evtx--Microsoft-Windows-HelloForBusiness%4Operational.evtx': { records: 5, errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'] },
  'omerbenamram-evtx--Microsoft-Windows-LanguagePackSetup%4Operational.evtx': { records: 16, errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'] },
  'omerbenamram-evtx--Security_short_selected.evtx': { records: 7, errors: [] },
  'omerbenamram-evtx--Security_with_size_t.evtx': { records: 636, errors: [] },
  'omerbenamram-evtx--post-Security.evtx': { records: 126, errors: [] },
  // Record 3 has both size fields zero; records 4-117 after it are sound and read.
  'omerbenamram-evtx--sample-with-zero-data-size-event.evtx': { records: 449, errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD'] },
  'omerbenamram-evtx--sample_with_a_bad_chunk_magic.evtx': {
    records: 298,
    errors: ['ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD', 'ERR_EVTX_CHUNK', 'ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD', 'ERR_EVTX_CHECKSUM', 'ERR_EVTX_RECORD', 'ERR_EVTX_CHUNK'],
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
  const pyRows = whole ? [...rows, ...(await pythonEvtx(whole)).filter((r) => r.chunk === Math.floor((statSync(file).size - HEADER) / CHUNK))] : rows;
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
