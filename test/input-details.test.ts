// The details of the input rules, as a user meets them: markup never closed does not swallow later
// records (in a file or in follow mode), the 1 MiB record limit is the same for files and streams,
// character references, NUL bytes, Data names, impossible dates and UTF-16 without a byte-order mark.
import { appendFileSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockEvent, type WfpBlocksError } from '../dist/index.js';
import { collect, fixture, tempFile } from './helpers';
import { record } from './synthetic';

const good = (
  recordId: number,
  data: Array<[string, string]> = [
    ['Direction', '%%14593'],
    ['Protocol', '6'],
  ],
) => record({ recordId, data });
const fiveGood = [2, 3, 4, 5, 6].map((id) => good(id)).join('\n');

/** A stream that gives `bytes` in pieces of `chunk` bytes. */
const chunked = (bytes: Buffer, chunk: number) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    })(),
  );

describe('markup that is never closed', () => {
  const broken: Array<[string, string]> = [
    ['a comment inside a record', good(1).replace('</Computer>', '<!-- never closed</Computer>')],
    ['a CDATA section inside a record', good(1).replace('</Computer>', '<![CDATA[never closed</Computer>')],
    ['a processing instruction inside a record', good(1).replace('<EventID>', '<EventID><?pi never closed')],
    ['a comment between records', '<!-- never closed'],
    ['a processing instruction between records', '<?xml version="1.0"'],
  ];
  for (const [what, bad] of broken) {
    it(`${what}: one ERR_XML_MALFORMED, then every later record`, async () => {
      const file = tempFile(`${bad}\n${fiveGood}\n`);
      const { events, errors } = await collect({ source: { replay: file } });
      expect(errors.map((e) => e.code)).toEqual(['ERR_XML_MALFORMED']);
      expect(errors[0]).toMatchObject({ input: file, offset: 0, recoverable: true });
      expect(events.map((e) => e.recordId)).toEqual([2, 3, 4, 5, 6]);
    });
  }

  it('in follow mode, the records after it arrive without waiting for more input', async () => {
    const file = tempFile(`${good(1)}\n`);
    const watcher = watchBlocks({ source: { replay: file, follow: true } });
    const got: Array<BlockEvent | WfpBlocksError> = [];
    const five = new Promise<void>((resolve) => {
      watcher.on('error', (e) => got.push(e));
      watcher.on('block', (e) => {
        got.push(e);
        if (e.recordId === 6) resolve();
      });
    });
    try {
      appendFileSync(file, `${good(9).replace('</Computer>', '<!-- never closed</Computer>')}\n${fiveGood}\n`);
      await five;
      expect(got.map((x) => ('code' in x ? x.code : x.recordId))).toEqual([1, 'ERR_XML_MALFORMED', 2, 3, 4, 5, 6]);
    } finally {
      await watcher.close();
    }
  });
});

