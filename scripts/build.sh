#!/bin/sh
# scripts/build.sh [BUILD_DIR] - configure and build (RelWithDebInfo).
# GRITE_SANITIZE=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sanitize=${GRITE_SANITIZE:-0}
if [ "$sanitize" = 1 ]; then default_dir="$here/build-asan"; else default_dir="$here/build"; fi
dir=${1:-$default_dir}
san_flag=OFF; [ "$sanitize" = 1 ] && san_flag=ON
cmake -S "$here" -B "$dir" -DGRITE_SANITIZE=$san_flag >/dev/null
cmake --build "$dir" -j "$(nproc)"
