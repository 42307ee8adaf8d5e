/*
 * emit.h - the C emitter: writes the generated header for a checked and
 * laid-out schema.
 */
#ifndef GRITEC_EMIT_H
#define GRITEC_EMIT_H

#include <stdio.h>

#include "ast.h"

/* Write the whole header to out. `idl_name` is the input's file name as it
 * should appear in the header's banner (no directories, so output does not
 * depend on where the build tree is). Returns false on a write error. */
bool emit_c_header(const schema *s, const char *idl_name, FILE *out);

#endif
