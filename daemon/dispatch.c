/* dispatch.c - from a validated IpcRequest to its handler (dispatch.h). */
#include "dispatch.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "daemon.h"
#include "grite.h"
#include "handlers.h"
#include "log.h"
#include "paths.h"

/* The request's data_dir names ours: the same string (what our CLI sends,
 * both sides canonicalise with daemon/paths.c), or another absolute
 * spelling of the same directory (a symlink, a trailing slash). A relative
 * path never matches: it would be resolved against the daemon's working
 * directory, not the client's, and could name some other directory. */
static bool same_data_dir(const struct daemon_ctx *d, grite_str dir)
{
    if (dir.len == strlen(d->cfg.data_dir) && memcmp(dir.ptr, d->cfg.data_dir, dir.len) == 0) return true;
    char real[PATH_MAX];
    return text_ok(dir) && dir.len > 0 && dir.ptr[0] == '/' && realpath(dir.ptr, real) &&
           strcmp(real, d->cfg.data_dir) == 0;
}

/* What every request must satisfy, whatever its command. On false the
 * error reply is built and *reply is the handler's result. */
static bool envelope_ok(struct call *c, int *reply)
{
    const grite_IpcRequest *req = c->req;
    uint32_t version = grite_IpcRequest_ipc_schema_version(req);
    if (version != DAEMON_IPC_VERSION) {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                             "unsupported ipc_schema_version %u: this daemon speaks version %u", version,
                             DAEMON_IPC_VERSION);
        return false;
    }
    grite_str dir = grite_IpcRequest_data_dir(req);
    if (!same_data_dir(c->d, dir)) {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, c->d->cfg.data_dir,
                             "this daemon serves the data dir %s, not \"%.*s\"; talk to (or start) the daemon "
                             "of that data dir instead",
                             c->d->cfg.data_dir, (int)(dir.len > 512 ? 512 : dir.len), dir.ptr);
        return false;
    }
    grite_str actor = grite_IpcRequest_actor_id(req);
    if (actor.len > 0 && !grite_paths_is_actor_id(actor.ptr, actor.len)) {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                             "actor_id must be 32 lowercase hex digits (got %zu bytes)", actor.len);
        return false;
    }
    c->actor = actor.ptr;
    return true;
}

/* One case per command and no default: a command added to the IDL
 * without a handler here is a -Wswitch error (a build failure with
 * -Werror), not a runtime surprise. */
static int run_command(struct call *c, const grite_IpcCommand *cmd)
{
    grite_IpcCommand_kind tag = grite_IpcCommand_tag(cmd);
    switch (tag) {
    case GRITE_IPC_COMMAND_ISSUE_LIST:
        return handle_issue_list(c, grite_IpcCommand_as_IssueList(cmd));
    case GRITE_IPC_COMMAND_ISSUE_CREATE:
        return handle_issue_create(c, grite_IpcCommand_as_IssueCreate(cmd));
    case GRITE_IPC_COMMAND_ISSUE_SHOW:
        return handle_issue_show(c, grite_IpcCommand_as_IssueShow(cmd));
    case GRITE_IPC_COMMAND_ISSUE_UPDATE:
        return handle_issue_update(c, grite_IpcCommand_as_IssueUpdate(cmd));
    case GRITE_IPC_COMMAND_ISSUE_CLOSE:
        return handle_issue_close(c, grite_IpcCommand_as_IssueClose(cmd));
    case GRITE_IPC_COMMAND_ISSUE_REOPEN:
        return handle_issue_reopen(c, grite_IpcCommand_as_IssueReopen(cmd));
    case GRITE_IPC_COMMAND_ISSUE_COMMENT:
        return handle_issue_comment(c, grite_IpcCommand_as_IssueComment(cmd));
    case GRITE_IPC_COMMAND_SYNC_PULL:
        return handle_sync_pull(c, grite_IpcCommand_as_SyncPull(cmd));
    case GRITE_IPC_COMMAND_SYNC_PUSH:
        return handle_sync_push(c, grite_IpcCommand_as_SyncPush(cmd));
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE:
        return handle_lock_acquire(c, grite_IpcCommand_as_LockAcquire(cmd));
    case GRITE_IPC_COMMAND_LOCK_RELEASE:
        return handle_lock_release(c, grite_IpcCommand_as_LockRelease(cmd));
    case GRITE_IPC_COMMAND_DOCTOR:
        return handle_doctor(c);
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
        return handle_daemon_status(c);
    case GRITE_IPC_COMMAND_DAEMON_STOP:
        return handle_daemon_stop(c);
    }
    /* IpcCommand is a closed union, so the validator already refused tags
     * this build does not know; this stays in case it is ever opened. */
    return reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                       "unknown command (tag %u): this daemon is older than the client", (unsigned)tag);
}

int dispatch_request(void *user, const grite_request *rq, grite_buf *response)
{
    struct daemon_ctx *d = user;
    const grite_IpcRequest *req = grite_IpcRequest_root(rq->data);
    struct call c = {
        .d = d,
        .req = req,
        .request_id = grite_IpcRequest_request_id(req),
        .actor = "",
        .out = response,
    };
    d->requests_served++;
    d->last_request_mono_ms = daemon_mono_ms();
    int reply;
    if (envelope_ok(&c, &reply)) reply = run_command(&c, grite_IpcRequest_command(req));
    store_pool_log_warnings(&d->stores);
    return reply;
}

int dispatch_bad_request(void *user, const grite_server_bad_request *bad, grite_buf *response)
{
    struct daemon_ctx *d = user;
    char verdict[512] = "";
    if (bad->verror) grite_verror_format(bad->verror, verdict, sizeof verdict);
    log_warn("bad request from pid %ld: %s%s%s", (long)bad->peer->pid, grite_err_text((int)bad->reason),
             verdict[0] ? ": " : "", verdict);
    /* We cannot read the request_id of a request that failed validation. */
    struct call c = {.d = d, .request_id = GRITE_STR(""), .actor = "", .out = response};
    return reply_error(&c, GRITE_ERROR_CODE_IPC_ERROR, verdict[0] ? verdict : NULL, "the daemon could not read the request: %s",
                       grite_err_text((int)bad->reason));
}
