#!/bin/sh
# check_symbols.sh NM LIBRARY - fails when LIBRARY (libgrite_store.a)
# defines a global symbol outside the store's name spaces: grite_store_*
# and grite_sync_* (the API of store.h and sync.h) and store_* (what its
# sources share through store_internal.h). Anything else could clash with a
# symbol of a program linking the library.
set -u
nm_tool=$1
library=$2

symbols=$("$nm_tool" -g --defined-only "$library") || {
    echo "check_symbols: $nm_tool cannot read $library" >&2
    exit 1
}
# Lines are "address type name" (archive member headers have one field).
names=$(printf '%s\n' "$symbols" | awk 'NF == 3 { print $3 }')

# The API must be there, or the list is not what we think it is.
for api in grite_store_open grite_sync_pull grite_sync_push; do
    printf '%s\n' "$names" | grep -qx "$api" || {
        echo "check_symbols: $api not defined in $library" >&2
        exit 1
    }
done

# __* names are the compiler's (sanitizer instrumentation), not ours.
stray=$(printf '%s\n' "$names" | grep -v -E '^(grite_store_|grite_sync_|store_|__)')
if [ -n "$stray" ]; then
    echo "check_symbols: $library defines global symbols without the store's prefix:" >&2
    printf '  %s\n' $stray >&2
    exit 1
fi
echo "check_symbols: $(printf '%s\n' "$names" | wc -l) global symbols, all prefixed"
