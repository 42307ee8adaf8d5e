/*
 * names.c - generated C identifiers (see names.h) and the check that
 * rejects schemas whose names would not compile or would clash.
 *
 * The check works by listing every file-scope identifier the emitter will
 * declare (names_list_globals, built from the same nm_* functions emit_c.c
 * prints) and looking for duplicates, keywords and the runtime's names.
 * When emit_c.c starts declaring a new kind of identifier, add it to
 * names_list_globals too.
 */
#include "names.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* ---- the string pool ------------------------------------------------- */

typedef struct pool_block {
    struct pool_block *next;
    char data[];
} pool_block;

struct expr_table;

struct names {
    const schema *s;
    pool_block *blocks;
    strbuf tmp;
    struct expr_table *exprs;   /* built on first use */
};

static void *pool_alloc(names *n, size_t size)
{
    pool_block *b = malloc(sizeof *b + size);
    if (!b) {
        fputs("gritec: out of memory\n", stderr);
        abort();
    }
    b->next = n->blocks;
    n->blocks = b;
    return b->data;
}

static const char *pool_strdup(names *n, const char *text)
{
    size_t len = strlen(text);
    char *p = pool_alloc(n, len + 1);
    memcpy(p, text, len + 1);
    return p;
}

const char *nm_fmt(names *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_reset(&n->tmp);
    sb_vprintf(&n->tmp, fmt, ap);
    va_end(ap);
    return pool_strdup(n, sb_str(&n->tmp));
}

static void expr_table_free(struct expr_table *l);

names *names_new(const schema *s)
{
    names *n = calloc(1, sizeof *n);
    if (!n) {
        fputs("gritec: out of memory\n", stderr);
        abort();
    }
    n->s = s;
    return n;
}

void names_free(names *n)
{
    if (!n)
        return;
    for (pool_block *b = n->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    sb_free(&n->tmp);
    expr_table_free(n->exprs);
    free(n);
}

/* ---- identifier construction ----------------------------------------- */

static void upper_into(strbuf *sb, const char *name)
{
    for (size_t i = 0; name[i]; i++) {
        unsigned char c = (unsigned char)name[i];
        unsigned char prev = i ? (unsigned char)name[i - 1] : 0;
        unsigned char next = (unsigned char)name[i + 1];
        if (c == '_') {
            if (sb->len && sb->data[sb->len - 1] != '_')
                sb_putc(sb, '_');
            continue;
        }
        /* A word starts at an upper-case letter after a lower-case letter or
         * digit (IssueCreate), or at the last capital of an acronym that is
         * followed by a lower-case letter (HTTPServer -> HTTP_SERVER). */
        bool word_start = isupper(c) && i > 0 &&
                          (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)));
        if (word_start && sb->len && sb->data[sb->len - 1] != '_')
            sb_putc(sb, '_');
        sb_putc(sb, (char)toupper(c));
    }
}

const char *nm_upper(names *n, const char *name)
{
    sb_reset(&n->tmp);
    upper_into(&n->tmp, name);
    return pool_strdup(n, sb_str(&n->tmp));
}

static void mangle_into(strbuf *sb, const type_ref *t)
{
    switch (t->kind) {
    case TY_STRING: sb_puts(sb, "str"); return;
    case TY_NAMED: sb_puts(sb, t->name); return;
    case TY_VECTOR: sb_puts(sb, "vec_"); mangle_into(sb, t->elem); return;
    case TY_OPTIONAL: sb_puts(sb, "opt_"); mangle_into(sb, t->elem); return;
    case TY_ARRAY:
        sb_printf(sb, "arr%llu_", (unsigned long long)t->array_len);
        mangle_into(sb, t->elem);
        return;
    default: sb_puts(sb, ast_type_kind_name(t->kind)); return;   /* u8, bool, bytes */
    }
}

const char *nm_mangle(names *n, const type_ref *t)
{
    sb_reset(&n->tmp);
    mangle_into(&n->tmp, t);
    return pool_strdup(n, sb_str(&n->tmp));
}

const char *nm_prefix(names *n)
{
    return n->s->c_prefix ? n->s->c_prefix : n->s->name ? n->s->name : "schema";
}

