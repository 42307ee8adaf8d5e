/* test_commands.c - every IpcCommand against the real grite-daemon, its
 * replies and its error cases: issues, leases, sync, Doctor, status, and
 * what every request must satisfy (version, data dir, actor). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "clock.h"
#include "daemon_test_util.h"

/* One daemon per test (`served`), on <test dir>/data, and a client as ACTOR_A. */
static struct daemon_proc served;
static struct test_client client;

static void start_default(void)
{
    daemon_test_setup();
    daemon_start(&served, test_path("data"), test_path("d.sock"), NULL);
    client_open(&client, &served, ACTOR_A);
}

/* A clean exit after every test: under -DGRITE_SANITIZE=ON this is where
 * a leak or a bad access in any handler the test ran would show. */
static void stop_default(void)
{
    client_close(&client);
    daemon_stop_clean(&served);
    daemon_test_teardown();
}

static const grite_IpcReply *run(const grite_IpcCommand_in *cmd)
{
    return client_call(&client, cmd);
}

static const grite_IpcReply *show(struct test_client *c, const char *id)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow.issue_id = grite_str_from_cstr(id)};
    return client_call(c, &cmd);
}

static const grite_Issue *show_ok(struct test_client *c, const char *id)
{
    const grite_IpcResponse *r = expect_kind(show(c, id), GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    return grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
}

static const grite_IpcResponse_IssueListResult *list(grite_IssueFilter_in filter)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST, .v.IssueList.filter = filter};
    return grite_IpcResponse_as_IssueListResult(expect_kind(run(&cmd), GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT));
}

/* ---- issues ---------------------------------------------------------------------- */

