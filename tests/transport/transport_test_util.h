/*
 * transport_test_util.h - what the transport tests share: a tiny test
 * protocol (the transport is schema-agnostic, so these tests do not need
 * generated code), a test server run in a forked process, raw-socket
 * helpers for peers that misbehave on purpose, and temp directories.
 *
 * Test message (request and response alike), little-endian, 8-aligned:
 *   0  u32 magic "TMSG"   4 u32 op   8 u64 id   16 u64 arg   24.. payload
 */
#ifndef TRANSPORT_TEST_UTIL_H
#define TRANSPORT_TEST_UTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "clock.h"
#include "grite/buf.h"
#include "grite/client.h"
#include "grite/server.h"
#include "grite/verror.h"

#define TMSG_MAGIC 0x47534d54u   /* "TMSG" */
#define TMSG_HEADER 24u
#define TEST_FINGERPRINT UINT64_C(0x0123456789abcdef)

enum test_op {
    OP_ECHO = 1,         /* answer with the same id, arg and payload */
    OP_SLEEP = 2,        /* sleep arg ms, then echo */
    OP_STOP = 3,         /* grite_server_stop(), then echo */
    OP_DROP = 4,         /* GRITE_HANDLER_DROP */
    OP_BIG = 5,          /* answer with arg payload bytes (pattern_byte) */
    OP_STATS = 6,        /* arg = requests handled, payload = grite_server_stats */
    OP_DIE = 7,          /* the server process kills itself mid-request */
    OP_PEER_UID = 8,     /* arg = the peer's uid */
    OP_MALLOCS = 9,      /* arg = the server process's malloc count */
    OP_BAD_REPLY = 10,   /* answer with bytes the validator rejects */
    OP_FORK_HOLD = 11,   /* fork a child that keeps copies of all the server's
                            descriptors until the server exits (as a handler
                            starting a helper program would); arg = its pid */
    OP_EPOLL_WATCHES = 12,  /* arg = descriptors in the server's epoll set */
    OP_HOG_FDS = 13,     /* once no connection is open, use up every file
                            descriptor for arg ms (needs cfg.tick_ms); while
                            they are used up, hog_flag_path() exists */
    OP_EMPTY_REPLY = 14, /* answer with an empty frame (0 bytes) */
    OP_ERROR_REPLY = 0xEE  /* the server's on_bad_request answer; arg = reason */
};

typedef struct tmsg {
    uint32_t magic, op;
    uint64_t id, arg;
} tmsg;

/* The test protocol's validator (a grite_validate_fn): 8-aligned, at least
 * 24 bytes, the magic. */
int tmsg_validate(const void *buf, size_t len, grite_verror *err);

/* Build a message with `payload_len` bytes of pattern_byte(id, i). */
int tmsg_build(grite_buf *b, uint32_t op, uint64_t id, uint64_t arg, size_t payload_len);

/* Does the payload of msg (len bytes) match pattern_byte(id, i)? */
bool tmsg_payload_ok(const void *msg, size_t len);

uint8_t pattern_byte(uint64_t id, size_t i);

/* ---- the test server (a forked process) ---- */

typedef struct test_server_cfg {
    uint64_t fingerprint;      /* 0: TEST_FINGERPRINT */
    size_t max_frame;
    int max_connections;
    int io_timeout_ms;
    int idle_timeout_ms;
    bool handle_signals;
    bool error_callback;       /* on_bad_request answers OP_ERROR_REPLY */
    bool allow_nobody;         /* allow_peer refuses everyone */
    bool allow_uid_65534;      /* allow_peer: our uid and 65534 */
    uint64_t (*malloc_count)(void);   /* for OP_MALLOCS */
    int tick_ms;               /* > 0: run on_tick this often (OP_HOG_FDS) */
    const char *epoll_report;  /* if set: once grite_server_run() returns, the
                                  number of descriptors still in its epoll set
                                  is written to this file */
} test_server_cfg;

/* The options the test server is opened with (its handler, cfg's limits),
 * for a test that opens one in its own process. */
grite_server_options test_server_options(const test_server_cfg *cfg);

/* Fork a server on `path`; returns once it listens (the test fails if it
 * cannot). The child dies with its parent (PR_SET_PDEATHSIG). */
pid_t test_server_start(const char *path, const test_server_cfg *cfg);

/* Be the server, in this (forked) process: open, report grite_server_open's
 * code on report_fd (if >= 0), serve, _exit (0 after a clean stop). */
_Noreturn void test_server_serve(const char *path, const test_server_cfg *cfg, int report_fd);

/* Try to open a server in a child; returns its grite_server_open() code. */
int test_server_try_open(const char *path, const test_server_cfg *cfg, pid_t *pid_out);

