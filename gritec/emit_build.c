/*
 * emit_build.c - builders: write a P_T_in as an archive, root at offset 0,
 * out-of-line data in depth-first pre-order (docs/FORMAT.md 1.5).
 *
 * Builders hold offsets, never pointers, across anything that takes room
 * (the buffer may move when it grows), check every string's UTF-8 and
 * every enum value and union tag, and report GRITE_BUILD_* instead of
 * writing past the buffer. Nothing is allocated once the buffer is warm.
 */
#include <inttypes.h>
#include <string.h>

#include "emit_internal.h"

static bool is_plain_number(const type_ref *t)
{
    return ast_kind_is_scalar(t->kind) && t->kind != TY_BOOL;
}

/* How to write a value of type t from the input lvalue `x` at `at`: a
 * fallible expression (returns a GRITE_BUILD_* code; *fallible = true) or
 * a statement that cannot fail. */
static const char *write_code(emitter *e, const type_ref *t, const char *at, const char *x,
                              bool *fallible)
{
    *fallible = true;
    switch (t->kind) {
    case TY_STRING: return nm_fmt(e->n, "grite_b_str(b, %s, %s)", at, x);
    case TY_BYTES: return nm_fmt(e->n, "grite_b_bytes(b, %s, %s)", at, x);
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            return nm_fmt(e->n, "%s(b, %s, %s)", nm_type_fn(e->n, t->name, "write_"), at, x);
        return nm_fmt(e->n, "%s(b, %s, &%s)", nm_type_fn(e->n, t->name, "write_"), at, x);
    case TY_VECTOR: case TY_OPTIONAL:
        return nm_fmt(e->n, "%s(b, %s, &%s)", nm_helper_fn(e->n, t, "write_"), at, x);
    case TY_ARRAY:
        return nm_fmt(e->n, "%s(b, %s, %s)", nm_helper_fn(e->n, t, "write_"), at, x);
    default:
        *fallible = false;
        return nm_fmt(e->n, "grite_st_%s(b->data + %s, %s);", scalar_suffix(t->kind), at, x);
    }
}

static const char *pos(emitter *e, const char *base, uint64_t off)
{
    return off ? nm_fmt(e->n, "%s + %" PRIu64, base, off) : base;
}

static void emit_enum_write(emitter *e, const decl *d)
{
    em(e, "static inline int %s(grite_buf *b, size_t at, %s v)\n{\n"
          "    if (!%s(v))\n        return GRITE_BUILD_BAD_TAG;\n"
          "    grite_st_%s(b->data + at, (%s)v);\n    return 0;\n}\n\n",
       nm_type_fn(e->n, d->name, "write_"), nm_type(e->n, d->name),
       nm_type_fn(e->n, d->name, "valid_"), scalar_suffix(d->underlying), enum_storage_type(d));
}

/* A loop writing n elements of el from items[i] at base + i * size. */
static void emit_elements(emitter *e, const type_ref *el, const char *base, const char *items,
                          const char *n)
{
    uint32_t size = layout_size(el);
    if (is_plain_number(el)) {
        em(e, "    grite_b_copy_le(b->data + %s, %s, %s, %" PRIu32 ");\n", base, items, n, size);
        return;
    }
    bool fallible;
    const char *code = write_code(e, el, element_at(e, base, "i", size),
                                  nm_fmt(e->n, "%s[i]", items), &fallible);
    if (fallible)
        em(e, "    for (size_t i = 0; rc == 0 && i < %s; i++)\n        rc = %s;\n", n, code);
    else
        em(e, "    for (size_t i = 0; i < %s; i++)\n        %s\n", n, code);
}

static void emit_vector_write(emitter *e, const type_ref *t)
{
    const type_ref *el = t->elem;
    em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v)\n{\n    size_t t;\n"
          "    int rc = grite_b_array(b, at, v->len, %" PRIu32 ", %" PRIu32 ", &t);\n",
       nm_helper_fn(e->n, t, "write_"), nm_helper_fn(e->n, t, "in"), layout_size(el),
       layout_align(el));
    if (ast_kind_is_scalar(el->kind))     /* cannot fail: only when the array was taken */
        em(e, "    if (rc == 0)\n    ");
    emit_elements(e, el, "t", "v->items", "v->len");
    em(e, "    return rc;\n}\n\n");
}

static void emit_optional_write(emitter *e, const type_ref *t)
{
    bool fallible;
    const char *code = write_code(e, t->elem, pos(e, "at", layout_align(t->elem)), "v->value",
                                  &fallible);
    em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v)\n{\n"
          "    if (!v->present)\n        return 0;     /* absent: the bytes stay zero */\n"
          "    grite_st_u8(b->data + at, 1);\n",
       nm_helper_fn(e->n, t, "write_"), nm_helper_fn(e->n, t, "in"));
    if (fallible)
        em(e, "    return %s;\n}\n\n", code);
    else
        em(e, "    %s\n    return 0;\n}\n\n", code);
}

static void emit_array_write(emitter *e, const type_ref *t)
{
    em(e, "static inline int %s(grite_buf *b, size_t at, %s)\n{\n",
       nm_helper_fn(e->n, t, "write_"), input_ptr_decl(e, t->elem, "v"));
    bool fallible;
    write_code(e, t->elem, "at", "v[0]", &fallible);
    if (fallible && !is_plain_number(t->elem))
        em(e, "    int rc = 0;\n");
    const char *n = nm_fmt(e->n, "%" PRIu64 "u", t->array_len);
    emit_elements(e, t->elem, "at", "v", n);
    em(e, "    return %s;\n}\n\n", fallible && !is_plain_number(t->elem) ? "rc" : "0");
}

