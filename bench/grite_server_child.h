/*
 * grite_server_child.h - grite-ipc's runtime server in a forked child,
 * answering the workload's REQ with RESP: what a grite daemon's hot path
 * looks like (the runtime validates the request; the handler reads the
 * command and every field, checks them, and builds the reply).
 */
#ifndef BENCH_GRITE_SERVER_CHILD_H
#define BENCH_GRITE_SERVER_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <grite/verror.h>

#include "child.h"
#include "rtt.h"

/* What the server does with a request. */
typedef enum grite_serve_mode {
    /* The real work: the runtime validates REQ with the generated
     * validator; the handler dispatches on the command, reads every
     * field, checks them, and builds RESP with the generated builder. */
    GRITE_SERVE_WORKLOAD,
    /* The transport alone: no validation, the handler copies the prebuilt
     * RESP archive (env->grite_resp) into the response; with verify_all
     * it compares the request with env->grite_req byte for byte. */
    GRITE_SERVE_PREBUILT
} grite_serve_mode;

/* Fork a server listening at `path` and wait until it listens. A request
 * that is not REQ is counted as rejected and its connection dropped.
 * Returns the pid, or -1 with a message. Stop it with child_stop(). */
pid_t grite_server_spawn(const rtt_env *env, const char *path, server_report *report, grite_serve_mode mode);

/* A workload server of a bench's own, outside the rtt runner's cases
 * (rtt/cold, clients/N), and the report it fills. */
typedef struct grite_own_server {
    char path[512];
    server_report *report;
    pid_t pid;
} grite_own_server;

/* Map a report and spawn a GRITE_SERVE_WORKLOAD server listening on
 * <env->dir>/<sock_name>. False (nothing left to stop) on failure. */
bool grite_own_server_start(grite_own_server *s, const rtt_env *env, const char *sock_name);

/* True when the server handled exactly `calls` requests and rejected
 * none; otherwise false with a message naming `what`. */
bool grite_own_server_saw(const grite_own_server *s, uint64_t calls, const char *what);

/* Stop the server and unmap its report. */
void grite_own_server_stop(grite_own_server *s);

/* Options for a client of that server (the generated schema's
 * fingerprint and reply validator). */
struct grite_client_options;
void grite_bench_client_options(struct grite_client_options *opt);

/* A validator that accepts anything: for measuring the transport alone. */
int grite_bench_accept_any(const void *buf, size_t len, grite_verror *err);

#endif
