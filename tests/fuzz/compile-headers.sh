#!/bin/sh
# tests/fuzz/compile-headers.sh GRITEC CORPUS_DIR... - the promise fuzz_gritec
# cannot check at fuzzing speed: every schema gritec accepts gives a header
# that compiles (docs/GENERATED_API.md, "What gritec rejects (so the header
# always compiles)"). Runs the gritec binary on every file of the corpus
# directories (e.g. a long run's fuzz_gritec corpus) and compiles each
# header it writes as C11 with the project's warnings as errors, as the
# tests/generated suite does for the committed schemas. Prints each failure
# and a count; exits 1 if any header does not compile.
#   CC (default cc), RUNTIME_INCLUDE (default runtime/include).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
gritec=$1
shift
cc=${CC:-cc}
include=${RUNTIME_INCLUDE:-$here/runtime/include}
work=$(mktemp -d "${TMPDIR:-/tmp}/grite-headers.XXXXXX")
trap 'rm -rf "$work"' EXIT

accepted=0 failed=0 total=0
for dir in "$@"; do
    for f in "$dir"/*; do
        [ -f "$f" ] || continue
        total=$((total + 1))
        rm -rf "$work/out" && mkdir "$work/out"
        cp "$f" "$work/s.idl"
        "$gritec" "$work/s.idl" -o "$work/out" >/dev/null 2>&1 || continue
        accepted=$((accepted + 1))
        printf '#include "s.h"\nint main(void) { return 0; }\n' > "$work/main.c"
        if ! "$cc" -std=c11 -fsyntax-only -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wshadow \
                -Wstrict-prototypes -Wmissing-prototypes -Wvla -pedantic \
                -I "$work/out" -I "$include" "$work/main.c" > "$work/cc.log" 2>&1; then
            failed=$((failed + 1))
            echo "== $f does not compile:"
            head -n 5 "$work/cc.log"
        fi
    done
done
echo "compile-headers: $total inputs, $accepted accepted by gritec, $failed headers do not compile"
[ "$failed" -eq 0 ]
