/*
 * test_tricky.c - gritec's output for tricky.idl (every scalar, arrays,
 * nested vectors and optionals, wide/negative/open enums, open and
 * recursive unions, a union root): the layout matches docs/FORMAT.md as
 * computed by hand here, and what a builder writes its validator accepts
 * and its accessors read back.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "tricky.h"

/* ---- layout, from FORMAT.md 1.2-1.4 by hand --------------------------- */

START_TEST(layout_of_optionals_and_arrays)
{
    /* T? = round_up(align(T) + size(T), align(T)), value at +align(T) */
    ck_assert_uint_eq(sizeof(tk_opt_u8), 2);
    ck_assert_uint_eq(sizeof(tk_opt_u64), 16);
    ck_assert_uint_eq(offsetof(tk_opt_u64, value), 8);
    ck_assert_uint_eq(sizeof(tk_opt_arr3_u8), 4);
    ck_assert_uint_eq(sizeof(tk_opt_vec_str), 12);
    ck_assert_uint_eq(sizeof(tk_opt_Shape), 16);
    ck_assert_uint_eq(offsetof(tk_opt_Shape, value), 4);
    ck_assert_uint_eq(sizeof(tk_opt_Inner), 16);   /* Inner: bool, pad 3, string = 12, align 4 */
    ck_assert_uint_eq(sizeof(tk_Inner), 12);
    ck_assert_uint_eq(sizeof(tk_Shape), 12);
    ck_assert_uint_eq(GRITE_ALIGNOF(tk_Shape), 4);
}
END_TEST

START_TEST(layout_of_scalars_struct)
{
    ck_assert_uint_eq(offsetof(tk_Scalars, a_u64), 8);
    ck_assert_uint_eq(offsetof(tk_Scalars, a_u16), 18);
    ck_assert_uint_eq(offsetof(tk_Scalars, a_i64), 40);
    ck_assert_uint_eq(offsetof(tk_Scalars, blob), 60);      /* bool at 56, refs align 4 */
    ck_assert_uint_eq(offsetof(tk_Scalars, hash), 68);
    ck_assert_uint_eq(offsetof(tk_Scalars, grid), 74);      /* 73 rounded to u16 */
    ck_assert_uint_eq(offsetof(tk_Scalars, names), 88);
    ck_assert_uint_eq(offsetof(tk_Scalars, maybe_u64), 104);
    ck_assert_uint_eq(offsetof(tk_Scalars, maybe_hash), 122);
    ck_assert_uint_eq(offsetof(tk_Scalars, wide), 176);
    ck_assert_uint_eq(sizeof(tk_Scalars), 256);
    ck_assert_uint_eq(GRITE_ALIGNOF(tk_Scalars), 8);
    ck_assert_uint_eq(sizeof(tk_Shape_Circle), 8);
    ck_assert_uint_eq(sizeof(tk_Shape_Label), 20);
}
END_TEST

/* ---- a fully populated Scalars round trip ----------------------------- */

static grite_buf buf;

static void setup(void)
{
    ck_assert_int_eq(grite_buf_init_growable(&buf, 0, 0), 0);
}

static void teardown(void)
{
    grite_buf_free(&buf);
}

static uint32_t row0[] = { 1, 2, 3 };
static tk_vec_u32_in rows[] = { { row0, 3 }, { NULL, 0 }, { row0 + 1, 1 } };
static grite_str words[] = { { "alpha", 5 }, { "", 0 }, { "\xc3\xa9t\xc3\xa9", 5 } };
static tk_opt_i16_in maybes[] = { { true, -7 }, { false, 0 }, { true, 32767 } };
static bool flag_list[] = { true, false, true };
static tk_Color color_list[] = { TK_COLOR_RED, TK_COLOR_BLUE };
static tk_Level level_list[] = { TK_LEVEL_HIGH, (tk_Level)4000 };
static const uint8_t pair_list[][2] = { { 1, 2 }, { 3, 4 } };
static const uint8_t blob_bytes[] = { 0, 0xff, 0x80 };

