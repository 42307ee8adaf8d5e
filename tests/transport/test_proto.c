/* test_proto.c - every IpcCommand of idl/grite.idl through a real server
 * and client, with the generated validators, builders and accessors.
 *
 * The server's handler is the pattern docs/TRANSPORT.md recommends: a
 * plain switch over grite_IpcCommand_kind with no default, so -Wswitch
 * (in -Wall -Werror) fails the build if a command is left unhandled. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "clock.h"
#include "grite.h"
#include "grite/client.h"
#include "grite/frame.h"
#include "grite/server.h"
#include "grite/session.h"
#include "transport_test_util.h"

/* ---- the daemon side ---- */

static int send_reply(grite_buf *out, grite_str request_id, const grite_IpcResponse_in *resp)
{
    grite_IpcReply_in r = {.ipc_schema_version = 1, .request_id = request_id, .response = *resp};
    return grite_IpcReply_build(out, &r) == 0 ? GRITE_HANDLER_RESPOND : GRITE_HANDLER_DROP;
}

static grite_IpcResponse_in issue_list(const grite_IpcCommand_IssueList *c)
{
    static grite_IssueSummary_in items[8];
    static const grite_str labels[] = {GRITE_STR("bug"), GRITE_STR("p2")};
    const grite_IssueFilter *f = grite_IpcCommand_IssueList_filter(c);
    uint32_t n = grite_IssueFilter_has_limit(f) ? grite_IssueFilter_limit(f) : 3;
    if (n > 8) n = 8;
    for (uint32_t i = 0; i < n; i++) {
        items[i] = (grite_IssueSummary_in){
            .issue_id = GRITE_STR("0000000000000000000000000000000a"),
            .title = GRITE_STR("Issue number 0 about the daemon"),
            .state = grite_IssueFilter_has_state(f) ? grite_IssueFilter_state(f) : GRITE_ISSUE_STATE_OPEN,
            .labels = {labels, i % 2 ? 1 : 2},
            .updated_ts = 1700000000000u + i * 1000u,
        };
    }
    return (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT,
                                  .v.IssueListResult = {.issues = {items, n}, .total = 20}};
}

static grite_IpcResponse_in issue_show(const grite_IpcCommand_IssueShow *c)
{
    static const grite_Comment_in comments[] = {
        {GRITE_STR("c1"), GRITE_STR("alice"), GRITE_STR("first"), 1},
        {GRITE_STR("c2"), GRITE_STR("bob"), GRITE_STR("second"), 2},
    };
    static const grite_str labels[] = {GRITE_STR("bug")};
    grite_Issue_in issue = {
        .issue_id = grite_IpcCommand_IssueShow_issue_id(c),
        .title = GRITE_STR("Daemon loses lock after suspend"),
        .body = GRITE_STR("When the laptop resumes..."),
        .state = GRITE_ISSUE_STATE_OPEN,
        .author = GRITE_STR("alice"),
        .labels = {labels, 1},
        .comments = {comments, 2},
        .created_ts = 10,
        .updated_ts = 20,
    };
    return (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT, .v.IssueShowResult = {issue}};
}

static grite_IpcResponse_in state_result(grite_str issue_id, grite_IssueState state)
{
    return (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT,
                                  .v.IssueStateResult = {issue_id, state, 30}};
}

static grite_IpcResponse_in lock_result(grite_str resource, grite_str owner, bool held, uint64_t expires)
{
    return (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_LOCK_RESULT,
                                  .v.LockResult = {resource, owner, held, expires}};
}

static grite_IpcResponse_in doctor(void)
{
    static const grite_DoctorCheck_in checks[] = {
        {GRITE_STR("socket_permissions"), GRITE_CHECK_STATUS_OK, GRITE_STR("0600")},
        {GRITE_STR("store"), GRITE_CHECK_STATUS_WARN, GRITE_STR("snapshot is old")},
    };
    return (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_DOCTOR_RESULT, .v.DoctorResult = {{checks, 2}}};
}

static grite_IpcResponse_in daemon_status(grite_server *s)
{
    grite_server_stats st;
    grite_server_get_stats(s, &st);
    return (grite_IpcResponse_in){
        .tag = GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT,
        .v.DaemonStatusResult = {.pid = (uint32_t)getpid(), .requests_served = st.requests,
                                 .connected_clients = (uint32_t)st.connections,
                                 .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
                                 .socket_path = GRITE_STR("test.sock"), .data_dir = GRITE_STR(".git/grite")}};
}

