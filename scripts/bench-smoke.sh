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

# The data sets are not in the repository: $ENGRAM_BENCH_DATA, else
# ../shared/bench-data beside the checkout (engram-bench's own default).
data="${ENGRAM_BENCH_DATA:-$root/../shared/bench-data}/locomo-dev.json"
if [ -f "$data" ]; then
  out="$("$dir/engram-bench" locomo --data "$data" --mode bm25 --json)"
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

# Scale benchmark on small data: 5,000 generated vectors with synthetic text
# and 500 real LoCoMo texts (USE Lite), 50 queries. sqlite-vec runs when its
# extension is installed (deps/, scripts/install-model.sh) and is skipped,
# saying so, when the file is absent; any other sqlite-vec failure fails.
if [ -f "$data" ]; then
  work="$(mktemp -d)"
  out="$("$dir/engram-bench" --json scale --n 5000 --real 500 --queries 50 --ef 64,128 \
    --sqlite-vec-queries 10 --work "$work" --locomo "$data")"
  if [ -x "$dir/overlap_bench" ]; then
    echo "bench-smoke: overlap_bench on the 500 real texts"
    "$dir/overlap_bench" --db "$work/real.db" --queries 20 --rounds 1 --locomo "$data"
  fi
  rm -rf "$work"
  jq -r '.synthetic as $s | .real as $r |
    "bench-smoke: scale n=\($s.n): hnsw ef=128 recall@10 \($s.hnsw.search[1].recall_at_10), " +
    "retrieval p50 \($s.retrieval.p50_ms) ms; real n=\($r.n): end-to-end p50 \($r.end_to_end.p50_ms) ms"' \
    <<<"$out"
  skipped="$(jq -r '.synthetic.sqlite_vec.skipped // empty' <<<"$out")"
  if [ -n "$skipped" ]; then
    echo "bench-smoke: sqlite-vec skipped: $skipped" >&2
  else
    jq -r '"bench-smoke: sqlite-vec p50 \(.synthetic.sqlite_vec.latency.p50_ms) ms, recall@10 \(.synthetic.sqlite_vec.recall_at_10)"' <<<"$out"
  fi
  jq -e '.synthetic.hnsw.search[1].recall_at_10 >= 0.9 and .real.retrieval.queries == 50' \
    <<<"$out" >/dev/null || {
    echo "bench-smoke: scale benchmark results out of range" >&2
    exit 1
  }
else
  echo "bench-smoke: $data not found; scale smoke run skipped" >&2
fi