const char *nm_type(names *n, const char *type)
{
    return nm_fmt(n, "%s_%s", nm_prefix(n), type);
}

const char *nm_type_fn(names *n, const char *type, const char *suffix)
{
    return nm_fmt(n, "%s_%s_%s", nm_prefix(n), type, suffix);
}

const char *nm_type_fn2(names *n, const char *type, const char *verb, const char *name)
{
    return nm_fmt(n, "%s_%s_%s_%s", nm_prefix(n), type, verb, name);
}

const char *nm_payload_base(names *n, const char *u, const char *v)
{
    return nm_fmt(n, "%s_%s", u, v);
}

const char *nm_const(names *n, const char *scope, const char *value)
{
    sb_reset(&n->tmp);
    upper_into(&n->tmp, nm_prefix(n));
    sb_putc(&n->tmp, '_');
    upper_into(&n->tmp, scope);
    sb_putc(&n->tmp, '_');
    upper_into(&n->tmp, value);
    return pool_strdup(n, sb_str(&n->tmp));
}

const char *nm_schema_const(names *n, const char *what)
{
    return nm_const(n, "SCHEMA", what);
}

const char *nm_guard(names *n)
{
    return nm_const(n, "GENERATED", "H");
}

const char *nm_helper(names *n, const type_ref *t)
{
    return nm_fmt(n, "%s_%s", nm_prefix(n), nm_mangle(n, t));
}

const char *nm_helper_fn(names *n, const type_ref *t, const char *suffix)
{
    return nm_fmt(n, "%s_%s_%s", nm_prefix(n), nm_mangle(n, t), suffix);
}

const char *nm_padding(names *n, unsigned i)
{
    return nm_fmt(n, "pad%u_", i);
}

/* ---- the distinct type expressions -----------------------------------
 * Collected once per `names` (by mangled name, in a hash table, because
 * generated schemas can have thousands) and then looked up by index. */

typedef struct expr_table {
    const type_ref **items;     /* in order of first use, elements first */
    const char **mangled;
    size_t len, cap;
    size_t *slots;              /* open addressing: index + 1, 0 = empty */
    size_t n_slots;             /* a power of two, > 2 * len */
} expr_table;

static size_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return (size_t)h;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        fputs("gritec: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* The slot holding `m`, or the empty slot where it would go. */
static size_t *expr_slot(const expr_table *l, const char *m)
{
    size_t mask = l->n_slots - 1;
    for (size_t i = hash_str(m) & mask;; i = (i + 1) & mask)
        if (l->slots[i] == 0 || strcmp(l->mangled[l->slots[i] - 1], m) == 0)
            return &l->slots[i];
}

static void expr_rehash(expr_table *l)
{
    free(l->slots);
    l->n_slots = l->n_slots ? 2 * l->n_slots : 64;
    l->slots = calloc(l->n_slots, sizeof *l->slots);
    if (!l->slots)
        abort();
    for (size_t i = 0; i < l->len; i++)
        *expr_slot(l, l->mangled[i]) = i + 1;
}

static bool is_helper_kind(type_kind k)
{
    return k == TY_VECTOR || k == TY_OPTIONAL || k == TY_ARRAY;
}

static void collect_expr(names *n, expr_table *l, const type_ref *t)
{
    if (!is_helper_kind(t->kind))
        return;
    collect_expr(n, l, t->elem);
    const char *m = nm_mangle(n, t);
    if (*expr_slot(l, m) != 0)
        return;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
        l->mangled = xrealloc(l->mangled, l->cap * sizeof *l->mangled);
    }
    l->items[l->len] = t;
    l->mangled[l->len++] = m;
    if (2 * l->len >= l->n_slots)
        expr_rehash(l);
    else
        *expr_slot(l, m) = l->len;
}

static void collect_fields(names *n, expr_table *l, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        collect_expr(n, l, fl->items[i].type);
}

static expr_table *names_exprs(names *n)
{
    if (n->exprs)
        return n->exprs;
    expr_table *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    expr_rehash(l);
    const schema *s = n->s;
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        collect_fields(n, l, &d->fields);
        for (size_t v = 0; v < d->n_variants; v++)
            collect_fields(n, l, &d->variants[v].fields);
    }
    n->exprs = l;
    return l;
}

