/*
 * test_compat_random.c - the rules of `gritec --compat` against the schema
 * fingerprint, on thousands of random schemas and random edits of them.
 *
 * A small model of a schema (structs, unions, enums, roots) is generated
 * at random, printed as IDL, edited in one to three random ways (rename,
 * retype, insert, remove, move, open/close, renumber, add or drop roots and
 * types...) and printed again. For every pair that compiles:
 *
 *   - equal fingerprints => no breaking change, and a breaking change =>
 *     different fingerprints (docs/IDL.md 8);
 *   - the report is deterministic and agrees with its counts;
 *   - each schema against itself reports no changes;
 *   - an edit that only renames or re-documents is never breaking.
 *
 * The generator is seeded, so a failure names a reproducible case.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "compat_util.h"
#include "strbuf.h"

enum { MAX_DECLS = 7, MAX_MEMBERS = 5, MAX_FIELDS = 3, N_SCALARS = 13, NAMED = 100 };

/* A type: a scalar (0..12: u8 .. bytes, in type_kind order) or NAMED + the
 * index of a declaration, wrapped inner to outer in up to two of
 * 'v' ([T]), 'o' (T?), 'a' ([T; N]). */
typedef struct rtype {
    int base;
    char wrap[2];
    uint32_t len[2];
    int n_wrap;
} rtype;

typedef struct rfield {
    char name[16];
    rtype type;
} rfield;

typedef struct rvariant {
    char name[16];
    int n_fields;
    rfield fields[MAX_FIELDS];
} rvariant;

typedef struct rvalue {
    char name[16];
    int64_t value;
} rvalue;

typedef enum rkind { R_STRUCT, R_UNION, R_ENUM } rkind;

typedef struct rdecl {
    rkind kind;
    char name[16];
    char doc[16];
    bool open;
    int underlying;       /* 0..7: u8 .. i64 */
    int n;                /* fields, variants or values */
    rfield fields[MAX_MEMBERS];
    rvariant variants[MAX_MEMBERS];
    rvalue values[MAX_MEMBERS];
} rdecl;

typedef struct rschema {
    int n_decls;
    rdecl decls[MAX_DECLS];
    int order[MAX_DECLS];   /* the order the declarations are printed in */
    bool explicit_roots;
    int n_roots;
    int roots[MAX_DECLS];
} rschema;

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *const field_pool[] = { "id", "name", "size", "kind", "count", "flag",
                                          "label", "value", "mode", "level", "hint", "note" };
static const char *const variant_pool[] = { "Alpha", "Bravo", "Charlie", "Delta", "Echo",
                                            "Foxtrot", "Golf", "Hotel" };
static const char *const value_pool[] = { "Red", "Green", "Blue", "Cyan", "Mauve", "Ochre",
                                          "Teal", "Umber" };
static const char *const int_types[] = { "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64" };
static const char *const scalar_names[] = { "u8", "u16", "u32", "u64", "i8", "i16", "i32",
                                            "i64", "f32", "f64", "bool", "string", "bytes" };

/* A name from pool not used by any of the n names at `names` (stride bytes apart). */
static void fresh_name(char *out, const char *const *pool, size_t pool_len, const char *names,
                       size_t stride, int n)
{
    for (int tries = 0; tries < 64; tries++) {
        const char *cand = pool[rnd((uint32_t)pool_len)];
        bool used = false;
        for (int i = 0; i < n && !used; i++)
            used = strcmp(names + (size_t)i * stride, cand) == 0;
        if (!used) {
            snprintf(out, 16, "%s", cand);
            return;
        }
    }
    snprintf(out, 16, "%sx%u", pool[0], rnd(1000)); /* pools are larger than lists */
}

static void random_type(const rschema *s, int owner, rtype *t)
{
    memset(t, 0, sizeof *t);
    t->base = (int)rnd(N_SCALARS);
    if (s->n_decls > 0 && rnd(5) < 2)
        t->base = NAMED + (int)rnd((uint32_t)s->n_decls);
    t->n_wrap = (int)rnd(3);
    for (int i = 0; i < t->n_wrap; i++) {
        static const char kinds[] = { 'v', 'o', 'a' };
        t->wrap[i] = kinds[rnd(3)];
        if (i > 0 && t->wrap[i] == 'o' && t->wrap[i - 1] == 'o')
            t->wrap[i] = 'v';
        t->len[i] = 1 + rnd(4);
    }
    /* Only later declarations by value, so nothing contains itself inline. */
    if (t->base >= NAMED && t->base - NAMED <= owner) {
        bool has_vector = false;
        for (int i = 0; i < t->n_wrap; i++)
            has_vector |= t->wrap[i] == 'v';
        if (!has_vector) {
            t->wrap[0] = 'v';
            t->n_wrap = t->n_wrap == 0 ? 1 : t->n_wrap;
        }
    }
}

