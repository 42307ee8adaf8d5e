/*
 * workload.h - the two messages every codec and transport row encodes
 * (docs: /work/shared/reference/bench-workload.md), as plain C values.
 *
 * REQ: an IpcRequest carrying IssueCreate.
 * RESP: an IpcReply carrying IssueListResult with 20 issues.
 *
 * "Reading every field" is the same work in every codec: fold each
 * string's length and first and last byte, and every integer, into a
 * digest. Comparing digests with the one of these values checks a message
 * was read back intact; the *_matches functions of each codec compare
 * every byte when a run asks for full verification (--quick).
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WL_SCHEMA_VERSION 1u
#define WL_REQUEST_ID "6f1c2a9e-3b7d-4c55-9e21-0d8f4a7b1c33"
#define WL_REPO_ROOT "/home/alice/src/project"
#define WL_ACTOR_ID "a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define WL_DATA_DIR ".git/grite/actors/a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define WL_TITLE "Daemon loses lock after suspend"
#define WL_BODY_LEN 200
#define WL_REQ_LABELS 3
#define WL_ISSUES 20
#define WL_TOTAL 20u
#define WL_TS_BASE 1700000000000ull

typedef struct wl_issue {
    char issue_id[33];          /* 32 hex digits of i+1 */
    char title[48];             /* "Issue number <i> about the daemon" */
    bool closed;                /* i % 3 == 0 */
    const char *const *labels;  /* {"bug","p2"} for even i, {"feature"} for odd */
    size_t nlabels;
    uint64_t updated_ts;        /* WL_TS_BASE + i * 1000 */
} wl_issue;

typedef struct workload {
    char body[WL_BODY_LEN + 1];
    const char *const *req_labels;   /* {"bug","daemon","p1"} */
    wl_issue issues[WL_ISSUES];
} workload;

/* Fill in the values of REQ and RESP. */
void workload_init(workload *w);

/* The digest a reader of REQ / RESP must compute from these values. */
uint64_t workload_req_digest(const workload *w);
uint64_t workload_resp_digest(const workload *w);

/* One string's share of a digest: its length, first and last byte. */
static inline uint64_t digest_str(const char *p, size_t len)
{
    return len ? len + (uint8_t)p[0] + (uint8_t)p[len - 1] : 0;
}

/* One issue state's share of a digest (Closed counts 1, Open 0). */
static inline uint64_t digest_state(bool closed) { return closed ? 1u : 0u; }

#endif
