/* test_store_recovery.c - what a crash or a damaged disk leaves behind:
 * a log cut at every byte offset, a flipped byte in the last record, in
 * every earlier record, hand-made records with a good checksum but bad
 * contents (the log is untrusted input), torn tails left by another
 * writer, tails that only look like records, a FIFO for a log, and the
 * integrity check's verdicts. Records are built by hand (store_records.h)
 * from the layout in docs/STORE.md, so the tests pin the file format too. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "store_records.h"
#include "store_test_util.h"
#include "check_run.h"

#define MAX_EVENTS 16
#define HEADER_SIZE 16

/* ---- a small log whose record boundaries we know ---- */

struct history {
    int count;                      /* events written */
    char ids[MAX_EVENTS][33];       /* their event ids, in log order */
    uint64_t ends[MAX_EVENTS + 1];  /* ends[i]: log size after i events */
    char issue_x[33], issue_y[33];
};

static void note_event(void *ctx, const struct grite_event_info *ev)
{
    struct history *h = ctx;
    ck_assert_int_lt(h->count, MAX_EVENTS);
    memcpy(h->ids[h->count++], ev->event_id, 33);
}

static void after_write(struct history *h)
{
    h->ends[h->count] = file_size(fixture.log_path);
}

/* Six events on two issues: create, comment, update, close, label, create. */
static void write_history(struct history *h)
{
    memset(h, 0, sizeof *h);
    struct grite_store_options opts = {.clock_ms = test_clock_read, .clock_ctx = &fixture.clock,
                                       .on_event = note_event, .event_ctx = h};
    grite_store *s = NULL;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, &opts, &s, NULL), GRITE_STORE_OK);
    h->ends[0] = file_size(fixture.log_path);
    ck_assert_uint_eq(h->ends[0], HEADER_SIZE);
    const char *labels[] = {"bug"};
    struct grite_created c;
    ck_assert_int_eq(grite_store_issue_create(s, "crash me", "body", labels, 1, &c, NULL),
                     GRITE_STORE_OK);
    memcpy(h->issue_x, c.issue_id, 33);
    after_write(h);
    ck_assert_int_eq(grite_store_issue_comment(s, h->issue_x, "a comment", NULL, NULL),
                     GRITE_STORE_OK);
    after_write(h);
    ck_assert_int_eq(grite_store_issue_update(s, h->issue_x, "renamed", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    after_write(h);
    ck_assert_int_eq(grite_store_issue_close(s, h->issue_x, NULL, NULL), GRITE_STORE_OK);
    after_write(h);
    ck_assert_int_eq(grite_store_issue_add_label(s, h->issue_x, "p1", NULL, NULL),
                     GRITE_STORE_OK);
    after_write(h);
    create_issue(s, "second", h->issue_y);
    after_write(h);
    ck_assert_int_eq(h->count, 6);
    grite_store_close(s);
}

/* Complete records in the first `size` bytes. */
static int complete_records(const struct history *h, uint64_t size)
{
    int n = 0;
    while (n < h->count && h->ends[n + 1] <= size)
        n++;
    return n;
}

/* The store holds exactly the first `n` events of the history. */
static void expect_prefix(grite_store *s, const struct history *h, int n)
{
    for (int i = 0; i < h->count; i++)
        ck_assert_msg(grite_store_has_event(s, h->ids[i]) == (i < n),
                      "event %d should %sbe there", i, i < n ? "" : "not ");
    const struct grite_issue *is;
    ck_assert_int_eq(grite_store_issue_show(s, h->issue_x, &is, NULL),
                     n >= 1 ? GRITE_STORE_OK : GRITE_STORE_NOT_FOUND);
    if (n >= 1) {
        ck_assert_uint_eq(is->comment_count, n >= 2 ? 1 : 0);
        ck_assert_str_eq(is->title, n >= 3 ? "renamed" : "crash me");
        ck_assert_int_eq(is->state, n >= 4 ? GRITE_ISSUE_CLOSED : GRITE_ISSUE_OPEN);
        ck_assert_uint_eq(is->label_count, n >= 5 ? 2 : 1);
    }
    ck_assert_int_eq(grite_store_issue_show(s, h->issue_y, &is, NULL),
                     n >= 6 ? GRITE_STORE_OK : GRITE_STORE_NOT_FOUND);
}

static grite_store *open_expecting_ok(void)
{
    grite_store *s = NULL;
    struct grite_store_error err;
    enum grite_store_status rc = grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "open: %s", err.message);
    return s;
}

