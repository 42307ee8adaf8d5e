/*
 * sema.c - semantic checks: resolve every name, compute enum values, and
 * reject schemas the format cannot represent. docs/IDL.md, "Checks",
 * lists every rule enforced here. C-level name problems (keywords,
 * collisions of generated identifiers, the C prefix) are names.c's job.
 *
 * Passes run in a fixed order and report in declaration order, so the
 * output is deterministic. Lookups go through hash tables (symtab.c) and
 * the cycle search is iterative, so no input makes this slow or deep.
 */
#include "sema.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symtab.h"

typedef struct checker {
    schema *s;
    diag_ctx *d;
    symtab types;        /* declared type name -> index in s->decls */
    unsigned errors_at_start;
} checker;

/* ---- "did you mean" ------------------------------------------------------ */

enum { SUGGEST_MAX_LEN = 64 };

static char lower(char c)
{
    return (char)tolower((unsigned char)c);
}

/* Levenshtein distance where a change of case alone costs nothing, or
 * any number above `limit` once it is sure to be (a row's smallest entry
 * never decreases), so that a schema with many names stays fast. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
    size_t row[SUGGEST_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        size_t smallest = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
            if (best < smallest)
                smallest = best;
        }
        if (smallest > limit)
            return limit + 1;
    }
    return row[lb];
}

typedef struct suggestion {
    const char *name;
    size_t distance;
    const char *target;
} suggestion;

static void suggest_init(suggestion *sg, const char *target)
{
    sg->name = NULL;
    sg->distance = SIZE_MAX;
    sg->target = target;
}

/* Consider one candidate; the first closest one wins, so ties are stable. */
static void suggest_consider(suggestion *sg, const char *candidate)
{
    size_t lt = strlen(sg->target), lc = strlen(candidate);
    if (lt > SUGGEST_MAX_LEN || lc > SUGGEST_MAX_LEN || strcmp(candidate, sg->target) == 0 ||
        sg->distance == 0)
        return;
    size_t limit = lt / 3 > 1 ? lt / 3 : 1;
    if (sg->distance <= limit)      /* only a closer name can win now */
        limit = sg->distance - 1;
    if ((lt > lc ? lt - lc : lc - lt) > limit)    /* each missing letter costs 1 */
        return;
    size_t dist = edit_distance(sg->target, lt, candidate, lc, limit);
    if (dist <= limit && dist < sg->distance) {
        sg->name = candidate;
        sg->distance = dist;
    }
}

/* " (did you mean 'x'?)" or "". */
static void suggest_format(const suggestion *sg, char *buf, size_t size)
{
    if (sg->name != NULL)
        snprintf(buf, size, " (did you mean '%s'?)", sg->name);
    else
        buf[0] = '\0';
}

/* ---- the schema header and options ---------------------------------------- */

static void check_header(checker *c)
{
    schema *s = c->s;
    if (!s->has_header) {
        diag_error(c->d, (src_loc){ 1, 1 },
                   "missing schema declaration (the file must say 'schema NAME version N;')");
        return;
    }
    if (s->version > UINT32_MAX)
        diag_error(c->d, s->version_loc,
                   "schema version %" PRIu64 " is too large (the largest is 4294967295)",
                   s->version);
}

static const char *const known_options[] = { "c_prefix" };

static bool is_known_option(const char *key)
{
    for (size_t i = 0; i < sizeof known_options / sizeof known_options[0]; i++)
        if (strcmp(key, known_options[i]) == 0)
            return true;
    return false;
}

static void report_unknown_option(checker *c, const option_kv *o)
{
    suggestion sg;
    suggest_init(&sg, o->key);
    for (size_t i = 0; i < sizeof known_options / sizeof known_options[0]; i++)
        suggest_consider(&sg, known_options[i]);
    char hint[SUGGEST_MAX_LEN + 32];
    suggest_format(&sg, hint, sizeof hint);
    diag_error(c->d, o->loc, "unknown option '%s'%s", o->key, hint);
}

static void check_options(checker *c)
{
    schema *s = c->s;
    s->c_prefix = s->name;
    for (size_t i = 0; i < s->n_options; i++) {
        const option_kv *o = &s->options[i];
        if (!is_known_option(o->key)) {
            report_unknown_option(c, o);
            continue;
        }
        const option_kv *first = NULL;
        for (size_t j = 0; j < i && first == NULL; j++)
            if (strcmp(s->options[j].key, o->key) == 0)
                first = &s->options[j];
        if (first != NULL) {
            diag_error(c->d, o->loc, "option '%s' is set twice", o->key);
            diag_note(c->d, first->loc, "it was first set here");
            continue;
        }
        if (strcmp(o->key, "c_prefix") == 0)
            s->c_prefix = o->value; /* names.c checks it is a usable C identifier */
    }
}

