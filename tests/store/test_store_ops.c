/* test_store_ops.c - every issue operation of daemon/store.h, its errors,
 * the list order and filter, restarts between writes, several handles on
 * one directory, and the integrity check on a healthy store. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store_test_util.h"
#include "check_run.h"

static const struct grite_issue *show(grite_store *s, const char *id)
{
    const struct grite_issue *issue = NULL;
    struct grite_store_error err;
    enum grite_store_status rc = grite_store_issue_show(s, id, &issue, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "show %s: %s", id, err.message);
    return issue;
}

/* ---- create and show ---- */

START_TEST(create_then_show_returns_every_field)
{
    grite_store *s = open_fixture_store();
    const char *labels[] = {"bug", "daemon", "bug", "p1"};
    struct grite_created created;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_issue_create(s, "Daemon loses lock", "After suspend.\nTwice.",
                                              labels, 4, &created, &err),
                     GRITE_STORE_OK);
    ck_assert_uint_eq(strlen(created.issue_id), 32);
    ck_assert_uint_eq(strspn(created.issue_id, "0123456789abcdef"), 32);
    ck_assert_uint_eq(created.created_ts, fixture.clock.now);

    const struct grite_issue *is = show(s, created.issue_id);
    ck_assert_str_eq(is->issue_id, created.issue_id);
    ck_assert_str_eq(is->title, "Daemon loses lock");
    ck_assert_str_eq(is->body, "After suspend.\nTwice.");
    ck_assert_int_eq(is->state, GRITE_ISSUE_OPEN);
    ck_assert_str_eq(is->author, ACTOR_A);
    ck_assert_uint_eq(is->label_count, 3); /* the duplicate "bug" folded */
    ck_assert_str_eq(is->labels[0], "bug");
    ck_assert_str_eq(is->labels[1], "daemon");
    ck_assert_str_eq(is->labels[2], "p1");
    ck_assert_uint_eq(is->assignee_count, 0);
    ck_assert_uint_eq(is->comment_count, 0);
    ck_assert_uint_eq(is->created_ts, fixture.clock.now);
    ck_assert_uint_eq(is->updated_ts, fixture.clock.now);
    grite_store_close(s);
}
END_TEST

START_TEST(create_ids_are_distinct_and_null_body_is_empty)
{
    grite_store *s = open_fixture_store();
    struct grite_created a, b;
    ck_assert_int_eq(grite_store_issue_create(s, "one", NULL, NULL, 0, &a, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_create(s, "two", NULL, NULL, 0, &b, NULL), GRITE_STORE_OK);
    ck_assert_str_ne(a.issue_id, b.issue_id);
    ck_assert_str_eq(show(s, a.issue_id)->body, "");
    grite_store_close(s);
}
END_TEST

START_TEST(text_at_the_limits_and_unicode_is_accepted)
{
    grite_store *s = open_fixture_store();
    char *title = malloc(GRITE_TITLE_MAX + 1);
    char *body = malloc(GRITE_BODY_MAX + 1);
    memset(title, 't', GRITE_TITLE_MAX);
    title[GRITE_TITLE_MAX] = '\0';
    memset(body, 'b', GRITE_BODY_MAX);
    body[GRITE_BODY_MAX] = '\0';
    char label[GRITE_LABEL_MAX + 1];
    memset(label, 'l', GRITE_LABEL_MAX);
    label[GRITE_LABEL_MAX] = '\0';
    const char *labels[] = {label};
    struct grite_created c;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_issue_create(s, title, body, labels, 1, &c, &err),
                     GRITE_STORE_OK);
    ck_assert_uint_eq(strlen(show(s, c.issue_id)->body), GRITE_BODY_MAX);
    /* "Ünïcödé ✓ 𝄞": two-, three- and four-byte sequences */
    const char *unicode = "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9"
                          " \xe2\x9c\x93 \xf0\x9d\x84\x9e";
    ck_assert_int_eq(grite_store_issue_create(s, unicode, "tab\there\r\n", NULL, 0, &c, &err),
                     GRITE_STORE_OK);
    ck_assert_str_eq(show(s, c.issue_id)->title, unicode);
    free(title);
    free(body);
    grite_store_close(s);
}
END_TEST