static void emit_fields_write(emitter *e, const char *owner, const field_list *fl)
{
    em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v)\n{\n",
       nm_type_fn(e->n, owner, "write_"), nm_type_fn(e->n, owner, "in"));
    size_t n_fallible = 0;
    bool last_fallible = false;
    for (size_t i = 0; i < fl->len; i++) {
        write_code(e, fl->items[i].type, "at", "x", &last_fallible);
        n_fallible += last_fallible;
    }
    if (n_fallible > (last_fallible ? 1u : 0u))
        em(e, "    int rc;\n");
    for (size_t i = 0; i < fl->len; i++) {
        const field *f = &fl->items[i];
        bool fallible;
        const char *code = write_code(e, f->type, pos(e, "at", f->offset),
                                      nm_fmt(e->n, "v->%s", f->name), &fallible);
        if (fallible && i + 1 == fl->len)
            em(e, "    return %s;\n}\n\n", code);
        else if (fallible)
            em(e, "    if ((rc = %s) != 0)\n        return rc;\n", code);
        else
            em(e, "    %s\n", code);
    }
    if (!last_fallible)
        em(e, "    return 0;\n}\n\n");
}

static void emit_union_write(emitter *e, const decl *d)
{
    bool any_payload = false;
    for (size_t i = 0; i < d->n_variants; i++)
        any_payload = any_payload || variant_has_payload(&d->variants[i]);
    em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v)\n{\n",
       nm_type_fn(e->n, d->name, "write_"), nm_type_fn(e->n, d->name, "in"));
    if (any_payload)
        em(e, "    size_t t;\n    int rc;\n");
    em(e, "    switch (v->tag) {\n");
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        const char *tag = nm_const(e->n, d->name, v->name);
        em(e, "    case %s:\n", tag);
        em(e, "        if ((rc = grite_b_payload_begin(b, at, %s, %" PRIu32 ", %" PRIu32
              ", &t)) != 0)\n            return rc;\n"
              "        if ((rc = %s(b, t, &v->v.%s)) != 0)\n            return rc;\n"
              "        return grite_b_payload_end(b, at, t);\n",
           tag, v->size, v->align, nm_type_fn(e->n, payload_base(e, d, v), "write_"), v->name);
    }
    if (emit_fieldless_cases(e, d))      /* the tag alone: offset and size stay 0 */
        em(e, "        grite_st_u32(b->data + at, (uint32_t)v->tag);\n        return 0;\n");
    em(e, "    default:\n        return GRITE_BUILD_BAD_TAG;\n    }\n}\n\n");
}

static void emit_prototypes(emitter *e)
{
    em(e, "/* Declared first: types may refer to one another through vectors. */\n");
    for (size_t i = 0; i < e->n_exprs; i++) {
        const type_ref *t = e->exprs[i];
        if (t->kind == TY_ARRAY)
            em(e, "static inline int %s(grite_buf *b, size_t at, %s);\n",
               nm_helper_fn(e->n, t, "write_"), input_ptr_decl(e, t->elem, "v"));
        else
            em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v);\n",
               nm_helper_fn(e->n, t, "write_"), nm_helper_fn(e->n, t, "in"));
    }
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_ENUM)
            continue;
        em(e, "static inline int %s(grite_buf *b, size_t at, const %s *v);\n",
           nm_type_fn(e->n, d->name, "write_"), nm_type_fn(e->n, d->name, "in"));
    }
    em(e, "\n");
}

static void emit_public(emitter *e, const decl *d)
{
    em(e, "/*\n"
          " * Write v into b as an archive whose root is %s %s (b is reset first).\n"
          " * Returns 0, or a GRITE_BUILD_* code (< 0) and leaves b empty.\n"
          " */\n", article(d->name), d->name);
    em(e, "static inline int %s(grite_buf *b, const %s *v)\n{\n    size_t at;\n"
          "    int rc = grite_b_begin(b, %" PRIu32 ", &at);\n"
          "    if (rc == 0)\n        rc = %s(b, at, v);\n    return grite_b_end(b, rc);\n}\n\n",
       nm_type_fn(e->n, d->name, "build"), nm_type_fn(e->n, d->name, "in"), d->size,
       nm_type_fn(e->n, d->name, "write_"));
}

void emit_builders(emitter *e)
{
    const schema *s = e->s;
    em(e, "/* ---- builders ---- */\n\n");
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind == DECL_ENUM)
            emit_enum_write(e, s->decls[i]);
    emit_prototypes(e);
    for (size_t i = 0; i < e->n_exprs; i++) {
        const type_ref *t = e->exprs[i];
        if (t->kind == TY_VECTOR)
            emit_vector_write(e, t);
        else if (t->kind == TY_OPTIONAL)
            emit_optional_write(e, t);
        else
            emit_array_write(e, t);
    }
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        if (d->kind == DECL_STRUCT) {
            emit_fields_write(e, d->name, &d->fields);
        } else if (d->kind == DECL_UNION) {
            for (size_t v = 0; v < d->n_variants; v++)
                if (variant_has_payload(&d->variants[v]))
                    emit_fields_write(e, payload_base(e, d, &d->variants[v]),
                                      &d->variants[v].fields);
            emit_union_write(e, d);
        }
    }
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind != DECL_ENUM)
            emit_public(e, s->decls[i]);
}
