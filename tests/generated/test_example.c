/*
 * test_example.c - the worked example of docs/FORMAT.md 1.7, byte for
 * byte: the builder writes exactly the documented archive and the
 * validator accepts it. If this fails, the format (or the example in the
 * documentation) changed.
 */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "grite.h"

/* The hex dump in docs/FORMAT.md 1.7. */
static const uint8_t expected[] = {
    0x01, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x27, 0x00, 0x00, 0x00,
    0x04, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00,
    0x72, 0x31, 0x00, 0x2f, 0x73, 0x72, 0x63, 0x00, 0x61, 0x62, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x48, 0x69, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x62, 0x75, 0x67, 0x00,
};

START_TEST(worked_example_bytes)
{
    grite_str labels[] = { GRITE_STR("bug") };
    grite_IpcRequest_in req;
    memset(&req, 0, sizeof req);
    req.ipc_schema_version = 1;
    req.request_id = GRITE_STR("r1");
    req.repo_root = GRITE_STR("/src");
    req.actor_id = GRITE_STR("ab");
    req.data_dir = GRITE_STR("");
    req.command.tag = GRITE_IPC_COMMAND_ISSUE_CREATE;
    req.command.v.IssueCreate.title = GRITE_STR("Hi");
    req.command.v.IssueCreate.body = GRITE_STR("");
    req.command.v.IssueCreate.labels.items = labels;
    req.command.v.IssueCreate.labels.len = 1;

    static _Alignas(8) uint8_t mem[sizeof expected];   /* exactly enough room */
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_fixed(&b, mem, sizeof mem), 0);
    ck_assert_int_eq(grite_IpcRequest_build(&b, &req), 0);
    ck_assert_uint_eq(b.len, sizeof expected);
    ck_assert_mem_eq(b.data, expected, sizeof expected);
    ck_assert_int_eq(grite_IpcRequest_validate(b.data, b.len, NULL), 0);

    /* One byte less of room is reported, not overrun. */
    ck_assert_int_eq(grite_buf_init_fixed(&b, mem, sizeof mem - 1), 0);
    ck_assert_int_eq(grite_IpcRequest_build(&b, &req), GRITE_BUILD_NO_ROOM);
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(worked_example_reads_back)
{
    static _Alignas(8) uint8_t mem[sizeof expected];
    memcpy(mem, expected, sizeof expected);
    grite_verror err;
    ck_assert_int_eq(grite_IpcRequest_validate(mem, sizeof mem, &err), 0);
    const grite_IpcRequest *r = grite_IpcRequest_root(mem);
    ck_assert_str_eq(grite_IpcRequest_repo_root(r).ptr, "/src");
    ck_assert_uint_eq(grite_IpcRequest_data_dir(r).len, 0);
    const grite_IpcCommand_IssueCreate *c = grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(r));
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(grite_vec_str_at(grite_IpcCommand_IssueCreate_labels(c), 0).ptr, "bug");
    /* The union's size covers its whole subtree: one less and "bug" sticks out. */
    mem[44] = 0x27;
    ck_assert_int_eq(grite_IpcRequest_validate(mem, sizeof mem, &err), GRITE_VERROR_UNION_SIZE);
    ck_assert_str_eq(err.path, "command.IssueCreate.labels[0]");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("generated_example");
    TCase *tc = tcase_create("example");
    tcase_add_test(tc, worked_example_bytes);
    tcase_add_test(tc, worked_example_reads_back);
    suite_add_tcase(s, tc);
    return grite_check_run(s);
}
