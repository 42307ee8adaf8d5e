/*
 * dumper.h - turns a message into text, one "path = value" line per field.
 *
 * Two producers share it: dump_input.c walks the builder's input structs,
 * dump_archived.c walks a validated buffer through the generated
 * accessors. A round trip is correct when both texts are equal, and a
 * mismatch names the field.
 *
 * When walking an archive the dumper also checks every view an accessor
 * hands out: it must lie inside the buffer (strings with their NUL), and
 * every out-of-line object it reports is recorded so the no-alias property
 * (no two objects share a byte) can be checked afterwards.
 */
#ifndef GRITE_TEST_DUMPER_H
#define GRITE_TEST_DUMPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "textbuf.h"

typedef struct dump_range {
    size_t start, end;      /* offsets in the buffer, end exclusive */
    char path[96];          /* where it was reached from, for messages */
} dump_range;

typedef struct dumper {
    textbuf out;
    bool keep_text;         /* false: only check views (faster) */
    char path[512];
    size_t path_len;
    /* Archive walks only (base == NULL for input dumps): */
    const uint8_t *base;
    size_t size;
    dump_range *ranges;
    size_t n_ranges, cap_ranges;
    char problem[600];      /* first bad view, "" if none */
    unsigned touched;       /* sum of bytes read when !keep_text */
} dumper;

/* base/size: the validated buffer, or NULL/0 to dump builder input. */
void dumper_init(dumper *d, const void *base, size_t size);
void dumper_free(dumper *d);

/* Path handling: enter a field or index, leave back to the mark. */
size_t d_enter(dumper *d, const char *field);
size_t d_enter_index(dumper *d, size_t index);
void d_leave(dumper *d, size_t mark);

/* A vector field: "<field> = len <n>", then `item` (a statement using the
 * index variable named by i) once per element, with the path at
 * "<field>[i]". An archive walk first records the element array, n
 * elements of elem_size bytes at elems, as an object (d_object). */
#define D_VECTOR(d, field, elems, n, elem_size, i, item)                  \
    do {                                                                  \
        size_t vec_len_ = (n);                                            \
        d_len((d), (field), vec_len_);                                    \
        size_t vec_mark_ = d_enter((d), (field));                         \
        d_object((d), "(elements)", (elems), vec_len_ * (elem_size));     \
        for (size_t i = 0; i < vec_len_; i++) {                           \
            size_t item_mark_ = d_enter_index((d), i);                    \
            item;                                                         \
            d_leave((d), item_mark_);                                     \
        }                                                                 \
        d_leave((d), vec_mark_);                                          \
    } while (0)

/* The same for builder input, which has no buffer to record objects in. */
#define D_VECTOR_IN(d, field, n, i, item) D_VECTOR(d, field, NULL, n, 0, i, item)

/* One line each: "<path>.<field> = <value>". */
void d_uint(dumper *d, const char *field, uint64_t v);
void d_int(dumper *d, const char *field, int64_t v);
void d_real(dumper *d, const char *field, double v);   /* exact, as %a */
void d_bool(dumper *d, const char *field, bool v);
void d_enum(dumper *d, const char *field, const char *name, uint64_t raw);
void d_absent(dumper *d, const char *field);
void d_len(dumper *d, const char *field, size_t len);
/* A string: quoted bytes. For an archive walk, checks the view is inside
 * the buffer and NUL-terminated, and records it as an object. */
void d_str(dumper *d, const char *field, const char *ptr, size_t len);
void d_hex(dumper *d, const char *field, const uint8_t *p, size_t n);

/* An out-of-line object the accessors reached (a union payload, a vector's
 * element array): checked against the buffer and recorded. */
void d_object(dumper *d, const char *what, const void *p, size_t n);

/* Record a problem found by the caller (e.g. an absent optional whose
 * accessor does not read as zero); only the first one is kept. */
void d_fail(dumper *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After a walk: "" if every recorded object is disjoint from the others
 * and from [0, root_size); else writes which two overlap into why. */
bool d_objects_disjoint(dumper *d, size_t root_size, char *why, size_t why_len);

#endif
