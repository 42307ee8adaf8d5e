/*
 * idl_gen.h - a large, realistic IDL for timing gritec: structs with mixed
 * fields, unions with and without payloads, enums, vectors, options and
 * fixed arrays, referring to each other a few levels deep (as real
 * protocols do), never in cycles.
 */
#ifndef BENCH_IDL_GEN_H
#define BENCH_IDL_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write a schema of `ntypes` types (at least 10) to out. Deterministic:
 * the same ntypes always gives the same text. False on a write error. */
bool idl_generate(FILE *out, size_t ntypes);

#endif
