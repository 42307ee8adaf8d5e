/*
 * emit_c.c - the generated header: its frame (banner, guard, constants)
 * and the C spelling of type expressions that every other part uses.
 * The sections themselves are in emit_types.c, emit_access.c,
 * emit_validate.c, emit_json.c and emit_build.c (see emit_internal.h).
 *
 * Output depends only on the schema and the IDL file's base name, so it is
 * byte-for-byte reproducible.
 */
#include "emit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "emit_internal.h"
#include "fingerprint.h"

void em(emitter *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(e->out, fmt, ap);
    va_end(ap);
}

/* Copy doc text into a C comment: nothing in it may end the comment, start
 * a nested one, form a trigraph or be a control character. */
static void put_comment_text(emitter *e, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        char next = i + 1 < n ? s[i + 1] : '\0';
        if ((c == '*' && next == '/') || (c == '/' && next == '*') || (c == '?' && next == '?')) {
            em(e, "%c ", c);
            continue;
        }
        if ((unsigned char)c < 0x20 || c == 0x7f)
            c = ' ';
        sb_putc(e->out, c);
    }
}

/* Each line of doc as `prefix text`. */
static void em_doc_lines(emitter *e, const char *doc, const char *prefix)
{
    for (const char *line = doc; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        em(e, "%s", prefix);
        if (len)
            sb_putc(e->out, ' ');
        put_comment_text(e, line, len);
        em(e, "\n");
        line += len + (end ? 1 : 0);
    }
}

void em_doc(emitter *e, const char *doc, const char *indent)
{
    if (!doc || !*doc)
        return;
    if (!strchr(doc, '\n')) {
        em(e, "%s/* ", indent);
        put_comment_text(e, doc, strlen(doc));
        em(e, " */\n");
        return;
    }
    em(e, "%s/*\n", indent);
    em_doc_lines(e, doc, nm_fmt(e->n, "%s *", indent));
    em(e, "%s */\n", indent);
}

enum { COMMENT_WIDTH = 100 };

void em_doc2(emitter *e, const char *first, const char *second, const char *indent)
{
    if (!first || !*first) {
        em_doc(e, second, indent);
        return;
    }
    if (!second || !*second) {
        em_doc(e, first, indent);
        return;
    }
    bool one_line = !strchr(first, '\n') && !strchr(second, '\n') &&
                    strlen(indent) + strlen(first) + strlen(second) + 7 <= COMMENT_WIDTH;
    em_doc(e, nm_fmt(e->n, "%s%s%s", first, one_line ? " " : "\n", second), indent);
}

const char *element_at(emitter *e, const char *base, const char *i, uint32_t size)
{
    if (size == 1)
        return nm_fmt(e->n, "%s + %s", base, i);
    return nm_fmt(e->n, "%s + %s * %" PRIu32, base, i, size);
}

const char *idl_type_text(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED: return t->name;
    case TY_VECTOR: return nm_fmt(e->n, "[%s]", idl_type_text(e, t->elem));
    case TY_OPTIONAL: return nm_fmt(e->n, "%s?", idl_type_text(e, t->elem));
    case TY_ARRAY:
        return nm_fmt(e->n, "[%s; %" PRIu64 "]", idl_type_text(e, t->elem), t->array_len);
    default: return ast_type_kind_name(t->kind);
    }
}

const char *scalar_suffix(type_kind k)
{
    return ast_type_kind_name(k);   /* u8 .. f64, bool */
}

const char *scalar_c_type(type_kind k)
{
    switch (k) {
    case TY_U8: return "uint8_t";
    case TY_U16: return "uint16_t";
    case TY_U32: return "uint32_t";
    case TY_U64: return "uint64_t";
    case TY_I8: return "int8_t";
    case TY_I16: return "int16_t";
    case TY_I32: return "int32_t";
    case TY_I64: return "int64_t";
    case TY_F32: return "float";
    case TY_F64: return "double";
    case TY_BOOL: return "bool";
    default: return "?";
    }
}

const char *enum_storage_type(const decl *d)
{
    return scalar_c_type(d->underlying);
}

bool enum_is_signed(const decl *d)
{
    return d->underlying == TY_I8 || d->underlying == TY_I16 || d->underlying == TY_I32 ||
           d->underlying == TY_I64;
}

bool enum_is_c_enum(const decl *d)
{
    if (d->underlying == TY_U64 || d->underlying == TY_I64)
        return false;
    for (size_t i = 0; i < d->n_values; i++)
        if (d->values[i].value < INT32_MIN || d->values[i].value > INT32_MAX)
            return false;
    return true;
}

bool variant_has_payload(const variant *v)
{
    return v->fields.len > 0;
}

