/*
 * call.c - building the request, the round trip, and the reply's checks
 * (see call.h).
 */
#include "call.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect.h"
#include "exit_codes.h"
#include "json_out.h"
#include "report.h"
#include "table.h"

#define IPC_SCHEMA_VERSION 1u
#define REQUEST_INITIAL_BYTES 1024

static bool is_read_only(grite_IpcCommand_kind tag)
{
    switch (tag) {
    case GRITE_IPC_COMMAND_ISSUE_LIST:
    case GRITE_IPC_COMMAND_ISSUE_SHOW:
    case GRITE_IPC_COMMAND_DOCTOR:
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
        return true;
    default:
        return false;
    }
}

/* Whether the daemon closed the connection without reading all of our
 * request, so that it cannot have run it. On an AF_UNIX stream socket
 * Linux reports ECONNRESET to the peer of a socket that was closed with
 * unread data in its queue (or never accepted), and a plain EOF otherwise;
 * EPIPE means our send itself was refused. A daemon killed while our
 * request waited in its queue (or in its listen backlog) is this case. */
static bool request_never_read(const grite_client *c, int rc)
{
    int e = grite_client_error(c)->sys_errno;
    return rc == GRITE_ERR_CLOSED && (e == ECONNRESET || e == EPIPE);
}

/* A daemon killed under us can still be dying when we reconnect (its
 * listen backlog takes our connection, then resets it), so a call that
 * provably never reached it is tried up to this many times in all. */
#define CALL_ATTEMPTS 3

/* 50 ms, then 100 ms: long enough for a killed daemon to be gone. */
static void pause_before_retry(int attempt)
{
    struct timespec ts = { 0, 50L * 1000 * 1000 * attempt };
    nanosleep(&ts, NULL);
}

/* Whether to try a failed call again on a new connection (which may
 * start a new daemon). */
static bool worth_retrying(const grite_client *c, int rc, grite_IpcCommand_kind tag)
{
    if (request_never_read(c, rc))
        return true;
    return is_read_only(tag) &&
           (rc == GRITE_ERR_CLOSED || rc == GRITE_ERR_IO || rc == GRITE_ERR_NO_DAEMON);
}

static int build_request(cli_ctx *ctx, const grite_IpcCommand_in *cmd)
{
    if (ctx->request.data == NULL &&
        grite_buf_init_growable(&ctx->request, REQUEST_INITIAL_BYTES, 0) != 0)
        return cli_fail(ctx, CLI_EXIT_ENV, "out of memory");
    if (cli_envelope_new_request_id(&ctx->env) != 0)
        return cli_fail(ctx, CLI_EXIT_ENV, "getrandom failed: cannot make a request id");
    grite_IpcRequest_in in = {
        .ipc_schema_version = IPC_SCHEMA_VERSION,
        .request_id = grite_str_from_cstr(ctx->env.request_id),
        .repo_root = grite_str_from_cstr(ctx->env.repo_root),
        .actor_id = grite_str_from_cstr(ctx->env.actor_id),
        .data_dir = grite_str_from_cstr(ctx->env.data_dir),
        .command = *cmd,
    };
    int rc = grite_IpcRequest_build(&ctx->request, &in);
    if (rc == GRITE_BUILD_BAD_UTF8)
        return cli_usage_error(ctx, "an argument is not valid UTF-8 (titles, bodies, labels, "
                                    "resources and paths must be)");
    if (rc != 0)
        return cli_fail(ctx, rc == GRITE_BUILD_NO_MEMORY ? CLI_EXIT_ENV : CLI_EXIT_USAGE,
                        "cannot build the request: %s", grite_build_strerror(rc));
    return 0;
}

/* The connection broke or timed out without a reply. */
static int call_failed(cli_ctx *ctx, int rc, grite_IpcCommand_kind tag)
{
    const char *why = grite_client_strerror(ctx->client);
    bool unknown_outcome = !is_read_only(tag) && !request_never_read(ctx->client, rc) &&
                           (rc == GRITE_ERR_TIMEOUT || rc == GRITE_ERR_IO || rc == GRITE_ERR_CLOSED);
    if (rc == GRITE_ERR_SCHEMA_MISMATCH && ctx->daemon_pid > 0)
        return cli_fail(ctx, CLI_EXIT_ENV, "%s (the daemon is pid %ld: stop it with kill %ld)",
                        why, ctx->daemon_pid, ctx->daemon_pid);
    if (unknown_outcome)
        return cli_fail(ctx, cli_exit_for_transport(rc),
                        "%s; the daemon may or may not have done it (see %s/daemon.log)", why,
                        ctx->env.data_dir);
    if (!is_read_only(tag) && request_never_read(ctx->client, rc))
        return cli_fail(ctx, cli_exit_for_transport(rc),
                        "%s; the daemon never read the request, so it was not done", why);
    return cli_fail(ctx, cli_exit_for_transport(rc), "%s", why);
}

