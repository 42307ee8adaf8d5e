/*
 * emit_types.c - the header's type definitions:
 *   enums and union kinds,
 *   archived structs (the bytes, read in place) with their layout asserts,
 *   views of vectors and arrays,
 *   builder inputs (plain C values).
 * C needs a type defined before another contains it by value, so archived
 * types and inputs are emitted depth-first along by-value containment.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit_internal.h"

typedef struct order {
    unsigned char *decl_done;   /* per decl index */
    unsigned char *expr_done;   /* per e->exprs index */
} order;

static order order_new(const emitter *e)
{
    order o = { calloc(e->s->n_decls + 1, 1), calloc(e->n_exprs + 1, 1) };
    if (!o.decl_done || !o.expr_done)
        abort();
    return o;
}

static void order_free(order *o)
{
    free(o->decl_done);
    free(o->expr_done);
}

static size_t expr_index(emitter *e, const type_ref *t)
{
    return names_expr_index(e->n, t);
}

/* ---- enums ----------------------------------------------------------- */

static const char *int_literal(emitter *e, int64_t v, bool is_signed)
{
    if (v == INT64_MIN)
        return "(-INT64_C(9223372036854775807) - 1)";
    if (v == INT32_MIN)
        return "(-2147483647 - 1)";
    if (!is_signed)
        return nm_fmt(e->n, "%" PRIu64, (uint64_t)v);
    return nm_fmt(e->n, "%" PRId64, v);
}

static void emit_c_enum(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    em(e, "typedef enum %s GRITE_ENUM_BASE(%s) {\n", type, enum_storage_type(d));
    for (size_t i = 0; i < d->n_values; i++) {
        const enum_value *v = &d->values[i];
        em_doc(e, v->doc, "    ");
        em(e, "    %s = %s,\n", nm_const(e->n, d->name, v->name),
           int_literal(e, v->value, enum_is_signed(d)));
    }
    em(e, "} %s;\n\n", type);
}

/* Values a C enum cannot hold (beyond int): an integer typedef and macros. */
static void emit_wide_enum(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    em(e, "typedef %s %s;\n", enum_storage_type(d), type);
    for (size_t i = 0; i < d->n_values; i++) {
        const enum_value *v = &d->values[i];
        em_doc(e, v->doc, "");
        if (v->value == INT64_MIN)
            em(e, "#define %s ((%s)%s)\n", nm_const(e->n, d->name, v->name), type,
               int_literal(e, v->value, true));
        else if (enum_is_signed(d))
            em(e, "#define %s ((%s)INT64_C(%" PRId64 "))\n", nm_const(e->n, d->name, v->name),
               type, v->value);
        else
            em(e, "#define %s ((%s)UINT64_C(%" PRIu64 "))\n", nm_const(e->n, d->name, v->name),
               type, (uint64_t)v->value);
    }
    em(e, "\n");
}

static void emit_enum(emitter *e, const decl *d)
{
    em_doc2(e, d->doc,
            d->is_open ? "Open: values this schema does not declare are accepted and kept." : NULL,
            "");
    if (enum_is_c_enum(d))
        emit_c_enum(e, d);
    else
        emit_wide_enum(e, d);
}

static void emit_union_kind(emitter *e, const decl *d)
{
    const char *kind = nm_type_fn(e->n, d->name, "kind");
    em_doc2(e,
            nm_fmt(e->n, "The variants of %s, as %s returns them.", d->name,
                   nm_type_fn(e->n, d->name, "tag")),
            d->is_open ? "Open: a tag from a newer schema is passed through as is." : NULL, "");
    em(e, "typedef enum %s GRITE_ENUM_BASE(uint32_t) {\n", kind);
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        em_doc(e, v->doc, "    ");
        em(e, "    %s = %" PRIu32 ",\n", nm_const(e->n, d->name, v->name), v->tag);
    }
    em(e, "} %s;\n\n", kind);
}

/* ---- archived types -------------------------------------------------- */

