/*
 * emit_validate.c - validators: docs/FORMAT.md 1.5-1.6 as straight-line
 * code. One `check_` function per type that needs checking, walking the
 * archive in the same depth-first pre-order builders write it, with the
 * forward cursor and limit of grite_vctx. No function pointers, no
 * allocation; on failure each level prepends its path segment as the
 * error unwinds, so success never pays for paths.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit_internal.h"

/* ---- value checks of enums (shared with builders) -------------------- */

static const char *value_literal(emitter *e, const decl *d, int64_t v)
{
    if (!enum_is_signed(d))
        return (uint64_t)v > UINT32_MAX ? nm_fmt(e->n, "UINT64_C(%" PRIu64 ")", (uint64_t)v)
                                        : nm_fmt(e->n, "%" PRIu64 "u", (uint64_t)v);
    if (v == INT64_MIN)
        return "(-INT64_C(9223372036854775807) - 1)";
    if (v < INT32_MIN || v > INT32_MAX)
        return nm_fmt(e->n, "INT64_C(%" PRId64 ")", v);
    return nm_fmt(e->n, "%" PRId64, v);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The declared values, sorted, without repeats; returns how many. */
static size_t sorted_values(const decl *d, int64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_values; i++)
        out[n++] = d->values[i].value;
    qsort(out, n, sizeof *out, cmp_i64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || out[k - 1] != out[i])
            out[k++] = out[i];
    return k;
}

static void emit_closed_valid_body(emitter *e, const decl *d)
{
    int64_t *vals = malloc((d->n_values + 1) * sizeof *vals);
    if (!vals)
        abort();
    size_t n = sorted_values(d, vals);
    /* The span in unsigned arithmetic: INT64_MAX - INT64_MIN overflows int64_t. */
    bool contiguous = n > 0 && (uint64_t)vals[n - 1] - (uint64_t)vals[0] == n - 1;
    if (n == 0) {
        em(e, "    (void)v;\n    return false;\n");
    } else if (contiguous && vals[0] == 0 && !enum_is_signed(d)) {
        em(e, "    return v <= %s;\n", value_literal(e, d, vals[n - 1]));
    } else if (contiguous) {
        em(e, "    return v >= %s && v <= %s;\n", value_literal(e, d, vals[0]),
           value_literal(e, d, vals[n - 1]));
    } else {
        em(e, "    switch (v) {\n");
        for (size_t i = 0; i < n; i++)
            em(e, "    case %s:\n", value_literal(e, d, vals[i]));
        em(e, "        return true;\n    default:\n        return false;\n    }\n");
    }
    free(vals);
}

static void emit_open_valid_body(emitter *e, const decl *d)
{
    switch (d->underlying) {
    case TY_U8: em(e, "    return v <= UINT8_MAX;\n"); return;
    case TY_U16: em(e, "    return v <= UINT16_MAX;\n"); return;
    case TY_U32: em(e, "    return v <= UINT32_MAX;\n"); return;
    case TY_I8: em(e, "    return v >= INT8_MIN && v <= INT8_MAX;\n"); return;
    case TY_I16: em(e, "    return v >= INT16_MIN && v <= INT16_MAX;\n"); return;
    case TY_I32: em(e, "    return v >= INT32_MIN && v <= INT32_MAX;\n"); return;
    default: em(e, "    (void)v;\n    return true;\n"); return;
    }
}

static void emit_enum_checks(emitter *e, const decl *d)
{
    em(e, "/* Can v be stored as %s %s? (%s) */\n", article(d->name), d->name,
       d->is_open ? "open: any value of its type" : "closed: declared values only");
    em(e, "static inline bool %s(%s v)\n{\n", nm_type_fn(e->n, d->name, "valid_"),
       enum_is_signed(d) ? "int64_t" : "uint64_t");
    if (d->is_open)
        emit_open_valid_body(e, d);
    else
        emit_closed_valid_body(e, d);
    em(e, "}\n\n");
    if (d->is_open)
        return;
    em(e, "static inline int %s(grite_vctx *c, uint64_t at)\n{\n"
          "    if (GRITE_LIKELY(%s(grite_ld_%s(c->base + at))))\n        return 0;\n"
          "    return grite_v_fail(c, GRITE_VERROR_BAD_ENUM_VALUE, at);\n}\n\n",
       nm_type_fn(e->n, d->name, "check_"), nm_type_fn(e->n, d->name, "valid_"),
       scalar_suffix(d->underlying));
}

