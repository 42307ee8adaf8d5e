/*
 * compat_describe.c - what changed inside one matched pair of declarations
 * (docs/IDL.md 8.2 and 8.3).
 *
 * The verdict of a member list (a struct's fields, a union's variants)
 * comes from the bytes, position by position (compat_wire.c); its
 * description from the names:
 *
 *   - members are matched by name, then (renames) by position among the
 *     ones left over;
 *   - if that matching keeps every position, or the positions still read
 *     the same bytes, the list is described position by position: renames,
 *     changed types, and a warning when a name now sits where another was;
 *   - otherwise its layout changed, and it is described by name: members
 *     added, removed, moved (all breaking).
 *
 * Enum values are matched by name, then by number (their wire identity).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compat_internal.h"
#include "symtab.h"
#include "strbuf.h"

/* ---- matching members by name, then by position ------------------------------ */

typedef struct member_match {
    size_t *of_new;        /* new index -> old index, or COMPAT_NONE */
    size_t *of_old;        /* old index -> new index, or COMPAT_NONE */
    bool *moved;           /* per new index: out of order relative to the others */
    symtab old_names, new_names;
} member_match;

size_t *compat_none_array(size_t n)
{
    size_t *a = malloc((n + 1) * sizeof *a);
    if (a == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        a[i] = COMPAT_NONE;
    return a;
}

static void name_table(symtab *t, const char *const *names, size_t n)
{
    symtab_init(t, n);
    for (size_t i = 0; i < n; i++) {
        size_t ignored;
        symtab_add(t, names[i], i, &ignored);
    }
}

/* A member moved when its order relative to the others changed, not when it
 * merely shifted because something before it was added or removed: the
 * members kept in place are a longest run of matched members whose old
 * positions increase (patience sorting, O(n log n)). */
static void mark_moved(member_match *m, size_t n_new)
{
    size_t *tails = malloc((n_new + 1) * sizeof *tails); /* new index ending each run length */
    size_t *prev = malloc((n_new + 1) * sizeof *prev);
    if (tails == NULL || prev == NULL)
        abort();
    size_t runs = 0;
    for (size_t j = 0; j < n_new; j++) {
        size_t i = m->of_new[j];
        m->moved[j] = i != COMPAT_NONE;
        if (i == COMPAT_NONE)
            continue;
        size_t lo = 0, hi = runs;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->of_new[tails[mid]] < i)
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[j] = lo > 0 ? tails[lo - 1] : COMPAT_NONE;
        tails[lo] = j;
        if (lo == runs)
            runs++;
    }
    for (size_t j = runs > 0 ? tails[runs - 1] : COMPAT_NONE; j != COMPAT_NONE; j = prev[j])
        m->moved[j] = false;
    free(tails);
    free(prev);
}

static member_match match_members(const char *const *old_names, size_t n_old,
                                  const char *const *new_names, size_t n_new)
{
    member_match m = { compat_none_array(n_new), compat_none_array(n_old),
                       calloc(n_new + 1, sizeof(bool)), { 0 }, { 0 } };
    if (m.moved == NULL)
        abort();
    name_table(&m.old_names, old_names, n_old);
    name_table(&m.new_names, new_names, n_new);
    for (size_t j = 0; j < n_new; j++) {
        size_t i;
        if (symtab_get(&m.old_names, new_names[j], &i)) {
            m.of_new[j] = i;
            m.of_old[i] = j;
        }
    }
    for (size_t j = 0; j < n_new && j < n_old; j++) {
        if (m.of_new[j] == COMPAT_NONE && m.of_old[j] == COMPAT_NONE) {
            m.of_new[j] = j;
            m.of_old[j] = j;
        }
    }
    mark_moved(&m, n_new);
    return m;
}

static void member_match_free(member_match *m)
{
    free(m->of_new);
    free(m->of_old);
    free(m->moved);
    symtab_free(&m->old_names);
    symtab_free(&m->new_names);
}

/* Every old member 0..n_old-1 kept its position. */
static bool keeps_positions(const member_match *m, size_t n_old)
{
    for (size_t i = 0; i < n_old; i++)
        if (m->of_old[i] != i)
            return false;
    return true;
}

