/*
 * roots.h - the root types the archive tests validate, by name, and the
 * one check every suite applies to a buffer: validate it, and when the
 * validator accepts, read every field through the accessors and make sure
 * nothing read lies outside the buffer or overlaps anything else.
 */
#ifndef GRITE_TEST_ROOTS_H
#define GRITE_TEST_ROOTS_H

#include <stddef.h>
#include <stdint.h>

#include "dumper.h"
#include "grite/verror.h"

typedef int (*validate_depth_fn)(const void *buf, size_t len, uint32_t max_depth,
                                 grite_verror *err);

typedef struct root_type {
    const char *name;                 /* "IpcRequest" */
    grite_validate_fn validate;       /* P_T_validate */
    validate_depth_fn validate_depth; /* P_T_validate_depth */
    void (*dump)(dumper *d, const void *buf); /* dump_T(d, P_T_root(buf)) */
    size_t root_size;                 /* sizeof(P_T) */
} root_type;

/* IpcRequest, IpcReply, Notification (grite.idl), Node, Tree (deep.idl),
 * Shapes (shapes.idl); NULL for any other name. */
const root_type *root_find(const char *name);

/* The result of root_check. */
typedef struct checked {
    int rc;                /* the validator's return value */
    grite_verror err;      /* its error (code, offset, path) */
    char problem[700];     /* accepted but unsafe: a view outside, an overlap...; "" if fine */
} checked;

/* Validate buf[0..len) as rt (with max_depth, or the default if
 * use_default_depth); if accepted, dump it into *text (may be NULL) and
 * check the walk (dumper.h). */
checked root_check(const root_type *rt, const void *buf, size_t len, bool use_default_depth,
                   uint32_t max_depth, textbuf *text);

/* A heap copy of exactly n bytes (at least 1 allocated), so AddressSanitizer
 * reports any read past the end; malloc gives 8-byte alignment. */
void *heap_copy(const void *p, size_t n);

/* root_check of a heap_copy of buf[0..len), freed again: how every suite
 * hands a buffer to a validator, so a read past its end is an ASan error. */
checked root_check_copy(const root_type *rt, const void *buf, size_t len, bool use_default_depth,
                        uint32_t max_depth, textbuf *text);

/* The offset in buf of p, something an accessor pointed at. Laundered
 * through a volatile: accessors derive payload pointers from a 4-byte
 * `offset` member, and GCC would otherwise take buf + offset_in(...) for
 * a write past that member (-Wstringop-overflow). */
size_t offset_in(const void *buf, const void *p);

#endif
