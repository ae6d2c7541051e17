#!/usr/bin/env bash
# Cross-compiles the Windows x64 addon with MinGW-w64 into prebuilds/win32-x64/node.napi.node and fails
# if it imports anything but system DLLs and (delay-loaded) node.exe.
# Needs Debian's g++-mingw-w64-x86-64-posix and mingw-w64-tools.
set -euo pipefail
cd "$(dirname "$0")/.."

npx cmake-js compile -O build-win32 --CDCMAKE_TOOLCHAIN_FILE="$PWD/cmake/mingw-w64-x86_64.cmake" >/dev/null
mkdir -p prebuilds/win32-x64
out=prebuilds/win32-x64/node.napi.node
x86_64-w64-mingw32-strip -o "$out" build-win32/Release/wfp_blocks.node

imports=$(x86_64-w64-mingw32-objdump -p "$out" | sed -n 's/^[[:space:]]*DLL Name: //p')
echo "win32-x64 addon imports: $(echo $imports)"
for dll in $imports; do
  if ! echo "$dll" | grep -qiE '^(kernel32|advapi32|msvcrt|wevtapi|fwpuclnt|shlwapi|iphlpapi)\.dll$|^node\.exe$'; then
    echo "build-win32: $out imports $dll, which users do not have" >&2
    exit 1
  fi
done
