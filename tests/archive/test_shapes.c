/*
 * test_shapes.c - the generated code for the type forms grite.idl does not
 * use (shapes.idl): round trip, builder refusals, validator verdicts with
 * paths, and the same mechanical safety checks as test_mutation.c.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dump.h"
#include "roots.h"

static const bool flags[] = { true, false, true };
static const uint16_t nums[] = { 1, UINT16_MAX };
static const int64_t bigs[] = { INT64_MIN, -1, INT64_MAX };
static const uint32_t row0[] = { 1, 2, UINT32_MAX };
static const uint32_t row2[] = { 9 };
static const shapes_vec_u32_in rows[] = { { row0, 3 }, { NULL, 0 }, { row2, 1 } };
static const grite_str maybe_names[] = { { "x", 1 }, { "", 0 }, { "\xe2\x9c\x93", 3 } };
/* Level is open: 1234 and INT16_MIN are not declared but must round trip. */
static const shapes_Level levels[] = { SHAPES_LEVEL_LOW, SHAPES_LEVEL_HIGH, (shapes_Level)1234,
                                       (shapes_Level)INT16_MIN };
static shapes_Tree_in kids[3];

/* Every field set, with edge values. */
static shapes_Shapes_in full_shapes(void)
{
    memset(kids, 0, sizeof kids);
    kids[0].tag = SHAPES_TREE_LEAF;
    kids[0].v.Leaf.value = UINT32_MAX;
    kids[1].tag = SHAPES_TREE_NOTHING;
    kids[2].tag = SHAPES_TREE_BRANCH;
    kids[2].v.Branch.kids.items = kids;
    kids[2].v.Branch.kids.len = 2;

    shapes_Shapes_in s;
    memset(&s, 0, sizeof s);
    s.blob = GRITE_BYTES((const uint8_t *)"\x00\xff\x01\xc0", 4);   /* not UTF-8: bytes */
    s.flags.items = flags;
    s.flags.len = 3;
    s.nums.items = nums;
    s.nums.len = 2;
    s.bigs.items = bigs;
    s.bigs.len = 3;
    s.matrix.items = rows;
    s.matrix.len = 3;
    s.names[0] = GRITE_STR("a");
    s.names[2] = GRITE_STR("h\xc3\xa9");
    s.points[0].x = -0.0f;
    s.points[1].x = 1.5f;
    s.points[1].y = -2.25e300;
    s.points[1].flag = true;
    s.maybe_point.present = true;
    s.maybe_point.value.y = 7.0;
    s.maybe_point.value.flag = true;
    s.maybe_names.present = true;
    s.maybe_names.value.items = maybe_names;
    s.maybe_names.value.len = 3;
    s.opt_flag.present = true;
    s.opt_flag.value = false;
    s.level = (shapes_Level)-7;
    s.levels.items = levels;
    s.levels.len = 4;
    s.sparse = SHAPES_SPARSE_C;
    s.wide = SHAPES_WIDE_MIN;
    memcpy(s.hash, "\xde\xad\xbe\xef", 4);
    s.grid[0][1] = 1;
    s.grid[1][0] = 0xabcd;
    s.inner = kids[2];
    s.trees.items = kids;
    s.trees.len = 3;
    s.opt_tree.present = true;
    s.opt_tree.value = kids[2];
    s.opt_byte.present = true;
    s.opt_byte.value = 0;
    return s;
}

/* Everything zero/empty/absent (Sparse has no 0, so it gets A). */
static shapes_Shapes_in empty_shapes(void)
{
    shapes_Shapes_in s;
    memset(&s, 0, sizeof s);
    s.sparse = SHAPES_SPARSE_A;
    s.wide = SHAPES_WIDE_MAX;
    s.inner.tag = SHAPES_TREE_NOTHING;
    return s;
}

static grite_buf build(const shapes_Shapes_in *in)
{
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    int rc = shapes_Shapes_build(&b, in);
    ck_assert_msg(rc == 0, "build failed: %s", grite_build_strerror(rc));
    return b;
}

static int build_rc(const shapes_Shapes_in *in)
{
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    int rc = shapes_Shapes_build(&b, in);
    if (rc != 0)
        ck_assert_uint_eq(b.len, 0);
    grite_buf_free(&b);
    return rc;
}

static checked check_bytes(const uint8_t *p, size_t len, textbuf *text)
{
    return root_check_copy(root_find("Shapes"), p, len, true, 0, text);
}

