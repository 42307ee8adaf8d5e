/*
 * test_roundtrip.c - every variant of every root built, validated and read
 * back field by field; builders into fixed buffers of every size (no
 * overrun, GRITE_BUILD_NO_ROOM when short), growable ones (limits, reuse),
 * and the builders' rejection of input that no peer could validate.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dump.h"
#include "messages.h"
#include "samples.h"

#define CANARY 0xA5
#define CANARY_LEN 16

/* Build, validate, and compare what the accessors read with the input. */
static void assert_round_trip(const message *m)
{
    grite_buf b = build_message(m);
    textbuf got = { 0 };
    checked c = root_check_copy(m->root, b.data, b.len, true, 0, &got);
    ck_assert_msg(c.rc == 0, "%s: built message rejected: %s at \"%s\" (offset %u)", m->name,
                  grite_verror_name(c.rc), c.err.path, c.err.offset);
    ck_assert_msg(c.problem[0] == '\0', "%s: %s", m->name, c.problem);
    textbuf want = input_text(m);
    ck_assert_msg(strcmp(tb_text(&got), tb_text(&want)) == 0,
                  "%s: read back differs from input.\n--- input\n%s--- read back\n%s", m->name,
                  tb_text(&want), tb_text(&got));
    tb_free(&want);
    tb_free(&got);
    grite_buf_free(&b);
}

START_TEST(every_message_round_trips)
{
    assert_round_trip(message_at(_i));
}
END_TEST

/* Build into caller memory of `cap` bytes followed by a canary. */
static int build_fixed(const message *m, size_t cap, uint8_t **mem_out, grite_buf *b)
{
    uint8_t *mem = malloc(cap + CANARY_LEN);
    ck_assert_ptr_nonnull(mem);
    memset(mem, 0x3c, cap);
    memset(mem + cap, CANARY, CANARY_LEN);
    ck_assert_int_eq(grite_buf_init_fixed(b, mem, cap), GRITE_BUILD_OK);
    *mem_out = mem;
    return m->build(b, m->in);
}

static void assert_canary(const message *m, const uint8_t *mem, size_t cap)
{
    for (size_t i = 0; i < CANARY_LEN; i++)
        ck_assert_msg(mem[cap + i] == CANARY, "%s: builder wrote past a %zu-byte buffer", m->name,
                      cap);
}

START_TEST(fixed_buffers_of_every_size)
{
    const message *m = message_at(_i);
    grite_buf ref = build_message(m);

    /* Exactly the size: the same bytes as the growable build. */
    grite_buf b;
    uint8_t *mem;
    ck_assert_int_eq(build_fixed(m, ref.len, &mem, &b), GRITE_BUILD_OK);
    ck_assert_uint_eq(b.len, ref.len);
    ck_assert_msg(memcmp(mem, ref.data, ref.len) == 0, "%s: fixed build differs", m->name);
    assert_canary(m, mem, ref.len);
    free(mem);

    /* Every smaller size: NO_ROOM, nothing past the end, b left empty.
     * Big messages step through the sizes to keep the suite quick. */
    size_t step = ref.len > 1500 ? 7 : 1;
    for (size_t cap = 0; cap < ref.len; cap += cap + step < ref.len ? step : 1) {
        int rc = build_fixed(m, cap, &mem, &b);
        ck_assert_msg(rc == GRITE_BUILD_NO_ROOM, "%s: %zu-byte buffer gave %d (%s)", m->name, cap,
                      rc, grite_build_strerror(rc));
        ck_assert_msg(b.len == 0, "%s: failed build left %zu bytes", m->name, b.len);
        assert_canary(m, mem, cap);
        free(mem);
    }
    grite_buf_free(&ref);
}
END_TEST

