/*
 * test_noalias.c - the no-alias property of FORMAT.md 1.5: in a buffer a
 * validator accepts, no two out-of-line objects share a byte, and none
 * overlaps the root. So code holding a view of one string can never see
 * it change through another field, and a message's size bounds its work.
 *
 *  - builders never share bytes, even for identical input strings;
 *  - every built sample walks into pairwise disjoint objects;
 *  - every string reference of a message, pointed at every other string's
 *    bytes, is rejected (OVERLAP, or OFFSET_OUT_OF_BOUNDS when that would
 *    need a backward offset).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dump.h"
#include "grite.h"
#include "messages.h"

START_TEST(builder_copies_identical_strings_apart)
{
    const grite_str same = GRITE_STR("same bytes");
    grite_str labels[4] = { same, same, same, same };
    grite_IpcRequest_in in = { .ipc_schema_version = 1, .request_id = same, .repo_root = same };
    in.command.tag = GRITE_IPC_COMMAND_ISSUE_CREATE;
    in.command.v.IssueCreate.title = same;
    in.command.v.IssueCreate.body = same;
    in.command.v.IssueCreate.labels.items = labels;
    in.command.v.IssueCreate.labels.len = 4;
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    ck_assert_int_eq(grite_IpcRequest_build(&b, &in), GRITE_BUILD_OK);
    ck_assert_int_eq(grite_IpcRequest_validate(b.data, b.len, NULL), 0);

    const grite_IpcRequest *r = grite_IpcRequest_root(b.data);
    const grite_IpcCommand_IssueCreate *p = grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(r));
    grite_vec_str v = grite_IpcCommand_IssueCreate_labels(p);
    const char *seen[8] = {
        grite_IpcRequest_request_id(r).ptr, grite_IpcRequest_repo_root(r).ptr,
        grite_IpcCommand_IssueCreate_title(p).ptr, grite_IpcCommand_IssueCreate_body(p).ptr,
        grite_vec_str_at(v, 0).ptr, grite_vec_str_at(v, 1).ptr, grite_vec_str_at(v, 2).ptr,
        grite_vec_str_at(v, 3).ptr,
    };
    /* Each copy is 11 bytes (10 + NUL) and they must not overlap. */
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++) {
            size_t a = offset_in(b.data, seen[i]), c = offset_in(b.data, seen[j]);
            ck_assert_msg(a + 11 <= c || c + 11 <= a, "strings %d and %d overlap (%zu, %zu)", i,
                          j, a, c);
        }
    grite_buf_free(&b);
}
END_TEST

START_TEST(every_built_message_walks_into_disjoint_objects)
{
    const message *m = message_at(_i);
    grite_buf b = build_message(m);
    dumper d;
    dumper_init(&d, b.data, b.len);
    m->root->dump(&d, b.data);
    ck_assert_msg(d.problem[0] == '\0', "%s: %s", m->name, d.problem);
    char why[300];
    ck_assert_msg(d_objects_disjoint(&d, m->root->root_size, why, sizeof why), "%s: %s", m->name,
                  why);
    /* Disjoint and after the root: together they fit in what is left. */
    size_t total = 0;
    for (size_t i = 0; i < d.n_ranges; i++)
        total += d.ranges[i].end - d.ranges[i].start;
    ck_assert_uint_le(total, b.len - m->root->root_size);
    dumper_free(&d);
    grite_buf_free(&b);
}
END_TEST

/* ---- pointing every string reference at every other string -------------- */

typedef struct string_ref {
    char path[64];
    size_t ref;      /* where the {offset, len} reference is */
    size_t target;   /* where its bytes are */
    uint32_t len;
} string_ref;

static void add_ref(string_ref *refs, size_t *n, const void *buf, const char *path,
                    const void *ref, grite_str s)
{
    string_ref *r = &refs[(*n)++];
    snprintf(r->path, sizeof r->path, "%s", path);
    r->ref = offset_in(buf, ref);
    r->target = offset_in(buf, s.ptr);
    r->len = (uint32_t)s.len;
}

/* The string references of the bench REQ, in pre-order (the order their
 * bytes appear in and the validator claims them). */
