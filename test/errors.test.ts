import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchBlocks, WfpBlocksError, WfpOptionError, type BlockEvent } from '../dist/index.js';
import { collect, fixture, tempDir, tempFile } from './helpers';
import { record } from './synthetic';

const good = (recordId: number) =>
  record({
    recordId,
    data: [
      ['Direction', '%%14593'],
      ['Protocol', '6'],
    ],
  });

/** Runs `bad` between two good records and checks: one typed error at the bad record's offset, and both good records. */
async function expectOneBadRecord(bad: string, code: string) {
  const before = `${good(1)}\n`;
  const file = tempFile(`${before}${bad}\n${good(2)}\n`);
  const { events, errors, order } = await collect({ source: { replay: file } });
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect(error).toBeInstanceOf(WfpBlocksError);
  expect(error).toMatchObject({ code, input: file, offset: Buffer.byteLength(before), recoverable: true });
  expect(error.message).toContain(code);
  expect(error.message).toContain(file);
  expect(events.map((e) => e.recordId)).toEqual([1, 2]);
  expect(order.indexOf(error)).toBe(1); // reported in input order
  return error;
}

describe('bad input: a typed error with the input and offset, then the next record', () => {
  it('a truncated record (the input ends inside it)', async () => {
    const file = tempFile(`${good(1)}\n${good(2).slice(0, 200)}`);
    const { events, errors } = await collect({ source: { replay: file } });
    expect(events.map((e) => e.recordId)).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_XML_TRUNCATED', input: file, offset: good(1).length + 1 });
  });

  it('a missing closing tag before the next record', async () => {
    await expectOneBadRecord(good(9).replace('</EventData></Event>', '</EventData>'), 'ERR_XML_MALFORMED');
  });

  it('a missing closing tag inside the record', async () => {
    const error = await expectOneBadRecord(good(9).replace('</System>', ''), 'ERR_XML_MALFORMED');
    expect(error.message).toMatch(/missing closing tag: expected <\/System> but found <\/Event>/);
  });

  it('garbage bytes between records', async () => {
    await expectOneBadRecord('\u0000\u00ff\u00fe garbage \u0001\u0002', 'ERR_XML_GARBAGE');
  });

  it('garbage bytes inside a record', async () => {
    await expectOneBadRecord(good(9).replace('<EventData>', '<EventData>\u0000\u0001'), 'ERR_XML_MALFORMED');
  });

  it('a bad entity', async () => {
    await expectOneBadRecord(good(9).replace('%%14593', '&bogus;'), 'ERR_XML_MALFORMED');
  });

  it('a WFP event ID from another provider', async () => {
    const error = await expectOneBadRecord(record({ recordId: 9, provider: 'Contoso-Firewall-Shim' }), 'ERR_FOREIGN_PROVIDER');
    expect(error.message).toContain('Contoso-Firewall-Shim');
  });

  it('a System field that is not a number', async () => {
    await expectOneBadRecord(record({ recordId: 'twelve' }), 'ERR_BAD_FIELD');
  });

  it('a time that is not a date', async () => {
    await expectOneBadRecord(record({ recordId: 9, time: 'yesterday' }), 'ERR_BAD_FIELD');
  });

  it('an empty file, then the next file', async () => {
    const empty = tempFile('');
    const next = fixture('evtx-omerbenamram-evtx.xml');
    const { events, errors } = await collect({ source: { replay: [empty, next] } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_EMPTY_INPUT', input: empty, offset: null, recoverable: true });
    expect(events).toHaveLength(3);
  });

  it('a missing file, then the next file', async () => {
    const missing = path.join(tempDir(), 'does-not-exist.xml');
    const next = fixture('evtx-omerbenamram-evtx.xml');
    const { events, errors } = await collect({ source: { replay: [missing, next] } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_FILE_NOT_FOUND', input: missing, recoverable: true });
    expect(events).toHaveLength(3);
  });

  it('a directory without logs in it', async () => {
    const dir = tempDir();
    const { errors } = await collect({ source: { replay: dir } });
    expect(errors.map((e) => e.code)).toEqual(['ERR_EMPTY_INPUT']);
    expect(errors[0]).toMatchObject({ input: dir, recoverable: true });
  });

  it('random bytes never crash the reader and every real record around them still arrives', async () => {
    const real = readFileSync(fixture('otrf-50c132c2.xml'));
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const noise = Buffer.from(Array.from({ length: 20000 }, () => Math.floor(random() * 256)));
    const file = tempFile(Buffer.concat([real, noise, Buffer.from('\n'), real]));
    const { events, errors } = await collect({ source: { replay: file }, includeAllowed: true });
    expect(events.length).toBe(2 * 77);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.recoverable).toBe(true);
  });
});

describe('invalid options throw a TypeError that names the option and the value', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['source', { source: 42 }, /options\.source .* got 42/],
    ['source', { source: 'kernel' }, /options\.source .* got "kernel"/],
    ['source.replay', { source: { replay: [] } }, /options\.source\.replay .* got \[\]/],
    ['source.replay', { source: { replay: ['a.xml', 7] } }, /got \["a\.xml", 7\]/],
    ['source.replay', { source: { replay: ['a.xml', 'b.xml\0.txt'] } }, /file paths without NUL bytes/], // as Node's fs
    ['source.follow', { source: { replay: 'a.xml', follow: 'yes' } }, /options\.source\.follow .* got "yes"/],
    ['includeAllowed', { includeAllowed: 1 }, /options\.includeAllowed must be a boolean, got 1/],
    ['kinds', { kinds: ['connection', 'teleport'] }, /options\.kinds .*"teleport" is not.* got \["connection", "teleport"\]/],
    ['kinds', { kinds: [] }, /options\.kinds .* got \[\]/],
    ['highWaterMark', { highWaterMark: 0 }, /options\.highWaterMark .* got 0/],
    ['highWaterMark', { highWaterMark: 1.5 }, /got 1\.5/],
    ['signal', { signal: {} }, /options\.signal must be an AbortSignal, got \[object Object\]/],
    ['folow', { folow: true }, /options\.folow must be one of the known options/],
    ['coalesce', { coalesce: { windowMs: 0 } }, /options\.coalesce must be \{ windowMs \}/],
    ['coalesce', { coalesce: 5 }, /options\.coalesce .* got 5/],
    ['enrich', { enrich: 'yes' }, /options\.enrich must be a boolean, got "yes"/],
    ['from', { source: { replay: 'a.xml' }, from: 'now' }, /options\.from must be 'oldest'/],
    ['audit', { audit: 'sometimes' }, /options\.audit .* got "sometimes"/],
  ];
  for (const [option, options, message] of cases) {
    it(`${option}: ${JSON.stringify(options)}`, () => {
      let thrown: unknown;
      try {
        watchBlocks(options as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect(thrown).toBeInstanceOf(WfpOptionError);
      expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION', option });
      expect((thrown as Error).message).toMatch(message);
    });
  }
});

describe.skipIf(process.platform === 'win32')('sources that need Windows, elsewhere', () => {
  for (const source of [undefined, 'eventlog', 'legacy'] as const) {
    it(`${source ?? 'the default source'} gives a typed unsupported-platform error on Linux and closes`, async () => {
      const watcher = watchBlocks(source ? { source } : {});
      const { events, errors } = await new Promise<{ events: BlockEvent[]; errors: WfpBlocksError[] }>((resolve) => {
        const got = { events: [] as BlockEvent[], errors: [] as WfpBlocksError[] };
        watcher.on('block', (e) => got.events.push(e));
        watcher.on('error', (e) => got.errors.push(e));
        watcher.on('close', () => resolve(got));
      });
      expect(events).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'ERR_UNSUPPORTED_PLATFORM', recoverable: false });
      expect(errors[0].message).toContain('linux');
    });
  }

  it('the async iterator rejects with that error', async () => {
    const iterate = async () => {
      for await (const _ of watchBlocks({ source: 'eventlog' })) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_PLATFORM' });
  });
});