static void random_fields(const rschema *s, int owner, rfield *f, int *n, int max, int min)
{
    *n = min + (int)rnd((uint32_t)(max - min + 1));
    for (int i = 0; i < *n; i++) {
        fresh_name(f[i].name, field_pool, 12, f[0].name, sizeof *f, i);
        random_type(s, owner, &f[i].type);
    }
}

static void random_decl(rschema *s, int i)
{
    rdecl *d = &s->decls[i];
    memset(d, 0, sizeof *d);
    d->kind = (rkind)rnd(3);
    snprintf(d->name, sizeof d->name, "T%c", 'a' + i);
    d->open = rnd(2) == 0;
    d->underlying = (int)rnd(8);
    d->n = 1 + (int)rnd(MAX_MEMBERS);
    switch (d->kind) {
    case R_STRUCT: random_fields(s, i, d->fields, &d->n, MAX_MEMBERS, 1); break;
    case R_UNION:
        for (int v = 0; v < d->n; v++) {
            fresh_name(d->variants[v].name, variant_pool, 8, d->variants[0].name,
                       sizeof d->variants[0], v);
            random_fields(s, i, d->variants[v].fields, &d->variants[v].n_fields, MAX_FIELDS, 0);
        }
        break;
    case R_ENUM:
        for (int v = 0; v < d->n; v++) {
            fresh_name(d->values[v].name, value_pool, 8, d->values[0].name, sizeof d->values[0],
                       v);
            d->values[v].value = v == 0 ? (int64_t)rnd(3) : d->values[v - 1].value + 1 + rnd(3);
        }
        break;
    }
}

static void random_schema(rschema *s)
{
    memset(s, 0, sizeof *s);
    s->n_decls = 1 + (int)rnd(MAX_DECLS);
    for (int i = s->n_decls - 1; i >= 0; i--) /* later ones exist when earlier ones refer */
        random_decl(s, i);
    for (int i = 0; i < s->n_decls; i++)
        s->order[i] = i;
    s->explicit_roots = rnd(4) != 0;
    for (int i = 0; i < s->n_decls; i++)
        if (s->decls[i].kind != R_ENUM && (s->n_roots == 0 || rnd(2) == 0))
            s->roots[s->n_roots++] = i;
}

/* ---- printing ---------------------------------------------------------------- */

static void print_type(const rschema *s, const rtype *t, strbuf *out)
{
    strbuf inner = STRBUF_INIT;
    sb_puts(&inner, t->base >= NAMED ? s->decls[t->base - NAMED].name : scalar_names[t->base]);
    for (int i = 0; i < t->n_wrap; i++) {
        strbuf next = STRBUF_INIT;
        if (t->wrap[i] == 'v')
            sb_printf(&next, "[%s]", sb_str(&inner));
        else if (t->wrap[i] == 'o')
            sb_printf(&next, "%s?", sb_str(&inner));
        else
            sb_printf(&next, "[%s; %u]", sb_str(&inner), t->len[i]);
        sb_free(&inner);
        inner = next;
    }
    sb_puts(out, sb_str(&inner));
    sb_free(&inner);
}

static void print_fields(const rschema *s, const rfield *f, int n, strbuf *out)
{
    for (int i = 0; i < n; i++) {
        sb_printf(out, "%s%s: ", i ? ", " : "", f[i].name);
        print_type(s, &f[i].type, out);
    }
}