START_TEST(shapes_round_trip)
{
    shapes_Shapes_in in = _i == 0 ? full_shapes() : empty_shapes();
    grite_buf b = build(&in);
    textbuf got = { 0 };
    checked c = check_bytes(b.data, b.len, &got);
    ck_assert_msg(c.rc == 0, "rejected: %s at \"%s\"", grite_verror_name(c.rc), c.err.path);
    ck_assert_msg(c.problem[0] == '\0', "%s", c.problem);
    dumper d;
    dumper_init(&d, NULL, 0);
    dump_in_Shapes(&d, &in);
    ck_assert_msg(strcmp(tb_text(&got), tb_text(&d.out)) == 0, "--- input\n%s--- read back\n%s",
                  tb_text(&d.out), tb_text(&got));
    dumper_free(&d);
    tb_free(&got);
    grite_buf_free(&b);
}
END_TEST

START_TEST(builders_refuse_undeclared_values)
{
    shapes_Shapes_in s = full_shapes();
    s.sparse = (shapes_Sparse)2;
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_BAD_TAG);
    s = full_shapes();
    s.wide = (shapes_Wide)0;
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_BAD_TAG);
    s = full_shapes();
    s.level = (shapes_Level)INT16_MAX;   /* open: any i16 */
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_OK);
    s = full_shapes();
    s.opt_tree.value.tag = (shapes_Tree_kind)3;
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_BAD_TAG);
    s.opt_tree.present = false;          /* absent: not written, not checked */
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_OK);
    s = full_shapes();
    s.names[1] = GRITE_STR("\xed\xa0\x80");
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_BAD_UTF8);
    s = full_shapes();
    s.blob = GRITE_BYTES((const uint8_t *)"\xed\xa0\x80", 3);   /* bytes are not text */
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_OK);
    s = full_shapes();
    s.flags.len = (size_t)UINT32_MAX + 1;    /* refused before reading items */
    s.flags.items = NULL;
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_TOO_LARGE);
    s = full_shapes();
    s.bigs.len = UINT32_MAX;                 /* 32 GiB: past the 4 GiB format limit */
    s.bigs.items = NULL;
    ck_assert_int_eq(build_rc(&s), GRITE_BUILD_NO_ROOM);
}
END_TEST

static const shapes_Shapes *root_of(const grite_buf *b) { return shapes_Shapes_root(b->data); }

static void set_byte(grite_buf *b, size_t at, uint8_t v) { b->data[at] = v; }

static void c_flags1(grite_buf *b)
{
    set_byte(b, offset_in(b->data, shapes_Shapes_flags(root_of(b)).ptr) + 1, 2);
}
static void c_point1_flag(grite_buf *b) { set_byte(b, offsetof(shapes_Shapes, points) + sizeof(shapes_Point) + 16, 3); }
static void c_opt_flag_tag(grite_buf *b) { set_byte(b, offsetof(shapes_Shapes, opt_flag), 2); }
static void c_opt_flag_value(grite_buf *b) { set_byte(b, offsetof(shapes_Shapes, opt_flag) + 1, 9); }
static void c_sparse(grite_buf *b) { grite_st_u32(b->data + offsetof(shapes_Shapes, sparse), 2); }
static void c_wide(grite_buf *b) { grite_st_u64(b->data + offsetof(shapes_Shapes, wide), 5); }
static void c_level(grite_buf *b) { grite_st_u16(b->data + offsetof(shapes_Shapes, level), 0x8000); }
static void c_levels2(grite_buf *b)
{
    grite_st_u16(b->data + offset_in(b->data, shapes_Shapes_levels(root_of(b)).ptr) + 4, 0x7fff);
}
static void c_names1(grite_buf *b)
{
    /* names[1] is empty; give it the bytes of names[2] ("h\xc3\xa9"), which
     * come after it in pre-order, and names[2] then overlaps. */
    size_t r1 = offsetof(shapes_Shapes, names) + 8, r2 = r1 + 8;
    size_t target = r2 + grite_ld_u32(b->data + r2);
    grite_st_u32(b->data + r1, (uint32_t)(target - r1));
    grite_st_u32(b->data + r1 + 4, 3);
}
static void c_names2_utf8(grite_buf *b)
{
    grite_str s = shapes_arr3_str_at(shapes_Shapes_names(root_of(b)), 2);
    set_byte(b, offset_in(b->data, s.ptr) + 2, 0x28);   /* C3 28: a bad continuation */
}
static void c_matrix2_misaligned(grite_buf *b)
{
    size_t m = offset_in(b->data, shapes_Shapes_matrix(root_of(b)).ptr) + 16;
    grite_st_u32(b->data + m, grite_ld_u32(b->data + m) + 2);
}
static void c_opt_tree_tag(grite_buf *b) { grite_st_u32(b->data + offsetof(shapes_Shapes, opt_tree) + 4, 7); }
static void c_kid_tag(grite_buf *b)
{
    /* trees[2] is a Branch; its kids[1] (Nothing) gets tag 9. */
    const shapes_Tree *t = shapes_vec_Tree_at(shapes_Shapes_trees(root_of(b)), 2);
    shapes_vec_Tree k = shapes_Tree_Branch_kids(shapes_Tree_as_Branch(t));
    grite_st_u32(b->data + offset_in(b->data, k.ptr) + 12, 9);
}
static void c_blob_len(grite_buf *b) { grite_st_u32(b->data + 4, 0xffffffff); }
static void c_maybe_names_absent(grite_buf *b) { set_byte(b, offsetof(shapes_Shapes, maybe_names), 0); }

