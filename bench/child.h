/*
 * child.h - servers run in a fork()ed child: a real separate process, as
 * a daemon would be, pinned by the placement.
 *
 * The child reports what it saw (requests served, requests it rejected,
 * its allocation count) in a page of shared memory the parent reads at
 * any time, so no reporting protocol is needed at shutdown.
 */
#ifndef BENCH_CHILD_H
#define BENCH_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pin.h"

/* Written by the server child, read by the parent (relaxed atomics). */
typedef struct server_report {
    uint64_t requests;       /* requests handled */
    uint64_t rejected;       /* requests that failed validation or checks */
    uint64_t allocs;         /* the child's allocation count when the latest
                                request arrived: the difference between two
                                readings is allocations per handled request */
} server_report;

/* A zeroed report in memory shared with children forked later, or NULL. */
server_report *server_report_map(void);
void server_report_unmap(server_report *r);

/* Called by a server for every request it handles (before touching it). */
void server_report_request(server_report *r);
/* Called by a server for a request it rejects. */
void server_report_reject(server_report *r);

/* A reading of a report, by the parent. */
server_report server_report_read(const server_report *r);

/* fork(); in the child: pin to the server CPU, close every inherited fd
 * above 2 except `keep_fd` (so a child never holds another connection's
 * client end open), run main(arg) and _exit with its result. Returns the
 * child's pid, or -1. */
pid_t child_spawn(const placement *p, int keep_fd, int (*main_fn)(void *), void *arg);

/* Stop a child: SIGTERM, then wait (up to 2 s, then SIGKILL). Returns true
 * when it had exited with status 0 or died of our SIGTERM. */
bool child_stop(pid_t pid);

#endif