size_t names_type_exprs(names *n, const type_ref ***out)
{
    expr_table *l = names_exprs(n);
    *out = l->items;
    return l->len;
}

size_t names_expr_index(names *n, const type_ref *t)
{
    expr_table *l = names_exprs(n);
    size_t slot = *expr_slot(l, nm_mangle(n, t));
    return slot ? slot - 1 : l->len;
}

static void expr_table_free(expr_table *l)
{
    if (!l)
        return;
    free(l->items);
    free(l->mangled);
    free(l->slots);
    free(l);
}

/* ---- the check ------------------------------------------------------- */

/* Words a bare member name (field, variant) must not be: C11 and C++17/20
 * keywords, and macros or typedefs of the headers generated code includes. */
static const char *const reserved_words[] = {
    /* C11 */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
    "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
    /* C++ (17 and 20) */
    "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool", "catch",
    "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const_cast",
    "consteval", "constexpr", "constinit", "co_await", "co_return", "co_yield",
    "decltype", "delete", "dynamic_cast", "explicit", "export", "false", "friend",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator",
    "or", "or_eq", "private", "protected", "public", "reinterpret_cast", "requires",
    "static_assert", "static_cast", "template", "this", "thread_local", "throw", "true",
    "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
    /* macros and typedefs of <stdbool.h> <stddef.h> <stdint.h> <assert.h> <string.h> */
    "NULL", "offsetof", "assert", "noreturn", "complex", "imaginary", "errno",
    "size_t", "ptrdiff_t", "max_align_t", "wchar_t", "uintptr_t", "intptr_t",
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
    "uint64_t",
};

/* Identifiers of the runtime (the headers generated code includes, and the
 * rest of the runtime a program links with): a generated identifier must not
 * be one of these; an entry ending in '*' reserves every identifier that
 * starts with it. docs/GENERATED_API.md lists them for runtime authors. */
static const char *const runtime_names[] = {
    "grite_str", "grite_str_*", "grite_bytes", "grite_bytes_*", "grite_ref", "grite_ref_*",
    "grite_buf", "grite_buf_*", "grite_verror", "grite_verror_*", "grite_vctx",
    "grite_validate_fn", "grite_v_*", "grite_b_*", "grite_ld_*", "grite_st_*",
    "grite_utf8_*", "grite_build_*", "grite_client", "grite_client_*", "grite_server",
    "grite_server_*", "grite_frame", "grite_frame_*", "grite_daemon_*", "grite_session_*",
    "grite_lock_*", "grite_json", "grite_json_*", "grite_err", "grite_err_*", "grite_error",
    "grite_error_*", "grite_request", "grite_request_*",
    "GRITE_STR", "GRITE_BYTES", "GRITE_STATIC_ASSERT", "GRITE_ALIGNOF", "GRITE_ENUM_BASE",
    "GRITE_LITTLE_ENDIAN", "GRITE_BIG_ENDIAN", "GRITE_INLINE", "GRITE_COLD",
    "GRITE_VERROR_*", "GRITE_BUILD_*", "GRITE_VALIDATE_*", "GRITE_ASSERT_*", "GRITE_ARCHIVE_*",
    "GRITE_BUF_*", "GRITE_FRAME_*", "GRITE_CLIENT_*", "GRITE_SERVER_*", "GRITE_DAEMON_*",
    "GRITE_SESSION_*", "GRITE_LOCK_*", "GRITE_JSON_*", "GRITE_ERR_*", "GRITE_HANDLER_*",
    "GRITE_TRANSPORT_*",
};

static bool runtime_name_matches(const char *pattern, const char *ident)
{
    size_t n = strlen(pattern);
    if (pattern[n - 1] == '*')
        return strncmp(ident, pattern, n - 1) == 0;
    return strcmp(ident, pattern) == 0;
}

typedef struct ident {
    const char *text;
    src_loc loc;
    const char *what;   /* e.g. "the accessor of field 'in' of 'IssueSummary'" */
    size_t seq;         /* insertion order, to keep sorting stable */
} ident;

