/*
 * compat_roots.c - pairing the roots (the messages) of the two schemas,
 * where `gritec --compat` starts its walk (docs/IDL.md 8.3).
 *
 * Roots are paired most certain first: the same name and the same bytes;
 * the same bytes under another name; the same name; a rename at the same
 * position of the two root lists. "The same bytes" is what keeps the
 * promise that equal fingerprints never come with a breaking change: the
 * fingerprint is the sorted list of the roots' descriptions, so when the
 * two fingerprints are equal every old root has a new one with an
 * identical description, and pairing by identical descriptions first
 * pairs them all. When the fingerprints differ no such promise is at
 * stake, and the (cheaper) wire comparison decides instead.
 */
#include <stdlib.h>
#include <string.h>

#include "compat_internal.h"
#include "symtab.h"
#include "fingerprint.h"

/* The messages of a schema: its `root` list, or without one every struct
 * and union (as for the fingerprint). */
typedef struct root_entry {
    const decl *d;
    src_loc loc;
    char *desc;     /* the fingerprint's description of this root alone, or NULL */
} root_entry;

typedef struct root_list {
    root_entry *items;
    size_t len;
    src_loc where;  /* where lines about a root missing from this file point */
    symtab names;
} root_list;

/* Pairing everything left with everything left is quadratic: beyond this
 * many candidate pairs (only when the fingerprints differ) it is skipped. */
enum { MAX_LAYOUT_CANDIDATES = 4096 };

static char *root_desc(const schema *s, const decl *d)
{
    schema alone = *s;
    root_ref r = { d->name, d->loc, (decl *)d };
    alone.roots = &r;
    alone.n_roots = 1;
    strbuf text = STRBUF_INIT;
    fingerprint_canonical(&alone, &text);
    return text.data;
}

static root_list collect_roots(const schema *s, bool with_descs)
{
    root_list l = { malloc((s->n_decls + s->n_roots + 1) * sizeof *l.items), 0, s->name_loc,
                    { 0 } };
    if (l.items == NULL)
        abort();
    if (s->n_roots > 0) {
        l.where = s->roots[0].loc;
        for (size_t i = 0; i < s->n_roots; i++)
            l.items[l.len++] = (root_entry){ s->roots[i].decl, s->roots[i].loc, NULL };
    } else {
        for (size_t i = 0; i < s->n_decls; i++)
            if (s->decls[i]->kind != DECL_ENUM)
                l.items[l.len++] = (root_entry){ s->decls[i], s->decls[i]->loc, NULL };
    }
    symtab_init(&l.names, l.len);
    for (size_t i = 0; i < l.len; i++) {
        size_t ignored;
        if (with_descs)
            l.items[i].desc = root_desc(s, l.items[i].d);
        symtab_add(&l.names, l.items[i].d->name, i, &ignored);
    }
    return l;
}

static void root_list_free(root_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i].desc);
    free(l->items);
    symtab_free(&l->names);
}

typedef struct root_pairing {
    const root_list *o, *n;
    size_t *of_old, *of_new;   /* the paired root's index in the other list, or COMPAT_NONE */
    size_t left_old, left_new; /* how many are still unpaired */
} root_pairing;

static void pair_roots(root_pairing *p, size_t i, size_t j)
{
    p->of_old[i] = j;
    p->of_new[j] = i;
    p->left_old--;
    p->left_new--;
}

/* Do old root i and new root j have the same bytes? */
static bool same_layout(comparer *c, const root_pairing *p, size_t i, size_t j)
{
    const root_entry *a = &p->o->items[i], *b = &p->n->items[j];
    if (a->desc != NULL && b->desc != NULL)
        return strcmp(a->desc, b->desc) == 0;
    return wire_decls(c->wire, a->d, b->d) == WIRE_SAME;
}

static void pair_same_name(comparer *c, root_pairing *p, bool and_layout)
{
    for (size_t i = 0; i < p->o->len; i++) {
        size_t j;
        if (p->of_old[i] == COMPAT_NONE &&
            symtab_get(&p->n->names, p->o->items[i].d->name, &j) && p->of_new[j] == COMPAT_NONE &&
            (!and_layout || same_layout(c, p, i, j)))
            pair_roots(p, i, j);
    }
}

static void pair_same_layout(comparer *c, root_pairing *p)
{
    for (size_t i = 0; i < p->o->len; i++)
        for (size_t j = 0; j < p->n->len && p->of_old[i] == COMPAT_NONE; j++)
            if (p->of_new[j] == COMPAT_NONE && same_layout(c, p, i, j))
                pair_roots(p, i, j);
}

/* A rename: the same position, and neither name is a root of the other file. */
static void pair_same_position(root_pairing *p)
{
    for (size_t i = 0; i < p->o->len && i < p->n->len; i++) {
        size_t ignored;
        if (p->of_old[i] == COMPAT_NONE && p->of_new[i] == COMPAT_NONE &&
            !symtab_get(&p->n->names, p->o->items[i].d->name, &ignored) &&
            !symtab_get(&p->o->names, p->n->items[i].d->name, &ignored))
            pair_roots(p, i, i);
    }
}

static root_pairing match_roots(comparer *c, const root_list *o, const root_list *n,
                                bool equal_fingerprints)
{
    root_pairing p = { o, n, compat_none_array(o->len), compat_none_array(n->len), o->len,
                       n->len };
    pair_same_name(c, &p, true);
    if (equal_fingerprints || p.left_old * p.left_new <= MAX_LAYOUT_CANDIDATES)
        pair_same_layout(c, &p);
    pair_same_name(c, &p, false);
    pair_same_position(&p);
    return p;
}

static void compare_root_pair(comparer *c, const root_entry *o, const root_entry *n)
{
    if (compat_pair_types(c, o->d, n->d))
        return;
    /* Another type: the same bytes, if at all, now have another name. */
    wire_change w = wire_decls(c->wire, o->d, n->d);
    compat_note(c, w == WIRE_BREAKING ? CHANGE_BREAKING : CHANGE_WARNING, n->loc, o->loc,
                "root '%s' replaced by '%s'%s", o->d->name, n->d->name,
                w == WIRE_SAME         ? "; same layout, read under another name"
                : w == WIRE_COMPATIBLE ? "; a compatible layout, read under another name"
                                       : "");
}

void compat_compare_roots(comparer *c, bool *old_covered, bool *new_covered,
                          bool equal_fingerprints)
{
    root_list o = collect_roots(c->old_s, equal_fingerprints);
    root_list n = collect_roots(c->new_s, equal_fingerprints);
    root_pairing p = match_roots(c, &o, &n, equal_fingerprints);
    for (size_t j = 0; j < n.len; j++) {
        const root_entry *r = &n.items[j];
        if (p.of_new[j] != COMPAT_NONE) {
            compare_root_pair(c, &o.items[p.of_new[j]], r);
        } else {
            compat_note(c, CHANGE_COMPATIBLE, r->loc, o.where, "root '%s' added", r->d->name);
            new_covered[r->d->index] = true;
        }
    }
    for (size_t i = 0; i < o.len; i++) {
        if (p.of_old[i] != COMPAT_NONE)
            continue;
        const root_entry *r = &o.items[i];
        compat_note(c, CHANGE_BREAKING, n.where, r->loc, "root '%s' removed", r->d->name);
        old_covered[r->d->index] = true;
    }
    free(p.of_old);
    free(p.of_new);
    root_list_free(&o);
    root_list_free(&n);
}
