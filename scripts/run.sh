#!/usr/bin/env bash
# The main job: installs dependencies if missing, builds Release, then runs
# engram on the embedded default store with the given arguments
# (`scripts/run.sh episode list`, `scripts/run.sh --help`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" >&2
dir="$("$root/scripts/build.sh" release)"
exec "$root/$dir/engram" "$@"