START_TEST(growable_buffer_limits_and_reuse)
{
    size_t n;
    const message *all = all_messages(&n);
    const message *big = bench_resp_message();
    grite_buf ref = build_message(big);

    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, ref.len), GRITE_BUILD_OK);
    ck_assert_int_eq(big->build(&b, big->in), GRITE_BUILD_OK);   /* max == size: fits */
    grite_buf_free(&b);
    ck_assert_int_eq(grite_buf_init_growable(&b, 16, ref.len - 1), GRITE_BUILD_OK);
    ck_assert_int_eq(big->build(&b, big->in), GRITE_BUILD_NO_ROOM);
    ck_assert_uint_eq(b.len, 0);
    grite_buf_free(&b);

    /* One buffer reused for every message, big and small, in turn: each
     * result is byte for byte what a fresh buffer gives (no stale bytes
     * from the previous, larger message in padding or after the end). */
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < n; i++) {
            const message *m = &all[i];
            ck_assert_int_eq(big->build(&b, big->in), GRITE_BUILD_OK);
            ck_assert_int_eq(m->build(&b, m->in), GRITE_BUILD_OK);
            grite_buf fresh = build_message(m);
            ck_assert_uint_eq(b.len, fresh.len);
            ck_assert_msg(memcmp(b.data, fresh.data, b.len) == 0, "%s: reused buffer differs",
                          m->name);
            ck_assert_msg(((uintptr_t)b.data & 7) == 0, "growable data not 8-aligned");
            grite_buf_free(&fresh);
        }
    grite_buf_free(&b);
    grite_buf_free(&ref);
}
END_TEST

START_TEST(fixed_memory_must_be_aligned)
{
    uint64_t mem[16];
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_fixed(&b, (uint8_t *)mem + 4, 64), GRITE_BUILD_BAD_ALIGN);
    ck_assert_int_eq(grite_buf_init_fixed(&b, (uint8_t *)mem + 1, 64), GRITE_BUILD_BAD_ALIGN);
    ck_assert_int_eq(grite_buf_init_fixed(&b, mem, sizeof mem), GRITE_BUILD_OK);
}
END_TEST

/* ---- the benchmark workload, checked against FORMAT.md by hand --------- */

static size_t align_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

START_TEST(bench_req_has_the_documented_layout)
{
    const message *m = bench_req_message();
    grite_buf b = build_message(m);
    /* FORMAT.md 1.5 pre-order: the 48-byte root, its four strings with
     * their NULs, the 4-aligned IssueCreate payload (24 bytes), title,
     * body, the label array (3 x 8), then the three labels. */
    size_t at = 48 + 37 + 24 + 33 + 51;
    size_t payload = align_up(at, 4);
    at = payload + 24 + 32 + 201;
    at = align_up(at, 4) + 24 + 4 + 7 + 3;
    ck_assert_uint_eq(b.len, at);
    const grite_IpcCommand *cmd = grite_IpcRequest_command(grite_IpcRequest_root(b.data));
    ck_assert_uint_eq(grite_IpcCommand_tag(cmd), GRITE_IPC_COMMAND_ISSUE_CREATE);
    ck_assert_uint_eq(grite_ld_u32(&cmd->offset), payload - 40);   /* from the field at 40 */
    ck_assert_uint_eq(grite_ld_u32(&cmd->size), b.len - payload);
    grite_buf_free(&b);
}
END_TEST

START_TEST(bench_resp_has_the_documented_layout)
{
    const message *m = bench_resp_message();
    grite_buf b = build_message(m);
    size_t at = 24 + 37;
    size_t payload = align_up(at, 8);                 /* IssueListResult: align 8 */
    at = align_up(payload + 16, 8) + 20 * 40;         /* IssueSummary: 40 bytes */
    for (int i = 0; i < 20; i++) {
        at += 33 + strlen("Issue number  about the daemon") + (i < 10 ? 1 : 2) + 1;
        at = align_up(at, 4) + (i % 2 == 0 ? 2 * 8 + 4 + 3 : 8 + 8);
    }
    ck_assert_uint_eq(b.len, at);
    const grite_IpcReply *r = grite_IpcReply_root(b.data);
    const grite_IpcResponse_IssueListResult *p =
        grite_IpcResponse_as_IssueListResult(grite_IpcReply_response(r));
    ck_assert_ptr_eq(p, b.data + payload);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(p), 20);
    grite_buf_free(&b);
}
END_TEST

/* ---- builders refuse what no validator would accept -------------------- */

static const grite_str bad_utf8[] = {
    { "\xc0\xaf", 2 },          /* overlong '/' */
    { "ok\xed\xa0\x80", 5 },    /* surrogate U+D800 */
    { "\xf4\x90\x80\x80", 4 },  /* above U+10FFFF */
    { "ab\xe2\x82", 4 },        /* truncated sequence */
    { "\x80", 1 },              /* lone continuation */
    { "\xff", 1 },
};
#define N_BAD_UTF8 (int)(sizeof bad_utf8 / sizeof bad_utf8[0])

static int build_notification(grite_buf *b, const void *in)
{
    return grite_Notification_build(b, in);
}