static void fill_scalars(tk_Scalars_in *in, tk_Shape_in *shapes)
{
    memset(in, 0, sizeof *in);
    in->a_u8 = 200;
    in->a_u64 = UINT64_C(0x0123456789abcdef);
    in->a_i8 = -5;
    in->a_u16 = 65000;
    in->a_i16 = -30000;
    in->a_u32 = 4000000000u;
    in->a_i32 = -2000000000;
    in->a_f32 = 1.5f;
    in->a_i64 = INT64_MIN;
    in->a_f64 = -0.25;
    in->a_bool = true;
    in->blob.ptr = blob_bytes;
    in->blob.len = sizeof blob_bytes;
    memcpy(in->hash, "\x01\x02\x03\x04\x05", 5);
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++)
            in->grid[r][c] = (uint16_t)(r * 10 + c);
    in->names[0] = GRITE_STR("first");
    in->names[1] = GRITE_STR("");
    in->maybe_u64.present = true;
    in->maybe_u64.value = 99;
    in->maybe_hash.present = true;
    memcpy(in->maybe_hash.value, "xyz", 3);
    in->nested.items = rows;
    in->nested.len = 3;
    in->maybe_list.present = true;
    in->maybe_list.value.items = words;
    in->maybe_list.value.len = 3;
    in->list_of_maybe.items = maybes;
    in->list_of_maybe.len = 3;
    in->flags.items = flag_list;
    in->flags.len = 3;
    in->colors.items = color_list;
    in->colors.len = 2;
    in->wide = TK_WIDE_HUGE;
    in->neg = TK_NEG_MINUS;
    in->level = (tk_Level)1234;                 /* open: undeclared is fine */
    in->level_list.items = level_list;
    in->level_list.len = 2;
    in->inner.flag = true;
    in->inner.text = GRITE_STR("inside");
    in->maybe_inner.present = false;
    shapes[0].tag = TK_SHAPE_CIRCLE;
    shapes[0].v.Circle.radius = 2.0;
    shapes[1].tag = TK_SHAPE_EMPTY;
    shapes[2].tag = TK_SHAPE_LABEL;
    shapes[2].v.Label.text = GRITE_STR("lbl");
    shapes[2].v.Label.inner.text = GRITE_STR("in");
    in->shapes.items = shapes;
    in->shapes.len = 3;
    in->maybe_shape.present = true;
    in->maybe_shape.value.tag = TK_SHAPE_NESTED;
    in->maybe_shape.value.v.Nested.kids.items = shapes;
    in->maybe_shape.value.v.Nested.kids.len = 2;
    in->pairs.items = pair_list;
    in->pairs.len = 2;
}

static const tk_Scalars *build_valid_scalars(void)
{
    tk_Scalars_in in;
    static tk_Shape_in shapes[3];
    fill_scalars(&in, shapes);
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), 0);
    grite_verror err;
    int rc = tk_Scalars_validate(buf.data, buf.len, &err);
    ck_assert_msg(rc == 0, "validate: %s at %s", grite_verror_name(rc), err.path);
    return tk_Scalars_root(buf.data);
}

START_TEST(scalars_round_trip)
{
    const tk_Scalars *s = build_valid_scalars();
    ck_assert_uint_eq(tk_Scalars_a_u8(s), 200);
    ck_assert_uint_eq(tk_Scalars_a_u64(s), UINT64_C(0x0123456789abcdef));
    ck_assert_int_eq(tk_Scalars_a_i8(s), -5);
    ck_assert_uint_eq(tk_Scalars_a_u16(s), 65000);
    ck_assert_int_eq(tk_Scalars_a_i16(s), -30000);
    ck_assert_uint_eq(tk_Scalars_a_u32(s), 4000000000u);
    ck_assert_int_eq(tk_Scalars_a_i32(s), -2000000000);
    ck_assert(tk_Scalars_a_f32(s) == 1.5f);
    ck_assert(tk_Scalars_a_i64(s) == INT64_MIN);
    ck_assert(tk_Scalars_a_f64(s) == -0.25);
    ck_assert(tk_Scalars_a_bool(s));
    grite_bytes blob = tk_Scalars_blob(s);
    ck_assert_uint_eq(blob.len, 3);
    ck_assert_mem_eq(blob.ptr, blob_bytes, 3);
    tk_arr5_u8 hash = tk_Scalars_hash(s);
    ck_assert_uint_eq(hash.len, 5);
    ck_assert_uint_eq(tk_arr5_u8_at(hash, 4), 5);
    tk_arr2_arr3_u16 grid = tk_Scalars_grid(s);
    ck_assert_uint_eq(tk_arr3_u16_at(tk_arr2_arr3_u16_at(grid, 1), 2), 12);
    ck_assert_str_eq(tk_arr2_str_at(tk_Scalars_names(s), 0).ptr, "first");
    ck_assert_uint_eq(tk_arr2_str_at(tk_Scalars_names(s), 1).len, 0);
    ck_assert_str_eq(tk_arr2_str_at(tk_Scalars_names(s), 1).ptr, "");
}
END_TEST

