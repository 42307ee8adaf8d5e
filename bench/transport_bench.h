/*
 * transport_bench.h - grite-ipc's transport beyond one warm connection:
 * the cold call a CLI makes per invocation, and many clients at once.
 */
#ifndef BENCH_TRANSPORT_BENCH_H
#define BENCH_TRANSPORT_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "results.h"
#include "rtt.h"

/* Row rtt/cold: `n` times create a client, connect, do the handshake and
 * one verified round trip, and close; p50 and p99. Writes the latency
 * distribution to cdf when it is not NULL. */
bool bench_cold(result_table *t, const rtt_env *env, size_t n, FILE *cdf);

/* Rows clients/N for each N in counts: N threads, each with its own warm
 * connection to one grite server, making verified round trips for
 * `run_ns`; total req/s, p50 and p99 over all of them. */
bool bench_clients(result_table *t, const rtt_env *env, const unsigned *counts, size_t ncounts,
                   uint64_t run_ns);

#endif
