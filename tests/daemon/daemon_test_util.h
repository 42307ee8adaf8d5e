/* daemon_test_util.h - what the grite-daemon tests share: temporary data
 * dirs, starting the real grite-daemon binary (fork + exec) and stopping
 * it, and a client that sends IpcCommands and checks the replies.
 *
 * Every daemon a test starts is recorded and killed (SIGKILL) by
 * daemon_test_teardown(), and dies with the test process anyway
 * (PR_SET_PDEATHSIG), so a failing test leaks nothing. */
#ifndef GRITE_TESTS_DAEMON_UTIL_H
#define GRITE_TESTS_DAEMON_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "grite.h"
#include "grite/client.h"

#define ACTOR_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ACTOR_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define TEST_PATH_MAX 512

/* ---- a test's directory ---------------------------------------------------- */

/* A fresh directory for the running test (short: socket paths must fit
 * in 107 bytes), removed by daemon_test_teardown(). Returns its path. */
const char *test_dir(void);

/* test_dir()/name, in a static rotating buffer (valid for 8 more calls). */
const char *test_path(const char *name);

/* Check fixtures. Unchecked (in the runner, once per TCase): make and
 * remove a base directory, so whatever a failing test leaves behind is
 * removed too. Checked (in each test's process): setup resets the state;
 * teardown kills every daemon still running and removes the test's
 * directory, <base>/<pid>. */
void daemon_suite_setup(void);
void daemon_suite_teardown(void);
void daemon_test_setup(void);
void daemon_test_teardown(void);

/* ---- the daemon process --------------------------------------------------------- */

struct daemon_proc {
    pid_t pid;
    char data_dir[TEST_PATH_MAX];   /* as given (canonical: under test_dir()) */
    char socket_path[TEST_PATH_MAX];
    char log_path[TEST_PATH_MAX];
};

/* Every time limit below is a deadline, stretched by test_scaled_ms()
 * (tests/common/clock.h) under valgrind. */

/* Start grite-daemon --data-dir DIR --socket SOCK --log LOG [extra...]
 * (extra is NULL-terminated, may be NULL) and wait until it answers on its
 * socket (its lock is live and the socket accepts); the test fails with
 * the daemon's log if it exits first or takes more than 10 s. */
void daemon_start(struct daemon_proc *d, const char *data_dir, const char *socket_path, const char *const *extra);

/* Run grite-daemon with argv[1..] = args (NULL-terminated) to completion
 * (at most 10 s); returns its exit status and puts stdout+stderr into out. */
int daemon_run_to_exit(const char *const *args, char *out, size_t n);

/* Wait (at most timeout_ms) for the daemon to exit; returns its exit
 * status, or -1 if it is still running, or 128+signal if it was killed. */
int daemon_wait_exit(struct daemon_proc *d, int timeout_ms);

/* Kill with `sig` and reap (SIGKILL: reaped at once). */
void daemon_kill(struct daemon_proc *d, int sig);

/* SIGTERM, and the daemon must exit 0 within 5 s (so, under
 * -DGRITE_SANITIZE=ON, without a sanitizer or leak report); the test
 * fails showing its log otherwise. */
void daemon_stop_clean(struct daemon_proc *d);

/* The daemon's log so far (static buffer). */
const char *daemon_log(const struct daemon_proc *d);

/* ---- a client -------------------------------------------------------------------- */

struct test_client {
    grite_client *client;
    grite_buf request;
    char data_dir[TEST_PATH_MAX];
    char actor[33];
    uint32_t ipc_version;      /* 1 unless a test wants a wrong one */
    unsigned next_id;
    char request_id[32];       /* of the last call */
};

/* Connect to d as actor (may be "" for none); calls time out after 10 s. */
void client_open(struct test_client *c, const struct daemon_proc *d, const char *actor);
void client_close(struct test_client *c);

/* Send cmd; the reply must come back and echo our request_id. The reply
 * is valid until the next call on this client. */
const grite_IpcReply *client_call(struct test_client *c, const grite_IpcCommand_in *cmd);

/* The reply's response, which must be of `kind` (else the test fails,
 * showing the error message if it is an Error). */
const grite_IpcResponse *expect_kind(const grite_IpcReply *reply, grite_IpcResponse_kind kind);

/* The reply must be an Error with `code` whose message contains `needle`
 * (NULL: any). Returns the Error. */
const grite_IpcResponse_Error *expect_error(const grite_IpcReply *reply, grite_ErrorCode code, const char *needle);

/* An id from a reply (32 hex digits; the test fails otherwise) into out. */
void copy_id(grite_str id, char out[33]);

/* Shortcuts that must succeed. out_id receives the new issue's id. */
void create_issue(struct test_client *c, const char *title, const char *body, char out_id[33]);
void add_comment(struct test_client *c, const char *issue_id, const char *body);

/* ---- files -------------------------------------------------------------------------- */

bool path_exists(const char *path);
void make_dir(const char *path);

#endif