/* ---- calls ------------------------------------------------------------ */

static const char *pos(emitter *e, const char *base, uint64_t off)
{
    return off ? nm_fmt(e->n, "%s + %" PRIu64, base, off) : base;
}

/* The call checking a value of type t at `at` in an object at `depth`, or
 * NULL if any bytes are a valid t. *uses_depth says whether it reads depth. */
static const char *check_call(emitter *e, const type_ref *t, const char *at, const char *depth,
                              bool *uses_depth)
{
    if (!needs_check(e, t))
        return NULL;
    switch (t->kind) {
    case TY_BOOL:
        return nm_fmt(e->n, "grite_v_bool(c, %s)", at);
    case TY_STRING:
        *uses_depth = true;
        return nm_fmt(e->n, "grite_v_str(c, %s, %s)", at, depth);
    case TY_BYTES:
        *uses_depth = true;
        return nm_fmt(e->n, "grite_v_bytes(c, %s, %s)", at, depth);
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            return nm_fmt(e->n, "%s(c, %s)", nm_type_fn(e->n, t->name, "check_"), at);
        *uses_depth = true;
        return nm_fmt(e->n, "%s(c, %s, %s)", nm_type_fn(e->n, t->name, "check_"), at, depth);
    default:
        *uses_depth = true;
        return nm_fmt(e->n, "%s(c, %s, %s)", nm_helper_fn(e->n, t, "check_"), at, depth);
    }
}

static const char *check_signature(emitter *e, const char *fn)
{
    return nm_fmt(e->n, "static inline int %s(grite_vctx *c, uint64_t at, uint32_t depth)", fn);
}

/* ---- vectors, optionals, arrays -------------------------------------- */

static void emit_vector_check(emitter *e, const type_ref *t)
{
    const type_ref *el = t->elem;
    bool uses = false;
    const char *call = check_call(e, el, element_at(e, "t", "(uint64_t)i", layout_size(el)),
                                  "depth + 1", &uses);
    em(e, "%s\n{\n    uint64_t t;\n    uint32_t n;\n", check_signature(e, nm_helper_fn(e->n, t, "check_")));
    em(e, "    int rc = grite_v_claim(c, at, depth, %" PRIu32 ", %" PRIu32 ", 0, &t, &n);\n",
       layout_size(el), layout_align(el));
    if (!call) {
        em(e, "    return rc;\n}\n\n");
        return;
    }
    em(e, "    if (rc != 0)\n        return rc;\n"
          "    for (uint32_t i = 0; i < n; i++)\n"
          "        if ((rc = %s) != 0)\n            return grite_v_in_index(c, rc, i);\n"
          "    return 0;\n}\n\n", call);
}

static void emit_optional_check(emitter *e, const type_ref *t)
{
    bool uses = false;
    const char *call = check_call(e, t->elem, pos(e, "at", layout_align(t->elem)), "depth", &uses);
    em(e, "%s\n{\n", check_signature(e, nm_helper_fn(e->n, t, "check_")));
    if (!uses)
        em(e, "    (void)depth;\n");
    em(e, "    bool present;\n");
    if (!call) {
        em(e, "    return grite_v_option(c, at, &present);\n}\n\n");
        return;
    }
    em(e, "    int rc = grite_v_option(c, at, &present);\n"
          "    if (rc != 0 || !present)\n        return rc;\n"
          "    return %s;\n}\n\n", call);
}

