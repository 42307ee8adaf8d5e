/*
 * replay.c - a harness without libFuzzer: the Check suite fuzz_replay_<target>
 * feeds every file of the target's committed seed corpus and regression
 * folder to the same LLVMFuzzerTestOneInput the fuzzer calls. So every
 * build (and the sanitized CI build) re-checks every crash ever found and
 * every seed, without clang.
 *
 * Built with FUZZ_TARGET ("archive") and FUZZ_INPUT_DIRS (folders separated
 * by ':'; a missing folder counts as empty). Each file runs in its own
 * forked test (Check's loop tests), so a crash names its file and the
 * other inputs still run.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the harness"
#endif
#ifndef FUZZ_INPUT_DIRS
#error "FUZZ_INPUT_DIRS must list the input folders"
#endif

/* ---- the input files ------------------------------------------------------- */

static char **inputs;
static size_t n_inputs, cap_inputs;
static size_t n_seeds;   /* inputs from the first folder, the seed corpus */

static void add_input(const char *path)
{
    if (n_inputs == cap_inputs) {
        cap_inputs = cap_inputs ? 2 * cap_inputs : 64;
        inputs = realloc(inputs, cap_inputs * sizeof *inputs);
        if (!inputs) {
            perror("replay");
            exit(1);
        }
    }
    inputs[n_inputs] = strdup(path);
    if (!inputs[n_inputs]) {
        perror("replay");
        exit(1);
    }
    n_inputs++;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in dir, in name order, except *.md (a
 * folder's README is not an input). */
static void collect_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT) {
            fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
            exit(1);
        }
        return;
    }
    size_t first = n_inputs;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            add_input(path);
    }
    closedir(d);
    qsort(inputs + first, n_inputs - first, sizeof *inputs, compare_paths);
}

static void collect_inputs(void)
{
    char *dirs = strdup(FUZZ_INPUT_DIRS);
    if (!dirs) {
        perror("replay");
        exit(1);
    }
    char *save = NULL;
    int first = 1;
    for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        collect_dir(dir);
        if (first)
            n_seeds = n_inputs;
        first = 0;
    }
    free(dirs);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    unsigned char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            data = realloc(data, cap);
            ck_assert_ptr_nonnull(data);
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    ck_assert_msg(!ferror(f), "cannot read %s", path);
    fclose(f);
    *len = n;
    return data;
}

/* ---- tests ----------------------------------------------------------------- */

START_TEST(seed_corpus_is_there)
{
    ck_assert_msg(n_seeds > 0, "no seed inputs in %s", FUZZ_INPUT_DIRS);
}
END_TEST

/* Input number _i: the harness aborts (failing this test) on a finding. */
START_TEST(replay_input)
{
    const char *path = inputs[_i];
    fprintf(stderr, "replay " FUZZ_TARGET ": %s\n", path);
    size_t len;
    unsigned char *data = read_file(path, &len);
    /* The fuzzer never passes a NULL pointer, even for an empty input. */
    ck_assert_int_eq(LLVMFuzzerTestOneInput(data, len), 0);
    free(data);
}
END_TEST

int main(void)
{
    collect_inputs();
    Suite *s = suite_create("fuzz_replay_" FUZZ_TARGET);
    TCase *tc = tcase_create("inputs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, seed_corpus_is_there);
    if (n_inputs > 0)
        tcase_add_loop_test(tc, replay_input, 0, (int)n_inputs);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < n_inputs; i++)
        free(inputs[i]);
    free(inputs);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
