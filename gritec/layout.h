/*
 * layout.h - sizes, alignments and field offsets of the archived format.
 *
 * Runs after sema.c has resolved every name and proved there is no
 * by-value cycle. Fills decl.size/align, field.offset, variant.size/align
 * exactly as docs/FORMAT.md section 1 specifies.
 */
#ifndef GRITEC_LAYOUT_H
#define GRITEC_LAYOUT_H

#include "ast.h"
#include "diag.h"

/* Lay out every declaration. Returns false (after reporting) when a type
 * would be larger than the format allows (sizes are u32), or when a union
 * contains itself other than through a vector (its builder input, which
 * holds payloads and optionals by value, would be infinitely large). */
bool layout_schema(schema *s, diag_ctx *d);

/* Size and alignment of any type expression (after layout_schema). */
uint32_t layout_size(const type_ref *t);
uint32_t layout_align(const type_ref *t);

#endif