static void emit_member(emitter *e, const type_ref *t, const char *name, const char *doc)
{
    em_doc(e, doc, "    ");
    const char *decl_text = archived_decl(e, t, name);
    bool note_type = t->kind != TY_NAMED && !ast_kind_is_scalar(t->kind);
    if (t->kind == TY_NAMED && t->decl->kind == DECL_ENUM)
        note_type = true;
    if (note_type)
        em(e, "    %s;%*s/* %s */\n", decl_text, (int)(strlen(decl_text) < 36 ? 36 - strlen(decl_text) : 1),
           "", idl_type_text(e, t));
    else
        em(e, "    %s;\n", decl_text);
}

static void emit_padding(emitter *e, unsigned *pads, uint32_t from, uint32_t to)
{
    if (to > from)
        em(e, "    uint8_t %s[%" PRIu32 "];\n", nm_padding(e->n, (*pads)++), to - from);
}

/* A struct of fields laid out by layout.c, then the asserts that make the
 * C compiler check that layout. */
static void emit_fields_struct(emitter *e, const char *type, const field_list *fl,
                               uint32_t size, uint32_t align)
{
    em(e, "typedef struct %s {\n", type);
    uint32_t at = 0;
    unsigned pads = 0;
    for (size_t i = 0; i < fl->len; i++) {
        const field *f = &fl->items[i];
        emit_padding(e, &pads, at, f->offset);
        emit_member(e, f->type, f->name, f->doc);
        at = f->offset + layout_size(f->type);
    }
    emit_padding(e, &pads, at, size);
    em(e, "} %s;\n", type);
    em(e, "GRITE_ASSERT_LAYOUT(%s, %" PRIu32 ", %" PRIu32 ");\n", type, size, align);
    for (size_t i = 0; i < fl->len; i++)
        em(e, "GRITE_ASSERT_OFFSET(%s, %s, %" PRIu32 ");\n", type, fl->items[i].name,
           fl->items[i].offset);
    em(e, "\n");
}

static void visit_archived_type(emitter *e, order *o, const type_ref *t);

static void emit_optional_struct(emitter *e, order *o, const type_ref *t)
{
    size_t i = expr_index(e, t);
    if (i >= e->n_exprs || o->expr_done[i])
        return;
    o->expr_done[i] = 1;
    visit_archived_type(e, o, t->elem);
    const char *type = nm_helper(e->n, t);
    uint32_t align = layout_align(t->elem), size = layout_size(t);
    em(e, "/* The archived %s: `present` is 0 or 1; `value` counts only when present. */\n",
       idl_type_text(e, t));
    em(e, "typedef struct %s {\n    uint8_t present;\n", type);
    unsigned pads = 0;
    emit_padding(e, &pads, 1, align);
    em(e, "    %s;\n", archived_decl(e, t->elem, "value"));
    emit_padding(e, &pads, align + layout_size(t->elem), size);
    em(e, "} %s;\n", type);
    em(e, "GRITE_ASSERT_LAYOUT(%s, %" PRIu32 ", %" PRIu32 ");\n", type, size, align);
    em(e, "GRITE_ASSERT_OFFSET(%s, present, 0);\n", type);
    em(e, "GRITE_ASSERT_OFFSET(%s, value, %" PRIu32 ");\n\n", type, align);
}

static void emit_struct_decl(emitter *e, order *o, const decl *d);
static void emit_union_decl(emitter *e, order *o, const decl *d);

/* Emit whatever a by-value member of type t needs defined first. */
static void visit_archived_type(emitter *e, order *o, const type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED:
        if (t->decl->kind == DECL_STRUCT)
            emit_struct_decl(e, o, t->decl);
        else if (t->decl->kind == DECL_UNION)
            emit_union_decl(e, o, t->decl);
        return;
    case TY_ARRAY:
        visit_archived_type(e, o, t->elem);
        return;
    case TY_OPTIONAL:
        emit_optional_struct(e, o, t);
        return;
    default:
        return;
    }
}

static void visit_fields(emitter *e, order *o, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        visit_archived_type(e, o, fl->items[i].type);
}

static void emit_struct_decl(emitter *e, order *o, const decl *d)
{
    if (o->decl_done[d->index])
        return;
    o->decl_done[d->index] = 1;
    visit_fields(e, o, &d->fields);
    em_doc(e, d->doc, "");
    emit_fields_struct(e, nm_type(e->n, d->name), &d->fields, d->size, d->align);
}

