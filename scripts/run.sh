#!/usr/bin/env bash
# The main job: installs dependencies if missing, builds the engram binary
# (Release; only that target: no tests, no benchmarks), then runs
# engram on the embedded default store. With no arguments it serves memory
# over MCP on stdin/stdout (`engram mcp`); with arguments it runs that engram
# command instead (`scripts/run.sh episode list`, `scripts/run.sh --help`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" >&2
dir="$("$root/scripts/build.sh" release --target engram)"
if [ "$#" -eq 0 ]; then
  set -- mcp
fi
exec "$root/$dir/engram" "$@"