describe('the 1 MiB record limit', () => {
  const big = good(1, [['Pad', 'x'.repeat(1.5 * 1024 * 1024)]]);
  const under = good(1, [['Pad', 'x'.repeat(1024 * 1024 - 2048)]]);
  for (const [what, rec, expected] of [
    ['a 1.5 MiB record is rejected', big, ['ERR_RECORD_TOO_LARGE']],
    ['a record just under 1 MiB is read', under, []],
  ] as const) {
    it(`${what}: from a file, and from streams cut in any chunks`, async () => {
      const bytes = Buffer.from(`${rec}\n${good(2)}\n`);
      const ids = expected.length ? [2] : [1, 2];
      const results = [await collect({ source: { replay: tempFile(bytes) } })];
      for (const chunk of [16 * 1024, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
        results.push(await collect({ source: { replay: chunked(bytes, chunk) } }));
      }
      for (const { events, errors } of results) {
        expect(errors.map((e) => e.code)).toEqual(expected);
        expect(events.map((e) => e.recordId)).toEqual(ids);
      }
    });
  }
});

describe('values as XML defines them', () => {
  it('a character reference with leading zeros is a character', async () => {
    const file = tempFile(
      good(1, [
        ['Application', '&#x0000000000041;&#0000000066;'],
        ['Protocol', '6'],
      ]),
    );
    const { events, errors } = await collect({ source: { replay: file } });
    expect(errors).toEqual([]);
    expect(events[0].data.Application).toBe('AB');
    expect(events[0].application).toBe('AB');
  });

  it('a NUL byte inside CDATA is malformed, as everywhere else', async () => {
    const bad = good(1, [['Application', '<![CDATA[a\0b]]>']]);
    const { events, errors } = await collect({ source: { replay: tempFile(`${bad}\n${good(2)}\n`) } });
    expect(errors.map((e) => e.code)).toEqual(['ERR_XML_MALFORMED']);
    expect(errors[0].message).toContain('NUL byte in a CDATA section');
    expect(events.map((e) => e.recordId)).toEqual([2]);
  });

  it('a Data field named __proto__ is kept in data, as an ordinary field', async () => {
    const file = tempFile(
      good(1, [
        ['__proto__', 'polluted'],
        ['constructor', 'c'],
        ['Protocol', '6'],
      ]),
    );
    const { events } = await collect({ source: { replay: file } });
    const { data } = events[0];
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'Protocol']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('polluted');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a repeated Data name: the typed field and data both keep the first value', async () => {
    const file = tempFile(
      good(1, [
        ['Direction', '%%14593'],
        ['SourceAddress', '10.0.0.1'],
        ['SourcePort', '1111'],
        ['SourcePort', '2222'],
        ['Protocol', '6'],
        ['Protocol', '17'],
      ]),
    );
    const { events } = await collect({ source: { replay: file } });
    const [e] = events;
    expect(e.source?.port).toBe(1111);
    expect(e.data.SourcePort).toBe('1111');
    expect(e.protocol).toBe(6);
    expect(e.data.Protocol).toBe('6');
  });

  it('a SystemTime that does not exist (February 31, February 29 of 2023) is ERR_BAD_FIELD', async () => {
    const lines = [
      record({ recordId: 1, time: '2016-02-31T10:00:00.000Z' }),
      record({ recordId: 2, time: '2023-02-29T10:00:00.000Z' }),
      record({ recordId: 3, time: '2024-02-29T10:00:00.000Z' }),
    ];
    const { events, errors } = await collect({ source: { replay: tempFile(lines.join('\n')) } });
    expect(errors.map((e) => e.code)).toEqual(['ERR_BAD_FIELD', 'ERR_BAD_FIELD']);
    expect(errors[0].message).toContain('2016-02-31');
    expect(events.map((e) => [e.recordId, e.time.toISOString()])).toEqual([[3, '2024-02-29T10:00:00.000Z']]);
  });
});

describe('UTF-16 without a byte-order mark', () => {
  const text = readFileSync(fixture('otrf-50c132c2.xml'), 'utf8');
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  for (const [what, bytes] of [
    ['little-endian', le],
    ['big-endian', be],
    ['little-endian, starting with a newline', Buffer.from(`\r\n${text}`, 'utf16le')],
  ] as const) {
    it(`${what}: read as the UTF-8 file is, from a file and a stream`, async () => {
      const utf8 = await collect({ source: { replay: fixture('otrf-50c132c2.xml') }, includeAllowed: true });
      const fromFile = await collect({ source: { replay: tempFile(bytes) }, includeAllowed: true });
      const fromStream = await collect({ source: { replay: chunked(bytes, 333) }, includeAllowed: true });
      for (const { events, errors } of [fromFile, fromStream]) {
        expect(errors).toEqual([]);
        expect(events.map((e) => e.recordId)).toEqual(utf8.events.map((e) => e.recordId));
        expect(events.map((e) => e.data)).toEqual(utf8.events.map((e) => e.data));
      }
    });
  }
});