bool emit_fieldless_cases(emitter *e, const decl *d)
{
    bool any = false;
    for (size_t i = 0; i < d->n_variants; i++) {
        if (variant_has_payload(&d->variants[i]))
            continue;
        em(e, "    case %s:\n", nm_const(e->n, d->name, d->variants[i].name));
        any = true;
    }
    return any;
}

const char *payload_base(emitter *e, const decl *u, const variant *v)
{
    return nm_payload_base(e->n, u->name, v->name);
}

/* The innermost element of nested arrays, and their dimensions. */
static const type_ref *array_base(emitter *e, const type_ref *t, const char **dims)
{
    const char *d = "";
    while (t->kind == TY_ARRAY) {
        d = nm_fmt(e->n, "%s[%" PRIu64 "]", d, t->array_len);
        t = t->elem;
    }
    *dims = d;
    return t;
}

static const char *archived_type(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: case TY_BYTES: case TY_VECTOR: return "grite_ref";
    case TY_BOOL: return "uint8_t";
    case TY_NAMED:
        return t->decl->kind == DECL_ENUM ? enum_storage_type(t->decl) : nm_type(e->n, t->name);
    case TY_OPTIONAL: return nm_helper(e->n, t);
    default: return scalar_c_type(t->kind);
    }
}

const char *archived_decl(emitter *e, const type_ref *t, const char *name)
{
    const char *dims;
    const type_ref *b = array_base(e, t, &dims);
    return nm_fmt(e->n, "%s %s%s", archived_type(e, b), name, dims);
}

static const char *input_type(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: return "grite_str";
    case TY_BYTES: return "grite_bytes";
    case TY_NAMED:
        return t->decl->kind == DECL_ENUM ? nm_type(e->n, t->name)
                                          : nm_type_fn(e->n, t->name, "in");
    case TY_VECTOR: case TY_OPTIONAL: return nm_helper_fn(e->n, t, "in");
    default: return scalar_c_type(t->kind);
    }
}

const char *input_decl(emitter *e, const type_ref *t, const char *name)
{
    const char *dims;
    const type_ref *b = array_base(e, t, &dims);
    return nm_fmt(e->n, "%s %s%s", input_type(e, b), name, dims);
}

const char *input_ptr_decl(emitter *e, const type_ref *t, const char *name)
{
    const char *dims;
    const type_ref *b = array_base(e, t, &dims);
    if (*dims)
        return nm_fmt(e->n, "const %s (*%s)%s", input_type(e, b), name, dims);
    return nm_fmt(e->n, "const %s *%s", input_type(e, b), name);
}

const char *ret_space(emitter *e, const char *type)
{
    size_t len = strlen(type);
    return len && type[len - 1] == '*' ? type : nm_fmt(e->n, "%s ", type);
}

/* A scalar's name, maybe with more after it ("u32", "f64?"): u, i or f
 * and a digit. User types start with a capital, so "X509Cert" is not one. */
static bool is_scalar_name(const char *word)
{
    return (word[0] == 'u' || word[0] == 'i' || word[0] == 'f') && word[1] >= '0' &&
           word[1] <= '9';
}

const char *article(const char *word)
{
    if (is_scalar_name(word))
        return word[0] == 'u' ? "a" : "an";   /* "a u32", "an i8", "an f64" */
    return word[0] && strchr("AEIOUaeiou", word[0]) ? "an" : "a";
}

const char *read_type(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: return "grite_str";
    case TY_BYTES: return "grite_bytes";
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            return nm_type(e->n, t->name);
        return nm_fmt(e->n, "const %s *", nm_type(e->n, t->name));
    case TY_VECTOR: case TY_ARRAY: return nm_helper(e->n, t);
    case TY_OPTIONAL: return nm_fmt(e->n, "const %s *", nm_helper(e->n, t));
    default: return scalar_c_type(t->kind);
    }
}

const char *read_expr(emitter *e, const type_ref *t, const char *addr)
{
    switch (t->kind) {
    case TY_STRING: return nm_fmt(e->n, "grite_ref_str(%s)", addr);
    case TY_BYTES: return nm_fmt(e->n, "grite_ref_bytes(%s)", addr);
    case TY_NAMED:
        if (t->decl->kind == DECL_ENUM)
            return nm_fmt(e->n, "(%s)grite_ld_%s(%s)", nm_type(e->n, t->name),
                          scalar_suffix(t->decl->underlying), addr);
        return nm_fmt(e->n, "(const %s *)(%s)", nm_type(e->n, t->name), addr);
    case TY_VECTOR: case TY_ARRAY:
        return nm_fmt(e->n, "%s(%s)", nm_helper_fn(e->n, t, "view_"), addr);
    case TY_OPTIONAL: return nm_fmt(e->n, "(const %s *)(%s)", nm_helper(e->n, t), addr);
    default: return nm_fmt(e->n, "grite_ld_%s(%s)", scalar_suffix(t->kind), addr);
    }
}

