// The live sources' bookmarks, where Linux can check them: Windows' bookmark XML over the two logs the
// 'eventlog' source reads (the Security log and the firewall's own log), made by the native side
// (native/model/bookmark.cc) and read back by lib/bookmark.ts; the one-log form of earlier versions; and
// malformed ones, each a WfpOptionError naming the option and what is wrong. (The source that gives and
// takes them runs under Wine: test/wine/firewall-log.test.cjs.)
import { describe, expect, it } from 'vitest';
import { loadBinding } from '../dist/binding.js';
import { formatBookmark, parseBookmark, resumeOptions, type BookmarkState } from '../dist/bookmark.js';
import { CHANNELS, FIREWALL_CHANNEL } from '../dist/catalog.js';
import { watchBlocks, WfpOptionError } from '../dist/index.js';

const binding = loadBinding();
const xml = (recordIds: Array<string | null>) => binding.bookmarkXml(recordIds);
const BOTH = `<BookmarkList><Bookmark Channel='Security' RecordId='5030' IsCurrent='true'/><Bookmark Channel='${FIREWALL_CHANNEL}' RecordId='912'/></BookmarkList>`;

function refused(text: unknown, source: 'eventlog' | 'legacy' = 'eventlog'): WfpOptionError {
  try {
    parseBookmark(text, source, null);
  } catch (error) {
    // (The class through the public API is checked below: this module's copy of lib/ is another instance.)
    expect(error).toMatchObject({ name: 'WfpOptionError', code: 'ERR_INVALID_OPTION' });
    return error as WfpOptionError;
  }
  throw new Error(`accepted ${String(text)}`);
}

describe('live bookmarks over both logs', () => {
  it("are Windows' multi-channel bookmark XML: a <Bookmark> per log, Security first and current", () => {
    expect(CHANNELS).toEqual(['Security', FIREWALL_CHANNEL]);
    expect(xml(['5030', '912'])).toBe(BOTH);
    expect(xml(['5030', null])).toBe("<BookmarkList><Bookmark Channel='Security' RecordId='5030' IsCurrent='true'/></BookmarkList>");
    expect(xml([null, '912'])).toBe(
      `<BookmarkList><Bookmark Channel='${FIREWALL_CHANNEL}' RecordId='912' IsCurrent='true'/></BookmarkList>`,
    );
  });

  it('round-trip: format, parse, format gives the same string and the same positions', () => {
    const states: BookmarkState[] = [
      { source: 'eventlog', recordId: '5030', firewallRecordId: '912', inputs: [] },
      { source: 'eventlog', recordId: '18446744073709551615', firewallRecordId: '1', inputs: [] },
      { source: 'eventlog', recordId: '7', inputs: [] },
      { source: 'eventlog', firewallRecordId: '912', inputs: [] },
      { source: 'legacy', recordId: '5030', firewallRecordId: '912', inputs: [] },
    ];
    for (const state of states) {
      const text = formatBookmark(state, xml) as string;
      const back = parseBookmark(text, state.source, null);
      expect(back, text).toEqual(state);
      expect(formatBookmark(back, xml)).toBe(text);
    }
    expect(resumeOptions(parseBookmark(BOTH, 'eventlog', null))).toEqual({ afterRecordId: '5030', afterFirewallRecordId: '912' });
  });

  it('with a coalescing epoch: the JSON form carries the XML of both logs', () => {
    const coalesce = { windowMs: 1000, maxHeld: 5 };
    const state: BookmarkState = {
      source: 'eventlog',
      recordId: '5030',
      firewallRecordId: '912',
      inputs: [],
      epoch: { input: 0, end: '5040', delivered: 2 },
      coalesce,
    };
    const text = formatBookmark(state, xml) as string;
    expect(JSON.parse(text)).toEqual({ wfpBlocks: 1, source: 'eventlog', bookmark: BOTH, epoch: state.epoch, coalesce });
    expect(parseBookmark(text, 'eventlog', coalesce)).toEqual(state);
  });

  it("the one-log bookmark of the version that read the Security log alone resumes it, the firewall log from 'now'", () => {
    const old = "<BookmarkList><Bookmark Channel='Security' RecordId='5030' IsCurrent='true'/></BookmarkList>";
    const state = parseBookmark(old, 'eventlog', null);
    expect(state).toEqual({ source: 'eventlog', recordId: '5030', inputs: [] });
    expect(resumeOptions(state)).toEqual({ afterRecordId: '5030' });
    // Windows' own rendering (a line break and two spaces before the element) reads the same.
    expect(
      parseBookmark(old.replace('<Bookmark ', '\r\n  <Bookmark ').replace('</BookmarkList>', '\r\n</BookmarkList>'), 'eventlog', null),
    ).toEqual(state);
  });

  it('malformed ones are WfpOptionErrors naming from.bookmark and what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      [BOTH.replace("RecordId='912'", "RecordId='91x'"), /its RecordId "91x" is not a record ID/],
      [BOTH.replace("RecordId='912'", "RecordId='18446744073709551616'"), /is not a record ID/],
      [BOTH.replace(FIREWALL_CHANNEL, 'Security'), /it names the Security log twice/],
      [
        BOTH.replace(FIREWALL_CHANNEL, 'Microsoft-Windows-Sysmon/Operational'),
        /"Microsoft-Windows-Sysmon\/Operational" log, which no live source reads/,
      ],
      [BOTH.replace(" RecordId='912'", ''), /a <Bookmark> has no Channel or RecordId/],
      [BOTH.replace("Channel='Security' ", ''), /a <Bookmark> has no Channel or RecordId/],
      [BOTH.slice(0, -'</BookmarkList>'.length), /it is cut short/],
      [BOTH.slice(0, BOTH.indexOf(FIREWALL_CHANNEL)), /it is cut short/],
      ['<BookmarkList></BookmarkList>', /it names no log/],
      [BOTH.replace("RecordId='912'", 'RecordId=912'), /an attribute value has no quotes/],
      ['<Bookmarks/>', /it is not bookmark XML/],
    ];
    for (const [text, why] of cases) {
      const error = refused(text);
      expect(error.option, text).toBe('from.bookmark');
      expect(error.message, text).toMatch(why);
    }
    expect(refused(`<BookmarkList><Bookmark Channel='${FIREWALL_CHANNEL}' RecordId='912'/></BookmarkList>`, 'legacy').message).toMatch(
      /it does not name the Security log, the one a 'legacy' watcher reads/,
    );
    // Through the public API too, before any watcher starts.
    expect(() => watchBlocks({ from: { bookmark: BOTH.replace(FIREWALL_CHANNEL, 'Security') } })).toThrow(WfpOptionError);
    expect(() => watchBlocks({ from: { bookmark: BOTH } }).on('error', () => {})).not.toThrow();
  });
});
