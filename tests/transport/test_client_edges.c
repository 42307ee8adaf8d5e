/*
 * test_client_edges.c - the edges of a call: frames with an empty body,
 * both ways, and a connect() that signals keep interrupting.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport_test_util.h"

/* ---- empty frames ---- */

/* An empty request is a frame of 4 header bytes: it goes out at once (the
 * empty body's iovec once kept the client calling sendmsg() with nothing
 * left to send until the call timed out) and is refused by the validator. */
START_TEST(empty_request_is_sent_and_refused)
{
    test_rig r;
    test_rig_start(&r, &(test_server_cfg){.error_callback = true}, 2000);
    const grite_buf empty = {0};
    const void *resp;
    size_t len;
    int rc = grite_client_call(r.client, &empty, &resp, &len);
    ck_assert_msg(rc == 0, "%s", grite_client_strerror(r.client));
    tmsg h;
    memcpy(&h, resp, sizeof h);
    ck_assert_uint_eq(h.op, OP_ERROR_REPLY);
    ck_assert_uint_eq(h.arg, GRITE_ERR_INVALID_MESSAGE);
    test_call_ok(r.client, &r.buf, OP_ECHO, 2, 0, 0);
    test_rig_stop(&r);
}
END_TEST

/* An empty response reaches the client as a frame its validator refuses;
 * the connection stays in step. */
START_TEST(empty_response_is_delivered)
{
    test_rig r;
    test_rig_start(&r, NULL, 2000);
    const void *resp;
    size_t len;
    ck_assert_int_eq(tmsg_build(&r.buf, OP_EMPTY_REPLY, 1, 0, 0), 0);
    ck_assert_int_eq(grite_client_call(r.client, &r.buf, &resp, &len), GRITE_ERR_INVALID_MESSAGE);
    ck_assert_int_eq(grite_client_error(r.client)->verror.code, GRITE_VERROR_BUFFER_TOO_SMALL);
    test_call_ok(r.client, &r.buf, OP_ECHO, 2, 0, 0);
    test_rig_stop(&r);
}
END_TEST

/* ---- signals ---- */

static void ignore_signal(int sig)
{
    (void)sig;
}

/* SIGALRM every `ms` milliseconds, interrupting blocking system calls. */
static void interrupt_every(int ms)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ignore_signal;   /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct timeval every = {.tv_sec = 0, .tv_usec = ms * 1000};
    struct itimerval t = {.it_interval = every, .it_value = every};
    ck_assert_int_eq(setitimer(ITIMER_REAL, &t, NULL), 0);
}

/* A listener that never accepts, with its backlog full (*queued is the
 * connection that fills it): a connect() to it blocks. */
static int full_listener(const char *path, int *queued)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    ck_assert_uint_lt(strlen(path), sizeof a.sun_path);
    memcpy(a.sun_path, path, strlen(path) + 1);
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(l, 0), 0);
    *queued = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ck_assert_int_eq(connect(*queued, (struct sockaddr *)&a, sizeof a), 0);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ck_assert_int_ne(connect(probe, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(errno, EAGAIN);   /* full */
    close(probe);
    return l;
}

/* connect() on a full backlog, interrupted every 20 ms: each retry used to
 * wait the whole socket timeout again, so it never timed out. */
START_TEST(connect_deadline_holds_under_signals)
{
    char dir[256], path[300];
    test_tmpdir(dir, sizeof dir);
    test_path(path, sizeof path, dir, "full.sock");
    int queued;
    int listener = full_listener(path, &queued);
    grite_client *c = grite_client_new(path, &(grite_client_options){
        .validate_response = tmsg_validate, .timeout_ms = 300});
    ck_assert_ptr_nonnull(c);
    interrupt_every(20);
    int rc = grite_client_connect(c);
    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, NULL);
    ck_assert_msg(rc == GRITE_ERR_TIMEOUT, "%s", grite_client_strerror(c));
    ck_assert_ptr_nonnull(strstr(grite_client_strerror(c), "backlog"));
    grite_client_free(c);
    close(queued);
    close(listener);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {empty_request_is_sent_and_refused, empty_response_is_delivered,
                            connect_deadline_holds_under_signals, NULL};
    return test_run_case("transport_client_edges", "edges", 10, tests);
}
