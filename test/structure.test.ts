// The facts that live in one place and are mirrored elsewhere, checked against each other; and the
// layering of native/ (includes only flow downward, Node-API only in native/node, Windows headers only
// in Windows files).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS, BLOCK_KINDS, CHANNELS, DECIDED_BY, DECIDED_BY_FILTER_NAMES, RULE_CHANGE_KINDS, SUBCATEGORIES } from '../dist/catalog.js';
import { JS_ERROR_CODES } from '../dist/errors.js';
import { SOURCE_TYPES } from '../dist/sources.js';
import { MESSAGES } from '../dist/windows-names.js';

const ROOT = path.join(__dirname, '..');
const binding = createRequire(__filename)('node-gyp-build')(ROOT);

/** The string literals of a TypeScript union type declared in `file`. */
function unionMembers(file: string, typeName: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const start = text.indexOf(`export type ${typeName} =`);
  expect(start, `${typeName} in ${file}`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf(';', start);
  return [...text.slice(start, end).matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

describe('one place per fact', () => {
  it('lib/catalog.ts is the native event catalogue', () => {
    expect(binding.catalog.kinds).toEqual(BLOCK_KINDS);
    expect(binding.catalog.decidedBy).toEqual(DECIDED_BY);
    expect(binding.catalog.decidedByFilterNames).toEqual(DECIDED_BY.map((d) => DECIDED_BY_FILTER_NAMES[d] ?? ''));
    expect(binding.catalog.changes).toEqual(RULE_CHANGE_KINDS);
    expect(binding.catalog.channels).toEqual(CHANNELS);
    expect(binding.catalog.subcategories).toEqual(SUBCATEGORIES);
    expect(binding.catalog.events).toEqual(EVENTS);
  });

  it("lib/windows-names.ts's message table is the native one", () => {
    expect(binding.catalog.messages).toEqual(Object.fromEntries(Object.entries(MESSAGES)));
  });

  it('WfpErrorCode is the native error table plus the codes the TypeScript layer raises', () => {
    const native = Object.keys(binding.errorCodes);
    const js = Object.keys(JS_ERROR_CODES);
    expect(native.filter((c) => js.includes(c))).toEqual([]);
    const declared = unionMembers('lib/errors.ts', 'WfpErrorCode');
    expect([...declared].sort()).toEqual([...native].sort());
    // JsErrorCode is the keys of JS_ERROR_CODES, so the union holds those too.
    expect(readFileSync(path.join(ROOT, 'lib/errors.ts'), 'utf8')).toMatch(/\| JsErrorCode;/);
  });

  it('the batch slots, in order, are the SlotName union of binding.d.ts', () => {
    const slots = Object.entries(binding.slots as Record<string, number>).sort((a, b) => a[1] - b[1]);
    expect(slots.map(([, index]) => index)).toEqual(slots.map((_, i) => i));
    expect(slots.map(([name]) => name)).toEqual(unionMembers('binding.d.ts', 'SlotName'));
  });

  it('the TypeScript source table agrees with the native one', () => {
    for (const [name, live] of Object.entries(binding.sourceTypes as Record<string, boolean>)) {
      expect(SOURCE_TYPES[name as keyof typeof SOURCE_TYPES]?.live, name).toBe(live);
    }
    const expected = process.platform === 'win32' ? Object.keys(SOURCE_TYPES) : ['files', 'stream'];
    expect(Object.keys(binding.sourceTypes).sort()).toEqual(expected.sort());
  });

  it('the ES module entry exports exactly what the CommonJS entry exports, as the same objects', () => {
    // In a plain Node process, as a consumer loads the package (vitest's own loader would interpose).
    const script = `
      const cjs = require(${JSON.stringify(path.join(ROOT, 'dist/index.js'))});
      import(${JSON.stringify(path.join(ROOT, 'dist/esm.mjs'))}).then((esm) => {
        // Node also lists the CommonJS marker __esModule among a CommonJS module's named exports.
        const keys = (o) => Object.keys(o).filter((k) => k !== 'default' && k !== '__esModule').sort();
        const differ = keys(esm).join() !== keys(cjs).join() || keys(cjs).some((k) => esm[k] !== cjs[k]);
        console.log(JSON.stringify({ differ, esm: keys(esm), cjs: keys(cjs) }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(out.esm).toEqual(out.cjs);
    expect(out.differ).toBe(false);
  });
});

// What each folder of native/ may include from (its own folder and the layers below it).
const LAYERS: Record<string, string[]> = {
  util: ['util'],
  model: ['util', 'model'],
  win: ['util', 'model', 'win'],
  xml: ['util', 'model', 'xml'],
  fwlog: ['util', 'model', 'fwlog'],
  evtx: ['util', 'model', 'evtx'],
  enrich: ['util', 'model', 'win', 'enrich'],
  pipeline: ['util', 'model', 'enrich', 'pipeline'],
  sources: ['util', 'model', 'win', 'xml', 'fwlog', 'evtx', 'sources'],
  node: ['util', 'model', 'win', 'xml', 'fwlog', 'evtx', 'enrich', 'pipeline', 'sources', 'node'],
};

function nativeFiles(dir = path.join(ROOT, 'native')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? nativeFiles(full) : /\.(h|cc)$/.test(name) ? [full] : [];
  });
}

const isWindowsFile = (file: string) => /native\/win\/|_win\.cc$|native\/sources\/(eventlog|legacy|netevents)_source\.cc$/.test(file);

describe('the layers of native/', () => {
  const files = nativeFiles();

  it('has a folder per layer and nothing at the top', () => {
    expect(readdirSync(path.join(ROOT, 'native')).sort()).toEqual(Object.keys(LAYERS).sort());
  });

  it('includes only flow downward', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const layer = path.relative(path.join(ROOT, 'native'), file).split(path.sep)[0];
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/#include "([^"]+)"/g)) {
        const to = target.split('/')[0];
        if (!target.includes('/') || !LAYERS[layer].includes(to)) wrong.push(`${path.relative(ROOT, file)} includes ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('Node-API only in native/node, Windows headers only in Windows files', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (/#include <napi\.h>|node_api\.h/.test(text) && !file.includes('native/node/')) wrong.push(`${file}: Node-API`);
      if (/#include <windows\.h>/.test(text) && !isWindowsFile(file) && !/#ifdef _WIN32[\s\S]*#include <windows\.h>/.test(text))
        wrong.push(`${file}: windows.h`);
    }
    expect(wrong).toEqual([]);
  });

  it('every file says what it is: a header comment, or it implements the header of its name', () => {
    const silent = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      if (text.startsWith('//')) return false;
      const own = `#include "${path.relative(path.join(ROOT, 'native'), file).replace(/(_posix|_win)?\.cc$/, '.h')}"`;
      return !(file.endsWith('.cc') && text.startsWith(own));
    });
    expect(silent.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
