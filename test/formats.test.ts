// The machine formats the native thread writes (native/pipeline/event_formats.h) are byte for byte
// what JavaScript writes for the same events: JSON.stringify of the BlockEvent, of toEcs() and of
// toOtlpJson(toOtelLogRecord()) (observedTimeUnixNano aside: it is the time of writing). On every
// fixture record, and on synthetic records made to be awkward for a hand-written JSON writer.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toEcs, toOtelLogRecord, toOtlpJson, type BlockEvent, type WatchOptions } from '../dist/index.js';
import { resolveOptions } from '../dist/options.js';
import { watchText } from '../dist/watcher.js';
import { evtxFiles } from './evtx-references';
import { collect, FIXTURES, tempFile } from './helpers';
import { record, WIN11_5157_DATA } from './synthetic';

type Format = 'json' | 'ecs' | 'otel';
const observed = (line: string) => line.replace(/"observedTimeUnixNano":"\d+"/, '"observedTimeUnixNano":"T"');

function nativeLines(options: WatchOptions, format: Format): Promise<string[]> {
  const chunks: Buffer[] = [];
  let count = 0;
  const watcher = watchText(resolveOptions(options), format, (bytes, n) => {
    chunks.push(Buffer.from(bytes));
    count += n;
  });
  watcher.on('error', () => {}); // the issues are collect()'s to check; these runs only compare lines
  return new Promise((resolve) =>
    watcher.once('close', () => {
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
      expect(lines).toHaveLength(count);
      resolve(lines);
    }),
  );
}

const JS: Record<Format, (e: BlockEvent) => string> = {
  json: (e) => JSON.stringify(e),
  ecs: (e) => JSON.stringify(toEcs(e)),
  otel: (e) => JSON.stringify(toOtlpJson(toOtelLogRecord(e))),
};

async function expectSame(options: WatchOptions, minimum: number) {
  const { events } = await collect(options);
  expect(events.length).toBeGreaterThanOrEqual(minimum);
  for (const format of ['json', 'ecs', 'otel'] as const) {
    const native = await nativeLines(options, format);
    const js = events.map(JS[format]);
    const differ = native.findIndex((line, i) => observed(line) !== observed(js[i]));
    expect(native.length, format).toBe(js.length);
    expect(differ === -1 ? null : { format, native: native[differ], js: js[differ] }).toBeNull();
  }
}