/* A member renamed from old_name to new_name, where the old file has a
 * member of the new name, or the new file one of the old name, elsewhere:
 * the bytes are unchanged but each side reads them under another name.
 * Appends why ("but 'b' was another field's name") to `why`; false if
 * the rename is a plain one. */
static bool names_exchanged(const member_match *m, const char *old_name, const char *new_name,
                            const char *member, strbuf *why)
{
    size_t ignored;
    if (symtab_get(&m->old_names, new_name, &ignored))
        sb_printf(why, "but '%s' was another %s's name", new_name, member);
    else if (symtab_get(&m->new_names, old_name, &ignored))
        sb_printf(why, "but '%s' is now another %s's name", old_name, member);
    else
        return false;
    return true;
}

static const char **field_names(const field_list *fl)
{
    const char **names = malloc((fl->len + 1) * sizeof *names);
    if (names == NULL)
        abort();
    for (size_t i = 0; i < fl->len; i++)
        names[i] = fl->items[i].name;
    return names;
}

static const char **variant_names(const decl *u)
{
    const char **names = malloc((u->n_variants + 1) * sizeof *names);
    if (names == NULL)
        abort();
    for (size_t i = 0; i < u->n_variants; i++)
        names[i] = u->variants[i].name;
    return names;
}

/* ---- fields ------------------------------------------------------------------ */

/* Where a field list lives: a struct "S" or a variant's payload "U.V". */
typedef struct owner {
    const char *name;          /* new names */
    src_loc new_loc, old_loc;  /* the struct or variant: additions and removals point here */
} owner;

static void describe_field_pair(comparer *c, const owner *ow, const member_match *m,
                                const field *fo, const field *fn)
{
    if (strcmp(fo->name, fn->name) != 0) {
        strbuf why = STRBUF_INIT;
        if (names_exchanged(m, fo->name, fn->name, "field", &why))
            compat_note(c, CHANGE_WARNING, fn->loc, fo->loc,
                        "field '%s.%s' renamed to '%s', %s; the same bytes are read under "
                        "different names",
                        ow->name, fo->name, fn->name, sb_str(&why));
        else
            compat_note(c, CHANGE_COMPATIBLE, fn->loc, fo->loc, "field '%s.%s' renamed to '%s'",
                        ow->name, fo->name, fn->name);
        sb_free(&why);
    }
    strbuf what = STRBUF_INIT;
    sb_printf(&what, "field '%s.%s'", ow->name, fn->name);
    compat_describe_use(c, sb_str(&what), fn->loc, fo->loc, fo->type, fn->type);
    compat_compare_doc(c, sb_str(&what), fn->loc, fo->loc, fo->doc, fn->doc);
    sb_free(&what);
}

/* The layout changed: say which fields were added, moved or removed. */
static void describe_fields_by_name(comparer *c, const owner *ow, const member_match *m,
                                    const field_list *fo, const field_list *fn)
{
    for (size_t j = 0; j < fn->len; j++) {
        const field *f = &fn->items[j];
        size_t i = m->of_new[j];
        if (i == COMPAT_NONE) {
            compat_note(c, CHANGE_BREAKING, f->loc, ow->old_loc,
                        "field '%s.%s' added at position %zu%s", ow->name, f->name, j + 1,
                        j + 1 < fn->len ? "; the fields after it move" : "");
            continue;
        }
        if (m->moved[j])
            compat_note(c, CHANGE_BREAKING, f->loc, fo->items[i].loc,
                        "field '%s.%s' moved from position %zu to %zu", ow->name, f->name, i + 1,
                        j + 1);
        describe_field_pair(c, ow, m, &fo->items[i], f);
    }
    for (size_t i = 0; i < fo->len; i++)
        if (m->of_old[i] == COMPAT_NONE)
            compat_note(c, CHANGE_BREAKING, ow->new_loc, fo->items[i].loc,
                        "field '%s.%s' removed%s", ow->name, fo->items[i].name,
                        i + 1 < fo->len ? "; the fields after it move" : "");
}