static size_t request_string_refs(const grite_buf *b, string_ref *refs)
{
    size_t n = 0;
    const grite_IpcRequest *r = grite_IpcRequest_root(b->data);
    add_ref(refs, &n, b->data, "request_id", &r->request_id, grite_IpcRequest_request_id(r));
    add_ref(refs, &n, b->data, "repo_root", &r->repo_root, grite_IpcRequest_repo_root(r));
    add_ref(refs, &n, b->data, "actor_id", &r->actor_id, grite_IpcRequest_actor_id(r));
    add_ref(refs, &n, b->data, "data_dir", &r->data_dir, grite_IpcRequest_data_dir(r));
    const grite_IpcCommand_IssueCreate *p = grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(r));
    add_ref(refs, &n, b->data, "command.IssueCreate.title", &p->title,
            grite_IpcCommand_IssueCreate_title(p));
    add_ref(refs, &n, b->data, "command.IssueCreate.body", &p->body,
            grite_IpcCommand_IssueCreate_body(p));
    grite_vec_str v = grite_IpcCommand_IssueCreate_labels(p);
    for (size_t i = 0; i < v.len; i++) {
        char path[64];
        snprintf(path, sizeof path, "command.IssueCreate.labels[%zu]", i);
        add_ref(refs, &n, b->data, path, v.ptr + i * sizeof(grite_ref), grite_vec_str_at(v, i));
    }
    return n;
}

START_TEST(no_string_can_borrow_another_strings_bytes)
{
    const message *m = bench_req_message();
    grite_buf b = build_message(m);
    string_ref refs[16];
    size_t n = request_string_refs(&b, refs);
    ck_assert_uint_eq(n, 9);
    uint8_t *copy = heap_copy(b.data, b.len);
    for (size_t a = 0; a < n; a++)
        for (size_t t = 0; t < n; t++) {
            if (a == t)
                continue;
            memcpy(copy, b.data, b.len);
            const string_ref *ra = &refs[a], *rt = &refs[t];
            /* ra now claims rt's bytes (with rt's length, so the bytes are
             * still well-formed UTF-8 followed by a NUL). */
            grite_st_u32(copy + ra->ref, (uint32_t)(rt->target - ra->ref));
            grite_st_u32(copy + ra->ref + 4, rt->len);
            checked c = root_check(m->root, copy, b.len, true, 0, NULL);
            ck_assert_msg(c.problem[0] == '\0', "%s -> %s: %s", ra->path, rt->path, c.problem);
            int want;
            const char *want_path = NULL;
            if (rt->target < ra->ref) {
                want = GRITE_VERROR_OFFSET_OUT_OF_BOUNDS;   /* would need a backward offset */
                want_path = ra->path;
            } else if (t < a) {
                want = GRITE_VERROR_OVERLAP;                /* rt's bytes are already claimed */
                want_path = ra->path;
            } else {
                want = GRITE_VERROR_OVERLAP;                /* what lay between is now behind */
            }
            ck_assert_msg(c.rc == want && (!want_path || strcmp(c.err.path, want_path) == 0),
                          "%s -> %s's bytes: expected %s at \"%s\", got %s at \"%s\"", ra->path,
                          rt->path, grite_verror_name(want), want_path ? want_path : "(any)",
                          c.rc ? grite_verror_name(c.rc) : "PASS", c.err.path);
        }
    free(copy);
    grite_buf_free(&b);
}
END_TEST

START_TEST(a_string_cannot_live_inside_a_vector)
{
    /* body -> the first 7 bytes of the label array (a u32 offset and the
     * low 3 bytes of a length: ASCII, then the length's zero high byte as
     * the NUL): a well-formed string, so only the overlap can reject it. */
    const message *m = bench_req_message();
    grite_buf b = build_message(m);
    const grite_IpcCommand_IssueCreate *p =
        grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(grite_IpcRequest_root(b.data)));
    size_t body_ref = offset_in(b.data, &p->body);
    size_t array = offset_in(b.data, grite_IpcCommand_IssueCreate_labels(p).ptr);
    ck_assert_uint_lt(grite_ld_u32(b.data + array), 0x80);   /* the offset byte is ASCII */
    grite_st_u32(b.data + body_ref, (uint32_t)(array - body_ref));
    grite_st_u32(b.data + body_ref + 4, 7);
    checked c = root_check_copy(m->root, b.data, b.len, true, 0, NULL);
    ck_assert_msg(c.rc == GRITE_VERROR_OVERLAP && strcmp(c.err.path, "command.IssueCreate.labels") == 0,
                  "got %s at \"%s\"", grite_verror_name(c.rc), c.err.path);
    grite_buf_free(&b);
}
END_TEST

static Suite *noalias_suite(void)
{
    Suite *s = suite_create("archive_noalias");
    TCase *tc = tcase_create("noalias");
    tcase_add_test(tc, builder_copies_identical_strings_apart);
    tcase_add_loop_test(tc, every_built_message_walks_into_disjoint_objects, 0, message_count());
    tcase_add_test(tc, no_string_can_borrow_another_strings_bytes);
    tcase_add_test(tc, a_string_cannot_live_inside_a_vector);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(noalias_suite());
}
