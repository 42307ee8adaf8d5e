/*
 * samples.c - see samples.h. Built once, on first use, into static
 * storage; every input points only at static data.
 */
#include "samples.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ACTOR "a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define REQUEST_ID "6f1c2a9e-3b7d-4c55-9e21-0d8f4a7b1c33"

/* A grite_str initializer for static data (GRITE_STR is a compound
 * literal, which is not a constant expression in C11). */
#define LIT(s) { (s), sizeof(s) - 1 }

/* Edge strings. */
#define UNICODE_TEXT "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x9a\x80"
static const grite_str unicode = LIT(UNICODE_TEXT);
static const grite_str empty = { "", 0 };
/* U+0000 is valid UTF-8 and strings are length-counted: NULs are data. */
static const grite_str with_nuls = { "a\0b\0c", 5 };
/* Every boundary code point of UTF-8 (1-4 byte forms, around surrogates). */
static const grite_str boundaries = LIT("\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
                                              "\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80"
                                              "\xf4\x8f\xbf\xbf");

#define LONG_LEN 3000
static char long_text[LONG_LEN + 1];
static grite_str long_str;

#define MANY 100
static char many_text[MANY][16];
static grite_str many_labels[MANY];

static const grite_str few_labels[] = {
    LIT("bug"), { "", 0 }, LIT(UNICODE_TEXT), { "x\0y", 3 },
};

static void init_strings(void)
{
    for (size_t i = 0; i < LONG_LEN; i++)
        long_text[i] = (char)('a' + i % 26);
    long_str.ptr = long_text;
    long_str.len = LONG_LEN;
    for (int i = 0; i < MANY; i++) {
        snprintf(many_text[i], sizeof many_text[i], "label-%03d", i);
        many_labels[i] = grite_str_from_cstr(many_text[i]);
    }
}

/* ---- the envelopes: what a real CLI sends and gets back ------------- */

static void request_envelope(grite_IpcRequest_in *r)
{
    r->ipc_schema_version = 1;
    r->request_id = GRITE_STR(REQUEST_ID);
    r->repo_root = GRITE_STR("/home/alice/src/project");
    r->actor_id = GRITE_STR(ACTOR);
    r->data_dir = GRITE_STR(".git/grite/actors/" ACTOR);
}

static void reply_envelope(grite_IpcReply_in *r)
{
    r->ipc_schema_version = 1;
    r->request_id = GRITE_STR(REQUEST_ID);
}

/* ---- requests ------------------------------------------------------- */

static request_sample requests[32];
static size_t n_requests;

static grite_IpcCommand_in *add_request(const char *name, grite_IpcCommand_kind tag)
{
    request_sample *s = &requests[n_requests++];
    s->name = name;
    request_envelope(&s->in);
    s->in.command.tag = tag;
    return &s->in.command;
}

/* The same request with every root string empty and the version maxed. */
static void last_request_edge_root(void)
{
    grite_IpcRequest_in *r = &requests[n_requests - 1].in;
    r->ipc_schema_version = UINT32_MAX;
    r->request_id = empty;
    r->repo_root = empty;
    r->actor_id = empty;
    r->data_dir = empty;
}

