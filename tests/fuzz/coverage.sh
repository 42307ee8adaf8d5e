#!/bin/sh
# tests/fuzz/coverage.sh [CORPUS_ROOT] - how much of the code each harness
# reaches: builds the harnesses with clang's source-based coverage in
# build-fuzz-cov/, runs each once over every input of CORPUS_ROOT/<target>
# (e.g. the working corpora a long run kept in GRITE_FUZZ_WORK) and of the
# committed seeds, and prints llvm-cov's line and branch summary for the
# files that harness is about.
#
# Environment: GRITE_FUZZ_TARGETS (default: all), LLVM_COV / LLVM_PROFDATA.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus_root=${1:-}
build=$here/build-fuzz-cov
targets=${GRITE_FUZZ_TARGETS:-"archive frame client lock gritec daemon store"}
cov=${LLVM_COV:-llvm-cov}
profdata=${LLVM_PROFDATA:-llvm-profdata}

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DGRITE_FUZZ=ON -DGRITE_BUILD_BENCH=OFF \
    -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null
cmake --build "$build" -j "$(nproc)" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done) >/dev/null

# The sources a harness is about (what its figure means).
sources_for() {
    r=$here/runtime/src
    case $1 in
        archive) echo "$build/generated/grite.h $r/verror.c $r/utf8.c $r/buf.c $r/json.c" ;;
        frame)   echo "$r/frame.c $r/session.c" ;;
        client)  echo "$r/client.c $r/frame.c $r/session.c $r/transport_error.c" ;;
        lock)    echo "$r/daemon_lock_text.c" ;;
        gritec)  echo "$(ls "$here"/gritec/*.c | grep -v '/main.c$') $build/gritec/gen/lexer.c $build/gritec/gen/parser.c" ;;
        daemon)  echo "$(ls "$here"/daemon/*.c | grep -v -e '/main.c$' -e '/options.c$') $r/server.c $r/server_socket.c" ;;
        store)   echo "$(ls "$here"/daemon/store*.c) $here/daemon/sync.c" ;;
    esac
}

out=$build/profiles
rm -rf "$out"
mkdir -p "$out"
for t in $targets; do
    dirs=$here/tests/fuzz/corpus/$t
    # CORPUS_ROOT is laid out like GRITE_FUZZ_WORK (<target>/corpus/) or flat (<target>/).
    for d in "$corpus_root/$t/corpus" "$corpus_root/$t"; do
        if [ -n "$corpus_root" ] && [ -d "$d" ]; then
            dirs="$d $dirs"
            break
        fi
    done
    LLVM_PROFILE_FILE="$out/$t-%p.profraw" "$build/tests/fuzz/fuzz_$t" -runs=0 $dirs >"$out/$t.log" 2>&1
    "$profdata" merge -sparse "$out/$t"-*.profraw -o "$out/$t.profdata"
    echo "== fuzz_$t ($(find -L $dirs -type f | wc -l | tr -d ' ') inputs)"
    # shellcheck disable=SC2046 # one argument per source file
    "$cov" report "$build/tests/fuzz/fuzz_$t" -instr-profile="$out/$t.profdata" $(sources_for "$t") |
        sed -n -e '/^Filename/p' -e '/^TOTAL/p'
done
