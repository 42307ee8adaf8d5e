/*
 * cmd_lock.c - `grite lock acquire|release RESOURCE`: leases on named
 * resources, held by an actor until they expire or are released.
 *
 * The daemon answers both with the lease as it is now (LockResult). If its
 * owner is not us, someone else holds it: we say who and until when, and
 * exit with 4 (conflict), also with --json (after printing the reply).
 */
#include <string.h>

#include "call.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_out.h"
#include "report.h"
#include "timefmt.h"

#define DEFAULT_TTL_MS 60000u

static bool owned_by_us(cli_ctx *ctx, const grite_IpcResponse_LockResult *r)
{
    grite_str owner = grite_IpcResponse_LockResult_owner(r);
    return owner.len == strlen(ctx->env.actor_id) && memcmp(owner.ptr, ctx->env.actor_id, owner.len) == 0;
}

static int held_by_other(cli_ctx *ctx, const grite_IpcResponse_LockResult *r)
{
    char until[CLI_TIME_TEXT_MAX];
    cli_format_until(grite_IpcResponse_LockResult_expires_ts(r), cli_now_ms(), until, sizeof until);
    return cli_fail(ctx, CLI_EXIT_CONFLICT, "conflict: lock %s is held by actor %s (expires %s)",
                    grite_IpcResponse_LockResult_resource(r).ptr,
                    grite_IpcResponse_LockResult_owner(r).ptr, until);
}

/* Send a lock command; on a LockResult, *r is it. */
static int lock_call(cli_ctx *ctx, const grite_IpcCommand_in *cmd,
                     const grite_IpcResponse_LockResult **r)
{
    const grite_IpcResponse *resp;
    int status = cli_call(ctx, cmd, &resp);
    if (status == 0)
        status = cli_reply_error(ctx, resp);
    if (status == 0)
        status = cli_expect_kind(ctx, resp, GRITE_IPC_RESPONSE_LOCK_RESULT);
    if (status == 0 && ctx->json)
        status = cli_json_print_response(ctx, resp);
    if (status == 0)
        *r = grite_IpcResponse_as_LockResult(resp);
    return status;
}

int cli_cmd_lock_acquire(cli_ctx *ctx)
{
    uint64_t ttl = DEFAULT_TTL_MS;
    const char *ttl_text = cli_opt_value(ctx, OPT_TTL);
    if (ttl_text != NULL && cli_parse_duration_ms(ttl_text, &ttl) != 0)
        return cli_usage_error(ctx, "--ttl must be a duration above 0 such as 1500, 30s, 5m or "
                                    "1h, not \"%.32s\"", ttl_text);
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE };
    cmd.v.LockAcquire.resource = grite_str_from_cstr(cli_positional(ctx, 0));
    cmd.v.LockAcquire.ttl_ms = ttl;
    const grite_IpcResponse_LockResult *r;
    int status = lock_call(ctx, &cmd, &r);
    if (status != 0)
        return status;
    if (!grite_IpcResponse_LockResult_held(r) || !owned_by_us(ctx, r))
        return held_by_other(ctx, r);
    if (!ctx->json) {
        char until[CLI_TIME_TEXT_MAX];
        cli_format_until(grite_IpcResponse_LockResult_expires_ts(r), cli_now_ms(), until,
                         sizeof until);
        fprintf(ctx->out, "Acquired lock %s (expires %s)\n",
                grite_IpcResponse_LockResult_resource(r).ptr, until);
    }
    return 0;
}

int cli_cmd_lock_release(cli_ctx *ctx)
{
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_LOCK_RELEASE };
    cmd.v.LockRelease.resource = grite_str_from_cstr(cli_positional(ctx, 0));
    const grite_IpcResponse_LockResult *r;
    int status = lock_call(ctx, &cmd, &r);
    if (status != 0)
        return status;
    if (grite_IpcResponse_LockResult_held(r) && !owned_by_us(ctx, r))
        return held_by_other(ctx, r);
    if (!ctx->json)
        fprintf(ctx->out, "Released lock %s\n", grite_IpcResponse_LockResult_resource(r).ptr);
    return 0;
}