static void expect_check(grite_store *s, enum grite_check_status want)
{
    struct grite_store_check check;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_check(s, &check, &err), GRITE_STORE_OK);
    ck_assert_msg(check.status == want, "check: %s", check.message);
}

START_TEST(a_log_cut_at_every_offset_reopens_with_every_complete_record)
{
    struct history h;
    write_history(&h);
    size_t len;
    uint8_t *original = read_file(fixture.log_path, &len);
    ck_assert_uint_eq(len, h.ends[h.count]);
    for (size_t cut = 0; cut <= len; cut++) {
        write_file(fixture.log_path, original, cut);
        grite_store *s = open_expecting_ok();
        int n = cut < HEADER_SIZE ? 0 : complete_records(&h, cut);
        expect_prefix(s, &h, n);
        uint64_t good = cut < HEADER_SIZE ? 0 : h.ends[n];
        struct grite_store_warning w;
        bool warned = grite_store_take_warning(s, &w);
        if (cut == good && cut != 0) { /* an empty file gets a header: reported too */
            ck_assert_msg(!warned, "cut %zu: unexpected warning %s", cut, w.message);
        } else {
            ck_assert_msg(warned, "cut at %zu dropped bytes silently", cut);
            ck_assert_uint_eq(w.offset, good);
            ck_assert_uint_eq(w.dropped_bytes, cut - good);
            ck_assert_str_eq(w.path, fixture.log_path);
            char where[48];
            snprintf(where, sizeof where, "at offset %llu", (unsigned long long)good);
            ck_assert_msg(strstr(w.message, where) != NULL, "message: %s", w.message);
            ck_assert(!grite_store_take_warning(s, &w));
        }
        /* The damage is gone from the disk: the log ends at the last good record. */
        ck_assert_uint_eq(file_size(fixture.log_path), cut < HEADER_SIZE ? HEADER_SIZE : good);
        expect_check(s, GRITE_CHECK_OK);
        if (cut % 16 == 5) { /* and the store takes writes again, durably */
            char id[33];
            create_issue(s, "after the crash", id);
            grite_store_close(s);
            s = open_expecting_ok();
            ck_assert(!grite_store_take_warning(s, &w));
            expect_prefix(s, &h, n);
            const struct grite_issue *is;
            ck_assert_int_eq(grite_store_issue_show(s, id, &is, NULL), GRITE_STORE_OK);
        }
        grite_store_close(s);
    }
    free(original);
}
END_TEST

START_TEST(a_flipped_byte_in_the_last_record_drops_only_that_record)
{
    struct history h;
    write_history(&h);
    size_t len;
    uint8_t *original = read_file(fixture.log_path, &len);
    uint64_t last = h.ends[h.count - 1];
    for (uint64_t at = last; at < len; at++) {
        for (int mask = 0x01; mask <= 0x80; mask <<= 7) { /* the low and the high bit */
            original[at] ^= (uint8_t)mask;
            write_file(fixture.log_path, original, len);
            original[at] ^= (uint8_t)mask;
            grite_store *s = open_expecting_ok();
            expect_prefix(s, &h, h.count - 1);
            struct grite_store_warning w;
            ck_assert_msg(grite_store_take_warning(s, &w), "flip at %llu went unreported",
                          (unsigned long long)at);
            ck_assert_uint_eq(w.offset, last);
            ck_assert_uint_eq(w.dropped_bytes, len - last);
            ck_assert_uint_eq(file_size(fixture.log_path), last);
            grite_store_close(s);
        }
    }
    free(original);
}
END_TEST

START_TEST(a_flipped_byte_before_the_last_record_is_an_error)
{
    struct history h;
    write_history(&h);
    size_t len;
    uint8_t *original = read_file(fixture.log_path, &len);
    for (int rec = 0; rec < h.count - 1; rec++) {
        for (uint64_t at = h.ends[rec]; at < h.ends[rec + 1]; at++) {
            original[at] ^= 0x20;
            write_file(fixture.log_path, original, len);
            grite_store *s = NULL;
            struct grite_store_error err;
            ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err),
                             GRITE_STORE_CORRUPT);
            ck_assert_ptr_null(s);
            ck_assert_uint_eq(err.offset, h.ends[rec]);
            ck_assert_str_eq(err.path, fixture.log_path);
            ck_assert_ptr_nonnull(strstr(err.message, "good record follows"));
            size_t now_len;
            uint8_t *now = read_file(fixture.log_path, &now_len); /* not touched */
            ck_assert_uint_eq(now_len, len);
            ck_assert_mem_eq(now, original, len);
            free(now);
            original[at] ^= 0x20;
        }
    }
    free(original);
}
END_TEST