/* ---- declarations ------------------------------------------------------- */

static const char *decl_kind_name(decl_kind k)
{
    switch (k) {
    case DECL_STRUCT: return "struct";
    case DECL_UNION: return "union";
    case DECL_ENUM: return "enum";
    }
    return "type";
}

static bool starts_upper(const char *name)
{
    return name[0] >= 'A' && name[0] <= 'Z';
}

static bool starts_lower(const char *name)
{
    return name[0] >= 'a' && name[0] <= 'z';
}

static void register_types(checker *c)
{
    schema *s = c->s;
    symtab_init(&c->types, s->n_decls);
    for (size_t i = 0; i < s->n_decls; i++) {
        decl *d = s->decls[i];
        if (!starts_upper(d->name))
            diag_error(c->d, d->loc,
                       "%s name '%s' must start with an uppercase letter (type names are "
                       "PascalCase)",
                       decl_kind_name(d->kind), d->name);
        size_t first;
        if (!symtab_add(&c->types, d->name, i, &first)) {
            diag_error(c->d, d->loc, "duplicate type name '%s'", d->name);
            diag_note(c->d, s->decls[first]->loc, "previous definition is here");
        }
    }
}

static decl *lookup_type(const checker *c, const char *name)
{
    size_t i;
    return symtab_get(&c->types, name, &i) ? c->s->decls[i] : NULL;
}

static void report_unknown_type(checker *c, const char *name, src_loc loc, const char *what)
{
    suggestion sg;
    suggest_init(&sg, name);
    for (type_kind k = TY_U8; k <= TY_BYTES; k++)
        suggest_consider(&sg, ast_type_kind_name(k));
    for (size_t i = 0; i < c->s->n_decls && diag_next_error_shown(c->d); i++)
        suggest_consider(&sg, c->s->decls[i]->name);
    char hint[SUGGEST_MAX_LEN + 32];
    suggest_format(&sg, hint, sizeof hint);
    diag_error(c->d, loc, "unknown type '%s'%s%s", name, what, hint);
}

/* Resolve and check one type expression. Nesting depth is bounded by the
 * parser's stack (parser.y %stack_size), and a chain of '?' stops at the
 * first error, so the recursion is shallow. */
static void check_type(checker *c, type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED:
        t->decl = lookup_type(c, t->name);
        if (t->decl == NULL)
            report_unknown_type(c, t->name, t->loc, "");
        return;
    case TY_OPTIONAL:
        if (t->elem->kind == TY_OPTIONAL) {
            diag_error(c->d, t->loc,
                       "optional of an optional ('T?\?') is not allowed; one '?' is enough");
            return;
        }
        check_type(c, t->elem);
        return;
    case TY_ARRAY:
        if (t->array_len == 0)
            diag_error(c->d, t->array_len_loc, "array length must be at least 1");
        else if (t->array_len > UINT32_MAX)
            diag_error(c->d, t->array_len_loc,
                       "array length %" PRIu64 " is too large (the largest is 4294967295)",
                       t->array_len);
        check_type(c, t->elem);
        return;
    case TY_VECTOR:
        check_type(c, t->elem);
        return;
    default:
        return; /* scalars, string, bytes */
    }
}

/* Names unique within the list, lowercase first letter, types checked. */
static void check_fields(checker *c, field_list *fl)
{
    symtab seen;
    symtab_init(&seen, fl->len);
    for (size_t i = 0; i < fl->len; i++) {
        field *f = &fl->items[i];
        if (!starts_lower(f->name))
            diag_error(c->d, f->loc, "field name '%s' must start with a lowercase letter",
                       f->name);
        size_t first;
        if (!symtab_add(&seen, f->name, i, &first)) {
            diag_error(c->d, f->loc, "duplicate field name '%s'", f->name);
            diag_note(c->d, fl->items[first].loc, "previous definition is here");
        }
        check_type(c, f->type);
    }
    symtab_free(&seen);
}

static void check_struct(checker *c, decl *d)
{
    if (d->fields.len == 0)
        diag_error(c->d, d->loc,
                   "struct '%s' has no fields (a struct needs at least one field)", d->name);
    check_fields(c, &d->fields);
}

static void check_union(checker *c, decl *d)
{
    if (d->n_variants == 0)
        diag_error(c->d, d->loc, "union '%s' has no variants", d->name);
    symtab seen;
    symtab_init(&seen, d->n_variants);
    for (size_t i = 0; i < d->n_variants; i++) {
        variant *v = &d->variants[i];
        if (!starts_upper(v->name))
            diag_error(c->d, v->loc, "variant name '%s' must start with an uppercase letter",
                       v->name);
        size_t first;
        if (!symtab_add(&seen, v->name, i, &first)) {
            diag_error(c->d, v->loc, "duplicate variant name '%s'", v->name);
            diag_note(c->d, d->variants[first].loc, "previous definition is here");
        }
        check_fields(c, &v->fields);
    }
    symtab_free(&seen);
}