START_TEST(nested_vectors_and_optionals_round_trip)
{
    const tk_Scalars *s = build_valid_scalars();
    ck_assert(tk_Scalars_has_maybe_u64(s));
    ck_assert_uint_eq(tk_Scalars_maybe_u64(s), 99);
    ck_assert(!tk_Scalars_has_maybe_byte(s));
    ck_assert_uint_eq(tk_Scalars_maybe_byte(s), 0);
    ck_assert_mem_eq(tk_Scalars_maybe_hash(s).ptr, "xyz", 3);
    tk_vec_vec_u32 nested = tk_Scalars_nested(s);
    ck_assert_uint_eq(nested.len, 3);
    ck_assert_uint_eq(tk_vec_u32_at(tk_vec_vec_u32_at(nested, 0), 2), 3);
    ck_assert_uint_eq(tk_vec_vec_u32_at(nested, 1).len, 0);
    ck_assert_uint_eq(tk_vec_u32_at(tk_vec_vec_u32_at(nested, 2), 0), 2);
    tk_vec_str words_read = tk_Scalars_maybe_list(s);
    ck_assert_uint_eq(words_read.len, 3);
    ck_assert_str_eq(tk_vec_str_at(words_read, 2).ptr, "\xc3\xa9t\xc3\xa9");
    tk_vec_opt_i16 m = tk_Scalars_list_of_maybe(s);
    ck_assert(tk_opt_i16_has(tk_vec_opt_i16_at(m, 0)));
    ck_assert_int_eq(tk_opt_i16_value(tk_vec_opt_i16_at(m, 0)), -7);
    ck_assert(!tk_opt_i16_has(tk_vec_opt_i16_at(m, 1)));
    ck_assert_int_eq(tk_opt_i16_value(tk_vec_opt_i16_at(m, 2)), 32767);
    ck_assert(tk_vec_bool_at(tk_Scalars_flags(s), 2));
    ck_assert(!tk_vec_bool_at(tk_Scalars_flags(s), 1));
    ck_assert_int_eq(tk_vec_Color_at(tk_Scalars_colors(s), 1), TK_COLOR_BLUE);
    ck_assert(tk_Scalars_wide(s) == TK_WIDE_HUGE);
    ck_assert_int_eq(tk_Scalars_neg(s), TK_NEG_MINUS);
    ck_assert_uint_eq(tk_Scalars_level(s), 1234);
    ck_assert_ptr_null(tk_Level_name(tk_Scalars_level(s)));
    ck_assert_uint_eq(tk_vec_Level_at(tk_Scalars_level_list(s), 1), 4000);
    ck_assert_str_eq(tk_Inner_text(tk_Scalars_inner(s)).ptr, "inside");
    ck_assert(!tk_Scalars_has_maybe_inner(s));
    ck_assert_ptr_null(tk_Scalars_maybe_inner(s));
    tk_vec_arr2_u8 pairs = tk_Scalars_pairs(s);
    ck_assert_uint_eq(tk_arr2_u8_at(tk_vec_arr2_u8_at(pairs, 1), 0), 3);
}
END_TEST

START_TEST(unions_round_trip)
{
    const tk_Scalars *s = build_valid_scalars();
    tk_vec_Shape shapes = tk_Scalars_shapes(s);
    ck_assert_uint_eq(shapes.len, 3);
    const tk_Shape *circle = tk_vec_Shape_at(shapes, 0);
    ck_assert_int_eq(tk_Shape_tag(circle), TK_SHAPE_CIRCLE);
    ck_assert(tk_Shape_Circle_radius(tk_Shape_as_Circle(circle)) == 2.0);
    ck_assert_ptr_null(tk_Shape_as_Label(circle));
    ck_assert_int_eq(tk_Shape_tag(tk_vec_Shape_at(shapes, 1)), TK_SHAPE_EMPTY);
    const tk_Shape_Label *label = tk_Shape_as_Label(tk_vec_Shape_at(shapes, 2));
    ck_assert_str_eq(tk_Shape_Label_text(label).ptr, "lbl");
    ck_assert_str_eq(tk_Inner_text(tk_Shape_Label_inner(label)).ptr, "in");
    const tk_Shape *nested = tk_Scalars_maybe_shape(s);
    ck_assert_ptr_nonnull(nested);
    tk_vec_Shape kids = tk_Shape_Nested_kids(tk_Shape_as_Nested(nested));
    ck_assert_uint_eq(kids.len, 2);
    ck_assert_str_eq(tk_Shape_kind_name(tk_Shape_tag(tk_vec_Shape_at(kids, 1))), "Empty");
}
END_TEST

START_TEST(builder_rejects_undeclared_values)
{
    tk_Scalars_in in;
    tk_Shape_in shapes[3];
    fill_scalars(&in, shapes);
    in.colors.items = (const tk_Color[]){ (tk_Color)3 };   /* closed, no 3 */
    in.colors.len = 1;
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), GRITE_BUILD_BAD_TAG);
    ck_assert_uint_eq(buf.len, 0);
    fill_scalars(&in, shapes);
    in.neg = (tk_Neg)-1;
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), GRITE_BUILD_BAD_TAG);
    fill_scalars(&in, shapes);
    in.level = (tk_Level)70000;                           /* open, but not a u16 */
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), GRITE_BUILD_BAD_TAG);
    fill_scalars(&in, shapes);
    shapes[1].tag = (tk_Shape_kind)9;
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), GRITE_BUILD_BAD_TAG);
    fill_scalars(&in, shapes);
    in.names[1] = GRITE_STR("\xed\xa0\x80");              /* a surrogate */
    ck_assert_int_eq(tk_Scalars_build(&buf, &in), GRITE_BUILD_BAD_UTF8);
}
END_TEST

