/*
 * test_mutation.c - mechanical safety of the validators and accessors.
 *
 *  - every truncation of every sample message is rejected;
 *  - every single-byte change (all 256 values for the benchmark REQ, a
 *    spread of values elsewhere) is either rejected or reads back through
 *    every accessor without leaving the buffer or finding two objects that
 *    share bytes;
 *  - random buffers and randomly damaged messages: the same;
 *  - targeted corruptions of built messages give the right code and path.
 *
 * Every buffer handed to a validator is a heap block of exactly its length,
 * so under -DGRITE_SANITIZE=ON any read past the end is an ASan failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "grite.h"
#include "messages.h"

/* Validate a copy of buf[0..len) of exactly that length; an accepted
 * buffer must read back safely (roots.h). Returns the validator's code. */
static int check_copy(const message *m, const uint8_t *buf, size_t len, const char *what)
{
    checked c = root_check_copy(m->root, buf, len, true, 0, NULL);
    ck_assert_msg(c.problem[0] == '\0', "%s, %s: %s", m->name, what, c.problem);
    return c.rc;
}

/* ---- truncation ---------------------------------------------------------- */

START_TEST(every_truncation_is_rejected)
{
    const message *m = message_at(_i);
    grite_buf b = build_message(m);
    for (size_t len = 0; len < b.len; len++) {
        char what[64];
        snprintf(what, sizeof what, "cut to %zu of %zu bytes", len, b.len);
        int rc = check_copy(m, b.data, len, what);
        ck_assert_msg(rc != 0, "%s: %s was accepted", m->name, what);
        if (len < m->root->root_size)
            ck_assert_msg(rc == GRITE_VERROR_BUFFER_TOO_SMALL, "%s: %s gave %s", m->name, what,
                          grite_verror_name(rc));
    }
    ck_assert_int_eq(check_copy(m, b.data, b.len, "whole"), 0);
    grite_buf_free(&b);
}
END_TEST

/* ---- single-byte changes -------------------------------------------------- */

/* Try buf[pos] = v in place on a heap block of exactly len bytes. */
static void try_byte(const message *m, uint8_t *copy, size_t len, size_t pos, uint8_t v,
                     size_t *accepted)
{
    uint8_t old = copy[pos];
    if (v == old)
        return;
    copy[pos] = v;
    checked c = root_check(m->root, copy, len, true, 0, NULL);
    ck_assert_msg(c.problem[0] == '\0', "%s, byte %zu: 0x%02x -> 0x%02x: %s", m->name, pos, old,
                  v, c.problem);
    *accepted += c.rc == 0;
    copy[pos] = old;
}

START_TEST(all_256_values_of_every_byte_of_the_bench_req)
{
    const message *m = bench_req_message();
    grite_buf b = build_message(m);
    uint8_t *copy = heap_copy(b.data, b.len);
    size_t accepted = 0;
    for (size_t pos = 0; pos < b.len; pos++)
        for (unsigned v = 0; v < 256; v++)
            try_byte(m, copy, b.len, pos, (uint8_t)v, &accepted);
    /* Many changes (inside ASCII text, the version, padding) are valid
     * messages; many (offsets, lengths, tags, NULs) are not. */
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_lt(accepted, b.len * 255);
    free(copy);
    grite_buf_free(&b);
}
END_TEST

START_TEST(spread_of_values_at_every_byte_of_every_message)
{
    const message *m = message_at(_i);
    grite_buf b = build_message(m);
    uint8_t *copy = heap_copy(b.data, b.len);
    size_t accepted = 0;
    /* Big messages get a stride so the suite stays quick; their structure
     * repeats, so little is lost. */
    size_t stride = b.len > 2000 ? 3 : 1;
    for (size_t pos = 0; pos < b.len; pos += stride) {
        uint8_t x = b.data[pos];
        const uint8_t values[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, (uint8_t)(x ^ 0x01),
                                   (uint8_t)(x ^ 0x80), (uint8_t)(x + 1), (uint8_t)(x - 1),
                                   (uint8_t)(x ^ 0x10), (uint8_t)(x + 8) };
        for (size_t k = 0; k < sizeof values; k++)
            try_byte(m, copy, b.len, pos, values[k], &accepted);
    }
    free(copy);
    grite_buf_free(&b);
}
END_TEST

