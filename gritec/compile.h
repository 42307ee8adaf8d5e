/*
 * compile.h - the whole front end in one call: text in, a checked and
 * laid-out schema out (or diagnostics). main.c and the tests both use it,
 * so the tests exercise exactly what the command line runs.
 */
#ifndef GRITEC_COMPILE_H
#define GRITEC_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/* Parse text[0..len) (text[len] must be '\0'), then run check_schema,
 * depth_check, names_check, layout_schema and fingerprint_check, stopping
 * after the first pass that reports errors (later passes rely on earlier
 * ones having succeeded, and may recurse as deep as depth_check allows).
 * Diagnostics go through d. Returns the schema when there were no errors
 * (free it with ast_free), else NULL. */
schema *compile_source(const char *file, const char *text, size_t len, diag_ctx *d);

#endif /* GRITEC_COMPILE_H */
