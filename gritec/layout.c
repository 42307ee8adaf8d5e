/*
 * layout.c - sizes, alignments and offsets of the archived format
 * (docs/FORMAT.md 1.2-1.4). Structs are laid out like C structs; the
 * generated header _Static_asserts every number computed here, so the C
 * compiler double-checks this file on every build.
 *
 * Declarations are laid out on demand (a struct needs the size of the
 * structs it contains by value), so declaration order does not matter.
 * sema.c has already rejected by-value cycles; a cycle that slipped
 * through is still caught here instead of recursing forever.
 */
#include "layout.h"

#include <stdlib.h>

enum { UNION_SIZE = 12, UNION_ALIGN = 4, REF_SIZE = 8, REF_ALIGN = 4 };

/* Depth-first walk state of each declaration: not yet visited, on the
 * current path (meeting it again is a by-value cycle), or laid out. */
typedef enum { NOT_VISITED = 0, IN_PROGRESS, DONE } lay_state;

typedef struct layout_ctx {
    schema *s;
    diag_ctx *d;
    lay_state *state;   /* per decl->index */
    bool ok;
} layout_ctx;

static uint32_t scalar_size(type_kind k)
{
    switch (k) {
    case TY_U8: case TY_I8: case TY_BOOL: return 1;
    case TY_U16: case TY_I16: return 2;
    case TY_U32: case TY_I32: case TY_F32: return 4;
    case TY_U64: case TY_I64: case TY_F64: return 8;
    default: return 0;
    }
}

static uint64_t round_up(uint64_t n, uint32_t align)
{
    return (n + align - 1) / align * align;
}

static void lay_decl(layout_ctx *c, decl *d);

/* Size and alignment of a type expression, laying out named types first. */
static void lay_type(layout_ctx *c, const type_ref *t, uint64_t *size, uint32_t *align)
{
    switch (t->kind) {
    case TY_STRING: case TY_BYTES: case TY_VECTOR:
        *size = REF_SIZE;
        *align = REF_ALIGN;
        return;
    case TY_NAMED:
        if (!t->decl) {         /* unresolved: sema.c reported it */
            *size = *align = 1;
            c->ok = false;
            return;
        }
        lay_decl(c, t->decl);
        *size = t->decl->size;
        *align = t->decl->align;
        return;
    case TY_OPTIONAL: {
        uint64_t es;
        uint32_t ea;
        lay_type(c, t->elem, &es, &ea);
        *align = ea;
        *size = round_up(ea + es, ea);
        return;
    }
    case TY_ARRAY: {
        uint64_t es;
        lay_type(c, t->elem, &es, align);
        /* Saturate instead of wrapping, and report here, where N was written. */
        if (t->array_len > UINT32_MAX || es * t->array_len > UINT32_MAX) {
            if (es <= UINT32_MAX)
                diag_error(c->d, t->array_len_loc,
                           "array is larger than the format allows (4 GiB)");
            c->ok = false;
            *size = (uint64_t)UINT32_MAX + 1;
            return;
        }
        *size = es * t->array_len;
        return;
    }
    default:
        *size = *align = scalar_size(t->kind);
        return;
    }
}

/* Lay out fields C-style; returns false if the struct would exceed u32. */
static bool lay_fields(layout_ctx *c, field_list *fl, uint32_t *size, uint32_t *align,
                       const char *what, const char *name, src_loc loc)
{
    uint64_t off = 0;
    uint32_t max_align = 1;
    for (size_t i = 0; i < fl->len; i++) {
        field *f = &fl->items[i];
        uint64_t fs;
        uint32_t fa;
        lay_type(c, f->type, &fs, &fa);
        if (fa == 0)
            fa = 1;
        if (fs > UINT32_MAX) {      /* already reported where it was written */
            *size = UINT32_MAX;
            *align = fa;
            return false;
        }
        off = round_up(off, fa);
        f->offset = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
        off += fs;
        if (fa > max_align)
            max_align = fa;
        if (off > UINT32_MAX)
            break;
    }
    off = round_up(off, max_align);
    *align = max_align;
    if (off > UINT32_MAX) {
        diag_error(c->d, loc, "%s '%s' is larger than the format allows (4 GiB)", what, name);
        c->ok = false;
        *size = UINT32_MAX;
        return false;
    }
    *size = (uint32_t)off;
    return true;
}

/* A union is 12 bytes whatever its payloads hold (they are out of line),
 * so it is complete before its payloads are laid out, which may contain the
 * union itself. */
static void lay_union(layout_ctx *c, decl *d)
{
    d->size = UNION_SIZE;
    d->align = UNION_ALIGN;
    c->state[d->index] = DONE;
    for (size_t i = 0; i < d->n_variants; i++) {
        variant *v = &d->variants[i];
        if (v->fields.len == 0) {
            v->size = 0;
            v->align = 1;
            continue;
        }
        lay_fields(c, &v->fields, &v->size, &v->align, "variant", v->name, v->loc);
    }
}

static void lay_decl(layout_ctx *c, decl *d)
{
    if (c->state[d->index] == DONE)
        return;
    if (c->state[d->index] == IN_PROGRESS) {
        diag_error(c->d, d->loc, "'%s' contains itself by value", d->name);
        c->ok = false;
        d->size = d->align = 1;
        return;
    }
    c->state[d->index] = IN_PROGRESS;
    switch (d->kind) {
    case DECL_ENUM:
        d->size = d->align = scalar_size(d->underlying);
        break;
    case DECL_UNION:
        lay_union(c, d);
        return;
    case DECL_STRUCT:
        lay_fields(c, &d->fields, &d->size, &d->align, "struct", d->name, d->loc);
        break;
    }
    c->state[d->index] = DONE;
}

