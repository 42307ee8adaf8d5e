/*
 * compat_report.c - collect, sort and print the changes found by
 * `gritec --compat` (see compat_report.h).
 */
#include "compat_report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

static const char *verdict_word(change_verdict v)
{
    switch (v) {
    case CHANGE_COMPATIBLE: return "compatible";
    case CHANGE_WARNING: return "warning";
    case CHANGE_BREAKING: return "breaking";
    }
    return "breaking";
}

void changes_add(change_list *l, change_verdict v, src_loc new_loc, src_loc old_loc,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    changes_vadd(l, v, new_loc, old_loc, fmt, ap);
    va_end(ap);
}

void changes_vadd(change_list *l, change_verdict v, src_loc new_loc, src_loc old_loc,
                  const char *fmt, va_list ap)
{
    strbuf text = STRBUF_INIT;
    sb_vprintf(&text, fmt, ap);
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (l->items == NULL)
            abort(); /* as everywhere in gritec: no fallback for out-of-memory */
    }
    l->items[l->len] = (change){ new_loc, old_loc, v, text.data, l->len };
    l->len++;
}

void changes_free(change_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i].text);
    free(l->items);
    *l = (change_list)CHANGE_LIST_INIT;
}

size_t changes_count(const change_list *l, change_verdict v)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++)
        n += l->items[i].verdict == v;
    return n;
}

static int by_new_position(const void *a, const void *b)
{
    const change *x = a, *y = b;
    if (x->new_loc.line != y->new_loc.line)
        return x->new_loc.line < y->new_loc.line ? -1 : 1;
    if (x->new_loc.col != y->new_loc.col)
        return x->new_loc.col < y->new_loc.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void changes_print(change_list *l, const char *old_file, const char *new_file, strbuf *out)
{
    if (l->len > 1)
        qsort(l->items, l->len, sizeof *l->items, by_new_position);
    for (size_t i = 0; i < l->len; i++) {
        const change *c = &l->items[i];
        sb_printf(out, "%s:%" PRIu32 ":%" PRIu32 ": %s: %s (%s:%" PRIu32 ":%" PRIu32 ")\n",
                  new_file, c->new_loc.line, c->new_loc.col, verdict_word(c->verdict), c->text,
                  old_file, c->old_loc.line, c->old_loc.col);
    }
}

void changes_print_summary(const change_list *l, uint64_t old_fingerprint,
                           uint64_t new_fingerprint, strbuf *out)
{
    size_t breaking = changes_count(l, CHANGE_BREAKING);
    sb_puts(out, breaking > 0 ? "breaking: " : "compatible: ");
    if (l->len == 0) {
        sb_puts(out, "no changes");
    } else {
        sb_printf(out, "%zu change%s (", l->len, l->len == 1 ? "" : "s");
        const char *sep = "";
        for (int v = CHANGE_BREAKING; v >= CHANGE_COMPATIBLE; v--) {
            size_t n = changes_count(l, (change_verdict)v);
            if (n == 0)
                continue;
            const char *word = v == CHANGE_WARNING ? (n == 1 ? "warning" : "warnings")
                                                   : verdict_word((change_verdict)v);
            sb_printf(out, "%s%zu %s", sep, n, word);
            sep = ", ";
        }
        sb_putc(out, ')');
    }
    if (old_fingerprint == new_fingerprint)
        sb_printf(out, "; fingerprint unchanged (0x%016" PRIx64 ")\n", new_fingerprint);
    else
        sb_printf(out, "; fingerprint changed (0x%016" PRIx64 " -> 0x%016" PRIx64 ")%s\n",
                  old_fingerprint, new_fingerprint,
                  breaking > 0 ? "" : ", so the session handshake still refuses mixed peers");
}