/* Each bad create is refused as invalid_args, says which field, writes nothing. */
static void expect_bad_create(grite_store *s, const char *title, const char *body,
                              const char *const *labels, size_t n, const char *field)
{
    uint64_t before = file_size(fixture.log_path);
    struct grite_created c;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_issue_create(s, title, body, labels, n, &c, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(err.code, GRITE_STORE_INVALID_ARGS);
    ck_assert_msg(strstr(err.message, field) != NULL, "'%s' does not name %s", err.message,
                  field);
    ck_assert_uint_eq(file_size(fixture.log_path), before);
}

START_TEST(create_rejects_bad_text)
{
    grite_store *s = open_fixture_store();
    char long_title[GRITE_TITLE_MAX + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    expect_bad_create(s, NULL, "", NULL, 0, "title");
    expect_bad_create(s, "", "", NULL, 0, "title");
    expect_bad_create(s, "   ", "", NULL, 0, "title");
    expect_bad_create(s, "two\nlines", "", NULL, 0, "title");
    expect_bad_create(s, "del\x7f", "", NULL, 0, "title");
    expect_bad_create(s, "c1 \xc2\x85", "", NULL, 0, "title");
    expect_bad_create(s, long_title, "", NULL, 0, "title");
    expect_bad_create(s, "overlong \xc0\xaf", "", NULL, 0, "UTF-8");
    expect_bad_create(s, "surrogate \xed\xa0\x80", "", NULL, 0, "UTF-8");
    expect_bad_create(s, "cut \xe2\x82", "", NULL, 0, "UTF-8");
    expect_bad_create(s, "too big \xf4\x90\x80\x80", "", NULL, 0, "UTF-8");
    expect_bad_create(s, "lone \x80", "", NULL, 0, "UTF-8");
    expect_bad_create(s, "ok", "bell \x07", NULL, 0, "body");
    expect_bad_create(s, "ok", "bad \xff", NULL, 0, "body");
    char *huge = malloc(GRITE_BODY_MAX + 2);
    memset(huge, 'b', GRITE_BODY_MAX + 1);
    huge[GRITE_BODY_MAX + 1] = '\0';
    expect_bad_create(s, "ok", huge, NULL, 0, "body");
    free(huge);
    ck_assert_uint_eq(issue_total(s), 0);
    grite_store_close(s);
}
END_TEST

START_TEST(create_rejects_bad_labels)
{
    grite_store *s = open_fixture_store();
    const char *empty[] = {"ok", ""};
    const char *spaced[] = {" lead"};
    const char *trailing[] = {"trail "};
    const char *tabbed[] = {"a\tb"};
    const char *null_label[] = {NULL};
    expect_bad_create(s, "t", "", empty, 2, "label");
    expect_bad_create(s, "t", "", spaced, 1, "label");
    expect_bad_create(s, "t", "", trailing, 1, "label");
    expect_bad_create(s, "t", "", tabbed, 1, "label");
    expect_bad_create(s, "t", "", null_label, 1, "label");
    expect_bad_create(s, "t", "", NULL, 2, "label");
    const char *many[GRITE_LABELS_MAX + 1];
    char names[GRITE_LABELS_MAX + 1][8];
    for (int i = 0; i <= GRITE_LABELS_MAX; i++) {
        snprintf(names[i], sizeof names[i], "l%d", i);
        many[i] = names[i];
    }
    expect_bad_create(s, "t", "", many, GRITE_LABELS_MAX + 1, "labels");
    struct grite_created c;
    ck_assert_int_eq(grite_store_issue_create(s, "t", "", many, GRITE_LABELS_MAX, &c, NULL),
                     GRITE_STORE_OK);
    ck_assert_uint_eq(show(s, c.issue_id)->label_count, GRITE_LABELS_MAX);
    grite_store_close(s);
}
END_TEST

/* ---- ids and missing issues ---- */

START_TEST(bad_ids_are_invalid_and_unknown_ids_not_found)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("exists", id);
    const char *bad[] = {"", "xyz", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                         "gggggggggggggggggggggggggggggggg", NULL};
    const char *unknown = "0123456789abcdef0123456789abcdef";
    struct grite_store_error err;
    const struct grite_issue *is;
    struct grite_state_result st;
    struct grite_commented cm;
    uint64_t ts;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(grite_store_issue_show(s, bad[i], &is, &err), GRITE_STORE_INVALID_ARGS);
        ck_assert_ptr_nonnull(strstr(err.message, "issue id"));
        ck_assert_int_eq(grite_store_issue_update(s, bad[i], "t", NULL, &ts, &err),
                         GRITE_STORE_INVALID_ARGS);
        ck_assert_int_eq(grite_store_issue_close(s, bad[i], &st, &err), GRITE_STORE_INVALID_ARGS);
        ck_assert_int_eq(grite_store_issue_reopen(s, bad[i], &st, &err),
                         GRITE_STORE_INVALID_ARGS);
        ck_assert_int_eq(grite_store_issue_comment(s, bad[i], "c", &cm, &err),
                         GRITE_STORE_INVALID_ARGS);
        ck_assert_int_eq(grite_store_issue_add_label(s, bad[i], "l", &ts, &err),
                         GRITE_STORE_INVALID_ARGS);
        ck_assert_int_eq(grite_store_issue_assign(s, bad[i], ACTOR_B, &ts, &err),
                         GRITE_STORE_INVALID_ARGS);
    }
    uint64_t before = file_size(fixture.log_path);
    ck_assert_int_eq(grite_store_issue_show(s, unknown, &is, &err), GRITE_STORE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.message, unknown));
    ck_assert_int_eq(grite_store_issue_update(s, unknown, "t", NULL, &ts, &err),
                     GRITE_STORE_NOT_FOUND);
    ck_assert_int_eq(grite_store_issue_close(s, unknown, &st, &err), GRITE_STORE_NOT_FOUND);
    ck_assert_int_eq(grite_store_issue_reopen(s, unknown, &st, &err), GRITE_STORE_NOT_FOUND);
    ck_assert_int_eq(grite_store_issue_comment(s, unknown, "c", &cm, &err),
                     GRITE_STORE_NOT_FOUND);
    ck_assert_int_eq(grite_store_issue_add_label(s, unknown, "l", &ts, &err),
                     GRITE_STORE_NOT_FOUND);
    ck_assert_int_eq(grite_store_issue_assign(s, unknown, ACTOR_B, &ts, &err),
                     GRITE_STORE_NOT_FOUND);
    ck_assert_uint_eq(file_size(fixture.log_path), before);
    ck_assert_str_eq(grite_store_status_name(GRITE_STORE_NOT_FOUND), "not_found");
    ck_assert_str_eq(grite_store_status_name(GRITE_STORE_INVALID_ARGS), "invalid_args");
    grite_store_close(s);
}
END_TEST

