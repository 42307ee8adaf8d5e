/*
 * ast.c - building the AST. Every node and every string lives in one
 * arena owned by the schema, so a failed or finished compile frees
 * everything with ast_free and no pass has to track ownership.
 */
#include "ast.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} arena_block;

struct arena {
    arena_block *head;
};

#define ARENA_BLOCK_SIZE ((size_t)64 * 1024)

/* gritec has nothing useful to do without memory, and its inputs are
 * capped in size, so running out is fatal rather than reported. */
static void *must_alloc(size_t size)
{
    void *p = calloc(1, size);
    if (p == NULL) {
        fputs("gritec: error: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

void *ast_alloc(schema *s, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) / align * align;
    arena_block *b = s->mem->head;
    if (b == NULL || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        arena_block *nb = must_alloc(sizeof *nb + cap);
        nb->cap = cap;
        nb->next = b;
        s->mem->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p; /* calloc'd blocks are zero; nothing is ever reused */
}

/* Grow an arena-backed array to hold at least one more item. */
static void *grow(schema *s, void *items, size_t len, size_t *cap, size_t item_size)
{
    if (len < *cap)
        return items;
    size_t new_cap = *cap == 0 ? 8 : *cap * 2;
    void *bigger = ast_alloc(s, new_cap * item_size);
    if (len > 0)
        memcpy(bigger, items, len * item_size);
    *cap = new_cap;
    return bigger;
}

schema *ast_new_schema(const char *file)
{
    schema *s = must_alloc(sizeof *s);
    s->mem = must_alloc(sizeof *s->mem);
    s->file = file;
    return s;
}

void ast_free(schema *s)
{
    if (s == NULL)
        return;
    arena_block *b = s->mem->head;
    while (b != NULL) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(s->mem);
    free(s);
}

const char *ast_strdup(schema *s, const char *text, size_t n)
{
    char *p = ast_alloc(s, n + 1);
    memcpy(p, text, n);
    p[n] = '\0';
    return p;
}

static type_ref *new_type(schema *s, type_kind kind, src_loc loc)
{
    type_ref *t = ast_alloc(s, sizeof *t);
    t->kind = kind;
    t->loc = loc;
    return t;
}

type_ref *ast_type_scalar(schema *s, type_kind kind, src_loc loc)
{
    return new_type(s, kind, loc);
}

type_ref *ast_type_named(schema *s, const char *name, src_loc loc)
{
    type_ref *t = new_type(s, TY_NAMED, loc);
    t->name = name;
    return t;
}

type_ref *ast_type_vector(schema *s, type_ref *elem, src_loc loc)
{
    type_ref *t = new_type(s, TY_VECTOR, loc);
    t->elem = elem;
    return t;
}

type_ref *ast_type_optional(schema *s, type_ref *elem, src_loc loc)
{
    type_ref *t = new_type(s, TY_OPTIONAL, loc);
    t->elem = elem;
    return t;
}

type_ref *ast_type_array(schema *s, type_ref *elem, uint64_t n, src_loc n_loc, src_loc loc)
{
    type_ref *t = new_type(s, TY_ARRAY, loc);
    t->elem = elem;
    t->array_len = n;
    t->array_len_loc = n_loc;
    return t;
}

void ast_field_add(schema *s, field_list *list, const char *name, src_loc loc,
                   const char *doc, type_ref *type)
{
    list->items = grow(s, list->items, list->len, &list->cap, sizeof *list->items);
    field *f = &list->items[list->len++];
    memset(f, 0, sizeof *f);
    f->name = name;
    f->loc = loc;
    f->doc = doc;
    f->type = type;
}

decl *ast_decl_new(schema *s, decl_kind kind, const char *name, src_loc loc,
                   const char *doc, bool is_open)
{
    decl *d = ast_alloc(s, sizeof *d);
    d->kind = kind;
    d->name = name;
    d->loc = loc;
    d->doc = doc;
    d->is_open = is_open;
    d->underlying = TY_U32;
    d->underlying_loc = loc;
    d->index = (uint32_t)s->n_decls;
    s->decls = grow(s, s->decls, s->n_decls, &s->cap_decls, sizeof *s->decls);
    s->decls[s->n_decls++] = d;
    return d;
}

variant *ast_variant_add(schema *s, decl *u, const char *name, src_loc loc,
                         const char *doc, bool has_body)
{
    u->variants = grow(s, u->variants, u->n_variants, &u->cap_variants, sizeof *u->variants);
    variant *v = &u->variants[u->n_variants];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->loc = loc;
    v->doc = doc;
    v->has_body = has_body;
    v->tag = (uint32_t)u->n_variants;
    u->n_variants++;
    return v;
}

enum_value *ast_enum_value_add(schema *s, decl *e, const char *name, src_loc loc,
                               const char *doc)
{
    e->values = grow(s, e->values, e->n_values, &e->cap_values, sizeof *e->values);
    enum_value *v = &e->values[e->n_values++];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->loc = loc;
    v->doc = doc;
    return v;
}

void ast_root_add(schema *s, const char *name, src_loc loc)
{
    s->roots = grow(s, s->roots, s->n_roots, &s->cap_roots, sizeof *s->roots);
    root_ref *r = &s->roots[s->n_roots++];
    r->name = name;
    r->loc = loc;
    r->decl = NULL;
}

void ast_option_add(schema *s, const char *key, src_loc loc, const char *value,
                    src_loc value_loc)
{
    s->options = grow(s, s->options, s->n_options, &s->cap_options, sizeof *s->options);
    option_kv *o = &s->options[s->n_options++];
    o->key = key;
    o->loc = loc;
    o->value = value;
    o->value_loc = value_loc;
}

decl *ast_find_decl(const schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_decls; i++)
        if (strcmp(s->decls[i]->name, name) == 0)
            return s->decls[i];
    return NULL;
}

const char *ast_type_kind_name(type_kind kind)
{
    switch (kind) {
    case TY_U8: return "u8";
    case TY_U16: return "u16";
    case TY_U32: return "u32";
    case TY_U64: return "u64";
    case TY_I8: return "i8";
    case TY_I16: return "i16";
    case TY_I32: return "i32";
    case TY_I64: return "i64";
    case TY_F32: return "f32";
    case TY_F64: return "f64";
    case TY_BOOL: return "bool";
    case TY_STRING: return "string";
    case TY_BYTES: return "bytes";
    case TY_NAMED: return "named type";
    case TY_VECTOR: return "vector";
    case TY_OPTIONAL: return "optional";
    case TY_ARRAY: return "array";
    }
    return "?";
}

bool ast_kind_is_scalar(type_kind kind)
{
    return kind <= TY_BOOL;
}

bool ast_kind_is_integer(type_kind kind)
{
    return kind <= TY_I64;
}