static void emit_array_check(emitter *e, const type_ref *t)
{
    bool uses = false;
    const char *call = check_call(e, t->elem,
                                  element_at(e, "at", "(uint64_t)i", layout_size(t->elem)),
                                  "depth", &uses);
    em(e, "%s\n{\n    int rc;\n", check_signature(e, nm_helper_fn(e->n, t, "check_")));
    if (!uses)
        em(e, "    (void)depth;\n");
    em(e, "    for (uint32_t i = 0; i < %" PRIu64 "u; i++)\n"
          "        if ((rc = %s) != 0)\n            return grite_v_in_index(c, rc, i);\n"
          "    return 0;\n}\n\n", t->array_len, call);
}

/* ---- structs and unions ---------------------------------------------- */

static void emit_fields_check(emitter *e, const char *fn, const field_list *fl)
{
    em(e, "%s\n{\n    int rc;\n", check_signature(e, fn));
    size_t body_start = e->out->len;
    bool uses = false;
    for (size_t i = 0; i < fl->len; i++) {
        const field *f = &fl->items[i];
        const char *call = check_call(e, f->type, pos(e, "at", f->offset), "depth", &uses);
        if (call)
            em(e, "    if ((rc = %s) != 0)\n        return grite_v_in_field(c, rc, \"%s\");\n",
               call, f->name);
    }
    if (!uses) {   /* say so before the checks, where a reader looks */
        strbuf rest = STRBUF_INIT;
        sb_puts(&rest, e->out->data + body_start);
        sb_truncate(e->out, body_start);
        em(e, "    (void)depth;\n%s", sb_str(&rest));
        sb_free(&rest);
    }
    em(e, "    return 0;\n}\n\n");
}

static void emit_union_check(emitter *e, const decl *d)
{
    bool any_payload = false;
    for (size_t i = 0; i < d->n_variants; i++)
        any_payload = any_payload || variant_has_payload(&d->variants[i]);
    em(e, "%s\n{\n", check_signature(e, nm_type_fn(e->n, d->name, "check_")));
    if (any_payload)
        em(e, "    uint64_t t, saved_limit;\n    int rc;\n");
    else if (!d->is_open)
        em(e, "    (void)depth;   /* only payloads and unknown variants nest */\n");
    em(e, "    switch (grite_ld_u32(c->base + at)) {\n");
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        if (!variant_has_payload(v))
            continue;
        em(e, "    case %s:\n", nm_const(e->n, d->name, v->name));
        em(e, "        if ((rc = grite_v_payload_begin(c, at, depth, %" PRIu32 ", %" PRIu32
              ", &t, &saved_limit)) != 0)\n            return rc;\n", v->size, v->align);
        if (fields_need_check(e, &v->fields))
            em(e, "        if ((rc = %s(c, t, depth + 1)) != 0)\n"
                  "            return grite_v_in_field(c, rc, \"%s\");\n",
               nm_type_fn(e->n, payload_base(e, d, v), "check_"), v->name);
        em(e, "        grite_v_payload_end(c, saved_limit);\n        return 0;\n");
    }
    if (emit_fieldless_cases(e, d))
        em(e, "        return grite_v_empty_variant(c, at);\n");
    if (d->is_open)
        em(e, "    default:     /* open: a newer variant, stepped over unread */\n"
              "        return grite_v_unknown_variant(c, at, depth);\n");
    else
        em(e, "    default:\n        return grite_v_fail(c, GRITE_VERROR_BAD_UNION_TAG, at);\n");
    em(e, "    }\n}\n\n");
}

/* ---- the whole section ----------------------------------------------- */

