// Which endpoint is this host's, as a user of a replay sees it: the real 5152 and 5157 logged for one
// inbound ICMP packet at the same microsecond carry Source and Dest the other way round; the 5152 (a
// packet drop, whose addresses are the packet's own) shows the computer's address, and that address
// then decides the 5157. Per computer, in input order, from files and streams alike.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collect, fixture, tempFile } from './helpers';

const PAIR = fixture('evtx-omerbenamram-evtx.xml'); // 5152 tcp, 5152 icmp, 5157 icmp; computer "temporal"
const lines = readFileSync(PAIR, 'utf8').split('\n').filter(Boolean);

describe('local and remote', () => {
  it('the 5152/5157 pair of one packet gets the same local address; the event says which rule decided', async () => {
    const { events, errors } = await collect({ source: { replay: PAIR } });
    expect(errors).toEqual([]);
    const [, drop, blocked] = events;
    expect([drop.eventId, blocked.eventId]).toEqual([5152, 5157]);
    expect(drop.local).toEqual({ address: '169.46.6.101', port: 8 });
    expect(drop.sidesBy).toBe('direction');
    expect(blocked.source).toEqual({ address: '169.46.6.101', port: 8 }); // as logged: the reverse of the 5152
    expect(blocked.local).toBe(blocked.source);
    expect(blocked.remote).toBe(blocked.destination);
    expect(blocked.remote?.address).toBe('169.46.118.42');
    expect(blocked.sidesBy).toBe('learned');
  });

  it("addresses are learned per computer: another computer's records teach nothing", async () => {
    const renamed = [lines[0], lines[1]].map((l) => l.replace('<Computer>temporal<', '<Computer>elsewhere<'));
    const { events } = await collect({ source: { replay: tempFile([...renamed, lines[2]].join('\n')) } });
    expect(events[2].sidesBy).toBe('direction');
    expect(events[2].local).toBe(events[2].destination); // the direction rule, which is wrong for this record
  });

  it('a stream learns as a file does, and the other rules are named too', async () => {
    const { events } = await collect({ source: { replay: Readable.from([lines.join('\n')]) } });
    expect(events.map((e) => e.sidesBy)).toEqual(['direction', 'direction', 'learned']);
    const others = await collect({ source: { replay: fixture('otrf-3cd7fdd4.xml') }, includeAllowed: true });
    const by = (id: number) => new Set(others.events.filter((e) => e.eventId === id).map((e) => e.sidesBy));
    expect(by(5031)).toEqual(new Set([null])); // no addresses
    expect(by(5154)).toEqual(new Set(['kind']));
    expect(by(5158)).toEqual(new Set(['kind']));
  });
});
