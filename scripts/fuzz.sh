#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz/README.md) for a bounded time each.
#   scripts/fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET]   (default build/asan, 60)
# Seeds: every request line of the protocol transcripts (tests/server/
# transcripts; one seed per line and one per transcript for a whole
# session) and tests/fuzz/corpus/<target>/. The corpus grown by a run stays
# in BUILD_DIR/fuzz-corpus/<target> for the next run. A crash, leak or
# timeout fails the script and leaves the input in BUILD_DIR/fuzz-artifacts/:
# copy it to tests/fuzz/regressions/<target>/ (ctest replays every file
# there) and fix the cause.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-build/asan}"
seconds="${2:-60}"
case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

seed_transcripts() {  # $1: transcript suffix (mcp|ndjson), $2: seed dir
  mkdir -p "$2"
  local f n=0
  for f in "$root"/tests/server/transcripts/*."$1".txt; do
    [ -f "$f" ] || continue
    sed -n 's/^> //p' "$f" >"$2/session-$(basename "$f" .txt)"
    while IFS= read -r line; do
      n=$((n + 1))
      printf '%s\n' "$line" >"$2/line-$(basename "$f" .txt)-$n"
    done < <(sed -n 's/^> //p' "$f")
  done
}

status=0
for target in ndjson mcp import; do
  bin="$dir/fuzz_$target"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin not built (cmake -DENGRAM_FUZZ=ON)" >&2
    exit 1
  fi
  corpus="$dir/fuzz-corpus/$target"
  seeds="$dir/fuzz-seeds/$target"
  artifacts="$dir/fuzz-artifacts/$target/"
  rm -rf "$seeds"
  mkdir -p "$corpus" "$seeds" "$artifacts"
  case "$target" in
    ndjson) seed_transcripts ndjson "$seeds" ;;
    mcp) seed_transcripts mcp "$seeds" ;;
  esac
  [ -d "$root/tests/fuzz/corpus/$target" ] && cp "$root/tests/fuzz/corpus/$target"/* "$seeds"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) in the corpus)" >&2
  if ! "$bin" "$corpus" "$seeds" -max_total_time="$seconds" -use_value_profile=1 \
      -max_len=16384 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$artifacts" >"$dir/fuzz-$target.log" 2>&1; then
    echo "fuzz: $target FAILED; the input is in $artifacts; log: $dir/fuzz-$target.log" >&2
    tail -n 40 "$dir/fuzz-$target.log" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$dir/fuzz-$target.log" |
      sed "s/^/fuzz: $target /" >&2 || true
  fi
done
exit "$status"
