#!/usr/bin/env bash
# Runs the peers harness (../shared/peers/run_all.sh, used in place, never
# copied) and then engram's own runner (bench/peers/run_engram) on the same
# data, appending every JSON line to one results file OUTSIDE the repo and
# ../shared, and prints the side-by-side table (../shared/peers/summarize.py).
#   bench/peers/run_side_by_side.sh N [peer ...]     (default peers: hnswlib sqlite_vec)
# env: BUILD_DIR (build-scale: where run_engram is; configure with
#      -DENGRAM_BUILD_BENCH=ON), SIDE_BY_SIDE_DIR (/tmp/engram-side-by-side),
#      HNSW_THREADS (1: build threads of hnswlib and engram), HNSW_EF (32,64,128),
#      QUERIES, and every knob of run_all.sh (PEERS_DATA_ROOT, PEERS_PRESET, ...).
# run_all.sh writes results-N.jsonl beside itself unless PEERS_RESULTS names
# another file: we always set it, so nothing is written into ../shared.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:?usage: run_side_by_side.sh N [peer ...]}"
shift
peers=("$@")
[ ${#peers[@]} -gt 0 ] || peers=(hnswlib sqlite_vec)
peers_dir="${PEERS_DIR:-$root/../shared/peers}"
build="${BUILD_DIR:-$root/build-scale}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
runner="$build/run_engram"
[ -x "$runner" ] || {
  echo "run_side_by_side: $runner missing (cmake -DENGRAM_BUILD_BENCH=ON, ninja run_engram)" >&2
  exit 1
}
preset="${PEERS_PRESET:-default}"
suffix=""
[ "$preset" = default ] || suffix="-$preset"
out_dir="${SIDE_BY_SIDE_DIR:-/tmp/engram-side-by-side}"
mkdir -p "$out_dir"
out="$out_dir/results-$n$suffix.jsonl"
data="${PEERS_DATA_ROOT:-/tmp/peers-data}/n$n$suffix"
work="${PEERS_WORK_ROOT:-/tmp/peers-work}/engram-n$n"

echo "== $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg); results -> $out" >&2
PEERS_RESULTS="$out" "$peers_dir/run_all.sh" "$n" "${peers[@]}"

echo "== engram N=$n: $runner" >&2
qargs=()
[ -n "${QUERIES:-}" ] && qargs=(--queries "$QUERIES")
tmp="$(mktemp)"
rc=0
timeout --kill-after=30 "${PEER_TIMEOUT_S:-1500}" "$runner" --data "$data" \
  --threads "${HNSW_THREADS:-1}" --ef "${HNSW_EF:-32,64,128}" --work "$work" "${qargs[@]}" \
  >"$tmp" || rc=$?
grep '^{' "$tmp" | tee -a "$out" || true
if [ "$rc" -ne 0 ] && ! grep -q FAILED "$tmp"; then
  printf '{"peer":"engram","setting":"error","n":%s,"notes":"FAILED: exit %s"}\n' "$n" "$rc" |
    tee -a "$out"
fi
rm -f "$tmp"
rm -rf "$work"
echo >&2
/usr/bin/python3 "$peers_dir/summarize.py" "$out"