static void init_requests(void)
{
    grite_IpcCommand_in *c;

    c = add_request("IssueList/all-set", GRITE_IPC_COMMAND_ISSUE_LIST);
    c->v.IssueList.filter.state.present = true;
    c->v.IssueList.filter.state.value = GRITE_ISSUE_STATE_CLOSED;
    c->v.IssueList.filter.label.present = true;
    c->v.IssueList.filter.label.value = unicode;
    c->v.IssueList.filter.limit.present = true;
    c->v.IssueList.filter.limit.value = UINT32_MAX;
    c->v.IssueList.filter.offset.present = true;
    c->v.IssueList.filter.offset.value = 0;

    c = add_request("IssueList/all-absent", GRITE_IPC_COMMAND_ISSUE_LIST);
    last_request_edge_root();

    c = add_request("IssueList/open-empty-label", GRITE_IPC_COMMAND_ISSUE_LIST);
    c->v.IssueList.filter.state.present = true;
    c->v.IssueList.filter.state.value = GRITE_ISSUE_STATE_OPEN;
    c->v.IssueList.filter.label.present = true;
    c->v.IssueList.filter.label.value = empty;
    c->v.IssueList.filter.offset.present = true;
    c->v.IssueList.filter.offset.value = UINT32_MAX;

    c = add_request("IssueCreate/long-many-labels", GRITE_IPC_COMMAND_ISSUE_CREATE);
    c->v.IssueCreate.title = unicode;
    c->v.IssueCreate.body = long_str;
    c->v.IssueCreate.labels.items = many_labels;
    c->v.IssueCreate.labels.len = MANY;

    c = add_request("IssueCreate/empty", GRITE_IPC_COMMAND_ISSUE_CREATE);
    last_request_edge_root();

    c = add_request("IssueCreate/nuls-and-edges", GRITE_IPC_COMMAND_ISSUE_CREATE);
    c->v.IssueCreate.title = with_nuls;
    c->v.IssueCreate.body = boundaries;
    c->v.IssueCreate.labels.items = few_labels;
    c->v.IssueCreate.labels.len = sizeof few_labels / sizeof few_labels[0];

    c = add_request("IssueShow", GRITE_IPC_COMMAND_ISSUE_SHOW);
    c->v.IssueShow.issue_id = GRITE_STR("0123456789abcdef0123456789abcdef");

    c = add_request("IssueUpdate/both", GRITE_IPC_COMMAND_ISSUE_UPDATE);
    c->v.IssueUpdate.issue_id = GRITE_STR("00ff");
    c->v.IssueUpdate.title.present = true;
    c->v.IssueUpdate.title.value = unicode;
    c->v.IssueUpdate.body.present = true;
    c->v.IssueUpdate.body.value = long_str;

    c = add_request("IssueUpdate/neither", GRITE_IPC_COMMAND_ISSUE_UPDATE);
    c->v.IssueUpdate.issue_id = GRITE_STR("00ff");

    c = add_request("IssueUpdate/empty-title", GRITE_IPC_COMMAND_ISSUE_UPDATE);
    c->v.IssueUpdate.title.present = true;
    c->v.IssueUpdate.title.value = empty;

    c = add_request("IssueClose", GRITE_IPC_COMMAND_ISSUE_CLOSE);
    c->v.IssueClose.issue_id = GRITE_STR("c105e");

    c = add_request("IssueReopen", GRITE_IPC_COMMAND_ISSUE_REOPEN);
    c->v.IssueReopen.issue_id = GRITE_STR("2e0");

    c = add_request("IssueComment", GRITE_IPC_COMMAND_ISSUE_COMMENT);
    c->v.IssueComment.issue_id = GRITE_STR("abc");
    c->v.IssueComment.body = unicode;

    c = add_request("SyncPull", GRITE_IPC_COMMAND_SYNC_PULL);
    c->v.SyncPull.remote = GRITE_STR("origin");

    c = add_request("SyncPush", GRITE_IPC_COMMAND_SYNC_PUSH);
    c->v.SyncPush.remote = with_nuls;

    c = add_request("LockAcquire/max", GRITE_IPC_COMMAND_LOCK_ACQUIRE);
    c->v.LockAcquire.resource = GRITE_STR("refs/grite/wal");
    c->v.LockAcquire.ttl_ms = UINT64_MAX;

    c = add_request("LockAcquire/zero", GRITE_IPC_COMMAND_LOCK_ACQUIRE);
    last_request_edge_root();

    c = add_request("LockRelease", GRITE_IPC_COMMAND_LOCK_RELEASE);
    c->v.LockRelease.resource = unicode;

    add_request("Doctor", GRITE_IPC_COMMAND_DOCTOR);
    add_request("DaemonStatus", GRITE_IPC_COMMAND_DAEMON_STATUS);
    add_request("DaemonStop/edge-root", GRITE_IPC_COMMAND_DAEMON_STOP);
    last_request_edge_root();
}

/* ---- replies -------------------------------------------------------- */

static reply_sample replies[40];
static size_t n_replies;

static grite_IpcResponse_in *add_reply(const char *name, grite_IpcResponse_kind tag)
{
    reply_sample *s = &replies[n_replies++];
    s->name = name;
    reply_envelope(&s->in);
    s->in.response.tag = tag;
    return &s->in.response;
}

static const grite_str two_labels[] = { LIT("bug"), LIT("p2") };

static const grite_IssueSummary_in summaries[] = {
    { .issue_id = LIT("00000000000000000000000000000001"), .title = LIT(UNICODE_TEXT),
      .state = GRITE_ISSUE_STATE_OPEN, .labels = { two_labels, 2 }, .updated_ts = UINT64_MAX },
    { .issue_id = { "", 0 }, .title = { "", 0 }, .state = GRITE_ISSUE_STATE_CLOSED,
      .labels = { NULL, 0 }, .updated_ts = 0 },
    { .issue_id = LIT("3"), .title = { "t\0t", 3 }, .state = GRITE_ISSUE_STATE_CLOSED,
      .labels = { few_labels, sizeof few_labels / sizeof few_labels[0] },
      .updated_ts = 1700000000000 },
};

