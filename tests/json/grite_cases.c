/*
 * grite_cases.c - one JSON case per grite message variant: IpcRequest with
 * each IpcCommand, IpcReply with each IpcResponse, each Notification (and
 * an open union's unknown tag), plus escaping and 64-bit corner values.
 * The expected texts are written by hand from docs/JSON.md.
 */
#include <stdint.h>
#include <string.h>

#include "grite.h"
#include "json_cases.h"

/* ---- printing a validated root ---------------------------------------- */

JSON_CASE_DEFINE_PRINT(grite, IpcRequest)
JSON_CASE_DEFINE_PRINT(grite, IpcReply)
JSON_CASE_DEFINE_PRINT(grite, Notification)

/* ---- requests: the same envelope around each command ------------------- */

static int request(grite_buf *b, grite_IpcCommand_in command)
{
    grite_IpcRequest_in req = {
        .ipc_schema_version = 1,
        .request_id = GRITE_STR("r1"),
        .repo_root = GRITE_STR("/src"),
        .actor_id = GRITE_STR("ab"),
        .data_dir = GRITE_STR(""),
        .command = command,
    };
    return grite_IpcRequest_build(b, &req);
}

#define REQ(cmd)                                                                    \
    "{\"ipc_schema_version\":1,\"request_id\":\"r1\",\"repo_root\":\"/src\","       \
    "\"actor_id\":\"ab\",\"data_dir\":\"\",\"command\":" cmd "}"

static int cmd_issue_list(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_LIST };
    c.v.IssueList.filter.state = (grite_opt_IssueState_in){ true, GRITE_ISSUE_STATE_OPEN };
    c.v.IssueList.filter.label = (grite_opt_str_in){ true, GRITE_STR("bug") };
    c.v.IssueList.filter.offset = (grite_opt_u32_in){ true, 10 };
    return request(b, c);
}

static int cmd_issue_list_unfiltered(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_LIST };
    return request(b, c);
}

static int cmd_issue_create(grite_buf *b)
{
    static const grite_str labels[] = { GRITE_STR("bug"), GRITE_STR("p1") };
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_CREATE };
    c.v.IssueCreate.title = GRITE_STR("Hi");
    c.v.IssueCreate.labels = (grite_vec_str_in){ labels, 2 };
    return request(b, c);
}

static int cmd_issue_show(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_SHOW };
    c.v.IssueShow.issue_id = GRITE_STR("abc123");
    return request(b, c);
}

static int cmd_issue_update(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_UPDATE };
    c.v.IssueUpdate.issue_id = GRITE_STR("abc");
    c.v.IssueUpdate.title = (grite_opt_str_in){ true, GRITE_STR("New") };
    return request(b, c);
}

static int cmd_issue_update_empty_body(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_UPDATE };
    c.v.IssueUpdate.issue_id = GRITE_STR("abc");
    c.v.IssueUpdate.body = (grite_opt_str_in){ true, GRITE_STR("") };   /* present, empty */
    return request(b, c);
}

static int cmd_issue_close(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_CLOSE };
    c.v.IssueClose.issue_id = GRITE_STR("abc");
    return request(b, c);
}

static int cmd_issue_reopen(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_REOPEN };
    c.v.IssueReopen.issue_id = GRITE_STR("abc");
    return request(b, c);
}

static int cmd_issue_comment(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_COMMENT };
    c.v.IssueComment.issue_id = GRITE_STR("abc");
    c.v.IssueComment.body = GRITE_STR("LGTM");
    return request(b, c);
}

static int cmd_sync_pull(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_SYNC_PULL };
    c.v.SyncPull.remote = GRITE_STR("origin");
    return request(b, c);
}

static int cmd_sync_push(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_SYNC_PUSH };
    c.v.SyncPush.remote = GRITE_STR("origin");
    return request(b, c);
}

static int cmd_lock_acquire(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE };
    c.v.LockAcquire.resource = GRITE_STR("repo");
    c.v.LockAcquire.ttl_ms = UINT64_MAX;
    return request(b, c);
}

