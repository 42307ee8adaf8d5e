/*
 * test_json_cases.c - the generated P_T_to_json() functions, exactly:
 * every grite message variant and every json_types.idl case prints the
 * hand-written compact JSON of json_cases.h; pretty printing is checked
 * in full on a nested message. (check_json.py runs the same outputs
 * through Python's JSON parser.)
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "grite.h"
#include "json_cases.h"

static void check_case(const json_case *c)
{
    const char *why;
    char *text = json_case_render(c, 0, &why);
    ck_assert_msg(text != NULL, "%s: %s", c->name, why);
    ck_assert_msg(strcmp(text, c->expected) == 0, "%s:\n got      %s\n expected %s", c->name, text,
                  c->expected);
    free(text);
}

START_TEST(grite_case)
{
    ck_assert_uint_lt((size_t)_i, grite_json_n_cases);
    check_case(&grite_json_cases[_i]);
}
END_TEST

START_TEST(types_case)
{
    ck_assert_uint_lt((size_t)_i, types_json_n_cases);
    check_case(&types_json_cases[_i]);
}
END_TEST

/* Every command, response and notification variant has a case. */
START_TEST(every_variant_is_covered)
{
    static const char *const variants[] = {
        "IssueList", "IssueCreate", "IssueShow", "IssueUpdate", "IssueClose", "IssueReopen",
        "IssueComment", "SyncPull", "SyncPush", "LockAcquire", "LockRelease", "Doctor",
        "DaemonStatus", "DaemonStop",
        "IssueListResult", "IssueCreateResult", "IssueShowResult", "IssueUpdateResult",
        "IssueStateResult", "CommentResult", "SyncResult", "LockResult", "DoctorResult",
        "DaemonStatusResult", "DaemonStopResult", "Error",
        "EventApplied", "LockChanged", "SnapshotCreated", "WorkerStarted", "WorkerStopped",
    };
    ck_assert_uint_eq(sizeof variants / sizeof variants[0],
                      GRITE_IPC_COMMAND_DAEMON_STOP + 1 + GRITE_IPC_RESPONSE_ERROR + 1 +
                          GRITE_NOTIFICATION_WORKER_STOPPED + 1);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        char key[64];
        snprintf(key, sizeof key, "{\"%s\":", variants[v]);
        bool found = false;
        for (size_t i = 0; i < grite_json_n_cases && !found; i++)
            found = strstr(grite_json_cases[i].expected, key) != NULL;
        ck_assert_msg(found, "no JSON case prints variant %s", variants[v]);
    }
}
END_TEST

static const char *find_case(const json_case *cases, size_t n, const char *name, size_t *at)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].name, name) == 0) {
            *at = i;
            return cases[i].name;
        }
    return NULL;
}

START_TEST(pretty_nested_reply)
{
    size_t at = 0;
    ck_assert_ptr_nonnull(find_case(grite_json_cases, grite_json_n_cases, "reply_IssueShowResult", &at));
    const char *why;
    char *text = json_case_render(&grite_json_cases[at], GRITE_JSON_PRETTY, &why);
    ck_assert_msg(text != NULL, "%s", why);
    ck_assert_str_eq(text,
                     "{\n"
                     "  \"ipc_schema_version\": 1,\n"
                     "  \"request_id\": \"r1\",\n"
                     "  \"response\": {\n"
                     "    \"IssueShowResult\": {\n"
                     "      \"issue\": {\n"
                     "        \"issue_id\": \"a1\",\n"
                     "        \"title\": \"T\",\n"
                     "        \"body\": \"B\",\n"
                     "        \"state\": \"Closed\",\n"
                     "        \"author\": \"ab\",\n"
                     "        \"labels\": [\n"
                     "          \"x\"\n"
                     "        ],\n"
                     "        \"assignees\": [],\n"
                     "        \"comments\": [\n"
                     "          {\n"
                     "            \"comment_id\": \"c1\",\n"
                     "            \"author\": \"ab\",\n"
                     "            \"body\": \"hi\",\n"
                     "            \"created_ts\": 1\n"
                     "          },\n"
                     "          {\n"
                     "            \"comment_id\": \"c2\",\n"
                     "            \"author\": \"cd\",\n"
                     "            \"body\": \"\",\n"
                     "            \"created_ts\": 0\n"
                     "          }\n"
                     "        ],\n"
                     "        \"created_ts\": 1,\n"
                     "        \"updated_ts\": 2\n"
                     "      }\n"
                     "    }\n"
                     "  }\n"
                     "}");
    free(text);
}
END_TEST

START_TEST(pretty_empty_variant_and_unknown)
{
    size_t at = 0;
    const char *why;
    ck_assert_ptr_nonnull(find_case(grite_json_cases, grite_json_n_cases, "request_Doctor", &at));
    char *text = json_case_render(&grite_json_cases[at], GRITE_JSON_PRETTY, &why);
    ck_assert_msg(text != NULL, "%s", why);
    ck_assert_ptr_nonnull(strstr(text, "\n  \"command\": {\n    \"Doctor\": {}\n  }\n}"));
    free(text);
    ck_assert_ptr_nonnull(find_case(grite_json_cases, grite_json_n_cases, "notification_unknown", &at));
    text = json_case_render(&grite_json_cases[at], GRITE_JSON_PRETTY, &why);
    ck_assert_msg(text != NULL, "%s", why);
    ck_assert_str_eq(text, "{\n  \"unknown\": 99\n}");
    free(text);
}
END_TEST

/* A closed union's printer given an undeclared tag (a buffer the validator
 * would reject) still writes well-formed JSON instead of reading a payload. */
START_TEST(closed_union_unknown_tag_is_not_read)
{
    grite_buf b;
    size_t at;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    ck_assert_int_eq(grite_buf_reserve(&b, 12, 8, &at), 0);
    grite_st_u32(b.data, 1000);
    grite_st_u32(b.data + 4, 0x7fffffff);   /* would point far outside */
    ck_assert_int_ne(grite_IpcCommand_validate(b.data, b.len, NULL), 0);
    char text[64];
    grite_json j;
    grite_json_init_buf(&j, text, sizeof text, 0);
    ck_assert_int_eq(grite_IpcCommand_to_json((const grite_IpcCommand *)(const void *)b.data, &j),
                     GRITE_JSON_OK);
    ck_assert_str_eq(text, "{\"unknown\":1000}");
    grite_buf_free(&b);
}
END_TEST

static Suite *cases_suite(void)
{
    Suite *s = suite_create("json_cases");
    TCase *g = tcase_create("grite");
    tcase_add_loop_test(g, grite_case, 0, (int)grite_json_n_cases);
    tcase_add_test(g, every_variant_is_covered);
    suite_add_tcase(s, g);
    TCase *t = tcase_create("types");
    tcase_add_loop_test(t, types_case, 0, (int)types_json_n_cases);
    suite_add_tcase(s, t);
    TCase *p = tcase_create("pretty");
    tcase_add_test(p, pretty_nested_reply);
    tcase_add_test(p, pretty_empty_variant_and_unknown);
    suite_add_tcase(s, p);
    TCase *r = tcase_create("robust");
    tcase_add_test(r, closed_union_unknown_tag_is_not_read);
    suite_add_tcase(s, r);
    return s;
}

int main(void)
{
    return grite_check_run(cases_suite());
}
