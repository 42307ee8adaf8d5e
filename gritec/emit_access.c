/*
 * emit_access.c - reading in place: the name tables of enums and union
 * kinds, and the zero-copy accessors. Accessors are only meaningful on a
 * buffer a validator accepted; on such a buffer none reads outside it.
 * Absent optionals read as zero/empty/NULL, whatever their (ignored) bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "emit_internal.h"

/* ---- names ----------------------------------------------------------- */

static void emit_enum_name_fn(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    em(e, "/* The IDL name of %s %s value, or NULL if it is not declared. */\n",
       article(d->name), d->name);
    em(e, "static inline const char *%s(%s v)\n{\n    switch (v) {\n",
       nm_type_fn(e->n, d->name, "name"), type);
    for (size_t i = 0; i < d->n_values; i++)     /* distinct values: sema.c checked */
        em(e, "    case %s: return \"%s\";\n", nm_const(e->n, d->name, d->values[i].name),
           d->values[i].name);
    em(e, "    default: return NULL;\n    }\n}\n\n");
}

static void emit_kind_name_fn(emitter *e, const decl *d)
{
    em(e, "/* The IDL name of %s %s variant, or NULL for an unknown tag. */\n",
       article(d->name), d->name);
    em(e, "static inline const char *%s(%s tag)\n{\n    static const char *const names[] = {\n",
       nm_type_fn(e->n, d->name, "kind_name"), nm_type_fn(e->n, d->name, "kind"));
    for (size_t i = 0; i < d->n_variants; i++)
        em(e, "        \"%s\",\n", d->variants[i].name);
    em(e, "    };\n"
          "    return (uint32_t)tag < sizeof names / sizeof names[0] ? names[tag] : NULL;\n"
          "}\n\n");
}

/* ---- helpers of type expressions ------------------------------------- */

/* Statements returning the "nothing here" value of a read type. */
static void emit_return_zero(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING:
        em(e, "    grite_str none = { \"\", 0 };\n    return none;\n");
        return;
    case TY_BYTES:
        em(e, "    grite_bytes none = { NULL, 0 };\n    return none;\n");
        return;
    case TY_BOOL:
        em(e, "    return false;\n");
        return;
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            em(e, "    return (%s)0;\n", nm_type(e->n, t->name));
        else
            em(e, "    return NULL;\n");
        return;
    case TY_VECTOR: case TY_ARRAY:
        em(e, "    %s none = { NULL, 0 };\n    return none;\n", nm_helper(e->n, t));
        return;
    case TY_OPTIONAL:
        em(e, "    return NULL;\n");
        return;
    default:
        em(e, "    return 0;\n");
        return;
    }
}

static void emit_vector_fns(emitter *e, const type_ref *t)
{
    const char *view = nm_helper(e->n, t);
    const type_ref *el = t->elem;
    if (t->kind == TY_VECTOR)
        em(e, "static inline %s %s(const void *ref)\n{\n    %s v;\n"
              "    v.ptr = grite_ref_target(ref);\n"
              "    v.len = grite_ld_u32((const uint8_t *)ref + 4);\n    return v;\n}\n\n",
           view, nm_helper_fn(e->n, t, "view_"), view);
    else
        em(e, "static inline %s %s(const void *array)\n{\n    %s v;\n"
              "    v.ptr = (const uint8_t *)array;\n    v.len = %" PRIu64 ";\n    return v;\n}\n\n",
           view, nm_helper_fn(e->n, t, "view_"), view, t->array_len);
    em(e, "static inline %s%s(%s v, size_t i)\n{\n    assert(i < v.len);\n"
          "    return %s;\n}\n\n",
       ret_space(e, read_type(e, el)), nm_helper_fn(e->n, t, "at"), view,
       read_expr(e, el, element_at(e, "v.ptr", "i", layout_size(el))));
}