static const grite_Comment_in comments[] = {
    { .comment_id = LIT("c1"), .author = LIT(ACTOR), .body = LIT(UNICODE_TEXT),
      .created_ts = 1 },
    { .comment_id = { "", 0 }, .author = { "", 0 }, .body = { "", 0 }, .created_ts = 0 },
    { .comment_id = LIT("c3"), .author = LIT("b0b"), .body = { "\0", 1 },
      .created_ts = UINT64_MAX },
};

static const grite_str assignees[] = { LIT(ACTOR), LIT("b0b") };

static const grite_DoctorCheck_in checks[] = {
    { .name = LIT("socket_permissions"), .status = GRITE_CHECK_STATUS_OK,
      .message = LIT("0600") },
    { .name = LIT("stale_lock"), .status = GRITE_CHECK_STATUS_WARN, .message = { "", 0 } },
    { .name = { "", 0 }, .status = GRITE_CHECK_STATUS_FAIL, .message = LIT(UNICODE_TEXT) },
};

static void add_error_replies(void)
{
    static const struct { const char *name; grite_ErrorCode code; } codes[] = {
        { "Error/invalid_args", GRITE_ERROR_CODE_INVALID_ARGS },
        { "Error/not_found", GRITE_ERROR_CODE_NOT_FOUND },
        { "Error/conflict", GRITE_ERROR_CODE_CONFLICT },
        { "Error/db_busy", GRITE_ERROR_CODE_DB_BUSY },
        { "Error/io_error", GRITE_ERROR_CODE_IO_ERROR },
        { "Error/ipc_error", GRITE_ERROR_CODE_IPC_ERROR },
        { "Error/internal_error", GRITE_ERROR_CODE_INTERNAL_ERROR },
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        grite_IpcResponse_in *r = add_reply(codes[i].name, GRITE_IPC_RESPONSE_ERROR);
        r->v.Error.code = codes[i].code;
        r->v.Error.message = i % 2 ? unicode : GRITE_STR("no such issue");
        r->v.Error.details.present = i % 3 != 0;
        r->v.Error.details.value = i == 1 ? empty : long_str;
    }
}

