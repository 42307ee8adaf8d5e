/*
 * diag.c - gcc-style diagnostics: "file:line:col: error: message", then
 * the source line and a caret line underlining the token at that place.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "source.h"

#define DIAG_DEFAULT_MAX_ERRORS 20

void diag_init(diag_ctx *d, const char *file, const char *src, size_t src_len, FILE *out)
{
    d->file = file;
    d->src = src;
    d->src_len = src_len;
    d->out = out;
    d->errors = 0;
    d->max_errors = DIAG_DEFAULT_MAX_ERRORS;
}

/* Errors past the cap are counted but not printed; the first one past it
 * prints a single "too many errors" line instead. */
static bool over_cap(const diag_ctx *d)
{
    return d->max_errors != 0 && d->errors > d->max_errors;
}

bool diag_next_error_shown(const diag_ctx *d)
{
    return d->max_errors == 0 || d->errors < d->max_errors;
}

static void count_error(diag_ctx *d)
{
    d->errors++;
    if (d->max_errors != 0 && d->errors == d->max_errors + 1)
        fprintf(d->out, "gritec: too many errors, stopping after %u\n", d->max_errors);
}

/* The bytes of line `line` (1-based): sets *start and returns its length
 * without the '\n' (and a '\r' before it). Returns false past the end. */
static bool find_line(const diag_ctx *d, uint32_t line, size_t *start, size_t *len)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(d->src + i, '\n', d->src_len - i);
        if (nl == NULL)
            return false;
        i = (size_t)(nl - d->src) + 1;
    }
    const char *nl = memchr(d->src + i, '\n', d->src_len - i);
    size_t end = nl != NULL ? (size_t)(nl - d->src) : d->src_len;
    if (end > i && d->src[end - 1] == '\r')
        end--;
    *start = i;
    *len = end - i;
    return true;
}

static bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* How many bytes the underline covers: the whole identifier, number
 * (with its '-', as in an enum value) or string literal starting at s,
 * else one character. */
static size_t token_span(const char *s, size_t left)
{
    if (left == 0)
        return 0;
    size_t n = 1;
    bool negative = s[0] == '-' && left > 1 && s[1] >= '0' && s[1] <= '9';
    if (is_ident_char(s[0]) || negative) {
        while (n < left && is_ident_char(s[n]))
            n++;
        return n;
    }
    if (s[0] == '"') {
        for (; n < left; n++) {
            if (s[n] == '\\' && n + 1 < left)
                n++;
            else if (s[n] == '"')
                return n + 1;
        }
        return 1;
    }
    size_t cp = source_utf8_len((const unsigned char *)s, left);
    return cp > 0 ? cp : 1;
}

/* The source line, with control characters and bytes that are not UTF-8
 * shown as '?' so the excerpt never garbles a terminal. */
static void print_source_line(const diag_ctx *d, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t n = source_utf8_len(u, len - i);
        if (n == 0 || (u[0] < 0x20 && u[0] != '\t') || u[0] == 0x7F) {
            fputc('?', d->out);
            i++;
            continue;
        }
        fwrite(u, 1, n, d->out);
        i += n;
    }
    fputc('\n', d->out);
}

static void print_excerpt(const diag_ctx *d, src_loc loc)
{
    size_t start, len;
    if (d->src == NULL || loc.line == 0 || !find_line(d, loc.line, &start, &len) || len == 0)
        return;
    const char *line = d->src + start;
    fprintf(d->out, "%5u | ", loc.line);
    print_source_line(d, line, len);
    fprintf(d->out, "%5s | ", "");
    /* Walk to the caret's column, copying tabs so it lines up. */
    size_t i = 0;
    for (uint32_t col = 1; col < loc.col; col++) {
        char c = ' ';
        if (i < len) {
            c = line[i] == '\t' ? '\t' : ' ';
            size_t n = source_utf8_len((const unsigned char *)line + i, len - i);
            i += n > 0 ? n : 1;
        }
        fputc(c, d->out);
    }
    size_t span = i < len ? source_code_points(line + i, token_span(line + i, len - i)) : 1;
    fputc('^', d->out);
    for (size_t k = 1; k < span; k++)
        fputc('~', d->out);
    fputc('\n', d->out);
}

static void vreport(diag_ctx *d, src_loc loc, const char *kind, const char *fmt, va_list ap)
    GRITEC_PRINTF(4, 0);

static void vreport(diag_ctx *d, src_loc loc, const char *kind, const char *fmt, va_list ap)
{
    fprintf(d->out, "%s:%u:%u: %s: ", d->file, loc.line, loc.col, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    print_excerpt(d, loc);
}

void diag_error(diag_ctx *d, src_loc loc, const char *fmt, ...)
{
    count_error(d);
    if (over_cap(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport(d, loc, "error", fmt, ap);
    va_end(ap);
}

void diag_note(diag_ctx *d, src_loc loc, const char *fmt, ...)
{
    if (over_cap(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport(d, loc, "note", fmt, ap);
    va_end(ap);
}

void diag_error_noloc(diag_ctx *d, const char *fmt, ...)
{
    count_error(d);
    if (over_cap(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("gritec: error: ", d->out);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    va_end(ap);
}