static int check_envelope(cli_ctx *ctx, const void *data)
{
    const grite_IpcReply *reply = grite_IpcReply_root(data);
    grite_str id = grite_IpcReply_request_id(reply);
    if (id.len != strlen(ctx->env.request_id) || memcmp(id.ptr, ctx->env.request_id, id.len) != 0)
        return cli_fail(ctx, CLI_EXIT_OTHER,
                        "the daemon answered request %.40s, but we sent %s: protocol error",
                        id.ptr, ctx->env.request_id);
    return 0;
}

int cli_call(cli_ctx *ctx, const grite_IpcCommand_in *cmd, const grite_IpcResponse **resp)
{
    int status = cli_need_identity(ctx);
    if (status == 0)
        status = build_request(ctx, cmd);
    if (status != 0)
        return status;
    const void *data = NULL;
    size_t len = 0;
    for (int attempt = 0;; attempt++) {
        grite_daemon_info info;
        status = cli_connect(ctx, !ctx->no_start, &info, NULL);
        if (status != 0)
            return status;
        ctx->daemon_pid = (long)info.pid;
        int rc = grite_client_call(ctx->client, &ctx->request, &data, &len);
        if (rc == 0)
            break;
        if (attempt + 1 >= CALL_ATTEMPTS || !worth_retrying(ctx->client, rc, cmd->tag))
            return call_failed(ctx, rc, cmd->tag);
        cli_disconnect(ctx);
        if (attempt > 0)
            pause_before_retry(attempt);
    }
    status = check_envelope(ctx, data);
    if (status != 0)
        return status;
    *resp = grite_IpcReply_response(grite_IpcReply_root(data));
    return 0;
}

int cli_reply_error(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(resp);
    if (e == NULL)
        return 0;
    if (ctx->json)
        cli_json_print_response(ctx, resp);
    grite_ErrorCode code = grite_IpcResponse_Error_code(e);
    const char *name = grite_ErrorCode_name(code);
    /* The message may quote what we sent, control characters and all. */
    char *message = cli_text_sanitize(grite_IpcResponse_Error_message(e).ptr, 0);
    int status = cli_exit_for_error_code(code);
    if (name != NULL)
        cli_fail(ctx, status, "%s: %s", name, message ? message : "(out of memory)");
    else
        cli_fail(ctx, status, "error %u: %s", (unsigned)code, message ? message : "(out of memory)");
    free(message);
    if (grite_IpcResponse_Error_has_details(e)) {
        fputs("grite: details: ", ctx->err);
        cli_text_print(ctx->err, grite_IpcResponse_Error_details(e).ptr, 0);
        fputc('\n', ctx->err);
    }
    return status;
}

int cli_expect_kind(cli_ctx *ctx, const grite_IpcResponse *resp, grite_IpcResponse_kind expect)
{
    grite_IpcResponse_kind got = grite_IpcResponse_tag(resp);
    if (got == expect)
        return 0;
    const char *got_name = grite_IpcResponse_kind_name(got);
    return cli_fail(ctx, CLI_EXIT_OTHER, "the daemon answered with %s, expected %s",
                    got_name ? got_name : "an unknown reply", grite_IpcResponse_kind_name(expect));
}

int cli_run_command(cli_ctx *ctx, const grite_IpcCommand_in *cmd, grite_IpcResponse_kind expect,
                    cli_print_fn print)
{
    const grite_IpcResponse *resp;
    int status = cli_call(ctx, cmd, &resp);
    if (status == 0)
        status = cli_reply_error(ctx, resp);
    if (status == 0)
        status = cli_expect_kind(ctx, resp, expect);
    if (status != 0)
        return status;
    if (ctx->json)
        return cli_json_print_response(ctx, resp);
    return print(ctx, resp);
}
