/*
 * fingerprint.c - the schema fingerprint (docs/FORMAT.md, "Schema
 * fingerprint").
 *
 * Each root type is described on its own as text that mentions no names:
 * structs by their field types in order, unions by their variants' fields
 * in tag order, enums by their underlying type and (closed ones) their
 * sorted values. A struct or union met again inside its own description
 * (recursion through a vector) is written as a back-reference "#k" to the
 * k-th struct/union opened in that description, so the text is finite and
 * still name-free. The root descriptions are sorted, so neither root nor
 * declaration order matters, and the whole text is hashed with FNV-1a 64.
 * The text can be much longer than the schema (a closed enum is described
 * wherever it is used), so fingerprint_check refuses, as a compile error,
 * a schema whose text would pass FINGERPRINT_MAX_TEXT.
 */
#include "fingerprint.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define CANON_HEADER "grite-archive-1\n"

/* Numbers the structs/unions opened in one root's description. The
 * arrays are indexed by decl.index and shared by all roots: `stamp` says
 * which root wrote `number`, so starting the next root costs nothing
 * (a schema without `root` describes every type as a root). */
typedef struct describer {
    strbuf *out;
    uint32_t *stamp;     /* root generation that numbered this decl */
    size_t *number;      /* its back-reference number in that root */
    uint32_t generation;
    size_t n_open;
    size_t limit;        /* stop describing once out is longer */
} describer;

static void describe_type(describer *w, const type_ref *t);

static void describe_fields(describer *w, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++) {
        if (i)
            sb_putc(w->out, ',');
        describe_type(w, fl->items[i].type);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void describe_enum(describer *w, const decl *d)
{
    sb_printf(w->out, "%senum:%s", d->is_open ? "open " : "", ast_type_kind_name(d->underlying));
    if (d->is_open)     /* an open enum accepts any value: the list is not wire-relevant */
        return;
    int64_t *vals = malloc((d->n_values + 1) * sizeof *vals);
    if (!vals)
        abort();
    for (size_t i = 0; i < d->n_values; i++)
        vals[i] = d->values[i].value;
    qsort(vals, d->n_values, sizeof *vals, cmp_i64);
    sb_putc(w->out, '{');
    for (size_t i = 0; i < d->n_values; i++) {
        if (i && vals[i] == vals[i - 1])
            continue;
        sb_printf(w->out, "%s%" PRId64, i ? "," : "", vals[i]);
    }
    sb_putc(w->out, '}');
    free(vals);
}

/* Number a struct/union the first time it is met; false if already open. */
static bool open_decl(describer *w, const decl *d)
{
    if (w->stamp[d->index] == w->generation) {
        sb_printf(w->out, "#%zu", w->number[d->index]);
        return false;
    }
    w->stamp[d->index] = w->generation;
    w->number[d->index] = w->n_open++;
    return true;
}

static void describe_decl(describer *w, const decl *d)
{
    if (w->out->len > w->limit)
        return;
    if (d->kind == DECL_ENUM) {
        describe_enum(w, d);
        return;
    }
    if (!open_decl(w, d))
        return;
    if (d->kind == DECL_STRUCT) {
        sb_puts(w->out, "struct{");
        describe_fields(w, &d->fields);
        sb_putc(w->out, '}');
        return;
    }
    sb_puts(w->out, d->is_open ? "open union{" : "union{");
    for (size_t i = 0; i < d->n_variants; i++) {
        sb_puts(w->out, i ? ",(" : "(");
        describe_fields(w, &d->variants[i].fields);
        sb_putc(w->out, ')');
    }
    sb_putc(w->out, '}');
}

static void describe_type(describer *w, const type_ref *t)
{
    if (w->out->len > w->limit)
        return;
    switch (t->kind) {
    case TY_NAMED:
        if (t->decl)
            describe_decl(w, t->decl);
        else
            sb_puts(w->out, "?unresolved");
        return;
    case TY_VECTOR:
        sb_putc(w->out, '[');
        describe_type(w, t->elem);
        sb_putc(w->out, ']');
        return;
    case TY_OPTIONAL:
        describe_type(w, t->elem);
        sb_putc(w->out, '?');
        return;
    case TY_ARRAY:
        sb_putc(w->out, '[');
        describe_type(w, t->elem);
        sb_printf(w->out, ";%" PRIu64 "]", t->array_len);
        return;
    default:
        sb_puts(w->out, ast_type_kind_name(t->kind));   /* u8 .. f64, bool, string, bytes */
        return;
    }
}

/* One root's line; *len is its length. Past w->limit it is cut short. */
static char *describe_root(describer *w, const decl *d, size_t *len)
{
    strbuf text = STRBUF_INIT;
    w->out = &text;
    w->generation++;
    w->n_open = 0;
    describe_decl(w, d);
    sb_putc(&text, '\n');
    *len = text.len;
    return text.data;
}

static describer describer_new(const schema *s, size_t limit)
{
    describer w = { NULL, calloc(s->n_decls + 1, sizeof *w.stamp),
                    calloc(s->n_decls + 1, sizeof *w.number), 0, 0, limit };
    if (!w.stamp || !w.number)
        abort();
    return w;
}

static void describer_free(describer *w)
{
    free(w->stamp);
    free(w->number);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The roots: the `root` declaration's, or else every struct and union.
 * Returns how many were stored in roots (room for n_decls + n_roots). */
static size_t root_decls(const schema *s, const decl **roots, src_loc *where)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_roots; i++)
        if (s->roots[i].decl) {
            where[n] = s->roots[i].loc;
            roots[n++] = s->roots[i].decl;
        }
    if (s->n_roots)
        return n;
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind != DECL_ENUM) {
            where[n] = s->decls[i]->loc;
            roots[n++] = s->decls[i];
        }
    return n;
}

