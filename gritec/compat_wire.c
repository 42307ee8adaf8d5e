/*
 * compat_wire.c - structural comparison of two schemas' types (see
 * compat_wire.h).
 *
 * Every (old decl, new decl) pair met becomes a node of a graph. Its
 * *local* change is what differs at that declaration alone (a field count,
 * a tag, an enum value set...); its edges lead to the pairs of named types
 * its fields use, position by position. The change of a pair is the worst
 * local change reachable from it. Nodes are created on demand; whenever a
 * node's change rises, the rise is pushed to every node that reaches it,
 * so each node rises at most twice and the whole computation is linear in
 * the size of the graph. Nothing here recurses deeper than one type
 * expression (bounded by the parser's nesting limit).
 */
#include "compat_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct wire_pair {
    const decl *o, *n;
    wire_change change;
    size_t *parents;        /* pairs whose fields use this pair */
    size_t n_parents, cap_parents;
} wire_pair;

struct wire_graph {
    wire_pair *pairs;
    size_t len, cap;
    size_t *slots;          /* open addressing: pair index + 1, 0 = empty */
    size_t slot_cap;        /* a power of two, at least twice len */
    size_t *pending;        /* created pairs whose local change is not known yet */
    size_t n_pending, cap_pending;
    size_t *rising;         /* scratch stack for propagating a rise */
    size_t n_rising, cap_rising;
};

static void *grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? 2 * *cap : 16;
    p = realloc(p, *cap * elem);
    if (p == NULL)
        abort(); /* gritec has no sensible fallback for out-of-memory */
    return p;
}

static void push(size_t **stack, size_t *len, size_t *cap, size_t v)
{
    if (*len == *cap)
        *stack = grow(*stack, cap, sizeof **stack);
    (*stack)[(*len)++] = v;
}

static wire_change worst(wire_change a, wire_change b)
{
    return a > b ? a : b;
}

wire_graph *wire_new(void)
{
    wire_graph *g = calloc(1, sizeof *g);
    if (g == NULL)
        abort();
    return g;
}

void wire_free(wire_graph *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->len; i++)
        free(g->pairs[i].parents);
    free(g->pairs);
    free(g->slots);
    free(g->pending);
    free(g->rising);
    free(g);
}

/* ---- the pair table ------------------------------------------------------ */

static size_t hash_pair(const decl *o, const decl *n)
{
    uint64_t h = (uint64_t)(uintptr_t)o * UINT64_C(0x9e3779b97f4a7c15);
    h ^= (uint64_t)(uintptr_t)n + UINT64_C(0x632be59bd9b4e019) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xff51afd7ed558ccd);
    return (size_t)(h ^ (h >> 33));
}

static void slot_insert(wire_graph *g, size_t index)
{
    size_t mask = g->slot_cap - 1;
    size_t i = hash_pair(g->pairs[index].o, g->pairs[index].n) & mask;
    while (g->slots[i] != 0)
        i = (i + 1) & mask;
    g->slots[i] = index + 1;
}

static void rehash(wire_graph *g)
{
    free(g->slots);
    g->slot_cap = g->slot_cap ? 2 * g->slot_cap : 64;
    g->slots = calloc(g->slot_cap, sizeof *g->slots);
    if (g->slots == NULL)
        abort();
    for (size_t i = 0; i < g->len; i++)
        slot_insert(g, i);
}

/* The index of pair (o, n), created (and queued for its local check) if new. */
static size_t get_pair(wire_graph *g, const decl *o, const decl *n)
{
    if (g->slot_cap != 0) {
        size_t mask = g->slot_cap - 1;
        for (size_t i = hash_pair(o, n) & mask; g->slots[i] != 0; i = (i + 1) & mask) {
            const wire_pair *p = &g->pairs[g->slots[i] - 1];
            if (p->o == o && p->n == n)
                return g->slots[i] - 1;
        }
    }
    if (g->len == g->cap)
        g->pairs = grow(g->pairs, &g->cap, sizeof *g->pairs);
    size_t index = g->len++;
    g->pairs[index] = (wire_pair){ .o = o, .n = n, .change = WIRE_SAME };
    if (2 * g->len > g->slot_cap)
        rehash(g);
    else
        slot_insert(g, index);
    push(&g->pending, &g->n_pending, &g->cap_pending, index);
    return index;
}

/* Make pair `index` at least as bad as `change`, and everything that reaches it. */
static void rise(wire_graph *g, size_t index, wire_change change)
{
    if (g->pairs[index].change >= change)
        return;
    g->pairs[index].change = change;
    g->n_rising = 0;
    push(&g->rising, &g->n_rising, &g->cap_rising, index);
    while (g->n_rising > 0) {
        const wire_pair *p = &g->pairs[g->rising[--g->n_rising]];
        for (size_t i = 0; i < p->n_parents; i++) {
            wire_pair *parent = &g->pairs[p->parents[i]];
            if (parent->change < p->change) {
                parent->change = p->change;
                push(&g->rising, &g->n_rising, &g->cap_rising, p->parents[i]);
            }
        }
    }
}