static int cmd_lock_release(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_LOCK_RELEASE };
    c.v.LockRelease.resource = GRITE_STR("repo");
    return request(b, c);
}

static int cmd_doctor(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_DOCTOR };
    return request(b, c);
}

static int cmd_daemon_status(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_DAEMON_STATUS };
    return request(b, c);
}

static int cmd_daemon_stop(grite_buf *b)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_DAEMON_STOP };
    return request(b, c);
}

/* Every character class of the escaping rules, in a string and a key's value:
 * quote, backslash, the short escapes, other control characters (NUL
 * included), DEL (not escaped), and 2-, 3- and 4-byte UTF-8. */
static const char escapes_text[] = "q\"b\\s/n\nt\tr\rb\bf\f\x01\x1f\0\x7f-\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80";
#define ESCAPES_JSON "q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\f\\u0001\\u001f\\u0000\x7f-\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"

static int cmd_escapes(grite_buf *b)
{
    static const grite_str labels[] = { { escapes_text, sizeof escapes_text - 1 },
                                         GRITE_STR("\xc3\xa9t\xc3\xa9") };
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_CREATE };
    c.v.IssueCreate.title = (grite_str){ escapes_text, sizeof escapes_text - 1 };
    c.v.IssueCreate.body = GRITE_STR("line 1\nline 2\n");
    c.v.IssueCreate.labels = (grite_vec_str_in){ labels, 2 };
    return request(b, c);
}

/* ---- replies ----------------------------------------------------------- */

static int reply(grite_buf *b, grite_IpcResponse_in response)
{
    grite_IpcReply_in r = {
        .ipc_schema_version = 1,
        .request_id = GRITE_STR("r1"),
        .response = response,
    };
    return grite_IpcReply_build(b, &r);
}

#define REPLY(resp) "{\"ipc_schema_version\":1,\"request_id\":\"r1\",\"response\":" resp "}"

static int resp_issue_list(grite_buf *b)
{
    static const grite_str labels[] = { GRITE_STR("bug") };
    static const grite_IssueSummary_in issues[] = {
        { GRITE_STR("a1"), GRITE_STR("First"), GRITE_ISSUE_STATE_OPEN, { labels, 1 },
          UINT64_C(1700000000000) },
        /* 2^53 + 1: a double would round it to 2^53. */
        { GRITE_STR("b2"), GRITE_STR("Second"), GRITE_ISSUE_STATE_CLOSED, { NULL, 0 },
          UINT64_C(9007199254740993) },
    };
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT };
    r.v.IssueListResult.issues = (grite_vec_IssueSummary_in){ issues, 2 };
    r.v.IssueListResult.total = 2;
    return reply(b, r);
}

static int resp_issue_create(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT };
    r.v.IssueCreateResult.issue_id = GRITE_STR("a1");
    r.v.IssueCreateResult.created_ts = UINT64_C(1700000000000);
    return reply(b, r);
}

static int resp_issue_show(grite_buf *b)
{
    static const grite_str labels[] = { GRITE_STR("x") };
    static const grite_Comment_in comments[] = {
        { GRITE_STR("c1"), GRITE_STR("ab"), GRITE_STR("hi"), 1 },
        { GRITE_STR("c2"), GRITE_STR("cd"), GRITE_STR(""), 0 },
    };
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT };
    r.v.IssueShowResult.issue = (grite_Issue_in){
        .issue_id = GRITE_STR("a1"), .title = GRITE_STR("T"), .body = GRITE_STR("B"),
        .state = GRITE_ISSUE_STATE_CLOSED, .author = GRITE_STR("ab"),
        .labels = { labels, 1 }, .comments = { comments, 2 },
        .created_ts = 1, .updated_ts = 2,
    };
    return reply(b, r);
}

static int resp_issue_update(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT };
    r.v.IssueUpdateResult.issue_id = GRITE_STR("a1");
    r.v.IssueUpdateResult.updated_ts = 5;
    return reply(b, r);
}

