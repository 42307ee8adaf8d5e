/*
 * dumper.c - see dumper.h.
 */
#include "dumper.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dumper_init(dumper *d, const void *base, size_t size)
{
    memset(d, 0, sizeof *d);
    d->base = base;
    d->size = size;
    d->keep_text = true;
}

void dumper_free(dumper *d)
{
    tb_free(&d->out);
    free(d->ranges);
    d->ranges = NULL;
}

static void path_append(dumper *d, const char *text)
{
    size_t n = strlen(text);
    if (d->path_len + n >= sizeof d->path)
        n = sizeof d->path - 1 - d->path_len;
    memcpy(d->path + d->path_len, text, n);
    d->path_len += n;
    d->path[d->path_len] = '\0';
}

size_t d_enter(dumper *d, const char *field)
{
    size_t mark = d->path_len;
    if (field[0] == '\0')
        return mark;
    if (d->path_len > 0)
        path_append(d, ".");
    path_append(d, field);
    return mark;
}

size_t d_enter_index(dumper *d, size_t index)
{
    size_t mark = d->path_len;
    char seg[32];
    snprintf(seg, sizeof seg, "[%zu]", index);
    path_append(d, seg);
    return mark;
}

void d_leave(dumper *d, size_t mark)
{
    d->path_len = mark;
    d->path[mark] = '\0';
}

static void line_start(dumper *d, const char *field)
{
    tb_printf(&d->out, "%s%s%s = ", d->path, d->path_len && field[0] ? "." : "", field);
}

void d_uint(dumper *d, const char *field, uint64_t v)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "%" PRIu64 "\n", v);
}

void d_int(dumper *d, const char *field, int64_t v)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "%" PRId64 "\n", v);
}

void d_real(dumper *d, const char *field, double v)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "%a\n", v);
}

void d_bool(dumper *d, const char *field, bool v)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "%s\n", v ? "true" : "false");
}

void d_enum(dumper *d, const char *field, const char *name, uint64_t raw)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "%s (%" PRIu64 ")\n", name ? name : "?", raw);
}

void d_absent(dumper *d, const char *field)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "absent\n");
}

void d_len(dumper *d, const char *field, size_t len)
{
    if (!d->keep_text)
        return;
    line_start(d, field);
    tb_printf(&d->out, "len %zu\n", len);
}

static void problem(dumper *d, const char *what, const void *p, size_t n)
{
    if (d->problem[0])
        return;
    snprintf(d->problem, sizeof d->problem,
             "%s %s: view [%p, +%zu) is not inside the buffer [%p, +%zu)", d->path, what, p, n,
             (const void *)d->base, d->size);
}

void d_fail(dumper *d, const char *fmt, ...)
{
    if (d->problem[0])
        return;
    int n = snprintf(d->problem, sizeof d->problem, "%s: ", d->path);
    if (n < 0 || (size_t)n >= sizeof d->problem)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->problem + n, sizeof d->problem - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Is [p, p + n) inside the buffer? */
static bool inside(const dumper *d, const void *p, size_t n)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)d->base;
    return a >= b && a - b <= d->size && n <= d->size - (a - b);
}

/* Append text to dst (size n, *used bytes so far), cutting it off if it
 * does not fit. */
static void append_trunc(char *dst, size_t n, size_t *used, const char *text)
{
    size_t k = strlen(text);
    if (k > n - 1 - *used)
        k = n - 1 - *used;
    memcpy(dst + *used, text, k);
    *used += k;
    dst[*used] = '\0';
}

static void record(dumper *d, const char *what, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (d->n_ranges == d->cap_ranges) {
        size_t cap = d->cap_ranges ? d->cap_ranges * 2 : 64;
        dump_range *r = realloc(d->ranges, cap * sizeof *r);
        if (!r) {
            fputs("dumper: out of memory\n", stderr);
            abort();
        }
        d->ranges = r;
        d->cap_ranges = cap;
    }
    dump_range *r = &d->ranges[d->n_ranges++];
    r->start = (size_t)((const uint8_t *)p - d->base);
    r->end = r->start + n;
    /* Truncating a long path is fine: it only labels messages. */
    size_t used = 0;
    append_trunc(r->path, sizeof r->path, &used, d->path);
    append_trunc(r->path, sizeof r->path, &used, d->path_len ? " " : "");
    append_trunc(r->path, sizeof r->path, &used, what);
}

void d_object(dumper *d, const char *what, const void *p, size_t n)
{
    if (!d->base || n == 0)   /* an empty view may point anywhere (or be NULL) */
        return;
    if (!inside(d, p, n)) {
        problem(d, what, p, n);
        return;
    }
    record(d, what, p, n);
}

/* Without text, still read every byte, so ASan sees a view that lies. */
static void touch(dumper *d, const void *p, size_t n)
{
    const uint8_t *s = p;
    for (size_t i = 0; i < n; i++)
        d->touched += s[i];
}

void d_str(dumper *d, const char *field, const char *ptr, size_t len)
{
    if (d->base) {
        size_t mark = d_enter(d, field);
        /* An empty string may point anywhere readable (its own reference,
         * or a static ""), but must still be NUL-terminated. */
        if (len == 0 && ptr && ptr[0] != '\0')
            problem(d, "(empty string not NUL-terminated)", ptr, 1);
        if (len > 0) {
            if (!inside(d, ptr, len + 1))
                problem(d, "(string with its NUL)", ptr, len + 1);
            else if (ptr[len] != '\0')
                problem(d, "(string not NUL-terminated)", ptr, len + 1);
            else
                record(d, "(string)", ptr, len + 1);
        }
        d_leave(d, mark);
        if (len > 0 && !inside(d, ptr, len))
            ptr = NULL; /* do not read it: the problem is recorded */
    }
    if (!d->keep_text) {
        if (ptr)
            touch(d, ptr, len);
        return;
    }
    line_start(d, field);
    if (ptr || len == 0)
        tb_quoted(&d->out, ptr, len);
    else
        tb_printf(&d->out, "<outside>");
    tb_printf(&d->out, "\n");
}

void d_hex(dumper *d, const char *field, const uint8_t *p, size_t n)
{
    if (!d->keep_text) {
        touch(d, p, n);
        return;
    }
    line_start(d, field);
    for (size_t i = 0; i < n; i++)
        tb_printf(&d->out, "%02x", p[i]);
    tb_printf(&d->out, "\n");
}

static int by_start(const void *a, const void *b)
{
    const dump_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

bool d_objects_disjoint(dumper *d, size_t root_size, char *why, size_t why_len)
{
    if (d->n_ranges > 1)
        qsort(d->ranges, d->n_ranges, sizeof *d->ranges, by_start);
    size_t prev_end = root_size;
    const char *prev = "the root";
    for (size_t i = 0; i < d->n_ranges; i++) {
        const dump_range *r = &d->ranges[i];
        if (r->start < prev_end) {
            snprintf(why, why_len, "%s [%zu, %zu) overlaps %s (ends at %zu)", r->path, r->start,
                     r->end, prev, prev_end);
            return false;
        }
        prev_end = r->end;
        prev = r->path;
    }
    if (why_len)
        why[0] = '\0';
    return true;
}
