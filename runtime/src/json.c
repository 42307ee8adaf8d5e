/*
 * json.c - the streaming JSON writer of grite/json.h.
 *
 * Every byte goes through emit(), which either appends to the caller's
 * buffer (cutting, never overrunning, and keeping a NUL after the text) or
 * writes to the FILE. Layout (commas, newlines, indents) is decided in
 * begin_value() from need_comma / after_key / depth alone.
 */
#include "grite/json.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INDENT_WIDTH 2

void grite_json_init_buf(grite_json *j, char *buf, size_t cap, unsigned flags)
{
    memset(j, 0, sizeof *j);
    j->buf = cap ? buf : NULL;
    j->cap = buf ? cap : 0;
    j->flags = flags;
    if (j->cap)
        j->buf[0] = '\0';
}

void grite_json_init_file(grite_json *j, FILE *f, unsigned flags)
{
    memset(j, 0, sizeof *j);
    j->file = f;
    j->flags = flags;
}

const char *grite_json_strerror(int status)
{
    switch (status) {
    case GRITE_JSON_OK: return "ok";
    case GRITE_JSON_TRUNCATED: return "JSON text does not fit the buffer";
    case GRITE_JSON_IO_ERROR: return "writing JSON text failed";
    default: return "unknown JSON writer status";
    }
}

/* ---- output ---------------------------------------------------------- */

static void emit_to_buf(grite_json *j, const char *s, size_t n)
{
    size_t room = j->len < j->cap ? j->cap - 1 - j->len : 0;
    size_t k = n < room ? n : room;
    memcpy(j->buf + j->len, s, k);
    j->buf[j->len + k] = '\0';
    if (k < n)
        j->status = GRITE_JSON_TRUNCATED;
}

static void emit(grite_json *j, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (j->file) {
        if (j->status == GRITE_JSON_OK && fwrite(s, 1, n, j->file) != n)
            j->status = GRITE_JSON_IO_ERROR;
    } else if (j->cap && j->len < j->cap - 1) {
        emit_to_buf(j, s, n);
    } else {
        j->status = GRITE_JSON_TRUNCATED;
    }
    j->len += n;
}

static void emit_cstr(grite_json *j, const char *s)
{
    emit(j, s, strlen(s));
}

static void newline_indent(grite_json *j, uint32_t depth)
{
    static const char spaces[] = "                                ";
    emit(j, "\n", 1);
    for (uint64_t left = (uint64_t)depth * INDENT_WIDTH; left > 0;) {
        size_t k = left < sizeof spaces - 1 ? (size_t)left : sizeof spaces - 1;
        emit(j, spaces, k);
        left -= k;
    }
}

static bool pretty(const grite_json *j)
{
    return (j->flags & GRITE_JSON_PRETTY) != 0;
}

/* Whatever must come before a value (or a key) at the current level. */
static void begin_value(grite_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0) {
        if (j->need_comma)
            emit(j, "\n", 1);   /* top-level values: one per line */
        return;
    }
    if (j->need_comma)
        emit(j, ",", 1);
    if (pretty(j))
        newline_indent(j, j->depth);
}

static void end_value(grite_json *j)
{
    j->need_comma = true;
}

/* ---- structure ------------------------------------------------------- */

static void open_container(grite_json *j, char bracket)
{
    begin_value(j);
    emit(j, &bracket, 1);
    j->depth++;
    j->need_comma = false;
}

static void close_container(grite_json *j, char bracket)
{
    if (j->depth > 0)
        j->depth--;
    if (j->need_comma && pretty(j))   /* not empty: the bracket gets its own line */
        newline_indent(j, j->depth);
    emit(j, &bracket, 1);
    end_value(j);
}

void grite_json_begin_object(grite_json *j) { open_container(j, '{'); }
void grite_json_end_object(grite_json *j) { close_container(j, '}'); }
void grite_json_begin_array(grite_json *j) { open_container(j, '['); }
void grite_json_end_array(grite_json *j) { close_container(j, ']'); }

void grite_json_empty_object(grite_json *j)
{
    grite_json_begin_object(j);
    grite_json_end_object(j);
}

/* ---- strings --------------------------------------------------------- */

/* The escape for byte c, or NULL if it is copied as is. */
static const char *escape_of(unsigned char c, char tmp[7])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        if (c >= 0x20)
            return NULL;
        memcpy(tmp, "\\u00", 4);
        tmp[4] = hex[c >> 4];
        tmp[5] = hex[c & 15];
        tmp[6] = '\0';
        return tmp;
    }
}

/* The quoted, escaped text; runs of plain bytes go out in one piece. */
static void emit_quoted(grite_json *j, const char *s, size_t n)
{
    emit(j, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char tmp[7];
        const char *esc = escape_of((unsigned char)s[i], tmp);
        if (!esc)
            continue;
        emit(j, s + run, i - run);
        emit_cstr(j, esc);
        run = i + 1;
    }
    emit(j, s + run, n - run);
    emit(j, "\"", 1);
}

void grite_json_key(grite_json *j, const char *key)
{
    begin_value(j);
    emit_quoted(j, key, strlen(key));
    emit_cstr(j, pretty(j) ? ": " : ":");
    j->after_key = true;
}

void grite_json_string(grite_json *j, const char *s, size_t n)
{
    begin_value(j);
    emit_quoted(j, s, n);
    end_value(j);
}

void grite_json_cstr(grite_json *j, const char *s)
{
    if (!s)
        grite_json_null(j);
    else
        grite_json_string(j, s, strlen(s));
}

void grite_json_hex(grite_json *j, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char chunk[64];
    begin_value(j);
    emit(j, "\"", 1);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; i < n && k < sizeof chunk; i++) {
            chunk[k++] = digits[p[i] >> 4];
            chunk[k++] = digits[p[i] & 15];
        }
        emit(j, chunk, k);
    }
    emit(j, "\"", 1);
    end_value(j);
}

/* ---- scalars --------------------------------------------------------- */

static void emit_value(grite_json *j, const char *text)
{
    begin_value(j);
    emit_cstr(j, text);
    end_value(j);
}

void grite_json_null(grite_json *j) { emit_value(j, "null"); }
void grite_json_bool(grite_json *j, bool v) { emit_value(j, v ? "true" : "false"); }

void grite_json_u64(grite_json *j, uint64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRIu64, v);
    emit_value(j, text);
}

void grite_json_i64(grite_json *j, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    emit_value(j, text);
}

/* printf writes the locale's decimal point; JSON wants '.'. */
static void fix_decimal_point(char *text)
{
    const char *point = localeconv()->decimal_point;
    if (!point || strcmp(point, ".") == 0 || !*point)
        return;
    char *at = strstr(text, point);
    if (!at)
        return;
    size_t n = strlen(point);
    *at = '.';
    memmove(at + 1, at + n, strlen(at + n) + 1);
}

void grite_json_f64(grite_json *j, double v)
{
    if (!isfinite(v)) {
        grite_json_null(j);
        return;
    }
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    fix_decimal_point(text);
    emit_value(j, text);
}

void grite_json_f32(grite_json *j, float v)
{
    if (!isfinite(v)) {
        grite_json_null(j);
        return;
    }
    char text[40];
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, (double)v);
        if (strtof(text, NULL) == v)
            break;
    }
    fix_decimal_point(text);
    emit_value(j, text);
}
