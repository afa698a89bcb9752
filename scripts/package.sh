#!/usr/bin/env bash
# Builds the Debian package build/release/engram_<version>_amd64.deb: the
# engram binary (Release) in /usr/bin and the USE Lite model in
# /usr/share/engram/model, with the shared libraries it needs declared as
# dependencies (dpkg-shlibdeps). Builds only the engram target.
#   scripts/package.sh            (prints the package's path)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-model.sh
dir="$(scripts/build.sh release --target engram)"
(cd "$dir" && cpack -G DEB >&2)
ls "$PWD/$dir"/engram_*_amd64.deb
