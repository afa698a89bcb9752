#!/usr/bin/env bash
# Builds engram. Usage:
#   scripts/build.sh [release|debug|asan] [--target NAME]... [extra cmake args]
#   release -> build/release  (optimised; scripts/run.sh builds only its
#                              engram target there)
#   debug   -> build/debug
#   asan    -> build/asan     (Debug + AddressSanitizer + UBSan + bench programs
#                              + fuzz targets; what tests use)
# Every target is built unless --target names some. Prints the build
# directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
shift || true
case "$kind" in
  release) type=Release; extra=(-DENGRAM_SANITIZE=OFF) ;;
  debug) type=Debug; extra=(-DENGRAM_SANITIZE=OFF) ;;
  asan) type=Debug; extra=(-DENGRAM_SANITIZE=ON -DENGRAM_BUILD_BENCH=ON -DENGRAM_FUZZ=ON) ;;
  *) echo "build.sh: unknown build kind '$kind' (release, debug, asan)" >&2; exit 2 ;;
esac
targets=()
while [ "$#" -gt 0 ] && [ "$1" = "--target" ]; do
  targets+=(--target "${2:?build.sh: --target needs a name}")
  shift 2
done
dir="build/$kind"
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${extra[@]}" "$@" >&2
fi
cmake --build "$dir" -j "$(nproc)" "${targets[@]}" >&2
echo "$dir"
