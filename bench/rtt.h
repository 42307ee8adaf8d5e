/*
 * rtt.h - round-trip cases and the runner that compares them fairly.
 *
 * Each case (the physical limit, grite-ipc, JSON over UDS and HTTP) has a
 * server in a forked child and a warm connection in the parent. The runner
 * gives the cases turns of a few milliseconds each, round after round
 * (A B C D A B C D ...), so the machine's slow and fast phases land on
 * every case alike instead of on whichever ran last.
 */
#ifndef BENCH_RTT_H
#define BENCH_RTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child.h"
#include "pin.h"
#include "stats.h"
#include "workload.h"

/* What every case needs to start. */
typedef struct rtt_env {
    placement place;
    bool verify_all;          /* compare every response byte by byte (--quick) */
    const char *dir;          /* a private directory for socket files */
    const workload *wl;
    /* grite-ipc's REQ and RESP archives: the physical limit sends frames
     * of exactly these bytes, so it moves the same byte counts. */
    const uint8_t *grite_req;
    size_t grite_req_len;
    const uint8_t *grite_resp;
    size_t grite_resp_len;
} rtt_env;

/* One way of doing a round trip. */
typedef struct rtt_ops {
    const char *name;   /* the row name, e.g. "rtt/limit" */
    /* Fork the server, connect, return the case's state (NULL on failure,
     * with a message on stderr). `report` is shared with the server child. */
    void *(*start)(const rtt_env *env, server_report *report);
    /* One round trip; false (with a message) when the answer is wrong. */
    bool (*round_trip)(void *state);
    /* Close the connection, stop the server, free the state. */
    void (*stop)(void *state);
} rtt_ops;

typedef struct rtt_case {
    const rtt_ops *ops;
    void *state;
    server_report *report;
    size_t min_samples;   /* keep taking turns until this many */
    sample_set samples;   /* one latency per round trip */
    uint64_t round_trips;
} rtt_case;

typedef struct rtt_plan {
    size_t warmup;       /* unmeasured round trips per case first */
    uint64_t turn_ns;    /* length of one case's turn */
    uint64_t max_ns;     /* give up taking turns after this long */
} rtt_plan;

/* Start a case (map its report, fork its server, connect). */
bool rtt_case_start(rtt_case *c, const rtt_env *env);

/* Stop a case and free its samples. */
void rtt_case_stop(rtt_case *c);

/* Warm every case up, then give them turns until each has min_samples
 * (or max_ns passed). False as soon as any round trip fails. */
bool rtt_run_alternating(rtt_case *cases, size_t n, const rtt_plan *plan);

/* The case running `ops`, or NULL. */
rtt_case *rtt_find(rtt_case *cases, size_t n, const rtt_ops *ops);

/* Check every server saw exactly the round trips its client made and
 * rejected none. False (with a message) otherwise. */
bool rtt_check_servers(const rtt_case *cases, size_t n);

/* Heap allocations per round trip in steady state. */
typedef struct alloc_figures {
    double client_per_rtt;   /* in this process, during the round trips */
    double server_per_rtt;   /* in the server child, per request handled */
} alloc_figures;

/* Make `n` more round trips on a warm case and count allocations on both
 * sides. False when a round trip fails. */
bool rtt_count_allocs(rtt_case *c, size_t n, alloc_figures *out);

/* For a case whose server child accepts one connection on a Unix socket:
 * listen on <env->dir>/<sock_name> and store the listening fd in
 * *listen_fd (a field of `arg`, so the child gets it), fork
 * server_main(arg) with child_spawn(), connect, and remove the socket
 * file. Returns the connected fd, or -1 with a message naming `what`;
 * *server gets the child's pid (stop it with child_stop() when > 0). */
int rtt_uds_server_start(const rtt_env *env, const char *sock_name, const char *what, int *listen_fd,
                         int (*server_main)(void *), void *arg, pid_t *server);

/* The case implementations. */
extern const rtt_ops rtt_limit_block_ops;   /* limit/block: sleep in read() */
extern const rtt_ops rtt_limit_poll_ops;    /* limit/poll: sleep in poll(), then read() */
extern const rtt_ops rtt_json_uds_ops;
extern const rtt_ops rtt_json_http_ops;
extern const rtt_ops rtt_grite_ops;
extern const rtt_ops rtt_grite_transport_ops;   /* grite's transport alone, no codec */

#endif
