/* handlers.h - one handler per IpcCommand (dispatch.c calls them).
 *
 * Each builds exactly one IpcReply into c->out (call.h) and returns
 * GRITE_HANDLER_RESPOND (or, only if not even an error reply could be
 * built, GRITE_HANDLER_DROP). They run on the server's thread, one at a
 * time. Arguments are untrusted: each handler checks its own. */
#ifndef GRITE_DAEMON_HANDLERS_H
#define GRITE_DAEMON_HANDLERS_H

#include "call.h"

/* handlers_issues.c: the issue commands, via daemon/store.h */
#define ISSUE_LIST_DEFAULT_LIMIT 50u
#define ISSUE_LIST_MAX_LIMIT 1000u
int handle_issue_list(struct call *c, const grite_IpcCommand_IssueList *cmd);
int handle_issue_create(struct call *c, const grite_IpcCommand_IssueCreate *cmd);
int handle_issue_show(struct call *c, const grite_IpcCommand_IssueShow *cmd);
int handle_issue_update(struct call *c, const grite_IpcCommand_IssueUpdate *cmd);
int handle_issue_close(struct call *c, const grite_IpcCommand_IssueClose *cmd);
int handle_issue_reopen(struct call *c, const grite_IpcCommand_IssueReopen *cmd);
int handle_issue_comment(struct call *c, const grite_IpcCommand_IssueComment *cmd);

/* handlers_sync.c: SyncPull / SyncPush, via daemon/sync.h */
int handle_sync_pull(struct call *c, const grite_IpcCommand_SyncPull *cmd);
int handle_sync_push(struct call *c, const grite_IpcCommand_SyncPush *cmd);

/* handlers_locks.c: leases, via leases.h */
int handle_lock_acquire(struct call *c, const grite_IpcCommand_LockAcquire *cmd);
int handle_lock_release(struct call *c, const grite_IpcCommand_LockRelease *cmd);

/* doctor.c: the health checks */
int handle_doctor(struct call *c);

/* handlers_daemon.c: status and stop */
int handle_daemon_status(struct call *c);
int handle_daemon_stop(struct call *c);

#endif