static void init_replies(void)
{
    grite_IpcResponse_in *r;

    r = add_reply("IssueListResult/three", GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    r->v.IssueListResult.issues.items = summaries;
    r->v.IssueListResult.issues.len = sizeof summaries / sizeof summaries[0];
    r->v.IssueListResult.total = UINT64_MAX;

    r = add_reply("IssueListResult/empty", GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    replies[n_replies - 1].in.request_id = empty;
    replies[n_replies - 1].in.ipc_schema_version = UINT32_MAX;

    r = add_reply("IssueCreateResult", GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    r->v.IssueCreateResult.issue_id = GRITE_STR("00000000000000000000000000000001");
    r->v.IssueCreateResult.created_ts = UINT64_MAX;

    r = add_reply("IssueShowResult/full", GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    r->v.IssueShowResult.issue.issue_id = GRITE_STR("0123456789abcdef0123456789abcdef");
    r->v.IssueShowResult.issue.title = unicode;
    r->v.IssueShowResult.issue.body = long_str;
    r->v.IssueShowResult.issue.state = GRITE_ISSUE_STATE_CLOSED;
    r->v.IssueShowResult.issue.author = GRITE_STR(ACTOR);
    r->v.IssueShowResult.issue.labels.items = many_labels;
    r->v.IssueShowResult.issue.labels.len = MANY;
    r->v.IssueShowResult.issue.assignees.items = assignees;
    r->v.IssueShowResult.issue.assignees.len = 2;
    r->v.IssueShowResult.issue.comments.items = comments;
    r->v.IssueShowResult.issue.comments.len = sizeof comments / sizeof comments[0];
    r->v.IssueShowResult.issue.created_ts = 1700000000000;
    r->v.IssueShowResult.issue.updated_ts = UINT64_MAX;

    r = add_reply("IssueShowResult/empty", GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);

    r = add_reply("IssueUpdateResult", GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT);
    r->v.IssueUpdateResult.issue_id = GRITE_STR("u");
    r->v.IssueUpdateResult.updated_ts = 42;

    r = add_reply("IssueStateResult/closed", GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    r->v.IssueStateResult.issue_id = GRITE_STR("c");
    r->v.IssueStateResult.state = GRITE_ISSUE_STATE_CLOSED;
    r->v.IssueStateResult.updated_ts = UINT64_MAX;

    r = add_reply("IssueStateResult/open", GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    r->v.IssueStateResult.state = GRITE_ISSUE_STATE_OPEN;

    r = add_reply("CommentResult", GRITE_IPC_RESPONSE_COMMENT_RESULT);
    r->v.CommentResult.issue_id = GRITE_STR("i");
    r->v.CommentResult.comment_id = unicode;
    r->v.CommentResult.created_ts = 7;

    r = add_reply("SyncResult/max", GRITE_IPC_RESPONSE_SYNC_RESULT);
    r->v.SyncResult.remote = GRITE_STR("origin");
    r->v.SyncResult.issues_pulled = UINT32_MAX;
    r->v.SyncResult.issues_pushed = UINT32_MAX - 1;
    r->v.SyncResult.comments_merged = UINT32_MAX;

    r = add_reply("LockResult/held", GRITE_IPC_RESPONSE_LOCK_RESULT);
    r->v.LockResult.resource = GRITE_STR("refs/grite/wal");
    r->v.LockResult.owner = GRITE_STR(ACTOR);
    r->v.LockResult.held = true;
    r->v.LockResult.expires_ts = UINT64_MAX;

    r = add_reply("LockResult/free", GRITE_IPC_RESPONSE_LOCK_RESULT);
    r->v.LockResult.resource = GRITE_STR("refs/grite/wal");
    r->v.LockResult.held = false;

    r = add_reply("DoctorResult/three", GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    r->v.DoctorResult.checks.items = checks;
    r->v.DoctorResult.checks.len = sizeof checks / sizeof checks[0];

    add_reply("DoctorResult/empty", GRITE_IPC_RESPONSE_DOCTOR_RESULT);

    r = add_reply("DaemonStatusResult/max", GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    r->v.DaemonStatusResult.pid = UINT32_MAX;
    r->v.DaemonStatusResult.started_ts = UINT64_MAX;
    r->v.DaemonStatusResult.uptime_ms = UINT64_MAX - 1;
    r->v.DaemonStatusResult.requests_served = UINT64_MAX;
    r->v.DaemonStatusResult.connected_clients = UINT32_MAX;
    r->v.DaemonStatusResult.schema_fingerprint = 0x8000000000000001u;
    r->v.DaemonStatusResult.socket_path = GRITE_STR("/run/user/1000/grite/daemon.sock");
    r->v.DaemonStatusResult.data_dir = unicode;

    add_reply("DaemonStatusResult/zero", GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);

    r = add_reply("DaemonStopResult", GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT);
    r->v.DaemonStopResult.pid = UINT32_MAX;

    add_error_replies();
}

/* ---- notifications ---------------------------------------------------- */

static notification_sample notifications[16];
static size_t n_notifications;

static grite_Notification_in *add_notification(const char *name, grite_Notification_kind tag)
{
    notification_sample *s = &notifications[n_notifications++];
    s->name = name;
    s->in.tag = tag;
    return &s->in;
}

static void init_notifications(void)
{
    grite_Notification_in *n;

    n = add_notification("EventApplied", GRITE_NOTIFICATION_EVENT_APPLIED);
    n->v.EventApplied.event_id = GRITE_STR("e1");
    n->v.EventApplied.issue_id = GRITE_STR("i1");
    n->v.EventApplied.actor_id = GRITE_STR(ACTOR);
    n->v.EventApplied.kind = unicode;
    n->v.EventApplied.ts = UINT64_MAX;

    add_notification("EventApplied/empty", GRITE_NOTIFICATION_EVENT_APPLIED);

    for (int owner = 0; owner < 2; owner++)
        for (int expires = 0; expires < 2; expires++) {
            static const char *const names[2][2] = {
                { "LockChanged/free", "LockChanged/free-expires" },
                { "LockChanged/owned", "LockChanged/owned-expires" },
            };
            n = add_notification(names[owner][expires], GRITE_NOTIFICATION_LOCK_CHANGED);
            n->v.LockChanged.resource = GRITE_STR("refs/grite/wal");
            n->v.LockChanged.owner.present = owner != 0;
            n->v.LockChanged.owner.value = GRITE_STR(ACTOR);
            n->v.LockChanged.expires_ts.present = expires != 0;
            n->v.LockChanged.expires_ts.value = UINT64_MAX;
        }

    n = add_notification("SnapshotCreated", GRITE_NOTIFICATION_SNAPSHOT_CREATED);
    n->v.SnapshotCreated.snapshot_id = GRITE_STR("snap-1");
    n->v.SnapshotCreated.event_count = UINT64_MAX;
    for (unsigned i = 0; i < 32; i++)
        n->v.SnapshotCreated.content_hash[i] = (uint8_t)(i * 8 + 7);
    n->v.SnapshotCreated.ts = 1700000000000;

    add_notification("SnapshotCreated/zero", GRITE_NOTIFICATION_SNAPSHOT_CREATED);

    n = add_notification("WorkerStarted", GRITE_NOTIFICATION_WORKER_STARTED);
    n->v.WorkerStarted.repo_root = GRITE_STR("/home/alice/src/project");
    n->v.WorkerStarted.actor_id = GRITE_STR(ACTOR);
    n->v.WorkerStarted.pid = UINT32_MAX;
    n->v.WorkerStarted.ts = 1;

    n = add_notification("WorkerStopped", GRITE_NOTIFICATION_WORKER_STOPPED);
    n->v.WorkerStopped.repo_root = empty;
    n->v.WorkerStopped.actor_id = GRITE_STR(ACTOR);
    n->v.WorkerStopped.reason = unicode;
    n->v.WorkerStopped.ts = UINT64_MAX;
}

/* ---- the benchmark workload ---------------------------------------- */

static grite_IpcRequest_in bench_req;
static grite_IpcReply_in bench_resp;
static grite_IssueSummary_in bench_issues[20];
static char bench_ids[20][33];
static char bench_titles[20][48];
static char bench_body[201];
static const grite_str bench_labels[] = { LIT("bug"), LIT("daemon"), LIT("p1") };
static const grite_str even_labels[] = { LIT("bug"), LIT("p2") };
static const grite_str odd_labels[] = { LIT("feature") };

static void init_bench(void)
{
    static const char sentence[] = "When the laptop resumes from suspend the daemon heartbeat "
                                   "is late and a second daemon starts. ";
    for (size_t i = 0; i < 200; i++)
        bench_body[i] = sentence[i % (sizeof sentence - 1)];
    request_envelope(&bench_req);
    bench_req.command.tag = GRITE_IPC_COMMAND_ISSUE_CREATE;
    bench_req.command.v.IssueCreate.title = GRITE_STR("Daemon loses lock after suspend");
    bench_req.command.v.IssueCreate.body.ptr = bench_body;
    bench_req.command.v.IssueCreate.body.len = 200;
    bench_req.command.v.IssueCreate.labels.items = bench_labels;
    bench_req.command.v.IssueCreate.labels.len = 3;

    for (int i = 0; i < 20; i++) {
        snprintf(bench_ids[i], sizeof bench_ids[i], "%032x", i + 1);
        snprintf(bench_titles[i], sizeof bench_titles[i], "Issue number %d about the daemon", i);
        grite_IssueSummary_in *s = &bench_issues[i];
        s->issue_id = grite_str_from_cstr(bench_ids[i]);
        s->title = grite_str_from_cstr(bench_titles[i]);
        s->state = i % 3 == 0 ? GRITE_ISSUE_STATE_CLOSED : GRITE_ISSUE_STATE_OPEN;
        s->labels.items = i % 2 == 0 ? even_labels : odd_labels;
        s->labels.len = i % 2 == 0 ? 2 : 1;
        s->updated_ts = 1700000000000u + (uint64_t)i * 1000u;
    }
    reply_envelope(&bench_resp);
    bench_resp.response.tag = GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT;
    bench_resp.response.v.IssueListResult.issues.items = bench_issues;
    bench_resp.response.v.IssueListResult.issues.len = 20;
    bench_resp.response.v.IssueListResult.total = 20;
}

static void init_once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    init_strings();
    init_requests();
    init_replies();
    init_notifications();
    init_bench();
}

const request_sample *samples_requests(size_t *n)
{
    init_once();
    *n = n_requests;
    return requests;
}

const reply_sample *samples_replies(size_t *n)
{
    init_once();
    *n = n_replies;
    return replies;
}

const notification_sample *samples_notifications(size_t *n)
{
    init_once();
    *n = n_notifications;
    return notifications;
}

const grite_IpcRequest_in *sample_bench_req(void)
{
    init_once();
    return &bench_req;
}

const grite_IpcReply_in *sample_bench_resp(void)
{
    init_once();
    return &bench_resp;
}