/* SIGTERM, then wait (SIGKILL after 5 s, stretched as below). Returns the
 * exit status as waitpid reports it. */
int test_server_stop(pid_t pid);

/* Every timeout_ms below is a deadline, "wait for X, give up after", and is
 * stretched by test_scaled_ms() (tests/common/clock.h) under valgrind. */

/* Wait up to timeout_ms for pid to exit; returns the waitpid status, or -1
 * on timeout (the process is then killed). */
int wait_exit(pid_t pid, int timeout_ms);

/* How many descriptors the epoll set of this process watches (the one
 * epoll instance a test server has), from /proc/self/fdinfo; -1 if there
 * is not exactly one epoll instance. */
int epoll_watch_count(void);

/* The file OP_HOG_FDS creates next to the server's socket at `path`. */
void hog_flag_path(char *out, size_t n, const char *path);

/* ---- clients ---- */

/* A client with the test validator and the given fingerprint (0: the test
 * one), connected (the test fails otherwise). timeout_ms guards against a
 * hang; a test of the client's timeout sets the exact one it means with
 * grite_client_set_timeout(). */
grite_client *test_client(const char *path, uint64_t fingerprint, int timeout_ms);

/* One call with a test message; fails the test on error; returns the
 * response's arg. */
uint64_t test_call_ok(grite_client *c, grite_buf *b, uint32_t op, uint64_t id, uint64_t arg, size_t payload);

/* The server's counters (OP_STATS). */
grite_server_stats test_server_stats(grite_client *c, grite_buf *b);

/* Ask for the server's counters until it has n connections open (it sees
 * a hang-up in its own time), for at most timeout_ms; returns the last. */
grite_server_stats test_wait_connections(grite_client *c, grite_buf *b, size_t n, int timeout_ms);

/* ---- how most tests begin: a server, a client, a buffer ---- */

typedef struct test_rig {
    char dir[256];         /* a fresh directory ... */
    char path[300];        /* ... and the socket in it */
    pid_t server;          /* a test server on path */
    grite_client *client;  /* connected to it */
    grite_buf buf;         /* for requests */
} test_rig;

/* Start a test server (cfg; NULL: the defaults) on a fresh path and
 * connect a test_client() with timeout_ms per call. */
void test_rig_start(test_rig *r, const test_server_cfg *cfg, int timeout_ms);

/* Free the client and the buffer, and stop the server (test_server_stop:
 * returns its wait status). */
int test_rig_stop(test_rig *r);

/* ---- raw sockets, for peers that misbehave ---- */

int raw_connect(const char *path);
void raw_send(int fd, const void *p, size_t n);
/* Send a client hello with the test fingerprint. */
void raw_send_hello(int fd);
/* Read exactly n bytes within timeout_ms; returns n, or the short count
 * on EOF/error/timeout. */
size_t raw_recv(int fd, void *p, size_t n, int timeout_ms);
/* Does the peer close the connection (EOF or reset) within timeout_ms,
 * discarding whatever data comes first? */
bool raw_sees_close(int fd, int timeout_ms);
/* Has the peer read everything sent on fd (SIOCOUTQ: nothing left in
 * flight) within timeout_ms? The test server handles a request in the
 * same turn in which it reads it, so after this it has begun (or
 * finished) every request sent, where a sleep would only guess. */
bool raw_wait_consumed(int fd, int timeout_ms);

/* ---- temp dirs and time ---- */

/* The suite's base directory: made by test_base_setup() and removed with
 * everything in it by test_base_teardown() (an unchecked fixture, so it
 * runs in the runner process even when a test fails). */
void test_base_setup(void);
void test_base_teardown(void);
/* A fresh directory under the base (mkdtemp, mode 0700). */
void test_tmpdir(char *dir, size_t n);
/* A fresh directory (dir) and the path of a socket named grite.sock in it. */
void test_socket_path(char *dir, size_t dn, char *path, size_t pn);
/* out = dir + "/" + name. */
void test_path(char *out, size_t n, const char *dir, const char *name);

/* Time: test_clock_ms(), test_sleep_ms(), test_scaled_ms() (clock.h). */

/* ---- suites ---- */

/* A test case added to s, with the base directory fixture and a timeout
 * (seconds, scaled by CK_TIMEOUT_MULTIPLIER). */
TCase *test_tcase(Suite *s, const char *name, int timeout_s);

/* Run a suite of one test case (as test_tcase) holding `tests` (NULL
 * ends the list); returns main()'s exit status. */
int test_run_case(const char *suite, const char *tcase, int timeout_s, const TTest *const tests[]);

#endif
