/*
 * test_compat.c - `gritec --compat OLD.idl NEW.idl`, one rule per case.
 *
 * Each case is cases/NAME.old.idl + cases/NAME.new.idl, with the exact
 * report in cases/NAME.expected and the exit status in the table below
 * (tests/compat/update-expected.sh regenerates the .expected files for
 * review). The executable is run from the cases folder, so the report's
 * file names are the short ones. Every case is also checked in-process
 * against the fingerprint (equal fingerprints => no breaking change, a
 * breaking change => different fingerprints), and against itself.
 *
 * GRITEC_EXE is the built gritec, COMPAT_CASES_DIR the cases folder,
 * GRITE_IDL_DOC docs/IDL.md (whose section 8.4 names each case).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "compat_util.h"
#include "program.h"
#include "text_file.h"

typedef struct compat_case {
    const char *name;
    int status;     /* 0 compatible, 1 breaking */
} compat_case;

static const compat_case cases[] = {
    /* compatible */
    { "identical", 0 },
    { "decls_reordered", 0 },
    { "doc_changed", 0 },
    { "schema_header", 0 },
    { "field_renamed", 0 },
    { "type_renamed", 0 },
    { "root_renamed", 0 },
    { "variant_renamed", 0 },
    { "enum_value_renamed", 0 },
    { "variant_appended_open", 0 },
    { "variant_appended_closed", 0 },
    { "enum_value_added_open", 0 },
    { "enum_value_added_closed", 0 },
    { "root_added", 0 },
    { "type_added", 0 },
    { "type_removed_unused", 0 },
    { "union_opened", 0 },
    { "enum_opened", 0 },
    { "type_switch_same_layout", 0 },
    { "unshared_type_changed", 0 },
    { "unshared_type_renamed", 0 },
    /* compatible, with warnings: the same bytes under other names */
    { "fields_swapped", 0 },
    { "variants_swapped", 0 },
    { "enum_values_swapped", 0 },
    { "open_enum_value_removed", 0 },
    { "open_enum_renumbered", 0 },
    { "roots_swapped_layouts", 0 },
    { "enum_value_reused", 0 },
    { "variant_inserted_same_layout", 0 },
    /* breaking */
    { "field_type_changed", 1 },
    { "field_appended", 1 },
    { "field_inserted", 1 },
    { "field_removed", 1 },
    { "fields_reordered", 1 },
    { "variant_removed", 1 },
    { "variant_inserted", 1 },
    { "variants_reordered", 1 },
    { "variant_payload_changed", 1 },
    { "enum_value_removed", 1 },
    { "enum_value_renumbered", 1 },
    { "enum_underlying_changed", 1 },
    { "union_closed", 1 },
    { "enum_closed", 1 },
    { "array_length_changed", 1 },
    { "optional_added", 1 },
    { "vector_element_changed", 1 },
    { "string_to_bytes", 1 },
    { "root_removed", 1 },
    { "kind_changed", 1 },
    { "recursive_type_changed", 1 },
    { "nested_change", 1 },
    { "type_switch_breaking", 1 },
    { "implicit_roots", 1 },
    { "root_replaced", 1 },
    { "renamed_and_retyped", 1 },
};

enum { N_CASES = sizeof cases / sizeof cases[0] };

/* prefix + name + suffix, malloc'd. */
static char *joined(const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(prefix) + strlen(name) + strlen(suffix) + 1;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s%s%s", prefix, name, suffix);
    return p;
}

/* A case's file: its path, and its name as gritec run in the cases folder
 * prints it. */
static char *case_file(const char *name, const char *suffix)
{
    return joined(COMPAT_CASES_DIR "/", name, suffix);
}

static char *short_name(const char *name, const char *suffix)
{
    return joined("", name, suffix);
}

/* ---- running the executable ------------------------------------------------------ */

/* gritec with args (NULL-terminated, without argv[0]) in directory dir. */
static program_run run_gritec(const char *dir, const char *const *args)
{
    return program_run_in(GRITEC_EXE, dir, NULL, args);
}

/* ---- the cases ---------------------------------------------------------------- */