static void describe_fields(comparer *c, const owner *ow, const field_list *fo,
                            const field_list *fn)
{
    const char **on = field_names(fo), **nn = field_names(fn);
    member_match m = match_members(on, fo->len, nn, fn->len);
    bool positional = fo->len == fn->len && (keeps_positions(&m, fo->len) ||
                                             wire_fields(c->wire, fo, fn) != WIRE_BREAKING);
    if (positional) {
        for (size_t i = 0; i < fo->len; i++)
            describe_field_pair(c, ow, &m, &fo->items[i], &fn->items[i]);
    } else {
        describe_fields_by_name(c, ow, &m, fo, fn);
    }
    member_match_free(&m);
    free(on);
    free(nn);
}

static void describe_struct(comparer *c, const decl *o, const decl *n)
{
    owner ow = { n->name, n->loc, o->loc };
    describe_fields(c, &ow, &o->fields, &n->fields);
}

/* ---- unions ------------------------------------------------------------------- */

static void describe_variant_pair(comparer *c, const decl *u, const member_match *m,
                                  const variant *vo, const variant *vn)
{
    if (strcmp(vo->name, vn->name) != 0) {
        strbuf why = STRBUF_INIT;
        if (names_exchanged(m, vo->name, vn->name, "variant", &why))
            compat_note(c, CHANGE_WARNING, vn->loc, vo->loc,
                        "variant '%s.%s' renamed to '%s', %s; the same bytes are read under "
                        "different names",
                        u->name, vo->name, vn->name, sb_str(&why));
        else
            compat_note(c, CHANGE_COMPATIBLE, vn->loc, vo->loc, "variant '%s.%s' renamed to '%s'",
                        u->name, vo->name, vn->name);
        sb_free(&why);
    }
    strbuf name = STRBUF_INIT, what = STRBUF_INIT;
    sb_printf(&name, "%s.%s", u->name, vn->name);
    sb_printf(&what, "variant '%s'", sb_str(&name));
    owner ow = { sb_str(&name), vn->loc, vo->loc };
    describe_fields(c, &ow, &vo->fields, &vn->fields);
    compat_compare_doc(c, sb_str(&what), vn->loc, vo->loc, vo->doc, vn->doc);
    sb_free(&name);
    sb_free(&what);
}

static void report_appended(comparer *c, const decl *o, const decl *n, const variant *v)
{
    compat_note(c, CHANGE_COMPATIBLE, v->loc, o->loc, "variant '%s.%s' appended; %s", n->name,
                v->name,
                o->is_open ? "old readers see an unknown variant"
                           : "old readers reject messages that use it");
}

/* Do the old variants' payloads still read the same bytes at the same tags? */
static bool variants_keep_layout(comparer *c, const decl *o, const decl *n)
{
    if (n->n_variants < o->n_variants)
        return false;
    for (size_t i = 0; i < o->n_variants; i++)
        if (wire_fields(c->wire, &o->variants[i].fields, &n->variants[i].fields) ==
            WIRE_BREAKING)
            return false;
    return true;
}

static void describe_variants_by_name(comparer *c, const decl *o, const decl *n,
                                      const member_match *m)
{
    for (size_t j = 0; j < n->n_variants; j++) {
        const variant *v = &n->variants[j];
        size_t i = m->of_new[j];
        if (i == COMPAT_NONE) {
            if (j >= o->n_variants)
                report_appended(c, o, n, v);
            else
                compat_note(c, CHANGE_BREAKING, v->loc, o->variants[j].loc,
                            "variant '%s.%s' inserted at tag %zu%s", n->name, v->name, j,
                            j + 1 < n->n_variants ? "; the variants after it change tags" : "");
            continue;
        }
        if (m->moved[j])
            compat_note(c, CHANGE_BREAKING, v->loc, o->variants[i].loc,
                        "variant '%s.%s' moved from tag %zu to %zu", n->name, v->name, i, j);
        describe_variant_pair(c, n, m, &o->variants[i], v);
    }
    for (size_t i = 0; i < o->n_variants; i++)
        if (m->of_old[i] == COMPAT_NONE)
            compat_note(c, CHANGE_BREAKING, n->loc, o->variants[i].loc,
                        "variant '%s.%s' removed%s", n->name, o->variants[i].name,
                        i + 1 < o->n_variants ? "; the variants after it change tags" : "");
}

