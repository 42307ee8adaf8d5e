/* store_test_util.h - helpers shared by the store tests: temporary data
 * dirs, a pinned clock, file bytes, and deep comparison of two stores. */
#ifndef GRITE_TESTS_STORE_UTIL_H
#define GRITE_TESTS_STORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define ACTOR_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ACTOR_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define ACTOR_C "cccccccccccccccccccccccccccccccc"

/* A clock the test sets; every read returns `now`. */
struct test_clock {
    uint64_t now;
};
uint64_t test_clock_read(void *ctx);

/* The fixture of the suites about one store: a fresh directory for it,
 * the path of its log, and a clock pinned at 1700000000000 (Unix ms).
 * Register with tcase_add_checked_fixture(tc, store_fixture_setup,
 * store_fixture_teardown). */
struct store_fixture {
    char *dir;
    char *log_path;
    struct test_clock clock;
};
extern struct store_fixture fixture;
void store_fixture_setup(void);
void store_fixture_teardown(void);
/* The fixture's store, opened for actor A on the fixture's clock. */
grite_store *open_fixture_store(void);
/* The same, holding one more issue titled `title`; its id in id[33]. */
grite_store *fixture_store_with_issue(const char *title, char id[GRITE_ID_HEX_LEN + 1]);

/* A fresh directory under $TMPDIR (or /tmp); free() the result. */
char *make_temp_dir(void);
/* rm -r. */
void remove_tree(const char *path);
/* dir + "/" + name; caller frees. */
char *path_join(const char *dir, const char *name);

/* Whole-file helpers (ck_assert on failure). read_file: caller frees. */
uint8_t *read_file(const char *path, size_t *len);
void write_file(const char *path, const uint8_t *bytes, size_t len);
void append_file(const char *path, const void *bytes, size_t len);
uint64_t file_size(const char *path);

/* Opens a store that must open; `clock` may be NULL (real time). */
grite_store *open_store(const char *dir, const char *actor, struct test_clock *clock);
/* Creates an issue that must be created; returns its id in out[33]. */
void create_issue(grite_store *s, const char *title, char out[GRITE_ID_HEX_LEN + 1]);

/* ck_assert that both stores hold exactly the same issues. */
void assert_stores_equal(grite_store *a, grite_store *b);
/* ck_assert that grite_store_check finds the store healthy (GRITE_CHECK_OK). */
void expect_healthy(grite_store *s);
/* How many issues a store lists in all. */
uint64_t issue_total(grite_store *s);

#endif
