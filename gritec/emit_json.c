/*
 * emit_json.c - JSON printing: P_T_to_json(v, out) for every struct, union
 * and variant payload, writing a validated value through the runtime's
 * streaming writer (<grite/json.h>). The mapping is docs/JSON.md:
 *
 *   struct            {"field": value, ...} in declaration order
 *   union             {"Variant": {fields}}, {"Variant": {}} for a variant
 *                     without fields, {"unknown": tag} for a tag the schema
 *                     does not know (an open union's newer variant)
 *   enum              "Name", or the number if the value is not declared
 *   T? absent         null
 *   [T], [T; N]       [...], except u8 sequences: a lowercase hex string
 *   bytes             a lowercase hex string
 *   string            an escaped string
 *   numbers, bool     exact integers, round-trip floats (NaN, Inf: null)
 *
 * The generated code reads through the accessors (emit_access.c), so it is
 * exactly as safe as they are: only on a buffer the validator accepted.
 * It recurses along the archive's nesting, which the validator bounded.
 */
#include <string.h>

#include "emit_internal.h"

/* ---- one value --------------------------------------------------------- */

static bool is_u8_sequence(const type_ref *t)
{
    return (t->kind == TY_VECTOR || t->kind == TY_ARRAY) && t->elem->kind == TY_U8;
}

static const char *writer_of_scalar(type_kind k)
{
    switch (k) {
    case TY_U8: case TY_U16: case TY_U32: case TY_U64: return "grite_json_u64";
    case TY_I8: case TY_I16: case TY_I32: case TY_I64: return "grite_json_i64";
    case TY_F32: return "grite_json_f32";
    case TY_F64: return "grite_json_f64";
    case TY_BOOL: return "grite_json_bool";
    default: return "?";
    }
}

/* The statement writing `x`, a value of type t as its accessor returns it
 * (read_type: a view, a pointer for structs, unions and optionals). */
static const char *write_stmt(emitter *e, const type_ref *t, const char *x)
{
    switch (t->kind) {
    case TY_STRING: return nm_fmt(e->n, "grite_json_str(out, %s);", x);
    case TY_BYTES: return nm_fmt(e->n, "grite_json_bytes(out, %s);", x);
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            return nm_fmt(e->n, "%s(%s, out);", nm_type_fn(e->n, t->name, "json_"), x);
        return nm_fmt(e->n, "%s(%s, out);", nm_type_fn(e->n, t->name, "to_json"), x);
    case TY_VECTOR: case TY_ARRAY: case TY_OPTIONAL:
        return nm_fmt(e->n, "%s(%s, out);", nm_helper_fn(e->n, t, "json_"), x);
    default:
        return nm_fmt(e->n, "%s(out, %s);", writer_of_scalar(t->kind), x);
    }
}

/* `if (has) write(value) else null`, indented by `indent`. */
static void emit_optional_write(emitter *e, const type_ref *elem, const char *has,
                                const char *value, const char *indent)
{
    em(e, "%sif (%s)\n%s    %s\n%selse\n%s    grite_json_null(out);\n", indent, has, indent,
       write_stmt(e, elem, value), indent, indent);
}

/* ---- enums and type expressions ---------------------------------------- */

static void emit_enum_json(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    em(e, "/* Print %s %s as its name, or as its number if it is not declared. */\n",
       article(d->name), d->name);
    em(e, "static inline void %s(%s v, grite_json *out)\n{\n"
          "    const char *name = %s(v);\n"
          "    if (name)\n        grite_json_cstr(out, name);\n"
          "    else\n        %s(out, (%s)v);\n}\n\n",
       nm_type_fn(e->n, d->name, "json_"), type, nm_type_fn(e->n, d->name, "name"),
       enum_is_signed(d) ? "grite_json_i64" : "grite_json_u64",
       enum_is_signed(d) ? "int64_t" : "uint64_t");
}

static const char *helper_signature(emitter *e, const type_ref *t)
{
    const char *arg = t->kind == TY_OPTIONAL ? nm_fmt(e->n, "const %s *o", nm_helper(e->n, t))
                                             : nm_fmt(e->n, "%s v", nm_helper(e->n, t));
    return nm_fmt(e->n, "static inline void %s(%s, grite_json *out)",
                  nm_helper_fn(e->n, t, "json_"), arg);
}

static void emit_sequence_json(emitter *e, const type_ref *t)
{
    em(e, "%s\n{\n", helper_signature(e, t));
    if (is_u8_sequence(t)) {
        em(e, "    grite_json_hex(out, v.ptr, v.len);   /* u8 sequences print as hex, like bytes */\n"
              "}\n\n");
        return;
    }
    em(e, "    grite_json_begin_array(out);\n"
          "    for (size_t i = 0; i < v.len; i++)\n        %s\n"
          "    grite_json_end_array(out);\n}\n\n",
       write_stmt(e, t->elem, nm_fmt(e->n, "%s(v, i)", nm_helper_fn(e->n, t, "at"))));
}

static void emit_optional_json(emitter *e, const type_ref *t)
{
    em(e, "%s\n{\n", helper_signature(e, t));
    emit_optional_write(e, t->elem, nm_fmt(e->n, "%s(o)", nm_helper_fn(e->n, t, "has")),
                        nm_fmt(e->n, "%s(o)", nm_helper_fn(e->n, t, "value")), "    ");
    em(e, "}\n\n");
}

