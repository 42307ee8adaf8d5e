/* transport_test_util.c - see transport_test_util.h. */
#include "transport_test_util.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "clock.h"
#include "fd_ops.h"
#include "grite/frame.h"
#include "grite/session.h"
#include "temp_dir.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

/* ---- the test protocol ---- */

uint8_t pattern_byte(uint64_t id, size_t i)
{
    return (uint8_t)(id * 131u + i * 7u + (i >> 8));
}

int tmsg_validate(const void *buf, size_t len, grite_verror *err)
{
    int code = GRITE_VERROR_OK;
    uint32_t magic = 0;
    if (((uintptr_t)buf & 7u) != 0) code = GRITE_VERROR_BUFFER_ALIGN;
    else if (len < TMSG_HEADER) code = GRITE_VERROR_BUFFER_TOO_SMALL;
    else if (memcpy(&magic, buf, 4), magic != TMSG_MAGIC) code = GRITE_VERROR_BAD_UNION_TAG;
    if (code && err) {
        memset(err, 0, sizeof *err);
        err->code = (grite_verror_code)code;
        snprintf(err->path, sizeof err->path, "%s", "tmsg");
    }
    return code;
}

int tmsg_build(grite_buf *b, uint32_t op, uint64_t id, uint64_t arg, size_t payload_len)
{
    size_t off;
    grite_buf_reset(b);
    int rc = grite_buf_reserve(b, TMSG_HEADER + payload_len, 8, &off);
    if (rc != 0) return rc;
    tmsg h = {TMSG_MAGIC, op, id, arg};
    memcpy(b->data + off, &h, sizeof h);
    for (size_t i = 0; i < payload_len; i++) b->data[off + TMSG_HEADER + i] = pattern_byte(id, i);
    return 0;
}

bool tmsg_payload_ok(const void *msg, size_t len)
{
    tmsg h;
    memcpy(&h, msg, sizeof h);
    const uint8_t *p = (const uint8_t *)msg + TMSG_HEADER;
    for (size_t i = 0; i < len - TMSG_HEADER; i++)
        if (p[i] != pattern_byte(h.id, i)) return false;
    return true;
}

/* ---- the test server ---- */

static const test_server_cfg *server_cfg;
static const char *server_path;

static int reply(grite_buf *out, const tmsg *h, uint64_t arg, const void *payload, size_t n)
{
    size_t off;
    if (grite_buf_reserve(out, TMSG_HEADER + n, 8, &off) != 0) return GRITE_HANDLER_DROP;
    tmsg r = {TMSG_MAGIC, h->op, h->id, arg};
    memcpy(out->data + off, &r, sizeof r);
    if (n) memcpy(out->data + off + TMSG_HEADER, payload, n);
    return GRITE_HANDLER_RESPOND;
}

static int handle_stats(const grite_request *rq, const tmsg *h, grite_buf *out)
{
    grite_server_stats st;
    grite_server_get_stats(rq->server, &st);
    return reply(out, h, st.requests, &st, sizeof st);
}

static int handle_big(const tmsg *h, grite_buf *out)
{
    size_t off;
    if (grite_buf_reserve(out, TMSG_HEADER + h->arg, 8, &off) != 0) return GRITE_HANDLER_DROP;
    tmsg r = *h;
    memcpy(out->data + off, &r, sizeof r);
    for (size_t i = 0; i < h->arg; i++) out->data[off + TMSG_HEADER + i] = pattern_byte(h->id, i);
    return GRITE_HANDLER_RESPOND;
}

static int test_handler(void *user, const grite_request *rq, grite_buf *out)
{
    (void)user;
    tmsg h;
    memcpy(&h, rq->data, sizeof h);
    const uint8_t *payload = (const uint8_t *)rq->data + TMSG_HEADER;
    size_t n = rq->len - TMSG_HEADER;
    switch (h.op) {
    case OP_SLEEP: test_sleep_ms((int)h.arg); break;
    case OP_STOP: grite_server_stop(rq->server); break;
    case OP_DROP: return GRITE_HANDLER_DROP;
    case OP_BIG: return handle_big(&h, out);
    case OP_STATS: return handle_stats(rq, &h, out);
    case OP_DIE: raise(SIGKILL); break;
    case OP_PEER_UID: return reply(out, &h, rq->peer->uid, NULL, 0);
    case OP_MALLOCS: return reply(out, &h, server_cfg->malloc_count ? server_cfg->malloc_count() : 0, NULL, 0);
    case OP_BAD_REPLY: {
        int rc = reply(out, &h, 0, NULL, 0);
        memset(out->data, 0xBA, 4);   /* spoil the magic */
        return rc;
    }
    case OP_FORK_HOLD: return reply(out, &h, (uint64_t)fd_hold_in_child(), NULL, 0);
    case OP_EPOLL_WATCHES: return reply(out, &h, (uint64_t)epoll_watch_count(), NULL, 0);
    case OP_HOG_FDS: fd_hog_request(server_path, (int64_t)h.arg); break;
    case OP_EMPTY_REPLY: return GRITE_HANDLER_RESPOND;
    default: break;
    }
    return reply(out, &h, h.arg, payload, n);
}