/* What each command answers. No default: -Wswitch reports a command the
 * daemon forgets. */
static grite_IpcResponse_in dispatch(const grite_request *rq, const grite_IpcRequest *req)
{
    const grite_IpcCommand *cmd = grite_IpcRequest_command(req);
    grite_IpcResponse_in r;
    switch (grite_IpcCommand_tag(cmd)) {
    case GRITE_IPC_COMMAND_ISSUE_LIST:
        return issue_list(grite_IpcCommand_as_IssueList(cmd));
    case GRITE_IPC_COMMAND_ISSUE_CREATE: {
        const grite_IpcCommand_IssueCreate *c = grite_IpcCommand_as_IssueCreate(cmd);
        uint64_t ts = grite_IpcCommand_IssueCreate_labels(c).len * 1000u + grite_IpcCommand_IssueCreate_body(c).len;
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT,
                                   .v.IssueCreateResult = {grite_IpcCommand_IssueCreate_title(c), ts}};
        return r;
    }
    case GRITE_IPC_COMMAND_ISSUE_SHOW:
        return issue_show(grite_IpcCommand_as_IssueShow(cmd));
    case GRITE_IPC_COMMAND_ISSUE_UPDATE: {
        const grite_IpcCommand_IssueUpdate *c = grite_IpcCommand_as_IssueUpdate(cmd);
        uint64_t which = (uint64_t)grite_IpcCommand_IssueUpdate_has_title(c) +
                         2u * grite_IpcCommand_IssueUpdate_has_body(c);
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT,
                                   .v.IssueUpdateResult = {grite_IpcCommand_IssueUpdate_issue_id(c), which}};
        return r;
    }
    case GRITE_IPC_COMMAND_ISSUE_CLOSE:
        return state_result(grite_IpcCommand_IssueClose_issue_id(grite_IpcCommand_as_IssueClose(cmd)),
                            GRITE_ISSUE_STATE_CLOSED);
    case GRITE_IPC_COMMAND_ISSUE_REOPEN:
        return state_result(grite_IpcCommand_IssueReopen_issue_id(grite_IpcCommand_as_IssueReopen(cmd)),
                            GRITE_ISSUE_STATE_OPEN);
    case GRITE_IPC_COMMAND_ISSUE_COMMENT: {
        const grite_IpcCommand_IssueComment *c = grite_IpcCommand_as_IssueComment(cmd);
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_COMMENT_RESULT,
                                   .v.CommentResult = {grite_IpcCommand_IssueComment_issue_id(c),
                                                       grite_IpcCommand_IssueComment_body(c), 40}};
        return r;
    }
    case GRITE_IPC_COMMAND_SYNC_PULL:
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_SYNC_RESULT,
                                   .v.SyncResult = {grite_IpcCommand_SyncPull_remote(grite_IpcCommand_as_SyncPull(cmd)),
                                                    5, 0, 2}};
        return r;
    case GRITE_IPC_COMMAND_SYNC_PUSH:
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_SYNC_RESULT,
                                   .v.SyncResult = {grite_IpcCommand_SyncPush_remote(grite_IpcCommand_as_SyncPush(cmd)),
                                                    0, 7, 0}};
        return r;
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE: {
        const grite_IpcCommand_LockAcquire *c = grite_IpcCommand_as_LockAcquire(cmd);
        return lock_result(grite_IpcCommand_LockAcquire_resource(c), grite_IpcRequest_actor_id(req), true,
                           grite_IpcCommand_LockAcquire_ttl_ms(c));
    }
    case GRITE_IPC_COMMAND_LOCK_RELEASE:
        return lock_result(grite_IpcCommand_LockRelease_resource(grite_IpcCommand_as_LockRelease(cmd)),
                           GRITE_STR(""), false, 0);
    case GRITE_IPC_COMMAND_DOCTOR:
        return doctor();
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
        return daemon_status(rq->server);
    case GRITE_IPC_COMMAND_DAEMON_STOP:
        grite_server_stop(rq->server);   /* this reply is still sent */
        r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT,
                                   .v.DaemonStopResult = {(uint32_t)getpid()}};
        return r;
    }
    r = (grite_IpcResponse_in){.tag = GRITE_IPC_RESPONSE_ERROR,
                               .v.Error = {.code = GRITE_ERROR_CODE_INVALID_ARGS, .message = GRITE_STR("unknown command")}};
    return r;
}

