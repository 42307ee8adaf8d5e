/* test_store_order.c - a log's order never shows in the issues it holds.
 * One history of events (two issues; comments, labels and assignees with
 * tied timestamps, tied actors, repeated labels) is written to logs in
 * several orders: forward (each event in stamp order, as the store writes
 * them), reversed, shuffled, ties reversed, with records repeated. Every
 * log must open to exactly what the forward log gives, and so must stores
 * that got the history in two halves through pull, push or another
 * writer's appends. The forward log is itself checked against the order
 * docs/STORE.md gives: comments by (created_ts, author, comment id), labels
 * and assignees sorted and without duplicates. Records are made by hand
 * (store_records.h), so any order can be written, not only the ones the
 * store would write itself. */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_history.h"
#include "store_records.h"
#include "store_test_util.h"
#include "sync.h"
#include "check_run.h"

#define HEADER_SIZE 16 /* of a log */

/* ---- what the forward log must give ---- */

static void hex_of(const uint8_t id[16], char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", id[i]);
}

static int string_order(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts items[0..n) and drops repeats; returns how many are left. */
static size_t sorted_set(const char **items, size_t n)
{
    qsort(items, n, sizeof *items, string_order);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || strcmp(items[kept - 1], items[i]) != 0)
            items[kept++] = items[i];
    return kept;
}

static void expect_strings(char *const *got, size_t got_n, const char **want, size_t want_n)
{
    ck_assert_uint_eq(got_n, want_n);
    for (size_t i = 0; i < want_n; i++)
        ck_assert_str_eq(got[i], want[i]);
}

static void expect_comments(const struct grite_issue *is, const struct history *h, uint8_t issue)
{
    const struct spec **want = calloc(h->count, sizeof *want);
    ck_assert_ptr_nonnull(want);
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++)
        if (h->ev[i].kind == KIND_COMMENT && h->ev[i].issue == issue)
            want[n++] = &h->ev[i];
    qsort(want, n, sizeof *want, stamp_order); /* (created_ts, author, comment id) */
    ck_assert_uint_eq(is->comment_count, n);
    for (size_t i = 0; i < n; i++) {
        char id[33], author[33];
        hex_of(want[i]->id, id);
        filled_id_hex(want[i]->actor, author);
        ck_assert_str_eq(is->comments[i].comment_id, id);
        ck_assert_str_eq(is->comments[i].author, author);
        ck_assert_uint_eq(is->comments[i].created_ts, want[i]->ts);
        ck_assert_str_eq(is->comments[i].body, want[i]->text);
    }
    free(want);
}

static void expect_labels_and_assignees(const struct grite_issue *is, const struct history *h,
                                        uint8_t issue)
{
    const char **labels = calloc(h->count + 2, sizeof *labels);
    char(*hexes)[33] = calloc(h->count, sizeof *hexes);
    const char **assignees = calloc(h->count, sizeof *assignees);
    ck_assert(labels != NULL && hexes != NULL && assignees != NULL);
    size_t nl = 0, na = 0;
    if (issue == ISSUE_X) { /* its create's labels */
        labels[nl++] = "triage";
        labels[nl++] = "bug";
    }
    for (size_t i = 0; i < h->count; i++) {
        const struct spec *e = &h->ev[i];
        if (e->issue == issue && e->kind == KIND_LABEL)
            labels[nl++] = e->text;
        if (e->issue == issue && e->kind == KIND_ASSIGN) {
            filled_id_hex(e->assignee, hexes[na]);
            assignees[na] = hexes[na];
            na++;
        }
    }
    expect_strings(is->labels, is->label_count, labels, sorted_set(labels, nl));
    expect_strings(is->assignees, is->assignee_count, assignees, sorted_set(assignees, na));
    free(labels);
    free(hexes);
    free(assignees);
}

static const struct grite_issue *show(grite_store *s, uint8_t issue)
{
    char id[33];
    filled_id_hex(issue, id);
    const struct grite_issue *is = NULL;
    struct grite_store_error err;
    ck_assert_msg(grite_store_issue_show(s, id, &is, &err) == GRITE_STORE_OK, "show: %s",
                  err.message);
    return is;
}

