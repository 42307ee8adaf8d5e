/*
 * vdata_parse.h - reads one hand-written hostile-buffer case (.vdata).
 *
 * The format (documented for test writers in vdata/README.md) describes a
 * message byte by byte with named anchors, so a case can say "this offset
 * points at that string" without anyone counting bytes by hand. This
 * module knows nothing of grite or its runtime: it only turns text into
 * bytes plus the case's header lines. Malformed files are reported as
 * "file:line: what is wrong".
 */
#ifndef GRITE_TEST_VDATA_PARSE_H
#define GRITE_TEST_VDATA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Upper bound on the bytes one case may describe ([repeat] included). */
#define VDATA_MAX_BYTES (1u << 20)

typedef struct vdata_case {
    char root[64];          /* `root NAME`: the root type to validate as */
    char expect[64];        /* `expect PASS` or `expect NAME at PATH` */
    char expect_path[256];  /* PATH (may be empty: `at ""`); "" for PASS */
    unsigned expect_line;   /* where the expect line is, for messages */
    bool has_expect_offset; /* `... offset @anchor` / `... offset N` given */
    size_t expect_offset;   /* the error's offset, anchors resolved */
    bool has_depth;         /* `depth N`: validate with max_depth N */
    uint32_t depth;
    uint32_t shift;         /* `shift N`: place the bytes at 8k+N (0..7) */
    uint8_t *bytes;         /* the message (malloc'd) */
    size_t len;
} vdata_case;

/* Parse `text` (n bytes, need not be NUL-terminated) read from `file`.
 * On success fills *out (free with vdata_free) and returns true; on error
 * writes "file:line: message" into err and returns false. */
bool vdata_parse(const char *file, const char *text, size_t n,
                 vdata_case *out, char *err, size_t err_len);

/* Read and parse the file at path (errors as vdata_parse, or the OS's). */
bool vdata_load(const char *path, vdata_case *out, char *err, size_t err_len);

/* Free what vdata_parse allocated; the case can be parsed into again. */
void vdata_free(vdata_case *c);

#endif