/* ---- edits ---- */

START_TEST(update_changes_only_given_fields)
{
    grite_store *s = open_fixture_store();
    struct grite_created c;
    ck_assert_int_eq(grite_store_issue_create(s, "old title", "old body", NULL, 0, &c, NULL),
                     GRITE_STORE_OK);
    uint64_t ts = 0;
    struct grite_store_error err;
    fixture.clock.now += 10;
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, "new title", NULL, &ts, &err),
                     GRITE_STORE_OK);
    ck_assert_uint_eq(ts, fixture.clock.now);
    ck_assert_str_eq(show(s, c.issue_id)->title, "new title");
    ck_assert_str_eq(show(s, c.issue_id)->body, "old body");
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, NULL, "new body", &ts, &err),
                     GRITE_STORE_OK);
    ck_assert_str_eq(show(s, c.issue_id)->title, "new title");
    ck_assert_str_eq(show(s, c.issue_id)->body, "new body");
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, "both", "", &ts, &err),
                     GRITE_STORE_OK);
    ck_assert_str_eq(show(s, c.issue_id)->title, "both");
    ck_assert_str_eq(show(s, c.issue_id)->body, "");
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, NULL, NULL, &ts, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, "", NULL, &ts, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_issue_update(s, c.issue_id, NULL, "\x01", &ts, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_str_eq(show(s, c.issue_id)->title, "both");
    grite_store_close(s);
}
END_TEST

