#!/usr/bin/env bash
# Stands for lib.exe in test/msvc.test.ts. `lib /def:F /out:L /machine:M` makes an import library from a
# .def file, here with llvm-dlltool (llvm-lib 14 has no /def:); like lib.exe without /machine (warning
# LNK4068), it makes an x86 library then, which the test rejects. Anything else (CMake's own
# static-library checks) goes to llvm-lib. Test code only.
set -euo pipefail
llvm=${WFP_LLVM_BIN:-/usr/lib/llvm-14/bin}
def='' out='' machine=x86
for arg in "$@"; do
  case "$arg" in
    [/-][dD][eE][fF]:*) def=${arg#*:} ;;
    [/-][oO][uU][tT]:*) out=${arg#*:} ;;
    [/-][mM][aA][cC][hH][iI][nN][eE]:*) machine=${arg#*:} ;;
  esac
done
[ -n "$def" ] || exec "$llvm/llvm-lib" "$@"
[ -n "$out" ] || { echo "lib.sh: /out: is needed" >&2; exit 1; }
case "${machine,,}" in x64) m=i386:x86-64 ;; *) m=i386 ;; esac
"$llvm/llvm-dlltool" -m "$m" -d "$def" -l "$out"
