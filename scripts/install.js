#!/usr/bin/env node
'use strict';
// npm "install" hook: use a bundled prebuild when one loads on this machine, otherwise compile with
// cmake-js. A failed compile does not fail the install: the library then reports a typed
// ERR_BINDING_NOT_FOUND when a watcher is started, so importing it never breaks a consumer's install.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fromSource = /^(1|true)$/.test(process.env.npm_config_build_from_source || '');

function prebuildLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

if (!fromSource && prebuildLoads()) process.exit(0);

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(
    'wfp-blocks: no prebuild matches this platform and compiling from source failed ' +
      '(cmake and a C++17 compiler are needed). The package is installed, but watchers will fail ' +
      'with ERR_BINDING_NOT_FOUND.\n',
  );
  if (process.env.WFP_BLOCKS_REQUIRE_BUILD) process.exit(1);
}
