/*
 * test_json_names.c - gritec refuses a schema whose names would collide
 * with the JSON printers it generates (P_T_to_json, P_U_V_to_json) or
 * with the runtime's JSON writer (grite_json_*), so the header it writes
 * always compiles.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check_run.h"
#include "text_file.h"

/* Run gritec on `idl`; returns its exit status, *out gets stdout+stderr. */
static int run_gritec(const char *idl, char *out, size_t n)
{
    char path[4096], cmd[9000];
    snprintf(path, sizeof path, "%s/names.idl", JSON_WORK_DIR);
    test_write_file(path, idl);
    snprintf(cmd, sizeof cmd, "'%s' '%s' -o '%s' 2>&1", GRITEC_PATH, path, JSON_WORK_DIR);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = '\0';
    int status = pclose(p);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

START_TEST(field_named_to_json_is_rejected)
{
    char out[8192];
    ck_assert_int_eq(run_gritec("schema a version 1;\nstruct S { to_json: u8 }\n", out, sizeof out), 1);
    ck_assert_msg(strstr(out, "names.idl:2:12: error: C identifier 'a_S_to_json' of the accessor "
                              "of field 'to_json' of 'S' collides with the function 'to_json' of 'S'"),
                  "%s", out);
}
END_TEST

START_TEST(payload_field_named_to_json_is_rejected)
{
    char out[8192];
    ck_assert_int_eq(run_gritec("schema a version 1;\nunion U { V { to_json: u8 } }\n", out, sizeof out), 1);
    ck_assert_msg(strstr(out, "error: C identifier 'a_U_V_to_json' of the accessor of field 'to_json' "
                              "of 'U.V' collides with the function 'to_json' of 'U.V'"),
                  "%s", out);
}
END_TEST

START_TEST(json_writer_names_are_reserved)
{
    char out[8192];
    ck_assert_int_eq(run_gritec("schema a version 1;\noption c_prefix = \"grite_json\";\nstruct S { x: u8 }\n",
                                out, sizeof out), 1);
    ck_assert_msg(strstr(out, "reserved by the grite runtime"), "%s", out);
}
END_TEST

START_TEST(near_misses_compile)
{
    char out[8192];
    ck_assert_int_eq(run_gritec("schema a version 1;\nstruct S { json: u8, to_jsonx: u8, as_json: u8 }\n",
                                out, sizeof out), 0);
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("json_names");
    TCase *t = tcase_create("names");
    tcase_add_test(t, field_named_to_json_is_rejected);
    tcase_add_test(t, payload_field_named_to_json_is_rejected);
    tcase_add_test(t, json_writer_names_are_reserved);
    tcase_add_test(t, near_misses_compile);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(names_suite());
}
