/*
 * sema.h - semantic checks: resolve names, reject bad schemas.
 *
 * Reports every problem it can find (unknown or duplicate names, a struct
 * that contains itself by value, empty unions, out-of-range enum values,
 * ...), not just the first.
 */
#ifndef GRITEC_SEMA_H
#define GRITEC_SEMA_H

#include "ast.h"
#include "diag.h"

/* Returns false if any error was reported. */
bool check_schema(schema *s, diag_ctx *d);

#endif
