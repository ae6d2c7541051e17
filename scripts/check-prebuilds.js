#!/usr/bin/env node
'use strict';
// npm "prepack" guard: a package is never packed without the prebuilt binaries it promises
// (win32-x64 and linux-x64), so a tarball made by hand cannot silently lack the Windows one.
// `npm run prebuild` makes both. WFP_BLOCKS_PACK_PARTIAL=1 packs anyway (local experiments only).
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = process.argv[2] ?? path.join(__dirname, '..');
const TARGETS = ['win32-x64', 'linux-x64'];
const missing = TARGETS.filter((t) => !existsSync(path.join(root, 'prebuilds', t, 'node.napi.node')));
if (missing.length > 0 && !process.env.WFP_BLOCKS_PACK_PARTIAL) {
  process.stderr.write(
    `wfp-blocks: refusing to pack without the prebuilt binaries for ${missing.join(' and ')} ` +
      `(prebuilds/<platform>-<arch>/node.napi.node). Build them with 'npm run prebuild' ` +
      '(linux-x64 with cmake-js, win32-x64 cross-compiled with MinGW-w64), then pack again.\n',
  );
  process.exit(1);
}