START_TEST(edits_in_one_millisecond_keep_their_order)
{
    /* The clock stands still: each edit must still beat the previous one. */
    char id[33];
    grite_store *s = fixture_store_with_issue("t0", id);
    uint64_t last = show(s, id)->updated_ts;
    char title[16];
    for (int i = 1; i <= 20; i++) {
        snprintf(title, sizeof title, "t%d", i);
        uint64_t ts;
        ck_assert_int_eq(grite_store_issue_update(s, id, title, NULL, &ts, NULL), GRITE_STORE_OK);
        ck_assert_uint_gt(ts, last);
        last = ts;
    }
    ck_assert_str_eq(show(s, id)->title, "t20");
    grite_store_close(s);
    s = open_fixture_store();
    ck_assert_str_eq(show(s, id)->title, "t20");
    grite_store_close(s);
}
END_TEST

START_TEST(close_and_reopen_report_the_state)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("t", id);
    struct grite_state_result st;
    struct grite_store_error err;
    fixture.clock.now += 5;
    ck_assert_int_eq(grite_store_issue_close(s, id, &st, &err), GRITE_STORE_OK);
    ck_assert_int_eq(st.state, GRITE_ISSUE_CLOSED);
    ck_assert(st.changed);
    ck_assert_uint_eq(st.updated_ts, fixture.clock.now);
    ck_assert_int_eq(show(s, id)->state, GRITE_ISSUE_CLOSED);
    uint64_t size = file_size(fixture.log_path);
    ck_assert_int_eq(grite_store_issue_close(s, id, &st, &err), GRITE_STORE_OK);
    ck_assert(!st.changed);
    ck_assert_int_eq(st.state, GRITE_ISSUE_CLOSED);
    ck_assert_uint_eq(file_size(fixture.log_path), size); /* nothing written */
    ck_assert_int_eq(grite_store_issue_reopen(s, id, &st, &err), GRITE_STORE_OK);
    ck_assert(st.changed);
    ck_assert_int_eq(st.state, GRITE_ISSUE_OPEN);
    ck_assert_int_eq(show(s, id)->state, GRITE_ISSUE_OPEN);
    ck_assert_int_eq(grite_store_issue_reopen(s, id, &st, &err), GRITE_STORE_OK);
    ck_assert(!st.changed);
    grite_store_close(s);
}
END_TEST

