#!/bin/sh
# tests/fuzz/make-corpus.sh [BUILD_DIR] - regenerate the committed seed
# corpora in tests/fuzz/corpus/ (then review and commit them).
#
#   archive frame client lock   written by fuzz_corpus_gen (gen_corpus.c),
#                               built in BUILD_DIR (default build-fuzz; any
#                               configured build with tests will do)
#   gritec                      copies of the repository's .idl files and
#                               docs/IDL.md's example
# Run it after a change to idl/grite.idl (the archives change with it) or
# to the samples. Only the store seeds differ from one run to the next
# (the store gives events and issues random ids).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-fuzz}
corpus=$here/tests/fuzz/corpus

cmake --build "$build" --target fuzz_corpus_gen >/dev/null
for t in archive frame client lock gritec daemon store; do
    rm -rf "${corpus:?}/$t"
    mkdir -p "$corpus/$t"
done
"$build/tests/fuzz/fuzz_corpus_gen" "$corpus"

cp "$here/idl/grite.idl" "$corpus/gritec/grite.idl"
for f in "$here"/tests/gritec/cases/*.idl; do
    cp "$f" "$corpus/gritec/case-$(basename "$f")"
done
for f in "$here"/tests/generated/*.idl "$here"/tests/archive/*.idl; do
    [ -e "$f" ] && cp "$f" "$corpus/gritec/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# The first fenced block after "## Example" in docs/IDL.md.
awk '/^## Example/ { want = 1; next }
     want && /^```/ { if (inside) exit; inside = 1; next }
     inside { print }' "$here/docs/IDL.md" > "$corpus/gritec/idl-md-example.idl"

for t in archive frame client lock gritec daemon store; do
    printf '%-8s %3d seeds\n' "$t" "$(ls "$corpus/$t" | wc -l)"
done
