/*
 * results.h - the rows the bench reports: printed as tables, and written
 * as a JSON array (one object per row: "name" plus figures whose keys carry
 * their unit, e.g. "p50_us", "size_bytes").
 */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RESULT_NAME_MAX 48
#define RESULT_FIELDS_MAX 12

typedef struct result_field {
    const char *key;   /* a string literal, e.g. "p50_us" */
    double value;
} result_field;

typedef struct result_row {
    char name[RESULT_NAME_MAX];   /* "section/what", e.g. "rtt/grite" */
    size_t nfields;
    result_field fields[RESULT_FIELDS_MAX];
} result_row;

typedef struct result_table {
    result_row *rows;
    size_t len;
    size_t cap;
} result_table;

/* Append a row named `name` (truncated to fit) with no figures yet.
 * Returns NULL when out of memory. */
result_row *results_add(result_table *t, const char *name);

/* Set figure `key` (a string literal) of a row, replacing an earlier
 * value. Figures beyond RESULT_FIELDS_MAX are dropped (a bench bug, so
 * it is reported on stderr). */
void row_set(result_row *r, const char *key, double value);

/* The value of figure `key`, or `fallback` when the row lacks it. */
double row_get(const result_row *r, const char *key, double fallback);

/* Print the rows as one aligned table per section (the part of the name
 * before the first '/'), columns in first-seen order. */
void results_print(const result_table *t, FILE *out);

/* Write the rows as a JSON array to `path`. Returns false (with errno
 * set) when the file cannot be written. */
bool results_write_json(const result_table *t, const char *path);

/* Free the rows. */
void results_free(result_table *t);

#endif
