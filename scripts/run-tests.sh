#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite
# with CTest. Extra arguments go to ctest, for example -R webhook.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${ATVM_BUILD_DIR:-"$source_dir/build"}

"$source_dir/scripts/install-dependencies.sh"

cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" --parallel "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 "$@"