typedef struct ident_table {
    names *n;
    diag_ctx *d;
    ident *items;
    size_t len, cap;
    bool ok;
} ident_table;

static void add_ident(ident_table *t, const char *text, src_loc loc, const char *what)
{
    if (t->len == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->items = realloc(t->items, t->cap * sizeof *t->items);
        if (!t->items) {
            fputs("gritec: out of memory\n", stderr);
            abort();
        }
    }
    t->items[t->len] = (ident){ text, loc, what, t->len };
    t->len++;
}

#define WHAT(...) nm_fmt(t->n, __VA_ARGS__)

static void list_field_fns(ident_table *t, const char *owner, const char *shown,
                           const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++) {
        const field *f = &fl->items[i];
        add_ident(t, nm_type_fn(t->n, owner, f->name), f->loc,
                  WHAT("the accessor of field '%s' of '%s'", f->name, shown));
        if (f->type->kind == TY_OPTIONAL)
            add_ident(t, nm_type_fn2(t->n, owner, "has", f->name), f->loc,
                      WHAT("the presence test of field '%s' of '%s'", f->name, shown));
    }
}

/* The functions and types every struct (and variant payload) gets. */
static void list_struct_common(ident_table *t, const char *base, const char *shown, src_loc loc)
{
    add_ident(t, nm_type(t->n, base), loc, WHAT("the archived struct '%s'", shown));
    add_ident(t, nm_type_fn(t->n, base, "in"), loc, WHAT("the builder input of '%s'", shown));
    add_ident(t, nm_type_fn(t->n, base, "check_"), loc, WHAT("the validator helper of '%s'", shown));
    add_ident(t, nm_type_fn(t->n, base, "write_"), loc, WHAT("the builder helper of '%s'", shown));
}

static void list_root_fns(ident_table *t, const decl *d)
{
    static const char *const verbs[] = { "validate", "validate_depth", "root", "build", "to_json" };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        add_ident(t, nm_type_fn(t->n, d->name, verbs[i]), d->loc,
                  WHAT("the function '%s' of '%s'", verbs[i], d->name));
}

static void list_enum(ident_table *t, const decl *d)
{
    add_ident(t, nm_type(t->n, d->name), d->loc, WHAT("the enum type '%s'", d->name));
    add_ident(t, nm_type_fn(t->n, d->name, "name"), d->loc, WHAT("the name table of '%s'", d->name));
    add_ident(t, nm_type_fn(t->n, d->name, "valid_"), d->loc, WHAT("the value check of '%s'", d->name));
    add_ident(t, nm_type_fn(t->n, d->name, "check_"), d->loc, WHAT("the validator helper of '%s'", d->name));
    add_ident(t, nm_type_fn(t->n, d->name, "write_"), d->loc, WHAT("the builder helper of '%s'", d->name));
    add_ident(t, nm_type_fn(t->n, d->name, "json_"), d->loc, WHAT("the JSON helper of '%s'", d->name));
    for (size_t i = 0; i < d->n_values; i++) {
        const enum_value *v = &d->values[i];
        add_ident(t, nm_const(t->n, d->name, v->name), v->loc,
                  WHAT("the constant for value '%s' of '%s'", v->name, d->name));
    }
}

static void list_union(ident_table *t, const decl *d)
{
    static const char *const fns[] = { "in", "kind", "kind_name", "tag", "check_", "write_" };
    add_ident(t, nm_type(t->n, d->name), d->loc, WHAT("the archived union '%s'", d->name));
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        add_ident(t, nm_type_fn(t->n, d->name, fns[i]), d->loc,
                  WHAT("the '%s' of union '%s'", fns[i], d->name));
    list_root_fns(t, d);
    for (size_t i = 0; i < d->n_variants; i++) {
        const variant *v = &d->variants[i];
        add_ident(t, nm_const(t->n, d->name, v->name), v->loc,
                  WHAT("the tag constant of variant '%s' of '%s'", v->name, d->name));
        if (v->fields.len == 0)
            continue;
        const char *base = nm_payload_base(t->n, d->name, v->name);
        const char *shown = WHAT("%s.%s", d->name, v->name);
        add_ident(t, nm_type_fn2(t->n, d->name, "as", v->name), v->loc,
                  WHAT("the accessor of variant '%s' of '%s'", v->name, d->name));
        list_struct_common(t, base, shown, v->loc);
        add_ident(t, nm_type_fn(t->n, base, "to_json"), v->loc,
                  WHAT("the function 'to_json' of '%s'", shown));
        list_field_fns(t, base, shown, &v->fields);
    }
}

