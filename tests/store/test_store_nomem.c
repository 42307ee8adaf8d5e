/* test_store_nomem.c - memory runs out while a pull applies a remote's
 * events to the index, or while it sorts them into the issues' comments,
 * labels and assignees afterwards (store_index_settle): the pull fails,
 * and the store, rebuilt from its log, ends up exactly where a pull with
 * memory to spare takes it. The remote's events are the test_store_order
 * history, so the sorting has real merging to do.
 *
 * This binary is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc:
 * every allocation made by code linked into it (the store included) goes
 * through the wrappers below, which fail the one allocation a test picks.
 * Allocations inside shared libraries (libc's qsort) are not counted. */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_history.h"
#include "store_test_util.h"
#include "sync.h"
#include "check_run.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static bool counting;         /* allocations are counted (and may fail) */
static uint64_t allocations;  /* counted so far */
static uint64_t fail_at;      /* the allocation that fails; 0: none */

static bool this_one_fails(void)
{
    return counting && ++allocations == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return this_one_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return this_one_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return this_one_fails() ? NULL : __real_realloc(p, n);
}

/* A store directory fixture.dir/try-<n> holding a copy of the log `log`. */
static char *copy_of(const uint8_t *log, size_t len, unsigned n)
{
    char leaf[32];
    snprintf(leaf, sizeof leaf, "try-%u", n);
    char *dir = path_join(fixture.dir, leaf);
    grite_store_close(open_store(dir, ACTOR_A, NULL)); /* makes the directory */
    char *path = path_join(dir, "events.log");
    write_file(path, log, len);
    free(path);
    return dir;
}

/* Pulls with allocation number `fail` failing (0: none); returns the
 * status, and in *allocated how many allocations the pull made. */
static enum grite_store_status pull_failing_at(grite_store *s, const char *remote, uint64_t fail,
                                               uint64_t *allocated,
                                               struct grite_store_error *err)
{
    allocations = 0;
    fail_at = fail;
    counting = true;
    enum grite_store_status rc = grite_sync_pull(s, remote, NULL, err);
    counting = false;
    *allocated = allocations;
    return rc;
}

START_TEST(a_pull_that_runs_out_of_memory_leaves_a_store_that_recovers)
{
    struct history h = make_history(300), halves[2];
    char *forward_dir = log_in_order(&h, FORWARD, 0, fixture.dir, "forward");
    grite_store *forward = open_store(forward_dir, ACTOR_C, NULL);
    split_history(&h, 5, halves);
    char *local = log_in_order(&halves[0], REVERSED, 1, fixture.dir, "local");
    char *remote = log_in_order(&halves[1], SHUFFLED, 2, fixture.dir, "remote");
    char *local_log = path_join(local, "events.log");
    size_t len;
    uint8_t *log = read_file(local_log, &len);

    /* How many allocations a pull makes when none fails. */
    grite_store *s = open_store(local, ACTOR_A, NULL);
    uint64_t total;
    struct grite_store_error err;
    ck_assert_int_eq(pull_failing_at(s, remote, 0, &total, &err), GRITE_STORE_OK);
    assert_stores_equal(forward, s);
    grite_store_close(s);

    /* The last few are the merges of the sorting after every event is on
     * disk and in the index; the others are spread over the whole pull. */
    unsigned failed_after_writing = 0;
    for (uint64_t back = 1; back <= total; back += back < 8 ? 1 : total / 24) {
        unsigned n = (unsigned)back;
        char *dir = copy_of(log, len, n);
        s = open_store(dir, ACTOR_A, NULL);
        char *path = path_join(dir, "events.log");
        uint64_t allocated;
        enum grite_store_status rc = pull_failing_at(s, remote, total + 1 - back, &allocated, &err);
        ck_assert_uint_ge(allocated, total + 1 - back); /* it got as far as the failing one */
        ck_assert_msg(rc == GRITE_STORE_INTERNAL, "allocation %llu failed, yet: %s",
                      (unsigned long long)(total + 1 - back), err.message);
        if (file_size(path) > len && strcmp(err.message, "out of memory") == 0)
            failed_after_writing++; /* the sorting failed, not an event's apply */
        struct grite_store_error again;
        ck_assert_msg(grite_sync_pull(s, remote, NULL, &again) == GRITE_STORE_OK, "%s",
                      again.message);
        assert_stores_equal(forward, s);
        expect_healthy(s);
        grite_store_close(s);
        free(path);
        free(dir);
    }
    ck_assert_uint_gt(failed_after_writing, 0);

    grite_store_close(forward);
    free(log);
    free(local_log);
    free(local);
    free(remote);
    free(forward_dir);
    free(halves[0].ev);
    free(halves[1].ev);
    free(h.ev);
}
END_TEST

static Suite *store_nomem_suite(void)
{
    Suite *suite = suite_create("store_nomem");
    TCase *tc = tcase_create("nomem");
    tcase_add_checked_fixture(tc, store_fixture_setup, store_fixture_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_pull_that_runs_out_of_memory_leaves_a_store_that_recovers);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_nomem_suite());
}
