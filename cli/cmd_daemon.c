/*
 * cmd_daemon.c - `grite daemon start|status|stop`.
 *
 *   start   start the data dir's daemon if none runs (exit 0 either way);
 *   status  never starts one: 0 and its state if one runs, 3 if none does;
 *   stop    asks it to stop, then waits (bounded, 5 s) until its lock is
 *           free and its process has ended, so that a script can start
 *           another right after; 0 also when none was running.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "call.h"
#include "commands.h"
#include "connect.h"
#include "exit_codes.h"
#include "json_out.h"
#include "report.h"
#include "timefmt.h"

#define STOP_POLL_NS 5000000L   /* 5 ms between looks at the lock */

static int call_expect(cli_ctx *ctx, grite_IpcCommand_kind tag, grite_IpcResponse_kind expect,
                       const grite_IpcResponse **resp)
{
    grite_IpcCommand_in cmd = { .tag = tag };
    int status = cli_call(ctx, &cmd, resp);
    if (status == 0)
        status = cli_reply_error(ctx, *resp);
    if (status == 0)
        status = cli_expect_kind(ctx, *resp, expect);
    return status;
}

static int no_daemon(cli_ctx *ctx, int status)
{
    if (ctx->json)
        cli_note(ctx, "no daemon is running for %s", ctx->env.data_dir);
    else
        fprintf(ctx->out, "No daemon is running for %s\n", ctx->env.data_dir);
    return status;
}

static void print_status(cli_ctx *ctx, const grite_IpcResponse_DaemonStatusResult *s)
{
    char uptime[CLI_TIME_TEXT_MAX], since[CLI_TIME_TEXT_MAX];
    cli_format_duration(grite_IpcResponse_DaemonStatusResult_uptime_ms(s), uptime, sizeof uptime);
    cli_format_local_time(grite_IpcResponse_DaemonStatusResult_started_ts(s), since, sizeof since);
    uint64_t fp = grite_IpcResponse_DaemonStatusResult_schema_fingerprint(s);
    fprintf(ctx->out,
            "grite-daemon is running\n"
            "  pid:              %" PRIu32 "\n"
            "  up:               %s (since %s)\n"
            "  requests served:  %" PRIu64 "\n"
            "  clients:          %" PRIu32 "\n"
            "  socket:           %s\n"
            "  data dir:         %s\n"
            "  schema:           %016" PRIx64 "%s\n",
            grite_IpcResponse_DaemonStatusResult_pid(s), uptime, since,
            grite_IpcResponse_DaemonStatusResult_requests_served(s),
            grite_IpcResponse_DaemonStatusResult_connected_clients(s),
            grite_IpcResponse_DaemonStatusResult_socket_path(s).ptr,
            grite_IpcResponse_DaemonStatusResult_data_dir(s).ptr, fp,
            fp == GRITE_SCHEMA_FINGERPRINT ? " (same as this grite)" : " (differs from this grite)");
}

static int show_status(cli_ctx *ctx)
{
    const grite_IpcResponse *resp;
    int status = call_expect(ctx, GRITE_IPC_COMMAND_DAEMON_STATUS,
                             GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT, &resp);
    if (status == CLI_NO_DAEMON)
        return no_daemon(ctx, CLI_EXIT_NOT_FOUND);
    if (status != 0)
        return status;
    if (ctx->json)
        return cli_json_print_response(ctx, resp);
    print_status(ctx, grite_IpcResponse_as_DaemonStatusResult(resp));
    return 0;
}

int cli_cmd_daemon_start(cli_ctx *ctx)
{
    grite_daemon_info info;
    bool started;
    int status = cli_connect(ctx, true, &info, &started);
    if (status != 0)
        return status;
    if (ctx->json)
        return show_status(ctx);
    fprintf(ctx->out, started ? "Started grite-daemon (pid %ld)\n"
                              : "grite-daemon is already running (pid %ld)\n",
            (long)info.pid);
    return 0;
}

int cli_cmd_daemon_status(cli_ctx *ctx)
{
    ctx->no_start = true;
    return show_status(ctx);
}

/* Whether the lock at path still names a live daemon with this pid. */
static bool lock_still_live(const char *lock_path, long pid)
{
    grite_daemon_info info;
    grite_lock_verdict verdict;
    grite_lock_status st = grite_daemon_lock_inspect(lock_path, &info, &verdict, NULL);
    return st == GRITE_LOCK_OK && verdict == GRITE_LOCK_LIVE && (long)info.pid == pid;
}

/* Whether process pid still runs. A daemon that exited stays a zombie
 * until whoever adopted it reaps it (an init that never does, in some
 * containers), so a zombie counts as gone: /proc says which. */
static bool process_running(long pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    const char *paren = got ? strrchr(line, ')') : NULL;   /* "pid (comm) S ..." */
    return paren != NULL && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* Wait until the daemon gave up its lock and its process ended (both: a
 * sanitizer build, say, still runs a while after releasing the lock). */
static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_until_gone(cli_ctx *ctx, long pid)
{
    const struct timespec pause = { 0, STOP_POLL_NS };
    int64_t limit_ms = cli_daemon_timeout_ms();
    /* A clock, not a count of pauses: each look (the lock file, /proc)
     * takes time too, and a lot of it on a loaded machine. */
    int64_t deadline = monotonic_ms() + limit_ms;
    while (lock_still_live(ctx->env.lock_path, pid) || process_running(pid)) {
        if (monotonic_ms() >= deadline)
            return cli_fail(ctx, CLI_EXIT_OTHER,
                            "grite-daemon (pid %ld) was asked to stop but still runs after %lld ms "
                            "(GRITE_DAEMON_TIMEOUT_MS)", pid, (long long)limit_ms);
        nanosleep(&pause, NULL);
    }
    return 0;
}

int cli_cmd_daemon_stop(cli_ctx *ctx)
{
    ctx->no_start = true;
    const grite_IpcResponse *resp;
    int status = call_expect(ctx, GRITE_IPC_COMMAND_DAEMON_STOP,
                             GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT, &resp);
    if (status == CLI_NO_DAEMON)
        return no_daemon(ctx, CLI_EXIT_OK);
    if (status != 0)
        return status;
    long pid = (long)grite_IpcResponse_DaemonStopResult_pid(grite_IpcResponse_as_DaemonStopResult(resp));
    if (ctx->json)
        status = cli_json_print_response(ctx, resp);
    cli_disconnect(ctx);   /* let it finish: it waits for its clients' sockets to drain */
    if (status == 0)
        status = wait_until_gone(ctx, pid);
    if (status == 0 && !ctx->json)
        fprintf(ctx->out, "Stopped grite-daemon (pid %ld)\n", pid);
    return status;
}
