#!/usr/bin/env bash
# Runs every test: installs dependencies if missing, builds with
# AddressSanitizer + UBSan (warnings are errors), runs the C++ unit,
# integration and CLI tests with ctest, the Node client tests, a smoke run
# of each benchmark, then the format and lint checks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh

dir="$(scripts/build.sh asan)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd "$dir" && ctest --output-on-failure -j "$(nproc)")

if [ -f clients/node/package.json ] && [ -x scripts/test-node.sh ]; then
  ENGRAM_BINARY="$root/$dir/engram" scripts/test-node.sh
fi

scripts/bench-smoke.sh "$dir"
scripts/lint.sh "$dir"
echo "test.sh: all tests and checks passed"
