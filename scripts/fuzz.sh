#!/bin/sh
# scripts/fuzz.sh [SECONDS] - build every libFuzzer harness of tests/fuzz
# with clang (build-fuzz/, -DGRITE_FUZZ=ON: ASan + UBSan + coverage) and run
# each one for SECONDS (default 30) starting from its committed seed corpus.
# Fails if any harness finds a crash, a leak, a hang (an input taking more
# than 10 s) or a broken promise; the input is kept in build-fuzz/findings/.
#
# Environment:
#   GRITE_FUZZ_TARGETS   harnesses to run (default: all of them)
#   GRITE_FUZZ_WORK      keep the working corpora here between runs (default:
#                        a temporary directory, removed at the end); the
#                        committed seeds are never written to
#   GRITE_FUZZ_BUILD_DIR build directory (default: build-fuzz)
# CI runs it with a short time; tests/fuzz/README.md has the long run.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build=${GRITE_FUZZ_BUILD_DIR:-$here/build-fuzz}
targets=${GRITE_FUZZ_TARGETS:-"archive frame client lock gritec daemon store"}
findings=$build/findings

case $seconds in
    ''|*[!0-9]*|0) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DGRITE_FUZZ=ON -DGRITE_BUILD_BENCH=OFF >/dev/null
build=$(cd "$build" && pwd)   # the harnesses run from their work directories
cmake --build "$build" -j "$(nproc)" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)

if [ -n "${GRITE_FUZZ_WORK:-}" ]; then
    work=$GRITE_FUZZ_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/grite-fuzz.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

# The dictionary of a harness, if it has one.
dict_for() {
    case $1 in
        client) d=frame ;;
        *) d=$1 ;;
    esac
    [ -f "$here/tests/fuzz/$d.dict" ] && printf '%s' "-dict=$here/tests/fuzz/$d.dict"
    return 0
}

failed=""
for t in $targets; do
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    log=$work/$t/log
    printf 'fuzz_%-8s %ss ... ' "$t" "$seconds"
    # The first corpus directory receives new inputs; the seeds only feed.
    if (cd "$work/$t" && "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
            -print_final_stats=1 $(dict_for "$t") -artifact_prefix="$work/$t/artifacts/" \
            "$work/$t/corpus" "$here/tests/fuzz/corpus/$t") >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -n 1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
        echo "ok: ${execs:-?} runs, $cov"
    else
        echo "FAILED"
        failed="$failed $t"
        mkdir -p "$findings/$t"
        cp "$log" "$findings/$t/log"
        cp "$work/$t/artifacts/"* "$findings/$t/" 2>/dev/null || true
        grep -E 'broken promise|ERROR:|SUMMARY:|Test unit written' "$log" | head -n 20 | sed 's/^/    /'
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz: findings in:$failed (inputs and logs in $findings)" >&2
    exit 1
fi
echo "fuzz: no findings"
