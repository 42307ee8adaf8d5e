/*
 * test_cli.c - the gritec executable: exit statuses, --help, --version,
 * usage errors, unreadable inputs, and the promise that an output
 * directory never receives a partial (or temporary) file.
 *
 * GRITEC_EXE is the path of the built gritec (CMake's $<TARGET_FILE:gritec>).
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "program.h"
#include "temp_dir.h"
#include "text_file.h"
#include "test_util.h"

/* Run gritec with args (NULL-terminated, without argv[0]). */
static program_run run_gritec(const char *const *args)
{
    return program_run_in(GRITEC_EXE, NULL, NULL, args);
}

/* A fresh empty directory, and a way to list and remove it. */
static char scratch[64];

static void make_scratch(void)
{
    strcpy(scratch, "/tmp/gritec-cli-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

/* Names in the scratch directory, sorted, joined by spaces. */
static char *scratch_listing(void)
{
    struct dirent **entries;
    int n = scandir(scratch, &entries, NULL, alphasort);
    ck_assert_int_ge(n, 0);
    size_t cap = 1, len = 0;
    for (int i = 0; i < n; i++)
        cap += strlen(entries[i]->d_name) + 1;
    char *list = calloc(cap, 1);
    ck_assert_ptr_nonnull(list);
    for (int i = 0; i < n; i++) {
        const char *name = entries[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            len += (size_t)sprintf(list + len, "%s%s", len > 0 ? " " : "", name);
        }
        free(entries[i]);
    }
    free(entries);
    return list;
}

static void remove_scratch(void)
{
    test_remove_tree(scratch);
}

/* ---- informational options ---------------------------------------------- */

START_TEST(help_goes_to_stdout)
{
    const char *args[] = { "--help", NULL };
    program_run r = run_gritec(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strncmp(r.out, "usage: gritec [options] FILE.idl -o DIR\n", 40) == 0, "%s",
                  r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "--output DIR"));
    ck_assert_str_eq(r.err, "");
    program_run_free(&r);
}
END_TEST

START_TEST(version_prints_the_project_version)
{
    const char *args[] = { "--version", NULL };
    program_run r = run_gritec(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "gritec " GRITE_VERSION "\n");
    ck_assert_str_eq(r.err, "");
    program_run_free(&r);
}
END_TEST

/* ---- usage errors: exit 2, a message and a pointer to --help ------------------ */

static const char *const usage_cases[][4] = {
    { NULL },
    { "--frobnicate", GRITE_IDL_PATH, "-o", "/tmp" },
    { GRITE_IDL_PATH, NULL },
    { GRITE_IDL_PATH, "-o", NULL },
    { GRITE_IDL_PATH, GRITE_IDL_PATH, "-o", "/tmp" },
    { "--compat", GRITE_IDL_PATH, NULL },
    { "-o", "/tmp", NULL },
};

static const char *const usage_messages[] = {
    "gritec: error: no input file\n",
    "gritec: error: unknown option '--frobnicate'\n",
    "gritec: error: no output directory (use -o DIR, or -o - for standard output)\n",
    "gritec: error: option '-o' needs a directory\n",
    "gritec: error: more than one input file ('" GRITE_IDL_PATH "')\n",
    "gritec: error: --compat needs two input files, OLD.idl and NEW.idl\n",
    "gritec: error: no input file\n",
};

START_TEST(usage_errors_exit_2)
{
    const char *args[5] = { NULL };
    for (int k = 0; k < 4 && usage_cases[_i][k] != NULL; k++)
        args[k] = usage_cases[_i][k];
    program_run r = run_gritec(args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    char expected[512];
    snprintf(expected, sizeof expected, "%stry 'gritec --help'\n", usage_messages[_i]);
    ck_assert_str_eq(r.err, expected);
    program_run_free(&r);
}
END_TEST

/* ---- files gritec cannot read or write: exit 1, the file and the reason ---- */

/* gritec args... fails with status 1 and exactly `expected_err`, and
 * leaves the scratch directory holding only `listing`. */
static void expect_file_error(const char *const *args, const char *expected_err,
                              const char *listing)
{
    program_run r = run_gritec(args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, expected_err);
    char *names = scratch_listing();
    ck_assert_str_eq(names, listing);
    free(names);
    program_run_free(&r);
}

START_TEST(missing_input_file)
{
    make_scratch();
    char path[128], expected[256];
    snprintf(path, sizeof path, "%s/missing.idl", scratch);
    snprintf(expected, sizeof expected,
             "gritec: error: cannot read '%s': No such file or directory\n", path);
    const char *args[] = { path, "-o", scratch, NULL };
    expect_file_error(args, expected, "");
    remove_scratch();
}
END_TEST

START_TEST(directory_as_input)
{
    make_scratch();
    char expected[256];
    snprintf(expected, sizeof expected, "gritec: error: cannot read '%s': Is a directory\n",
             scratch);
    const char *args[] = { scratch, "-o", scratch, NULL };
    expect_file_error(args, expected, "");
    remove_scratch();
}
END_TEST

START_TEST(missing_output_directory)
{
    make_scratch();
    char out_dir[128], expected[256];
    snprintf(out_dir, sizeof out_dir, "%s/nope", scratch);
    snprintf(expected, sizeof expected,
             "gritec: error: cannot create a file in '%s': No such file or directory\n",
             out_dir);
    const char *args[] = { GRITE_IDL_PATH, "-o", out_dir, NULL };
    expect_file_error(args, expected, "");
    remove_scratch();
}
END_TEST

/* gritec compiles grite.idl into the scratch directory, which holds an
 * older grite.h, under a file size limit far below the header's size.
 * Returns how it ended; the old header must be untouched and no
 * temporary file left, however it ended. */
static program_run write_over_the_size_limit(bool ignore_sigxfsz)
{
    make_scratch();
    char header[128], command[512];
    snprintf(header, sizeof header, "%s/grite.h", scratch);
    test_write_file(header, "/* the previous header */\n");
    snprintf(command, sizeof command, "ulimit -f 8 && %s exec '%s' '%s' -o '%s'",
             ignore_sigxfsz ? "trap '' XFSZ &&" : "", GRITEC_EXE, GRITE_IDL_PATH, scratch);
    const char *args[] = { "-c", command, NULL };
    program_run r = program_run_in("/bin/sh", NULL, NULL, args);
    char *names = scratch_listing();
    ck_assert_str_eq(names, "grite.h");
    free(names);
    size_t len;
    char *kept = tu_read_file(header, &len);
    ck_assert_str_eq(kept, "/* the previous header */\n");
    free(kept);
    remove_scratch();
    return r;
}

/* With SIGXFSZ ignored the write fails with EFBIG, as on a full disk. */
START_TEST(write_error_keeps_the_old_header)
{
    program_run r = write_over_the_size_limit(true);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "gritec: error: cannot write '") == r.err &&
                      strstr(r.err, "/grite.h': File too large\n") != NULL,
                  "%s", r.err);
    program_run_free(&r);
}
END_TEST

