#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and UndefinedBehaviorSanitizer and runs them for a
# bounded time (FUZZ_SECONDS, default 60): the XML reader seeded with the real fixture records and the
# .evtx reader seeded with real chunks of the fixture files, half of it each, then the bookmark's resume
# points seeded with real bookmarks. Needs clang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
each=$(( (seconds + 1) / 2 ))
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[ -n "$cxx" ] || { echo "fuzz: clang++ is needed (apt-get install clang-14)" >&2; exit 1; }

build=.fuzz/build
cmake -S . -B "$build" -DWFP_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --target fuzz_reader fuzz_evtx fuzz_bookmark -j 2 >/dev/null

# XML seeds: the first records of each fixture file, the first one twice so that a learned shape
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

# .evtx seeds: the first two chunks of each fixture file, each on its own after a file header the
# target adds (byte 0 chooses the piece size the bytes are fed in), and the first 8 KiB of each file
# whole (its header, and a chunk cut short).
evtx_corpus=.fuzz/corpus-evtx
mkdir -p "$evtx_corpus"
i=0
for gz in test/fixtures/evtx/*.evtx.gz; do
  file="$(mktemp)"
  gunzip -c "$gz" > "$file"
  for chunk in 0 1; do
    { printf '\x07'; dd if="$file" bs=4096 skip=$((1 + chunk * 16)) count=16 2>/dev/null; } > "$evtx_corpus/chunk-$i-$chunk"
    [ "$(stat -c %s "$evtx_corpus/chunk-$i-$chunk")" -gt 512 ] || rm "$evtx_corpus/chunk-$i-$chunk"
  done
  { printf '\x03'; dd if="$file" bs=4096 count=2 2>/dev/null; } > "$evtx_corpus/head-$i"
  rm "$file"
  i=$((i + 1))
done

"$build/fuzz_reader" "$corpus" -max_total_time="$each" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 2>&1 | tail -n 12
"$build/fuzz_evtx" "$evtx_corpus" -max_total_time="$each" -max_len=139264 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 2>&1 | tail -n 12

# The bookmark's resume points: a tenth of the time, seeded with what lib/bookmark.ts writes.
bookmarks=.fuzz/bookmarks
mkdir -p "$bookmarks"
printf '4096 8f3a0c1d2e4b5a69 123456 0\n300 00000000000000ff 300 1\n' > "$bookmarks/inputs"
printf '0 987654 3\n' > "$bookmarks/epoch"
"$build/fuzz_bookmark" "$bookmarks" -max_total_time=$(( seconds / 10 + 1 )) -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 3