static void print_decl(const rschema *s, const rdecl *d, strbuf *out)
{
    if (d->doc[0] != '\0')
        sb_printf(out, "/// %s\n", d->doc);
    const char *open = d->open ? "open " : "";
    switch (d->kind) {
    case R_STRUCT:
        sb_printf(out, "struct %s { ", d->name);
        print_fields(s, d->fields, d->n, out);
        sb_puts(out, " }\n");
        return;
    case R_UNION:
        sb_printf(out, "%sunion %s { ", open, d->name);
        for (int v = 0; v < d->n; v++) {
            sb_printf(out, "%s%s", v ? ", " : "", d->variants[v].name);
            if (d->variants[v].n_fields > 0) {
                sb_puts(out, " { ");
                print_fields(s, d->variants[v].fields, d->variants[v].n_fields, out);
                sb_puts(out, " }");
            }
        }
        sb_puts(out, " }\n");
        return;
    case R_ENUM:
        sb_printf(out, "%senum %s : %s { ", open, d->name, int_types[d->underlying]);
        for (int v = 0; v < d->n; v++)
            sb_printf(out, "%s%s = %lld", v ? ", " : "", d->values[v].name,
                      (long long)d->values[v].value);
        sb_puts(out, " }\n");
        return;
    }
}

static char *print_schema(const rschema *s)
{
    strbuf out = STRBUF_INIT;
    sb_puts(&out, "schema r version 1;\n");
    if (s->explicit_roots && s->n_roots > 0) {
        sb_puts(&out, "root ");
        for (int i = 0; i < s->n_roots; i++)
            sb_printf(&out, "%s%s", i ? ", " : "", s->decls[s->roots[i]].name);
        sb_puts(&out, ";\n");
    }
    for (int i = 0; i < s->n_decls; i++)
        print_decl(s, &s->decls[s->order[i]], &out);
    return out.data;
}

/* ---- edits ------------------------------------------------------------------------- */

/* A field list of some struct or variant, at random (NULL if none). */
static rfield *some_field_list(rschema *s, int *owner, int **n, int *max)
{
    for (int tries = 0; tries < 8; tries++) {
        int i = (int)rnd((uint32_t)s->n_decls);
        rdecl *d = &s->decls[i];
        *owner = i;
        if (d->kind == R_STRUCT) {
            *n = &d->n;
            *max = MAX_MEMBERS;
            return d->fields;
        }
        if (d->kind == R_UNION) {
            rvariant *v = &d->variants[rnd((uint32_t)d->n)];
            *n = &v->n_fields;
            *max = MAX_FIELDS;
            return v->fields;
        }
    }
    return NULL;
}

static rdecl *some_decl(rschema *s, rkind kind)
{
    for (int tries = 0; tries < 8; tries++) {
        rdecl *d = &s->decls[rnd((uint32_t)s->n_decls)];
        if (d->kind == kind)
            return d;
    }
    return NULL;
}

static void swap_bytes(void *a, void *b, size_t n)
{
    unsigned char tmp[sizeof(rvariant)];
    memcpy(tmp, a, n);
    memcpy(a, b, n);
    memcpy(b, tmp, n);
}

/* The members of a declaration (fields, variants, enum values) are arrays
 * of *n items of `size` bytes: insert leaves item k to be filled in,
 * remove closes the gap item k leaves. */
static void insert_item(void *items, size_t size, int *n, int k)
{
    unsigned char *p = items;
    memmove(p + (size_t)(k + 1) * size, p + (size_t)k * size, (size_t)(*n - k) * size);
    (*n)++;
}

static void remove_item(void *items, size_t size, int *n, int k)
{
    unsigned char *p = items;
    memmove(p + (size_t)k * size, p + (size_t)(k + 1) * size, (size_t)(*n - k - 1) * size);
    (*n)--;
}

/* Edits that change names or docs only: never breaking. */
static bool edit_names_only(rschema *s)
{
    rdecl *d = &s->decls[rnd((uint32_t)s->n_decls)];
    switch (rnd(3)) {
    case 0:
        snprintf(d->name, sizeof d->name, "R%c%u", 'a' + (int)rnd(26), rnd(100));
        for (int i = 0; i < s->n_decls; i++)   /* keep names unique */
            if (&s->decls[i] != d && strcmp(s->decls[i].name, d->name) == 0)
                return false;
        return true;
    case 1:
        snprintf(d->doc, sizeof d->doc, "doc %u", rnd(100));
        return true;
    default:
        if (d->kind == R_STRUCT)
            fresh_name(d->fields[rnd((uint32_t)d->n)].name, field_pool, 12, d->fields[0].name,
                       sizeof d->fields[0], d->n);
        else if (d->kind == R_UNION)
            fresh_name(d->variants[rnd((uint32_t)d->n)].name, variant_pool, 8,
                       d->variants[0].name, sizeof d->variants[0], d->n);
        else
            fresh_name(d->values[rnd((uint32_t)d->n)].name, value_pool, 8, d->values[0].name,
                       sizeof d->values[0], d->n);
        return true;
    }
}

