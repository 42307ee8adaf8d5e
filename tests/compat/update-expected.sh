#!/bin/sh
# tests/compat/update-expected.sh BUILD_DIR
#
# Rewrites every cases/NAME.expected with what BUILD_DIR/gritec/gritec
# --compat prints for cases/NAME.old.idl and cases/NAME.new.idl (run from
# the cases folder, so the file names in the report are short). The test
# then passes by construction: read `git diff tests/compat/cases` line by
# line before committing, since these files specify the rules' verdicts.
# A new case also needs its name and exit status in test_compat.c.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
gritec=$(cd "$1" && pwd)/gritec/gritec
cd "$(dirname "$0")/cases"
for old in *.old.idl; do
    name=${old%.old.idl}
    status=0
    "$gritec" --compat "$old" "$name.new.idl" > "$name.expected" || status=$?
    echo "$name: exit $status"
done
