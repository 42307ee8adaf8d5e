/*
 * cli_timing.c - the timing loops of grite-cli-bench (see cli_timing.h).
 */
#include "cli_timing.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "envelope.h"
#include "grite.h"
#include "grite/client.h"
#include "grite/daemon_lock.h"

extern char **environ;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int run_once(char *const *argv, const posix_spawn_file_actions_t *fa, uint64_t *ns)
{
    uint64_t t0 = now_ns();
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], fa, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "grite-cli-bench: cannot run %s: %s\n", argv[0], strerror(rc));
        return -1;
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    *ns = now_ns() - t0;
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        fprintf(stderr, "grite-cli-bench: %s failed (status %d)\n", argv[0], ws);
        return -1;
    }
    return 0;
}

int time_spawn(char *const *argv, size_t runs, uint64_t *ns)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = 0;
    for (size_t i = 0; i < runs && rc == 0; i++)
        rc = run_once(argv, &fa, &ns[i]);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

int time_in_process(int argc, char *const *argv, size_t runs, uint64_t *ns)
{
    FILE *null = fopen("/dev/null", "w");
    if (null == NULL)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < runs && rc == 0; i++) {
        uint64_t t0 = now_ns();
        rc = cli_main(argc, argv, null, null);
        ns[i] = now_ns() - t0;
    }
    fclose(null);
    if (rc != 0)
        fprintf(stderr, "grite-cli-bench: in-process grite returned %d\n", rc);
    return rc == 0 ? 0 : -1;
}

/* The request grite would send for `issue show ID`. */
static int build_show(grite_buf *b, cli_envelope *env, const char *data_dir, const char *issue_id)
{
    char err[CLI_ENVELOPE_ERROR_MAX];
    if (cli_envelope_data_dir(env, data_dir, err) != 0 ||
        cli_envelope_identity(env, NULL, NULL, err) != 0 || cli_envelope_new_request_id(env) != 0) {
        fprintf(stderr, "grite-cli-bench: %s\n", err);
        return -1;
    }
    grite_IpcRequest_in in = {
        .ipc_schema_version = 1,
        .request_id = grite_str_from_cstr(env->request_id),
        .repo_root = grite_str_from_cstr(env->repo_root),
        .actor_id = grite_str_from_cstr(env->actor_id),
        .data_dir = grite_str_from_cstr(env->data_dir),
        .command = { .tag = GRITE_IPC_COMMAND_ISSUE_SHOW,
                     .v.IssueShow.issue_id = grite_str_from_cstr(issue_id) },
    };
    return grite_buf_init_growable(b, 1024, 0) == 0 && grite_IpcRequest_build(b, &in) == 0 ? 0 : -1;
}

static int socket_of(const cli_envelope *env, char *out, size_t n)
{
    grite_daemon_info info;
    grite_lock_error err;
    if (grite_daemon_find(env->lock_path, &info, &err) != GRITE_LOCK_OK) {
        fprintf(stderr, "grite-cli-bench: no daemon: %s\n", err.text);
        return -1;
    }
    snprintf(out, n, "%s", info.socket_path);
    return 0;
}

int time_warm_call(const char *data_dir, const char *issue_id, size_t runs, uint64_t *ns)
{
    static cli_envelope env;
    grite_buf req = { 0 };
    char socket_path[GRITE_DAEMON_SOCKET_PATH_MAX + 1];
    if (build_show(&req, &env, data_dir, issue_id) != 0 || socket_of(&env, socket_path, sizeof socket_path) != 0)
        return -1;
    grite_client_options opt = { .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
                                 .validate_response = grite_IpcReply_validate };
    grite_client *c = grite_client_new(socket_path, &opt);
    int rc = c ? grite_client_connect(c) : -1;
    for (size_t i = 0; i < runs + 1 && rc == 0; i++) {   /* +1: the first call shakes hands */
        const void *resp;
        size_t len;
        uint64_t t0 = now_ns();
        rc = grite_client_call(c, &req, &resp, &len);
        if (rc == 0 && grite_IpcResponse_tag(grite_IpcReply_response(grite_IpcReply_root(resp))) !=
                           GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT)
            rc = -1;
        if (i > 0)
            ns[i - 1] = now_ns() - t0;
    }
    if (rc != 0)
        fprintf(stderr, "grite-cli-bench: warm call failed: %s\n", c ? grite_client_strerror(c) : "no memory");
    grite_client_free(c);
    grite_buf_free(&req);
    return rc == 0 ? 0 : -1;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

double quantile_us(uint64_t *ns, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(ns, n, sizeof *ns, compare_u64);
    size_t rank = (size_t)ceil(q * (double)n);
    if (rank < 1)
        rank = 1;
    return (double)ns[rank - 1] / 1000.0;
}