static void describe_union(comparer *c, const decl *o, const decl *n)
{
    if (o->is_open && !n->is_open)
        compat_note(c, CHANGE_BREAKING, n->loc, o->loc, "union '%s' is now closed", n->name);
    else if (!o->is_open && n->is_open)
        compat_note(c, CHANGE_COMPATIBLE, n->loc, o->loc, "union '%s' is now open", n->name);
    const char **on = variant_names(o), **nn = variant_names(n);
    member_match m = match_members(on, o->n_variants, nn, n->n_variants);
    bool positional = n->n_variants >= o->n_variants &&
                      (keeps_positions(&m, o->n_variants) || variants_keep_layout(c, o, n));
    if (positional) {
        for (size_t i = 0; i < o->n_variants; i++)
            describe_variant_pair(c, n, &m, &o->variants[i], &n->variants[i]);
        for (size_t j = o->n_variants; j < n->n_variants; j++)
            report_appended(c, o, n, &n->variants[j]);
    } else {
        describe_variants_by_name(c, o, n, &m);
    }
    member_match_free(&m);
    free(on);
    free(nn);
}

/* ---- enums --------------------------------------------------------------------- */

/* An enum's values by number, for lookups (numbers are distinct). */
typedef struct by_number {
    int64_t value;
    size_t index;
} by_number;

static int cmp_by_number(const void *a, const void *b)
{
    int64_t x = ((const by_number *)a)->value, y = ((const by_number *)b)->value;
    return x < y ? -1 : x > y;
}

static by_number *numbers_of(const decl *e)
{
    by_number *t = malloc((e->n_values + 1) * sizeof *t);
    if (t == NULL)
        abort();
    for (size_t i = 0; i < e->n_values; i++)
        t[i] = (by_number){ e->values[i].value, i };
    qsort(t, e->n_values, sizeof *t, cmp_by_number);
    return t;
}

static bool find_number(const by_number *t, size_t n, int64_t value, size_t *index)
{
    by_number key = { value, 0 };
    const by_number *hit = bsearch(&key, t, n, sizeof *t, cmp_by_number);
    if (hit != NULL)
        *index = hit->index;
    return hit != NULL;
}

typedef struct enum_pair {
    const decl *o, *n;
    symtab old_names, new_names;
    by_number *old_numbers, *new_numbers;
} enum_pair;

static bool new_accepts(const enum_pair *e, int64_t value)
{
    size_t ignored;
    return e->n->is_open || find_number(e->new_numbers, e->n->n_values, value, &ignored);
}

static void compare_value_doc(comparer *c, const enum_pair *e, const enum_value *vo,
                              const enum_value *vn)
{
    strbuf what = STRBUF_INIT;
    sb_printf(&what, "enum value '%s.%s'", e->n->name, vn->name);
    compat_compare_doc(c, sb_str(&what), vn->loc, vo->loc, vo->doc, vn->doc);
    sb_free(&what);
}

/* A new value whose name the old enum has. */
static void describe_kept_name(comparer *c, const enum_pair *e, const enum_value *vo,
                               const enum_value *vn)
{
    if (vo->value != vn->value) {
        bool accepted = new_accepts(e, vo->value);
        compat_note(c, accepted ? CHANGE_WARNING : CHANGE_BREAKING, vn->loc, vo->loc,
                    "enum value '%s.%s' renumbered from %" PRId64 " to %" PRId64 "%s",
                    e->n->name, vn->name, vo->value, vn->value,
                    accepted ? "; both numbers are still accepted, but the two sides name them "
                               "differently"
                             : "");
    }
    compare_value_doc(c, e, vo, vn);
}

/* A new value whose name the old enum does not have. */
static void describe_new_name(comparer *c, const enum_pair *e, const enum_value *vn)
{
    size_t i, ignored;
    if (!find_number(e->old_numbers, e->o->n_values, vn->value, &i)) {
        compat_note(c, CHANGE_COMPATIBLE, vn->loc, e->o->loc,
                    "enum value '%s.%s' = %" PRId64 " added; %s", e->n->name, vn->name,
                    vn->value,
                    e->o->is_open ? "old readers see an unknown value"
                                  : "old readers reject messages that carry it");
        return;
    }
    const enum_value *vo = &e->o->values[i];
    if (symtab_get(&e->new_names, vo->name, &ignored)) {
        compat_note(c, CHANGE_WARNING, vn->loc, vo->loc,
                    "enum value '%s.%s' = %" PRId64 " added, but %" PRId64
                    " is '%s' in the old schema; the same number is read under different names",
                    e->n->name, vn->name, vn->value, vn->value, vo->name);
    } else {
        compat_note(c, CHANGE_COMPATIBLE, vn->loc, vo->loc, "enum value '%s.%s' renamed to '%s'",
                    e->n->name, vo->name, vn->name);
    }
    compare_value_doc(c, e, vo, vn);
}