static void assert_build_fails(const message *m, const void *in, int want, const char *what)
{
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    int rc = m->build(&b, in);
    ck_assert_msg(rc == want, "%s with %s: got %d (%s), want %d (%s)", m->name, what, rc,
                  grite_build_strerror(rc), want, grite_build_strerror(want));
    ck_assert_msg(b.len == 0, "%s with %s: a failed build left %zu bytes", m->name, what, b.len);
    grite_buf_free(&b);
}

START_TEST(bad_utf8_is_refused_everywhere)
{
    grite_str bad = bad_utf8[_i];
    const message *req = bench_req_message();
    const message *resp = bench_resp_message();
    size_t n;
    const message *all = all_messages(&n);

    grite_IpcRequest_in r = *(const grite_IpcRequest_in *)req->in;
    r.request_id = bad;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_UTF8, "a bad request_id");

    r = *(const grite_IpcRequest_in *)req->in;
    grite_str labels[3] = { GRITE_STR("bug"), GRITE_STR("ok"), bad };
    r.command.v.IssueCreate.labels.items = labels;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_UTF8, "a bad labels[2]");

    r = *(const grite_IpcRequest_in *)req->in;
    r.command.tag = GRITE_IPC_COMMAND_ISSUE_UPDATE;
    memset(&r.command.v.IssueUpdate, 0, sizeof r.command.v.IssueUpdate);
    r.command.v.IssueUpdate.body.present = true;
    r.command.v.IssueUpdate.body.value = bad;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_UTF8, "a bad present option");
    /* An absent option's value is not written, so it is not checked. */
    r.command.v.IssueUpdate.body.present = false;
    grite_buf b = build_message(&(message){ .name = "absent", .in = &r, .build = req->build });
    grite_buf_free(&b);

    grite_IpcReply_in rp = *(const grite_IpcReply_in *)resp->in;
    grite_IssueSummary_in issues[20];
    memcpy(issues, rp.response.v.IssueListResult.issues.items, sizeof issues);
    grite_str summary_labels[2] = { GRITE_STR("fine"), bad };
    issues[17].labels.items = summary_labels;
    issues[17].labels.len = 2;
    rp.response.v.IssueListResult.issues.items = issues;
    assert_build_fails(resp, &rp, GRITE_BUILD_BAD_UTF8, "a bad issues[17].labels[1]");

    /* Deep inside: IssueShowResult.issue.comments[2].body. */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].name, "IpcReply IssueShowResult/full") != 0)
            continue;
        grite_IpcReply_in show = *(const grite_IpcReply_in *)all[i].in;
        grite_Comment_in comments[3];
        memcpy(comments, show.response.v.IssueShowResult.issue.comments.items, sizeof comments);
        comments[2].body = bad;
        show.response.v.IssueShowResult.issue.comments.items = comments;
        assert_build_fails(&all[i], &show, GRITE_BUILD_BAD_UTF8, "a bad comments[2].body");
    }

    grite_Notification_in note = { .tag = GRITE_NOTIFICATION_LOCK_CHANGED };
    note.v.LockChanged.owner.present = true;
    note.v.LockChanged.owner.value = bad;
    message nm = { .name = "Notification LockChanged", .in = &note, .build = build_notification };
    assert_build_fails(&nm, &note, GRITE_BUILD_BAD_UTF8, "a bad owner");
}
END_TEST

