/*
 * stats.h - latency samples and the order statistics reported from them.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A growable list of durations in nanoseconds. */
typedef struct sample_set {
    uint64_t *ns;
    size_t len;
    size_t cap;
    bool sorted;
} sample_set;

/* Make room for `cap` samples up front, so recording never allocates
 * while a measurement runs. Returns false when out of memory. */
bool samples_reserve(sample_set *s, size_t cap);

/* Record one duration; grows the list if the reservation was too small.
 * Returns false when out of memory. */
bool samples_push(sample_set *s, uint64_t ns);

/* Free the samples' memory. */
void samples_free(sample_set *s);

/* The q-quantile (0 < q <= 1, nearest rank) in microseconds; 0 when empty.
 * Sorts the samples on first use. */
double samples_quantile_us(sample_set *s, double q);

/* Sum of all samples, in nanoseconds. */
uint64_t samples_total_ns(const sample_set *s);

/* Write `points` (quantile, latency_us) lines describing the distribution,
 * dense in the tail, as one gnuplot data block whose header line names it
 * (for bench/plot.sh). */
void samples_write_cdf(sample_set *s, const char *name, size_t points, FILE *out);

/* The median of n doubles (reorders them). 0 when n is 0. */
double median_of(double *v, size_t n);

#endif