/* ---- random bytes ------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* xorshift64*: fixed seed, same sequence on every run. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(rng_next() >> 56);
}

START_TEST(random_buffers_are_rejected)
{
    static const char *const roots[] = { "IpcRequest", "IpcReply", "Notification", "Node", "Tree",
                                         "Shapes" };
    rng_state = UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)_i;
    const root_type *rt = root_find(roots[_i]);
    const message m = { .name = "random bytes", .root = rt };
    static const size_t big[] = { 2048, 4096, 65536 };
    for (size_t len = 0; len < 600 + sizeof big / sizeof big[0]; len++) {
        size_t n = len < 600 ? len : big[len - 600];
        for (int rep = 0; rep < (n < 64 ? 8 : 2); rep++) {
            uint8_t *buf = malloc(n ? n : 1);
            ck_assert_ptr_nonnull(buf);
            fill_random(buf, n);
            char what[48];
            snprintf(what, sizeof what, "%zu random bytes", n);
            int rc = check_copy(&m, buf, n, what);
            ck_assert_msg(rc != 0, "%s as %s were accepted", what, rt->name);
            free(buf);
        }
    }
}
END_TEST

/* A few random bytes changed at once, many times: reaches states one
 * change cannot (e.g. a length and the offset next to it both wrong). */
START_TEST(randomly_damaged_messages_are_safe)
{
    const message *m = message_at(_i);
    rng_state = UINT64_C(0xd1b54a32d192ed03) ^ (uint64_t)_i;
    grite_buf b = build_message(m);
    uint8_t *copy = heap_copy(b.data, b.len);
    for (int round = 0; round < 400; round++) {
        memcpy(copy, b.data, b.len);
        int changes = 1 + (int)(rng_next() % 4);
        for (int k = 0; k < changes; k++)
            copy[rng_next() % b.len] = (uint8_t)(rng_next() >> 56);
        checked c = root_check(m->root, copy, b.len, true, 0, NULL);
        ck_assert_msg(c.problem[0] == '\0', "%s, round %d: %s", m->name, round, c.problem);
    }
    free(copy);
    grite_buf_free(&b);
}
END_TEST

/* ---- targeted corruptions: the right code at the right path ---------------- */


static void put32(uint8_t *p, uint32_t v) { grite_st_u32(p, v); }

static const grite_IpcCommand_IssueCreate *create_payload(const grite_buf *b)
{
    return grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(grite_IpcRequest_root(b->data)));
}

/* Point the reference at `ref` to absolute position `target` with len n. */
static void repoint(grite_buf *b, const void *ref, size_t target, uint32_t n)
{
    size_t r = offset_in(b->data, ref);
    put32(b->data + r, (uint32_t)(target - r));
    put32(b->data + r + 4, n);
}

static void request_id_far_away(grite_buf *b)
{
    put32(b->data + offsetof(grite_IpcRequest, request_id), (uint32_t)b->len + 100);
}

static void request_id_onto_repo_root(grite_buf *b)
{
    /* request_id takes repo_root's bytes (with repo_root's length, so the
     * NUL is right): repo_root then starts before the cursor. */
    const grite_IpcRequest *r = grite_IpcRequest_root(b->data);
    grite_str repo = grite_IpcRequest_repo_root(r);
    repoint(b, &r->request_id, offset_in(b->data, repo.ptr), (uint32_t)repo.len);
}

static void labels_misaligned(grite_buf *b)
{
    const grite_IpcCommand_IssueCreate *p = create_payload(b);
    size_t ref = offset_in(b->data, &p->labels);
    put32(b->data + ref, grite_ld_u32(b->data + ref) + 1);
}

static void command_tag_200(grite_buf *b)
{
    put32(b->data + offsetof(grite_IpcRequest, command), 200);
}

static void second_label_bad_utf8(grite_buf *b)
{
    grite_str l = grite_vec_str_at(grite_IpcCommand_IssueCreate_labels(create_payload(b)), 1);
    b->data[offset_in(b->data, l.ptr) + 2] = 0xc0;   /* "da\xc0mon": C0 is never valid */
}

static void title_unterminated(grite_buf *b)
{
    grite_str t = grite_IpcCommand_IssueCreate_title(create_payload(b));
    b->data[offset_in(b->data, t.ptr) + t.len] = '!';
}

static void union_size_one_short(grite_buf *b)
{
    size_t size_at = offsetof(grite_IpcRequest, command) + 8;
    put32(b->data + size_at, grite_ld_u32(b->data + size_at) - 1);
}

static void union_size_one_long(grite_buf *b)
{
    size_t size_at = offsetof(grite_IpcRequest, command) + 8;
    put32(b->data + size_at, grite_ld_u32(b->data + size_at) + 1);
}

static void labels_len_zero(grite_buf *b)
{
    const grite_IpcCommand_IssueCreate *p = create_payload(b);
    put32(b->data + offset_in(b->data, &p->labels) + 4, 0);
}