START_TEST(undeclared_tags_and_enum_values_are_refused)
{
    const message *req = bench_req_message();
    const message *resp = bench_resp_message();

    grite_IpcRequest_in r = *(const grite_IpcRequest_in *)req->in;
    r.command.tag = (grite_IpcCommand_kind)14;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_TAG, "command tag 14");
    r.command.tag = (grite_IpcCommand_kind)UINT32_MAX;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_TAG, "command tag UINT32_MAX");

    r.command.tag = GRITE_IPC_COMMAND_ISSUE_LIST;
    memset(&r.command.v.IssueList, 0, sizeof r.command.v.IssueList);
    r.command.v.IssueList.filter.state.present = true;
    r.command.v.IssueList.filter.state.value = (grite_IssueState)2;
    assert_build_fails(req, &r, GRITE_BUILD_BAD_TAG, "filter.state 2");
    r.command.v.IssueList.filter.state.present = false;   /* absent: ignored */
    grite_buf b = build_message(&(message){ .name = "absent state", .in = &r, .build = req->build });
    grite_buf_free(&b);

    grite_IpcReply_in rp = *(const grite_IpcReply_in *)resp->in;
    rp.response.tag = (grite_IpcResponse_kind)12;
    assert_build_fails(resp, &rp, GRITE_BUILD_BAD_TAG, "response tag 12");

    rp = *(const grite_IpcReply_in *)resp->in;
    grite_IssueSummary_in issues[20];
    memcpy(issues, rp.response.v.IssueListResult.issues.items, sizeof issues);
    issues[19].state = (grite_IssueState)0xff;
    rp.response.v.IssueListResult.issues.items = issues;
    assert_build_fails(resp, &rp, GRITE_BUILD_BAD_TAG, "issues[19].state 255");

    const uint16_t bad_codes[] = { 0, 8, 0x0101, UINT16_MAX };
    for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
        rp = *(const grite_IpcReply_in *)resp->in;
        rp.response.tag = GRITE_IPC_RESPONSE_ERROR;
        memset(&rp.response.v.Error, 0, sizeof rp.response.v.Error);
        rp.response.v.Error.code = (grite_ErrorCode)bad_codes[i];
        assert_build_fails(resp, &rp, GRITE_BUILD_BAD_TAG, "an undeclared ErrorCode");
    }

    rp = *(const grite_IpcReply_in *)resp->in;
    grite_DoctorCheck_in check = { .name = GRITE_STR("x"), .status = (grite_CheckStatus)3 };
    rp.response.tag = GRITE_IPC_RESPONSE_DOCTOR_RESULT;
    rp.response.v.DoctorResult.checks.items = &check;
    rp.response.v.DoctorResult.checks.len = 1;
    assert_build_fails(resp, &rp, GRITE_BUILD_BAD_TAG, "checks[0].status 3");
}
END_TEST

START_TEST(open_union_builder_still_refuses_unknown_tags)
{
    /* Notification is open for readers, but a builder only writes the
     * variants it knows: it has no payload to write for any other. */
    grite_Notification_in note = { .tag = (grite_Notification_kind)5 };
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    ck_assert_int_eq(grite_Notification_build(&b, &note), GRITE_BUILD_BAD_TAG);
    ck_assert_uint_eq(b.len, 0);
    grite_buf_free(&b);
}
END_TEST

START_TEST(names_of_undeclared_values_are_null)
{
    ck_assert_str_eq(grite_IpcCommand_kind_name(GRITE_IPC_COMMAND_DAEMON_STOP), "DaemonStop");
    ck_assert_ptr_null(grite_IpcCommand_kind_name((grite_IpcCommand_kind)14));
    ck_assert_ptr_null(grite_IpcCommand_kind_name((grite_IpcCommand_kind)UINT32_MAX));
    ck_assert_str_eq(grite_ErrorCode_name(GRITE_ERROR_CODE_INTERNAL_ERROR), "internal_error");
    ck_assert_ptr_null(grite_ErrorCode_name((grite_ErrorCode)0));
    ck_assert_ptr_null(grite_IssueState_name((grite_IssueState)2));
    ck_assert_ptr_null(grite_Notification_kind_name((grite_Notification_kind)5));
}
END_TEST

/* ---- deep.idl: the nesting limit from the builder's side --------------- */

/* A chain of `levels` nested one-child vectors. */
static deep_Node_in *node_chain(int levels)
{
    deep_Node_in *nodes = calloc((size_t)levels + 1, sizeof *nodes);
    ck_assert_ptr_nonnull(nodes);
    for (int i = 0; i < levels; i++) {
        nodes[i].children.items = &nodes[i + 1];
        nodes[i].children.len = 1;
    }
    nodes[levels].label = GRITE_STR("leaf");
    return nodes;
}

/* Build a chain and validate it. Builders do not limit nesting (only
 * validators do), so even chains the default validator refuses build: the
 * "a message that builds is a message the peer accepts" of
 * GENERATED_API.md does not cover depth. */
static int validate_node_chain(int levels, bool default_depth, uint32_t depth, textbuf *text)
{
    deep_Node_in *nodes = node_chain(levels);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    ck_assert_int_eq(deep_Node_build(&b, nodes), GRITE_BUILD_OK);
    checked c = root_check_copy(root_find("Node"), b.data, b.len, default_depth, depth, text);
    ck_assert_msg(c.problem[0] == '\0', "%s", c.problem);
    if (text && c.rc == 0) {
        dumper d;
        dumper_init(&d, NULL, 0);
        dump_in_Node(&d, nodes);
        ck_assert_str_eq(tb_text(text), tb_text(&d.out));
        dumper_free(&d);
    }
    grite_buf_free(&b);
    free(nodes);
    return c.rc;
}

