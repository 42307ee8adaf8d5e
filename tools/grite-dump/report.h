/*
 * report.h - what grite-dump says about each frame: a line of JSON on
 * standard output for a valid message or hello, or a line on standard
 * error naming the frame, its bytes and what is wrong.
 */
#ifndef GRITE_DUMP_REPORT_H
#define GRITE_DUMP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"

/* Where a piece of input is, for messages and records. */
typedef struct dump_where {
    bool framed;        /* a frame (else the raw archive) */
    uint64_t index;     /* frame number, from 1 */
    uint64_t start;     /* offset of its first byte (the header) in the input */
    uint64_t size;      /* its bytes in the input, header included */
} dump_where;

typedef struct dumper {
    const dump_options *opt;
    bool any_invalid;
} dumper;

void dumper_init(dumper *d, const dump_options *opt);

/* A frame body (a hello or an archive), or the raw archive. */
void dump_body(dumper *d, const dump_where *w, const uint8_t *body, size_t len);

/* Report a problem with the piece of input at w: "frame 3 (bytes 24-40): ...". */
void dump_problem(dumper *d, const dump_where *w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Flush standard output. Returns the exit status: 0, or 1 if anything was
 * invalid or the output could not be written. */
int dumper_finish(dumper *d);

#endif
