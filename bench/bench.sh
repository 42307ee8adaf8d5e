#!/bin/sh
# bench/bench.sh [--quick] [--json FILE] [--cdf FILE] [--pin same|split|none] [...]
#
# Build grite-bench in Release (-O2, no sanitizers) and run it; every
# argument goes to grite-bench (see `bench.sh --help`). The build tree is
# $GRITE_BENCH_BUILD (default: build-bench next to this checkout's
# sources). Example, the run recorded in bench/README.md:
#
#   bench/bench.sh --json results.json --cdf latency.dat
#   bench/plot.sh latency.dat bench/latency.png
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${GRITE_BENCH_BUILD:-$here/build-bench}
cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DGRITE_SANITIZE=OFF >/dev/null
cmake --build "$dir" -j "$(nproc)" --target grite-bench >/dev/null
exec "$dir/bench/grite-bench" "$@"
