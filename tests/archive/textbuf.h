/*
 * textbuf.h - a growable text buffer for the archive tests' dumps.
 *
 * Messages are compared as text ("command.IssueCreate.labels[1] = "p1"")
 * so a mismatch shows which field differs, not just that something does.
 */
#ifndef GRITE_TEST_TEXTBUF_H
#define GRITE_TEST_TEXTBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct textbuf {
    char *text;   /* NUL-terminated (NULL until something is appended) */
    size_t len;
    size_t cap;
} textbuf;

/* Append printf-style; aborts the test process on allocation failure. */
void tb_printf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append n bytes as a quoted C-like literal: printable ASCII as is, every
 * other byte as \xHH, so two dumps differ exactly where the bytes do. */
void tb_quoted(textbuf *t, const void *p, size_t n);

/* The text so far ("" if none). */
const char *tb_text(const textbuf *t);

void tb_clear(textbuf *t);
void tb_free(textbuf *t);

#endif
