/*
 * source.h - the text of an .idl file: reading it, checking its encoding,
 * and turning byte offsets into line:column positions.
 */
#ifndef GRITEC_SOURCE_H
#define GRITEC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/* Larger inputs are rejected: an IDL file is a few kilobytes, and the cap
 * keeps positions, counts and memory use small and bounded. */
#define SOURCE_MAX_BYTES ((size_t)16 * 1024 * 1024)

typedef struct source_text {
    char *text;          /* malloc'd, text[len] == '\0' */
    size_t len;
} source_text;

/* Read the whole file into out. On failure reports "cannot read 'PATH':
 * <strerror>" (or "too large") through d and returns false. */
bool source_read(const char *path, source_text *out, diag_ctx *d);
void source_free(source_text *src);

/* Check that text[0..len) is UTF-8 without NUL bytes. Reports the first
 * offending byte at its exact line:col and returns false. */
bool source_check_encoding(const char *text, size_t len, diag_ctx *d);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s does not
 * start one. At most `left` bytes are read. */
size_t source_utf8_len(const unsigned char *s, size_t left);

/* How many code points text[0..n) holds: its bytes that are not UTF-8
 * continuation bytes (so a column counts each character once). */
size_t source_code_points(const char *text, size_t n);

/* Walks forward through a text, turning byte offsets into positions in
 * O(total distance): ask for offsets in increasing order. */
typedef struct src_cursor {
    const char *text;
    size_t offset;       /* the position below is for this offset */
    src_loc loc;
} src_cursor;

void src_cursor_init(src_cursor *c, const char *text);
/* Position of `offset` (must be >= the last one asked for). Lines are
 * counted by '\n'; the column counts code points (UTF-8 lead bytes). */
src_loc src_cursor_at(src_cursor *c, size_t offset);

#endif /* GRITEC_SOURCE_H */
