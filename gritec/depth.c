/*
 * depth.c - bound how deeply types nest (see depth.h).
 *
 * The later passes walk type references depth-first and never enter a
 * declaration twice on one walk, so their recursion is at most as deep as
 * the longest chain of distinct declarations, each followed by the type
 * constructors around the next one. That chain cannot be longer than this
 * bound: over the strongly connected components of the "refers to" graph
 * (mutually recursive types), the heaviest path, where a component weighs
 * all of its members and a member weighs 1 plus the most constructors
 * around any type it refers to. Tarjan's algorithm finds the components
 * in reverse topological order, so each component's bound is complete as
 * soon as the component is; it runs on explicit stacks, in linear time.
 */
#include "depth.h"

#include <stdlib.h>

/* The "refers to" graph: decl i refers to to[first[i] .. first[i + 1]). */
typedef struct graph {
    size_t n;
    size_t *first;
    uint32_t *to;
    uint64_t *weight;
} graph;

typedef struct frame {
    uint32_t node;
    size_t next_edge;
} frame;

typedef struct tarjan {
    const graph *g;
    uint32_t *order;     /* visit order from 1; 0: not visited */
    uint32_t *low;
    uint32_t *component; /* UINT32_MAX until its component is complete */
    uint32_t *stack;     /* visited nodes whose component is not complete */
    size_t stack_len;
    frame *frames;       /* the depth-first walk */
    uint64_t *bound;     /* per node, once its component is complete */
    uint32_t visited, components;
} tarjan;

static void *alloc_or_die(size_t n, size_t size)
{
    void *p = calloc(n + 1, size);
    if (p == NULL)
        abort();
    return p;
}

/* The declaration a type refers to, and how many constructors wrap it. */
static const decl *referred_decl(const type_ref *t, uint64_t *constructors)
{
    *constructors = 0;
    while (t->kind == TY_VECTOR || t->kind == TY_OPTIONAL || t->kind == TY_ARRAY) {
        ++*constructors;
        t = t->elem;
    }
    return t->kind == TY_NAMED ? t->decl : NULL;
}

/* A struct's fields, or one of a union's variants' fields. */
static const field_list *field_list_at(const decl *d, size_t i)
{
    return d->kind == DECL_STRUCT ? &d->fields : &d->variants[i].fields;
}

static size_t field_list_count(const decl *d)
{
    switch (d->kind) {
    case DECL_STRUCT: return 1;
    case DECL_UNION: return d->n_variants;
    case DECL_ENUM: return 0;
    }
    return 0;
}

/* Fills g's edges and weights; counts edges first when g->to is NULL. */
static size_t add_edges(graph *g, const schema *s)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n_decls; i++) {
        const decl *d = s->decls[i];
        uint64_t deepest = 0;
        if (g->to != NULL)
            g->first[i] = m;
        for (size_t k = 0; k < field_list_count(d); k++) {
            const field_list *fl = field_list_at(d, k);
            for (size_t f = 0; f < fl->len; f++) {
                uint64_t constructors;
                const decl *target = referred_decl(fl->items[f].type, &constructors);
                if (constructors > deepest)
                    deepest = constructors;
                if (target == NULL)
                    continue;
                if (g->to != NULL)
                    g->to[m] = target->index;
                m++;
            }
        }
        g->weight[i] = 1 + deepest;
    }
    if (g->to != NULL)
        g->first[s->n_decls] = m;
    return m;
}

static void graph_build(graph *g, const schema *s)
{
    g->n = s->n_decls;
    g->first = alloc_or_die(g->n + 1, sizeof *g->first);
    g->weight = alloc_or_die(g->n, sizeof *g->weight);
    g->to = NULL;
    size_t m = add_edges(g, s);
    g->to = alloc_or_die(m, sizeof *g->to);
    add_edges(g, s);
}

static void graph_free(graph *g)
{
    free(g->first);
    free(g->to);
    free(g->weight);
}

static void visit(tarjan *t, uint32_t v, size_t depth)
{
    t->order[v] = t->low[v] = ++t->visited;
    t->stack[t->stack_len++] = v;
    t->frames[depth] = (frame){ v, t->g->first[v] };
}

/* v is the first visited node of a component now complete: the nodes from
 * v to the top of the stack. Its bound: their weights, plus the largest
 * bound of a component they refer to (complete already). */
static void close_component(tarjan *t, uint32_t v)
{
    const graph *g = t->g;
    size_t from = t->stack_len;
    do
        from--;
    while (t->stack[from] != v);
    uint32_t id = t->components++;
    for (size_t i = from; i < t->stack_len; i++)
        t->component[t->stack[i]] = id;
    uint64_t weight = 0, below = 0;
    for (size_t i = from; i < t->stack_len; i++) {
        uint32_t member = t->stack[i];
        weight += g->weight[member];
        for (size_t e = g->first[member]; e < g->first[member + 1]; e++)
            if (t->component[g->to[e]] != id && t->bound[g->to[e]] > below)
                below = t->bound[g->to[e]];
    }
    for (size_t i = from; i < t->stack_len; i++)
        t->bound[t->stack[i]] = weight + below;
    t->stack_len = from;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static void walk_from(tarjan *t, uint32_t root)
{
    const graph *g = t->g;
    size_t depth = 0;
    visit(t, root, 0);
    for (;;) {
        frame *f = &t->frames[depth];
        uint32_t v = f->node;
        if (f->next_edge < g->first[v + 1]) {
            uint32_t w = g->to[f->next_edge++];
            if (t->order[w] == 0)
                visit(t, w, ++depth);
            else if (t->component[w] == UINT32_MAX)    /* on the stack */
                t->low[v] = min_u32(t->low[v], t->order[w]);
            continue;
        }
        if (t->low[v] == t->order[v])
            close_component(t, v);
        if (depth == 0)
            return;
        depth--;
        uint32_t parent = t->frames[depth].node;
        t->low[parent] = min_u32(t->low[parent], t->low[v]);
    }
}

bool depth_check(const schema *s, diag_ctx *d)
{
    graph g;
    graph_build(&g, s);
    size_t n = g.n;
    tarjan t = { &g, alloc_or_die(n, sizeof *t.order), alloc_or_die(n, sizeof *t.low),
                 alloc_or_die(n, sizeof *t.component), alloc_or_die(n, sizeof *t.stack), 0,
                 alloc_or_die(n, sizeof *t.frames), alloc_or_die(n, sizeof *t.bound), 0, 0 };
    for (size_t i = 0; i < n; i++)
        t.component[i] = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        if (t.order[i] == 0)
            walk_from(&t, i);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (t.bound[i] <= DEPTH_MAX_LEVELS)
            continue;
        const decl *dl = s->decls[i];
        diag_error(d, dl->loc,
                   "%s '%s' nests types more than %d levels deep, more than gritec follows "
                   "(each type inside another, and each [T], T? and [T; N], is a level)",
                   dl->kind == DECL_STRUCT ? "struct" : "union", dl->name, DEPTH_MAX_LEVELS);
        ok = false;
    }
    free(t.order);
    free(t.low);
    free(t.component);
    free(t.stack);
    free(t.frames);
    free(t.bound);
    graph_free(&g);
    return ok;
}
