#!/usr/bin/env node
'use strict';
// prebuildify only knows how to drive node-gyp (`<node-gyp> rebuild --arch=x64 --release ...`);
// this stands in for node-gyp and runs cmake-js instead, in Node-API mode (no headers download).
// PREBUILD_TOOLCHAIN names a CMake toolchain file for a cross build.
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const arch = args.find((a) => a.startsWith('--arch='));
const cmakeArgs = ['rebuild'];
if (arch) cmakeArgs.push('--arch', arch.slice('--arch='.length));
if (args.includes('--debug')) cmakeArgs.push('--debug');
if (process.env.PREBUILD_TOOLCHAIN) cmakeArgs.push(`--CDCMAKE_TOOLCHAIN_FILE=${process.env.PREBUILD_TOOLCHAIN}`);

const result = spawnSync(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), ...cmakeArgs], { stdio: 'inherit' });
process.exit(result.status ?? 1);
