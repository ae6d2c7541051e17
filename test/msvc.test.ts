// The MSVC build's node.lib: in Node-API mode on a Windows host, cmake-js passes CMAKE_JS_NODELIB_DEF
// and CMAKE_JS_NODELIB_TARGET and links CMAKE_JS_LIB (that node.lib), but the project must make it.
// CMake is configured here as cmake-js would on Windows, with clang-cl standing for MSVC and llvm-dlltool
// for lib.exe (test/msvc/lib.sh; configure only: no Windows SDK here). The real MSVC build runs only in
// .github/workflows/windows.yml.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const LLVM = '/usr/lib/llvm-14/bin';
const CLANG = `${LLVM}/clang`;
const available = existsSync(CLANG) && existsSync(`${LLVM}/llvm-dlltool`) && existsSync(`${LLVM}/llvm-nm`);

describe.skipIf(!available)('the MSVC configuration (clang-cl standing for MSVC)', () => {
  it("makes the x64 node.lib cmake-js links, from node-api-headers' .def file", () => {
    const dir = tempDir();
    const clangCl = path.join(dir, 'clang-cl');
    symlinkSync(CLANG, clangCl); // clang acts as clang-cl by its name
    const build = path.join(dir, 'build');
    mkdirSync(build);
    const def = createRequire(__filename)('node-api-headers').def_paths.node_api_def as string;
    const nodeLib = path.join(build, 'node.lib');
    const r = spawnSync(
      'cmake',
      [
        '-S',
        ROOT,
        '-B',
        build,
        '-G',
        'Ninja',
        `-DCMAKE_TOOLCHAIN_FILE=${path.join(ROOT, 'test', 'msvc', 'clang-cl.cmake')}`,
        `-DWFP_CLANG_CL=${clangCl}`,
        `-DWFP_LLVM_BIN=${LLVM}`,
        // What cmake-js passes on a Windows host in Node-API mode (lib/cMake.js):
        '-DCMAKE_JS_VERSION=8.0.0',
        `-DCMAKE_JS_INC=${path.join(ROOT, 'node_modules', 'node-api-headers', 'include')}`,
        `-DCMAKE_JS_NODELIB_DEF=${def}`,
        `-DCMAKE_JS_NODELIB_TARGET=${nodeLib}`,
        `-DCMAKE_JS_LIB=${nodeLib}`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).not.toMatch(/Manually-specified variables were not used[\s\S]*CMAKE_JS_NODELIB/);
    expect(existsSync(nodeLib), 'node.lib was made').toBe(true);
    const symbols = execFileSync(`${LLVM}/llvm-nm`, [nodeLib], { encoding: 'utf8' });
    expect(symbols).toMatch(/__imp_napi_create_function/);
    expect(execFileSync(`${LLVM}/llvm-objdump`, ['-a', nodeLib], { encoding: 'utf8' })).toMatch(/coff-x86-64/);
    // The addon links it.
    expect(readFileSync(path.join(build, 'build.ninja'), 'utf8')).toMatch(/node\.lib/);
  });
});