static int daemon_handle(void *user, const grite_request *rq, grite_buf *out)
{
    (void)user;
    const grite_IpcRequest *req = grite_IpcRequest_root(rq->data);
    grite_IpcResponse_in resp = dispatch(rq, req);
    return send_reply(out, grite_IpcRequest_request_id(req), &resp);
}

/* An invalid request gets an Error reply naming what was wrong. */
static int daemon_bad_request(void *user, const grite_server_bad_request *bad, grite_buf *out)
{
    (void)user;
    static char text[GRITE_VERROR_PATH_MAX + 100];
    if (bad->verror) grite_verror_format(bad->verror, text, sizeof text);
    else snprintf(text, sizeof text, "%s", grite_err_text((int)bad->reason));
    grite_IpcResponse_in r = {.tag = GRITE_IPC_RESPONSE_ERROR,
                              .v.Error = {.code = GRITE_ERROR_CODE_IPC_ERROR, .message = grite_str_from_cstr(text)}};
    return send_reply(out, GRITE_STR(""), &r);
}

/* A daemon for the grite schema, in a forked process, listening on a socket
 * in a fresh directory; path receives the socket's path. */
static pid_t start_daemon(char *path, size_t n)
{
    char dir[256];
    test_socket_path(dir, sizeof dir, path, n);
    int ready[2];
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGTERM, SIG_DFL);
        grite_server_options o = {.schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
                                  .validate_request = grite_IpcRequest_validate,
                                  .handler = daemon_handle,
                                  .on_bad_request = daemon_bad_request};
        grite_server *s;
        int rc = grite_server_open(&s, path, &o, NULL);
        if (write(ready[1], &rc, sizeof rc) != (ssize_t)sizeof rc || rc != 0) _exit(10);
        rc = grite_server_run(s, NULL);
        grite_server_close(s);
        _exit(rc ? 20 : 0);
    }
    int rc = -1;
    close(ready[1]);
    ck_assert_int_eq(read(ready[0], &rc, sizeof rc), (ssize_t)sizeof rc);
    close(ready[0]);
    ck_assert_int_eq(rc, 0);
    return pid;
}

/* ---- the client side ---- */

static grite_client *daemon_client(const char *path)
{
    grite_client_options o = {.schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
                              .validate_response = grite_IpcReply_validate,
                              .timeout_ms = test_scaled_ms(5000)};
    grite_client *c = grite_client_new(path, &o);
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(grite_client_connect(c) == 0, "%s", grite_client_strerror(c));
    return c;
}

static const char *const REQUEST_ID = "6f1c2a9e-3b7d-4c55-9e21-0d8f4a7b1c33";

/* Send one command; return the reply's response, checked for the echoed
 * request id and the expected variant. */