START_TEST(issue_create_show_update_close_reopen_comment)
{
    grite_str labels[] = {GRITE_STR("bug"), GRITE_STR("p1")};
    grite_IpcCommand_in create = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                                  .v.IssueCreate = {.title = GRITE_STR("Crash on start"),
                                                    .body = GRITE_STR("It crashes."),
                                                    .labels = {labels, 2}}};
    const grite_IpcResponse *r = expect_kind(run(&create), GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    const grite_IpcResponse_IssueCreateResult *cr = grite_IpcResponse_as_IssueCreateResult(r);
    char id[33];
    copy_id(grite_IpcResponse_IssueCreateResult_issue_id(cr), id);
    ck_assert_uint_gt(grite_IpcResponse_IssueCreateResult_created_ts(cr), 1600000000000u);

    grite_IpcCommand_in update = {.tag = GRITE_IPC_COMMAND_ISSUE_UPDATE,
                                  .v.IssueUpdate = {.issue_id = grite_str_from_cstr(id),
                                                    .title = {true, GRITE_STR("Crash on startup")}}};
    r = expect_kind(run(&update), GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT);
    ck_assert_str_eq(grite_IpcResponse_IssueUpdateResult_issue_id(grite_IpcResponse_as_IssueUpdateResult(r)).ptr, id);

    grite_IpcCommand_in close_cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CLOSE,
                                     .v.IssueClose.issue_id = grite_str_from_cstr(id)};
    r = expect_kind(run(&close_cmd), GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    ck_assert_int_eq(grite_IpcResponse_IssueStateResult_state(grite_IpcResponse_as_IssueStateResult(r)),
                     GRITE_ISSUE_STATE_CLOSED);
    ck_assert_int_eq(grite_Issue_state(show_ok(&client, id)), GRITE_ISSUE_STATE_CLOSED);

    grite_IpcCommand_in reopen = {.tag = GRITE_IPC_COMMAND_ISSUE_REOPEN,
                                  .v.IssueReopen.issue_id = grite_str_from_cstr(id)};
    r = expect_kind(run(&reopen), GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    ck_assert_int_eq(grite_IpcResponse_IssueStateResult_state(grite_IpcResponse_as_IssueStateResult(r)),
                     GRITE_ISSUE_STATE_OPEN);

    grite_IpcCommand_in comment = {.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                                   .v.IssueComment = {.issue_id = grite_str_from_cstr(id),
                                                      .body = GRITE_STR("Seen on 1.2 too.")}};
    r = expect_kind(run(&comment), GRITE_IPC_RESPONSE_COMMENT_RESULT);
    char comment_id[33];
    copy_id(grite_IpcResponse_CommentResult_comment_id(grite_IpcResponse_as_CommentResult(r)), comment_id);

    const grite_Issue *is = show_ok(&client, id);
    ck_assert_str_eq(grite_Issue_issue_id(is).ptr, id);
    ck_assert_str_eq(grite_Issue_title(is).ptr, "Crash on startup");
    ck_assert_str_eq(grite_Issue_body(is).ptr, "It crashes.");
    ck_assert_int_eq(grite_Issue_state(is), GRITE_ISSUE_STATE_OPEN);
    ck_assert_str_eq(grite_Issue_author(is).ptr, ACTOR_A);
    grite_vec_str ls = grite_Issue_labels(is);
    ck_assert_uint_eq(ls.len, 2);
    ck_assert_str_eq(grite_vec_str_at(ls, 0).ptr, "bug");
    ck_assert_str_eq(grite_vec_str_at(ls, 1).ptr, "p1");
    grite_vec_Comment cs = grite_Issue_comments(is);
    ck_assert_uint_eq(cs.len, 1);
    ck_assert_str_eq(grite_Comment_body(grite_vec_Comment_at(cs, 0)).ptr, "Seen on 1.2 too.");
    ck_assert_str_eq(grite_Comment_comment_id(grite_vec_Comment_at(cs, 0)).ptr, comment_id);
    ck_assert_str_eq(grite_Comment_author(grite_vec_Comment_at(cs, 0)).ptr, ACTOR_A);
    ck_assert_uint_ge(grite_Issue_updated_ts(is), grite_Issue_created_ts(is));
}
END_TEST

START_TEST(writes_are_authored_by_the_requesting_actor)
{
    struct test_client b;
    client_open(&b, &served, ACTOR_B);
    char id[33];
    create_issue(&b, "by b", "", id);
    add_comment(&client, id, "a comments");
    const grite_Issue *is = show_ok(&client, id);
    ck_assert_str_eq(grite_Issue_author(is).ptr, ACTOR_B);
    ck_assert_str_eq(grite_Comment_author(grite_vec_Comment_at(grite_Issue_comments(is), 0)).ptr, ACTOR_A);
    client_close(&b);
}
END_TEST

START_TEST(issue_list_filters_pages_and_defaults_to_50)
{
    char ids[60][33];
    for (int i = 0; i < 60; i++) {
        char title[32];
        snprintf(title, sizeof title, "issue %d", i);
        create_issue(&client, title, "", ids[i]);
    }
    grite_IpcCommand_in close_cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CLOSE,
                                     .v.IssueClose.issue_id = grite_str_from_cstr(ids[3])};
    expect_kind(run(&close_cmd), GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);

    const grite_IpcResponse_IssueListResult *all = list((grite_IssueFilter_in){0});
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(all), 60);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_issues(all).len, 50);   /* the default limit */

    grite_IssueFilter_in closed = {.state = {true, GRITE_ISSUE_STATE_CLOSED}};
    const grite_IpcResponse_IssueListResult *c = list(closed);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(c), 1);
    const grite_IssueSummary *s = grite_vec_IssueSummary_at(grite_IpcResponse_IssueListResult_issues(c), 0);
    ck_assert_str_eq(grite_IssueSummary_issue_id(s).ptr, ids[3]);
    ck_assert_int_eq(grite_IssueSummary_state(s), GRITE_ISSUE_STATE_CLOSED);

    grite_IssueFilter_in page = {.limit = {true, 7}, .offset = {true, 55}};
    const grite_IpcResponse_IssueListResult *p = list(page);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(p), 60);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_issues(p).len, 5);

    grite_IssueFilter_in too_big = {.limit = {true, 5000}};
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST, .v.IssueList.filter = too_big};
    expect_error(run(&cmd), GRITE_ERROR_CODE_INVALID_ARGS, "limit");
}
END_TEST

