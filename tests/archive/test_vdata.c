/*
 * test_vdata.c - runs every hand-written hostile buffer in the vdata folder
 * (format: vdata/README.md): the validator must give the expected code
 * and path; an accepted buffer must read back through every accessor
 * without leaving the buffer. Also checks that every validator error code
 * has at least one case.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "roots.h"
#include "vdata_parse.h"

#ifndef GRITE_VDATA_DIR
#error "GRITE_VDATA_DIR must name the folder of .vdata files"
#endif

static char **case_files;
static size_t n_case_files;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every *.vdata in the folder, sorted, as full paths. */
static void find_cases(void)
{
    DIR *dir = opendir(GRITE_VDATA_DIR);
    if (!dir) {
        perror(GRITE_VDATA_DIR);
        exit(EXIT_FAILURE);
    }
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (!ends_with(e->d_name, ".vdata"))
            continue;
        if (n_case_files == cap) {
            cap = cap ? cap * 2 : 64;
            case_files = realloc(case_files, cap * sizeof *case_files);
            if (!case_files)
                abort();
        }
        size_t n = strlen(GRITE_VDATA_DIR) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path)
            abort();
        snprintf(path, n, "%s/%s", GRITE_VDATA_DIR, e->d_name);
        case_files[n_case_files++] = path;
    }
    closedir(dir);
    qsort(case_files, n_case_files, sizeof *case_files, by_name);
}

/* The code grite_verror_name() spells `name`, 0 for PASS, -1 if none. */
static int code_by_name(const char *name)
{
    if (strcmp(name, "PASS") == 0)
        return 0;
    for (int code = 1; code < GRITE_VERROR_COUNT_; code++)
        if (strcmp(grite_verror_name(code), name) == 0)
            return code;
    return -1;
}

/* `want` ending in "..." only has to be a prefix of `got`. */
static bool path_matches(const char *want, const char *got)
{
    size_t n = strlen(want);
    if (n >= 3 && strcmp(want + n - 3, "...") == 0)
        return strncmp(want, got, n - 3) == 0;
    return strcmp(want, got) == 0;
}

static vdata_case load(const char *path)
{
    vdata_case vc;
    char err[700];
    ck_assert_msg(vdata_load(path, &vc, err, sizeof err), "%s", err);
    return vc;
}

START_TEST(vdata_case_gives_expected_verdict)
{
    const char *path = case_files[_i];
    const char *name = strrchr(path, '/') + 1;
    vdata_case vc = load(path);
    const root_type *rt = root_find(vc.root);
    ck_assert_msg(rt != NULL, "%s: unknown root type '%s'", path, vc.root);
    int want = code_by_name(vc.expect);
    ck_assert_msg(want >= 0, "%s:%u: '%s' is not an error name of grite/verror.h", path,
                  vc.expect_line, vc.expect);

    /* Exactly len bytes end the allocation, so ASan sees any overread;
     * `shift` moves the start off 8-byte alignment. */
    uint8_t *mem = malloc(vc.len + vc.shift ? vc.len + vc.shift : 1);
    ck_assert_ptr_nonnull(mem);
    if (vc.len)
        memcpy(mem + vc.shift, vc.bytes, vc.len);
    checked c = root_check(rt, mem + vc.shift, vc.len, !vc.has_depth, vc.depth, NULL);
    free(mem);

    ck_assert_msg(c.problem[0] == '\0', "%s: %s", name, c.problem);
    if (want == 0)
        ck_assert_msg(c.rc == 0, "%s: expected PASS, got %s at \"%s\" (offset %u)", name,
                      grite_verror_name(c.rc), c.err.path, c.err.offset);
    else
        ck_assert_msg(c.rc == want && path_matches(vc.expect_path, c.err.path),
                      "%s: expected %s at \"%s\", got %s at \"%s\" (offset %u)", name, vc.expect,
                      vc.expect_path, c.rc ? grite_verror_name(c.rc) : "PASS", c.err.path,
                      c.err.offset);
    if (want != 0 && vc.has_expect_offset)
        ck_assert_msg(c.err.offset == vc.expect_offset, "%s: expected the error at offset %zu, got %u",
                      name, vc.expect_offset, c.err.offset);
    vdata_free(&vc);
}
END_TEST

START_TEST(every_error_code_has_a_case)
{
    bool seen[GRITE_VERROR_COUNT_] = { false };
    for (size_t i = 0; i < n_case_files; i++) {
        vdata_case vc = load(case_files[i]);
        int code = code_by_name(vc.expect);
        if (code >= 0)
            seen[code] = true;
        vdata_free(&vc);
    }
    ck_assert_msg(seen[0], "no `expect PASS` case");
    for (int code = 1; code < GRITE_VERROR_COUNT_; code++)
        ck_assert_msg(seen[code], "no vdata case expects %s", grite_verror_name(code));
}
END_TEST

/* Run one case file and return the validator's error. */
static grite_verror run_case(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", GRITE_VDATA_DIR, file);
    vdata_case vc = load(path);
    uint8_t *mem = malloc(vc.len + vc.shift + 1);
    ck_assert_ptr_nonnull(mem);
    memcpy(mem + vc.shift, vc.bytes, vc.len);
    grite_verror err;
    ck_assert_int_ne(root_find(vc.root)->validate(mem + vc.shift, vc.len, &err), 0);
    free(mem);
    vdata_free(&vc);
    return err;
}

START_TEST(error_text_names_path_and_offset)
{
    char text[300];
    /* labels[1]'s bytes start at 48 (root) + 24 (payload) + 16 (array)
     * + 3 ("ok" and its NUL) = 91, and its first byte is the bad one. */
    grite_verror err = run_case("utf8_overlong_4byte.vdata");
    int n = grite_verror_format(&err, text, sizeof text);
    ck_assert_str_eq(text, "command.IssueCreate.labels[1]: string is not valid UTF-8 (at offset 91)");
    ck_assert_int_eq(n, (int)strlen(text));

    err = run_case("buffer_misaligned.vdata");   /* no path: no "path: " prefix */
    grite_verror_format(&err, text, sizeof text);
    ck_assert_str_eq(text, "buffer is not 8-byte aligned (at offset 0)");

    /* Too small an output: cut and terminated, the full length returned. */
    char small[10];
    n = grite_verror_format(&err, small, sizeof small);
    ck_assert_str_eq(small, "buffer is");
    ck_assert_int_eq(n, (int)strlen("buffer is not 8-byte aligned (at offset 0)"));
    ck_assert_str_eq(grite_verror_name(GRITE_VERROR_TOO_DEEP), "TOO_DEEP");
    ck_assert_str_eq(grite_verror_name(GRITE_VERROR_COUNT_), "UNKNOWN");
    ck_assert_str_eq(grite_verror_text(-1), "unknown error");
}
END_TEST

static Suite *vdata_suite(void)
{
    Suite *s = suite_create("archive_vdata");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, vdata_case_gives_expected_verdict, 0, (int)n_case_files);
    tcase_add_test(tc, every_error_code_has_a_case);
    tcase_add_test(tc, error_text_names_path_and_offset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    find_cases();
    int status = grite_check_run(vdata_suite());
    for (size_t i = 0; i < n_case_files; i++)
        free(case_files[i]);
    free(case_files);
    return n_case_files > 0 ? status : EXIT_FAILURE;   /* no cases found: a broken setup */
}
