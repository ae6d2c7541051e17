// The real-Windows workflow must fail at the step that broke: a compile that fails fails the install
// (WFP_BLOCKS_REQUIRE_BUILD, which scripts/install.js honours), and every step runs a command and
// files that exist. It cannot run here (it needs a Windows runner); what it relies on can.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const workflow = readFileSync(path.join(ROOT, '.github', 'workflows', 'windows.yml'), 'utf8');

describe('.github/workflows/windows.yml', () => {
  it('makes a failed compile fail the install, for the whole job', () => {
    expect(workflow).toMatch(/^ {4}env:\n(?: {6}#.*\n)* {6}WFP_BLOCKS_REQUIRE_BUILD: '1'$/m);
  });

  it('names only test files and scripts that exist', () => {
    const files = [...workflow.matchAll(/\btest\/[\w./-]+\.(?:ts|cjs)\b/g)].map((m) => m[0]);
    const wineRun = /node --test [^\n]*/.exec(workflow)?.[0] ?? '';
    const wineFiles = [...wineRun.matchAll(/([\w-]+\.test\.cjs)/g)].map((m) => `test/wine/${m[1]}`);
    expect(wineFiles.length).toBeGreaterThanOrEqual(5);
    for (const file of [...files, ...wineFiles]) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
  });

  it("its last step's CLI command exits 0", () => {
    const commands = [...workflow.matchAll(/run: (node dist\/cli\.js[^\n]*)/g)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const r = spawnSync(process.execPath, command.split(' ').slice(1), { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, `${command}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('scripts/install.js when compiling fails', () => {
  // A package whose CMakeLists.txt cannot configure, with this package's install script and modules.
  function brokenPackage(): string {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'scripts'));
    copyFileSync(path.join(ROOT, 'scripts', 'install.js'), path.join(dir, 'scripts', 'install.js'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'broken', version: '1.0.0', binary: { napi_versions: [8] } }));
    writeFileSync(
      path.join(dir, 'CMakeLists.txt'),
      'cmake_minimum_required(VERSION 3.15)\nproject(broken CXX)\nmessage(FATAL_ERROR "broken on purpose")\n',
    );
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  }
  const install = (dir: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(dir, 'scripts', 'install.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, npm_config_build_from_source: 'true', WFP_BLOCKS_REQUIRE_BUILD: '', ...env },
    });

  it('still installs by default (watchers then report ERR_BINDING_NOT_FOUND)', () => {
    const r = install(brokenPackage(), {});
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/compiling from source failed/);
  }, 120_000);

  it('fails the install with WFP_BLOCKS_REQUIRE_BUILD, as CI and the Windows workflow set it', () => {
    const r = install(brokenPackage(), { WFP_BLOCKS_REQUIRE_BUILD: '1' });
    expect(r.status).toBe(1);
  }, 120_000);
});
