/*
 * options.h - grite-bench's command line.
 */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "pin.h"

/* The sections a run can do (--only picks some). */
enum {
    SECTION_GRITEC = 1u << 0,
    SECTION_CODEC = 1u << 1,
    SECTION_RTT = 1u << 2,
    SECTION_COLD = 1u << 3,
    SECTION_CLIENTS = 1u << 4,
    SECTION_ALL = (1u << 5) - 1
};

typedef struct bench_options {
    bool quick;                /* a few seconds, full verification, for CI */
    const char *json_path;     /* --json FILE, or NULL */
    const char *cdf_path;      /* --cdf FILE (latency distributions), or NULL */
    pin_mode pin;              /* --pin same|split|none */
    const char *gritec_path;   /* --gritec PATH */
    size_t idl_types;          /* --types N: size of the schema gritec compiles */
    unsigned sections;         /* SECTION_* bits */
} bench_options;

/* Parse argv. Returns 0 to run, 1 after printing help (exit 0), or -1
 * after printing an error naming the bad argument (exit 2). */
int options_parse(bench_options *o, int argc, char **argv);

#endif