static void emit_optional_fns(emitter *e, const type_ref *t)
{
    const char *type = nm_helper(e->n, t);
    const char *text = idl_type_text(e, t);
    em(e, "/* Whether %s %s holds a value, and the value (zero, empty or NULL if not). */\n",
       article(text), text);
    em(e, "static inline bool %s(const %s *o)\n{\n    return o->present != 0;\n}\n\n",
       nm_helper_fn(e->n, t, "has"), type);
    em(e, "static inline %s%s(const %s *o)\n{\n    if (o->present != 0)\n        return %s;\n",
       ret_space(e, read_type(e, t->elem)), nm_helper_fn(e->n, t, "value"), type,
       read_expr(e, t->elem, "&o->value"));
    emit_return_zero(e, t->elem);
    em(e, "}\n\n");
}

/* ---- fields ---------------------------------------------------------- */

static void emit_field_accessor(emitter *e, const char *owner, const field *f)
{
    const char *type = nm_type(e->n, owner);
    const type_ref *t = f->type;
    const char *addr = nm_fmt(e->n, "&p->%s", f->name);
    em_doc(e, f->doc, "");
    if (t->kind == TY_OPTIONAL) {
        em(e, "static inline bool %s(const %s *p)\n{\n    return %s(%s);\n}\n",
           nm_type_fn2(e->n, owner, "has", f->name), type, nm_helper_fn(e->n, t, "has"), addr);
        em(e, "static inline %s%s(const %s *p)\n{\n    return %s(%s);\n}\n\n",
           ret_space(e, read_type(e, t->elem)), nm_type_fn(e->n, owner, f->name), type,
           nm_helper_fn(e->n, t, "value"), addr);
        return;
    }
    bool by_address = t->kind == TY_NAMED && t->decl->kind != DECL_ENUM;
    em(e, "static inline %s%s(const %s *p)\n{\n    return %s;\n}\n\n",
       ret_space(e, read_type(e, t)),
       nm_type_fn(e->n, owner, f->name), type, by_address ? addr : read_expr(e, t, addr));
}

static void emit_field_accessors(emitter *e, const char *owner, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        emit_field_accessor(e, owner, &fl->items[i]);
}

static void emit_union_accessors(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    const char *kind = nm_type_fn(e->n, d->name, "kind");
    em(e, "/* ---- %s ---- */\n\n", d->name);
    em(e, "/* Which variant this is%s. */\n", d->is_open ? " (may be a tag this schema does not know)" : "");
    em(e, "static inline %s %s(const %s *u)\n{\n    return (%s)grite_ld_u32(&u->tag);\n}\n\n",
       kind, nm_type_fn(e->n, d->name, "tag"), type, kind);
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        const char *payload = nm_type(e->n, payload_base(e, d, v));
        em(e, "/* The %s payload, or NULL if u holds another variant. */\n", v->name);
        em(e, "static inline const %s *%s(const %s *u)\n{\n"
              "    if (grite_ld_u32(&u->tag) != %s)\n        return NULL;\n"
              "    return (const %s *)grite_ref_target(&u->offset);\n}\n\n",
           payload, nm_type_fn2(e->n, d->name, "as", v->name), type,
           nm_const(e->n, d->name, v->name), payload);
    }
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (variant_has_payload(v))
            emit_field_accessors(e, payload_base(e, d, v), &v->fields);
    }
}

void emit_access(emitter *e)
{
    const schema *s = e->s;
    em(e, "/* ---- names of enum values and union variants ---- */\n\n");
    for (size_t i = 0; i < s->n_decls; i++) {
        if (s->decls[i]->kind == DECL_ENUM)
            emit_enum_name_fn(e, s->decls[i]);
        else if (s->decls[i]->kind == DECL_UNION)
            emit_kind_name_fn(e, s->decls[i]);
    }
    if (e->n_exprs)
        em(e, "/* ---- reading vectors, arrays and optionals ---- */\n\n");
    for (size_t i = 0; i < e->n_exprs; i++) {
        if (e->exprs[i]->kind == TY_OPTIONAL)
            emit_optional_fns(e, e->exprs[i]);
        else
            emit_vector_fns(e, e->exprs[i]);
    }
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        if (d->kind == DECL_STRUCT) {
            em(e, "/* ---- %s ---- */\n\n", d->name);
            emit_field_accessors(e, d->name, &d->fields);
        } else if (d->kind == DECL_UNION) {
            emit_union_accessors(e, d);
        }
    }
}
