// Installs the packed tarball into fresh projects, as a user's `npm install` would, and imports it
// from ES modules, CommonJS and TypeScript. Slow (two installs, one compile), so it runs once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let tarball = '';

function install(flags: string[] = []): string {
  const project = tempDir();
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...flags, tarball], { cwd: project, stdio: 'pipe' });
  return project;
}

function node(project: string, file: string, source: string): string {
  writeFileSync(path.join(project, file), source);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
}

const replayScript = (importLine: string) => `${importLine}
const w = watchBlocks({ source: { replay: ${JSON.stringify(fixture('text-EricZimmerman.xml'))} } });
let n = 0;
w.on('block', () => n++);
w.on('close', () => console.log(JSON.stringify({ n, isError: new WfpBlocksError('ERR_FILE_READ', 'x') instanceof Error })));
`;

let packed: string[] = [];

beforeAll(() => {
  expect(existsSync(path.join(ROOT, 'prebuilds', 'linux-x64', 'node.napi.node'))).toBe(true);
  const out = tempDir();
  const listing = execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
  packed = (JSON.parse(listing)[0].files as Array<{ path: string }>).map((f) => f.path);
  tarball = path.join(out, readdirSync(out).find((f) => f.endsWith('.tgz')) as string);
}, 120_000);

describe('the published package', () => {
  it('ships the Linux prebuild, and the Windows one wherever it was built (always in CI)', () => {
    expect(packed).toContain('prebuilds/linux-x64/node.napi.node');
    if (process.env.CI || existsSync(path.join(ROOT, 'prebuilds', 'win32-x64', 'node.napi.node'))) {
      expect(packed).toContain('prebuilds/win32-x64/node.napi.node');
    }
    expect(packed).toContain('dist/index.js');
    expect(packed).toContain('dist/esm.mjs');
    expect(packed.some((f) => f.startsWith('test/'))).toBe(false);
  });

  it('installs with its prebuild (no compile), and ESM, CommonJS and TypeScript consumers can import it', () => {
    const project = install();
    const pkgDir = path.join(project, 'node_modules', 'wfp-blocks');
    expect(existsSync(path.join(pkgDir, 'build'))).toBe(false);
    expect(node(project, 'resolve.cjs', `console.log(require('node-gyp-build').resolve(${JSON.stringify(pkgDir)}))`).trim()).toBe(
      path.join(pkgDir, 'prebuilds', 'linux-x64', 'node.napi.node'),
    );
    const expected = JSON.stringify({ n: 3, isError: true });
    expect(node(project, 'esm.mjs', replayScript("import { watchBlocks, WfpBlocksError } from 'wfp-blocks';")).trim()).toBe(expected);
    expect(node(project, 'cjs.cjs', replayScript("const { watchBlocks, WfpBlocksError } = require('wfp-blocks');")).trim()).toBe(expected);

    // The declarations resolve for both module systems.
    mkdirSync(path.join(project, 'ts'));
    writeFileSync(
      path.join(project, 'ts', 'a.mts'),
      "import { watchBlocks, type BlockEvent } from 'wfp-blocks';\nconst w = watchBlocks({ source: { replay: 'x.xml' } });\nw.on('block', (e: BlockEvent) => e.local?.port);\n",
    );
    writeFileSync(
      path.join(project, 'ts', 'b.cts'),
      "import { watchBlocks, type BlockKind } from 'wfp-blocks';\nconst k: BlockKind = 'bind';\nwatchBlocks({ kinds: [k] }).close();\n",
    );
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), 'ts/a.mts', 'ts/b.cts'],
      { cwd: project, stdio: 'pipe' },
    );
  }, 180_000);

  it('compiles from source when asked to (or when no prebuild matches), and uses that build', () => {
    const project = install(['--build-from-source']);
    const pkgDir = path.join(project, 'node_modules', 'wfp-blocks');
    expect(node(project, 'resolve.cjs', `console.log(require('node-gyp-build').resolve(${JSON.stringify(pkgDir)}))`).trim()).toMatch(
      /build\/Release\/wfp_blocks\.node$/,
    );
    expect(node(project, 'cjs.cjs', replayScript("const { watchBlocks, WfpBlocksError } = require('wfp-blocks');")).trim()).toBe(
      JSON.stringify({ n: 3, isError: true }),
    );
  }, 300_000);
});
