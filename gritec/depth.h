/*
 * depth.h - how deeply types nest inside types, bounded so that the later
 * passes (layout, fingerprint, emitter, --compat), which follow type
 * references recursively, can never run out of stack on any input.
 */
#ifndef GRITEC_DEPTH_H
#define GRITEC_DEPTH_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* The deepest nesting gritec accepts (docs/IDL.md section 6.3). A level is
 * a struct, union or enum, or a type constructor ([T], T?, [T; N]) around
 * the type a field refers to. */
enum { DEPTH_MAX_LEVELS = 1000 };

/* Reports, at the first declaration (in source order) whose nesting may
 * exceed DEPTH_MAX_LEVELS, and returns false. Needs the names resolved
 * (check_schema). Runs in time and stack independent of the nesting. */
bool depth_check(const schema *s, diag_ctx *d);

#endif /* GRITEC_DEPTH_H */