typedef struct shape_case {
    void (*corrupt)(grite_buf *b);
    int code;
    const char *path;
} shape_case;

static const shape_case shape_cases[] = {
    { c_flags1, GRITE_VERROR_BAD_BOOL, "flags[1]" },
    { c_point1_flag, GRITE_VERROR_BAD_BOOL, "points[1].flag" },
    { c_opt_flag_tag, GRITE_VERROR_BAD_OPTION_TAG, "opt_flag" },
    { c_opt_flag_value, GRITE_VERROR_BAD_BOOL, "opt_flag" },
    { c_sparse, GRITE_VERROR_BAD_ENUM_VALUE, "sparse" },
    { c_wide, GRITE_VERROR_BAD_ENUM_VALUE, "wide" },
    { c_level, 0, "" },               /* open enum: -32768 is fine */
    { c_levels2, 0, "" },
    { c_names1, GRITE_VERROR_OVERLAP, "names[2]" },
    { c_names2_utf8, GRITE_VERROR_BAD_UTF8, "names[2]" },
    { c_matrix2_misaligned, GRITE_VERROR_MISALIGNED, "matrix[2]" },
    { c_opt_tree_tag, GRITE_VERROR_BAD_UNION_TAG, "opt_tree" },
    { c_kid_tag, GRITE_VERROR_BAD_UNION_TAG, "trees[2].Branch.kids[1]" },
    { c_blob_len, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS, "blob" },
    /* Absent: its vector becomes a gap nobody reads. */
    { c_maybe_names_absent, 0, "" },
};

START_TEST(shapes_corruptions_give_code_and_path)
{
    const shape_case *sc = &shape_cases[_i];
    shapes_Shapes_in in = full_shapes();
    grite_buf b = build(&in);
    sc->corrupt(&b);
    checked c = check_bytes(b.data, b.len, NULL);
    ck_assert_msg(c.problem[0] == '\0', "case %d: %s", _i, c.problem);
    ck_assert_msg(c.rc == sc->code && strcmp(c.err.path, sc->path) == 0,
                  "case %d: expected %s at \"%s\", got %s at \"%s\"", _i,
                  sc->code ? grite_verror_name(sc->code) : "PASS", sc->path,
                  c.rc ? grite_verror_name(c.rc) : "PASS", c.err.path);
    grite_buf_free(&b);
}
END_TEST

START_TEST(shapes_truncations_and_byte_changes)
{
    shapes_Shapes_in in = full_shapes();
    grite_buf b = build(&in);
    for (size_t len = 0; len < b.len; len++) {
        checked c = check_bytes(b.data, len, NULL);
        ck_assert_msg(c.rc != 0, "cut to %zu of %zu bytes: accepted", len, b.len);
    }
    uint8_t *copy = heap_copy(b.data, b.len);
    const root_type *rt = root_find("Shapes");
    for (size_t pos = 0; pos < b.len; pos++) {
        uint8_t x = b.data[pos];
        const uint8_t values[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, (uint8_t)(x ^ 0x01),
                                   (uint8_t)(x ^ 0x80), (uint8_t)(x + 1), (uint8_t)(x - 1),
                                   (uint8_t)(x + 4), (uint8_t)(x ^ 0x40) };
        for (size_t k = 0; k < sizeof values; k++) {
            if (values[k] == x)
                continue;
            copy[pos] = values[k];
            checked c = root_check(rt, copy, b.len, true, 0, NULL);
            ck_assert_msg(c.problem[0] == '\0', "byte %zu = 0x%02x: %s", pos, values[k], c.problem);
            copy[pos] = x;
        }
    }
    free(copy);
    grite_buf_free(&b);
}
END_TEST

static Suite *shapes_suite(void)
{
    Suite *s = suite_create("archive_shapes");
    TCase *tc = tcase_create("shapes");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, shapes_round_trip, 0, 2);
    tcase_add_test(tc, builders_refuse_undeclared_values);
    tcase_add_loop_test(tc, shapes_corruptions_give_code_and_path, 0,
                        (int)(sizeof shape_cases / sizeof shape_cases[0]));
    tcase_add_test(tc, shapes_truncations_and_byte_changes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(shapes_suite());
}
