// The 'netevents' source from the outside, where Linux can check it: the option and bookmark rules,
// and the typed error it ends with off Windows. (Its mapping runs in the native unit tests, the source
// itself under Wine: test/wine/netevents*.test.cjs.)
import { describe, expect, it } from 'vitest';
import { watchBlocks, type WfpBlocksError } from '../dist/index.js';
import { formatBookmark, parseBookmark } from '../dist/bookmark.js';
import { defaultEngineStateFile, SOURCE_TYPES } from '../dist/sources.js';

describe("source: 'netevents'", () => {
  it('is a live source that does not read the Security log', () => {
    expect(SOURCE_TYPES.netevents).toEqual({ live: true, securityLog: false });
  });

  it("ends with ERR_UNSUPPORTED_PLATFORM off Windows, naming what it reads, and emits no 'audit'", async () => {
    const watcher = watchBlocks({ source: 'netevents' });
    const errors: WfpBlocksError[] = [];
    let audits = 0;
    watcher.on('error', (e) => errors.push(e));
    watcher.on('audit', () => audits++);
    await new Promise((resolve) => watcher.once('close', resolve));
    expect(errors.map((e) => e.code)).toEqual(['ERR_UNSUPPORTED_PLATFORM']);
    expect(errors[0].message).toMatch(/'netevents' source reads the Windows Filtering Platform's net events/);
    expect(audits).toBe(0);
  });

  it("takes its own bookmarks and refuses the Security log's, and its bookmarks elsewhere", () => {
    const own = 'wfp-netevents/1;t=133500000001234567;n=2;h=deadbeef';
    const eventlog = "<BookmarkList><Bookmark Channel='Security' RecordId='5' IsCurrent='true'/></BookmarkList>";
    const quiet = (options: Parameters<typeof watchBlocks>[0]) => watchBlocks(options).on('error', () => {});
    expect(() => quiet({ source: 'netevents', from: { bookmark: own } })).not.toThrow();
    for (const bad of [eventlog, 'wfp-netevents/1;t=1;n=0;h=00000000', 'wfp-netevents/1;t=1;n=1;h=XYZ', `${own};x=1`]) {
      expect(() => watchBlocks({ source: 'netevents', from: { bookmark: bad } })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'from.bookmark' }),
      );
    }
    expect(() => watchBlocks({ from: { bookmark: own } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'from.bookmark' }),
    );
  });

  it('refuses coalescing: its bookmarks cannot name a partly delivered epoch', () => {
    expect(() => watchBlocks({ source: 'netevents', coalesce: { windowMs: 1000 } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'coalesce' }),
    );
  });

  it("a bookmark it gave reads back the same, and names itself in the watcher's position", () => {
    const own = 'wfp-netevents/1;t=133500000001234567;n=2;h=deadbeef';
    for (const text of [own, ` ${own}\n`]) {
      const state = parseBookmark(text, 'netevents', null);
      expect(state).toEqual({ source: 'netevents', netEvent: own, inputs: [] });
      expect(formatBookmark(state, () => 'unused')).toBe(own);
    }
  });

  it('records engine-option changes where WFP_BLOCKS_NETEVENTS_STATE says, or in the temporary folder here', () => {
    const saved = process.env.WFP_BLOCKS_NETEVENTS_STATE;
    try {
      process.env.WFP_BLOCKS_NETEVENTS_STATE = '/somewhere/state.json';
      expect(defaultEngineStateFile()).toBe('/somewhere/state.json');
      delete process.env.WFP_BLOCKS_NETEVENTS_STATE;
      expect(defaultEngineStateFile()).toMatch(/wfp-blocks[/\\]netevents-state\.json$/);
    } finally {
      if (saved === undefined) delete process.env.WFP_BLOCKS_NETEVENTS_STATE;
      else process.env.WFP_BLOCKS_NETEVENTS_STATE = saved;
    }
  });
});