START_TEST(case_report_is_exact)
{
    const compat_case *c = &cases[_i];
    char *old_idl = short_name(c->name, ".old.idl"), *new_idl = short_name(c->name, ".new.idl");
    char *expected_path = case_file(c->name, ".expected");
    char *expected = cu_read_file(expected_path);
    const char *args[] = { "--compat", old_idl, new_idl, NULL };
    program_run r = run_gritec(COMPAT_CASES_DIR, args);
    ck_assert_msg(r.status == c->status, "%s: exit %d, expected %d\n%s%s", c->name, r.status,
                  c->status, r.out, r.err);
    ck_assert_msg(strcmp(r.out, expected) == 0,
                  "%s: report differs.\n--- got:\n%s--- expected:\n%s", c->name, r.out, expected);
    ck_assert_str_eq(r.err, "");
    program_run_free(&r);
    free(expected);
    free(expected_path);
    free(old_idl);
    free(new_idl);
}
END_TEST

START_TEST(case_agrees_with_fingerprint)
{
    const compat_case *c = &cases[_i];
    char *old_path = case_file(c->name, ".old.idl"), *new_path = case_file(c->name, ".new.idl");
    char *old_text = cu_read_file(old_path), *new_text = cu_read_file(new_path);
    compat_result r;
    char *report = cu_compare("old.idl", old_text, "new.idl", new_text, &r);
    cu_assert_agrees_with_fingerprint(report, &r, c->name);
    ck_assert_int_eq(r.breaking > 0, c->status);
    free(report);
    free(old_text);
    free(new_text);
    free(old_path);
    free(new_path);
}
END_TEST

/* Every file against itself: no changes at all. */
START_TEST(case_against_itself_has_no_changes)
{
    const char *suffix = _i % 2 == 0 ? ".old.idl" : ".new.idl";
    char *path = case_file(cases[_i / 2].name, suffix);
    char *text = cu_read_file(path);
    compat_result r;
    char *report = cu_compare("a.idl", text, "b.idl", text, &r);
    char expected[128];
    snprintf(expected, sizeof expected,
             "compatible: no changes; fingerprint unchanged (0x%016llx)\n",
             (unsigned long long)r.new_fingerprint);
    ck_assert_str_eq(report, expected);
    free(report);
    free(text);
    free(path);
}
END_TEST

START_TEST(grite_idl_against_itself)
{
    char *text = cu_read_file(GRITE_IDL_PATH);
    compat_result r;
    char *report = cu_compare("grite.idl", text, "grite.idl", text, &r);
    ck_assert_uint_eq(r.breaking + r.warnings + r.compatible, 0);
    ck_assert_ptr_nonnull(strstr(report, "compatible: no changes"));
    free(report);
    free(text);
}
END_TEST

/* The table above lists every case in the folder, and each has its files. */
START_TEST(every_case_is_listed)
{
    DIR *dir = opendir(COMPAT_CASES_DIR);
    ck_assert_ptr_nonnull(dir);
    size_t found = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 8 || strcmp(e->d_name + n - 8, ".old.idl") != 0)
            continue;
        bool listed = false;
        for (size_t i = 0; i < N_CASES && !listed; i++)
            listed = strlen(cases[i].name) == n - 8 &&
                     strncmp(cases[i].name, e->d_name, n - 8) == 0;
        ck_assert_msg(listed, "case %s is not listed in test_compat.c", e->d_name);
        found++;
    }
    closedir(dir);
    ck_assert_uint_eq(found, N_CASES);
}
END_TEST

/* docs/IDL.md 8.4 names the case of every rule. */
START_TEST(every_case_is_documented)
{
    char *doc = cu_read_file(GRITE_IDL_DOC);
    const char *rules = strstr(doc, "### 8.4 The rules");
    ck_assert_ptr_nonnull(rules);
    for (size_t i = 0; i < N_CASES; i++) {
        char quoted[80];
        snprintf(quoted, sizeof quoted, "`%s`", cases[i].name);
        ck_assert_msg(strstr(rules, quoted) != NULL, "docs/IDL.md 8.4 does not name case %s",
                      cases[i].name);
    }
    free(doc);
}
END_TEST

/* ---- the command line ------------------------------------------------------------ */

static const char *const usage_cases[][5] = {
    { "--compat", NULL },
    { "--compat", "a.idl", NULL },
    { "--compat", "a.idl", "b.idl", "c.idl", NULL },
    { "--compat", "a.idl", "b.idl", "-o", "/tmp" },
};