describe('native machine formats', () => {
  it('every fixture record, in json, ecs and otel, byte for byte as JavaScript writes it', async () => {
    await expectSame({ source: { replay: FIXTURES }, includeAllowed: true }, 9099);
  });

  it('firewall log records, which come from no event log, the same way', async () => {
    const dir = path.join(__dirname, 'fixtures', 'fwlog');
    await expectSame({ source: { replay: dir }, includeAllowed: true, utcOffset: 60 }, 20);
  });

  it('coalesced events carry count, firstTime and lastTime the same way', async () => {
    await expectSame({ source: { replay: FIXTURES }, includeAllowed: true, coalesce: { windowMs: 60_000 } }, 100);
  });

  it('awkward strings and numbers: escapes, line breaks, entities, non-ASCII, bad UTF-8, unnamed and repeated fields, big numbers', async () => {
    const awkward: Array<[string, string]> = [
      ['Quote', 'a "quoted" \\ back\\slash'],
      ['Controls', 'line\nbreak\r\ttab &#9;&#10;&#13;'],
      ['NonAscii', 'Zürich → 東京 😀 \u2028\u2029'],
      ['Entity', '&lt;&amp;&quot;&apos;&#xD;&#160;&#x1F600;'],
      ['', 'unnamed one'],
      ['Repeated', 'first'],
      ['Repeated', 'second'],
      ['42', 'an index-like name'],
      ['__proto__', 'a field like any other'],
      ['FilterRTID', '18446744073709551615'],
      ['LayerRTID', '9007199254740993'],
      ['ProcessID', '00042'],
    ];
    const xml = [
      record({ recordId: 1, data: [...WIN11_5157_DATA, ...awkward] }),
      record({ recordId: 2, eventId: 5156, data: WIN11_5157_DATA.map(([k, v]) => [k, k === 'SourceAddress' ? '::ffff:10.1.2.3' : v]) }),
      record({
        recordId: 3,
        eventId: 5152,
        data: [
          ['Direction', '%%14592'],
          ['SourceAddress', 'fe80::1%12'],
          ['DestAddress', 'fe80::2'],
          ['Protocol', '58'],
          ['SourcePort', '135'],
          ['DestPort', '0'],
        ],
      }),
      record({
        recordId: 4,
        eventId: 5159,
        time: '2024-05-06 07:08:09',
        data: [
          ['ProcessId', '-'],
          ['Application', '-'],
          ['SourceAddress', '0.0.0.0'],
          ['SourcePort', '0'],
          ['Protocol', '17'],
          ['FilterRTID', '0'],
        ],
      }),
      record({
        recordId: 18446744073709551615n.toString(),
        eventId: 5031,
        data: [
          ['Profiles', 'Public'],
          ['Application', 'C:\\x\\y.exe'],
        ],
      }),
      // A character to escape at every place of values and names of 1 to 17 bytes: the plain copy
      // goes eight bytes at a time, the last eight overlapping the ones before.
      record({
        recordId: 6,
        data: [
          ...WIN11_5157_DATA,
          ...Array.from({ length: 17 }, (_, n) =>
            Array.from({ length: n + 1 }, (_, k): [string, string] => [
              `E${n}x${k}${'"\\'.charAt(k % 2)}`.padEnd(n + 1, 'n'),
              `${'v'.repeat(k)}${'\\"\t'.charAt(k % 3)}${'w'.repeat(n - k)}`,
            ]),
          ).flat(),
        ],
      }),
    ].join('\n');
    const bytes = Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(xml.slice(200))]);
    // The invalid bytes land inside the first record's Computer element or a value: either way the
    // reader or JavaScript decides, and both formats must agree on what they become.
    await expectSame({ source: { replay: tempFile(xml) }, includeAllowed: true }, 6);
    await expectSame({ source: { replay: tempFile(bytes) }, includeAllowed: true }, 5);
  });

  it('what decided each event and the last change of its rule or filter, from real change records', async () => {
    const changes = path.join(FIXTURES, 'changes');
    const win11 = (recordId: number, origin: string, filterRtid: string) =>
      record({
        version: 3,
        recordId,
        time: '2021-06-03T20:00:00.0000000Z',
        data: WIN11_5157_DATA.map(([k, v]) => [k, k === 'FilterOrigin' ? origin : k === 'FilterRTID' ? filterRtid : v]),
      });
    const blocks = tempFile(
      [
        win11(1, 'Unknown', '72549'),
        win11(2, 'udp query user{~~~~}c:\\users\\hyuunnn\\downloads\\anydesk.exe', '206474'),
        win11(3, 'Stealth', '1'),
        win11(4, 'CoreNet-Teredo-In', '2'),
      ].join('\n'),
    );
    // The first change log as exported XML, and as the .evtx it was exported from (in the team's
    // shared set only: where that is absent, the XML alone).
    const firewallDisabled = evtxFiles().find(
      (f) => f.name === 'mdecrevoisier-EVTX-to-MITRE-Attack--ID4688-5447-4950-Firewall_disabled__command_.evtx',
    );
    for (const first of [
      path.join(changes, 'evtx-mdecrevoisier-firewall-disabled.xml'),
      ...(firewallDisabled ? [firewallDisabled.file] : []),
    ]) {
      const replay = [first, path.join(changes, 'text-EricZimmerman-firewall.xml'), blocks];
      const { events } = await collect({ source: { replay } });
      expect(events.filter((e) => e.lastChange).length, first).toBe(2);
      await expectSame({ source: { replay } }, 4);
    }
  });

  it("records read from .evtx files (every file of the repository's set, dirty ones too), alone and coalesced", async () => {
    const files = evtxFiles()
      .filter((f) => f.inRepo)
      .map((f) => f.file);
    const { errors } = await collect({ source: { replay: files }, includeAllowed: true });
    expect(errors.filter((e) => e.code.startsWith('ERR_EVTX_')).length).toBeGreaterThan(0);
    await expectSame({ source: { replay: files }, includeAllowed: true }, 3);
    await expectSame({ source: { replay: [...files, ...files] }, includeAllowed: true, coalesce: { windowMs: 60_000 } }, 3);
  });
});
