#!/usr/bin/env bash
# Smoke runs of the benchmarks, for CI: each benchmark runs once on small
# data so it cannot rot; the full runs and their figures are in bench/README.md.
#   scripts/bench-smoke.sh BUILD_DIR
# LoCoMo (BM25 mode; hybrid is too slow in a sanitizer build) also checks the
# recall targets, which are deterministic: recall@10 >= 70, recall@50 >= 88.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: bench-smoke.sh BUILD_DIR}"
case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac

data="$root/../shared/bench-data/locomo-dev.json"
if [ -f "$data" ]; then
  out="$("$dir/engram" bench locomo --data "$data" --mode bm25 --json)"
  r10="$(jq -r '.overall.recall["10"]' <<<"$out")"
  r50="$(jq -r '.overall.recall["50"]' <<<"$out")"
  echo "bench-smoke: LoCoMo bm25 recall@10 $r10, recall@50 $r50 ($(jq -r .overall.questions <<<"$out") questions)"
  jq -e '.overall.recall["10"] >= 70 and .overall.recall["50"] >= 88' <<<"$out" >/dev/null || {
    echo "bench-smoke: LoCoMo recall below target (@10 >= 70, @50 >= 88)" >&2
    exit 1
  }
else
  echo "bench-smoke: $data not found; LoCoMo smoke run skipped" >&2
fi

if [ -x "$dir/vector_bench" ]; then
  echo "bench-smoke: vector_bench on 2,000 generated vectors"
  "$dir/vector_bench" --n 2000 --queries 50 --ef 64 --work "$(mktemp -d)" | tail -n 12
fi
