/*
 * compat_internal.h - what the parts of `gritec --compat` share: compat.c
 * (the whole comparison, matching the two files' types, the schema
 * header), compat_roots.c (pairing the roots) and compat_describe.c
 * (describing what changed inside one matched pair of declarations).
 */
#ifndef GRITEC_COMPAT_INTERNAL_H
#define GRITEC_COMPAT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "compat_report.h"
#include "compat_wire.h"

#define COMPAT_NONE ((size_t)-1)

typedef struct comparer {
    const schema *old_s, *new_s;
    wire_graph *wire;
    /* The type matching: declaration index + 1 in the other file, 0 if none. */
    size_t *old_to_new, *new_to_old;
    bool *queued;                  /* per old declaration: its pair is (being) described */
    size_t *queue;                 /* old declaration indices to describe */
    size_t queue_len, queue_head;
    change_list changes;
    /* Quiet mode only counts differences (for pairs no shared message reaches). */
    bool quiet;
    size_t quiet_count;
} comparer;

/* Record one change (or, in quiet mode, count it). */
void compat_note(comparer *c, change_verdict v, src_loc new_loc, src_loc old_loc,
                 const char *fmt, ...) GRITEC_PRINTF(5, 6);

/* Whether old declaration o and new declaration n are the same type of
 * the two files. If both are still unmatched and of the same kind, they
 * become a renamed pair (reported) - except in quiet mode. A matched pair
 * is queued for description. */
bool compat_pair_types(comparer *c, const decl *o, const decl *n);

/* A place that uses a type in both files changed from type o to n:
 * `what` names it ("field 'S.f'", "root 'R'"). Reports a changed type, or
 * matches and queues the named types inside. */
void compat_describe_use(comparer *c, const char *what, src_loc new_loc, src_loc old_loc,
                         const type_ref *o, const type_ref *n);

/* Pair the two schemas' roots, report roots added, removed or replaced,
 * and queue the matched pairs; marks in old_covered / new_covered the
 * declarations whose addition or removal a root line already reports.
 * (compat_roots.c) */
void compat_compare_roots(comparer *c, bool *old_covered, bool *new_covered,
                          bool equal_fingerprints);

/* Describe every change inside matched pair (old decl index i, its match). */
void compat_describe_decl(comparer *c, size_t old_index);

/* n indices, each COMPAT_NONE: a matching with nothing matched yet
 * (malloc'd; aborts when out of memory). */
size_t *compat_none_array(size_t n);

/* "struct", "union", "enum". */
const char *compat_kind_word(decl_kind k);

/* A doc comment added, removed or changed (a compatible change). */
void compat_compare_doc(comparer *c, const char *what, src_loc new_loc, src_loc old_loc,
                        const char *old_doc, const char *new_doc);

#endif /* GRITEC_COMPAT_INTERNAL_H */