START_TEST(issue_list_by_label)
{
    grite_str bug[] = {GRITE_STR("bug")};
    grite_IpcCommand_in create = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                                  .v.IssueCreate = {.title = GRITE_STR("labelled"), .labels = {bug, 1}}};
    expect_kind(run(&create), GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    char other[33];
    create_issue(&client, "plain", "", other);
    grite_IssueFilter_in f = {.label = {true, GRITE_STR("bug")}};
    const grite_IpcResponse_IssueListResult *r = list(f);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(r), 1);
    const grite_IssueSummary *s = grite_vec_IssueSummary_at(grite_IpcResponse_IssueListResult_issues(r), 0);
    ck_assert_str_eq(grite_IssueSummary_title(s).ptr, "labelled");
    ck_assert_str_eq(grite_vec_str_at(grite_IssueSummary_labels(s), 0).ptr, "bug");
}
END_TEST

START_TEST(issue_errors)
{
    /* not found, malformed id */
    expect_error(show(&client, "0123456789abcdef0123456789abcdef"), GRITE_ERROR_CODE_NOT_FOUND, NULL);
    expect_error(show(&client, "nope"), GRITE_ERROR_CODE_INVALID_ARGS, NULL);
    /* blank title */
    grite_IpcCommand_in blank = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE, .v.IssueCreate.title = GRITE_STR("   ")};
    expect_error(run(&blank), GRITE_ERROR_CODE_INVALID_ARGS, NULL);
    /* a NUL byte would cut the title short if passed on as a C string */
    grite_str nul_title = {"ab\0cd", 5};
    grite_IpcCommand_in nul = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE, .v.IssueCreate.title = nul_title};
    expect_error(run(&nul), GRITE_ERROR_CODE_INVALID_ARGS, "NUL");
    /* an update that changes nothing */
    char id[33];
    create_issue(&client, "t", "", id);
    grite_IpcCommand_in empty_update = {.tag = GRITE_IPC_COMMAND_ISSUE_UPDATE,
                                        .v.IssueUpdate.issue_id = grite_str_from_cstr(id)};
    expect_error(run(&empty_update), GRITE_ERROR_CODE_INVALID_ARGS, NULL);
    /* comment on a missing issue, blank comment */
    grite_IpcCommand_in orphan = {.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                                  .v.IssueComment = {.issue_id = GRITE_STR("0123456789abcdef0123456789abcdef"),
                                                     .body = GRITE_STR("hi")}};
    expect_error(run(&orphan), GRITE_ERROR_CODE_NOT_FOUND, NULL);
    grite_IpcCommand_in blank_comment = {.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                                         .v.IssueComment = {.issue_id = grite_str_from_cstr(id), .body = GRITE_STR(" ")}};
    expect_error(run(&blank_comment), GRITE_ERROR_CODE_INVALID_ARGS, NULL);
    /* too many labels */
    grite_str many[65];
    for (int i = 0; i < 65; i++) many[i] = GRITE_STR("x");
    grite_IpcCommand_in labels = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                                  .v.IssueCreate = {.title = GRITE_STR("t"), .labels = {many, 65}}};
    expect_error(run(&labels), GRITE_ERROR_CODE_INVALID_ARGS, "labels");
    /* close of a missing issue */
    grite_IpcCommand_in close_missing = {.tag = GRITE_IPC_COMMAND_ISSUE_CLOSE,
                                         .v.IssueClose.issue_id = GRITE_STR("0123456789abcdef0123456789abcdef")};
    expect_error(run(&close_missing), GRITE_ERROR_CODE_NOT_FOUND, NULL);
}
END_TEST

/* ---- what every request must satisfy ------------------------------------------------ */

START_TEST(wrong_ipc_version_is_invalid_args)
{
    client.ipc_version = 2;
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    expect_error(run(&status), GRITE_ERROR_CODE_INVALID_ARGS, "ipc_schema_version 2");
}
END_TEST

