/*
 * compat.h - `gritec --compat OLD.idl NEW.idl`: can programs built from two
 * versions of a schema still talk to each other?
 *
 * docs/IDL.md section 8 defines "can still talk", how declarations of the
 * two files are matched, and the verdict of every kind of change. In short:
 * the verdicts come from the bytes (compat_wire.h compares types the way
 * the fingerprint describes them), the descriptions from the names, so
 *
 *   - identical fingerprints  => no breaking change, and
 *   - a breaking change       => the fingerprints differ.
 */
#ifndef GRITEC_COMPAT_H
#define GRITEC_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "strbuf.h"

typedef struct compat_result {
    size_t breaking;            /* changes by verdict */
    size_t warnings;
    size_t compatible;
    uint64_t old_fingerprint;
    uint64_t new_fingerprint;
} compat_result;

/* Compare two schemas, both compiled without errors (compile_source).
 * Appends the report to out: one line per change, sorted by position in the
 * new file,
 *
 *   NEW:LINE:COL: VERDICT: WHAT CHANGED (OLD:LINE:COL)
 *
 * with VERDICT one of compatible, warning, breaking, then one summary line.
 * File names are the schemas' `file` fields. Fills *result if not NULL.
 * Returns true when no change is breaking. */
bool compat_check(const schema *old_schema, const schema *new_schema, strbuf *out,
                  compat_result *result);

#endif /* GRITEC_COMPAT_H */