static void expect_sync(enum grite_store_status rc, const struct grite_store_error *err)
{
    ck_assert_msg(rc == GRITE_STORE_OK, "sync: %s", err->message);
}

/* ---- the tests ---- */

/* Small enough to replay in small steps; large enough (some 150 KB) for
 * the store's bulk replay. */
static const size_t history_sizes[] = {40, 600};

/* A history, and a store opened on its forward log. */
static grite_store *forward_store(struct history *h, int size_index)
{
    *h = make_history(history_sizes[size_index]);
    char *dir = log_in_order(h, FORWARD, 0, fixture.dir, "forward");
    grite_store *s = open_store(dir, ACTOR_C, NULL);
    free(dir);
    return s;
}

START_TEST(the_forward_log_gives_the_documented_order)
{
    struct history h;
    grite_store *forward = forward_store(&h, _i);
    for (int k = 0; k < 2; k++) {
        uint8_t issue = k == 0 ? ISSUE_X : ISSUE_Y;
        expect_comments(show(forward, issue), &h, issue);
        expect_labels_and_assignees(show(forward, issue), &h, issue);
    }
    ck_assert_uint_gt(show(forward, ISSUE_X)->comment_count, 20);
    ck_assert_uint_ge(show(forward, ISSUE_X)->assignee_count, 4);
    expect_healthy(forward);
    grite_store_close(forward);
    free(h.ev);
}
END_TEST

START_TEST(every_log_order_opens_like_the_forward_log)
{
    struct history h;
    grite_store *forward = forward_store(&h, _i);
    for (int order = REVERSED; order < ORDER_COUNT; order++)
        for (unsigned seed = 1; seed <= (order >= SHUFFLED ? 3u : 1u); seed++) {
            char *dir =
                log_in_order(&h, (enum order)order, seed, fixture.dir, order_names[order]);
            grite_store *s = open_store(dir, ACTOR_C, NULL);
            assert_stores_equal(forward, s);
            expect_healthy(s);
            grite_store_close(s);
            free(dir);
        }
    grite_store_close(forward);
    free(h.ev);
}
END_TEST

/* Pairs of orders for the two halves of a split history. */
static const enum order half_orders[][2] = {
    {FORWARD, REVERSED}, {REVERSED, FORWARD}, {SHUFFLED, TIES_REVERSED}, {REVERSED, REVERSED}};
#define HALF_ORDER_COUNT (sizeof half_orders / sizeof half_orders[0])

/* One way to bring together the halves of a history that the stores in
 * `local` and `remote` hold. Returns an open store that must now hold it
 * all, and in *dir where that store lives. */
typedef grite_store *(*join_fn)(const char *local, const char *remote, const char **dir);

/* Splits the history every way half_orders says, joins the halves with
 * `join`, and compares the result with the forward log's store; then
 * opens the joined store again, to see its log hold the same. */
static void join_every_split(int size_index, unsigned seed, join_fn join)
{
    struct history h, halves[2];
    grite_store *forward = forward_store(&h, size_index);
    for (unsigned k = 0; k < HALF_ORDER_COUNT; k++) {
        split_history(&h, seed + k, halves);
        char *local =
            log_in_order(&halves[0], half_orders[k][0], seed + 10 + k, fixture.dir, "local");
        char *remote =
            log_in_order(&halves[1], half_orders[k][1], seed + 20 + k, fixture.dir, "remote");
        const char *dir;
        grite_store *s = join(local, remote, &dir);
        assert_stores_equal(forward, s);
        expect_healthy(s);
        grite_store_close(s);
        s = open_store(dir, ACTOR_A, NULL);
        assert_stores_equal(forward, s);
        grite_store_close(s);
        free(local);
        free(remote);
        free(halves[0].ev);
        free(halves[1].ev);
    }
    grite_store_close(forward);
    free(h.ev);
}

/* A store with many comments on X already; the pull merges more in. */
static grite_store *open_with_comments(const char *dir)
{
    grite_store *s = open_store(dir, ACTOR_A, NULL);
    ck_assert_uint_gt(show(s, ISSUE_X)->comment_count, 0);
    return s;
}

