#!/usr/bin/env bash
# Builds the libFuzzer target with AddressSanitizer and UndefinedBehaviorSanitizer and runs it for a
# bounded time (FUZZ_SECONDS, default 60), seeded with the real fixture records. Needs clang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[ -n "$cxx" ] || { echo "fuzz: clang++ is needed (apt-get install clang-14)" >&2; exit 1; }

build=.fuzz/build
cmake -S . -B "$build" -DWFP_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --target fuzz_reader -j 2 >/dev/null

# Seed corpus: the first records of each fixture file, the first one twice so that a learned shape
# reads the second (byte 0 of each seed is the split point the target uses).
corpus=.fuzz/corpus
mkdir -p "$corpus"
i=0
for f in test/fixtures/records/*.xml; do
  { printf '\x20'; head -n 1 "$f"; head -n 3 "$f"; } > "$corpus/seed-$i"
  i=$((i + 1))
done
for f in test/fixtures/fwlog/*.log; do
  { printf '\x21'; head -c 4000 "$f"; } > "$corpus/seed-$i"
  i=$((i + 1))
done

"$build/fuzz_reader" "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 2>&1 | tail -n 12
