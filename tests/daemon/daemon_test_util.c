/* daemon_test_util.c - temp dirs, daemon processes and a checking client
 * for the grite-daemon tests (daemon_test_util.h). */
#include "daemon_test_util.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "grite/daemon_lock.h"
#include "temp_dir.h"

#ifndef GRITE_DAEMON_PATH
#error "GRITE_DAEMON_PATH must name the grite-daemon binary"
#endif

#define MAX_PROCS 16
#define START_TIMEOUT_MS 10000   /* before test_scaled_ms, as every deadline here */

static char base_dir[32];   /* the runner's, see daemon_suite_setup */
static char dir_buf[64];
static pid_t procs[MAX_PROCS];
static int nprocs;

/* ---- directories ------------------------------------------------------------------ */

const char *test_dir(void)
{
    if (dir_buf[0]) return dir_buf;
    if (base_dir[0]) {
        snprintf(dir_buf, sizeof dir_buf, "%s/%ld", base_dir, (long)getpid());
        ck_assert_msg(mkdir(dir_buf, 0700) == 0, "mkdir %s: %s", dir_buf, strerror(errno));
    } else {
        snprintf(dir_buf, sizeof dir_buf, "/tmp/gdt-XXXXXX");
        ck_assert_msg(mkdtemp(dir_buf) != NULL, "mkdtemp: %s", strerror(errno));
    }
    return dir_buf;
}

const char *test_path(const char *name)
{
    static char bufs[8][TEST_PATH_MAX];
    static int next;
    char *out = bufs[next++ % 8];
    snprintf(out, TEST_PATH_MAX, "%s/%.400s", test_dir(), name);
    return out;
}

bool path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

void make_dir(const char *path)
{
    ck_assert_msg(mkdir(path, 0700) == 0, "mkdir %s: %s", path, strerror(errno));
}

static void remove_tree(char *path)
{
    if (!path[0]) return;
    chmod(path, 0700);   /* a test may have opened it up */
    test_remove_tree(path);   /* best effort: a teardown */
    path[0] = '\0';
}

void daemon_suite_setup(void)
{
    snprintf(base_dir, sizeof base_dir, "/tmp/gdt-XXXXXX");
    if (!mkdtemp(base_dir)) base_dir[0] = '\0';   /* test_dir() falls back to its own */
}

void daemon_suite_teardown(void)
{
    remove_tree(base_dir);
}

void daemon_test_setup(void)
{
    nprocs = 0;
    dir_buf[0] = '\0';
}

void daemon_test_teardown(void)
{
    for (int i = 0; i < nprocs; i++) {
        if (procs[i] > 0 && kill(procs[i], SIGKILL) == 0) waitpid(procs[i], NULL, 0);
        procs[i] = 0;
    }
    nprocs = 0;
    remove_tree(dir_buf);
}

/* ---- processes ----------------------------------------------------------------------- */

static void remember(pid_t pid)
{
    ck_assert_int_lt(nprocs, MAX_PROCS);
    procs[nprocs++] = pid;
}

static void forget(pid_t pid)
{
    for (int i = 0; i < nprocs; i++)
        if (procs[i] == pid) procs[i] = 0;
}

/* In the child: die with the test, default signals, output to out_fd, exec. */
static _Noreturn void exec_daemon(char *const *argv, int out_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    execv(GRITE_DAEMON_PATH, argv);
    dprintf(out_fd, "exec %s: %s\n", GRITE_DAEMON_PATH, strerror(errno));
    _exit(127);
}

static pid_t spawn(const char *const *args, int out_fd)
{
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)"grite-daemon";
    for (; args && args[n - 1] && n < 31; n++) argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) exec_daemon(argv, out_fd);
    remember(pid);
    return pid;
}

static int decode_status(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Wait (at most timeout_ms, stretched under valgrind) for pid to exit. */
static int wait_pid(pid_t pid, int timeout_ms)
{
    int64_t deadline = test_clock_ms() + test_scaled_ms(timeout_ms);
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            forget(pid);
            return decode_status(status);
        }
        if (test_clock_ms() >= deadline) return -1;
        test_sleep_ms(5);
    }
}