static grite_store *join_by_pull(const char *local, const char *remote, const char **dir)
{
    grite_store *s = open_with_comments(local);
    struct grite_sync_result r;
    struct grite_store_error err;
    expect_sync(grite_sync_pull(s, remote, &r, &err), &err);
    ck_assert_uint_gt(r.comments_merged, 0);
    *dir = local; /* its log: one half, then the other */
    return s;
}

/* The remote's own handle, open during the push, sees it land. */
static grite_store *join_by_push(const char *local, const char *remote, const char **dir)
{
    grite_store *s = open_store(local, ACTOR_A, NULL);
    grite_store *theirs = open_with_comments(remote);
    struct grite_sync_result r;
    struct grite_store_error err;
    expect_sync(grite_sync_push(s, remote, &r, &err), &err);
    ck_assert_uint_gt(r.comments_merged, 0);
    grite_store_close(s);
    *dir = remote;
    return theirs;
}

/* Another writer appends the remote's records (their creates repeat ours)
 * to the log of an open handle, which picks them up on its next call. */
static grite_store *join_by_appending(const char *local, const char *remote, const char **dir)
{
    grite_store *s = open_with_comments(local);
    char *from = path_join(remote, "events.log"), *to = path_join(local, "events.log");
    size_t len;
    uint8_t *bytes = read_file(from, &len);
    append_file(to, bytes + HEADER_SIZE, len - HEADER_SIZE);
    free(bytes);
    free(from);
    free(to);
    *dir = local;
    return s;
}

START_TEST(pull_merges_two_halves_into_the_forward_result)
{
    join_every_split(_i, 100, join_by_pull);
}
END_TEST

START_TEST(push_merges_two_halves_into_the_forward_result)
{
    join_every_split(_i, 200, join_by_push);
}
END_TEST

START_TEST(another_writers_events_merge_in_order)
{
    join_every_split(_i, 300, join_by_appending);
}
END_TEST

/* After a bulk replay, edits made through the API still land in order. */
START_TEST(live_edits_after_a_reversed_log_stay_in_order)
{
    struct history h;
    grite_store *forward = forward_store(&h, _i);
    char *dir = log_in_order(&h, REVERSED, 0, fixture.dir, "live");
    grite_store *s = open_store(dir, ACTOR_A, NULL);
    char x[33];
    filled_id_hex(ISSUE_X, x);
    struct grite_commented c;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_issue_comment(s, x, "live", &c, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(s, x, "aaa-first", NULL, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(s, x, "label-055", NULL, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(s, x, "bug", NULL, &err), GRITE_STORE_OK);
    const struct grite_issue *is = show(s, ISSUE_X);
    const struct grite_issue *before = show(forward, ISSUE_X);
    ck_assert_uint_eq(is->comment_count, before->comment_count + 1);
    ck_assert_str_eq(is->comments[is->comment_count - 1].comment_id, c.comment_id);
    ck_assert_uint_eq(is->label_count, before->label_count + 2); /* bug was there */
    ck_assert_str_eq(is->labels[0], "aaa-first");
    bool found = false;
    for (size_t i = 1; i < is->label_count && !found; i++)
        found = strcmp(is->labels[i], "label-055") == 0;
    ck_assert(found); /* and in its place: the check below looks at the order */
    expect_healthy(s);
    grite_store_close(s);
    grite_store_close(forward);
    free(dir);
    free(h.ev);
}
END_TEST

static Suite *store_order_suite(void)
{
    Suite *suite = suite_create("store_order");
    TCase *tc = tcase_create("order");
    tcase_add_checked_fixture(tc, store_fixture_setup, store_fixture_teardown);
    tcase_set_timeout(tc, 60);
    int sizes = (int)(sizeof history_sizes / sizeof history_sizes[0]);
    tcase_add_loop_test(tc, the_forward_log_gives_the_documented_order, 0, sizes);
    tcase_add_loop_test(tc, every_log_order_opens_like_the_forward_log, 0, sizes);
    tcase_add_loop_test(tc, pull_merges_two_halves_into_the_forward_result, 0, sizes);
    tcase_add_loop_test(tc, push_merges_two_halves_into_the_forward_result, 0, sizes);
    tcase_add_loop_test(tc, another_writers_events_merge_in_order, 0, sizes);
    tcase_add_loop_test(tc, live_edits_after_a_reversed_log_stay_in_order, 0, sizes);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_order_suite());
}
