/*
 * fingerprint.h - the schema fingerprint: a 64-bit hash of the canonical,
 * name-free description of the root types' wire format. Equal for schemas
 * that produce the same bytes, different when a wire-relevant detail
 * changes. docs/FORMAT.md ("Schema fingerprint") defines the canonical
 * text and the hash exactly.
 */
#ifndef GRITEC_FINGERPRINT_H
#define GRITEC_FINGERPRINT_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "strbuf.h"

/* The longest canonical text gritec accepts to build (docs/IDL.md section
 * 6.3). The text repeats a type's description wherever it is used, so a
 * small file can ask for a huge one; this bounds the time and memory. */
#define FINGERPRINT_MAX_TEXT ((size_t)16 << 20)

/* Reports, at the root whose description passes FINGERPRINT_MAX_TEXT, and
 * returns false if the canonical text would be longer. Needs a checked
 * schema; stops describing at the limit, so it is fast on any input. */
bool fingerprint_check(const schema *s, diag_ctx *d);

/* FNV-1a 64 of fingerprint_canonical's text. Needs a checked schema. */
uint64_t fingerprint_schema(const schema *s);

/* Append the canonical description that fingerprint_schema hashes. */
void fingerprint_canonical(const schema *s, strbuf *out);

#endif
