/*
 * fingerprint.h - the schema fingerprint: a 64-bit hash of the canonical,
 * name-free description of the root types' wire format. Equal for schemas
 * that produce the same bytes, different when a wire-relevant detail
 * changes. docs/FORMAT.md ("Schema fingerprint") defines the canonical
 * text and the hash exactly.
 */
#ifndef GRITEC_FINGERPRINT_H
#define GRITEC_FINGERPRINT_H

#include "ast.h"
#include "strbuf.h"

/* FNV-1a 64 of fingerprint_canonical's text. Needs a checked schema. */
uint64_t fingerprint_schema(const schema *s);

/* Append the canonical description that fingerprint_schema hashes. */
void fingerprint_canonical(const schema *s, strbuf *out);

#endif
