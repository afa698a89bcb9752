#!/usr/bin/env bash
# Style and lint checks: clang-format (no changes allowed) and clang-tidy
# (warnings are errors) over every C++ file. Usage: scripts/lint.sh [build dir
# with compile_commands.json] (default build/asan).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build/asan}"
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.h')
echo "lint: clang-format on ${#files[@]} files" >&2
clang-format --dry-run -Werror "${files[@]}"
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep -E '^src/.*\.cc$')
echo "lint: clang-tidy on ${#sources[@]} sources" >&2
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$dir" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "lint: clean" >&2
