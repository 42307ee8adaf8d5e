/*
 * diag.h - gcc-style diagnostics for gritec.
 *
 *   grite.idl:12:5: error: unknown type 'Strng' (did you mean 'String'?)
 *      12 |     title: Strng,
 *         |            ^
 *
 * Every pass reports through this one place, so the format is the same
 * everywhere and tests can compare exact text.
 */
#ifndef GRITEC_DIAG_H
#define GRITEC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

typedef struct diag_ctx {
    const char *file;   /* name printed in front of every message */
    const char *src;    /* the whole source text (may be NULL: no excerpt) */
    size_t src_len;
    FILE *out;          /* usually stderr */
    unsigned errors;    /* errors reported so far */
    unsigned max_errors;/* stop printing after this many (0: unlimited) */
} diag_ctx;

void diag_init(diag_ctx *d, const char *file, const char *src, size_t src_len, FILE *out);

#if defined(__GNUC__)
#define GRITEC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GRITEC_PRINTF(a, b)
#endif

/* file:line:col: error: <message>, then the source line and a caret. */
void diag_error(diag_ctx *d, src_loc loc, const char *fmt, ...) GRITEC_PRINTF(3, 4);

/* file:line:col: note: <message> (points at a related place, e.g. the
 * first definition of a duplicate). Does not count as an error. */
void diag_note(diag_ctx *d, src_loc loc, const char *fmt, ...) GRITEC_PRINTF(3, 4);

/* Whether the next error would still be printed (fewer than max_errors
 * so far), so that work only a printed message needs (a "did you mean")
 * can be skipped once gritec has stopped reporting. */
bool diag_next_error_shown(const diag_ctx *d);

/* An error with no position (e.g. cannot open the file): "gritec: error: ..." */
void diag_error_noloc(diag_ctx *d, const char *fmt, ...) GRITEC_PRINTF(2, 3);

#endif /* GRITEC_DIAG_H */
