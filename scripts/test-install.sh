#!/usr/bin/env bash
# Installs engram from BUILD_DIR to a temporary prefix, moves the installed
# tree elsewhere (so nothing can be found through the prefix or the build
# tree), then runs the moved binary from outside the repository with
# $ENGRAM_MODEL_DIR unset: it must find its USE Lite model beside itself
# (bin/../share/engram/model) and embed with it (lesson add, search in
# hybrid mode). $ENGRAM_MODEL_DIR must still override. Also checks that the
# product binary holds no benchmark data path and cannot load SQLite
# extensions. Run by ctest (test install_relocated).
#   scripts/test-install.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: test-install.sh BUILD_DIR}"
case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
fail() {
  echo "test-install: $*" >&2
  exit 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cmake --install "$dir" --prefix "$tmp/prefix" >/dev/null
mv "$tmp/prefix" "$tmp/moved"
bin="$tmp/moved/bin/engram"
[ -x "$bin" ] || fail "no bin/engram installed"
[ -f "$tmp/moved/share/engram/model/model.json" ] || fail "no model installed"
[ ! -e "$tmp/moved/bin/engram-bench" ] || fail "engram-bench must not be installed"

# No benchmark data path or source-tree dependency path compiled in, and no
# SQLite extension loading.
if strings "$bin" | grep -E 'shared/bench-data|node_modules' >&2; then
  fail "the binary holds a source-tree path (above)"
fi
if nm -D --undefined-only "$bin" | grep -E 'sqlite3_(enable_)?load_extension' >&2; then
  fail "the binary can load SQLite extensions (above)"
fi

cd "$tmp"
unset ENGRAM_MODEL_DIR ENGRAM_EMBEDDER ENGRAM_DB XDG_DATA_HOME
export HOME="$tmp"
db="$tmp/engram.db"
"$bin" --db "$db" --json lesson add --type gotcha --topic testing \
  --title "Await async setup in jest" \
  --content "Unawaited promises in beforeEach make tests flaky." >/dev/null
out="$("$bin" --db "$db" --json search "flaky jest tests")"
jq -e '.mode == "hybrid" and (.results | length) >= 1' <<<"$out" >/dev/null ||
  fail "search did not run hybrid with the installed model: $out"
jq -e '.embeddings == 1' <<<"$("$bin" --db "$db" --json db status)" >/dev/null ||
  fail "the lesson was not embedded"

# $ENGRAM_MODEL_DIR still overrides the installed model.
err="$(ENGRAM_MODEL_DIR="$tmp/nowhere" "$bin" --db "$db" --json search "jest" 2>&1 >/dev/null || true)"
grep -q "$tmp/nowhere" <<<"$err" || fail "ENGRAM_MODEL_DIR was not used: $err"
echo "test-install: the relocated install embeds with its own model"
