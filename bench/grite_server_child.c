/*
 * grite_server_child.c - the grite server child and its handler.
 */
#include "grite_server_child.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <grite/client.h>
#include <grite/server.h>

#include "grite_msgs.h"

typedef struct grite_child {
    const char *path;
    grite_serve_mode mode;
    const rtt_env *env;
    int ready_fd;
    server_report *report;
    uint64_t want_digest;
    grite_msgs msgs;
} grite_child;

static int handle(void *user, const grite_request *rq, grite_buf *response)
{
    grite_child *g = user;
    server_report_request(g->report);
    const grite_IpcRequest *req = grite_IpcRequest_root(rq->data);
    /* Dispatch on the command as a daemon would, then read it all. */
    if (grite_IpcCommand_tag(grite_IpcRequest_command(req)) != GRITE_IPC_COMMAND_ISSUE_CREATE ||
        grite_req_digest(req) != g->want_digest || (g->env->verify_all && !grite_req_matches(req, g->env->wl))) {
        server_report_reject(g->report);
        return GRITE_HANDLER_DROP;
    }
    if (grite_IpcReply_build(response, &g->msgs.resp) != 0) {
        server_report_reject(g->report);
        return GRITE_HANDLER_DROP;
    }
    return GRITE_HANDLER_RESPOND;
}

/* The transport-only handler: answer with the prebuilt RESP bytes. */
static int handle_prebuilt(void *user, const grite_request *rq, grite_buf *response)
{
    grite_child *g = user;
    server_report_request(g->report);
    const rtt_env *env = g->env;
    size_t at = 0;
    if (rq->len != env->grite_req_len ||
        (env->verify_all && memcmp(rq->data, env->grite_req, env->grite_req_len) != 0) ||
        grite_buf_reserve(response, env->grite_resp_len, 8, &at) != 0) {
        server_report_reject(g->report);
        return GRITE_HANDLER_DROP;
    }
    memcpy(response->data + at, env->grite_resp, env->grite_resp_len);
    return GRITE_HANDLER_RESPOND;
}

int grite_bench_accept_any(const void *buf, size_t len, grite_verror *err)
{
    (void)buf, (void)len, (void)err;
    return 0;
}

static void tell_parent(int fd, char what)
{
    if (write(fd, &what, 1) != 1)
        perror("grite-bench: grite server: cannot signal readiness");
    close(fd);
}

static int grite_child_main(void *arg)
{
    grite_child *g = arg;
    grite_msgs_init(&g->msgs, g->env->wl);
    bool real_work = g->mode == GRITE_SERVE_WORKLOAD;
    grite_server_options opt = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_request = real_work ? grite_IpcRequest_validate : grite_bench_accept_any,
        .handler = real_work ? handle : handle_prebuilt,
        .user = g,
        .handle_signals = true,   /* SIGTERM from child_stop() ends run() cleanly */
    };
    grite_server *s = NULL;
    grite_error err;
    if (grite_server_open(&s, g->path, &opt, &err) != 0) {
        char msg[600];
        grite_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "grite-bench: grite server: %s\n", msg);
        tell_parent(g->ready_fd, 'E');
        return 1;
    }
    tell_parent(g->ready_fd, 'R');
    int rc = grite_server_run(s, &err);
    grite_server_close(s);
    return rc == 0 ? 0 : 1;
}

/* Wait (up to 5 s) for the child's one-byte "listening" message. */
static bool wait_ready(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    char what = 0;
    return poll(&p, 1, 5000) == 1 && read(fd, &what, 1) == 1 && what == 'R';
}

pid_t grite_server_spawn(const rtt_env *env, const char *path, server_report *report, grite_serve_mode mode)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
        perror("grite-bench: pipe");
        return -1;
    }
    grite_child g = {.path = path, .mode = mode, .env = env, .ready_fd = pipe_fds[1], .report = report,
                     .want_digest = workload_req_digest(env->wl)};
    pid_t pid = child_spawn(&env->place, pipe_fds[1], grite_child_main, &g);
    close(pipe_fds[1]);
    bool ready = pid > 0 && wait_ready(pipe_fds[0]);
    close(pipe_fds[0]);
    if (pid > 0 && !ready) {
        fprintf(stderr, "grite-bench: the grite server did not start\n");
        child_stop(pid);
        return -1;
    }
    return pid;
}

bool grite_own_server_start(grite_own_server *s, const rtt_env *env, const char *sock_name)
{
    snprintf(s->path, sizeof s->path, "%s/%s", env->dir, sock_name);
    s->report = server_report_map();
    s->pid = s->report ? grite_server_spawn(env, s->path, s->report, GRITE_SERVE_WORKLOAD) : -1;
    if (s->pid < 0) {
        server_report_unmap(s->report);
        s->report = NULL;
        return false;
    }
    return true;
}

bool grite_own_server_saw(const grite_own_server *s, uint64_t calls, const char *what)
{
    server_report seen = server_report_read(s->report);
    if (seen.requests == calls && seen.rejected == 0)
        return true;
    fprintf(stderr, "grite-bench: %s: the server handled %llu requests (%llu rejected), the clients made %llu\n",
            what, (unsigned long long)seen.requests, (unsigned long long)seen.rejected, (unsigned long long)calls);
    return false;
}

void grite_own_server_stop(grite_own_server *s)
{
    child_stop(s->pid);
    server_report_unmap(s->report);
    s->report = NULL;
}

void grite_bench_client_options(struct grite_client_options *opt)
{
    *opt = (grite_client_options){
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_response = grite_IpcReply_validate,
    };
}