START_TEST(nesting_limit_counts_hops)
{
    /* 63 vectors + the leaf's label string = 64 hops: allowed. */
    textbuf t = { 0 };
    ck_assert_int_eq(validate_node_chain(63, true, 0, &t), 0);
    tb_free(&t);
    ck_assert_int_eq(validate_node_chain(64, true, 0, NULL), GRITE_VERROR_TOO_DEEP);
    ck_assert_int_eq(validate_node_chain(64, false, 65, NULL), 0);
    ck_assert_int_eq(validate_node_chain(2, false, 3, NULL), 0);
    ck_assert_int_eq(validate_node_chain(3, false, 3, NULL), GRITE_VERROR_TOO_DEEP);
    ck_assert_int_eq(validate_node_chain(0, false, 1, NULL), 0);
    ck_assert_int_eq(validate_node_chain(0, false, 0, NULL), GRITE_VERROR_TOO_DEEP);
    /* A very deep chain: rejected without exhausting the stack. */
    ck_assert_int_eq(validate_node_chain(5000, true, 0, NULL), GRITE_VERROR_TOO_DEEP);
}
END_TEST

/* A Tree of `levels` nested Branches, each with one kid, ending in a Leaf. */
static deep_Tree_in *tree_chain(int levels)
{
    deep_Tree_in *t = calloc((size_t)levels + 1, sizeof *t);
    ck_assert_ptr_nonnull(t);
    for (int i = 0; i < levels; i++) {
        t[i].tag = DEEP_TREE_BRANCH;
        t[i].v.Branch.kids.items = &t[i + 1];
        t[i].v.Branch.kids.len = 1;
    }
    t[levels].tag = DEEP_TREE_LEAF;
    t[levels].v.Leaf.value = UINT32_MAX;
    return t;
}

START_TEST(union_trees_round_trip_and_hit_the_limit)
{
    for (int levels = 0; levels <= 40; levels += 10) {
        deep_Tree_in *t = tree_chain(levels);
        grite_buf b;
        ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
        ck_assert_int_eq(deep_Tree_build(&b, t), GRITE_BUILD_OK);
        textbuf got = { 0 };
        checked c = root_check_copy(root_find("Tree"), b.data, b.len, true, 0, &got);
        /* Each level is two hops (payload, kids vector), plus the Leaf's
         * payload: 2 * levels + 1 <= 64 passes, more is too deep. */
        int want = 2 * levels + 1 <= GRITE_VALIDATE_MAX_DEPTH ? 0 : GRITE_VERROR_TOO_DEEP;
        ck_assert_msg(c.rc == want, "%d levels: got %s", levels, grite_verror_name(c.rc));
        ck_assert_msg(c.problem[0] == '\0', "%s", c.problem);
        if (want == 0) {
            dumper d;
            dumper_init(&d, NULL, 0);
            dump_in_Tree(&d, t);
            ck_assert_str_eq(tb_text(&got), tb_text(&d.out));
            dumper_free(&d);
        }
        tb_free(&got);
        grite_buf_free(&b);
        free(t);
    }
}
END_TEST

static Suite *roundtrip_suite(void)
{
    Suite *s = suite_create("archive_roundtrip");
    TCase *tc = tcase_create("messages");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, every_message_round_trips, 0, message_count());
    tcase_add_loop_test(tc, fixed_buffers_of_every_size, 0, message_count());
    tcase_add_test(tc, growable_buffer_limits_and_reuse);
    tcase_add_test(tc, fixed_memory_must_be_aligned);
    tcase_add_test(tc, bench_req_has_the_documented_layout);
    tcase_add_test(tc, bench_resp_has_the_documented_layout);
    suite_add_tcase(s, tc);

    tc = tcase_create("builder_errors");
    tcase_add_loop_test(tc, bad_utf8_is_refused_everywhere, 0, N_BAD_UTF8);
    tcase_add_test(tc, undeclared_tags_and_enum_values_are_refused);
    tcase_add_test(tc, open_union_builder_still_refuses_unknown_tags);
    tcase_add_test(tc, names_of_undeclared_values_are_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("nesting");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, nesting_limit_counts_hops);
    tcase_add_test(tc, union_trees_round_trip_and_hit_the_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(roundtrip_suite());
}
