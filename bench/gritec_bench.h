/*
 * gritec_bench.h - how fast gritec compiles a large schema, and how much
 * memory it needs.
 */
#ifndef BENCH_GRITEC_BENCH_H
#define BENCH_GRITEC_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

/* Generate an IDL of `ntypes` types in `dir`, compile it with the gritec
 * at `gritec_path` `runs` times, and add the row "gritec/<ntypes>-types"
 * (median wall and CPU seconds, peak RSS) plus "gritec/floor" (the same
 * for a 10-type schema: the process's fixed cost). False (with a message)
 * when gritec fails or writes no header.
 *
 * Run this before the memory-hungry sections: a child's peak RSS as the
 * kernel reports it starts from what it inherited at fork(). */
bool bench_gritec(result_table *t, const char *gritec_path, const char *dir, size_t ntypes, int runs);

#endif
