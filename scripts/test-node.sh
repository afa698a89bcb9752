#!/usr/bin/env bash
# Builds and tests the Node client (clients/node) against a real engram
# binary. Idempotent: runs `npm ci` only when node_modules is missing or was
# installed from a different package-lock.json.
#
#   ENGRAM_BINARY=/path/to/engram scripts/test-node.sh
#
# Without ENGRAM_BINARY the tests use build/asan/engram, else
# build/release/engram. scripts/test.sh passes the ASan build's binary, with
# its ASAN_OPTIONS (leak detection on) inherited unchanged: the tests end
# engram with EOF, SIGTERM or SIGKILL, and the first two exit through
# LeakSanitizer's check like any other run, so a leak fails the suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/clients/node"

# A relative ENGRAM_BINARY is relative to where we were called from.
if [ -n "${ENGRAM_BINARY:-}" ]; then
  if [ ! -x "$ENGRAM_BINARY" ] || [ -d "$ENGRAM_BINARY" ]; then
    echo "test-node.sh: ENGRAM_BINARY=$ENGRAM_BINARY is not an executable" >&2
    exit 1
  fi
  ENGRAM_BINARY="$(cd "$(dirname "$ENGRAM_BINARY")" && pwd)/$(basename "$ENGRAM_BINARY")"
  export ENGRAM_BINARY
fi
cd "$pkg"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test-node.sh: node and npm are required (Node 20 or later)" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "test-node.sh: Node $(node --version) is too old; Node 20 or later is required" >&2
  exit 1
fi

stamp="node_modules/.engram-lock-sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "test-node.sh: npm ci (node_modules missing or stale)" >&2
  npm ci --no-audit --no-fund >&2
  echo "$want" >"$stamp"
fi

rm -rf dist  # no stale output of deleted sources
npm run --silent build >&2

# TAP output ends with the runner's summary (# tests, # pass, # fail).
npm run --silent test