START_TEST(other_data_dir_is_invalid_args)
{
    snprintf(client.data_dir, sizeof client.data_dir, "%s", test_path("elsewhere"));
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    const grite_IpcResponse_Error *e = expect_error(run(&status), GRITE_ERROR_CODE_INVALID_ARGS, "serves the data dir");
    ck_assert_ptr_nonnull(strstr(grite_IpcResponse_Error_message(e).ptr, "elsewhere"));
    /* a relative path is refused even where it names the same directory
     * from the daemon's working directory (its cwd is "/") */
    snprintf(client.data_dir, sizeof client.data_dir, "%.400s", served.data_dir + 1);
    expect_error(run(&status), GRITE_ERROR_CODE_INVALID_ARGS, "serves the data dir");
    /* another spelling of the same directory is fine */
    snprintf(client.data_dir, sizeof client.data_dir, "%.400s/", served.data_dir);
    expect_kind(run(&status), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
}
END_TEST

START_TEST(actor_is_checked_and_required_for_writes)
{
    snprintf(client.actor, sizeof client.actor, "NOT-HEX");
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    expect_error(run(&status), GRITE_ERROR_CODE_INVALID_ARGS, "actor_id");
    client.actor[0] = '\0';
    expect_kind(run(&status), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);   /* reads need no actor */
    grite_IpcCommand_in create = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE, .v.IssueCreate.title = GRITE_STR("t")};
    expect_error(run(&create), GRITE_ERROR_CODE_INVALID_ARGS, "actor_id is required");
    grite_IpcCommand_in lock = {.tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE,
                                .v.LockAcquire = {.resource = GRITE_STR("r"), .ttl_ms = 1000}};
    expect_error(run(&lock), GRITE_ERROR_CODE_INVALID_ARGS, "actor_id is required");
}
END_TEST

START_TEST(invalid_frame_gets_an_ipc_error_reply)
{
    /* A request whose command tag is undeclared fails validation: the
     * daemon answers ipc_error (with the validator's verdict) and keeps
     * the connection. */
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    grite_IpcRequest_in in = {.ipc_schema_version = 1, .request_id = GRITE_STR("x"),
                              .data_dir = grite_str_from_cstr(served.data_dir), .command = status};
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 256, 0), 0);
    ck_assert_int_eq(grite_IpcRequest_build(&b, &in), 0);
    const grite_IpcRequest *root = grite_IpcRequest_root(b.data);
    size_t tag_at = (size_t)((const uint8_t *)grite_IpcRequest_command(root) - b.data);
    b.data[tag_at] = 99;   /* the union's u32 tag, little-endian */
    const void *resp;
    size_t len;
    ck_assert_int_eq(grite_client_call(client.client, &b, &resp, &len), 0);
    const grite_IpcReply *reply = grite_IpcReply_root(resp);
    const grite_IpcResponse_Error *e = expect_error(reply, GRITE_ERROR_CODE_IPC_ERROR, "could not read the request");
    ck_assert(grite_IpcResponse_Error_has_details(e));
    grite_buf_free(&b);
    expect_kind(run(&status), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
}
END_TEST

/* ---- leases ---------------------------------------------------------------------------- */

static const grite_IpcReply *acquire(struct test_client *c, const char *resource, uint64_t ttl_ms)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE,
                               .v.LockAcquire = {.resource = grite_str_from_cstr(resource), .ttl_ms = ttl_ms}};
    return client_call(c, &cmd);
}

static const grite_IpcReply *release(struct test_client *c, const char *resource)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_LOCK_RELEASE,
                               .v.LockRelease.resource = grite_str_from_cstr(resource)};
    return client_call(c, &cmd);
}

static const grite_IpcResponse_LockResult *lock_result(const grite_IpcReply *reply)
{
    return grite_IpcResponse_as_LockResult(expect_kind(reply, GRITE_IPC_RESPONSE_LOCK_RESULT));
}

