import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, fixtureFiles } from './helpers';
import { expectedForFile } from './oracle.mjs';

describe('every real fixture record', () => {
  const files = fixtureFiles();

  it('the fixture set is all there', () => {
    expect(files.length).toBe(53);
  });

  for (const file of files) {
    it(`reads ${path.basename(file)} and matches the XML field by field`, async () => {
      const parsed = expectedForFile(file);
      const { events, errors } = await collect({ source: { replay: file }, includeAllowed: true });
      expect(errors).toEqual([]);
      const expected = parsed.flatMap((p) => (p.expected ? [p.expected] : []));
      expect(events.length).toBe(expected.length);
      events.forEach((event, i) => expect(event, `record ${i} of ${path.basename(file)}`).toEqual(expected[i]));
    });
  }

  it('counts each event ID as the fixtures README does, across all files at once', async () => {
    const { events, errors } = await collect({ source: { replay: files }, includeAllowed: true });
    expect(errors).toEqual([]);
    const counts: Record<number, number> = {};
    for (const e of events) counts[e.eventId] = (counts[e.eventId] ?? 0) + 1;
    expect(counts).toEqual({ 5031: 12, 5152: 21, 5154: 1312, 5156: 3498, 5157: 18, 5158: 4237, 5159: 1 });
  });

  it('reports only blocks unless allowed events are asked for', async () => {
    const { events } = await collect({ source: { replay: files } });
    expect(events.length).toBe(12 + 21 + 18 + 1);
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['block']));
  });

  it('filters by kind', async () => {
    const { events } = await collect({ source: { replay: files }, kinds: ['packet', 'bind'], includeAllowed: true });
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['packet', 'bind']));
    expect(events.length).toBe(21 + 4237 + 1);
  });

  it('keeps input order across files', async () => {
    const { events } = await collect({ source: { replay: files }, includeAllowed: true });
    const perFile = await Promise.all(files.map((f) => collect({ source: { replay: f }, includeAllowed: true })));
    expect(events.map((e) => e.recordId)).toEqual(perFile.flatMap((c) => c.events.map((e) => e.recordId)));
  });
});