static void labels_len_plus_one(grite_buf *b)
{
    /* One element more: it reads the first label's bytes as a reference,
     * which must not be followed anywhere. */
    const grite_IpcCommand_IssueCreate *p = create_payload(b);
    size_t len_at = offset_in(b->data, &p->labels) + 4;
    put32(b->data + len_at, grite_ld_u32(b->data + len_at) + 1);
}

static void fifth_issue_state_9(grite_buf *b)
{
    const grite_IpcResponse_IssueListResult *p =
        grite_IpcResponse_as_IssueListResult(grite_IpcReply_response(grite_IpcReply_root(b->data)));
    const grite_IssueSummary *s = grite_vec_IssueSummary_at(grite_IpcResponse_IssueListResult_issues(p), 5);
    b->data[offset_in(b->data, &s->state)] = 9;
}

static void issues_len_huge(grite_buf *b)
{
    const grite_IpcResponse_IssueListResult *p =
        grite_IpcResponse_as_IssueListResult(grite_IpcReply_response(grite_IpcReply_root(b->data)));
    put32(b->data + offset_in(b->data, &p->issues) + 4, 0x06666667);   /* * 40 wraps 32 bits to 24 */
}

static void held_is_7(grite_buf *b)
{
    const grite_IpcResponse_LockResult *p =
        grite_IpcResponse_as_LockResult(grite_IpcReply_response(grite_IpcReply_root(b->data)));
    b->data[offset_in(b->data, &p->held)] = 7;
}

static void label_option_tag_3(grite_buf *b)
{
    const grite_IpcCommand_IssueList *p =
        grite_IpcCommand_as_IssueList(grite_IpcRequest_command(grite_IpcRequest_root(b->data)));
    b->data[offset_in(b->data, &grite_IpcCommand_IssueList_filter(p)->label.present)] = 3;
}

static void doctor_with_size(grite_buf *b)
{
    put32(b->data + offsetof(grite_IpcRequest, command) + 8, 8);
}

static void error_details_absent_but_junk(grite_buf *b)
{
    /* Clear `present` of a present option: the value left behind is junk
     * that must be ignored, and the string it pointed at becomes a gap. */
    const grite_IpcResponse_Error *p =
        grite_IpcResponse_as_Error(grite_IpcReply_response(grite_IpcReply_root(b->data)));
    b->data[offset_in(b->data, &p->details.present)] = 0;
}

static void notification_tag_unknown(grite_buf *b)
{
    put32(b->data, 77);   /* open union: the payload is skipped unread */
}

static void snapshot_payload_misaligned(grite_buf *b)
{
    put32(b->data + 4, grite_ld_u32(b->data + 4) + 4);
}

typedef struct target_case {
    const char *message;
    void (*corrupt)(grite_buf *b);
    bool use_depth;
    uint32_t depth;
    int code;                  /* 0: must still pass */
    const char *path;
} target_case;

