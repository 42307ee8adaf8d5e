/*
 * source.c - reading an .idl file, checking it is UTF-8, and mapping byte
 * offsets to line:column.
 */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool source_read(const char *path, source_text *out, diag_ctx *d)
{
    out->text = NULL;
    out->len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        diag_error_noloc(d, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    const char *problem = buf == NULL ? "out of memory" : NULL;
    while (problem == NULL) {
        if (len == cap) {
            if (cap >= SOURCE_MAX_BYTES) {
                problem = "the file is too large (the limit is 16 MiB)";
                break;
            }
            char *bigger = realloc(buf, cap * 2 + 1);
            if (bigger == NULL) {
                problem = "out of memory";
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                problem = strerror(errno);
            break;
        }
    }
    fclose(f);
    if (problem != NULL) {
        diag_error_noloc(d, "cannot read '%s': %s", path, problem);
        free(buf);
        return false;
    }
    buf[len] = '\0';
    out->text = buf;
    out->len = len;
    return true;
}

void source_free(source_text *src)
{
    free(src->text);
    src->text = NULL;
    src->len = 0;
}

size_t source_utf8_len(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

bool source_check_encoding(const char *text, size_t len, diag_ctx *d)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t n = s[i] == 0 ? 0 : source_utf8_len(s + i, len - i);
        if (n > 0) {
            i += n;
            continue;
        }
        src_cursor c;
        src_cursor_init(&c, text);
        src_loc loc = src_cursor_at(&c, i);
        if (s[i] == 0)
            diag_error(d, loc, "NUL byte in the input (an .idl file must be UTF-8 text)");
        else
            diag_error(d, loc, "invalid UTF-8 byte 0x%02X (an .idl file must be UTF-8 text)",
                       s[i]);
        return false;
    }
    return true;
}

void src_cursor_init(src_cursor *c, const char *text)
{
    c->text = text;
    c->offset = 0;
    c->loc.line = 1;
    c->loc.col = 1;
}

src_loc src_cursor_at(src_cursor *c, size_t offset)
{
    const unsigned char *s = (const unsigned char *)c->text;
    for (; c->offset < offset; c->offset++) {
        unsigned char b = s[c->offset];
        if (b == '\n') {
            c->loc.line++;
            c->loc.col = 1;
        } else if ((b & 0xC0) != 0x80) {
            c->loc.col++;
        }
    }
    return c->loc;
}

size_t source_code_points(const char *text, size_t n)
{
    size_t cps = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            cps++;
    return cps;
}