/* SIGXFSZ ends gritec mid-write (as Ctrl-C would): the temporary file
 * goes with it. */
START_TEST(signal_while_writing_leaves_no_temporary)
{
    program_run r = write_over_the_size_limit(false);
    ck_assert_msg(WIFSIGNALED(r.wait_status) && WTERMSIG(r.wait_status) == SIGXFSZ,
                  "wait status %d, stderr %s", r.wait_status, r.err);
    program_run_free(&r);
}
END_TEST

/* ---- compiling ---------------------------------------------------------------- */

START_TEST(errors_leave_no_file_behind)
{
    make_scratch();
    char path[128], expected[512];
    snprintf(path, sizeof path, "%s/bad.idl", scratch);
    test_write_file(path, "schema bad version 1;\nstruct Issue { title: Strng }\n");
    snprintf(expected, sizeof expected,
             "%s:2:23: error: unknown type 'Strng' (did you mean 'string'?)\n"
             "    2 | struct Issue { title: Strng }\n"
             "      |                       ^~~~~\n",
             path);
    const char *args[] = { path, "-o", scratch, NULL };
    expect_file_error(args, expected, "bad.idl");   /* no bad.h, no temporary file */
    remove_scratch();
}
END_TEST

START_TEST(success_writes_exactly_one_header)
{
    make_scratch();
    const char *args[] = { GRITE_IDL_PATH, "-o", scratch, NULL };
    program_run r = run_gritec(args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "grite.h");
    free(listing);

    /* -o - writes the same bytes to standard output. */
    const char *args_stdout[] = { GRITE_IDL_PATH, "-o", "-", NULL };
    program_run s = run_gritec(args_stdout);
    ck_assert_int_eq(s.status, 0);
    char header_path[128];
    snprintf(header_path, sizeof header_path, "%s/grite.h", scratch);
    size_t len;
    char *header = tu_read_file(header_path, &len);
    ck_assert_uint_gt(len, 0);
    ck_assert_str_eq(header, s.out);
    struct stat st;
    ck_assert_int_eq(stat(header_path, &st), 0);
    ck_assert_msg((st.st_mode & 0444) == 0444, "header mode %o", (unsigned)st.st_mode);
    free(header);
    program_run_free(&s);
    program_run_free(&r);
    remove_scratch();
}
END_TEST

