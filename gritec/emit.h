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

/* How much of idl_name names the header: all of it but a final ".idl"
 * ("grite.idl" -> "grite", then ".h"). The file gritec writes and the
 * name in its banner both follow this one rule. */
size_t emit_header_stem_len(const char *idl_name);

#endif
