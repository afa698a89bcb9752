#!/usr/bin/env bash
# Installs everything engram needs to build, run and test, idempotently:
# Debian packages via apt (only those missing), then npm packages into
# project folders (deps/ for the embedding model). Safe to run repeatedly;
# a no-op when everything is present. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git
  libsqlite3-dev        # embedded store (FTS5, JSON1)
  nlohmann-json3-dev    # JSON values and parsing
  libcli11-dev          # command-line parsing
  zlib1g-dev            # CRC-32 checksums of exports and index files
  libhnswlib-dev        # HNSW vector index
  libcurl4-openssl-dev  # HTTP embedding provider
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  clang-format clang-tidy                     # style and lint checks
  libclang-rt-14-dev                          # libFuzzer for the fuzz targets (tests/fuzz)
  jq                                          # JSON on the command line (README examples)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages live in project folders, never globally.
if [ -x scripts/install-model.sh ]; then
  scripts/install-model.sh
fi
