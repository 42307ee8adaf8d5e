/*
 * strbuf.h - a growable, always NUL-terminated text buffer.
 *
 * gritec builds identifiers and the whole generated header in memory with
 * these, then writes the result in one go, so a half-written header never
 * reaches the disk and output does not depend on stdio buffering.
 * Allocation failure aborts gritec (a compiler has nothing sensible to
 * fall back to).
 */
#ifndef GRITEC_STRBUF_H
#define GRITEC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "diag.h"   /* GRITEC_PRINTF */

typedef struct strbuf {
    char *data;     /* always NUL-terminated once anything was added ("" before) */
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

void sb_free(strbuf *sb);
/* Forget the contents, keep the memory. */
void sb_reset(strbuf *sb);
/* The text so far ("" for an empty buffer, never NULL). */
const char *sb_str(const strbuf *sb);

void sb_putc(strbuf *sb, char c);
void sb_puts(strbuf *sb, const char *s);
void sb_putn(strbuf *sb, const char *s, size_t n);
void sb_printf(strbuf *sb, const char *fmt, ...) GRITEC_PRINTF(2, 3);
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap) GRITEC_PRINTF(2, 0);

/* Drop the last n bytes (n <= len). */
void sb_truncate(strbuf *sb, size_t len);

#endif /* GRITEC_STRBUF_H */
