/*
 * cmd_sync.c - `grite sync pull|push --remote DIR`: exchange issues with
 * another data directory through the daemon.
 *
 * The remote is sent as an absolute path: the daemon's working directory
 * is wherever the CLI that started it happened to be.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "commands.h"
#include "exit_codes.h"
#include "report.h"

/* The remote as an absolute path: its real path if it exists, else the
 * current directory joined with it (the daemon then says what is wrong). */
static int absolute_remote(cli_ctx *ctx, const char *remote, char out[PATH_MAX])
{
    if (remote[0] == '\0')
        return cli_usage_error(ctx, "--remote must not be empty");
    if (realpath(remote, out) != NULL)
        return 0;
    if (remote[0] == '/') {
        snprintf(out, PATH_MAX, "%s", remote);
        return 0;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return cli_fail(ctx, CLI_EXIT_ENV, "cannot tell the current directory: %s", strerror(errno));
    if (snprintf(out, PATH_MAX, "%s/%s", cwd, remote) >= PATH_MAX)
        return cli_usage_error(ctx, "--remote path is too long");
    return 0;
}

static int print_sync(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_SyncResult *r = grite_IpcResponse_as_SyncResult(resp);
    unsigned pulled = grite_IpcResponse_SyncResult_issues_pulled(r);
    unsigned pushed = grite_IpcResponse_SyncResult_issues_pushed(r);
    unsigned comments = grite_IpcResponse_SyncResult_comments_merged(r);
    fprintf(ctx->out, "Synced with %s: %u issue%s pulled, %u issue%s pushed, %u comment%s merged\n",
            grite_IpcResponse_SyncResult_remote(r).ptr, pulled, pulled == 1 ? "" : "s", pushed,
            pushed == 1 ? "" : "s", comments, comments == 1 ? "" : "s");
    return 0;
}

static int sync_with(cli_ctx *ctx, grite_IpcCommand_kind tag)
{
    char remote[PATH_MAX];
    int status = absolute_remote(ctx, cli_opt_value(ctx, OPT_REMOTE), remote);
    if (status != 0)
        return status;
    grite_IpcCommand_in cmd = { .tag = tag };
    /* SyncPull and SyncPush have the same one field. */
    if (tag == GRITE_IPC_COMMAND_SYNC_PULL)
        cmd.v.SyncPull.remote = grite_str_from_cstr(remote);
    else
        cmd.v.SyncPush.remote = grite_str_from_cstr(remote);
    return cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_SYNC_RESULT, print_sync);
}

int cli_cmd_sync_pull(cli_ctx *ctx)
{
    return sync_with(ctx, GRITE_IPC_COMMAND_SYNC_PULL);
}

int cli_cmd_sync_push(cli_ctx *ctx)
{
    return sync_with(ctx, GRITE_IPC_COMMAND_SYNC_PUSH);
}