const char *daemon_log(const struct daemon_proc *d)
{
    static char text[16384];
    text[0] = '\0';
    FILE *f = fopen(d->log_path, "r");
    if (f) {
        size_t got = fread(text, 1, sizeof text - 1, f);
        text[got] = '\0';
        fclose(f);
    }
    return text;
}

static bool answers(const struct daemon_proc *d)
{
    char lock[TEST_PATH_MAX + 16];
    snprintf(lock, sizeof lock, "%s/daemon.lock", d->data_dir);
    grite_daemon_info info;
    return grite_daemon_find(lock, &info, NULL) == GRITE_LOCK_OK && strcmp(info.socket_path, d->socket_path) == 0;
}

void daemon_start(struct daemon_proc *d, const char *data_dir, const char *socket_path, const char *const *extra)
{
    memset(d, 0, sizeof *d);
    snprintf(d->data_dir, sizeof d->data_dir, "%s", data_dir);
    snprintf(d->socket_path, sizeof d->socket_path, "%s", socket_path);
    snprintf(d->log_path, sizeof d->log_path, "%s.log", socket_path);
    const char *args[32] = {"--data-dir", data_dir, "--socket", socket_path};
    int n = 4;
    for (; extra && *extra && n < 30; extra++) args[n++] = *extra;
    args[n] = NULL;
    int log_fd = open(d->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    ck_assert_int_ge(log_fd, 0);
    d->pid = spawn(args, log_fd);
    close(log_fd);
    int limit_ms = test_scaled_ms(START_TIMEOUT_MS);
    int64_t deadline = test_clock_ms() + limit_ms;
    while (!answers(d)) {
        int status = wait_pid(d->pid, 0);
        ck_assert_msg(status < 0, "grite-daemon exited with %d while starting; its log:\n%s", status, daemon_log(d));
        ck_assert_msg(test_clock_ms() < deadline, "grite-daemon did not answer within %d ms; its log:\n%s", limit_ms,
                      daemon_log(d));
        test_sleep_ms(5);
    }
}

int daemon_run_to_exit(const char *const *args, char *out, size_t n)
{
    char path[TEST_PATH_MAX];
    snprintf(path, sizeof path, "%s/run-%d.out", test_dir(), nprocs);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    pid_t pid = spawn(args, fd);
    int status = wait_pid(pid, START_TIMEOUT_MS);
    ck_assert_msg(status >= 0, "grite-daemon did not exit within %d ms", test_scaled_ms(START_TIMEOUT_MS));
    ssize_t got = pread(fd, out, n - 1, 0);
    out[got > 0 ? got : 0] = '\0';
    close(fd);
    return status;
}

int daemon_wait_exit(struct daemon_proc *d, int timeout_ms)
{
    int status = wait_pid(d->pid, timeout_ms);
    if (status >= 0) d->pid = 0;
    return status;
}

void daemon_kill(struct daemon_proc *d, int sig)
{
    ck_assert_int_gt(d->pid, 0);
    ck_assert_int_eq(kill(d->pid, sig), 0);
    if (sig == SIGKILL) {
        waitpid(d->pid, NULL, 0);
        forget(d->pid);
        d->pid = 0;
    }
}

void daemon_stop_clean(struct daemon_proc *d)
{
    daemon_kill(d, SIGTERM);
    int status = daemon_wait_exit(d, 5000);
    ck_assert_msg(status == 0, "grite-daemon exited with %d after SIGTERM; its log:\n%s", status, daemon_log(d));
}

/* ---- the client ------------------------------------------------------------------------ */

void client_open(struct test_client *c, const struct daemon_proc *d, const char *actor)
{
    memset(c, 0, sizeof *c);
    grite_client_options opt = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_response = grite_IpcReply_validate,
        .timeout_ms = test_scaled_ms(10000),
    };
    c->client = grite_client_new(d->socket_path, &opt);
    ck_assert_ptr_nonnull(c->client);
    ck_assert_msg(grite_client_connect(c->client) == 0, "connect: %s", grite_client_strerror(c->client));
    ck_assert_int_eq(grite_buf_init_growable(&c->request, 4096, 0), 0);
    snprintf(c->data_dir, sizeof c->data_dir, "%s", d->data_dir);
    snprintf(c->actor, sizeof c->actor, "%s", actor);
    c->ipc_version = 1;
}