/* Generated comments put "a" or "an" before a type name by its first
 * letter; only the scalars' names (u32, i8, f64) are read as spoken. A
 * user type with a digit in it (X509Cert, V2Kind) is not a scalar. */
START_TEST(articles_in_generated_comments)
{
    make_scratch();
    char path[128];
    snprintf(path, sizeof path, "%s/names.idl", scratch);
    test_write_file(path, "schema names version 1;\n"
                          "enum X509Kind { Leaf, Root }\n"
                          "enum Item { A }\n"
                          "union V2Kind { Empty, Full }\n");
    const char *args[] = { path, "-o", "-", NULL };
    program_run r = run_gritec(args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "The IDL name of a X509Kind value"));
    ck_assert_ptr_nonnull(strstr(r.out, "The IDL name of an Item value"));
    ck_assert_ptr_nonnull(strstr(r.out, "The IDL name of a V2Kind variant"));
    program_run_free(&r);
    remove_scratch();
}
END_TEST

/* The file is the input's name without ".idl", plus ".h", and the banner
 * inside names the same file. */
START_TEST(header_named_after_the_input)
{
    make_scratch();
    size_t len;
    char *idl = tu_read_file(GRITE_IDL_PATH, &len);
    char path[128], header[128];
    snprintf(path, sizeof path, "%s/proto.v2", scratch);
    test_write_file(path, idl);
    const char *args[] = { "--output", scratch, "--", path, NULL };
    program_run r = run_gritec(args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "proto.v2 proto.v2.h");
    snprintf(header, sizeof header, "%s/proto.v2.h", scratch);
    char *text = tu_read_file(header, &len);
    ck_assert_msg(strncmp(text, "/*\n * proto.v2.h - generated by gritec from proto.v2.", 52) == 0,
                  "%.80s", text);
    free(text);
    free(listing);
    free(idl);
    program_run_free(&r);
    remove_scratch();
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("gritec_cli");
    TCase *info = tcase_create("info");
    tcase_add_test(info, help_goes_to_stdout);
    tcase_add_test(info, version_prints_the_project_version);
    suite_add_tcase(s, info);

    TCase *usage = tcase_create("usage");
    tcase_add_loop_test(usage, usage_errors_exit_2, 0,
                        (int)(sizeof usage_messages / sizeof usage_messages[0]));
    suite_add_tcase(s, usage);

    TCase *io = tcase_create("files");
    tcase_add_test(io, missing_input_file);
    tcase_add_test(io, directory_as_input);
    tcase_add_test(io, missing_output_directory);
    tcase_add_test(io, write_error_keeps_the_old_header);
    tcase_add_test(io, signal_while_writing_leaves_no_temporary);
    tcase_add_test(io, errors_leave_no_file_behind);
    tcase_add_test(io, success_writes_exactly_one_header);
    tcase_add_test(io, header_named_after_the_input);
    tcase_add_test(io, articles_in_generated_comments);
    suite_add_tcase(s, io);
    return s;
}

int main(void)
{
    return grite_check_run(cli_suite());
}