static const target_case targets[] = {
    { "IpcRequest bench REQ", request_id_far_away, false, 0, GRITE_VERROR_OFFSET_OUT_OF_BOUNDS, "request_id" },
    { "IpcRequest bench REQ", request_id_onto_repo_root, false, 0, GRITE_VERROR_OVERLAP, "repo_root" },
    { "IpcRequest bench REQ", labels_misaligned, false, 0, GRITE_VERROR_MISALIGNED, "command.IssueCreate.labels" },
    { "IpcRequest bench REQ", command_tag_200, false, 0, GRITE_VERROR_BAD_UNION_TAG, "command" },
    { "IpcRequest bench REQ", second_label_bad_utf8, false, 0, GRITE_VERROR_BAD_UTF8, "command.IssueCreate.labels[1]" },
    { "IpcRequest bench REQ", title_unterminated, false, 0, GRITE_VERROR_STRING_UNTERMINATED, "command.IssueCreate.title" },
    { "IpcRequest bench REQ", union_size_one_short, false, 0, GRITE_VERROR_UNION_SIZE, "command.IssueCreate.labels[2]" },
    { "IpcRequest bench REQ", union_size_one_long, false, 0, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS, "command" },
    { "IpcRequest bench REQ", labels_len_zero, false, 0, GRITE_VERROR_EMPTY_NONZERO_OFFSET, "command.IssueCreate.labels" },
    { "IpcRequest bench REQ", labels_len_plus_one, false, 0, GRITE_VERROR_OVERLAP, "command.IssueCreate.labels[0]" },
    /* Depth, counted in out-of-line hops: payload 1, title 2, label array
     * 2, each label 3. */
    { "IpcRequest bench REQ", NULL, true, 3, 0, "" },
    { "IpcRequest bench REQ", NULL, true, 2, GRITE_VERROR_TOO_DEEP, "command.IssueCreate.labels[0]" },
    { "IpcRequest bench REQ", NULL, true, 1, GRITE_VERROR_TOO_DEEP, "command.IssueCreate.title" },
    { "IpcRequest bench REQ", NULL, true, 0, GRITE_VERROR_TOO_DEEP, "request_id" },
    { "IpcReply bench RESP", fifth_issue_state_9, false, 0, GRITE_VERROR_BAD_ENUM_VALUE, "response.IssueListResult.issues[5].state" },
    { "IpcReply bench RESP", issues_len_huge, false, 0, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS, "response.IssueListResult.issues" },
    { "IpcReply LockResult/held", held_is_7, false, 0, GRITE_VERROR_BAD_BOOL, "response.LockResult.held" },
    { "IpcRequest IssueList/all-set", label_option_tag_3, false, 0, GRITE_VERROR_BAD_OPTION_TAG, "command.IssueList.filter.label" },
    { "IpcRequest Doctor", doctor_with_size, false, 0, GRITE_VERROR_EMPTY_VARIANT_DATA, "command" },
    { "IpcReply Error/conflict", error_details_absent_but_junk, false, 0, 0, "" },
    { "Notification SnapshotCreated", notification_tag_unknown, false, 0, 0, "" },
    { "Notification SnapshotCreated", snapshot_payload_misaligned, false, 0, GRITE_VERROR_MISALIGNED, "" },
};

START_TEST(targeted_corruption_gives_code_and_path)
{
    const target_case *t = &targets[_i];
    const message *m = find_message(t->message);
    grite_buf b = build_message(m);
    if (t->corrupt)
        t->corrupt(&b);
    checked c = root_check_copy(m->root, b.data, b.len, !t->use_depth, t->depth, NULL);
    ck_assert_msg(c.problem[0] == '\0', "case %d (%s): %s", _i, m->name, c.problem);
    ck_assert_msg(c.rc == t->code && strcmp(c.err.path, t->path) == 0,
                  "case %d (%s): expected %s at \"%s\", got %s at \"%s\"", _i, m->name,
                  t->code ? grite_verror_name(t->code) : "PASS", t->path,
                  c.rc ? grite_verror_name(c.rc) : "PASS", c.err.path);
    grite_buf_free(&b);
}
END_TEST

START_TEST(misaligned_and_short_buffers)
{
    const message *m = message_at(_i);
    grite_buf b = build_message(m);
    for (size_t shift = 1; shift < 8; shift++) {
        uint8_t *mem = malloc(b.len + shift);
        ck_assert_ptr_nonnull(mem);
        memcpy(mem + shift, b.data, b.len);
        grite_verror err;
        ck_assert_int_eq(m->root->validate(mem + shift, b.len, &err), GRITE_VERROR_BUFFER_ALIGN);
        ck_assert_str_eq(err.path, "");
        free(mem);
    }
    grite_verror err;
    ck_assert_int_eq(m->root->validate(NULL, 0, &err), GRITE_VERROR_BUFFER_TOO_SMALL);
    /* err may be NULL. */
    ck_assert_int_eq(m->root->validate(b.data, m->root->root_size - 1, NULL),
                     GRITE_VERROR_BUFFER_TOO_SMALL);
    ck_assert_int_eq(m->root->validate(b.data, b.len, NULL), 0);
    grite_buf_free(&b);
}
END_TEST

static Suite *mutation_suite(void)
{
    Suite *s = suite_create("archive_mutation");

    TCase *tc = tcase_create("truncation");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, every_truncation_is_rejected, 0, message_count());
    suite_add_tcase(s, tc);

    tc = tcase_create("bytes");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, all_256_values_of_every_byte_of_the_bench_req);
    tcase_add_loop_test(tc, spread_of_values_at_every_byte_of_every_message, 0, message_count());
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, random_buffers_are_rejected, 0, 6);
    tcase_add_loop_test(tc, randomly_damaged_messages_are_safe, 0, message_count());
    suite_add_tcase(s, tc);

    tc = tcase_create("targeted");
    tcase_add_loop_test(tc, targeted_corruption_gives_code_and_path, 0,
                        (int)(sizeof targets / sizeof targets[0]));
    tcase_add_loop_test(tc, misaligned_and_short_buffers, 0, message_count());
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(mutation_suite());
}
