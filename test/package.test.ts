// Installs the packed tarball into fresh projects, as a user's `npm install` would, and imports it
// from ES modules, CommonJS and TypeScript. Slow (two installs, one compile), so it runs once.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let tarball = '';

let installOutput = '';
function install(flags: string[] = []): string {
  const project = tempDir();
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...flags, tarball], {
    cwd: project,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
  installOutput = `${r.stdout}${r.stderr}`;
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
  // Locally without the MinGW build the guard would refuse: only CI must have both prebuilds.
  const partial = !process.env.CI && !existsSync(path.join(ROOT, 'prebuilds', 'win32-x64', 'node.napi.node'));
  const listing = execFileSync(npm, ['pack', '--json', '--pack-destination', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...(partial ? { WFP_BLOCKS_PACK_PARTIAL: '1' } : {}) },
  });
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
    expect(packed).toContain('LICENSE');
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

    // Realistic consumers type-check with strict and nodenext, from ES modules and CommonJS alike.
    mkdirSync(path.join(project, 'ts'));
    const consumer = (importLine: string) => `${importLine}

export function start(file: string, signal?: AbortSignal): BlockWatcher {
  const options: WatchOptions = { source: { replay: file }, includeAllowed: true, signal, filter: { since: '2h', ports: [443, '1024-65535'], addresses: ['10.0.0.0/8'] } };
  const watcher: BlockWatcher = watchBlocks(options);
  watcher.on('block', (e: BlockEvent) => {
    const port: number | null | undefined = e.local?.port;
    const app: string | null = e.application;
    const doc: EcsDocument = toEcs(e);
    const otlp: OtlpLogsRequest = toOtlpJson(toOtelLogRecord(e));
    console.log(port, app, doc.event.action, doc.network?.community_id, otlp.resourceLogs[0].scopeLogs[0].scope.version, e.system.providerGuid);
  });
  watcher.on('error', (error: WfpBlocksError) => {
    if (error instanceof WfpBlocksError && error.recoverable) console.error(error.code, error.input, error.offset, error.line);
  });
  return watcher;
}

export function bad(): void {
  try {
    watchBlocks({ kinds: ['connection'] });
  } catch (error) {
    if (error instanceof WfpOptionError) console.error(error.option);
  }
  // @ts-expect-error test seams are not public
  watchBlocks({ audit: { mode: 'enable', store: {} } });
}
`;
    const names =
      'watchBlocks, toEcs, toOtelLogRecord, toOtlpJson, WfpBlocksError, WfpOptionError, type BlockWatcher, type BlockEvent, type WatchOptions, type EcsDocument, type OtlpLogsRequest';
    writeFileSync(path.join(project, 'ts', 'consumer.mts'), consumer(`import { ${names} } from 'wfp-blocks';`));
    writeFileSync(path.join(project, 'ts', 'consumer.cts'), consumer(`import { ${names} } from 'wfp-blocks';`));
    execFileSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        path.join(ROOT, 'node_modules', '@types'),
        'ts/consumer.mts',
        'ts/consumer.cts',
      ],
      { cwd: project, stdio: 'pipe' },
    );

    // A bundled application: esbuild with wfp-blocks external works as it is; bundled in, it finds
    // the binary through WFP_BLOCKS_BINARY (the README's two supported ways).
    writeFileSync(path.join(project, 'app.mjs'), replayScript("import { watchBlocks, WfpBlocksError } from 'wfp-blocks';"));
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({
      entryPoints: [path.join(project, 'app.mjs')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: path.join(project, 'external.cjs'),
      external: ['wfp-blocks'],
      logLevel: 'silent',
    });
    expect(node(project, 'run-external.cjs', "require('./external.cjs')").trim()).toBe(expected);
    const bundleDir = tempDir();
    esbuild.buildSync({
      entryPoints: [path.join(project, 'app.mjs')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: path.join(bundleDir, 'bundle.cjs'),
      logLevel: 'silent',
    });
    const binary = path.join(pkgDir, 'prebuilds', 'linux-x64', 'node.napi.node');
    const run = (env: NodeJS.ProcessEnv) =>
      execFileSync(process.execPath, ['-e', "require('./bundle.cjs')"], {
        cwd: bundleDir,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    expect(run({ WFP_BLOCKS_BINARY: binary }).trim()).toBe(expected);

    // Electron: the binary must sit outside app.asar; packing with asar's unpack option for *.node
    // leaves it in app.asar.unpacked at the path node-gyp-build asks for (Electron redirects it).
    const asar = require('@electron/asar') as typeof import('@electron/asar');
    const app = tempDir();
    execFileSync('cp', ['-r', path.join(project, 'node_modules'), app]);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', main: 'main.cjs' }));
    writeFileSync(path.join(app, 'main.cjs'), "require('wfp-blocks');\n");
    const out = tempDir();
    return asar.createPackageWithOptions(app, path.join(out, 'app.asar'), { unpack: '*.node' }).then(() => {
      const unpacked = path.join(out, 'app.asar.unpacked', 'node_modules', 'wfp-blocks', 'prebuilds', 'linux-x64', 'node.napi.node');
      expect(existsSync(unpacked)).toBe(true);
      const listed = asar.listPackage(path.join(out, 'app.asar'), { isPack: true }).find((l: string) => l.includes('node.napi.node'));
      expect(listed).toMatch(/unpack/);
      expect(
        node(
          project,
          'asar.cjs',
          `process.env.WFP_BLOCKS_BINARY = ${JSON.stringify(unpacked)};\n${replayScript("const { watchBlocks, WfpBlocksError } = require('wfp-blocks');")}`,
        ).trim(),
      ).toBe(expected);
    });
  }, 180_000);

  it('refuses to pack without both prebuilds, and says which is missing', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'prebuilds', 'linux-x64'), { recursive: true });
    writeFileSync(path.join(root, 'prebuilds', 'linux-x64', 'node.napi.node'), '');
    const env = { ...process.env, WFP_BLOCKS_PACK_PARTIAL: '' };
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-prebuilds.js'), root], { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to pack without the prebuilt binaries for win32-x64');
    mkdirSync(path.join(root, 'prebuilds', 'win32-x64'), { recursive: true });
    writeFileSync(path.join(root, 'prebuilds', 'win32-x64', 'node.napi.node'), '');
    expect(spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-prebuilds.js'), root], { env }).status).toBe(0);
  });

  it('compiles from source when asked to (or when no prebuild matches), says so, and uses that build', () => {
    const project = install(['--build-from-source', '--foreground-scripts']);
    const pkgDir = path.join(project, 'node_modules', 'wfp-blocks');
    expect(installOutput).toContain('wfp-blocks: compiling from source, as --build-from-source asks');
    expect(installOutput).toContain('wfp-blocks: compiled: watchers load build/Release/wfp_blocks.node');
    expect(node(project, 'resolve.cjs', `console.log(require('node-gyp-build').resolve(${JSON.stringify(pkgDir)}))`).trim()).toMatch(
      /build\/Release\/wfp_blocks\.node$/,
    );
    expect(node(project, 'cjs.cjs', replayScript("const { watchBlocks, WfpBlocksError } = require('wfp-blocks');")).trim()).toBe(
      JSON.stringify({ n: 3, isError: true }),
    );
  }, 300_000);
});