/* Old values whose name and number are both gone. */
static void describe_removed_values(comparer *c, const enum_pair *e)
{
    for (size_t i = 0; i < e->o->n_values; i++) {
        const enum_value *vo = &e->o->values[i];
        size_t ignored;
        if (symtab_get(&e->new_names, vo->name, &ignored) ||
            find_number(e->new_numbers, e->n->n_values, vo->value, &ignored))
            continue;
        if (e->n->is_open)
            compat_note(c, CHANGE_WARNING, e->n->loc, vo->loc,
                        "enum value '%s.%s' = %" PRId64
                        " removed; new readers see it as an unknown value",
                        e->n->name, vo->name, vo->value);
        else
            compat_note(c, CHANGE_BREAKING, e->n->loc, vo->loc,
                        "enum value '%s.%s' = %" PRId64 " removed", e->n->name, vo->name,
                        vo->value);
    }
}

static void value_names(symtab *t, const decl *e)
{
    symtab_init(t, e->n_values);
    for (size_t i = 0; i < e->n_values; i++) {
        size_t ignored;
        symtab_add(t, e->values[i].name, i, &ignored);
    }
}

static void describe_enum(comparer *c, const decl *o, const decl *n)
{
    if (o->underlying != n->underlying)
        compat_note(c, CHANGE_BREAKING, n->underlying_loc.line ? n->underlying_loc : n->loc,
                    o->loc, "enum '%s' changed its type from %s to %s", n->name,
                    ast_type_kind_name(o->underlying), ast_type_kind_name(n->underlying));
    if (o->is_open && !n->is_open)
        compat_note(c, CHANGE_BREAKING, n->loc, o->loc, "enum '%s' is now closed", n->name);
    else if (!o->is_open && n->is_open)
        compat_note(c, CHANGE_COMPATIBLE, n->loc, o->loc, "enum '%s' is now open", n->name);
    enum_pair e = { o, n, { 0 }, { 0 }, numbers_of(o), numbers_of(n) };
    value_names(&e.old_names, o);
    value_names(&e.new_names, n);
    for (size_t j = 0; j < n->n_values; j++) {
        size_t i;
        if (symtab_get(&e.old_names, n->values[j].name, &i))
            describe_kept_name(c, &e, &o->values[i], &n->values[j]);
        else
            describe_new_name(c, &e, &n->values[j]);
    }
    describe_removed_values(c, &e);
    symtab_free(&e.old_names);
    symtab_free(&e.new_names);
    free(e.old_numbers);
    free(e.new_numbers);
}

/* ---- one pair of declarations ----------------------------------------------------- */

static const char *article(decl_kind k)
{
    return k == DECL_ENUM ? "an" : "a";
}

void compat_describe_decl(comparer *c, size_t old_index)
{
    const decl *o = c->old_s->decls[old_index];
    const decl *n = c->new_s->decls[c->old_to_new[old_index] - 1];
    strbuf what = STRBUF_INIT;
    sb_printf(&what, "%s '%s'", compat_kind_word(n->kind), n->name);
    compat_compare_doc(c, sb_str(&what), n->loc, o->loc, o->doc, n->doc);
    sb_free(&what);
    if (o->kind != n->kind) {
        compat_note(c, CHANGE_BREAKING, n->loc, o->loc, "%s '%s' is now %s %s",
                    compat_kind_word(o->kind), n->name, article(n->kind),
                    compat_kind_word(n->kind));
        return;
    }
    switch (n->kind) {
    case DECL_STRUCT: describe_struct(c, o, n); return;
    case DECL_UNION: describe_union(c, o, n); return;
    case DECL_ENUM: describe_enum(c, o, n); return;
    }
}