static int error_reply(void *user, const grite_server_bad_request *bad, grite_buf *out)
{
    (void)user;
    tmsg h = {TMSG_MAGIC, OP_ERROR_REPLY, 0, 0};
    return reply(out, &h, (uint64_t)bad->reason, NULL, 0);
}

static bool allow_nobody(void *user, const grite_server_peer *peer)
{
    (void)user;
    (void)peer;
    return false;
}

static bool allow_65534(void *user, const grite_server_peer *peer)
{
    (void)user;
    return peer->uid == geteuid() || peer->uid == 65534;
}

grite_server_options test_server_options(const test_server_cfg *cfg)
{
    grite_server_options o = {
        .schema_fingerprint = cfg->fingerprint ? cfg->fingerprint : TEST_FINGERPRINT,
        .validate_request = tmsg_validate,
        .handler = test_handler,
        .max_frame = cfg->max_frame,
        .max_connections = cfg->max_connections,
        .io_timeout_ms = cfg->io_timeout_ms,
        .idle_timeout_ms = cfg->idle_timeout_ms,
        .handle_signals = cfg->handle_signals,
    };
    if (cfg->error_callback) o.on_bad_request = error_reply;
    if (cfg->allow_nobody) o.allow_peer = allow_nobody;
    if (cfg->allow_uid_65534) o.allow_peer = allow_65534;
    if (cfg->tick_ms > 0) {
        o.on_tick = fd_hog_tick;
        o.tick_ms = cfg->tick_ms;
    }
    return o;
}

void test_server_serve(const char *path, const test_server_cfg *cfg, int report_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Check's SIGTERM handler (inherited) would forward the signal to the
     * whole test's process group. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    umask(0);   /* the socket must still come out 0600 */
    server_cfg = cfg;
    server_path = path;
    grite_server_options o = test_server_options(cfg);
    grite_server *s = NULL;
    grite_error err;
    int rc = grite_server_open(&s, path, &o, &err);
    if (report_fd >= 0) {
        if (write(report_fd, &rc, sizeof rc) != (ssize_t)sizeof rc) _exit(30);
        close(report_fd);
    }
    if (rc != 0) _exit(10);
    rc = grite_server_run(s, &err);
    if (cfg->epoll_report) fd_report_epoll_watches(cfg->epoll_report);
    grite_server_close(s);
#ifdef __SANITIZE_ADDRESS__
    /* _exit skips LeakSanitizer's exit-time check: run it here. */
    if (__lsan_do_recoverable_leak_check() != 0) _exit(40);
#endif
    _exit(rc ? 20 : 0);
}

int test_server_try_open(const char *path, const test_server_cfg *cfg, pid_t *pid_out)
{
    static const test_server_cfg defaults;
    int fds[2];
    ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        test_server_serve(path, cfg ? cfg : &defaults, fds[1]);
    }
    close(fds[1]);
    int rc = -1;
    ssize_t r = read(fds[0], &rc, sizeof rc);
    close(fds[0]);
    ck_assert_msg(r == (ssize_t)sizeof rc, "test server died before reporting");
    if (rc != 0) {
        wait_exit(pid, 2000);
        pid = -1;
    }
    if (pid_out) *pid_out = pid;
    return rc;
}

pid_t test_server_start(const char *path, const test_server_cfg *cfg)
{
    pid_t pid;
    int rc = test_server_try_open(path, cfg, &pid);
    ck_assert_msg(rc == 0, "test server: grite_server_open: %s", grite_err_name(rc));
    return pid;
}

int wait_exit(pid_t pid, int timeout_ms)
{
    int status;
    int64_t end = test_clock_ms() + test_scaled_ms(timeout_ms);
    while (test_clock_ms() < end) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return -1;
        test_sleep_ms(2);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

int test_server_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    return wait_exit(pid, 5000);
}

/* ---- clients ---- */

grite_client *test_client(const char *path, uint64_t fingerprint, int timeout_ms)
{
    grite_client_options o = {
        .schema_fingerprint = fingerprint ? fingerprint : TEST_FINGERPRINT,
        .validate_response = tmsg_validate,
        .timeout_ms = test_scaled_ms(timeout_ms),
    };
    grite_client *c = grite_client_new(path, &o);
    ck_assert_ptr_nonnull(c);
    int rc = grite_client_connect(c);
    ck_assert_msg(rc == 0, "connect: %s", grite_client_strerror(c));
    return c;
}

uint64_t test_call_ok(grite_client *c, grite_buf *b, uint32_t op, uint64_t id, uint64_t arg, size_t payload)
{
    const void *resp;
    size_t len;
    ck_assert_int_eq(tmsg_build(b, op, id, arg, payload), 0);
    int rc = grite_client_call(c, b, &resp, &len);
    ck_assert_msg(rc == 0, "call: %s", grite_client_strerror(c));
    ck_assert_uint_eq((uintptr_t)resp & 7u, 0);
    tmsg h;
    memcpy(&h, resp, sizeof h);
    ck_assert_uint_eq(h.id, id);
    ck_assert_uint_eq(h.op, op);
    return h.arg;
}

