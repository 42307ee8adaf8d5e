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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

typedef struct run_result {
    int status;          /* exit status, or -1 if it did not exit normally */
    char *out;           /* everything on stdout */
    char *err;           /* everything on stderr */
} run_result;

static char *slurp_fd(int fd)
{
    ck_assert_int_eq((int)lseek(fd, 0, SEEK_SET), 0);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - len);
        ck_assert_int_ge((int)n, 0);
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[len] = '\0';
    close(fd);
    return buf;
}

static int temp_fd(void)
{
    char name[] = "/tmp/gritec-cli-out-XXXXXX";
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    unlink(name);
    return fd;
}

/* Run gritec with args (NULL-terminated, without argv[0]). */
static run_result run_gritec(const char *const *args)
{
    const char *argv[16] = { GRITEC_EXE };
    size_t n = 1;
    for (; args[n - 1] != NULL; n++) {
        ck_assert_uint_lt(n, 15);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    int out = temp_fd(), err = temp_fd();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out, 1);
        dup2(err, 2);
        execv(GRITEC_EXE, (char *const *)argv);
        _exit(127);
    }
    int wstatus = 0;
    ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
    run_result r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    r.out = slurp_fd(out);
    r.err = slurp_fd(err);
    return r;
}

static void run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
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
    struct dirent **entries;
    int n = scandir(scratch, &entries, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", scratch, entries[i]->d_name);
        if (strcmp(entries[i]->d_name, ".") != 0 && strcmp(entries[i]->d_name, "..") != 0)
            unlink(path);
        free(entries[i]);
    }
    free(entries);
    rmdir(scratch);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* ---- informational options ---------------------------------------------- */

START_TEST(help_goes_to_stdout)
{
    const char *args[] = { "--help", NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strncmp(r.out, "usage: gritec [options] FILE.idl -o DIR\n", 40) == 0, "%s",
                  r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "--output DIR"));
    ck_assert_str_eq(r.err, "");
    run_result_free(&r);
}
END_TEST

START_TEST(version_prints_the_project_version)
{
    const char *args[] = { "--version", NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "gritec " GRITE_VERSION "\n");
    ck_assert_str_eq(r.err, "");
    run_result_free(&r);
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
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    char expected[512];
    snprintf(expected, sizeof expected, "%stry 'gritec --help'\n", usage_messages[_i]);
    ck_assert_str_eq(r.err, expected);
    run_result_free(&r);
}
END_TEST

/* ---- unreadable input: exit 1, the file and the reason --------------------- */

START_TEST(missing_input_file)
{
    make_scratch();
    char path[128];
    snprintf(path, sizeof path, "%s/missing.idl", scratch);
    const char *args[] = { path, "-o", scratch, NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 1);
    char expected[256];
    snprintf(expected, sizeof expected,
             "gritec: error: cannot read '%s': No such file or directory\n", path);
    ck_assert_str_eq(r.err, expected);
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "");
    free(listing);
    run_result_free(&r);
    remove_scratch();
}
END_TEST

START_TEST(directory_as_input)
{
    make_scratch();
    const char *args[] = { scratch, "-o", scratch, NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(ends_with(r.err, "': Is a directory\n"), "%s", r.err);
    run_result_free(&r);
    remove_scratch();
}
END_TEST

/* ---- compiling ---------------------------------------------------------------- */

START_TEST(errors_leave_no_file_behind)
{
    make_scratch();
    char path[128];
    snprintf(path, sizeof path, "%s/bad.idl", scratch);
    write_file(path, "schema bad version 1;\nstruct Issue { title: Strng }\n");
    char out_dir[128];
    snprintf(out_dir, sizeof out_dir, "%s", scratch);
    const char *args[] = { path, "-o", out_dir, NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s:2:23: error: unknown type 'Strng' (did you mean 'string'?)\n"
             "    2 | struct Issue { title: Strng }\n"
             "      |                       ^~~~~\n",
             path);
    ck_assert_str_eq(r.err, expected);
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "bad.idl"); /* no bad.h, no temporary file */
    free(listing);
    run_result_free(&r);
    remove_scratch();
}
END_TEST

START_TEST(success_writes_exactly_one_header)
{
    make_scratch();
    const char *args[] = { GRITE_IDL_PATH, "-o", scratch, NULL };
    run_result r = run_gritec(args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "grite.h");
    free(listing);

    /* -o - writes the same bytes to standard output. */
    const char *args_stdout[] = { GRITE_IDL_PATH, "-o", "-", NULL };
    run_result s = run_gritec(args_stdout);
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
    run_result_free(&s);
    run_result_free(&r);
    remove_scratch();
}
END_TEST

START_TEST(header_named_after_the_input)
{
    make_scratch();
    size_t len;
    char *idl = tu_read_file(GRITE_IDL_PATH, &len);
    char path[128];
    snprintf(path, sizeof path, "%s/proto", scratch);
    write_file(path, idl);
    const char *args[] = { "--output", scratch, "--", path, NULL };
    run_result r = run_gritec(args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *listing = scratch_listing();
    ck_assert_str_eq(listing, "proto proto.h");
    free(listing);
    free(idl);
    run_result_free(&r);
    remove_scratch();
}
END_TEST

START_TEST(missing_output_directory)
{
    make_scratch();
    char out_dir[128];
    snprintf(out_dir, sizeof out_dir, "%s/nope", scratch);
    const char *args[] = { GRITE_IDL_PATH, "-o", out_dir, NULL };
    run_result r = run_gritec(args);
    ck_assert_int_eq(r.status, 1);
    char expected[256];
    snprintf(expected, sizeof expected,
             "gritec: error: cannot create a file in '%s': No such file or directory\n",
             out_dir);
    ck_assert_str_eq(r.err, expected);
    run_result_free(&r);
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
    tcase_add_test(io, errors_leave_no_file_behind);
    tcase_add_test(io, success_writes_exactly_one_header);
    tcase_add_test(io, header_named_after_the_input);
    tcase_add_test(io, missing_output_directory);
    suite_add_tcase(s, io);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cli_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