static const grite_IpcResponse *roundtrip(grite_client *c, grite_buf *b, grite_IpcCommand_in cmd,
                                          grite_IpcResponse_kind expect)
{
    grite_IpcRequest_in in = {
        .ipc_schema_version = 1,
        .request_id = grite_str_from_cstr(REQUEST_ID),
        .repo_root = GRITE_STR("/home/alice/src/project"),
        .actor_id = GRITE_STR("a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        .data_dir = GRITE_STR(".git/grite/actors/a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        .command = cmd,
    };
    ck_assert_int_eq(grite_IpcRequest_build(b, &in), 0);
    const void *resp;
    size_t len;
    ck_assert_msg(grite_client_call(c, b, &resp, &len) == 0, "%s: %s",
                  grite_IpcCommand_kind_name(cmd.tag), grite_client_strerror(c));
    const grite_IpcReply *reply = grite_IpcReply_root(resp);
    ck_assert(grite_str_eq(grite_IpcReply_request_id(reply), grite_str_from_cstr(REQUEST_ID)));
    const grite_IpcResponse *r = grite_IpcReply_response(reply);
    ck_assert_msg(grite_IpcResponse_tag(r) == expect, "%s answered %s", grite_IpcCommand_kind_name(cmd.tag),
                  grite_IpcResponse_kind_name(grite_IpcResponse_tag(r)));
    return r;
}

#define STR_EQ(view, lit) ck_assert(grite_str_eq((view), GRITE_STR(lit)))

static void check_issue_commands(grite_client *c, grite_buf *b)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST,
                               .v.IssueList.filter = {.state = {true, GRITE_ISSUE_STATE_CLOSED}, .limit = {true, 5}}};
    const grite_IpcResponse *r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    const grite_IpcResponse_IssueListResult *list = grite_IpcResponse_as_IssueListResult(r);
    grite_vec_IssueSummary issues = grite_IpcResponse_IssueListResult_issues(list);
    ck_assert_uint_eq(issues.len, 5);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(list), 20);
    ck_assert_int_eq(grite_IssueSummary_state(grite_vec_IssueSummary_at(issues, 4)), GRITE_ISSUE_STATE_CLOSED);
    ck_assert_uint_eq(grite_IssueSummary_labels(grite_vec_IssueSummary_at(issues, 0)).len, 2);

    static const grite_str labels[] = {GRITE_STR("bug"), GRITE_STR("daemon"), GRITE_STR("p1")};
    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                                .v.IssueCreate = {GRITE_STR("Daemon loses lock"), GRITE_STR("twelve bytes"), {labels, 3}}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    STR_EQ(grite_IpcResponse_IssueCreateResult_issue_id(grite_IpcResponse_as_IssueCreateResult(r)), "Daemon loses lock");
    ck_assert_uint_eq(grite_IpcResponse_IssueCreateResult_created_ts(grite_IpcResponse_as_IssueCreateResult(r)), 3012);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow = {GRITE_STR("abc123")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    const grite_Issue *issue = grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
    STR_EQ(grite_Issue_issue_id(issue), "abc123");
    ck_assert_uint_eq(grite_Issue_comments(issue).len, 2);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_UPDATE,
                                .v.IssueUpdate = {GRITE_STR("abc123"), {false, {0}}, {true, GRITE_STR("new body")}}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_IssueUpdateResult_updated_ts(grite_IpcResponse_as_IssueUpdateResult(r)), 2);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_CLOSE, .v.IssueClose = {GRITE_STR("abc123")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    ck_assert_int_eq(grite_IpcResponse_IssueStateResult_state(grite_IpcResponse_as_IssueStateResult(r)),
                     GRITE_ISSUE_STATE_CLOSED);
    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_REOPEN, .v.IssueReopen = {GRITE_STR("abc123")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    ck_assert_int_eq(grite_IpcResponse_IssueStateResult_state(grite_IpcResponse_as_IssueStateResult(r)),
                     GRITE_ISSUE_STATE_OPEN);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                                .v.IssueComment = {GRITE_STR("abc123"), GRITE_STR("looks like a race")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_COMMENT_RESULT);
    STR_EQ(grite_IpcResponse_CommentResult_comment_id(grite_IpcResponse_as_CommentResult(r)), "looks like a race");
}

static void check_sync_lock_and_daemon_commands(grite_client *c, grite_buf *b)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_SYNC_PULL, .v.SyncPull = {GRITE_STR("origin")}};
    const grite_IpcResponse *r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_SYNC_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pulled(grite_IpcResponse_as_SyncResult(r)), 5);
    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_SYNC_PUSH, .v.SyncPush = {GRITE_STR("backup")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_SYNC_RESULT);
    STR_EQ(grite_IpcResponse_SyncResult_remote(grite_IpcResponse_as_SyncResult(r)), "backup");
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pushed(grite_IpcResponse_as_SyncResult(r)), 7);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE, .v.LockAcquire = {GRITE_STR("db"), 30000}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_LOCK_RESULT);
    const grite_IpcResponse_LockResult *lock = grite_IpcResponse_as_LockResult(r);
    ck_assert(grite_IpcResponse_LockResult_held(lock));
    STR_EQ(grite_IpcResponse_LockResult_owner(lock), "a1b2c3d4e5f60718293a4b5c6d7e8f90");
    ck_assert_uint_eq(grite_IpcResponse_LockResult_expires_ts(lock), 30000);
    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_LOCK_RELEASE, .v.LockRelease = {GRITE_STR("db")}};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_LOCK_RESULT);
    ck_assert(!grite_IpcResponse_LockResult_held(grite_IpcResponse_as_LockResult(r)));

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_DOCTOR};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_DoctorResult_checks(grite_IpcResponse_as_DoctorResult(r)).len, 2);

    cmd = (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    r = roundtrip(c, b, cmd, GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    const grite_IpcResponse_DaemonStatusResult *st = grite_IpcResponse_as_DaemonStatusResult(r);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_schema_fingerprint(st), GRITE_SCHEMA_FINGERPRINT);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_requests_served(st), 13);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_connected_clients(st), 1);
}