/* ---- structs, payloads, unions ----------------------------------------- */

static const char *to_json_signature(emitter *e, const char *owner, const char *param)
{
    return nm_fmt(e->n, "static inline int %s(const %s *%s, grite_json *out)",
                  nm_type_fn(e->n, owner, "to_json"), nm_type(e->n, owner), param);
}

static void emit_field_json(emitter *e, const char *owner, const field *f)
{
    em(e, "    grite_json_key(out, \"%s\");\n", f->name);
    if (f->type->kind == TY_OPTIONAL) {
        emit_optional_write(e, f->type->elem,
                            nm_fmt(e->n, "%s(v)", nm_type_fn2(e->n, owner, "has", f->name)),
                            nm_fmt(e->n, "%s(v)", nm_type_fn(e->n, owner, f->name)), "    ");
        return;
    }
    em(e, "    %s\n", write_stmt(e, f->type, nm_fmt(e->n, "%s(v)", nm_type_fn(e->n, owner, f->name))));
}

/* The object of a struct's or a payload's fields (owner: T or U_V). */
static void emit_fields_json(emitter *e, const char *owner, const field_list *fl)
{
    em(e, "%s\n{\n    grite_json_begin_object(out);\n", to_json_signature(e, owner, "v"));
    for (size_t i = 0; i < fl->len; i++)
        emit_field_json(e, owner, &fl->items[i]);
    em(e, "    grite_json_end_object(out);\n    return grite_json_status(out);\n}\n\n");
}

static void emit_variant_case(emitter *e, const decl *d, const variant *v)
{
    em(e, "    case %s:\n        grite_json_key(out, \"%s\");\n",
       nm_const(e->n, d->name, v->name), v->name);
    if (variant_has_payload(v))
        em(e, "        %s(%s(u), out);\n",
           nm_type_fn(e->n, payload_base(e, d, v), "to_json"),
           nm_type_fn2(e->n, d->name, "as", v->name));
    else
        em(e, "        grite_json_empty_object(out);\n");
    em(e, "        break;\n");
}

static void emit_union_json(emitter *e, const decl *d)
{
    em(e, "/*\n"
          " * Write %s %s as {\"Variant\": {fields}} (docs/JSON.md), or as\n"
          " * {\"unknown\": tag} for a tag this schema does not know. u must come from\n"
          " * a validated buffer. Returns grite_json_status(out).\n"
          " */\n", article(d->name), d->name);
    em(e, "%s\n{\n    grite_json_begin_object(out);\n    switch (%s(u)) {\n",
       to_json_signature(e, d->name, "u"), nm_type_fn(e->n, d->name, "tag"));
    for (size_t i = 0; i < d->n_variants; i++)
        emit_variant_case(e, d, &d->variants[i]);
    em(e, "    default:%s\n"
          "        grite_json_key(out, \"unknown\");\n"
          "        grite_json_u64(out, grite_ld_u32(&u->tag));\n        break;\n    }\n"
          "    grite_json_end_object(out);\n    return grite_json_status(out);\n}\n\n",
       d->is_open ? "     /* open: a variant from a newer schema */"
                  : "     /* closed: only in a buffer the validator did not accept */");
}

/* ---- the whole section ------------------------------------------------- */

static void emit_prototypes(emitter *e)
{
    em(e, "/* Declared first: types may refer to one another through vectors. */\n");
    for (size_t i = 0; i < e->n_exprs; i++)
        em(e, "%s;\n", helper_signature(e, e->exprs[i]));
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_ENUM)
            continue;
        em(e, "%s;\n", to_json_signature(e, d->name, d->kind == DECL_UNION ? "u" : "v"));
        for (size_t k = 0; k < d->n_variants; k++)
            if (variant_has_payload(&d->variants[k]))
                em(e, "%s;\n", to_json_signature(e, payload_base(e, d, &d->variants[k]), "v"));
    }
    em(e, "\n");
}

static void emit_decl_json(emitter *e, const decl *d)
{
    if (d->kind == DECL_STRUCT) {
        em(e, "/*\n"
              " * Write %s %s as a JSON object, its fields in declaration order\n"
              " * (docs/JSON.md). v must come from a validated buffer. Returns\n"
              " * grite_json_status(out): 0, or why the text is incomplete.\n"
              " */\n", article(d->name), d->name);
        emit_fields_json(e, d->name, &d->fields);
        return;
    }
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        em(e, "/* The %s payload of %s %s, as a JSON object of its fields. */\n", v->name,
           article(d->name), d->name);
        emit_fields_json(e, payload_base(e, d, v), &v->fields);
    }
    emit_union_json(e, d);
}

void emit_json(emitter *e)
{
    const schema *s = e->s;
    em(e, "/* ---- JSON: P_T_to_json() prints a validated value (docs/JSON.md) ---- */\n\n");
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind == DECL_ENUM)
            emit_enum_json(e, s->decls[i]);
    emit_prototypes(e);
    for (size_t i = 0; i < e->n_exprs; i++) {
        if (e->exprs[i]->kind == TY_OPTIONAL)
            emit_optional_json(e, e->exprs[i]);
        else
            emit_sequence_json(e, e->exprs[i]);
    }
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind != DECL_ENUM)
            emit_decl_json(e, s->decls[i]);
}
