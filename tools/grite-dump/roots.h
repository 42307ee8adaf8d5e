/*
 * roots.h - the message types grite-dump can read: the root types of
 * idl/grite.idl, each with its generated validator and JSON printer.
 * roots.c is the only schema-specific file of the tool.
 */
#ifndef GRITE_DUMP_ROOTS_H
#define GRITE_DUMP_ROOTS_H

#include <stddef.h>
#include <stdint.h>

#include <grite/json.h>
#include <grite/verror.h>

typedef struct dump_root {
    const char *name;
    int (*validate)(const void *buf, size_t len, uint32_t max_depth, grite_verror *err);
    /* Only on a buffer validate() accepted. */
    int (*to_json)(const void *buf, grite_json *out);
} dump_root;

/* At most this many roots (report.c keeps one result per root on the stack). */
#define DUMP_MAX_ROOTS 8

extern const dump_root dump_roots[];
extern const size_t dump_n_roots;
/* The same names, for the usage text and --type. */
extern const char *const dump_root_names[];

/* The schema the tool was built from, to compare hellos with. */
extern const uint64_t dump_schema_fingerprint;

#endif