static void emit_union_decl(emitter *e, order *o, const decl *d)
{
    if (o->decl_done[d->index])
        return;
    o->decl_done[d->index] = 1;
    const char *type = nm_type(e->n, d->name);
    em_doc(e, d->doc, "");
    em(e, "typedef struct %s {\n"
          "    uint32_t tag;      /* a %s */\n"
          "    uint32_t offset;   /* to the payload, from this field; 0 if none */\n"
          "    uint32_t size;     /* bytes of the payload and all it points to */\n"
          "} %s;\n",
       type, nm_type_fn(e->n, d->name, "kind"), type);
    em(e, "GRITE_ASSERT_LAYOUT(%s, 12, 4);\n"
          "GRITE_ASSERT_OFFSET(%s, tag, 0);\n"
          "GRITE_ASSERT_OFFSET(%s, offset, 4);\n"
          "GRITE_ASSERT_OFFSET(%s, size, 8);\n\n",
       type, type, type, type);
}

static void emit_payloads(emitter *e, order *o, const decl *d)
{
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        visit_fields(e, o, &v->fields);
        em_doc2(e, nm_fmt(e->n, "The payload of %s.%s.", d->name, v->name), v->doc, "");
        emit_fields_struct(e, nm_type(e->n, payload_base(e, d, v)), &v->fields, v->size,
                           v->align);
    }
}

static void emit_archived(emitter *e)
{
    order o = order_new(e);
    em(e, "/* ---- archived types: the bytes, read in place ---- */\n\n");
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_STRUCT)
            emit_struct_decl(e, &o, d);
        else if (d->kind == DECL_UNION)
            emit_union_decl(e, &o, d);
    }
    for (size_t i = 0; i < e->s->n_decls; i++)
        if (e->s->decls[i]->kind == DECL_UNION)
            emit_payloads(e, &o, e->s->decls[i]);
    for (size_t i = 0; i < e->n_exprs; i++)     /* optionals only used in vectors */
        if (e->exprs[i]->kind == TY_OPTIONAL)
            emit_optional_struct(e, &o, e->exprs[i]);
    order_free(&o);
}

/* ---- views ----------------------------------------------------------- */

static void emit_views(emitter *e)
{
    bool any = false;
    for (size_t i = 0; i < e->n_exprs; i++) {
        const type_ref *t = e->exprs[i];
        if (t->kind == TY_OPTIONAL)
            continue;
        if (!any)
            em(e, "/* ---- views of vectors and arrays: `len` elements at `ptr` ---- */\n\n");
        any = true;
        const char *type = nm_helper(e->n, t);
        em(e, "/* A view of %s %s; %s(v, i) reads element i < len. */\n",
           article(idl_type_text(e, t)), idl_type_text(e, t), nm_helper_fn(e->n, t, "at"));
        em(e, "typedef struct %s {\n    const uint8_t *ptr;\n    size_t len;\n} %s;\n\n", type,
           type);
    }
}

/* ---- builder inputs -------------------------------------------------- */

static void emit_forward_inputs(emitter *e)
{
    em(e, "/* ---- builder inputs: plain C values, see %s() ---- */\n\n",
       "P_T_build");
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_ENUM)
            continue;
        const char *in = nm_type_fn(e->n, d->name, "in");
        em(e, "typedef struct %s %s;\n", in, in);
        for (size_t v = 0; v < d->n_variants; v++) {
            if (!variant_has_payload(&d->variants[v]))
                continue;
            in = nm_type_fn(e->n, payload_base(e, d, &d->variants[v]), "in");
            em(e, "typedef struct %s %s;\n", in, in);
        }
    }
    for (size_t i = 0; i < e->n_exprs; i++) {
        if (e->exprs[i]->kind == TY_ARRAY)
            continue;
        const char *in = nm_helper_fn(e->n, e->exprs[i], "in");
        em(e, "typedef struct %s %s;\n", in, in);
    }
    em(e, "\n");
}

static void visit_input_type(emitter *e, order *o, const type_ref *t);