static int resp_issue_state(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT };
    r.v.IssueStateResult.issue_id = GRITE_STR("a1");
    r.v.IssueStateResult.state = GRITE_ISSUE_STATE_CLOSED;
    r.v.IssueStateResult.updated_ts = 6;
    return reply(b, r);
}

static int resp_comment(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_COMMENT_RESULT };
    r.v.CommentResult.issue_id = GRITE_STR("a1");
    r.v.CommentResult.comment_id = GRITE_STR("c9");
    r.v.CommentResult.created_ts = 7;
    return reply(b, r);
}

static int resp_sync(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_SYNC_RESULT };
    r.v.SyncResult.remote = GRITE_STR("origin");
    r.v.SyncResult.issues_pulled = 3;
    r.v.SyncResult.comments_merged = UINT32_MAX;
    return reply(b, r);
}

static int resp_lock(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_LOCK_RESULT };
    r.v.LockResult.resource = GRITE_STR("repo");
    r.v.LockResult.owner = GRITE_STR("ab");
    r.v.LockResult.held = true;
    r.v.LockResult.expires_ts = UINT64_C(1700000060000);
    return reply(b, r);
}

static int resp_doctor(grite_buf *b)
{
    static const grite_DoctorCheck_in checks[] = {
        { GRITE_STR("socket_permissions"), GRITE_CHECK_STATUS_OK, GRITE_STR("0600") },
        { GRITE_STR("store"), GRITE_CHECK_STATUS_WARN, GRITE_STR("slow disk") },
        { GRITE_STR("lock"), GRITE_CHECK_STATUS_FAIL, GRITE_STR("stale") },
    };
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_DOCTOR_RESULT };
    r.v.DoctorResult.checks = (grite_vec_DoctorCheck_in){ checks, 3 };
    return reply(b, r);
}

static int resp_daemon_status(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT };
    r.v.DaemonStatusResult = (grite_IpcResponse_DaemonStatusResult_in){
        .pid = 4242, .started_ts = UINT64_C(1700000000000), .uptime_ms = 1234,
        .requests_served = UINT64_MAX, .connected_clients = 0,
        .schema_fingerprint = UINT64_C(0xfedcba9876543210),
        .socket_path = GRITE_STR("/run/grite.sock"), .data_dir = GRITE_STR("/var/lib/grite"),
    };
    return reply(b, r);
}

static int resp_daemon_stop(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT };
    r.v.DaemonStopResult.pid = 1;
    return reply(b, r);
}

static int resp_error(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ERROR };
    r.v.Error.code = GRITE_ERROR_CODE_NOT_FOUND;
    r.v.Error.message = GRITE_STR("no such issue");
    return reply(b, r);
}

static int resp_error_details(grite_buf *b)
{
    grite_IpcResponse_in r = { .tag = GRITE_IPC_RESPONSE_ERROR };
    r.v.Error.code = GRITE_ERROR_CODE_INTERNAL_ERROR;
    r.v.Error.message = GRITE_STR("oops");
    r.v.Error.details = (grite_opt_str_in){ true, GRITE_STR("at \"store.c\"\n\tline 3") };
    return reply(b, r);
}

/* ---- notifications ----------------------------------------------------- */

static int note_event_applied(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_EVENT_APPLIED };
    n.v.EventApplied = (grite_Notification_EventApplied_in){
        GRITE_STR("e1"), GRITE_STR("a1"), GRITE_STR("ab"), GRITE_STR("IssueCreated"), 99 };
    return grite_Notification_build(b, &n);
}

static int note_lock_changed_free(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_LOCK_CHANGED };
    n.v.LockChanged.resource = GRITE_STR("repo");
    return grite_Notification_build(b, &n);
}

