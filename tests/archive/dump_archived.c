/*
 * dump_archived.c - a validated archive as text, read through every
 * generated accessor (see dump.h). Mirrors dump_input.c line for line.
 *
 * Besides the text, the walk reports to the dumper every out-of-line
 * object it reaches (union payloads, vector element arrays, strings) so
 * the caller can check they lie inside the buffer and never overlap, and
 * checks what the API promises: an absent optional reads as zero/empty,
 * and exactly the variant in the tag has a non-NULL as_V().
 */
#include "dump.h"

#define STR(d, name, expr)                    \
    do {                                      \
        grite_str s_ = (expr);                \
        d_str((d), (name), s_.ptr, s_.len);   \
    } while (0)

/* An absent optional string must read as "" (the API's promise), whatever
 * its ignored bytes say. */
#define OPT_STR(d, name, owner, p)                                          \
    do {                                                                    \
        if (owner##_has_##name(p)) {                                        \
            STR(d, #name, owner##_##name(p));                               \
        } else {                                                            \
            grite_str z_ = owner##_##name(p);                               \
            if (z_.len != 0 || z_.ptr == NULL || z_.ptr[0] != '\0')         \
                d_fail(d, "absent " #name " does not read as \"\"");        \
            d_absent(d, #name);                                             \
        }                                                                   \
    } while (0)

#define OPT_UINT(d, name, owner, p)                                         \
    do {                                                                    \
        if (owner##_has_##name(p)) {                                        \
            d_uint(d, #name, owner##_##name(p));                            \
        } else {                                                            \
            if (owner##_##name(p) != 0)                                     \
                d_fail(d, "absent " #name " does not read as 0");           \
            d_absent(d, #name);                                             \
        }                                                                   \
    } while (0)

static void str_vec(dumper *d, const char *name, grite_vec_str v)
{
    D_VECTOR(d, name, v.ptr, v.len, sizeof(grite_ref), i, STR(d, "", grite_vec_str_at(v, i)));
}

static void state(dumper *d, const char *name, grite_IssueState s)
{
    d_enum(d, name, grite_IssueState_name(s), (uint64_t)s);
}

/* The payload object of a union: recorded, and must be there. */
static void payload(dumper *d, const void *p, size_t size)
{
    if (!p) {
        d_fail(d, "as_V() is NULL for the variant in the tag");
        return;
    }
    d_object(d, "(payload)", p, size);
}

/* ---- IpcRequest ------------------------------------------------------ */

static void filter(dumper *d, const grite_IssueFilter *f)
{
    if (grite_IssueFilter_has_state(f)) {
        state(d, "state", grite_IssueFilter_state(f));
    } else {
        if (grite_IssueFilter_state(f) != 0)
            d_fail(d, "absent state does not read as 0");
        d_absent(d, "state");
    }
    OPT_STR(d, label, grite_IssueFilter, f);
    OPT_UINT(d, limit, grite_IssueFilter, f);
    OPT_UINT(d, offset, grite_IssueFilter, f);
}

/* How many as_V() accessors of c are non-NULL. */
static int command_payloads(const grite_IpcCommand *c)
{
    return (grite_IpcCommand_as_IssueList(c) != NULL) + (grite_IpcCommand_as_IssueCreate(c) != NULL) +
           (grite_IpcCommand_as_IssueShow(c) != NULL) + (grite_IpcCommand_as_IssueUpdate(c) != NULL) +
           (grite_IpcCommand_as_IssueClose(c) != NULL) + (grite_IpcCommand_as_IssueReopen(c) != NULL) +
           (grite_IpcCommand_as_IssueComment(c) != NULL) + (grite_IpcCommand_as_SyncPull(c) != NULL) +
           (grite_IpcCommand_as_SyncPush(c) != NULL) + (grite_IpcCommand_as_LockAcquire(c) != NULL) +
           (grite_IpcCommand_as_LockRelease(c) != NULL);
}

static void command_payload(dumper *d, const grite_IpcCommand *c)
{
    switch (grite_IpcCommand_tag(c)) {
    case GRITE_IPC_COMMAND_ISSUE_LIST: {
        const grite_IpcCommand_IssueList *p = grite_IpcCommand_as_IssueList(c);
        payload(d, p, sizeof *p);
        size_t m = d_enter(d, "filter");
        filter(d, grite_IpcCommand_IssueList_filter(p));
        d_leave(d, m);
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_CREATE: {
        const grite_IpcCommand_IssueCreate *p = grite_IpcCommand_as_IssueCreate(c);
        payload(d, p, sizeof *p);
        STR(d, "title", grite_IpcCommand_IssueCreate_title(p));
        STR(d, "body", grite_IpcCommand_IssueCreate_body(p));
        str_vec(d, "labels", grite_IpcCommand_IssueCreate_labels(p));
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_SHOW: {
        const grite_IpcCommand_IssueShow *p = grite_IpcCommand_as_IssueShow(c);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcCommand_IssueShow_issue_id(p));
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_UPDATE: {
        const grite_IpcCommand_IssueUpdate *p = grite_IpcCommand_as_IssueUpdate(c);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcCommand_IssueUpdate_issue_id(p));
        OPT_STR(d, title, grite_IpcCommand_IssueUpdate, p);
        OPT_STR(d, body, grite_IpcCommand_IssueUpdate, p);
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_CLOSE: {
        const grite_IpcCommand_IssueClose *p = grite_IpcCommand_as_IssueClose(c);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcCommand_IssueClose_issue_id(p));
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_REOPEN: {
        const grite_IpcCommand_IssueReopen *p = grite_IpcCommand_as_IssueReopen(c);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcCommand_IssueReopen_issue_id(p));
        break;
    }
    case GRITE_IPC_COMMAND_ISSUE_COMMENT: {
        const grite_IpcCommand_IssueComment *p = grite_IpcCommand_as_IssueComment(c);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcCommand_IssueComment_issue_id(p));
        STR(d, "body", grite_IpcCommand_IssueComment_body(p));
        break;
    }
    case GRITE_IPC_COMMAND_SYNC_PULL: {
        const grite_IpcCommand_SyncPull *p = grite_IpcCommand_as_SyncPull(c);
        payload(d, p, sizeof *p);
        STR(d, "remote", grite_IpcCommand_SyncPull_remote(p));
        break;
    }
    case GRITE_IPC_COMMAND_SYNC_PUSH: {
        const grite_IpcCommand_SyncPush *p = grite_IpcCommand_as_SyncPush(c);
        payload(d, p, sizeof *p);
        STR(d, "remote", grite_IpcCommand_SyncPush_remote(p));
        break;
    }
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE: {
        const grite_IpcCommand_LockAcquire *p = grite_IpcCommand_as_LockAcquire(c);
        payload(d, p, sizeof *p);
        STR(d, "resource", grite_IpcCommand_LockAcquire_resource(p));
        d_uint(d, "ttl_ms", grite_IpcCommand_LockAcquire_ttl_ms(p));
        break;
    }
    case GRITE_IPC_COMMAND_LOCK_RELEASE: {
        const grite_IpcCommand_LockRelease *p = grite_IpcCommand_as_LockRelease(c);
        payload(d, p, sizeof *p);
        STR(d, "resource", grite_IpcCommand_LockRelease_resource(p));
        break;
    }
    case GRITE_IPC_COMMAND_DOCTOR:
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
    case GRITE_IPC_COMMAND_DAEMON_STOP:
        break;
    }
}

void dump_IpcRequest(dumper *d, const grite_IpcRequest *r)
{
    d_uint(d, "ipc_schema_version", grite_IpcRequest_ipc_schema_version(r));
    STR(d, "request_id", grite_IpcRequest_request_id(r));
    STR(d, "repo_root", grite_IpcRequest_repo_root(r));
    STR(d, "actor_id", grite_IpcRequest_actor_id(r));
    STR(d, "data_dir", grite_IpcRequest_data_dir(r));
    const grite_IpcCommand *c = grite_IpcRequest_command(r);
    grite_IpcCommand_kind tag = grite_IpcCommand_tag(c);
    const char *kind = grite_IpcCommand_kind_name(tag);
    d_enum(d, "command", kind, (uint64_t)tag);
    size_t m = d_enter(d, "command");
    size_t m2 = d_enter(d, kind ? kind : "?");
    int has_payload = tag != GRITE_IPC_COMMAND_DOCTOR && tag != GRITE_IPC_COMMAND_DAEMON_STATUS &&
                      tag != GRITE_IPC_COMMAND_DAEMON_STOP;
    if (command_payloads(c) != has_payload)
        d_fail(d, "%d as_V() accessors are non-NULL", command_payloads(c));
    command_payload(d, c);
    d_leave(d, m2);
    d_leave(d, m);
}

/* ---- IpcReply -------------------------------------------------------- */

static void summary(dumper *d, const grite_IssueSummary *s)
{
    STR(d, "issue_id", grite_IssueSummary_issue_id(s));
    STR(d, "title", grite_IssueSummary_title(s));
    state(d, "state", grite_IssueSummary_state(s));
    str_vec(d, "labels", grite_IssueSummary_labels(s));
    d_uint(d, "updated_ts", grite_IssueSummary_updated_ts(s));
}

static void comment(dumper *d, const grite_Comment *c)
{
    STR(d, "comment_id", grite_Comment_comment_id(c));
    STR(d, "author", grite_Comment_author(c));
    STR(d, "body", grite_Comment_body(c));
    d_uint(d, "created_ts", grite_Comment_created_ts(c));
}

static void issue(dumper *d, const grite_Issue *i)
{
    STR(d, "issue_id", grite_Issue_issue_id(i));
    STR(d, "title", grite_Issue_title(i));
    STR(d, "body", grite_Issue_body(i));
    state(d, "state", grite_Issue_state(i));
    STR(d, "author", grite_Issue_author(i));
    str_vec(d, "labels", grite_Issue_labels(i));
    str_vec(d, "assignees", grite_Issue_assignees(i));
    grite_vec_Comment v = grite_Issue_comments(i);
    D_VECTOR(d, "comments", v.ptr, v.len, sizeof(grite_Comment), k,
             comment(d, grite_vec_Comment_at(v, k)));
    d_uint(d, "created_ts", grite_Issue_created_ts(i));
    d_uint(d, "updated_ts", grite_Issue_updated_ts(i));
}

static void check(dumper *d, const grite_DoctorCheck *c)
{
    STR(d, "name", grite_DoctorCheck_name(c));
    grite_CheckStatus st = grite_DoctorCheck_status(c);
    d_enum(d, "status", grite_CheckStatus_name(st), (uint64_t)st);
    STR(d, "message", grite_DoctorCheck_message(c));
}

static int response_payloads(const grite_IpcResponse *r)
{
    return (grite_IpcResponse_as_IssueListResult(r) != NULL) +
           (grite_IpcResponse_as_IssueCreateResult(r) != NULL) +
           (grite_IpcResponse_as_IssueShowResult(r) != NULL) +
           (grite_IpcResponse_as_IssueUpdateResult(r) != NULL) +
           (grite_IpcResponse_as_IssueStateResult(r) != NULL) +
           (grite_IpcResponse_as_CommentResult(r) != NULL) +
           (grite_IpcResponse_as_SyncResult(r) != NULL) + (grite_IpcResponse_as_LockResult(r) != NULL) +
           (grite_IpcResponse_as_DoctorResult(r) != NULL) +
           (grite_IpcResponse_as_DaemonStatusResult(r) != NULL) +
           (grite_IpcResponse_as_DaemonStopResult(r) != NULL) + (grite_IpcResponse_as_Error(r) != NULL);
}

static void response_payload(dumper *d, const grite_IpcResponse *r)
{
    switch (grite_IpcResponse_tag(r)) {
    case GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT: {
        const grite_IpcResponse_IssueListResult *p = grite_IpcResponse_as_IssueListResult(r);
        payload(d, p, sizeof *p);
        grite_vec_IssueSummary v = grite_IpcResponse_IssueListResult_issues(p);
        D_VECTOR(d, "issues", v.ptr, v.len, sizeof(grite_IssueSummary), i,
                 summary(d, grite_vec_IssueSummary_at(v, i)));
        d_uint(d, "total", grite_IpcResponse_IssueListResult_total(p));
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT: {
        const grite_IpcResponse_IssueCreateResult *p = grite_IpcResponse_as_IssueCreateResult(r);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcResponse_IssueCreateResult_issue_id(p));
        d_uint(d, "created_ts", grite_IpcResponse_IssueCreateResult_created_ts(p));
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT: {
        const grite_IpcResponse_IssueShowResult *p = grite_IpcResponse_as_IssueShowResult(r);
        payload(d, p, sizeof *p);
        size_t m = d_enter(d, "issue");
        issue(d, grite_IpcResponse_IssueShowResult_issue(p));
        d_leave(d, m);
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT: {
        const grite_IpcResponse_IssueUpdateResult *p = grite_IpcResponse_as_IssueUpdateResult(r);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcResponse_IssueUpdateResult_issue_id(p));
        d_uint(d, "updated_ts", grite_IpcResponse_IssueUpdateResult_updated_ts(p));
        break;
    }
    case GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT: {
        const grite_IpcResponse_IssueStateResult *p = grite_IpcResponse_as_IssueStateResult(r);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcResponse_IssueStateResult_issue_id(p));
        state(d, "state", grite_IpcResponse_IssueStateResult_state(p));
        d_uint(d, "updated_ts", grite_IpcResponse_IssueStateResult_updated_ts(p));
        break;
    }
    case GRITE_IPC_RESPONSE_COMMENT_RESULT: {
        const grite_IpcResponse_CommentResult *p = grite_IpcResponse_as_CommentResult(r);
        payload(d, p, sizeof *p);
        STR(d, "issue_id", grite_IpcResponse_CommentResult_issue_id(p));
        STR(d, "comment_id", grite_IpcResponse_CommentResult_comment_id(p));
        d_uint(d, "created_ts", grite_IpcResponse_CommentResult_created_ts(p));
        break;
    }
    case GRITE_IPC_RESPONSE_SYNC_RESULT: {
        const grite_IpcResponse_SyncResult *p = grite_IpcResponse_as_SyncResult(r);
        payload(d, p, sizeof *p);
        STR(d, "remote", grite_IpcResponse_SyncResult_remote(p));
        d_uint(d, "issues_pulled", grite_IpcResponse_SyncResult_issues_pulled(p));
        d_uint(d, "issues_pushed", grite_IpcResponse_SyncResult_issues_pushed(p));
        d_uint(d, "comments_merged", grite_IpcResponse_SyncResult_comments_merged(p));
        break;
    }
    case GRITE_IPC_RESPONSE_LOCK_RESULT: {
        const grite_IpcResponse_LockResult *p = grite_IpcResponse_as_LockResult(r);
        payload(d, p, sizeof *p);
        STR(d, "resource", grite_IpcResponse_LockResult_resource(p));
        STR(d, "owner", grite_IpcResponse_LockResult_owner(p));
        d_bool(d, "held", grite_IpcResponse_LockResult_held(p));
        d_uint(d, "expires_ts", grite_IpcResponse_LockResult_expires_ts(p));
        break;
    }
    case GRITE_IPC_RESPONSE_DOCTOR_RESULT: {
        const grite_IpcResponse_DoctorResult *p = grite_IpcResponse_as_DoctorResult(r);
        payload(d, p, sizeof *p);
        grite_vec_DoctorCheck v = grite_IpcResponse_DoctorResult_checks(p);
        D_VECTOR(d, "checks", v.ptr, v.len, sizeof(grite_DoctorCheck), i,
                 check(d, grite_vec_DoctorCheck_at(v, i)));
        break;
    }
    case GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT: {
        const grite_IpcResponse_DaemonStatusResult *p = grite_IpcResponse_as_DaemonStatusResult(r);
        payload(d, p, sizeof *p);
        d_uint(d, "pid", grite_IpcResponse_DaemonStatusResult_pid(p));
        d_uint(d, "started_ts", grite_IpcResponse_DaemonStatusResult_started_ts(p));
        d_uint(d, "uptime_ms", grite_IpcResponse_DaemonStatusResult_uptime_ms(p));
        d_uint(d, "requests_served", grite_IpcResponse_DaemonStatusResult_requests_served(p));
        d_uint(d, "connected_clients", grite_IpcResponse_DaemonStatusResult_connected_clients(p));
        d_uint(d, "schema_fingerprint", grite_IpcResponse_DaemonStatusResult_schema_fingerprint(p));
        STR(d, "socket_path", grite_IpcResponse_DaemonStatusResult_socket_path(p));
        STR(d, "data_dir", grite_IpcResponse_DaemonStatusResult_data_dir(p));
        break;
    }
    case GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT: {
        const grite_IpcResponse_DaemonStopResult *p = grite_IpcResponse_as_DaemonStopResult(r);
        payload(d, p, sizeof *p);
        d_uint(d, "pid", grite_IpcResponse_DaemonStopResult_pid(p));
        break;
    }
    case GRITE_IPC_RESPONSE_ERROR: {
        const grite_IpcResponse_Error *p = grite_IpcResponse_as_Error(r);
        payload(d, p, sizeof *p);
        grite_ErrorCode code = grite_IpcResponse_Error_code(p);
        d_enum(d, "code", grite_ErrorCode_name(code), (uint64_t)code);
        STR(d, "message", grite_IpcResponse_Error_message(p));
        OPT_STR(d, details, grite_IpcResponse_Error, p);
        break;
    }
    }
}

void dump_IpcReply(dumper *d, const grite_IpcReply *r)
{
    d_uint(d, "ipc_schema_version", grite_IpcReply_ipc_schema_version(r));
    STR(d, "request_id", grite_IpcReply_request_id(r));
    const grite_IpcResponse *resp = grite_IpcReply_response(r);
    grite_IpcResponse_kind tag = grite_IpcResponse_tag(resp);
    const char *kind = grite_IpcResponse_kind_name(tag);
    d_enum(d, "response", kind, (uint64_t)tag);
    size_t m = d_enter(d, "response");
    size_t m2 = d_enter(d, kind ? kind : "?");
    if (response_payloads(resp) != 1)
        d_fail(d, "%d as_V() accessors are non-NULL", response_payloads(resp));
    response_payload(d, resp);
    d_leave(d, m2);
    d_leave(d, m);
}

/* ---- Notification ------------------------------------------------------ */

static int notification_payloads(const grite_Notification *n)
{
    return (grite_Notification_as_EventApplied(n) != NULL) +
           (grite_Notification_as_LockChanged(n) != NULL) +
           (grite_Notification_as_SnapshotCreated(n) != NULL) +
           (grite_Notification_as_WorkerStarted(n) != NULL) +
           (grite_Notification_as_WorkerStopped(n) != NULL);
}

static void notification_payload(dumper *d, const grite_Notification *n)
{
    switch (grite_Notification_tag(n)) {
    case GRITE_NOTIFICATION_EVENT_APPLIED: {
        const grite_Notification_EventApplied *p = grite_Notification_as_EventApplied(n);
        payload(d, p, sizeof *p);
        STR(d, "event_id", grite_Notification_EventApplied_event_id(p));
        STR(d, "issue_id", grite_Notification_EventApplied_issue_id(p));
        STR(d, "actor_id", grite_Notification_EventApplied_actor_id(p));
        STR(d, "kind", grite_Notification_EventApplied_kind(p));
        d_uint(d, "ts", grite_Notification_EventApplied_ts(p));
        break;
    }
    case GRITE_NOTIFICATION_LOCK_CHANGED: {
        const grite_Notification_LockChanged *p = grite_Notification_as_LockChanged(n);
        payload(d, p, sizeof *p);
        STR(d, "resource", grite_Notification_LockChanged_resource(p));
        OPT_STR(d, owner, grite_Notification_LockChanged, p);
        OPT_UINT(d, expires_ts, grite_Notification_LockChanged, p);
        break;
    }
    case GRITE_NOTIFICATION_SNAPSHOT_CREATED: {
        const grite_Notification_SnapshotCreated *p = grite_Notification_as_SnapshotCreated(n);
        payload(d, p, sizeof *p);
        STR(d, "snapshot_id", grite_Notification_SnapshotCreated_snapshot_id(p));
        d_uint(d, "event_count", grite_Notification_SnapshotCreated_event_count(p));
        grite_arr32_u8 h = grite_Notification_SnapshotCreated_content_hash(p);
        uint8_t hash[32] = { 0 };
        if (h.len != 32)
            d_fail(d, "content_hash view has %zu elements", h.len);
        for (size_t i = 0; i < h.len && i < 32; i++)
            hash[i] = grite_arr32_u8_at(h, i);
        d_hex(d, "content_hash", hash, 32);
        d_uint(d, "ts", grite_Notification_SnapshotCreated_ts(p));
        break;
    }
    case GRITE_NOTIFICATION_WORKER_STARTED: {
        const grite_Notification_WorkerStarted *p = grite_Notification_as_WorkerStarted(n);
        payload(d, p, sizeof *p);
        STR(d, "repo_root", grite_Notification_WorkerStarted_repo_root(p));
        STR(d, "actor_id", grite_Notification_WorkerStarted_actor_id(p));
        d_uint(d, "pid", grite_Notification_WorkerStarted_pid(p));
        d_uint(d, "ts", grite_Notification_WorkerStarted_ts(p));
        break;
    }
    case GRITE_NOTIFICATION_WORKER_STOPPED: {
        const grite_Notification_WorkerStopped *p = grite_Notification_as_WorkerStopped(n);
        payload(d, p, sizeof *p);
        STR(d, "repo_root", grite_Notification_WorkerStopped_repo_root(p));
        STR(d, "actor_id", grite_Notification_WorkerStopped_actor_id(p));
        STR(d, "reason", grite_Notification_WorkerStopped_reason(p));
        d_uint(d, "ts", grite_Notification_WorkerStopped_ts(p));
        break;
    }
    default:
        /* An unknown tag of the open union: nothing to read. */
        break;
    }
}

void dump_Notification(dumper *d, const grite_Notification *n)
{
    grite_Notification_kind tag = grite_Notification_tag(n);
    const char *kind = grite_Notification_kind_name(tag);
    d_enum(d, "", kind, (uint64_t)tag);
    size_t m = d_enter(d, kind ? kind : "?");
    if (notification_payloads(n) != (kind != NULL))
        d_fail(d, "%d as_V() accessors are non-NULL", notification_payloads(n));
    notification_payload(d, n);
    d_leave(d, m);
}

/* ---- deep.idl ------------------------------------------------------------ */

void dump_Node(dumper *d, const deep_Node *n)
{
    STR(d, "label", deep_Node_label(n));
    deep_vec_Node v = deep_Node_children(n);
    D_VECTOR(d, "children", v.ptr, v.len, sizeof(deep_Node), i, dump_Node(d, deep_vec_Node_at(v, i)));
}

void dump_Tree(dumper *d, const deep_Tree *t)
{
    deep_Tree_kind tag = deep_Tree_tag(t);
    const char *kind = deep_Tree_kind_name(tag);
    d_enum(d, "", kind, (uint64_t)tag);
    size_t m = d_enter(d, kind ? kind : "?");
    if (tag == DEEP_TREE_LEAF) {
        const deep_Tree_Leaf *p = deep_Tree_as_Leaf(t);
        payload(d, p, sizeof *p);
        d_uint(d, "value", deep_Tree_Leaf_value(p));
    } else if (tag == DEEP_TREE_BRANCH) {
        const deep_Tree_Branch *p = deep_Tree_as_Branch(t);
        payload(d, p, sizeof *p);
        deep_vec_Tree v = deep_Tree_Branch_kids(p);
        D_VECTOR(d, "kids", v.ptr, v.len, sizeof(deep_Tree), i, dump_Tree(d, deep_vec_Tree_at(v, i)));
    }
    d_leave(d, m);
}
