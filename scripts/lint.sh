#!/usr/bin/env bash
# Style and lint checks: clang-format (no changes allowed) over every C++
# file, clang-tidy (warnings are errors) over the sources.
#   scripts/lint.sh [BUILD_DIR] [--all]
# BUILD_DIR holds compile_commands.json (default build/asan).
#
# clang-tidy costs ~10 s per source on this code (nlohmann/json and the
# checks' AST walk), ~17 minutes for all of them on 2 cores. Without
# --all it checks the sources that can have changed since .ci/lint-base, a
# commit on which a full run was clean: sources changed since then
# (committed or not) and every source that includes a changed header,
# directly or through other headers. It checks every source when --all is
# given, when .clang-tidy changed, or when the base is missing or not an
# ancestor of HEAD (e.g. a shallow clone). After a clean full run, record
# HEAD in .ci/lint-base.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="build/asan"
all=0
for arg in "$@"; do
  case "$arg" in
    --all) all=1 ;;
    *) dir="$arg" ;;
  esac
done
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.h')
echo "lint: clang-format on ${#files[@]} files" >&2
clang-format --dry-run -Werror "${files[@]}"
mapfile -t every < <(printf '%s\n' "${files[@]}" | grep -E '^src/.*\.cc$')

base="$(cat .ci/lint-base 2>/dev/null || true)"
if [ "$all" = 0 ] && { [ -z "$base" ] || ! git merge-base --is-ancestor "$base" HEAD 2>/dev/null; }; then
  echo "lint: no usable .ci/lint-base; checking every source" >&2
  all=1
fi
if [ "$all" = 0 ]; then
  mapfile -t changed < <({ git diff --name-only "$base" -- ; git ls-files --others --exclude-standard; } | sort -u)
  if printf '%s\n' "${changed[@]}" | grep -qx '.clang-tidy'; then all=1; fi
fi
if [ "$all" = 1 ]; then
  sources=("${every[@]}")
else
  # Closure over includes: a changed header taints its includers.
  declare -A tainted=()
  for f in "${changed[@]}"; do [ -f "$f" ] && tainted["$f"]=1; done
  frontier=("${!tainted[@]}")
  while [ "${#frontier[@]}" -gt 0 ]; do
    next=()
    for f in "${frontier[@]}"; do
      case "$f" in
        include/*.h) name="${f#include/}" ;;
        src/*.h) name="${f#src/}" ;;
        *) continue ;;
      esac
      while IFS= read -r user; do
        if [ -z "${tainted[$user]:-}" ]; then
          tainted["$user"]=1
          next+=("$user")
        fi
      done < <(grep -lF "#include \"$name\"" "${files[@]}" 2>/dev/null || true)
    done
    frontier=("${next[@]}")
  done
  sources=()
  for f in "${every[@]}"; do [ -n "${tainted[$f]:-}" ] && sources+=("$f"); done
  echo "lint: clang-tidy on the sources changed since $(git rev-parse --short "$base") (of ${#every[@]}; --all for every one)" >&2
fi
echo "lint: clang-tidy on ${#sources[@]} sources" >&2
if [ "${#sources[@]}" -gt 0 ]; then
  printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$dir" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null
fi
echo "lint: clean" >&2