START_TEST(a_damaged_header_is_an_error)
{
    struct history h;
    write_history(&h);
    size_t len;
    uint8_t *original = read_file(fixture.log_path, &len);
    for (size_t at = 0; at < HEADER_SIZE; at++) {
        original[at] ^= 0x01;
        write_file(fixture.log_path, original, len);
        original[at] ^= 0x01;
        grite_store *s = NULL;
        struct grite_store_error err;
        ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err),
                         GRITE_STORE_CORRUPT);
        ck_assert_uint_eq(file_size(fixture.log_path), len);
    }
    free(original);
}
END_TEST

/* ---- hand-made records ---- */

static void fresh_store_with_one_issue(void)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("real", id);
    grite_store_close(s);
}

static void expect_corrupt_record(const struct bytes *payload, const char *why)
{
    fresh_store_with_one_issue();
    uint64_t at = file_size(fixture.log_path);
    append_record(fixture.log_path, payload);
    grite_store *s = NULL;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err), GRITE_STORE_CORRUPT);
    ck_assert_uint_eq(err.offset, at);
    ck_assert_msg(strstr(err.message, why) != NULL, "'%s' lacks '%s'", err.message, why);
}

START_TEST(a_handmade_create_reads_back)
{
    fresh_store_with_one_issue();
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_CREATE, 0x11, 1234, 0x22);
    put_text(&p, "hand made", 9);
    put_text(&p, "", 0);
    uint8_t labels = 2;
    put(&p, &labels, 1);
    put_text(&p, "x", 1);
    put_text(&p, "a", 1);
    append_record(fixture.log_path, &p);
    grite_store *s = open_expecting_ok();
    const struct grite_issue *is;
    ck_assert_int_eq(grite_store_issue_show(s, "22222222222222222222222222222222", &is, NULL),
                     GRITE_STORE_OK);
    ck_assert_str_eq(is->title, "hand made");
    ck_assert_str_eq(is->author, ACTOR_A);
    ck_assert_uint_eq(is->created_ts, 1234);
    ck_assert_uint_eq(is->label_count, 2);
    ck_assert_str_eq(is->labels[0], "a");
    ck_assert(grite_store_has_event(s, "11111111111111111111111111111111"));
    grite_store_close(s);
}
END_TEST

START_TEST(a_record_for_an_issue_never_created_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_COMMENT, 0x11, 1234, 0x33);
    put_text(&p, "hi", 2);
    expect_corrupt_record(&p, "never created");
}
END_TEST

START_TEST(a_record_with_bad_utf8_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_CREATE, 0x11, 1234, 0x22);
    put_bare_create(&p, "bad \xc0\x80", 6);
    expect_corrupt_record(&p, "title is not valid UTF-8");
}
END_TEST

START_TEST(a_record_with_bytes_left_over_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_STATE, 0x11, 1234, 0x22);
    uint8_t state_and_junk[2] = {1, 0};
    put(&p, state_and_junk, 2);
    expect_corrupt_record(&p, "left over");
}
END_TEST

START_TEST(a_record_of_unknown_kind_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, 9, 0x11, 1234, 0x22);
    put_text(&p, "x", 1);
    expect_corrupt_record(&p, "unknown event kind");
}
END_TEST

START_TEST(a_record_with_a_bad_state_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_STATE, 0x11, 1234, 0x22);
    uint8_t state = 7;
    put(&p, &state, 1);
    expect_corrupt_record(&p, "bad issue state");
}
END_TEST

START_TEST(a_record_with_a_time_out_of_range_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_CREATE, 0x11, UINT64_MAX, 0x22);
    put_bare_create(&p, "t", 1);
    expect_corrupt_record(&p, "timestamp");
}
END_TEST

START_TEST(a_text_length_past_the_record_is_an_error)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, KIND_COMMENT, 0x11, 1234, 0x22);
    put_u32(&p, 1000000); /* claims far more than the record holds */
    put(&p, "hi", 2);
    expect_corrupt_record(&p, "runs past the record");
}
END_TEST