static bool edit_fields(rschema *s)
{
    int owner, *n, max;
    rfield *f = some_field_list(s, &owner, &n, &max);
    if (f == NULL)
        return false;
    int k = *n > 0 ? (int)rnd((uint32_t)*n) : 0;
    switch (rnd(4)) {
    case 0: /* retype */
        if (*n == 0)
            return false;
        random_type(s, owner, &f[k].type);
        return true;
    case 1: /* insert */
        if (*n == max)
            return false;
        insert_item(f, sizeof *f, n, k);
        snprintf(f[k].name, sizeof f[k].name, "added%u", rnd(1000));
        random_type(s, owner, &f[k].type);
        return true;
    case 2: /* remove */
        if (*n <= 1)
            return false;
        remove_item(f, sizeof *f, n, k);
        return true;
    default: /* move */
        if (*n < 2)
            return false;
        swap_bytes(&f[k], &f[(k + 1) % *n], sizeof *f);
        return true;
    }
}

static bool edit_union(rschema *s)
{
    rdecl *d = some_decl(s, R_UNION);
    if (d == NULL)
        return false;
    int k = (int)rnd((uint32_t)d->n);
    switch (rnd(4)) {
    case 0:
        d->open = !d->open;
        return true;
    case 1: /* append or insert */
        if (d->n == MAX_MEMBERS)
            return false;
        k = rnd(2) ? d->n : k;
        insert_item(d->variants, sizeof d->variants[0], &d->n, k);
        snprintf(d->variants[k].name, sizeof d->variants[k].name, "New%u", rnd(1000));
        random_fields(s, (int)(d - s->decls), d->variants[k].fields, &d->variants[k].n_fields,
                      MAX_FIELDS, 0);
        return true;
    case 2:
        if (d->n <= 1)
            return false;
        remove_item(d->variants, sizeof d->variants[0], &d->n, k);
        return true;
    default:
        if (d->n < 2)
            return false;
        swap_bytes(&d->variants[k], &d->variants[(k + 1) % d->n], sizeof d->variants[0]);
        return true;
    }
}

static bool edit_enum(rschema *s)
{
    rdecl *d = some_decl(s, R_ENUM);
    if (d == NULL)
        return false;
    int k = (int)rnd((uint32_t)d->n);
    switch (rnd(6)) {
    case 0: d->open = !d->open; return true;
    case 1: d->underlying = (int)rnd(8); return true;
    case 2: d->values[k].value = (int64_t)rnd(12); return true;  /* may collide: then skipped */
    case 3:
        if (d->n == MAX_MEMBERS)
            return false;
        snprintf(d->values[d->n].name, sizeof d->values[0].name, "New%u", rnd(1000));
        d->values[d->n].value = (int64_t)rnd(16);
        d->n++;
        return true;
    case 4:
        if (d->n <= 1)
            return false;
        remove_item(d->values, sizeof d->values[0], &d->n, k);
        return true;
    default: { /* swap two values' numbers */
        int other = (k + 1) % d->n;
        int64_t v = d->values[k].value;
        d->values[k].value = d->values[other].value;
        d->values[other].value = v;
        return true;
    }
    }
}

static bool edit_layout_of_file(rschema *s)
{
    switch (rnd(4)) {
    case 0: { /* reorder declarations */
        int a = (int)rnd((uint32_t)s->n_decls), b = (int)rnd((uint32_t)s->n_decls);
        int t = s->order[a];
        s->order[a] = s->order[b];
        s->order[b] = t;
        return true;
    }
    case 1: /* toggle a root */
        if (s->n_roots > 1 && rnd(2) == 0) {
            s->n_roots--;
            return true;
        }
        for (int i = 0; i < s->n_decls; i++) {
            bool is_root = false;
            for (int r = 0; r < s->n_roots; r++)
                is_root |= s->roots[r] == i;
            if (!is_root && s->decls[i].kind != R_ENUM) {
                s->roots[s->n_roots++] = i;
                return true;
            }
        }
        return false;
    case 2:
        s->explicit_roots = !s->explicit_roots;
        return true;
    default: /* swap two roots' layouts: move the bodies, keep the names */
        if (s->n_roots < 2)
            return false;
        {
            rdecl *a = &s->decls[s->roots[0]], *b = &s->decls[s->roots[1]];
            char na[16], nb[16];
            memcpy(na, a->name, 16);
            memcpy(nb, b->name, 16);
            rdecl t = *a;
            *a = *b;
            *b = t;
            memcpy(a->name, na, 16);
            memcpy(b->name, nb, 16);
        }
        return true;
    }
}