static void emit_input_fields(emitter *e, const char *in, const field_list *fl)
{
    em(e, "struct %s {\n", in);
    for (size_t i = 0; i < fl->len; i++)
        em(e, "    %s;\n", input_decl(e, fl->items[i].type, fl->items[i].name));
    em(e, "};\n\n");
}

static void visit_input_fields(emitter *e, order *o, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        visit_input_type(e, o, fl->items[i].type);
}

static void emit_input_decl(emitter *e, order *o, const decl *d)
{
    if (o->decl_done[d->index])
        return;
    o->decl_done[d->index] = 1;
    const char *in = nm_type_fn(e->n, d->name, "in");
    if (d->kind == DECL_STRUCT) {
        visit_input_fields(e, o, &d->fields);
        em(e, "/* The value of %s %s, for %s(). */\n", article(d->name), d->name,
           nm_type_fn(e->n, d->name, "build"));
        emit_input_fields(e, in, &d->fields);
        return;
    }
    bool any_payload = false;
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        any_payload = true;
        visit_input_fields(e, o, &v->fields);
        em(e, "/* The fields of %s.%s. */\n", d->name, v->name);
        emit_input_fields(e, nm_type_fn(e->n, payload_base(e, d, v), "in"), &v->fields);
    }
    em(e, "/* The value of %s %s: `tag` says which member of `v` is meant. */\n",
       article(d->name), d->name);
    em(e, "struct %s {\n    %s tag;\n", in, nm_type_fn(e->n, d->name, "kind"));
    if (any_payload) {
        em(e, "    union {\n");
        for (size_t i = 0; i < d->n_variants; i++) {
            const variant *v = &d->variants[i];
            if (variant_has_payload(v))
                em(e, "        %s %s;\n", nm_type_fn(e->n, payload_base(e, d, v), "in"), v->name);
        }
        em(e, "    } v;\n");
    }
    em(e, "};\n\n");
}

static void emit_input_expr(emitter *e, order *o, const type_ref *t)
{
    size_t i = expr_index(e, t);
    if (i >= e->n_exprs || o->expr_done[i])
        return;
    o->expr_done[i] = 1;
    const char *in = nm_helper_fn(e->n, t, "in");
    const char *text = idl_type_text(e, t);
    if (t->kind == TY_VECTOR) {
        em(e, "/* The value of %s %s: `len` elements at `items`. */\n", article(text), text);
        em(e, "struct %s {\n    %s;\n    size_t len;\n};\n\n", in,
           input_ptr_decl(e, t->elem, "items"));
    } else {
        visit_input_type(e, o, t->elem);
        em(e, "/* The value of %s %s: `value` counts only when `present`. */\n", article(text),
           text);
        em(e, "struct %s {\n    bool present;\n    %s;\n};\n\n", in,
           input_decl(e, t->elem, "value"));
    }
}

static void visit_input_type(emitter *e, order *o, const type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED:
        if (t->decl->kind != DECL_ENUM)
            emit_input_decl(e, o, t->decl);
        return;
    case TY_ARRAY:
        visit_input_type(e, o, t->elem);
        return;
    case TY_VECTOR: case TY_OPTIONAL:
        emit_input_expr(e, o, t);
        return;
    default:
        return;
    }
}

static void emit_inputs(emitter *e)
{
    order o = order_new(e);
    emit_forward_inputs(e);
    for (size_t i = 0; i < e->s->n_decls; i++)
        if (e->s->decls[i]->kind != DECL_ENUM)
            emit_input_decl(e, &o, e->s->decls[i]);
    for (size_t i = 0; i < e->n_exprs; i++)
        if (e->exprs[i]->kind != TY_ARRAY)
            emit_input_expr(e, &o, e->exprs[i]);
    order_free(&o);
}

void emit_types(emitter *e)
{
    bool any = false;
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_STRUCT)
            continue;
        if (!any)
            em(e, "/* ---- enums and union kinds ---- */\n\n");
        any = true;
        if (d->kind == DECL_ENUM)
            emit_enum(e, d);
        else
            emit_union_kind(e, d);
    }
    emit_archived(e);
    emit_views(e);
    emit_inputs(e);
}