START_TEST(a_huge_length_at_the_tail_is_dropped_not_trusted)
{
    fresh_store_with_one_issue();
    uint64_t good = file_size(fixture.log_path);
    uint8_t tail[32] = {0xff, 'G', 'E', 'V', 0xff, 0xff, 0xff, 0x7f}; /* 2 GiB */
    append_file(fixture.log_path, tail, sizeof tail);
    grite_store *s = open_expecting_ok();
    struct grite_store_warning w;
    ck_assert(grite_store_take_warning(s, &w));
    ck_assert_ptr_nonnull(strstr(w.message, "out of range"));
    ck_assert_uint_eq(w.offset, good);
    ck_assert_uint_eq(issue_total(s), 1);
    grite_store_close(s);
}
END_TEST

/* A record cut short (a crashed write), then `count` byte runs that start
 * like records claiming 1 MiB each but are not (their CRC is 0). */
static void append_torn_record_and_false_starts(size_t count, size_t gap)
{
    const uint8_t torn[] = {0xff, 'G', 'E', 'V', 100, 0, 0, 0, 0, 0, 0, 0};
    append_file(fixture.log_path, torn, sizeof torn);
    const uint8_t false_start[] = {0xff, 'G', 'E', 'V', 0x00, 0x00, 0x10, 0x00};
    size_t stride = sizeof false_start + gap;
    uint8_t *bytes = calloc(count, stride);
    ck_assert_ptr_nonnull(bytes);
    for (size_t i = 0; i < count; i++)
        memcpy(bytes + i * stride, false_start, sizeof false_start);
    append_file(fixture.log_path, bytes, count * stride);
    free(bytes);
}

START_TEST(a_false_record_start_in_a_torn_tail_is_checked_and_cut)
{
    fresh_store_with_one_issue();
    uint64_t good = file_size(fixture.log_path);
    append_torn_record_and_false_starts(1, 1024 * 1024);
    uint64_t size = file_size(fixture.log_path);
    grite_store *s = open_expecting_ok();
    struct grite_store_warning w;
    ck_assert(grite_store_take_warning(s, &w));
    ck_assert_uint_eq(w.offset, good);
    ck_assert_uint_eq(w.dropped_bytes, size - good);
    ck_assert_uint_eq(file_size(fixture.log_path), good);
    grite_store_close(s);
}
END_TEST

/* Each false start would cost a checksum over the 1 MiB it claims: packed
 * every 8 bytes, 2 MiB of them would take minutes to search through. */
START_TEST(a_tail_packed_with_false_record_starts_is_left_alone)
{
    fresh_store_with_one_issue();
    uint64_t bad = file_size(fixture.log_path);
    append_torn_record_and_false_starts(256 * 1024, 0);
    uint64_t size = file_size(fixture.log_path);
    grite_store *s = NULL;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err),
                     GRITE_STORE_CORRUPT);
    ck_assert_uint_eq(err.offset, bad);
    ck_assert_msg(strstr(err.message, "too many record markers") != NULL, "%s", err.message);
    ck_assert_uint_eq(file_size(fixture.log_path), size);
}
END_TEST

START_TEST(a_fifo_in_place_of_the_log_is_refused)
{
    ck_assert_int_eq(mkfifo(fixture.log_path, 0600), 0);
    grite_store *s = NULL;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_open(fixture.dir, ACTOR_A, NULL, &s, &err),
                     GRITE_STORE_IO_ERROR);
    ck_assert_str_eq(err.path, fixture.log_path);
    ck_assert_msg(strstr(err.message, "non-regular") != NULL, "%s", err.message);
    struct stat st;
    ck_assert_int_eq(stat(fixture.log_path, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
}
END_TEST

START_TEST(the_same_record_twice_is_applied_once)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("one", id);
    uint64_t created_end = file_size(fixture.log_path);
    ck_assert_int_eq(grite_store_issue_comment(s, id, "once", NULL, NULL), GRITE_STORE_OK);
    grite_store_close(s);
    size_t len;
    uint8_t *log = read_file(fixture.log_path, &len);
    /* Append a copy of the comment's record exactly as it is on disk. */
    append_file(fixture.log_path, log + created_end, len - created_end);
    s = open_expecting_ok();
    const struct grite_issue *is;
    ck_assert_int_eq(grite_store_issue_show(s, id, &is, NULL), GRITE_STORE_OK);
    ck_assert_uint_eq(is->comment_count, 1);
    struct grite_store_warning w;
    ck_assert(!grite_store_take_warning(s, &w));
    expect_check(s, GRITE_CHECK_OK);
    grite_store_close(s);
    free(log);
}
END_TEST

/* ---- damage appearing while a handle is open ---- */

