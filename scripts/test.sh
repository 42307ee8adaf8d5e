#!/bin/sh
# scripts/test.sh - set up, build and run every test suite.
# GRITE_SANITIZE=1 does the same with ASan + UBSan in build-asan/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
if [ "${GRITE_SANITIZE:-0}" = 1 ]; then dir="$here/build-asan"; else dir="$here/build"; fi
"$here/scripts/build.sh" "$dir"
cd "$dir"
ctest --output-on-failure -j "$(nproc)"
