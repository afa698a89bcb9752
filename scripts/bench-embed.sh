#!/usr/bin/env bash
# Benchmarks the native USE Lite embedder against the Node reference
# (@energetic-ai/embeddings on TF.js) on the same golden sentences, in one
# run, and prints both median per-sentence latencies and their ratio.
# Usage: scripts/bench-embed.sh [rounds]   (default 5; builds build/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
scripts/install-model.sh

dir=build/bench
if [ ! -f "$dir/build.ninja" ]; then
  # No -Werror here: GCC 12's -O3 -Wrestrict false positives on std::string
  # concatenation must not stop a benchmark build.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DENGRAM_BUILD_BENCH=ON \
    -DENGRAM_BUILD_TESTS=OFF -DENGRAM_WERROR=OFF >&2
fi
cmake --build "$dir" --target embed_bench >&2

native="$("$dir/embed_bench" "$rounds")"
node_out="$(node scripts/bench-embed-node.mjs "$rounds" 2>/dev/null)"
echo "$native"
echo "$node_out"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2" | tail -1; }
n_single="$(field single_median_ms "$native")"
r_single="$(field single_median_ms "$node_out")"
n_batch="$(field batch_per_sentence_ms "$native")"
r_batch="$(field batch_per_sentence_ms "$node_out")"
awk -v n="$n_single" -v r="$r_single" -v nb="$n_batch" -v rb="$r_batch" 'BEGIN {
  printf "single sentence: native %.3f ms, node %.3f ms median -> native is %.1fx faster\n", n, r, r / n
  printf "batched:         native %.3f ms, node %.3f ms per sentence -> native is %.1fx faster\n", nb, rb, rb / nb
}'