START_TEST(a_torn_tail_from_another_writer_is_cut_by_the_next_write)
{
    char first[33];
    grite_store *s = fixture_store_with_issue("first", first);
    uint64_t good = file_size(fixture.log_path);
    const uint8_t torn[] = {0xff, 'G', 'E', 'V', 200, 0, 0, 0, 1, 2, 3}; /* a crashed writer */
    append_file(fixture.log_path, torn, sizeof torn);
    ck_assert_uint_eq(issue_total(s), 1); /* reads go on */
    expect_check(s, GRITE_CHECK_WARN);
    struct grite_store_warning w;
    ck_assert(!grite_store_take_warning(s, &w)); /* not cut yet: only readers so far */
    char second[33];
    create_issue(s, "second", second); /* a writer cuts it, then appends */
    ck_assert(grite_store_take_warning(s, &w));
    ck_assert_uint_eq(w.offset, good);
    ck_assert_uint_eq(w.dropped_bytes, sizeof torn);
    expect_check(s, GRITE_CHECK_OK);
    grite_store_close(s);
    s = open_expecting_ok();
    ck_assert(!grite_store_take_warning(s, &w));
    ck_assert_uint_eq(issue_total(s), 2);
    grite_store_close(s);
}
END_TEST

START_TEST(check_reports_damage_under_an_open_handle)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("one", id);
    create_issue(s, "two", id);
    size_t len;
    uint8_t *log = read_file(fixture.log_path, &len);
    log[HEADER_SIZE + 20] ^= 0x01; /* inside the first record */
    write_file(fixture.log_path, log, len);
    struct grite_store_check check;
    ck_assert_int_eq(grite_store_check(s, &check, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(check.status, GRITE_CHECK_FAIL);
    ck_assert_msg(strstr(check.message, "offset 16") != NULL, "%s", check.message);
    grite_store_close(s);
    free(log);
}
END_TEST

START_TEST(a_log_changed_behind_our_back_is_noticed)
{
    char id[33];
    grite_store *s = fixture_store_with_issue("one", id);
    create_issue(s, "two", id);
    size_t len;
    uint8_t *log = read_file(fixture.log_path, &len);
    write_file(fixture.log_path, log, HEADER_SIZE); /* someone cut acknowledged records */
    struct grite_issue_page page;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_list(s, NULL, &page, &err), GRITE_STORE_CORRUPT);
    ck_assert_ptr_nonnull(strstr(err.message, "shrank"));
    grite_store_close(s);
    free(log);
}
END_TEST

static Suite *store_recovery_suite(void)
{
    Suite *suite = suite_create("store_recovery");
    TCase *tc = tcase_create("recovery");
    tcase_add_checked_fixture(tc, store_fixture_setup, store_fixture_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_log_cut_at_every_offset_reopens_with_every_complete_record);
    tcase_add_test(tc, a_flipped_byte_in_the_last_record_drops_only_that_record);
    tcase_add_test(tc, a_flipped_byte_before_the_last_record_is_an_error);
    tcase_add_test(tc, a_damaged_header_is_an_error);
    tcase_add_test(tc, a_handmade_create_reads_back);
    tcase_add_test(tc, a_record_for_an_issue_never_created_is_an_error);
    tcase_add_test(tc, a_record_with_bad_utf8_is_an_error);
    tcase_add_test(tc, a_record_with_bytes_left_over_is_an_error);
    tcase_add_test(tc, a_record_of_unknown_kind_is_an_error);
    tcase_add_test(tc, a_record_with_a_bad_state_is_an_error);
    tcase_add_test(tc, a_record_with_a_time_out_of_range_is_an_error);
    tcase_add_test(tc, a_text_length_past_the_record_is_an_error);
    tcase_add_test(tc, a_huge_length_at_the_tail_is_dropped_not_trusted);
    tcase_add_test(tc, a_false_record_start_in_a_torn_tail_is_checked_and_cut);
    tcase_add_test(tc, a_tail_packed_with_false_record_starts_is_left_alone);
    tcase_add_test(tc, a_fifo_in_place_of_the_log_is_refused);
    tcase_add_test(tc, the_same_record_twice_is_applied_once);
    tcase_add_test(tc, a_torn_tail_from_another_writer_is_cut_by_the_next_write);
    tcase_add_test(tc, check_reports_damage_under_an_open_handle);
    tcase_add_test(tc, a_log_changed_behind_our_back_is_noticed);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_recovery_suite());
}
