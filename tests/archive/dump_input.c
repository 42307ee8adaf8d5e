/*
 * dump_input.c - builder input as text (see dump.h). Mirrors
 * dump_archived.c line for line; keep the two in step.
 */
#include "dump.h"

#define STR(d, name, s) d_str((d), (name), (s).ptr, (s).len)

static void opt_str(dumper *d, const char *name, const grite_opt_str_in *o)
{
    if (o->present)
        STR(d, name, o->value);
    else
        d_absent(d, name);
}

static void opt_uint(dumper *d, const char *name, bool present, uint64_t value)
{
    if (present)
        d_uint(d, name, value);
    else
        d_absent(d, name);
}

static void str_vec(dumper *d, const char *name, const grite_vec_str_in *v)
{
    D_VECTOR_IN(d, name, v->len, i, STR(d, "", v->items[i]));
}

static void state(dumper *d, const char *name, grite_IssueState s)
{
    d_enum(d, name, grite_IssueState_name(s), (uint64_t)s);
}

/* ---- IpcRequest ------------------------------------------------------ */

static void filter(dumper *d, const grite_IssueFilter_in *f)
{
    if (f->state.present)
        state(d, "state", f->state.value);
    else
        d_absent(d, "state");
    opt_str(d, "label", &f->label);
    opt_uint(d, "limit", f->limit.present, f->limit.value);
    opt_uint(d, "offset", f->offset.present, f->offset.value);
}