/* ---- the union root, open unions, depth -------------------------------- */

START_TEST(union_root_round_trip)
{
    tk_Shape_in in;
    memset(&in, 0, sizeof in);
    in.tag = TK_SHAPE_LABEL;
    in.v.Label.text = GRITE_STR("root");
    ck_assert_int_eq(tk_Shape_build(&buf, &in), 0);
    ck_assert_int_eq(tk_Shape_validate(buf.data, buf.len, NULL), 0);
    const tk_Shape *s = tk_Shape_root(buf.data);
    ck_assert_str_eq(tk_Shape_Label_text(tk_Shape_as_Label(s)).ptr, "root");
    /* A closed union rejects a tag it does not know. */
    grite_st_u32(buf.data, 17);
    grite_verror err;
    ck_assert_int_eq(tk_Shape_validate(buf.data, buf.len, &err), GRITE_VERROR_BAD_UNION_TAG);
    ck_assert_uint_eq(err.offset, 0);
}
END_TEST

/* A chain of `depth` Node levels ending in a Leaf. */
static void build_tree(int depth, tk_Tree_in *nodes)
{
    for (int i = 0; i < depth; i++) {
        nodes[i].tag = TK_TREE_NODE;
        nodes[i].v.Node.label = GRITE_STR("n");
        nodes[i].v.Node.children.items = &nodes[i + 1];
        nodes[i].v.Node.children.len = 1;
    }
    nodes[depth].tag = TK_TREE_LEAF;
    nodes[depth].v.Leaf.value = -1;
    ck_assert_int_eq(tk_Tree_build(&buf, &nodes[0]), 0);
}

START_TEST(open_union_steps_over_unknown_variant)
{
    tk_Tree_in nodes[3];
    build_tree(2, nodes);
    ck_assert_int_eq(tk_Tree_validate(buf.data, buf.len, NULL), 0);
    /* A newer schema's variant: the reader sees the tag and skips the payload. */
    grite_st_u32(buf.data, 42);
    grite_verror err;
    ck_assert_int_eq(tk_Tree_validate(buf.data, buf.len, &err), 0);
    const tk_Tree *t = tk_Tree_root(buf.data);
    ck_assert_uint_eq((uint32_t)tk_Tree_tag(t), 42);
    ck_assert_ptr_null(tk_Tree_as_Node(t));
    ck_assert_ptr_null(tk_Tree_kind_name(tk_Tree_tag(t)));
}
END_TEST

START_TEST(depth_limit)
{
    enum { DEPTH = 40 };
    tk_Tree_in nodes[DEPTH + 1];
    build_tree(DEPTH, nodes);
    /* Each Node level is two hops (its payload, then its children array),
     * and the last Leaf's payload one more. */
    ck_assert_int_eq(tk_Tree_validate_depth(buf.data, buf.len, 2 * DEPTH + 1, NULL), 0);
    grite_verror err;
    ck_assert_int_eq(tk_Tree_validate_depth(buf.data, buf.len, 2 * DEPTH, &err),
                     GRITE_VERROR_TOO_DEEP);
    ck_assert_int_eq(tk_Tree_validate(buf.data, buf.len, &err), GRITE_VERROR_TOO_DEEP);
    ck_assert_msg(strncmp(err.path, "Node.children[0].Node.children[0].", 34) == 0, "path %s", err.path);
}
END_TEST

static Suite *tricky_suite(void)
{
    Suite *s = suite_create("generated_tricky");
    TCase *layout = tcase_create("layout");
    tcase_add_test(layout, layout_of_optionals_and_arrays);
    tcase_add_test(layout, layout_of_scalars_struct);
    suite_add_tcase(s, layout);
    TCase *rt = tcase_create("round_trip");
    tcase_add_checked_fixture(rt, setup, teardown);
    tcase_add_test(rt, scalars_round_trip);
    tcase_add_test(rt, nested_vectors_and_optionals_round_trip);
    tcase_add_test(rt, unions_round_trip);
    tcase_add_test(rt, builder_rejects_undeclared_values);
    tcase_add_test(rt, union_root_round_trip);
    tcase_add_test(rt, open_union_steps_over_unknown_variant);
    tcase_add_test(rt, depth_limit);
    suite_add_tcase(s, rt);
    return s;
}

int main(void)
{
    return grite_check_run(tricky_suite());
}