bool fingerprint_check(const schema *s, diag_ctx *d)
{
    size_t room = s->n_decls + s->n_roots + 1;
    const decl **roots = malloc(room * sizeof *roots);
    src_loc *where = malloc(room * sizeof *where);
    if (!roots || !where)
        abort();
    size_t n = root_decls(s, roots, where), used = strlen(CANON_HEADER);
    describer w = describer_new(s, 0);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        size_t len;
        w.limit = FINGERPRINT_MAX_TEXT - used;
        free(describe_root(&w, roots[i], &len));
        used += len;
        if (len > w.limit) {
            diag_error(d, where[i],
                       "root '%s' makes the schema's fingerprint text (docs/FORMAT.md 1.8) "
                       "longer than %u MiB, gritec's limit (a closed enum with many values "
                       "used in many fields, or many roots, make it long)",
                       roots[i]->name, (unsigned)(FINGERPRINT_MAX_TEXT >> 20));
            ok = false;
        }
    }
    describer_free(&w);
    free(roots);
    free(where);
    return ok;
}

void fingerprint_canonical(const schema *s, strbuf *out)
{
    size_t room = s->n_decls + s->n_roots + 1;
    const decl **roots = malloc(room * sizeof *roots);
    src_loc *where = malloc(room * sizeof *where);
    char **texts = malloc(room * sizeof *texts);
    if (!roots || !where || !texts)
        abort();
    size_t n = root_decls(s, roots, where);
    describer w = describer_new(s, SIZE_MAX);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        texts[i] = describe_root(&w, roots[i], &len);
    }
    describer_free(&w);
    free(roots);
    free(where);
    qsort(texts, n, sizeof *texts, cmp_str);
    sb_puts(out, CANON_HEADER);
    for (size_t i = 0; i < n; i++) {
        sb_puts(out, texts[i]);
        free(texts[i]);
    }
    free(texts);
}

uint64_t fingerprint_schema(const schema *s)
{
    strbuf text = STRBUF_INIT;
    fingerprint_canonical(s, &text);
    uint64_t h = UINT64_C(0xcbf29ce484222325);     /* FNV-1a 64 offset basis */
    for (size_t i = 0; i < text.len; i++) {
        h ^= (unsigned char)text.data[i];
        h *= UINT64_C(0x100000001b3);               /* FNV-1a 64 prime */
    }
    sb_free(&text);
    return h;
}
