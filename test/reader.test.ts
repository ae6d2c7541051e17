import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect, fixture, tempFile } from './helpers';
import { record, SYNTHETIC_COMPUTER, WIN11_5157_DATA } from './synthetic';

const realLine = (file: string, index = 0) => readFileSync(fixture(file), 'utf8').split('\n').filter(Boolean)[index];

describe('reading the shapes of event XML that Windows tools print', () => {
  it('reads single and double quotes, with and without the namespace, the same way', async () => {
    const variants = [
      record({ quote: "'", namespace: true }),
      record({ quote: '"', namespace: true }),
      record({ quote: "'", namespace: false }),
      record({ quote: '"', namespace: false }),
    ].map((xml, i) => xml.replace('<EventRecordID>1<', `<EventRecordID>${i + 1}<`));
    const { events, errors } = await collect({ source: { replay: tempFile(variants.join('\n')) } });
    expect(errors).toEqual([]);
    expect(events.map((e) => e.recordId)).toEqual([1, 2, 3, 4]);
    expect(new Set(events.map((e) => JSON.stringify({ ...e, recordId: 0 }))).size).toBe(1);
  });

  it('reads an <Events> root with an XML declaration and pretty-printed whitespace (wevtutil /e:Events)', async () => {
    const a = realLine('otrf-50c132c2.xml', 0);
    const b = realLine('evtx-omerbenamram-evtx.xml', 2);
    const pretty = b.replace(/></g, '>\r\n    <');
    const doc = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported -->\n<Events>\n  ${a}\n  ${pretty}\n</Events>\n`;
    const flat = await collect({ source: { replay: tempFile(`${a}\n${b}\n`) }, includeAllowed: true });
    const wrapped = await collect({ source: { replay: tempFile(doc) }, includeAllowed: true });
    expect(wrapped.errors).toEqual([]);
    expect(wrapped.events.length).toBe(flat.events.length);
    expect(wrapped.events).toEqual(flat.events);
  });

  it('reads UTF-16 exports (PowerShell 5 redirection) and skips a UTF-8 byte-order mark', async () => {
    const lines = `${realLine('otrf-50c132c2.xml', 0)}\n${realLine('text-EricZimmerman.xml', 1)}\n`;
    const utf8 = await collect({ source: { replay: tempFile(lines) }, includeAllowed: true });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines)])]) {
      const got = await collect({ source: { replay: tempFile(bytes) }, includeAllowed: true });
      expect(got.errors).toEqual([]);
      expect(got.events).toEqual(utf8.events);
    }
    expect(utf8.events).toHaveLength(2);
  });

  it('decodes entities and character references, in text and in attributes', async () => {
    const xml = record({
      data: [
        ['Application', '\\device\\harddiskvolume2\\a&amp;b &lt;x&gt; &quot;q&quot; &apos;s&apos; &#233;t&#xE9; &#x1F600;.exe'],
        ['FilterOrigin', 'Query User Default'],
      ],
    }).replace("Provider Name='Microsoft-Windows-Security-Auditing'", "Provider Name='Microsoft-Windows-Security-&#65;uditing'");
    const { events, errors } = await collect({ source: { replay: tempFile(xml) } });
    expect(errors).toEqual([]);
    expect(events[0].application).toBe('\\device\\harddiskvolume2\\a&b <x> "q" \'s\' été 😀.exe');
    expect(events[0].data.Application).toBe(events[0].application);
  });

  it('reads CDATA and comments inside values', async () => {
    const xml = record({
      data: [
        ['Application', '<![CDATA[C:\\a<b>.exe]]>'],
        ['Protocol', '1<!-- ICMP -->7'],
      ],
    });
    const { events, errors } = await collect({ source: { replay: tempFile(xml) } });
    expect(errors).toEqual([]);
    expect(events[0].application).toBe('C:\\a<b>.exe');
    expect(events[0].protocol).toBe(17);
  });

  it('looks fields up by name: a Windows 11 layout with inserted fields, in any order', async () => {
    const shuffled = [...WIN11_5157_DATA].reverse();
    const { events, errors } = await collect({
      source: { replay: tempFile(`${record({ version: 3, data: WIN11_5157_DATA })}\n${record({ version: 3, data: shuffled })}`) },
    });
    expect(errors).toEqual([]);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({
        computer: SYNTHETIC_COMPUTER,
        version: 3,
        kind: 'connection',
        action: 'block',
        direction: 'outbound',
        pid: 7412,
        protocol: 6,
        protocolName: 'tcp',
        filterId: 206474,
        filterOrigin: '{A549B7CF-0542-4B67-93F9-EEBCDD584377}',
        interfaceIndex: 12,
        layerId: 48,
        layerName: 'Connect',
        local: { address: '192.168.1.20', port: 51544 },
        remote: { address: '192.0.2.1', port: 443 },
      });
      // fields this library has no column for still arrive, unchanged
      expect(e.data.IsLoopback).toBe('false');
      expect(e.data.HasRemoteDynamicKeywordAddress).toBe('false');
      expect(Object.keys(e.data)).toHaveLength(WIN11_5157_DATA.length);
    }
  });

  it('keeps record IDs above 2^32 exact', async () => {
    const { events } = await collect({ source: { replay: tempFile(record({ recordId: 21960955863 })) } });
    expect(events[0].recordId).toBe(21960955863);
  });

  it('reads times with 7 or 9 fraction digits, a space for T, and no zone as UTC', async () => {
    const times = [
      '2021-12-06T07:35:44.3515332Z',
      '2021-12-06T07:35:44.351533200Z',
      '2021-12-06 07:35:44.3515332',
      '2021-12-06T07:35:44.351Z',
    ];
    const xml = times.map((time, i) => record({ time, recordId: i + 1 })).join('\n');
    const { events, errors } = await collect({ source: { replay: tempFile(xml) } });
    expect(errors).toEqual([]);
    expect(events.map((e) => e.time.toISOString())).toEqual(times.map(() => '2021-12-06T07:35:44.351Z'));
  });

  it('keeps unnamed Data elements by position, and unknown tokens as logged', async () => {
    const xml = record({
      data: [
        ['Direction', '%%14599'],
        ['LayerName', '%%14643'],
      ],
    }).replace('</EventData>', '<Data>first</Data><Data/></EventData>');
    const { events } = await collect({ source: { replay: tempFile(xml) } });
    expect(events[0].direction).toBeNull();
    expect(events[0].layerName).toBe('%%14643');
    expect(events[0].data).toMatchObject({ Direction: '%%14599', LayerName: '%%14643', 2: 'first', 3: '' });
  });

  it('gives the same events from a stream cut into 1-byte chunks as from the file', async () => {
    const file = fixture('otrf-3cd7fdd4.xml');
    const bytes = readFileSync(file);
    const fromFile = await collect({ source: { replay: file }, includeAllowed: true });
    const oneByteChunks = Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
      })(),
    );
    const fromStream = await collect({ source: { replay: oneByteChunks }, includeAllowed: true });
    expect(fromStream.errors).toEqual([]);
    expect(fromStream.events).toEqual(fromFile.events);
    expect(fromFile.events.length).toBe(330);
  });

  it('skips records of other event IDs without an error', async () => {
    const { events, errors } = await collect({ source: { replay: fixture('evtx-Velocidex-evtx.xml') } });
    expect(events).toEqual([]);
    expect(errors).toEqual([]);
  });
});
