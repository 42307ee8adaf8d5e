/*
 * codec.h - timing one codec operation (build, validate, read) in ns.
 *
 * An operation takes nanoseconds, far below the clock's resolution for a
 * single call, so it is timed in batches sized to last `batch_ns`, and
 * the figure is the median over `batches` batches: robust to the
 * machine's noise and to an interrupt landing in one batch.
 */
#ifndef BENCH_CODEC_H
#define BENCH_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "results.h"
#include "stats.h"
#include "workload.h"

#define CODEC_MAX_BATCHES 101

typedef struct codec_plan {
    uint64_t batch_ns;   /* how long one batch should last */
    size_t batches;      /* how many batches (odd, at most CODEC_MAX_BATCHES) */
    bool verify_all;     /* also compare decoded values field by field */
} codec_plan;

/* Median ns per call of op(ctx); op returns a value the compiler must
 * keep. Always inlined, so with a constant op the call is direct and the
 * batch loop adds ~1 ns per operation. */
__attribute__((always_inline)) static inline double codec_median_ns(const codec_plan *plan,
                                                                   uint64_t (*op)(void *), void *ctx)
{
    /* Calibrate: how many calls fill a batch. */
    uint64_t t0 = bench_now_ns();
    size_t calls = 0;
    do {
        bench_keep(op(ctx));
        calls++;
    } while (bench_now_ns() - t0 < plan->batch_ns / 4 && calls < 1000000);
    uint64_t spent = bench_now_ns() - t0;
    size_t batch = spent ? (size_t)((double)calls * (double)plan->batch_ns / (double)spent) : calls;
    if (batch < 1)
        batch = 1;

    double per_call[CODEC_MAX_BATCHES];
    size_t n = plan->batches < CODEC_MAX_BATCHES ? plan->batches : CODEC_MAX_BATCHES;
    for (size_t b = 0; b < n; b++) {
        uint64_t start = bench_now_ns();
        for (size_t i = 0; i < batch; i++)
            bench_keep(op(ctx));
        per_call[b] = (double)(bench_now_ns() - start) / (double)batch;
    }
    return median_of(per_call, n);
}

/* One codec row: the message's size and its three medians, under the keys
 * both codecs' rows share. False when out of memory. */
static inline bool codec_add_row(result_table *t, const char *name, size_t size, double build_ns,
                                 double validate_ns, double access_ns)
{
    result_row *r = results_add(t, name);
    if (r == NULL)
        return false;
    row_set(r, "size_bytes", (double)size);
    row_set(r, "build_ns", build_ns);
    row_set(r, "validate_ns", validate_ns);
    row_set(r, "access_ns", access_ns);
    return true;
}

/* Add rows codec/json/req and codec/json/resp. False when a decoded
 * message does not match the workload. */
bool bench_codec_json(result_table *t, const workload *w, const codec_plan *plan);

/* Add rows codec/grite/req and codec/grite/resp. */
bool bench_codec_grite(result_table *t, const workload *w, const codec_plan *plan);

#endif
