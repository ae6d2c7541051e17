// The `filter` option: decided on the native thread (native/pipeline/event_filter.h), so the events
// it leaves out never become JavaScript objects. Each criterion against the same selection made in
// JavaScript over every fixture record, and every invalid value as a WfpOptionError.
import { describe, expect, it } from 'vitest';
import { watchBlocks, WfpOptionError, type BlockEvent, type BlockFilter } from '../dist/index.js';
import { collect, FIXTURES } from './helpers';

const inV4 = (address: string | undefined, prefix: string) =>
  !!address && (address.startsWith(prefix) || address.startsWith(`::ffff:${prefix}`));

describe('filter', () => {
  it('each criterion keeps exactly what the same test in JavaScript keeps', async () => {
    const { events: all } = await collect({ source: { replay: FIXTURES }, includeAllowed: true });
    const cases: Array<[BlockFilter, (e: BlockEvent) => boolean]> = [
      [{ eventIds: [5157, 5031] }, (e) => e.eventId === 5157 || e.eventId === 5031],
      [{ directions: ['outbound'] }, (e) => e.direction === 'outbound'],
      [{ actions: ['block'] }, (e) => e.action === 'block'],
      [{ applications: ['SVCHOST.EXE'] }, (e) => !!e.application?.toLowerCase().includes('svchost.exe')],
      [
        { applications: ['*dns.exe', 'lsass'] },
        (e) => !!e.application && (e.application.toLowerCase().endsWith('dns.exe') || e.application.toLowerCase().includes('lsass')),
      ],
      [
        { addresses: ['10.0.0.0/8', 'fe80::/10'] },
        (e) => [e.source?.address, e.destination?.address].some((a) => inV4(a, '10.') || !!a?.toLowerCase().startsWith('fe80:')),
      ],
      [{ ports: [445, '49152-65535'] }, (e) => [e.source?.port, e.destination?.port].some((p) => p === 445 || (p != null && p >= 49152))],
      [
        { since: new Date('2020-09-14T00:00:00Z'), until: '2020-09-21T23:59:59.999Z' },
        (e) => e.time >= new Date('2020-09-14') && e.time <= new Date('2020-09-21T23:59:59.999Z'),
      ],
      [
        { since: Date.parse('2019-01-01'), eventIds: [5158], ports: ['0-1023'] },
        (e) =>
          e.time.getTime() >= Date.parse('2019-01-01') &&
          e.eventId === 5158 &&
          [e.source?.port, e.destination?.port].some((p) => p != null && p <= 1023),
      ],
    ];
    for (const [filter, keep] of cases) {
      const { events, errors } = await collect({ source: { replay: FIXTURES }, includeAllowed: true, filter });
      expect(errors).toEqual([]);
      const expected = all.filter(keep);
      expect(
        events.map((e) => e.recordId),
        JSON.stringify(filter),
      ).toEqual(expected.map((e) => e.recordId));
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(filter)).toBeLessThan(all.length);
    }
  });

  it('a relative since is counted back from now', async () => {
    expect((await collect({ source: { replay: FIXTURES }, filter: { since: '2h' } })).events).toEqual([]);
    const years = (await collect({ source: { replay: FIXTURES }, includeAllowed: true, filter: { since: '100000d' } })).events;
    expect(years.length).toBe(9099);
  });

  it('invalid criteria throw a WfpOptionError naming the criterion', () => {
    const bad: Array<[unknown, string]> = [
      ['all', 'filter'],
      [{ since: 'yesterday' }, 'filter.since'],
      [{ since: '2024-05-02', until: '2024-05-01' }, 'filter.until'],
      [{ eventIds: [4624] }, 'filter.eventIds'],
      [{ eventIds: [] }, 'filter.eventIds'],
      [{ directions: ['sideways'] }, 'filter.directions'],
      [{ actions: ['allow'] }, 'filter.actions'],
      [{ applications: [''] }, 'filter.applications'],
      [{ addresses: ['10.0.0.0/40'] }, 'filter.addresses'],
      [{ addresses: ['example.com'] }, 'filter.addresses'],
      [{ ports: [70000] }, 'filter.ports'],
      [{ ports: ['20-10'] }, 'filter.ports'],
      [{ port: [80] }, 'filter.port'],
    ];
    for (const [filter, option] of bad) {
      let error: unknown;
      try {
        watchBlocks({ source: { replay: 'x.xml' }, filter: filter as BlockFilter });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(filter)).toBeInstanceOf(WfpOptionError);
      expect((error as WfpOptionError).option).toBe(option);
      expect((error as WfpOptionError).message).toMatch(
        new RegExp(`^ERR_INVALID_OPTION: options\\.${option.replace('.', '\\.')} must be `),
      );
    }
  });
});