START_TEST(comments_are_kept_in_order)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("t", id);
    struct grite_commented c1, c2;
    struct grite_store_error err;
    fixture.clock.now += 100;
    ck_assert_int_eq(grite_store_issue_comment(s, id, "first", &c1, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_comment(s, id, "second\nline", &c2, &err),
                     GRITE_STORE_OK);
    ck_assert_str_ne(c1.comment_id, c2.comment_id);
    ck_assert_uint_eq(c1.created_ts, fixture.clock.now);
    ck_assert_uint_gt(c2.created_ts, c1.created_ts);
    const struct grite_issue *is = show(s, id);
    ck_assert_uint_eq(is->comment_count, 2);
    ck_assert_str_eq(is->comments[0].comment_id, c1.comment_id);
    ck_assert_str_eq(is->comments[0].body, "first");
    ck_assert_str_eq(is->comments[0].author, ACTOR_A);
    ck_assert_str_eq(is->comments[1].body, "second\nline");
    ck_assert_uint_eq(is->updated_ts, c2.created_ts);
    ck_assert_int_eq(grite_store_issue_comment(s, id, "", &c1, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_issue_comment(s, id, " \n\t", &c1, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_issue_comment(s, id, NULL, &c1, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_uint_eq(show(s, id)->comment_count, 2);
    grite_store_close(s);
}
END_TEST

START_TEST(labels_and_assignees_are_sets)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("t", id);
    struct grite_store_error err;
    uint64_t ts;
    ck_assert_int_eq(grite_store_issue_add_label(s, id, "zeta", &ts, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(s, id, "alpha", &ts, &err), GRITE_STORE_OK);
    uint64_t size = file_size(fixture.log_path);
    ck_assert_int_eq(grite_store_issue_add_label(s, id, "zeta", &ts, &err), GRITE_STORE_OK);
    ck_assert_uint_eq(file_size(fixture.log_path), size);
    ck_assert_int_eq(grite_store_issue_add_label(s, id, " x", &ts, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_issue_assign(s, id, ACTOR_C, &ts, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_assign(s, id, ACTOR_B, &ts, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_assign(s, id, ACTOR_B, &ts, &err), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_assign(s, id, "bob", &ts, &err),
                     GRITE_STORE_INVALID_ARGS);
    const struct grite_issue *is = show(s, id);
    ck_assert_uint_eq(is->label_count, 2);
    ck_assert_str_eq(is->labels[0], "alpha");
    ck_assert_str_eq(is->labels[1], "zeta");
    ck_assert_uint_eq(is->assignee_count, 2);
    ck_assert_str_eq(is->assignees[0], ACTOR_B);
    ck_assert_str_eq(is->assignees[1], ACTOR_C);
    grite_store_close(s);
}
END_TEST

/* ---- list ---- */

/* Five issues with updated_ts 1000..5000; two share 3000 (order by id). */
static void make_five(grite_store *s, char ids[5][33])
{
    const char *bug[] = {"bug"};
    uint64_t stamps[5] = {1000, 2000, 3000, 3000, 5000};
    for (int i = 0; i < 5; i++) {
        fixture.clock.now = stamps[i];
        struct grite_created c;
        ck_assert_int_eq(grite_store_issue_create(s, "t", "", bug, i % 2 == 0 ? 1 : 0, &c, NULL),
                         GRITE_STORE_OK);
        memcpy(ids[i], c.issue_id, 33);
    }
    fixture.clock.now = 6000;
    struct grite_state_result st;
    ck_assert_int_eq(grite_store_issue_close(s, ids[0], &st, NULL), GRITE_STORE_OK);
}

#define expect_page(s, f, total, count, want) expect_page_at(__LINE__, s, f, total, count, want)

static void expect_page_at(int line, grite_store *s, const struct grite_issue_filter *f,
                           uint64_t total, size_t count, const char *const *want)
{
    struct grite_issue_page page;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_list(s, f, &page, &err), GRITE_STORE_OK);
    ck_assert_uint_eq(page.total, total);
    ck_assert_uint_eq(page.count, count);
    for (size_t i = 0; i < count; i++)
        ck_assert_msg(strcmp(page.issues[i]->issue_id, want[i]) == 0,
                      "line %d: issue %zu is %s, not %s", line, i, page.issues[i]->issue_id,
                      want[i]);
}

START_TEST(list_orders_filters_and_pages)
{
    grite_store *s = open_fixture_store();
    char ids[5][33];
    make_five(s, ids);
    /* ids[0] was closed at 6000, so it is the newest. */
    const char *tied_lo = strcmp(ids[2], ids[3]) < 0 ? ids[2] : ids[3];
    const char *tied_hi = strcmp(ids[2], ids[3]) < 0 ? ids[3] : ids[2];
    const char *all[] = {ids[0], ids[4], tied_lo, tied_hi, ids[1]};
    expect_page(s, NULL, 5, 5, all);
    struct grite_issue_filter f = {0};
    expect_page(s, &f, 5, 5, all);
    f.has_limit = true;
    f.limit = 2;
    expect_page(s, &f, 5, 2, all);
    f.offset = 2;
    expect_page(s, &f, 5, 2, all + 2);
    f.offset = 4;
    expect_page(s, &f, 5, 1, all + 4);
    f.offset = 9;
    expect_page(s, &f, 5, 0, NULL);
    f.limit = 0;
    f.offset = 0;
    expect_page(s, &f, 5, 0, NULL);

    struct grite_issue_filter open = {.has_state = true, .state = GRITE_ISSUE_OPEN};
    expect_page(s, &open, 4, 4, all + 1);
    struct grite_issue_filter closed = {.has_state = true, .state = GRITE_ISSUE_CLOSED};
    expect_page(s, &closed, 1, 1, all);
    struct grite_issue_filter bug = {.label = "bug"}; /* ids 0, 2, 4 */
    const char *bugs[] = {ids[0], ids[4], ids[2]};
    expect_page(s, &bug, 3, 3, bugs);
    struct grite_issue_filter open_bug = {.has_state = true, .state = GRITE_ISSUE_OPEN,
                                          .label = "bug", .has_limit = true, .limit = 1,
                                          .offset = 1};
    expect_page(s, &open_bug, 2, 1, bugs + 2);
    struct grite_issue_filter none = {.label = "feature"};
    expect_page(s, &none, 0, 0, NULL);

    struct grite_issue_page page;
    struct grite_store_error err;
    struct grite_issue_filter bad_label = {.label = ""};
    ck_assert_int_eq(grite_store_list(s, &bad_label, &page, &err), GRITE_STORE_INVALID_ARGS);
    struct grite_issue_filter bad_state = {.has_state = true, .state = (enum grite_issue_state)7};
    ck_assert_int_eq(grite_store_list(s, &bad_state, &page, &err), GRITE_STORE_INVALID_ARGS);

    /* An edit moves an issue to the front. */
    fixture.clock.now = 7000;
    ck_assert_int_eq(grite_store_issue_update(s, ids[1], "moved", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    const char *after[] = {ids[1], ids[0], ids[4], tied_lo, tied_hi};
    expect_page(s, NULL, 5, 5, after);
    grite_store_close(s);
    s = open_fixture_store(); /* the same order rebuilt from the log */
    expect_page(s, NULL, 5, 5, after);
    grite_store_close(s);
}
END_TEST

/* ---- restarts ---- */

START_TEST(every_write_survives_a_restart)
{
    char id[33];
    struct grite_commented cm;
    struct grite_state_result st;
    grite_store *s = open_fixture_store();
    create_issue(s, "first", id);
    grite_store_close(s);

    s = open_fixture_store();
    ck_assert_str_eq(show(s, id)->title, "first");
    ck_assert_int_eq(grite_store_issue_update(s, id, "renamed", "body", NULL, NULL),
                     GRITE_STORE_OK);
    grite_store_close(s);

    s = open_store(fixture.dir, ACTOR_B, &fixture.clock); /* another actor on the same store */
    ck_assert_int_eq(grite_store_issue_comment(s, id, "from b", &cm, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_close(s, id, &st, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(s, id, "later", NULL, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_assign(s, id, ACTOR_A, NULL, NULL), GRITE_STORE_OK);
    grite_store_close(s);

    s = open_fixture_store();
    const struct grite_issue *is = show(s, id);
    ck_assert_str_eq(is->title, "renamed");
    ck_assert_str_eq(is->body, "body");
    ck_assert_int_eq(is->state, GRITE_ISSUE_CLOSED);
    ck_assert_str_eq(is->author, ACTOR_A);
    ck_assert_uint_eq(is->comment_count, 1);
    ck_assert_str_eq(is->comments[0].comment_id, cm.comment_id);
    ck_assert_str_eq(is->comments[0].author, ACTOR_B);
    ck_assert_str_eq(is->comments[0].body, "from b");
    ck_assert_uint_eq(is->label_count, 1);
    ck_assert_uint_eq(is->assignee_count, 1);
    ck_assert_int_eq(grite_store_issue_reopen(s, id, &st, NULL), GRITE_STORE_OK);
    grite_store_close(s);

    s = open_fixture_store();
    ck_assert_int_eq(show(s, id)->state, GRITE_ISSUE_OPEN);
    struct grite_store_warning w;
    ck_assert(!grite_store_take_warning(s, &w)); /* a clean log needs no repair */
    grite_store_close(s);
}
END_TEST

START_TEST(many_issues_survive_a_restart_identically)
{
    grite_store *s = open_fixture_store();
    char id[33];
    for (int i = 0; i < 300; i++) {
        fixture.clock.now += (uint64_t)(i % 7);
        create_issue(s, i % 2 ? "odd" : "even", id);
        if (i % 3 == 0)
            ck_assert_int_eq(grite_store_issue_comment(s, id, "c", NULL, NULL), GRITE_STORE_OK);
    }
    grite_store *again = open_store(fixture.dir, ACTOR_B, &fixture.clock);
    assert_stores_equal(s, again);
    ck_assert_uint_eq(issue_total(again), 300);
    grite_store_close(again);
    grite_store_close(s);
}
END_TEST

/* ---- open ---- */

START_TEST(open_checks_its_arguments_and_reports_io_errors)
{
    grite_store *s = NULL;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, "nope", NULL, &s, &err),
                     GRITE_STORE_INVALID_ARGS);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(grite_store_open(fixture.dir, NULL, NULL, &s, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_open("", ACTOR_A, NULL, &s, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_store_open(NULL, ACTOR_A, NULL, &s, &err), GRITE_STORE_INVALID_ARGS);

    char *deep = path_join(fixture.dir, "missing/parent");
    ck_assert_int_eq(grite_store_open(deep, ACTOR_A, NULL, &s, &err), GRITE_STORE_IO_ERROR);
    ck_assert_int_eq(err.sys_errno, ENOENT);
    ck_assert_str_eq(err.path, deep);
    ck_assert_ptr_nonnull(strstr(err.message, deep));
    free(deep);

    char *file = path_join(fixture.dir, "plain-file");
    write_file(file, (const uint8_t *)"x", 1);
    ck_assert_int_eq(grite_store_open(file, ACTOR_A, NULL, &s, &err), GRITE_STORE_IO_ERROR);
    ck_assert_int_eq(err.sys_errno, ENOTDIR);
    free(file);

    /* The data dir itself is created when missing. */
    char *fresh = path_join(fixture.dir, "fresh");
    s = open_store(fresh, ACTOR_A, NULL);
    ck_assert_str_eq(grite_store_data_dir(s), fresh);
    ck_assert_str_eq(grite_store_actor(s), ACTOR_A);
    grite_store_close(s);
    struct stat st;
    ck_assert_int_eq(stat(fresh, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    free(fresh);
    grite_store_close(NULL);
}
END_TEST

START_TEST(open_refuses_a_file_that_is_not_a_log)
{
    write_file(fixture.log_path, (const uint8_t *)"hello, this is not a grite log", 30);
    grite_store *s = NULL;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err), GRITE_STORE_CORRUPT);
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_ptr_nonnull(strstr(err.message, "not a grite event log"));
    ck_assert_uint_eq(file_size(fixture.log_path), 30); /* left alone */
}
END_TEST

START_TEST(open_refuses_a_newer_log_version)
{
    grite_store *s = open_fixture_store();
    grite_store_close(s);
    size_t len;
    uint8_t *bytes = read_file(fixture.log_path, &len);
    bytes[8] = 2; /* the version field */
    write_file(fixture.log_path, bytes, len);
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err), GRITE_STORE_CORRUPT);
    ck_assert_ptr_nonnull(strstr(err.message, "version"));
    free(bytes);
}
END_TEST

/* ---- several handles, notifications, check ---- */

struct seen_events {
    int count;
    int by_origin[3];
    char last_kind[32];
    char last_id[33];
};

static void record_event(void *ctx, const struct grite_event_info *ev)
{
    struct seen_events *seen = ctx;
    seen->count++;
    seen->by_origin[ev->origin]++;
    snprintf(seen->last_kind, sizeof seen->last_kind, "%s", ev->kind);
    memcpy(seen->last_id, ev->event_id, 33);
}

START_TEST(events_are_reported_and_known)
{
    struct seen_events seen = {0};
    struct grite_store_options opts = {.on_event = record_event, .event_ctx = &seen};
    grite_store *s = NULL;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, &opts, &s, NULL), GRITE_STORE_OK);
    char id[33];
    create_issue(s, "t", id);
    ck_assert_int_eq(seen.count, 1);
    ck_assert_str_eq(seen.last_kind, "issue_created");
    ck_assert(grite_store_has_event(s, seen.last_id));
    struct grite_commented cm;
    ck_assert_int_eq(grite_store_issue_comment(s, id, "c", &cm, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "comment_added");
    ck_assert_str_eq(seen.last_id, cm.comment_id); /* a comment's id is its event's */
    ck_assert_int_eq(grite_store_issue_close(s, id, NULL, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "issue_closed");
    ck_assert_int_eq(grite_store_issue_reopen(s, id, NULL, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "issue_reopened");
    ck_assert_int_eq(grite_store_issue_update(s, id, "u", NULL, NULL, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "issue_updated");
    ck_assert_int_eq(grite_store_issue_add_label(s, id, "l", NULL, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "label_added");
    ck_assert_int_eq(grite_store_issue_assign(s, id, ACTOR_B, NULL, NULL), GRITE_STORE_OK);
    ck_assert_str_eq(seen.last_kind, "assignee_added");
    ck_assert_int_eq(seen.by_origin[GRITE_EVENT_LOCAL], 7);
    ck_assert(!grite_store_has_event(s, "0123456789abcdef0123456789abcdef"));
    ck_assert(!grite_store_has_event(s, "junk"));
    grite_store_close(s);
}
END_TEST

START_TEST(two_handles_see_each_others_writes)
{
    struct seen_events seen = {0};
    struct grite_store_options opts = {.on_event = record_event, .event_ctx = &seen};
    grite_store *a = open_fixture_store();
    grite_store *b = NULL;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_B, &opts, &b, NULL), GRITE_STORE_OK);
    char id[33];
    create_issue(a, "from a", id);
    ck_assert_str_eq(show(b, id)->title, "from a"); /* b catches up on its next call */
    ck_assert_int_eq(seen.by_origin[GRITE_EVENT_EXTERNAL], 1);
    ck_assert_int_eq(grite_store_issue_update(b, id, "from b", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    ck_assert_str_eq(show(a, id)->title, "from b");
    char id2[33];
    create_issue(b, "second", id2);
    ck_assert_uint_eq(issue_total(a), 2);
    assert_stores_equal(a, b);
    struct grite_store_check check;
    ck_assert_int_eq(grite_store_check(a, &check, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(check.status, GRITE_CHECK_OK);
    grite_store_close(a);
    grite_store_close(b);
}
END_TEST

START_TEST(check_passes_on_a_healthy_store)
{
    grite_store *s = open_fixture_store();
    char id[33];
    for (int i = 0; i < 5; i++) {
        create_issue(s, "t", id);
        ck_assert_int_eq(grite_store_issue_comment(s, id, "c", NULL, NULL), GRITE_STORE_OK);
    }
    struct grite_store_check check;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_check(s, &check, &err), GRITE_STORE_OK);
    ck_assert_int_eq(check.status, GRITE_CHECK_OK);
    ck_assert_uint_eq(check.records, 10);
    ck_assert_uint_eq(check.issues, 5);
    ck_assert_uint_eq(check.comments, 5);
    ck_assert_uint_eq(check.log_bytes, file_size(fixture.log_path));
    ck_assert_ptr_nonnull(strstr(check.message, "10 records"));
    ck_assert_ptr_nonnull(strstr(check.message, "index matches"));
    grite_store_close(s);
}
END_TEST

static Suite *store_ops_suite(void)
{
    Suite *suite = suite_create("store_ops");
    TCase *tc = tcase_create("ops");
    tcase_add_checked_fixture(tc, store_fixture_setup, store_fixture_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, create_then_show_returns_every_field);
    tcase_add_test(tc, create_ids_are_distinct_and_null_body_is_empty);
    tcase_add_test(tc, text_at_the_limits_and_unicode_is_accepted);
    tcase_add_test(tc, create_rejects_bad_text);
    tcase_add_test(tc, create_rejects_bad_labels);
    tcase_add_test(tc, bad_ids_are_invalid_and_unknown_ids_not_found);
    tcase_add_test(tc, update_changes_only_given_fields);
    tcase_add_test(tc, edits_in_one_millisecond_keep_their_order);
    tcase_add_test(tc, close_and_reopen_report_the_state);
    tcase_add_test(tc, comments_are_kept_in_order);
    tcase_add_test(tc, labels_and_assignees_are_sets);
    tcase_add_test(tc, list_orders_filters_and_pages);
    tcase_add_test(tc, every_write_survives_a_restart);
    tcase_add_test(tc, many_issues_survive_a_restart_identically);
    tcase_add_test(tc, open_checks_its_arguments_and_reports_io_errors);
    tcase_add_test(tc, open_refuses_a_file_that_is_not_a_log);
    tcase_add_test(tc, open_refuses_a_newer_log_version);
    tcase_add_test(tc, events_are_reported_and_known);
    tcase_add_test(tc, two_handles_see_each_others_writes);
    tcase_add_test(tc, check_passes_on_a_healthy_store);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_ops_suite());
}