START_TEST(lease_acquire_renew_release)
{
    const grite_IpcResponse_LockResult *l = lock_result(acquire(&client, "issue/42", 60000));
    ck_assert_str_eq(grite_IpcResponse_LockResult_resource(l).ptr, "issue/42");
    ck_assert_str_eq(grite_IpcResponse_LockResult_owner(l).ptr, ACTOR_A);
    ck_assert(grite_IpcResponse_LockResult_held(l));
    uint64_t first = grite_IpcResponse_LockResult_expires_ts(l);
    usleep(20000);
    l = lock_result(acquire(&client, "issue/42", 60000));   /* the owner renews */
    ck_assert_uint_gt(grite_IpcResponse_LockResult_expires_ts(l), first);
    l = lock_result(release(&client, "issue/42"));
    ck_assert(!grite_IpcResponse_LockResult_held(l));
    ck_assert_str_eq(grite_IpcResponse_LockResult_owner(l).ptr, "");
    expect_error(release(&client, "issue/42"), GRITE_ERROR_CODE_NOT_FOUND, "not held");
}
END_TEST

/* b is refused while a's lease runs: a long one, which no slow machine
 * outlasts. Then a renews it for 600 ms (a renewal ends ttl from now, so
 * it shortens the lease), and once that has run out, b takes over. */
START_TEST(lease_conflict_expiry_and_takeover)
{
    struct test_client b;
    client_open(&b, &served, ACTOR_B);
    uint64_t first = grite_IpcResponse_LockResult_expires_ts(lock_result(acquire(&client, "deploy", 60000)));
    const grite_IpcResponse_Error *e = expect_error(acquire(&b, "deploy", 1000), GRITE_ERROR_CODE_CONFLICT, ACTOR_A);
    ck_assert(grite_IpcResponse_Error_has_details(e));
    ck_assert_ptr_nonnull(strstr(grite_IpcResponse_Error_details(e).ptr, "owner=" ACTOR_A));
    expect_error(release(&b, "deploy"), GRITE_ERROR_CODE_CONFLICT, ACTOR_A);   /* not b's to release */
    ck_assert_uint_lt(grite_IpcResponse_LockResult_expires_ts(lock_result(acquire(&client, "deploy", 600))), first);
    usleep(700000);   /* a's lease runs out */
    const grite_IpcResponse_LockResult *l = lock_result(acquire(&b, "deploy", 1000));
    ck_assert_str_eq(grite_IpcResponse_LockResult_owner(l).ptr, ACTOR_B);
    expect_error(acquire(&client, "deploy", 1000), GRITE_ERROR_CODE_CONFLICT, ACTOR_B);
    expect_error(release(&client, "deploy"), GRITE_ERROR_CODE_CONFLICT, ACTOR_B);
    client_close(&b);
}
END_TEST

START_TEST(lease_argument_errors)
{
    expect_error(acquire(&client, "r", 0), GRITE_ERROR_CODE_INVALID_ARGS, "ttl_ms");
    expect_error(acquire(&client, "r", 86400001), GRITE_ERROR_CODE_INVALID_ARGS, "ttl_ms");
    expect_error(acquire(&client, "", 1000), GRITE_ERROR_CODE_INVALID_ARGS, "empty");
    expect_error(acquire(&client, "a\tb", 1000), GRITE_ERROR_CODE_INVALID_ARGS, "control");
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    expect_error(acquire(&client, long_name, 1000), GRITE_ERROR_CODE_INVALID_ARGS, "longer");
}
END_TEST

/* ---- sync ------------------------------------------------------------------------------ */

static const grite_IpcResponse_SyncResult *sync_ok(struct test_client *c, grite_IpcCommand_kind kind,
                                                   const char *remote)
{
    grite_IpcCommand_in cmd = {.tag = kind};
    if (kind == GRITE_IPC_COMMAND_SYNC_PUSH) cmd.v.SyncPush.remote = grite_str_from_cstr(remote);
    else cmd.v.SyncPull.remote = grite_str_from_cstr(remote);
    return grite_IpcResponse_as_SyncResult(expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_SYNC_RESULT));
}