static int note_lock_changed_held(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_LOCK_CHANGED };
    n.v.LockChanged.resource = GRITE_STR("repo");
    n.v.LockChanged.owner = (grite_opt_str_in){ true, GRITE_STR("ab") };
    n.v.LockChanged.expires_ts = (grite_opt_u64_in){ true, UINT64_MAX };
    return grite_Notification_build(b, &n);
}

static int note_snapshot_created(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_SNAPSHOT_CREATED };
    n.v.SnapshotCreated.snapshot_id = GRITE_STR("s1");
    n.v.SnapshotCreated.event_count = 12;
    for (unsigned i = 0; i < 32; i++)
        n.v.SnapshotCreated.content_hash[i] = (uint8_t)(i * 8 + i / 4);
    n.v.SnapshotCreated.ts = 13;
    return grite_Notification_build(b, &n);
}

static int note_worker_started(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_WORKER_STARTED };
    n.v.WorkerStarted = (grite_Notification_WorkerStarted_in){
        GRITE_STR("/src"), GRITE_STR("ab"), 77, 14 };
    return grite_Notification_build(b, &n);
}

static int note_worker_stopped(grite_buf *b)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_WORKER_STOPPED };
    n.v.WorkerStopped = (grite_Notification_WorkerStopped_in){
        GRITE_STR("/src"), GRITE_STR("ab"), GRITE_STR("idle"), 15 };
    return grite_Notification_build(b, &n);
}

/* A variant from a newer schema: tag 99 with an 8-byte payload, which an
 * open union steps over unread (docs/FORMAT.md 1.4). Builders refuse
 * undeclared tags, so the bytes are laid out by hand. */
static int note_unknown(grite_buf *b)
{
    size_t at;
    grite_buf_reset(b);
    int rc = grite_buf_reserve(b, 20, 8, &at);
    if (rc != 0)
        return rc;
    grite_st_u32(b->data + 0, 99);   /* tag */
    grite_st_u32(b->data + 4, 8);    /* payload at 4 + 8 = 12 */
    grite_st_u32(b->data + 8, 8);    /* 8 bytes: 12 .. 20 */
    memcpy(b->data + 12, "newer!!!", 8);
    return 0;
}

static int note_unknown_empty(grite_buf *b)
{
    size_t at;
    grite_buf_reset(b);
    int rc = grite_buf_reserve(b, 12, 8, &at);
    if (rc == 0)
        grite_st_u32(b->data, UINT32_MAX);
    return rc;
}

/* ---- the table --------------------------------------------------------- */

#define HASH_HEX "0008101821293139424a525a636b737b848c949ca5adb5bdc6ced6dee7eff7ff"