static void emit_prototypes(emitter *e)
{
    em(e, "/* Declared first: types may refer to one another through vectors. */\n");
    for (size_t i = 0; i < e->n_exprs; i++)
        if (needs_check(e, e->exprs[i]))
            em(e, "%s;\n", check_signature(e, nm_helper_fn(e->n, e->exprs[i], "check_")));
    for (size_t i = 0; i < e->s->n_decls; i++) {
        const decl *d = e->s->decls[i];
        if (d->kind == DECL_ENUM)
            continue;
        if (d->kind == DECL_UNION || fields_need_check(e, &d->fields))
            em(e, "%s;\n", check_signature(e, nm_type_fn(e->n, d->name, "check_")));
        for (size_t v = 0; v < d->n_variants; v++)
            if (fields_need_check(e, &d->variants[v].fields))
                em(e, "%s;\n", check_signature(e, nm_type_fn(e->n, payload_base(e, d, &d->variants[v]),
                                                            "check_")));
    }
    em(e, "\n");
}

static void emit_public(emitter *e, const decl *d)
{
    const char *type = nm_type(e->n, d->name);
    bool checks = d->kind == DECL_UNION || fields_need_check(e, &d->fields);
    em(e, "/*\n"
          " * Check that buf[0..len) holds a valid archive whose root is %s %s\n"
          " * (docs/FORMAT.md 1.6), with at most max_depth levels of out-of-line\n"
          " * nesting. Returns 0, or the GRITE_VERROR_* code also stored in *err\n"
          " * (which may be NULL) with the offset and path of the failure.\n"
          " */\n", article(d->name), d->name);
    em(e, "static inline int %s(const void *buf, size_t len, uint32_t max_depth,\n"
          "%*sgrite_verror *err)\n{\n    grite_vctx c;\n"
          "    int rc = grite_v_begin(&c, buf, len, %" PRIu32 ", max_depth, err);\n",
       nm_type_fn(e->n, d->name, "validate_depth"),
       (int)(strlen(nm_type_fn(e->n, d->name, "validate_depth")) + 19), "", d->size);
    if (checks)
        em(e, "    if (rc == 0)\n        rc = %s(&c, 0, 0);\n", nm_type_fn(e->n, d->name, "check_"));
    em(e, "    return grite_v_end(&c, rc);\n}\n\n");
    em(e, "/* %s with the default nesting limit, GRITE_VALIDATE_MAX_DEPTH. */\n",
       nm_type_fn(e->n, d->name, "validate_depth"));
    em(e, "static inline int %s(const void *buf, size_t len, grite_verror *err)\n{\n"
          "    return %s(buf, len, GRITE_VALIDATE_MAX_DEPTH, err);\n}\n\n",
       nm_type_fn(e->n, d->name, "validate"), nm_type_fn(e->n, d->name, "validate_depth"));
    em(e, "/* The root of a buffer %s accepted. */\n", nm_type_fn(e->n, d->name, "validate"));
    em(e, "static inline const %s *%s(const void *buf)\n{\n    return (const %s *)buf;\n}\n\n",
       type, nm_type_fn(e->n, d->name, "root"), type);
}

void emit_validators(emitter *e)
{
    const schema *s = e->s;
    em(e, "/* ---- validators ---- */\n\n");
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind == DECL_ENUM)
            emit_enum_checks(e, s->decls[i]);
    emit_prototypes(e);
    for (size_t i = 0; i < e->n_exprs; i++) {
        const type_ref *t = e->exprs[i];
        if (!needs_check(e, t))
            continue;
        if (t->kind == TY_VECTOR)
            emit_vector_check(e, t);
        else if (t->kind == TY_OPTIONAL)
            emit_optional_check(e, t);
        else
            emit_array_check(e, t);
    }
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        if (d->kind == DECL_STRUCT && fields_need_check(e, &d->fields))
            emit_fields_check(e, nm_type_fn(e->n, d->name, "check_"), &d->fields);
        if (d->kind != DECL_UNION)
            continue;
        for (size_t v = 0; v < d->n_variants; v++)
            if (fields_need_check(e, &d->variants[v].fields))
                emit_fields_check(e, nm_type_fn(e->n, payload_base(e, d, &d->variants[v]), "check_"),
                                  &d->variants[v].fields);
        emit_union_check(e, d);
    }
    for (size_t i = 0; i < s->n_decls; i++)
        if (s->decls[i]->kind != DECL_ENUM)
            emit_public(e, s->decls[i]);
}