START_TEST(sync_between_two_daemons)
{
    struct daemon_proc other;
    daemon_start(&other, test_path("data2"), test_path("d2.sock"), NULL);
    struct test_client b;
    client_open(&b, &other, ACTOR_B);

    char id[33];
    create_issue(&client, "shared bug", "body", id);
    add_comment(&client, id, "first");
    /* a pushes to a shared folder, b pulls from it */
    make_dir(test_path("shared"));
    const grite_IpcResponse_SyncResult *r = sync_ok(&client, GRITE_IPC_COMMAND_SYNC_PUSH, test_path("shared"));
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pushed(r), 1);
    r = sync_ok(&b, GRITE_IPC_COMMAND_SYNC_PULL, test_path("shared"));
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pulled(r), 1);
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_comments_merged(r), 1);
    const grite_Issue *is = show_ok(&b, id);
    ck_assert_str_eq(grite_Issue_title(is).ptr, "shared bug");
    ck_assert_uint_eq(grite_Issue_comments(is).len, 1);

    /* b comments and pushes straight into a's data dir; a's daemon sees it */
    add_comment(&b, id, "second");
    r = sync_ok(&b, GRITE_IPC_COMMAND_SYNC_PUSH, served.data_dir);
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pushed(r), 1);
    ck_assert_uint_eq(grite_Issue_comments(show_ok(&client, id)).len, 2);
    /* a second pull changes nothing */
    r = sync_ok(&b, GRITE_IPC_COMMAND_SYNC_PULL, test_path("shared"));
    ck_assert_uint_eq(grite_IpcResponse_SyncResult_issues_pulled(r), 0);
    client_close(&b);
    daemon_stop_clean(&other);
}
END_TEST

START_TEST(sync_errors)
{
    grite_IpcCommand_in relative = {.tag = GRITE_IPC_COMMAND_SYNC_PULL, .v.SyncPull.remote = GRITE_STR("rel/dir")};
    expect_error(run(&relative), GRITE_ERROR_CODE_INVALID_ARGS, "absolute");
    grite_IpcCommand_in missing = {.tag = GRITE_IPC_COMMAND_SYNC_PULL,
                                   .v.SyncPull.remote = grite_str_from_cstr(test_path("missing"))};
    expect_error(run(&missing), GRITE_ERROR_CODE_NOT_FOUND, NULL);
    grite_IpcCommand_in self = {.tag = GRITE_IPC_COMMAND_SYNC_PUSH,
                                .v.SyncPush.remote = grite_str_from_cstr(served.data_dir)};
    expect_error(run(&self), GRITE_ERROR_CODE_INVALID_ARGS, NULL);
}
END_TEST

/* ---- Doctor and DaemonStatus -------------------------------------------------------------- */

static const grite_DoctorCheck *find_check(grite_vec_DoctorCheck checks, const char *name)
{
    for (size_t i = 0; i < checks.len; i++)
        if (strcmp(grite_DoctorCheck_name(grite_vec_DoctorCheck_at(checks, i)).ptr, name) == 0)
            return grite_vec_DoctorCheck_at(checks, i);
    ck_abort_msg("no check named %s", name);
    return NULL;
}

static grite_vec_DoctorCheck doctor(void)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DOCTOR};
    const grite_IpcResponse *r = expect_kind(run(&cmd), GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    return grite_IpcResponse_DoctorResult_checks(grite_IpcResponse_as_DoctorResult(r));
}