static bool edit(rschema *s, bool names_only)
{
    if (names_only)
        return edit_names_only(s);
    switch (rnd(5)) {
    case 0: return edit_names_only(s);
    case 1: return edit_fields(s);
    case 2: return edit_union(s);
    case 3: return edit_enum(s);
    default: return edit_layout_of_file(s);
    }
}

/* ---- the property ------------------------------------------------------------------ */

typedef struct tally {
    int compared, skipped, breaking, warnings, equal_fingerprints;
} tally;

static bool compiles(const char *text)
{
    schema *s = cu_compile("x.idl", text, NULL);
    ast_free(s);
    return s != NULL;
}

static void check_pair(const char *old_text, const char *new_text, bool names_only, tally *t,
                       uint64_t seed)
{
    char what[64];
    snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
    compat_result r, again;
    char *report = cu_compare("old.idl", old_text, "new.idl", new_text, &r);
    char *report2 = cu_compare("old.idl", old_text, "new.idl", new_text, &again);
    ck_assert_msg(strcmp(report, report2) == 0, "%s: report not deterministic", what);
    cu_assert_agrees_with_fingerprint(report, &r, what);
    if (names_only)
        ck_assert_msg(r.breaking == 0, "%s: renaming broke something:\n%s\n%s\n%s", what,
                      old_text, new_text, report);
    t->compared++;
    t->breaking += r.breaking > 0;
    t->warnings += r.warnings > 0;
    t->equal_fingerprints += r.old_fingerprint == r.new_fingerprint;
    free(report);
    free(report2);
}

static void run_random_pairs(uint64_t first_seed, int n, bool names_only, tally *t)
{
    for (int i = 0; i < n; i++) {
        uint64_t seed = first_seed + (uint64_t)i;
        rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) | 1;
        rschema old_s;
        random_schema(&old_s);
        rschema new_s = old_s;
        int edits = 1 + (int)rnd(3);
        for (int e = 0; e < edits; e++)
            edit(&new_s, names_only);
        char *old_text = print_schema(&old_s), *new_text = print_schema(&new_s);
        if (compiles(old_text) && compiles(new_text)) {
            check_pair(old_text, new_text, names_only, t, seed);
            compat_result self;
            char *report = cu_compare("a.idl", new_text, "b.idl", new_text, &self);
            ck_assert_msg(self.breaking + self.warnings + self.compatible == 0,
                          "seed %llu: a schema differs from itself:\n%s",
                          (unsigned long long)seed, report);
            free(report);
        } else {
            t->skipped++;
        }
        free(old_text);
        free(new_text);
    }
}

START_TEST(random_edits_agree_with_fingerprint)
{
    tally t = { 0 };
    run_random_pairs(1, 1500, false, &t);
    /* The generator must really exercise both sides of the promise. */
    ck_assert_msg(t.compared > 1300, "only %d of 1500 pairs compiled", t.compared);
    ck_assert_msg(t.breaking > 300, "only %d breaking pairs", t.breaking);
    ck_assert_msg(t.equal_fingerprints > 300, "only %d pairs with equal fingerprints",
                  t.equal_fingerprints);
    ck_assert_msg(t.warnings > 20, "only %d pairs with warnings", t.warnings);
}
END_TEST

START_TEST(random_renames_are_never_breaking)
{
    tally t = { 0 };
    run_random_pairs(100000, 500, true, &t);
    ck_assert_msg(t.compared > 400, "only %d of 500 pairs compiled", t.compared);
}
END_TEST

static Suite *random_suite(void)
{
    Suite *s = suite_create("compat_random");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, random_edits_agree_with_fingerprint);
    tcase_add_test(tc, random_renames_are_never_breaking);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(random_suite());
}