static bool decl_needs_check(emitter *e, const decl *d)
{
    unsigned char *memo = &e->needs_memo[d->index];
    if (*memo)
        return *memo == 2;
    bool needs = d->kind == DECL_UNION || (d->kind == DECL_ENUM && !d->is_open);
    if (d->kind == DECL_STRUCT) {
        *memo = 1;   /* provisional; by-value cycles are impossible after sema.c */
        needs = fields_need_check(e, &d->fields);
    }
    *memo = needs ? 2 : 1;
    return needs;
}

bool needs_check(emitter *e, const type_ref *t)
{
    switch (t->kind) {
    case TY_BOOL: case TY_STRING: case TY_BYTES: case TY_VECTOR: case TY_OPTIONAL: return true;
    case TY_NAMED: return decl_needs_check(e, t->decl);
    case TY_ARRAY: return needs_check(e, t->elem);
    default: return false;
    }
}

bool fields_need_check(emitter *e, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        if (needs_check(e, fl->items[i].type))
            return true;
    return false;
}

size_t emit_header_stem_len(const char *idl_name)
{
    size_t len = strlen(idl_name);
    if (len > 4 && strcmp(idl_name + len - 4, ".idl") == 0)
        len -= 4;
    return len;
}

static const char *header_name(emitter *e, const char *idl_name)
{
    return nm_fmt(e->n, "%.*s.h", (int)emit_header_stem_len(idl_name), idl_name);
}

static void emit_banner(emitter *e, const char *idl_name, uint64_t fp)
{
    const schema *s = e->s;
    em(e, "/*\n"
          " * %s - generated by gritec from %s. DO NOT EDIT: change the .idl\n"
          " * and run gritec again.\n"
          " *\n"
          " * Schema %s, version %" PRIu64 ", fingerprint 0x%016" PRIx64 ".\n",
       header_name(e, idl_name), idl_name, s->name ? s->name : "?", s->version, fp);
    if (s->doc) {
        em(e, " *\n");
        em_doc_lines(e, s->doc, " *");
    }
    em(e, " *\n"
          " * Reading: P_T_validate() the untrusted bytes once, then P_T_root() and\n"
          " * the accessors read them in place (P_T_to_json() prints them). Building:\n"
          " * fill a P_T_in with plain C values and call P_T_build().\n"
          " * docs/GENERATED_API.md explains the names, docs/FORMAT.md the bytes.\n"
          " */\n");
}

static void emit_constants(emitter *e, uint64_t fp)
{
    const schema *s = e->s;
    em(e, "/* The schema this header was generated from. The fingerprint changes\n"
          " * whenever the bytes of a root type would (docs/FORMAT.md). */\n");
    em(e, "#define %s \"%s\"\n", nm_schema_const(e->n, "NAME"), s->name ? s->name : "");
    if (s->version <= UINT32_MAX)
        em(e, "#define %s %" PRIu64 "u\n", nm_schema_const(e->n, "VERSION"), s->version);
    else
        em(e, "#define %s UINT64_C(%" PRIu64 ")\n", nm_schema_const(e->n, "VERSION"), s->version);
    em(e, "#define %s UINT64_C(0x%016" PRIx64 ")\n\n", nm_schema_const(e->n, "FINGERPRINT"), fp);
}

bool emit_c_header(const schema *s, const char *idl_name, FILE *out)
{
    strbuf text = STRBUF_INIT;
    emitter e = { s, names_new(s), &text, NULL, 0, calloc(s->n_decls + 1, 1) };
    if (!e.needs_memo)
        abort();     /* as every other allocation of the emitter */
    e.n_exprs = names_type_exprs(e.n, &e.exprs);
    uint64_t fp = fingerprint_schema(s);
    const char *guard = nm_guard(e.n);

    emit_banner(&e, idl_name, fp);
    em(&e, "#ifndef %s\n#define %s\n\n#include <grite/archive.h>\n#include <grite/json.h>\n\n", guard, guard);
    em(&e, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    emit_constants(&e, fp);
    emit_types(&e);
    emit_access(&e);
    emit_validators(&e);
    emit_json(&e);
    emit_builders(&e);
    em(&e, "#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard);

    bool ok = fwrite(text.data, 1, text.len, out) == text.len && fflush(out) == 0 && !ferror(out);
    sb_free(&text);
    free(e.needs_memo);
    names_free(e.n);
    return ok;
}