static void list_helpers(ident_table *t)
{
    const type_ref **exprs;
    size_t n = names_type_exprs(t->n, &exprs);
    for (size_t i = 0; i < n; i++) {
        const type_ref *e = exprs[i];
        const char *m = nm_mangle(t->n, e);
        const char *what = WHAT("the helper type for '%s'", m);
        add_ident(t, nm_helper(t->n, e), e->loc, what);
        add_ident(t, nm_helper_fn(t->n, e, "in"), e->loc, what);
        add_ident(t, nm_helper_fn(t->n, e, "check_"), e->loc, what);
        add_ident(t, nm_helper_fn(t->n, e, "write_"), e->loc, what);
        add_ident(t, nm_helper_fn(t->n, e, "json_"), e->loc, what);
        if (e->kind == TY_OPTIONAL) {
            add_ident(t, nm_helper_fn(t->n, e, "has"), e->loc, what);
            add_ident(t, nm_helper_fn(t->n, e, "value"), e->loc, what);
        } else {
            add_ident(t, nm_helper_fn(t->n, e, "at"), e->loc, what);
            add_ident(t, nm_helper_fn(t->n, e, "view_"), e->loc, what);
        }
    }
}

static void names_list_globals(ident_table *t)
{
    const schema *s = t->n->s;
    src_loc at = s->name_loc;
    add_ident(t, nm_guard(t->n), at, "the header's include guard");
    add_ident(t, nm_schema_const(t->n, "NAME"), at, "the schema name constant");
    add_ident(t, nm_schema_const(t->n, "VERSION"), at, "the schema version constant");
    add_ident(t, nm_schema_const(t->n, "FINGERPRINT"), at, "the schema fingerprint constant");
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        switch (d->kind) {
        case DECL_ENUM:
            list_enum(t, d);
            break;
        case DECL_STRUCT:
            list_struct_common(t, d->name, d->name, d->loc);
            list_field_fns(t, d->name, d->name, &d->fields);
            list_root_fns(t, d);
            break;
        case DECL_UNION:
            list_union(t, d);
            break;
        }
    }
    list_helpers(t);
}