void client_close(struct test_client *c)
{
    grite_client_free(c->client);
    grite_buf_free(&c->request);
    c->client = NULL;
}

const grite_IpcReply *client_call(struct test_client *c, const grite_IpcCommand_in *cmd)
{
    snprintf(c->request_id, sizeof c->request_id, "req-%u", ++c->next_id);
    grite_IpcRequest_in in = {
        .ipc_schema_version = c->ipc_version,
        .request_id = grite_str_from_cstr(c->request_id),
        .repo_root = GRITE_STR("/nonexistent/repo"),
        .actor_id = grite_str_from_cstr(c->actor),
        .data_dir = grite_str_from_cstr(c->data_dir),
        .command = *cmd,
    };
    ck_assert_int_eq(grite_IpcRequest_build(&c->request, &in), 0);
    const void *resp;
    size_t len;
    int rc = grite_client_call(c->client, &c->request, &resp, &len);
    ck_assert_msg(rc == 0, "call %s: %s", grite_IpcCommand_kind_name(cmd->tag), grite_client_strerror(c->client));
    const grite_IpcReply *reply = grite_IpcReply_root(resp);
    ck_assert_uint_eq(grite_IpcReply_ipc_schema_version(reply), 1);
    ck_assert_str_eq(grite_IpcReply_request_id(reply).ptr, c->request_id);
    return reply;
}

const grite_IpcResponse *expect_kind(const grite_IpcReply *reply, grite_IpcResponse_kind kind)
{
    const grite_IpcResponse *r = grite_IpcReply_response(reply);
    grite_IpcResponse_kind got = grite_IpcResponse_tag(r);
    if (got == GRITE_IPC_RESPONSE_ERROR && kind != got) {
        const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(r);
        ck_abort_msg("expected %s, got Error %s: %s (%s)", grite_IpcResponse_kind_name(kind),
                     grite_ErrorCode_name(grite_IpcResponse_Error_code(e)), grite_IpcResponse_Error_message(e).ptr,
                     grite_IpcResponse_Error_details(e).ptr);
    }
    ck_assert_msg(got == kind, "expected %s, got %s", grite_IpcResponse_kind_name(kind),
                  grite_IpcResponse_kind_name(got));
    return r;
}

const grite_IpcResponse_Error *expect_error(const grite_IpcReply *reply, grite_ErrorCode code, const char *needle)
{
    const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(expect_kind(reply, GRITE_IPC_RESPONSE_ERROR));
    const char *msg = grite_IpcResponse_Error_message(e).ptr;
    ck_assert_msg(grite_IpcResponse_Error_code(e) == code, "expected error %s, got %s: %s",
                  grite_ErrorCode_name(code), grite_ErrorCode_name(grite_IpcResponse_Error_code(e)), msg);
    if (needle) ck_assert_msg(strstr(msg, needle) != NULL, "error message \"%s\" lacks \"%s\"", msg, needle);
    return e;
}

void create_issue(struct test_client *c, const char *title, const char *body, char out_id[33])
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                               .v.IssueCreate = {.title = grite_str_from_cstr(title),
                                                 .body = grite_str_from_cstr(body)}};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    copy_id(grite_IpcResponse_IssueCreateResult_issue_id(grite_IpcResponse_as_IssueCreateResult(r)), out_id);
}

void copy_id(grite_str id, char out[33])
{
    ck_assert_msg(id.len == 32, "an id of %zu bytes: \"%.*s\"", (size_t)id.len, (int)id.len, id.ptr);
    memcpy(out, id.ptr, 33);
}

void add_comment(struct test_client *c, const char *issue_id, const char *body)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                               .v.IssueComment = {.issue_id = grite_str_from_cstr(issue_id),
                                                  .body = grite_str_from_cstr(body)}};
    expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_COMMENT_RESULT);
}