static void command_payload(dumper *d, const grite_IpcCommand_in *c)
{
    switch (c->tag) {
    case GRITE_IPC_COMMAND_ISSUE_LIST: {
        size_t m = d_enter(d, "filter");
        filter(d, &c->v.IssueList.filter);
        d_leave(d, m);
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_CREATE:
        STR(d, "title", c->v.IssueCreate.title);
        STR(d, "body", c->v.IssueCreate.body);
        str_vec(d, "labels", &c->v.IssueCreate.labels);
        break;
    case GRITE_IPC_COMMAND_ISSUE_SHOW:
        STR(d, "issue_id", c->v.IssueShow.issue_id);
        break;
    case GRITE_IPC_COMMAND_ISSUE_UPDATE:
        STR(d, "issue_id", c->v.IssueUpdate.issue_id);
        opt_str(d, "title", &c->v.IssueUpdate.title);
        opt_str(d, "body", &c->v.IssueUpdate.body);
        break;
    case GRITE_IPC_COMMAND_ISSUE_CLOSE:
        STR(d, "issue_id", c->v.IssueClose.issue_id);
        break;
    case GRITE_IPC_COMMAND_ISSUE_REOPEN:
        STR(d, "issue_id", c->v.IssueReopen.issue_id);
        break;
    case GRITE_IPC_COMMAND_ISSUE_COMMENT:
        STR(d, "issue_id", c->v.IssueComment.issue_id);
        STR(d, "body", c->v.IssueComment.body);
        break;
    case GRITE_IPC_COMMAND_SYNC_PULL:
        STR(d, "remote", c->v.SyncPull.remote);
        break;
    case GRITE_IPC_COMMAND_SYNC_PUSH:
        STR(d, "remote", c->v.SyncPush.remote);
        break;
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE:
        STR(d, "resource", c->v.LockAcquire.resource);
        d_uint(d, "ttl_ms", c->v.LockAcquire.ttl_ms);
        break;
    case GRITE_IPC_COMMAND_LOCK_RELEASE:
        STR(d, "resource", c->v.LockRelease.resource);
        break;
    case GRITE_IPC_COMMAND_DOCTOR:
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
    case GRITE_IPC_COMMAND_DAEMON_STOP:
        break;
    }
}

void dump_in_IpcRequest(dumper *d, const grite_IpcRequest_in *r)
{
    d_uint(d, "ipc_schema_version", r->ipc_schema_version);
    STR(d, "request_id", r->request_id);
    STR(d, "repo_root", r->repo_root);
    STR(d, "actor_id", r->actor_id);
    STR(d, "data_dir", r->data_dir);
    const char *kind = grite_IpcCommand_kind_name(r->command.tag);
    d_enum(d, "command", kind, (uint64_t)r->command.tag);
    size_t m = d_enter(d, "command");
    size_t m2 = d_enter(d, kind ? kind : "?");
    command_payload(d, &r->command);
    d_leave(d, m2);
    d_leave(d, m);
}

/* ---- IpcReply -------------------------------------------------------- */

static void summary(dumper *d, const grite_IssueSummary_in *s)
{
    STR(d, "issue_id", s->issue_id);
    STR(d, "title", s->title);
    state(d, "state", s->state);
    str_vec(d, "labels", &s->labels);
    d_uint(d, "updated_ts", s->updated_ts);
}

static void comment(dumper *d, const grite_Comment_in *c)
{
    STR(d, "comment_id", c->comment_id);
    STR(d, "author", c->author);
    STR(d, "body", c->body);
    d_uint(d, "created_ts", c->created_ts);
}

static void issue(dumper *d, const grite_Issue_in *i)
{
    STR(d, "issue_id", i->issue_id);
    STR(d, "title", i->title);
    STR(d, "body", i->body);
    state(d, "state", i->state);
    STR(d, "author", i->author);
    str_vec(d, "labels", &i->labels);
    str_vec(d, "assignees", &i->assignees);
    D_VECTOR_IN(d, "comments", i->comments.len, k, comment(d, &i->comments.items[k]));
    d_uint(d, "created_ts", i->created_ts);
    d_uint(d, "updated_ts", i->updated_ts);
}

static void check(dumper *d, const grite_DoctorCheck_in *c)
{
    STR(d, "name", c->name);
    d_enum(d, "status", grite_CheckStatus_name(c->status), (uint64_t)c->status);
    STR(d, "message", c->message);
}

static void response_payload(dumper *d, const grite_IpcResponse_in *r)
{
    switch (r->tag) {
    case GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT: {
        const grite_vec_IssueSummary_in *v = &r->v.IssueListResult.issues;
        D_VECTOR_IN(d, "issues", v->len, i, summary(d, &v->items[i]));
        d_uint(d, "total", r->v.IssueListResult.total);
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT:
        STR(d, "issue_id", r->v.IssueCreateResult.issue_id);
        d_uint(d, "created_ts", r->v.IssueCreateResult.created_ts);
        break;
    case GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT: {
        size_t m = d_enter(d, "issue");
        issue(d, &r->v.IssueShowResult.issue);
        d_leave(d, m);
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT:
        STR(d, "issue_id", r->v.IssueUpdateResult.issue_id);
        d_uint(d, "updated_ts", r->v.IssueUpdateResult.updated_ts);
        break;
    case GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT:
        STR(d, "issue_id", r->v.IssueStateResult.issue_id);
        state(d, "state", r->v.IssueStateResult.state);
        d_uint(d, "updated_ts", r->v.IssueStateResult.updated_ts);
        break;
    case GRITE_IPC_RESPONSE_COMMENT_RESULT:
        STR(d, "issue_id", r->v.CommentResult.issue_id);
        STR(d, "comment_id", r->v.CommentResult.comment_id);
        d_uint(d, "created_ts", r->v.CommentResult.created_ts);
        break;
    case GRITE_IPC_RESPONSE_SYNC_RESULT:
        STR(d, "remote", r->v.SyncResult.remote);
        d_uint(d, "issues_pulled", r->v.SyncResult.issues_pulled);
        d_uint(d, "issues_pushed", r->v.SyncResult.issues_pushed);
        d_uint(d, "comments_merged", r->v.SyncResult.comments_merged);
        break;
    case GRITE_IPC_RESPONSE_LOCK_RESULT:
        STR(d, "resource", r->v.LockResult.resource);
        STR(d, "owner", r->v.LockResult.owner);
        d_bool(d, "held", r->v.LockResult.held);
        d_uint(d, "expires_ts", r->v.LockResult.expires_ts);
        break;
    case GRITE_IPC_RESPONSE_DOCTOR_RESULT: {
        const grite_vec_DoctorCheck_in *v = &r->v.DoctorResult.checks;
        D_VECTOR_IN(d, "checks", v->len, i, check(d, &v->items[i]));
        break;
    }
    case GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT: {
        const grite_IpcResponse_DaemonStatusResult_in *s = &r->v.DaemonStatusResult;
        d_uint(d, "pid", s->pid);
        d_uint(d, "started_ts", s->started_ts);
        d_uint(d, "uptime_ms", s->uptime_ms);
        d_uint(d, "requests_served", s->requests_served);
        d_uint(d, "connected_clients", s->connected_clients);
        d_uint(d, "schema_fingerprint", s->schema_fingerprint);
        STR(d, "socket_path", s->socket_path);
        STR(d, "data_dir", s->data_dir);
        break;
    }
    case GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT:
        d_uint(d, "pid", r->v.DaemonStopResult.pid);
        break;
    case GRITE_IPC_RESPONSE_ERROR:
        d_enum(d, "code", grite_ErrorCode_name(r->v.Error.code), (uint64_t)r->v.Error.code);
        STR(d, "message", r->v.Error.message);
        opt_str(d, "details", &r->v.Error.details);
        break;
    }
}

void dump_in_IpcReply(dumper *d, const grite_IpcReply_in *r)
{
    d_uint(d, "ipc_schema_version", r->ipc_schema_version);
    STR(d, "request_id", r->request_id);
    const char *kind = grite_IpcResponse_kind_name(r->response.tag);
    d_enum(d, "response", kind, (uint64_t)r->response.tag);
    size_t m = d_enter(d, "response");
    size_t m2 = d_enter(d, kind ? kind : "?");
    response_payload(d, &r->response);
    d_leave(d, m2);
    d_leave(d, m);
}

/* ---- Notification ------------------------------------------------------ */

static void notification_payload(dumper *d, const grite_Notification_in *n)
{
    switch (n->tag) {
    case GRITE_NOTIFICATION_EVENT_APPLIED:
        STR(d, "event_id", n->v.EventApplied.event_id);
        STR(d, "issue_id", n->v.EventApplied.issue_id);
        STR(d, "actor_id", n->v.EventApplied.actor_id);
        STR(d, "kind", n->v.EventApplied.kind);
        d_uint(d, "ts", n->v.EventApplied.ts);
        break;
    case GRITE_NOTIFICATION_LOCK_CHANGED:
        STR(d, "resource", n->v.LockChanged.resource);
        opt_str(d, "owner", &n->v.LockChanged.owner);
        opt_uint(d, "expires_ts", n->v.LockChanged.expires_ts.present,
                 n->v.LockChanged.expires_ts.value);
        break;
    case GRITE_NOTIFICATION_SNAPSHOT_CREATED:
        STR(d, "snapshot_id", n->v.SnapshotCreated.snapshot_id);
        d_uint(d, "event_count", n->v.SnapshotCreated.event_count);
        d_hex(d, "content_hash", n->v.SnapshotCreated.content_hash, 32);
        d_uint(d, "ts", n->v.SnapshotCreated.ts);
        break;
    case GRITE_NOTIFICATION_WORKER_STARTED:
        STR(d, "repo_root", n->v.WorkerStarted.repo_root);
        STR(d, "actor_id", n->v.WorkerStarted.actor_id);
        d_uint(d, "pid", n->v.WorkerStarted.pid);
        d_uint(d, "ts", n->v.WorkerStarted.ts);
        break;
    case GRITE_NOTIFICATION_WORKER_STOPPED:
        STR(d, "repo_root", n->v.WorkerStopped.repo_root);
        STR(d, "actor_id", n->v.WorkerStopped.actor_id);
        STR(d, "reason", n->v.WorkerStopped.reason);
        d_uint(d, "ts", n->v.WorkerStopped.ts);
        break;
    }
}

void dump_in_Notification(dumper *d, const grite_Notification_in *n)
{
    const char *kind = grite_Notification_kind_name(n->tag);
    d_enum(d, "", kind, (uint64_t)n->tag);
    size_t m = d_enter(d, kind ? kind : "?");
    notification_payload(d, n);
    d_leave(d, m);
}

/* ---- deep.idl ------------------------------------------------------------ */

void dump_in_Node(dumper *d, const deep_Node_in *n)
{
    STR(d, "label", n->label);
    D_VECTOR_IN(d, "children", n->children.len, i, dump_in_Node(d, &n->children.items[i]));
}

void dump_in_Tree(dumper *d, const deep_Tree_in *t)
{
    const char *kind = deep_Tree_kind_name(t->tag);
    d_enum(d, "", kind, (uint64_t)t->tag);
    size_t m = d_enter(d, kind ? kind : "?");
    if (t->tag == DEEP_TREE_LEAF) {
        d_uint(d, "value", t->v.Leaf.value);
    } else if (t->tag == DEEP_TREE_BRANCH) {
        D_VECTOR_IN(d, "kids", t->v.Branch.kids.len, i, dump_in_Tree(d, &t->v.Branch.kids.items[i]));
    }
    d_leave(d, m);
}
