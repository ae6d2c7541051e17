#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and UndefinedBehaviorSanitizer and runs them for a
# bounded time (FUZZ_SECONDS, default 60), seeded with real records and bookmarks. Needs clang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[ -n "$cxx" ] || { echo "fuzz: clang++ is needed (apt-get install clang-14)" >&2; exit 1; }

build=.fuzz/build
cmake -S . -B "$build" -DWFP_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --target fuzz_reader fuzz_bookmark -j 2 >/dev/null

# Seed corpus: the first records of each fixture file, the first one twice so that a learned shape
# reads the second (byte 0 of each seed is the split point the target uses).
corpus=.fuzz/corpus
mkdir -p "$corpus"
i=0
for f in test/fixtures/records/*.xml; do
  { printf '\x20'; head -n 1 "$f"; head -n 3 "$f"; } > "$corpus/seed-$i"
  i=$((i + 1))
done

"$build/fuzz_reader" "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 2>&1 | tail -n 12

# The bookmark's resume points: a tenth of the time, seeded with what lib/bookmark.ts writes.
bookmarks=.fuzz/bookmarks
mkdir -p "$bookmarks"
printf '4096 8f3a0c1d2e4b5a69 123456 0\n300 00000000000000ff 300 1\n' > "$bookmarks/inputs"
printf '0 987654 3\n' > "$bookmarks/epoch"
"$build/fuzz_bookmark" "$bookmarks" -max_total_time=$(( seconds / 10 + 1 )) -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 3
