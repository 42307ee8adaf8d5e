/*
 * textbuf.c - see textbuf.h.
 */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tb_reserve(textbuf *t, size_t more)
{
    if (t->len + more + 1 <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + more + 1)
        cap *= 2;
    char *p = realloc(t->text, cap);
    if (!p) {
        fputs("textbuf: out of memory\n", stderr);
        abort();
    }
    t->text = p;
    t->cap = cap;
}

void tb_printf(textbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    tb_reserve(t, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(t->text + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

void tb_quoted(textbuf *t, const void *p, size_t n)
{
    const uint8_t *s = p;
    tb_reserve(t, 4 * n + 2);
    t->text[t->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            t->text[t->len++] = (char)c;
        } else {
            snprintf(t->text + t->len, 5, "\\x%02x", c);
            t->len += 4;
        }
    }
    t->text[t->len++] = '"';
    t->text[t->len] = '\0';
}

const char *tb_text(const textbuf *t) { return t->text ? t->text : ""; }

void tb_clear(textbuf *t)
{
    t->len = 0;
    if (t->text)
        t->text[0] = '\0';
}

void tb_free(textbuf *t)
{
    free(t->text);
    t->text = NULL;
    t->len = t->cap = 0;
}
