/* soak.h - the soak test's parts: what the test (test_soak.c) and its
 * client processes (soak_worker.c) share, and the content they expect
 * (soak_expect.c).
 *
 * The test creates known issues (the seeds, and one issue per client
 * slot), then runs a storm of client processes against one grite-daemon,
 * killing and replacing them at random. Each slot is one client process
 * at a time; a killed one is replaced by the next generation of the same
 * slot. Everything the processes must agree on lives in one MAP_SHARED
 * mapping (struct soak_shared), so a killed client's counts and
 * acknowledged writes survive it. */
#ifndef GRITE_TESTS_FAULT_SOAK_H
#define GRITE_TESTS_FAULT_SOAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon_test_util.h"
#include "grite.h"

#define SOAK_SEEDS 24
#define SOAK_MAX_CLIENTS 80        /* each holds up to 3 connections; the daemon serves 256 */
#define SOAK_ACTORS 12            /* more than the daemon's 8 store handles: some get closed and reopened */
#define SOAK_COMMENTS_PER_SLOT 64 /* bounded, so memory growth is not the data's */
#define SOAK_BODY_MAX 65536       /* the largest seed body */
#define SOAK_LABEL_EVEN "seed-even"

/* What a client process did, counted as it goes. */
struct soak_counts {
    uint64_t verified;          /* well-formed requests answered, content checked */
    uint64_t expected_errors;   /* well-formed requests answered with the right Error */
    uint64_t comments_acked;    /* writes acknowledged */
    uint64_t garbage;           /* garbage frames answered ipc_error, connection still in step */
    uint64_t oversized;         /* lengths above the limit: ipc_error, then closed */
    uint64_t half_closed;       /* half a frame, then close */
    uint64_t half_hung;         /* half a frame, then silence for a while */
    uint64_t junk;              /* junk instead of a hello: closed without a word */
    uint64_t mismatched;        /* wrong schema fingerprint: MISMATCH, request not run */
    uint64_t pipelined;         /* requests sent three per write */
    uint64_t reconnects;
    uint64_t killed_mid_frame;   /* killed itself after half a frame */
    uint64_t killed_mid_request; /* killed itself after a whole request, before the reply */
};

/* One client slot. */
struct soak_slot {
    char issue_id[33];      /* the slot's own issue: only this slot writes to it */
    char actor[33];
    pid_t pid;              /* the slot's current process (test side) */
    uint32_t generation;
    uint32_t next_seq;      /* comments "slot S comment N" sent have N < next_seq */
    uint64_t acked;         /* bit N: comment N was acknowledged */
    struct soak_counts counts;
    int failed;
    char failure[768];
};

struct soak_seed {
    char issue_id[33];
    uint64_t digest;        /* of the whole Issue, as IssueShow returned it after setup */
};

struct soak_shared {
    char socket_path[TEST_PATH_MAX];
    char data_dir[TEST_PATH_MAX];
    pid_t daemon_pid;
    int64_t deadline_ms;    /* monotonic: the storm ends */
    int call_timeout_ms;
    struct soak_seed seeds[SOAK_SEEDS];
    char even_order[SOAK_SEEDS / 2][33];   /* IssueList label=seed-even, in its order */
    int64_t sloth_closed_after_ms;         /* the half frame left alone: when the daemon dropped it */
    char sloth_failure[256];
    struct soak_slot slots[SOAK_MAX_CLIENTS];
};

/* ---- the expected content (soak_expect.c) ------------------------------------ */

/* Seed i: its title, its body (into out, SOAK_BODY_MAX + 1 bytes; returns
 * the length), its labels (3, sorted) and comments (i % 3 == 0: two, by
 * ACTOR_B, seed_comment()). */
void seed_title(int i, char *out, size_t n);
size_t seed_body(int i, char *out);
void seed_labels(int i, char out[3][16]);
int seed_comment_count(int i);
void seed_comment(int i, int k, char *out, size_t n);

/* Slot s: the data dir actor it writes as, its issue's title and body, and
 * the body of its comment number seq. */
void slot_actor(int s, char out[33]);
void slot_title(int s, char *out, size_t n);
void slot_body(int s, char *out, size_t n);
void slot_comment(int s, uint32_t seq, char *out, size_t n);

/* A digest of every field of an Issue. */
uint64_t issue_digest(const grite_Issue *is);

/* Checks: true, or false with why. body_buf has SOAK_BODY_MAX + 1 bytes. */
bool check_seed(const grite_Issue *is, int i, const struct soak_seed *seed, char *body_buf, char *why, size_t n);
bool check_slot_issue(const grite_Issue *is, int s, const struct soak_slot *slot, char *why, size_t n);
bool check_even_list(const grite_IpcResponse_IssueListResult *r, const struct soak_shared *sh, char *why, size_t n);

/* ---- the processes (soak_worker.c) ---------------------------------------------- */

/* The client process of slot s: well-formed requests (checked) and abuse
 * until sh->deadline_ms; exits 0, or 1 with slots[s].failure set. */
_Noreturn void soak_worker_main(struct soak_shared *sh, int s);

/* Half a frame, then silence: the daemon must drop the connection after
 * its io timeout (10 s), not before. Records when, or a failure. */
_Noreturn void soak_sloth_main(struct soak_shared *sh);

#endif
