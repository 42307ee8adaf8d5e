/*
 * symtab.h - a small string -> index hash table for the semantic checks.
 *
 * sema.c looks names up once per reference and per declaration; a hash
 * table keeps that linear in the size of the input even for absurd files
 * (an .idl of 100 000 types must not make gritec hang).
 */
#ifndef GRITEC_SYMTAB_H
#define GRITEC_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sym_slot {
    const char *name;   /* NULL: empty; not copied, must outlive the table */
    size_t value;
} sym_slot;

typedef struct symtab {
    sym_slot *slots;
    size_t cap;         /* a power of two, kept above twice len */
    size_t len;
} symtab;

/* An empty table sized for about `expected` names (it grows if needed). */
void symtab_init(symtab *t, size_t expected);
void symtab_free(symtab *t);

/* Add name -> value. If name is already present, leaves it, sets
 * *existing to its value and returns false. */
bool symtab_add(symtab *t, const char *name, size_t value, size_t *existing);

/* Look a name up; false if absent. */
bool symtab_get(const symtab *t, const char *name, size_t *value);

#endif /* GRITEC_SYMTAB_H */