/* ---- enums ---------------------------------------------------------------- */

static void int_type_range(type_kind k, int64_t *min, int64_t *max)
{
    switch (k) {
    case TY_U8: *min = 0; *max = UINT8_MAX; return;
    case TY_U16: *min = 0; *max = UINT16_MAX; return;
    case TY_U32: *min = 0; *max = UINT32_MAX; return;
    case TY_U64: *min = 0; *max = INT64_MAX; return; /* values are stored as i64 */
    case TY_I8: *min = INT8_MIN; *max = INT8_MAX; return;
    case TY_I16: *min = INT16_MIN; *max = INT16_MAX; return;
    case TY_I32: *min = INT32_MIN; *max = INT32_MAX; return;
    default: *min = INT64_MIN; *max = INT64_MAX; return;
    }
}

/* The explicit value as written, if it is an i64. */
static bool explicit_value(const enum_value *v, int64_t *out)
{
    if (!v->negative) {
        if (v->magnitude > INT64_MAX)
            return false;
        *out = (int64_t)v->magnitude;
        return true;
    }
    if (v->magnitude > (uint64_t)INT64_MAX + 1)
        return false;
    *out = v->magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v->magnitude;
    return true;
}

/* `written` is the value as text: it may not fit an i64. */
static void report_enum_range(checker *c, const decl *d, const enum_value *v, const char *written)
{
    int64_t min, max;
    int_type_range(d->underlying, &min, &max);
    const char *ty = ast_type_kind_name(d->underlying);
    if (v->is_explicit)
        diag_error(c->d, v->value_loc, "enum value %s is out of range for %s (%" PRId64
                   " to %" PRId64 ")", written, ty, min, max);
    else
        diag_error(c->d, v->loc, "implicit value %s of '%s' is out of range for %s (%" PRId64
                   " to %" PRId64 ")", written, v->name, ty, min, max);
}

/* Give every value its number (implicit ones: previous + 1, from 0).
 * Returns false if some value did not fit. */
static bool assign_enum_values(checker *c, decl *d)
{
    int64_t min, max;
    int_type_range(d->underlying, &min, &max);
    bool ok = true, have_prev = false;
    int64_t prev = 0;
    for (size_t i = 0; i < d->n_values; i++) {
        enum_value *v = &d->values[i];
        int64_t value = 0;
        bool fits;
        if (v->is_explicit) {
            fits = explicit_value(v, &value);
        } else {
            if (!ok)
                continue; /* one overflow is enough; the next would only repeat it */
            fits = !have_prev || prev < INT64_MAX;
            value = have_prev && fits ? prev + 1 : 0;
        }
        if (!fits || value < min || value > max) {
            char written[32];
            if (fits)
                snprintf(written, sizeof written, "%" PRId64, value);
            else if (v->is_explicit)
                snprintf(written, sizeof written, "%s%" PRIu64, v->negative ? "-" : "",
                         v->magnitude);
            else
                snprintf(written, sizeof written, "%" PRIu64, (uint64_t)INT64_MAX + 1);
            report_enum_range(c, d, v, written);
            ok = false;
            continue;
        }
        v->value = value;
        prev = value;
        have_prev = true;
    }
    return ok;
}

/* Names must be unique; values too, when all of them could be computed. */
static void check_enum_duplicates(checker *c, decl *d, bool values_known)
{
    symtab names, values;
    symtab_init(&names, d->n_values);
    symtab_init(&values, d->n_values);
    for (size_t i = 0; i < d->n_values; i++) {
        enum_value *v = &d->values[i];
        size_t first;
        if (!symtab_add(&names, v->name, i, &first)) {
            diag_error(c->d, v->loc, "duplicate enum value name '%s'", v->name);
            diag_note(c->d, d->values[first].loc, "previous definition is here");
            continue;
        }
        if (!values_known)
            continue;
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, v->value);
        if (!symtab_add(&values, ast_strdup(c->s, buf, strlen(buf)), i, &first)) {
            src_loc at = v->is_explicit ? v->value_loc : v->loc;
            diag_error(c->d, at, "enum value '%s' has the same value (%" PRId64 ") as '%s'",
                       v->name, v->value, d->values[first].name);
            diag_note(c->d, d->values[first].loc, "'%s' is declared here",
                      d->values[first].name);
        }
    }
    symtab_free(&names);
    symtab_free(&values);
}

static void check_enum(checker *c, decl *d)
{
    if (d->n_values == 0) {
        diag_error(c->d, d->loc, "enum '%s' has no values", d->name);
        return;
    }
    bool values_known = assign_enum_values(c, d);
    check_enum_duplicates(c, d, values_known);
}