START_TEST(doctor_all_ok)
{
    char id[33];
    create_issue(&client, "t", "", id);
    grite_vec_DoctorCheck checks = doctor();
    const char *names[] = {"data_dir_permissions", "socket_permissions", "daemon_lock", "schema_fingerprint",
                           "store_integrity"};
    ck_assert_uint_eq(checks.len, 5);
    for (size_t i = 0; i < 5; i++) {
        const grite_DoctorCheck *k = find_check(checks, names[i]);
        ck_assert_msg(grite_DoctorCheck_status(k) == GRITE_CHECK_STATUS_OK, "%s: %s", names[i],
                      grite_DoctorCheck_message(k).ptr);
    }
    ck_assert_ptr_nonnull(strstr(grite_DoctorCheck_message(find_check(checks, "store_integrity")).ptr, "1 issue"));
}
END_TEST

START_TEST(doctor_finds_problems)
{
    chmod(served.data_dir, 0777);
    unlink(served.socket_path);   /* behind the daemon's back; our connection stays */
    grite_vec_DoctorCheck checks = doctor();
    ck_assert_int_eq(grite_DoctorCheck_status(find_check(checks, "data_dir_permissions")), GRITE_CHECK_STATUS_FAIL);
    const grite_DoctorCheck *sock = find_check(checks, "socket_permissions");
    ck_assert_int_eq(grite_DoctorCheck_status(sock), GRITE_CHECK_STATUS_FAIL);
    ck_assert_ptr_nonnull(strstr(grite_DoctorCheck_message(sock).ptr, served.socket_path));
    ck_assert_int_eq(grite_DoctorCheck_status(find_check(checks, "daemon_lock")), GRITE_CHECK_STATUS_OK);
    chmod(served.data_dir, 0700);
}
END_TEST

START_TEST(status_reports_the_daemon)
{
    struct test_client second;
    client_open(&second, &served, ACTOR_B);
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    expect_kind(client_call(&second, &cmd), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);   /* connects it */
    expect_kind(run(&cmd), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    const grite_IpcResponse *r = expect_kind(run(&cmd), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    const grite_IpcResponse_DaemonStatusResult *s = grite_IpcResponse_as_DaemonStatusResult(r);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_pid(s), (uint32_t)served.pid);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_requests_served(s), 3);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_connected_clients(s), 2);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStatusResult_schema_fingerprint(s), GRITE_SCHEMA_FINGERPRINT);
    ck_assert_str_eq(grite_IpcResponse_DaemonStatusResult_socket_path(s).ptr, served.socket_path);
    ck_assert_str_eq(grite_IpcResponse_DaemonStatusResult_data_dir(s).ptr, served.data_dir);
    ck_assert_uint_gt(grite_IpcResponse_DaemonStatusResult_started_ts(s), 1600000000000u);
    ck_assert_uint_lt(grite_IpcResponse_DaemonStatusResult_uptime_ms(s), (uint64_t)test_scaled_ms(60000));
    client_close(&second);
}
END_TEST

static Suite *commands_suite(void)
{
    Suite *s = suite_create("daemon_commands");
    TCase *t = tcase_create("commands");
    tcase_add_checked_fixture(t, start_default, stop_default);
    tcase_add_unchecked_fixture(t, daemon_suite_setup, daemon_suite_teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, issue_create_show_update_close_reopen_comment);
    tcase_add_test(t, writes_are_authored_by_the_requesting_actor);
    tcase_add_test(t, issue_list_filters_pages_and_defaults_to_50);
    tcase_add_test(t, issue_list_by_label);
    tcase_add_test(t, issue_errors);
    tcase_add_test(t, wrong_ipc_version_is_invalid_args);
    tcase_add_test(t, other_data_dir_is_invalid_args);
    tcase_add_test(t, actor_is_checked_and_required_for_writes);
    tcase_add_test(t, invalid_frame_gets_an_ipc_error_reply);
    tcase_add_test(t, lease_acquire_renew_release);
    tcase_add_test(t, lease_conflict_expiry_and_takeover);
    tcase_add_test(t, lease_argument_errors);
    tcase_add_test(t, sync_between_two_daemons);
    tcase_add_test(t, sync_errors);
    tcase_add_test(t, doctor_all_ok);
    tcase_add_test(t, doctor_finds_problems);
    tcase_add_test(t, status_reports_the_daemon);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(commands_suite());
}