/* ---- builder inputs must be finite ------------------------------------
 * A builder input (P_T_in) holds union payloads, optionals and arrays by
 * value, so a union whose payload contains the union itself other than
 * through a vector (`Nested { next: Shape? }`) would need an infinitely
 * large C struct. sema.c rejects such cycles among structs; the ones
 * through a union payload are only a problem for the input types, and are
 * reported here. */

typedef struct input_walk {
    layout_ctx *c;
    lay_state *state;
    const decl *cycle;  /* the decl found inside itself */
    bool cycle_closed;  /* unwound past it: stop printing the path */
} input_walk;

static bool input_visit_decl(input_walk *w, const decl *d);

static bool input_visit_type(input_walk *w, const type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED:
        return !t->decl || t->decl->kind == DECL_ENUM || input_visit_decl(w, t->decl);
    case TY_OPTIONAL: case TY_ARRAY:
        return input_visit_type(w, t->elem);
    default:            /* vectors hold a pointer: a cycle through one is fine */
        return true;
    }
}

static bool input_visit_fields(input_walk *w, const decl *owner, const variant *v,
                               const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++) {
        const field *f = &fl->items[i];
        if (input_visit_type(w, f->type))
            continue;
        if (w->cycle_closed)
            return false;
        if (v)
            diag_note(w->c->d, f->loc, "through field '%s' of %s.%s", f->name, owner->name,
                      v->name);
        else
            diag_note(w->c->d, f->loc, "through field '%s' of %s", f->name, owner->name);
        return false;
    }
    return true;
}

/* false: a cycle was found (and reported) below d. */
static bool input_visit_decl(input_walk *w, const decl *d)
{
    if (w->state[d->index] == DONE)
        return true;
    if (w->state[d->index] == IN_PROGRESS) {
        diag_error(w->c->d, d->loc,
                   "'%s' contains itself other than through a vector, so its builder input "
                   "would be infinitely large; make the recursion go through a vector "
                   "(e.g. [%s] instead of %s?)", d->name, d->name, d->name);
        w->c->ok = false;
        w->cycle = d;
        return false;
    }
    w->state[d->index] = IN_PROGRESS;
    bool ok = input_visit_fields(w, d, NULL, &d->fields);
    for (size_t i = 0; ok && i < d->n_variants; i++)
        ok = input_visit_fields(w, d, &d->variants[i], &d->variants[i].fields);
    w->state[d->index] = DONE;
    if (!ok && w->cycle == d)
        w->cycle_closed = true;
    return ok;
}

static void check_inputs_finite(layout_ctx *c)
{
    input_walk w = { c, calloc(c->s->n_decls + 1, sizeof(lay_state)), NULL, false };
    if (!w.state)
        abort();
    for (size_t i = 0; i < c->s->n_decls; i++)
        if (!input_visit_decl(&w, c->s->decls[i]))
            break;      /* one report is enough: the others are the same cycle */
    free(w.state);
}

/* Vector elements are not reached by lay_decl (a vector is a reference, and
 * may point back at its own struct), so check their sizes once everything
 * else is laid out. */
static void check_vector_elems(layout_ctx *c, const type_ref *t)
{
    if (t->kind == TY_VECTOR) {
        uint64_t es;
        uint32_t ea;
        lay_type(c, t->elem, &es, &ea);   /* reports an oversized array */
    }
    if (t->kind == TY_VECTOR || t->kind == TY_OPTIONAL || t->kind == TY_ARRAY)
        check_vector_elems(c, t->elem);
}

static void check_fields_vectors(layout_ctx *c, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        check_vector_elems(c, fl->items[i].type);
}

bool layout_schema(schema *s, diag_ctx *d)
{
    layout_ctx c = { s, d, calloc(s->n_decls + 1, sizeof(lay_state)), true };
    if (!c.state) {
        diag_error_noloc(d, "out of memory");
        return false;
    }
    for (size_t i = 0; i < s->n_decls; i++)
        s->decls[i]->index = (uint32_t)i;
    for (size_t i = 0; i < s->n_decls; i++)
        lay_decl(&c, s->decls[i]);
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *dc = s->decls[i];
        check_fields_vectors(&c, &dc->fields);
        for (size_t v = 0; v < dc->n_variants; v++)
            check_fields_vectors(&c, &dc->variants[v].fields);
    }
    if (c.ok)
        check_inputs_finite(&c);
    free(c.state);
    return c.ok;
}

uint32_t layout_size(const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: case TY_BYTES: case TY_VECTOR:
        return REF_SIZE;
    case TY_NAMED:
        return t->decl ? t->decl->size : 0;
    case TY_OPTIONAL: {
        uint32_t a = layout_align(t->elem);
        return (uint32_t)round_up((uint64_t)a + layout_size(t->elem), a);
    }
    case TY_ARRAY:
        return (uint32_t)(layout_size(t->elem) * t->array_len);
    default:
        return scalar_size(t->kind);
    }
}

uint32_t layout_align(const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: case TY_BYTES: case TY_VECTOR:
        return REF_ALIGN;
    case TY_NAMED:
        return t->decl ? t->decl->align : 1;
    case TY_OPTIONAL: case TY_ARRAY:
        return layout_align(t->elem);
    default:
        return scalar_size(t->kind);
    }
}
