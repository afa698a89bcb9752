#!/usr/bin/env bash
# Runs every test: installs dependencies if missing, builds with
# AddressSanitizer + UBSan (warnings are errors), runs the C++ unit,
# integration and CLI tests with ctest, a time-boxed run of each fuzz
# target, the Node client tests, a smoke run of each benchmark, then the
# format and lint checks. Prints how long each
# phase took (CI has 45 minutes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
start=$SECONDS
phase_start=$SECONDS
phase() {
  echo "test.sh: $1 took $((SECONDS - phase_start)) s (total $((SECONDS - start)) s)" >&2
  phase_start=$SECONDS
}

scripts/install-deps.sh
phase "install-deps"

dir="$(scripts/build.sh asan)"
phase "asan build"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd "$dir" && ctest --output-on-failure -j "$(nproc)")
phase "ctest"
scripts/fuzz.sh "$dir" 40
phase "fuzz (40 s per target)"

if [ -f clients/node/package.json ] && [ -x scripts/test-node.sh ]; then
  ENGRAM_BINARY="$root/$dir/engram" scripts/test-node.sh
  phase "node tests"
fi

scripts/bench-smoke.sh "$dir"
phase "bench smoke"
scripts/lint.sh "$dir"
phase "lint"
echo "test.sh: all tests and checks passed in $((SECONDS - start)) s"