static const char *const usage_messages[] = {
    "gritec: error: --compat needs two input files, OLD.idl and NEW.idl\n",
    "gritec: error: --compat needs two input files, OLD.idl and NEW.idl\n",
    "gritec: error: more than two input files ('c.idl')\n",
    "gritec: error: option '-o' cannot be used with --compat\n",
};

START_TEST(usage_errors_exit_2)
{
    const char *args[6] = { NULL };
    for (int k = 0; k < 5 && usage_cases[_i][k] != NULL; k++)
        args[k] = usage_cases[_i][k];
    program_run r = run_gritec(COMPAT_CASES_DIR, args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    char expected[256];
    snprintf(expected, sizeof expected, "%stry 'gritec --help'\n", usage_messages[_i]);
    ck_assert_str_eq(r.err, expected);
    program_run_free(&r);
}
END_TEST

/* --compat may come after the files, and "--" ends the options. */
START_TEST(option_order_does_not_matter)
{
    const char *after[] = { "field_renamed.old.idl", "field_renamed.new.idl", "--compat", NULL };
    const char *dashes[] = { "--compat", "--", "field_renamed.old.idl", "field_renamed.new.idl",
                             NULL };
    program_run a = run_gritec(COMPAT_CASES_DIR, after);
    program_run b = run_gritec(COMPAT_CASES_DIR, dashes);
    char *expected_path = case_file("field_renamed", ".expected");
    char *expected = cu_read_file(expected_path);
    ck_assert_int_eq(a.status, 0);
    ck_assert_int_eq(b.status, 0);
    ck_assert_str_eq(a.out, expected);
    ck_assert_str_eq(b.out, expected);
    free(expected);
    free(expected_path);
    program_run_free(&a);
    program_run_free(&b);
}
END_TEST

/* Input errors in either file: exit 2 (not compared, as diff(1) says
 * trouble; 1 is only ever "breaking"), the diagnostics of both, no report. */
START_TEST(input_errors_exit_2)
{
    char dir[] = "/tmp/gritec-compat-dir-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char bad_old[64], bad_new[64];
    snprintf(bad_old, sizeof bad_old, "%s/old.idl", dir);
    snprintf(bad_new, sizeof bad_new, "%s/new.idl", dir);
    test_write_file(bad_old, "schema s version 1;\nstruct A { x: Strng }\n");
    test_write_file(bad_new, "schema s version 1;\nstruct A { x: u32, x: u8 }\n");
    const char *both[] = { "--compat", "old.idl", "new.idl", NULL };
    program_run r = run_gritec(dir, both);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strstr(r.err, "old.idl:2:15: error: unknown type 'Strng'") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "new.idl:2:20: error: duplicate field name 'x'") != NULL, "%s",
                  r.err);
    program_run_free(&r);

    char good[64];
    snprintf(good, sizeof good, "%s/good.idl", dir);
    test_write_file(good, "schema s version 1;\nstruct A { x: u32 }\n");
    const char *missing[] = { "--compat", "nope.idl", "good.idl", NULL };
    r = run_gritec(dir, missing);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "gritec: error: cannot read 'nope.idl': No such file or directory\n");
    program_run_free(&r);
    unlink(bad_old);
    unlink(bad_new);
    unlink(good);
    rmdir(dir);
}
END_TEST

static Suite *compat_suite(void)
{
    Suite *s = suite_create("compat");
    TCase *golden = tcase_create("cases");
    tcase_add_loop_test(golden, case_report_is_exact, 0, N_CASES);
    tcase_add_loop_test(golden, case_agrees_with_fingerprint, 0, N_CASES);
    tcase_add_loop_test(golden, case_against_itself_has_no_changes, 0, 2 * N_CASES);
    tcase_add_test(golden, grite_idl_against_itself);
    tcase_add_test(golden, every_case_is_listed);
    tcase_add_test(golden, every_case_is_documented);
    suite_add_tcase(s, golden);

    TCase *cli = tcase_create("cli");
    tcase_add_loop_test(cli, usage_errors_exit_2, 0,
                        (int)(sizeof usage_messages / sizeof usage_messages[0]));
    tcase_add_test(cli, option_order_does_not_matter);
    tcase_add_test(cli, input_errors_exit_2);
    suite_add_tcase(s, cli);
    return s;
}

int main(void)
{
    return grite_check_run(compat_suite());
}