/* ---- roots ------------------------------------------------------------ */

static void check_roots(checker *c)
{
    schema *s = c->s;
    symtab seen;
    symtab_init(&seen, s->n_roots);
    for (size_t i = 0; i < s->n_roots; i++) {
        root_ref *r = &s->roots[i];
        size_t first;
        if (!symtab_add(&seen, r->name, i, &first)) {
            diag_error(c->d, r->loc, "'%s' is already a root", r->name);
            diag_note(c->d, s->roots[first].loc, "first named here");
            continue;
        }
        r->decl = lookup_type(c, r->name);
        if (r->decl == NULL) {
            report_unknown_type(c, r->name, r->loc, " in root declaration");
        } else if (r->decl->kind == DECL_ENUM) {
            diag_error(c->d, r->loc, "root '%s' is an enum; a root must be a struct or a union",
                       r->name);
            diag_note(c->d, r->decl->loc, "'%s' is declared here", r->name);
            r->decl = NULL;
        }
    }
    symtab_free(&seen);
}

/* ---- structs that contain themselves by value --------------------------------- */

/* The struct a field embeds by value (through T? and [T; N]), or NULL.
 * Vectors and unions are out of line, so they never make a cycle. */
static const decl *inline_struct(const type_ref *t)
{
    while (t->kind == TY_OPTIONAL || t->kind == TY_ARRAY)
        t = t->elem;
    if (t->kind == TY_NAMED && t->decl != NULL && t->decl->kind == DECL_STRUCT)
        return t->decl;
    return NULL;
}

typedef struct dfs_frame {
    const decl *d;
    size_t next_field;
} dfs_frame;

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        char *bigger = realloc(*buf, *cap);
        if (bigger == NULL) {
            fputs("gritec: error: out of memory\n", stderr);
            exit(1);
        }
        *buf = bigger;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* frames[from..top] is the cycle; each frame's field next_field-1 is the
 * edge it took. */
static void report_cycle(checker *c, const dfs_frame *frames, size_t from, size_t top)
{
    char *path = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = from; i <= top; i++) {
        const field *f = &frames[i].d->fields.items[frames[i].next_field - 1];
        append(&path, &len, &cap, frames[i].d->name);
        append(&path, &len, &cap, ".");
        append(&path, &len, &cap, f->name);
        append(&path, &len, &cap, " -> ");
    }
    append(&path, &len, &cap, frames[from].d->name);
    const field *first = &frames[from].d->fields.items[frames[from].next_field - 1];
    diag_error(c->d, first->loc, "struct '%s' contains itself by value (%s)",
               frames[from].d->name, path);
    free(path);
}

enum { WHITE, GRAY, BLACK };

static void check_cycles_from(checker *c, size_t start, unsigned char *color, dfs_frame *stack)
{
    size_t top = 0;
    stack[0] = (dfs_frame){ c->s->decls[start], 0 };
    color[start] = GRAY;
    for (;;) {
        dfs_frame *fr = &stack[top];
        if (fr->next_field == fr->d->fields.len) {
            color[fr->d->index] = BLACK;
            if (top == 0)
                return;
            top--;
            continue;
        }
        const decl *next = inline_struct(fr->d->fields.items[fr->next_field++].type);
        if (next == NULL || color[next->index] == BLACK)
            continue;
        if (color[next->index] == GRAY) {
            size_t from = top;
            while (stack[from].d != next)
                from--;
            report_cycle(c, stack, from, top);
            continue;
        }
        color[next->index] = GRAY;
        stack[++top] = (dfs_frame){ next, 0 };
    }
}

static void check_cycles(checker *c)
{
    size_t n = c->s->n_decls;
    unsigned char *color = calloc(n + 1, 1);
    dfs_frame *stack = calloc(n + 1, sizeof *stack);
    if (color == NULL || stack == NULL) {
        fputs("gritec: error: out of memory\n", stderr);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        if (c->s->decls[i]->kind == DECL_STRUCT && color[i] == WHITE)
            check_cycles_from(c, i, color, stack);
    free(color);
    free(stack);
}

/* ---- the pass ----------------------------------------------------------- */

bool check_schema(schema *s, diag_ctx *d)
{
    checker c = { .s = s, .d = d, .errors_at_start = d->errors };
    check_header(&c);
    check_options(&c);
    register_types(&c);
    check_roots(&c);
    for (size_t i = 0; i < s->n_decls; i++) {
        decl *dl = s->decls[i];
        switch (dl->kind) {
        case DECL_STRUCT: check_struct(&c, dl); break;
        case DECL_UNION: check_union(&c, dl); break;
        case DECL_ENUM: check_enum(&c, dl); break;
        }
    }
    check_cycles(&c);
    symtab_free(&c.types);
    return d->errors == c.errors_at_start;
}
