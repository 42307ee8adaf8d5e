#!/bin/sh
# tests/gritec/update-golden.sh BUILD_DIR
#
# Rewrites every cases/NAME.expected with what BUILD_DIR/gritec/gritec
# prints for cases/NAME.idl. The golden test then passes by construction,
# so read `git diff tests/gritec/cases` line by line before committing:
# the .expected files are the specification of gritec's diagnostics.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
gritec=$(cd "$1" && pwd)/gritec/gritec
cd "$(dirname "$0")/cases"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for idl in *.idl; do
    if "$gritec" "$idl" -o "$out" 2> "${idl%.idl}.expected"; then
        echo "warning: $idl compiled without errors" >&2
    fi
done