const json_case grite_json_cases[] = {
    { "request_IssueList", cmd_issue_list, print_IpcRequest,
      REQ("{\"IssueList\":{\"filter\":{\"state\":\"Open\",\"label\":\"bug\",\"limit\":null,\"offset\":10}}}"), true },
    { "request_IssueList_unfiltered", cmd_issue_list_unfiltered, print_IpcRequest,
      REQ("{\"IssueList\":{\"filter\":{\"state\":null,\"label\":null,\"limit\":null,\"offset\":null}}}"), true },
    { "request_IssueCreate", cmd_issue_create, print_IpcRequest,
      REQ("{\"IssueCreate\":{\"title\":\"Hi\",\"body\":\"\",\"labels\":[\"bug\",\"p1\"]}}"), true },
    { "request_IssueShow", cmd_issue_show, print_IpcRequest,
      REQ("{\"IssueShow\":{\"issue_id\":\"abc123\"}}"), true },
    { "request_IssueUpdate", cmd_issue_update, print_IpcRequest,
      REQ("{\"IssueUpdate\":{\"issue_id\":\"abc\",\"title\":\"New\",\"body\":null}}"), true },
    { "request_IssueUpdate_empty_body", cmd_issue_update_empty_body, print_IpcRequest,
      REQ("{\"IssueUpdate\":{\"issue_id\":\"abc\",\"title\":null,\"body\":\"\"}}"), true },
    { "request_IssueClose", cmd_issue_close, print_IpcRequest,
      REQ("{\"IssueClose\":{\"issue_id\":\"abc\"}}"), true },
    { "request_IssueReopen", cmd_issue_reopen, print_IpcRequest,
      REQ("{\"IssueReopen\":{\"issue_id\":\"abc\"}}"), true },
    { "request_IssueComment", cmd_issue_comment, print_IpcRequest,
      REQ("{\"IssueComment\":{\"issue_id\":\"abc\",\"body\":\"LGTM\"}}"), true },
    { "request_SyncPull", cmd_sync_pull, print_IpcRequest,
      REQ("{\"SyncPull\":{\"remote\":\"origin\"}}"), true },
    { "request_SyncPush", cmd_sync_push, print_IpcRequest,
      REQ("{\"SyncPush\":{\"remote\":\"origin\"}}"), true },
    { "request_LockAcquire", cmd_lock_acquire, print_IpcRequest,
      REQ("{\"LockAcquire\":{\"resource\":\"repo\",\"ttl_ms\":18446744073709551615}}"), true },
    { "request_LockRelease", cmd_lock_release, print_IpcRequest,
      REQ("{\"LockRelease\":{\"resource\":\"repo\"}}"), true },
    { "request_Doctor", cmd_doctor, print_IpcRequest, REQ("{\"Doctor\":{}}"), true },
    { "request_DaemonStatus", cmd_daemon_status, print_IpcRequest, REQ("{\"DaemonStatus\":{}}"), true },
    { "request_DaemonStop", cmd_daemon_stop, print_IpcRequest, REQ("{\"DaemonStop\":{}}"), true },
    { "request_escapes", cmd_escapes, print_IpcRequest,
      REQ("{\"IssueCreate\":{\"title\":\"" ESCAPES_JSON "\",\"body\":\"line 1\\nline 2\\n\","
          "\"labels\":[\"" ESCAPES_JSON "\",\"\xc3\xa9t\xc3\xa9\"]}}"), true },

    { "reply_IssueListResult", resp_issue_list, print_IpcReply,
      REPLY("{\"IssueListResult\":{\"issues\":["
            "{\"issue_id\":\"a1\",\"title\":\"First\",\"state\":\"Open\",\"labels\":[\"bug\"],\"updated_ts\":1700000000000},"
            "{\"issue_id\":\"b2\",\"title\":\"Second\",\"state\":\"Closed\",\"labels\":[],\"updated_ts\":9007199254740993}"
            "],\"total\":2}}"), true },
    { "reply_IssueCreateResult", resp_issue_create, print_IpcReply,
      REPLY("{\"IssueCreateResult\":{\"issue_id\":\"a1\",\"created_ts\":1700000000000}}"), true },
    { "reply_IssueShowResult", resp_issue_show, print_IpcReply,
      REPLY("{\"IssueShowResult\":{\"issue\":{\"issue_id\":\"a1\",\"title\":\"T\",\"body\":\"B\","
            "\"state\":\"Closed\",\"author\":\"ab\",\"labels\":[\"x\"],\"assignees\":[],\"comments\":["
            "{\"comment_id\":\"c1\",\"author\":\"ab\",\"body\":\"hi\",\"created_ts\":1},"
            "{\"comment_id\":\"c2\",\"author\":\"cd\",\"body\":\"\",\"created_ts\":0}],"
            "\"created_ts\":1,\"updated_ts\":2}}}"), true },
    { "reply_IssueUpdateResult", resp_issue_update, print_IpcReply,
      REPLY("{\"IssueUpdateResult\":{\"issue_id\":\"a1\",\"updated_ts\":5}}"), true },
    { "reply_IssueStateResult", resp_issue_state, print_IpcReply,
      REPLY("{\"IssueStateResult\":{\"issue_id\":\"a1\",\"state\":\"Closed\",\"updated_ts\":6}}"), true },
    { "reply_CommentResult", resp_comment, print_IpcReply,
      REPLY("{\"CommentResult\":{\"issue_id\":\"a1\",\"comment_id\":\"c9\",\"created_ts\":7}}"), true },
    { "reply_SyncResult", resp_sync, print_IpcReply,
      REPLY("{\"SyncResult\":{\"remote\":\"origin\",\"issues_pulled\":3,\"issues_pushed\":0,"
            "\"comments_merged\":4294967295}}"), true },
    { "reply_LockResult", resp_lock, print_IpcReply,
      REPLY("{\"LockResult\":{\"resource\":\"repo\",\"owner\":\"ab\",\"held\":true,"
            "\"expires_ts\":1700000060000}}"), true },
    { "reply_DoctorResult", resp_doctor, print_IpcReply,
      REPLY("{\"DoctorResult\":{\"checks\":["
            "{\"name\":\"socket_permissions\",\"status\":\"Ok\",\"message\":\"0600\"},"
            "{\"name\":\"store\",\"status\":\"Warn\",\"message\":\"slow disk\"},"
            "{\"name\":\"lock\",\"status\":\"Fail\",\"message\":\"stale\"}]}}"), true },
    { "reply_DaemonStatusResult", resp_daemon_status, print_IpcReply,
      REPLY("{\"DaemonStatusResult\":{\"pid\":4242,\"started_ts\":1700000000000,\"uptime_ms\":1234,"
            "\"requests_served\":18446744073709551615,\"connected_clients\":0,"
            "\"schema_fingerprint\":18364758544493064720,\"socket_path\":\"/run/grite.sock\","
            "\"data_dir\":\"/var/lib/grite\"}}"), true },
    { "reply_DaemonStopResult", resp_daemon_stop, print_IpcReply,
      REPLY("{\"DaemonStopResult\":{\"pid\":1}}"), true },
    { "reply_Error", resp_error, print_IpcReply,
      REPLY("{\"Error\":{\"code\":\"not_found\",\"message\":\"no such issue\",\"details\":null}}"), true },
    { "reply_Error_details", resp_error_details, print_IpcReply,
      REPLY("{\"Error\":{\"code\":\"internal_error\",\"message\":\"oops\","
            "\"details\":\"at \\\"store.c\\\"\\n\\tline 3\"}}"), true },

    { "notification_EventApplied", note_event_applied, print_Notification,
      "{\"EventApplied\":{\"event_id\":\"e1\",\"issue_id\":\"a1\",\"actor_id\":\"ab\","
      "\"kind\":\"IssueCreated\",\"ts\":99}}", true },
    { "notification_LockChanged_free", note_lock_changed_free, print_Notification,
      "{\"LockChanged\":{\"resource\":\"repo\",\"owner\":null,\"expires_ts\":null}}", true },
    { "notification_LockChanged_held", note_lock_changed_held, print_Notification,
      "{\"LockChanged\":{\"resource\":\"repo\",\"owner\":\"ab\",\"expires_ts\":18446744073709551615}}", true },
    { "notification_SnapshotCreated", note_snapshot_created, print_Notification,
      "{\"SnapshotCreated\":{\"snapshot_id\":\"s1\",\"event_count\":12,\"content_hash\":\"" HASH_HEX "\","
      "\"ts\":13}}", true },
    { "notification_WorkerStarted", note_worker_started, print_Notification,
      "{\"WorkerStarted\":{\"repo_root\":\"/src\",\"actor_id\":\"ab\",\"pid\":77,\"ts\":14}}", true },
    { "notification_WorkerStopped", note_worker_stopped, print_Notification,
      "{\"WorkerStopped\":{\"repo_root\":\"/src\",\"actor_id\":\"ab\",\"reason\":\"idle\",\"ts\":15}}", true },
    { "notification_unknown", note_unknown, print_Notification, "{\"unknown\":99}", true },
    { "notification_unknown_empty", note_unknown_empty, print_Notification,
      "{\"unknown\":4294967295}", true },
};
const size_t grite_json_n_cases = sizeof grite_json_cases / sizeof grite_json_cases[0];
