/*
 * samples.h - builder inputs for every message the archive tests use:
 * each IpcCommand variant in an IpcRequest, each IpcResponse variant in
 * an IpcReply, each Notification variant, with the edge values that break
 * codecs (empty and non-ASCII strings, embedded NULs, empty and long
 * vectors, absent and present optionals, maximum integers), and the two
 * messages of the benchmark workload (shared/reference/bench-workload.md).
 *
 * All returned data is static and lives for the whole process.
 */
#ifndef GRITE_TEST_SAMPLES_H
#define GRITE_TEST_SAMPLES_H

#include <stddef.h>

#include "grite.h"

typedef struct request_sample {
    const char *name;
    grite_IpcRequest_in in;
} request_sample;

typedef struct reply_sample {
    const char *name;
    grite_IpcReply_in in;
} reply_sample;

typedef struct notification_sample {
    const char *name;
    grite_Notification_in in;
} notification_sample;

/* Every sample of each root; *n receives the count. */
const request_sample *samples_requests(size_t *n);
const reply_sample *samples_replies(size_t *n);
const notification_sample *samples_notifications(size_t *n);

/* The benchmark workload's REQ (IssueCreate) and RESP (IssueListResult
 * with 20 IssueSummary entries). */
const grite_IpcRequest_in *sample_bench_req(void);
const grite_IpcReply_in *sample_bench_resp(void);

#endif
