/* handlers_sync.c - SyncPull / SyncPush with a remote directory
 * (daemon/sync.h).
 *
 * The remote is an absolute path (the daemon's working directory is not
 * the client's, so a relative one would mean something else here). It is
 * either a grite data dir - one with a store/ directory inside, e.g.
 * another daemon's --data-dir - whose store is used, or a store directory
 * itself (a shared folder holding events.log). */
#include <stdio.h>
#include <sys/stat.h>

#include "handlers.h"
#include "log.h"
#include "sync.h"

typedef enum grite_store_status (*sync_fn)(grite_store *, const char *, struct grite_sync_result *,
                                             struct grite_store_error *);

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The store directory a remote names (see the top of the file). On false
 * the error reply is built. */
static bool resolve_remote(struct call *c, grite_str remote, char *out, size_t n, int *reply)
{
    if (!text_ok(remote)) {
        *reply = reply_bad_text(c, "remote");
        return false;
    }
    if (remote.len == 0 || remote.ptr[0] != '/') {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                             "remote \"%s\" is not an absolute path (a directory: a grite data dir or a store "
                             "directory)",
                             remote.ptr);
        return false;
    }
    char data_store[GRITE_PATH_MAX];
    bool is_data_dir = grite_paths_store_dir(remote.ptr, data_store, sizeof data_store) == 0 && is_dir(data_store);
    if (snprintf(out, n, "%s", is_data_dir ? data_store : remote.ptr) >= (int)n) {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL, "remote path is too long");
        return false;
    }
    return true;
}

static int run_sync(struct call *c, grite_str remote, sync_fn sync, const char *what)
{
    char dir[GRITE_PATH_MAX];
    int reply;
    if (!resolve_remote(c, remote, dir, sizeof dir, &reply)) return reply;
    struct grite_sync_result result;
    struct grite_store_error err;
    if (sync(store_pool_primary(&c->d->stores), dir, &result, &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    log_info("%s %s: %u issues pulled, %u pushed, %u comments merged, %llu events", what, dir, result.issues_pulled,
             result.issues_pushed, result.comments_merged, (unsigned long long)result.events_transferred);
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_SYNC_RESULT,
        .v.SyncResult = {.remote = grite_str_from_cstr(dir),
                         .issues_pulled = result.issues_pulled,
                         .issues_pushed = result.issues_pushed,
                         .comments_merged = result.comments_merged},
    };
    return reply_ok(c, &r);
}

int handle_sync_pull(struct call *c, const grite_IpcCommand_SyncPull *cmd)
{
    return run_sync(c, grite_IpcCommand_SyncPull_remote(cmd), grite_sync_pull, "pull from");
}

int handle_sync_push(struct call *c, const grite_IpcCommand_SyncPush *cmd)
{
    return run_sync(c, grite_IpcCommand_SyncPush_remote(cmd), grite_sync_push, "push to");
}
