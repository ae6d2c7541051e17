#!/usr/bin/env node
'use strict';
// npm "install" hook: use the bundled prebuild when one loads on this machine, otherwise compile
// with cmake-js; `npm install --build-from-source` (npm_config_build_from_source, which npm 11
// still passes on, with a warning about the unknown option) compiles even when a prebuild loads.
// A failed compile does not fail the install: the library then reports a typed
// ERR_BINDING_NOT_FOUND when a watcher is started, so importing it never breaks a consumer's
// install (WFP_BLOCKS_REQUIRE_BUILD=1 makes it fail instead). It says what happened, either way.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const target = `${process.platform}-${process.arch}`;
const flag = process.env.npm_config_build_from_source || '';
// `--build-from-source`, `--build-from-source=true`, or `--build-from-source=wfp-blocks` (the
// package-name form other native packages take).
const fromSource = /^(1|true|wfp-blocks)$/i.test(flag) || flag.split(',').includes('wfp-blocks');
const say = (message) => process.stderr.write(`wfp-blocks: ${message}\n`);

// The binary node-gyp-build would load here, if there is one and it loads.
function prebuildLoads() {
  try {
    const file = require('node-gyp-build').resolve(root);
    require(file);
    return file;
  } catch {
    return null;
  }
}

const prebuild = prebuildLoads();
if (!fromSource && prebuild) process.exit(0); // the prebuilt binary loads: nothing to do

say(fromSource ? 'compiling from source, as --build-from-source asks' : `no prebuilt binary for ${target}; compiling from source`);
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (result.status === 0) {
  say('compiled: watchers load build/Release/wfp_blocks.node');
} else if (prebuild) {
  say(`compiling from source failed (cmake and a C++17 compiler are needed); watchers load the prebuilt binary for ${target} instead`);
  if (process.env.WFP_BLOCKS_REQUIRE_BUILD) process.exit(1);
} else {
  say(
    'compiling from source failed (cmake and a C++17 compiler are needed). The package is installed, ' +
      `but there is no binary for ${target}: watchers will fail with ERR_BINDING_NOT_FOUND.`,
  );
  if (process.env.WFP_BLOCKS_REQUIRE_BUILD) process.exit(1);
}