static void add_edge(wire_graph *g, size_t parent, size_t child)
{
    wire_pair *c = &g->pairs[child];
    if (c->n_parents == c->cap_parents)
        c->parents = grow(c->parents, &c->cap_parents, sizeof *c->parents);
    c->parents[c->n_parents++] = parent;
    rise(g, parent, g->pairs[child].change);
}

/* ---- local comparisons ------------------------------------------------------ */

enum { NO_PARENT = SIZE_MAX };

static void drain(wire_graph *g);

/* Compare two type expressions. Named types become edges from `parent`
 * (or, without a parent, are resolved on the spot). */
static wire_change link_types(wire_graph *g, size_t parent, const type_ref *o, const type_ref *n)
{
    for (;;) {
        if (o->kind != n->kind)
            return WIRE_BREAKING;
        switch (o->kind) {
        case TY_ARRAY:
            if (o->array_len != n->array_len)
                return WIRE_BREAKING;
            break;
        case TY_VECTOR:
        case TY_OPTIONAL:
            break;
        case TY_NAMED: {
            size_t child = get_pair(g, o->decl, n->decl);
            if (parent != NO_PARENT) {
                add_edge(g, parent, child);
                return WIRE_SAME;
            }
            drain(g);
            return g->pairs[child].change;
        }
        default:
            return WIRE_SAME; /* the same scalar, string or bytes */
        }
        o = o->elem;
        n = n->elem;
    }
}

static wire_change link_fields(wire_graph *g, size_t parent, const field_list *o,
                               const field_list *n)
{
    if (o->len != n->len)
        return WIRE_BREAKING;
    wire_change c = WIRE_SAME;
    for (size_t i = 0; i < o->len; i++)
        c = worst(c, link_types(g, parent, o->items[i].type, n->items[i].type));
    return c;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t *sorted_values(const decl *e)
{
    int64_t *v = malloc((e->n_values + 1) * sizeof *v);
    if (v == NULL)
        abort();
    for (size_t i = 0; i < e->n_values; i++)
        v[i] = e->values[i].value;
    qsort(v, e->n_values, sizeof *v, cmp_i64);
    return v;
}

/* Closed enums: does every old value still exist (values are distinct)? */
static wire_change compare_value_sets(const decl *o, const decl *n)
{
    int64_t *ov = sorted_values(o), *nv = sorted_values(n);
    size_t j = 0;
    bool all_kept = true;
    for (size_t i = 0; i < o->n_values && all_kept; i++) {
        while (j < n->n_values && nv[j] < ov[i])
            j++;
        all_kept = j < n->n_values && nv[j] == ov[i];
    }
    free(ov);
    free(nv);
    if (!all_kept)
        return WIRE_BREAKING;
    return n->n_values > o->n_values ? WIRE_COMPATIBLE : WIRE_SAME;
}

static wire_change local_enum(const decl *o, const decl *n)
{
    if (o->underlying != n->underlying || (o->is_open && !n->is_open))
        return WIRE_BREAKING;
    if (n->is_open)   /* an open enum accepts any value of its type */
        return o->is_open ? WIRE_SAME : WIRE_COMPATIBLE;
    return compare_value_sets(o, n);
}

static wire_change local_union(wire_graph *g, size_t self, const decl *o, const decl *n)
{
    if ((o->is_open && !n->is_open) || n->n_variants < o->n_variants)
        return WIRE_BREAKING;
    wire_change c = WIRE_SAME;
    if ((!o->is_open && n->is_open) || n->n_variants > o->n_variants)
        c = WIRE_COMPATIBLE;
    for (size_t i = 0; i < o->n_variants; i++)
        c = worst(c, link_fields(g, self, &o->variants[i].fields, &n->variants[i].fields));
    return c;
}

static wire_change local_change(wire_graph *g, size_t self)
{
    const decl *o = g->pairs[self].o, *n = g->pairs[self].n;
    if (o->kind != n->kind)
        return WIRE_BREAKING;
    switch (o->kind) {
    case DECL_STRUCT: return link_fields(g, self, &o->fields, &n->fields);
    case DECL_UNION: return local_union(g, self, o, n);
    case DECL_ENUM: return local_enum(o, n);
    }
    return WIRE_BREAKING;
}

/* Compute the local change of every pair created so far (which may create more). */
static void drain(wire_graph *g)
{
    while (g->n_pending > 0) {
        size_t index = g->pending[--g->n_pending];
        rise(g, index, local_change(g, index));
    }
}

/* ---- queries ------------------------------------------------------------------ */

wire_change wire_decls(wire_graph *g, const decl *o, const decl *n)
{
    size_t index = get_pair(g, o, n);
    drain(g);
    return g->pairs[index].change;
}

wire_change wire_types(wire_graph *g, const type_ref *o, const type_ref *n)
{
    return link_types(g, NO_PARENT, o, n);
}

wire_change wire_fields(wire_graph *g, const field_list *o, const field_list *n)
{
    if (o->len != n->len)
        return WIRE_BREAKING;
    wire_change c = WIRE_SAME;
    for (size_t i = 0; i < o->len; i++)
        c = worst(c, wire_types(g, o->items[i].type, n->items[i].type));
    return c;
}