void test_rig_start(test_rig *r, const test_server_cfg *cfg, int timeout_ms)
{
    test_socket_path(r->dir, sizeof r->dir, r->path, sizeof r->path);
    r->server = test_server_start(r->path, cfg);
    r->client = test_client(r->path, 0, timeout_ms);
    ck_assert_int_eq(grite_buf_init_growable(&r->buf, 0, 0), 0);
}

int test_rig_stop(test_rig *r)
{
    grite_client_free(r->client);
    r->client = NULL;
    grite_buf_free(&r->buf);
    return test_server_stop(r->server);
}

grite_server_stats test_server_stats(grite_client *c, grite_buf *b)
{
    const void *resp;
    size_t len;
    grite_server_stats st;
    ck_assert_int_eq(tmsg_build(b, OP_STATS, 1, 0, 0), 0);
    ck_assert_msg(grite_client_call(c, b, &resp, &len) == 0, "%s", grite_client_strerror(c));
    ck_assert_uint_eq(len, TMSG_HEADER + sizeof st);
    memcpy(&st, (const uint8_t *)resp + TMSG_HEADER, sizeof st);
    return st;
}

grite_server_stats test_wait_connections(grite_client *c, grite_buf *b, size_t n, int timeout_ms)
{
    int64_t end = test_clock_ms() + test_scaled_ms(timeout_ms);
    grite_server_stats st = test_server_stats(c, b);
    while (st.connections != n && test_clock_ms() < end) {
        test_sleep_ms(5);
        st = test_server_stats(c, b);
    }
    return st;
}

/* ---- raw sockets ---- */

int raw_connect(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_msg(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "raw connect: %s", strerror(errno));
    return fd;
}

void raw_send(int fd, const void *p, size_t n)
{
    ck_assert_int_eq(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

void raw_send_hello(int fd)
{
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(hello, GRITE_SESSION_HELLO_CLIENT, TEST_FINGERPRINT, GRITE_FRAME_MAX_DEFAULT);
    raw_send(fd, hello, sizeof hello);
}

size_t raw_recv(int fd, void *p, size_t n, int timeout_ms)
{
    size_t got = 0;
    int64_t end = test_clock_ms() + test_scaled_ms(timeout_ms);
    while (got < n) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int64_t left = end - test_clock_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) break;
        ssize_t r = recv(fd, (uint8_t *)p + got, n - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

bool raw_sees_close(int fd, int timeout_ms)
{
    uint8_t buf[4096];
    int64_t end = test_clock_ms() + test_scaled_ms(timeout_ms);
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int64_t left = end - test_clock_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) return false;
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r == 0 || (r < 0 && errno == ECONNRESET)) return true;
        if (r < 0 && errno != EINTR) return true;
    }
}

bool raw_wait_consumed(int fd, int timeout_ms)
{
    int64_t end = test_clock_ms() + test_scaled_ms(timeout_ms);
    for (;;) {
        int unread = -1;
        ck_assert_msg(ioctl(fd, SIOCOUTQ, &unread) == 0, "SIOCOUTQ: %s", strerror(errno));
        if (unread == 0) return true;
        if (test_clock_ms() >= end) return false;
        test_sleep_ms(1);
    }
}

/* ---- temp dirs and time ---- */

static char base_dir[128];

void test_base_setup(void)
{
    snprintf(base_dir, sizeof base_dir, "/tmp/grite-transport-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(base_dir));
}

void test_base_teardown(void)
{
    if (base_dir[0]) test_remove_tree(base_dir);
    base_dir[0] = '\0';
}

void test_tmpdir(char *dir, size_t n)
{
    ck_assert_msg(base_dir[0], "test_base_setup was not run");
    snprintf(dir, n, "%s/t-XXXXXX", base_dir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void test_socket_path(char *dir, size_t dn, char *path, size_t pn)
{
    test_tmpdir(dir, dn);
    test_path(path, pn, dir, "grite.sock");
}

void test_path(char *out, size_t n, const char *dir, const char *name)
{
    int w = snprintf(out, n, "%s/%s", dir, name);
    ck_assert(w > 0 && (size_t)w < n);
}

/* ---- suites ---- */

TCase *test_tcase(Suite *s, const char *name, int timeout_s)
{
    TCase *t = tcase_create(name);
    tcase_add_unchecked_fixture(t, test_base_setup, test_base_teardown);
    tcase_set_timeout(t, timeout_s);
    suite_add_tcase(s, t);
    return t;
}

int test_run_case(const char *suite, const char *tcase, int timeout_s, const TTest *const tests[])
{
    Suite *s = suite_create(suite);
    TCase *t = test_tcase(s, tcase, timeout_s);
    for (size_t i = 0; tests[i]; i++) tcase_add_test(t, tests[i]);
    return grite_check_run(s);
}