static int ident_cmp(const void *a, const void *b)
{
    const ident *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    if (x->loc.col != y->loc.col)
        return x->loc.col < y->loc.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool same_loc(src_loc a, src_loc b)
{
    return a.line == b.line && a.col == b.col;
}

/* One clash between two names usually spells several identifiers alike
 * (the struct, its _in, its _check_...): report each pair of names once. */
static bool pair_reported(const ident *pairs, size_t n, const ident *a, const ident *b)
{
    for (size_t i = 0; i < n; i += 2)
        if (same_loc(pairs[i].loc, a->loc) && same_loc(pairs[i + 1].loc, b->loc))
            return true;
    return false;
}

/* Order clash pairs {first, dup} by where dup was written. */
static int clash_cmp(const void *a, const void *b)
{
    const ident *x = (const ident *)a + 1, *y = (const ident *)b + 1;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    if (x->loc.col != y->loc.col)
        return x->loc.col < y->loc.col ? -1 : 1;
    return strcmp(x->text, y->text);
}

static void report_duplicates(ident_table *t)
{
    qsort(t->items, t->len, sizeof *t->items, ident_cmp);
    ident *pairs = malloc(2 * t->len * sizeof *pairs + 1);
    size_t n_pairs = 0;
    if (!pairs)
        abort();
    for (size_t i = 1; i < t->len; i++) {
        const ident *dup = &t->items[i];
        if (strcmp(t->items[i - 1].text, dup->text) != 0)
            continue;
        size_t j = i - 1;     /* the first of this run is the one kept */
        while (j > 0 && strcmp(t->items[j - 1].text, dup->text) == 0)
            j--;
        const ident *first = &t->items[j];
        if (!pair_reported(pairs, n_pairs, first, dup)) {
            pairs[n_pairs++] = *first;
            pairs[n_pairs++] = *dup;
        }
        t->ok = false;
    }
    /* Report in source order, like every other diagnostic. */
    qsort(pairs, n_pairs / 2, 2 * sizeof *pairs, clash_cmp);
    for (size_t i = 0; i < n_pairs; i += 2) {
        const ident *first = &pairs[i], *dup = &pairs[i + 1];
        diag_error(t->d, dup->loc, "C identifier '%s' of %s collides with %s", dup->text,
                   dup->what, first->what);
        diag_note(t->d, first->loc, "%s is declared here", first->what);
    }
    free(pairs);
}

static void report_runtime_clashes(ident_table *t)
{
    for (size_t i = 0; i < t->len; i++) {
        const ident *id = &t->items[i];
        for (size_t p = 0; p < sizeof runtime_names / sizeof runtime_names[0]; p++) {
            if (runtime_name_matches(runtime_names[p], id->text)) {
                diag_error(t->d, id->loc,
                           "C identifier '%s' of %s is reserved by the grite runtime "
                           "('%s'); rename it or set option c_prefix",
                           id->text, id->what, runtime_names[p]);
                t->ok = false;
                break;
            }
        }
    }
}

static bool is_reserved_word(const char *name)
{
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (strcmp(name, reserved_words[i]) == 0)
            return true;
    return false;
}

/* gritec joins names with '_', so a name that starts or ends with '_' or
 * contains "__" would produce identifiers C and C++ reserve (or make two
 * different joins spell the same identifier). */
static bool underscore_ok(const char *name)
{
    size_t len = strlen(name);
    return len > 0 && name[0] != '_' && name[len - 1] != '_' && !strstr(name, "__");
}

static void check_word(ident_table *t, const char *name, src_loc loc, const char *what,
                       bool is_member)
{
    if (!underscore_ok(name)) {
        diag_error(t->d, loc, "%s '%s' must not start or end with '_' or contain '__' "
                   "(the generated C identifiers would be reserved)", what, name);
        t->ok = false;
    } else if (is_member && is_reserved_word(name)) {
        diag_error(t->d, loc, "%s '%s' is a C or C++ keyword or a standard C name; "
                   "the generated struct member would not compile", what, name);
        t->ok = false;
    }
}

static void check_fields_words(ident_table *t, const field_list *fl)
{
    for (size_t i = 0; i < fl->len; i++)
        check_word(t, fl->items[i].name, fl->items[i].loc, "field name", true);
}

static bool is_c_identifier(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

static src_loc prefix_loc(const schema *s)
{
    for (size_t i = 0; i < s->n_options; i++)
        if (strcmp(s->options[i].key, "c_prefix") == 0)
            return s->options[i].value_loc;
    return s->name_loc;
}

static void check_words(ident_table *t)
{
    const schema *s = t->n->s;
    const char *p = nm_prefix(t->n);
    if (!is_c_identifier(p) || !underscore_ok(p) || is_reserved_word(p)) {
        diag_error(t->d, prefix_loc(s), "C prefix '%s' is not a usable C identifier "
                   "(letters, digits and single '_' inside, not a keyword)", p);
        t->ok = false;
    }
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        check_word(t, d->name, d->loc, "type name", false);
        check_fields_words(t, &d->fields);
        for (size_t v = 0; v < d->n_variants; v++) {
            check_word(t, d->variants[v].name, d->variants[v].loc, "variant name", true);
            check_fields_words(t, &d->variants[v].fields);
        }
        for (size_t v = 0; v < d->n_values; v++)
            check_word(t, d->values[v].name, d->values[v].loc, "enum value name", false);
    }
}

bool names_check(schema *s, diag_ctx *d)
{
    ident_table t = { names_new(s), d, NULL, 0, 0, true };
    check_words(&t);
    if (t.ok) {     /* clashes among malformed names would only repeat the above */
        names_list_globals(&t);
        report_runtime_clashes(&t);
        report_duplicates(&t);
    }
    free(t.items);
    names_free(t.n);
    return t.ok;
}
