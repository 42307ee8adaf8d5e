/*
 * compat_wire.h - does the wire format of a type change between two
 * schemas? The structural half of `gritec --compat` (docs/IDL.md section 8).
 *
 * Types are compared by what their bytes look like, never by name, with
 * exactly the distinctions the schema fingerprint makes (docs/FORMAT.md
 * 1.8): fields by position and type, union variants by tag and payload,
 * enums by underlying type, openness and (closed ones) their set of values.
 * So two types whose fingerprint descriptions are equal always compare
 * WIRE_SAME, and WIRE_BREAKING always means the descriptions differ.
 *
 * Recursive types (through vectors) are compared coinductively: a pair of
 * declarations is only as bad as the worst difference reachable from it,
 * and a cycle by itself is no difference. Results are memoised, so a whole
 * schema costs time linear in the number of declaration pairs compared.
 */
#ifndef GRITEC_COMPAT_WIRE_H
#define GRITEC_COMPAT_WIRE_H

#include "ast.h"

typedef enum wire_change {
    WIRE_SAME,        /* the same bytes mean the same values */
    WIRE_COMPATIBLE,  /* only additions the other side rejects cleanly or sees as unknown */
    WIRE_BREAKING     /* some message is rejected or misread */
} wire_change;

typedef struct wire_graph wire_graph;

/* A comparison cache for one (old schema, new schema) pair. Both schemas
 * must be checked and laid out (compile_source) and outlive the cache. */
wire_graph *wire_new(void);
void wire_free(wire_graph *g);

/* How the wire format changes from declaration o (old) to n (new). */
wire_change wire_decls(wire_graph *g, const decl *o, const decl *n);

/* The same for two type expressions (a field's type in each schema). */
wire_change wire_types(wire_graph *g, const type_ref *o, const type_ref *n);

/* The same for two field lists compared position by position (a struct's
 * fields or a variant's payload): a different count is WIRE_BREAKING. */
wire_change wire_fields(wire_graph *g, const field_list *o, const field_list *n);

#endif /* GRITEC_COMPAT_WIRE_H */
