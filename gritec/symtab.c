/*
 * symtab.c - open addressing with linear probing; FNV-1a hashes.
 */
#include "symtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sym_slot *new_slots(size_t cap)
{
    sym_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) {
        fputs("gritec: error: out of memory\n", stderr);
        exit(1);
    }
    return slots;
}

void symtab_init(symtab *t, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2 + 1)
        cap *= 2;
    t->slots = new_slots(cap);
    t->cap = cap;
    t->len = 0;
}

void symtab_free(symtab *t)
{
    free(t->slots);
    t->slots = NULL;
    t->cap = 0;
    t->len = 0;
}

static size_t hash_name(const char *name)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return (size_t)h;
}

/* The slot holding name, or the empty slot where it would go. */
static sym_slot *find_slot(const symtab *t, const char *name)
{
    size_t mask = t->cap - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        sym_slot *s = &t->slots[i];
        if (s->name == NULL || strcmp(s->name, name) == 0)
            return s;
    }
}

static void grow(symtab *t)
{
    symtab bigger = { new_slots(t->cap * 2), t->cap * 2, t->len };
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].name != NULL)
            *find_slot(&bigger, t->slots[i].name) = t->slots[i];
    free(t->slots);
    *t = bigger;
}

bool symtab_add(symtab *t, const char *name, size_t value, size_t *existing)
{
    if ((t->len + 1) * 2 > t->cap)
        grow(t);
    sym_slot *s = find_slot(t, name);
    if (s->name != NULL) {
        *existing = s->value;
        return false;
    }
    s->name = name;
    s->value = value;
    t->len++;
    return true;
}

bool symtab_get(const symtab *t, const char *name, size_t *value)
{
    const sym_slot *s = find_slot(t, name);
    if (s->name == NULL)
        return false;
    *value = s->value;
    return true;
}