START_TEST(every_command_round_trips)
{
    char path[300];
    pid_t srv = start_daemon(path, sizeof path);
    grite_client *c = daemon_client(path);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    check_issue_commands(c, &b);
    check_sync_lock_and_daemon_commands(c, &b);

    grite_IpcCommand_in stop = {.tag = GRITE_IPC_COMMAND_DAEMON_STOP};
    const grite_IpcResponse *r = roundtrip(c, &b, stop, GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStopResult_pid(grite_IpcResponse_as_DaemonStopResult(r)), (uint32_t)srv);
    int st = wait_exit(srv, 3000);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    ck_assert_int_ne(access(path, F_OK), 0);
    grite_client_free(c);
    grite_buf_free(&b);
}
END_TEST

/* A request the validator rejects (invalid UTF-8 in a string) gets the
 * daemon's Error reply naming the field; the connection carries on. */
START_TEST(invalid_request_gets_error_reply)
{
    char path[300];
    pid_t srv = start_daemon(path, sizeof path);
    grite_client *c = daemon_client(path);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    grite_IpcRequest_in in = {.request_id = GRITE_STR("r1"), .repo_root = GRITE_STR("/r"),
                              .actor_id = GRITE_STR("a"), .data_dir = GRITE_STR("d"),
                              .command = {.tag = GRITE_IPC_COMMAND_SYNC_PULL, .v.SyncPull = {GRITE_STR("orig!n")}}};
    ck_assert_int_eq(grite_IpcRequest_build(&b, &in), 0);
    uint8_t *bang = memchr(b.data, '!', b.len);
    ck_assert_ptr_nonnull(bang);
    *bang = 0xFF;   /* not UTF-8 */
    const void *resp;
    size_t len;
    ck_assert_msg(grite_client_call(c, &b, &resp, &len) == 0, "%s", grite_client_strerror(c));
    const grite_IpcResponse *r = grite_IpcReply_response(grite_IpcReply_root(resp));
    ck_assert_int_eq(grite_IpcResponse_tag(r), GRITE_IPC_RESPONSE_ERROR);
    const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(r);
    ck_assert_int_eq(grite_IpcResponse_Error_code(e), GRITE_ERROR_CODE_IPC_ERROR);
    grite_str msg = grite_IpcResponse_Error_message(e);
    ck_assert_msg(strstr(msg.ptr, "SyncPull.remote") && strstr(msg.ptr, "UTF-8"), "message: %s", msg.ptr);

    grite_IpcCommand_in doc = {.tag = GRITE_IPC_COMMAND_DOCTOR};
    roundtrip(c, &b, doc, GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    grite_client_free(c);
    grite_buf_free(&b);
    test_server_stop(srv);
}
END_TEST

/* A client from another schema version: the error names both fingerprints. */
START_TEST(other_schema_is_detected_before_any_command)
{
    char path[300];
    pid_t srv = start_daemon(path, sizeof path);
    grite_client_options o = {.schema_fingerprint = GRITE_SCHEMA_FINGERPRINT ^ 1,
                              .validate_response = grite_IpcReply_validate};
    grite_client *c = grite_client_new(path, &o);
    ck_assert_int_eq(grite_client_connect(c), 0);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    grite_IpcRequest_in in = {.command = {.tag = GRITE_IPC_COMMAND_DAEMON_STOP}};
    ck_assert_int_eq(grite_IpcRequest_build(&b, &in), 0);
    const void *resp;
    size_t len;
    ck_assert_int_eq(grite_client_call(c, &b, &resp, &len), GRITE_ERR_SCHEMA_MISMATCH);
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)GRITE_SCHEMA_FINGERPRINT);
    ck_assert_ptr_nonnull(strstr(grite_client_strerror(c), want));
    /* DaemonStop was not interpreted: the daemon still answers. */
    grite_client *good = daemon_client(path);
    grite_IpcCommand_in doc = {.tag = GRITE_IPC_COMMAND_DOCTOR};
    roundtrip(good, &b, doc, GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    grite_client_free(good);
    grite_client_free(c);
    grite_buf_free(&b);
    test_server_stop(srv);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {every_command_round_trips, invalid_request_gets_error_reply,
                            other_schema_is_detected_before_any_command, NULL};
    return test_run_case("transport_proto", "grite_schema", 20, tests);
}
