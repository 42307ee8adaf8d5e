/*
 * dump_shapes.c - shapes.idl's Shapes as text, from builder input and from
 * a validated archive (see dump.h; the two halves mirror each other).
 */
#include "dump.h"

/* A string field; the expression is evaluated once (an accessor reads the buffer). */
#define STR(d, name, expr)                  \
    do {                                    \
        grite_str s_ = (expr);              \
        d_str((d), (name), s_.ptr, s_.len); \
    } while (0)

/* ---- builder input ---------------------------------------------------- */

static void tree_in(dumper *d, const char *name, const shapes_Tree_in *t)
{
    size_t m = d_enter(d, name);
    d_enum(d, "", shapes_Tree_kind_name(t->tag), (uint64_t)t->tag);
    if (t->tag == SHAPES_TREE_LEAF) {
        d_uint(d, "value", t->v.Leaf.value);
    } else if (t->tag == SHAPES_TREE_BRANCH) {
        d_len(d, "kids", t->v.Branch.kids.len);
        for (size_t i = 0; i < t->v.Branch.kids.len; i++) {
            size_t m2 = d_enter(d, "kids");
            size_t m3 = d_enter_index(d, i);
            tree_in(d, "", &t->v.Branch.kids.items[i]);
            d_leave(d, m3);
            d_leave(d, m2);
        }
    }
    d_leave(d, m);
}

static void point_in(dumper *d, const char *name, const shapes_Point_in *p)
{
    size_t m = d_enter(d, name);
    d_real(d, "x", p->x);
    d_real(d, "y", p->y);
    d_bool(d, "flag", p->flag);
    d_leave(d, m);
}

void dump_in_Shapes(dumper *d, const shapes_Shapes_in *s)
{
    d_hex(d, "blob", s->blob.ptr, s->blob.len);
    d_len(d, "flags", s->flags.len);
    for (size_t i = 0; i < s->flags.len; i++)
        d_bool(d, "flags[]", s->flags.items[i]);
    d_len(d, "nums", s->nums.len);
    for (size_t i = 0; i < s->nums.len; i++)
        d_uint(d, "nums[]", s->nums.items[i]);
    d_len(d, "bigs", s->bigs.len);
    for (size_t i = 0; i < s->bigs.len; i++)
        d_int(d, "bigs[]", s->bigs.items[i]);
    d_len(d, "matrix", s->matrix.len);
    for (size_t i = 0; i < s->matrix.len; i++) {
        d_len(d, "matrix[]", s->matrix.items[i].len);
        for (size_t j = 0; j < s->matrix.items[i].len; j++)
            d_uint(d, "matrix[][]", s->matrix.items[i].items[j]);
    }
    for (size_t i = 0; i < 3; i++)
        STR(d, "names[]", s->names[i]);
    for (size_t i = 0; i < 2; i++)
        point_in(d, "points[]", &s->points[i]);
    if (s->maybe_point.present)
        point_in(d, "maybe_point", &s->maybe_point.value);
    else
        d_absent(d, "maybe_point");
    if (s->maybe_names.present) {
        d_len(d, "maybe_names", s->maybe_names.value.len);
        for (size_t i = 0; i < s->maybe_names.value.len; i++)
            STR(d, "maybe_names[]", s->maybe_names.value.items[i]);
    } else {
        d_absent(d, "maybe_names");
    }
    if (s->opt_flag.present)
        d_bool(d, "opt_flag", s->opt_flag.value);
    else
        d_absent(d, "opt_flag");
    d_int(d, "level", s->level);
    d_len(d, "levels", s->levels.len);
    for (size_t i = 0; i < s->levels.len; i++)
        d_int(d, "levels[]", s->levels.items[i]);
    d_enum(d, "sparse", shapes_Sparse_name(s->sparse), s->sparse);
    d_int(d, "wide", s->wide);
    d_hex(d, "hash", s->hash, 4);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++)
            d_uint(d, "grid[][]", s->grid[i][j]);
    tree_in(d, "inner", &s->inner);
    d_len(d, "trees", s->trees.len);
    for (size_t i = 0; i < s->trees.len; i++)
        tree_in(d, "trees[]", &s->trees.items[i]);
    if (s->opt_tree.present)
        tree_in(d, "opt_tree", &s->opt_tree.value);
    else
        d_absent(d, "opt_tree");
    if (s->opt_byte.present)
        d_uint(d, "opt_byte", s->opt_byte.value);
    else
        d_absent(d, "opt_byte");
}

/* ---- archive ------------------------------------------------------------ */

/* An archived vector, flat: its element array recorded as an object under
 * `name` (vec.len elements of `width` bytes), "<name> = len n", then `item`
 * (a statement using the index variable named by i) per element. */
#define FLAT_VECTOR(d, name, vec, width, i, item)                        \
    do {                                                                 \
        d_object((d), (name), (vec).ptr, (vec).len * (width));           \
        d_len((d), (name), (vec).len);                                   \
        for (size_t i = 0; i < (vec).len; i++)                           \
            item;                                                        \
    } while (0)

static void tree(dumper *d, const char *name, const shapes_Tree *t)
{
    size_t m = d_enter(d, name);
    shapes_Tree_kind tag = shapes_Tree_tag(t);
    d_enum(d, "", shapes_Tree_kind_name(tag), (uint64_t)tag);
    const shapes_Tree_Leaf *leaf = shapes_Tree_as_Leaf(t);
    const shapes_Tree_Branch *branch = shapes_Tree_as_Branch(t);
    if ((leaf != NULL) != (tag == SHAPES_TREE_LEAF) || (branch != NULL) != (tag == SHAPES_TREE_BRANCH))
        d_fail(d, "as_V() does not match the tag");
    if (leaf) {
        d_object(d, "(payload)", leaf, sizeof *leaf);
        d_uint(d, "value", shapes_Tree_Leaf_value(leaf));
    } else if (branch) {
        d_object(d, "(payload)", branch, sizeof *branch);
        shapes_vec_Tree v = shapes_Tree_Branch_kids(branch);
        d_object(d, "kids (elements)", v.ptr, v.len * sizeof(shapes_Tree));
        d_len(d, "kids", v.len);
        for (size_t i = 0; i < v.len; i++) {
            size_t m2 = d_enter(d, "kids");
            size_t m3 = d_enter_index(d, i);
            tree(d, "", shapes_vec_Tree_at(v, i));
            d_leave(d, m3);
            d_leave(d, m2);
        }
    }
    d_leave(d, m);
}

static void point(dumper *d, const char *name, const shapes_Point *p)
{
    size_t m = d_enter(d, name);
    d_real(d, "x", shapes_Point_x(p));
    d_real(d, "y", shapes_Point_y(p));
    d_bool(d, "flag", shapes_Point_flag(p));
    d_leave(d, m);
}

static void matrix_row(dumper *d, shapes_vec_u32 row)
{
    FLAT_VECTOR(d, "matrix[]", row, 4, j, d_uint(d, "matrix[][]", shapes_vec_u32_at(row, j)));
}

static void vectors(dumper *d, const shapes_Shapes *s)
{
    grite_bytes blob = shapes_Shapes_blob(s);
    d_object(d, "blob", blob.ptr, blob.len);
    d_hex(d, "blob", blob.ptr, blob.len);
    shapes_vec_bool flags = shapes_Shapes_flags(s);
    FLAT_VECTOR(d, "flags", flags, 1, i, d_bool(d, "flags[]", shapes_vec_bool_at(flags, i)));
    shapes_vec_u16 nums = shapes_Shapes_nums(s);
    FLAT_VECTOR(d, "nums", nums, 2, i, d_uint(d, "nums[]", shapes_vec_u16_at(nums, i)));
    shapes_vec_i64 bigs = shapes_Shapes_bigs(s);
    FLAT_VECTOR(d, "bigs", bigs, 8, i, d_int(d, "bigs[]", shapes_vec_i64_at(bigs, i)));
    shapes_vec_vec_u32 matrix = shapes_Shapes_matrix(s);
    FLAT_VECTOR(d, "matrix", matrix, sizeof(grite_ref), i,
                matrix_row(d, shapes_vec_vec_u32_at(matrix, i)));
}

/* An absent optional: dumped as absent, and its accessor must still read
 * as the API promises (reads_as_zero), `zero` naming what that is. */
static void absent(dumper *d, const char *name, bool reads_as_zero, const char *zero)
{
    if (!reads_as_zero)
        d_fail(d, "absent %s is not %s", name, zero);
    d_absent(d, name);
}

static void optionals(dumper *d, const shapes_Shapes *s)
{
    if (shapes_Shapes_has_maybe_point(s))
        point(d, "maybe_point", shapes_Shapes_maybe_point(s));
    else
        absent(d, "maybe_point", shapes_Shapes_maybe_point(s) == NULL, "NULL");
    shapes_vec_str names = shapes_Shapes_maybe_names(s);
    if (shapes_Shapes_has_maybe_names(s))
        FLAT_VECTOR(d, "maybe_names", names, sizeof(grite_ref), i,
                    STR(d, "maybe_names[]", shapes_vec_str_at(names, i)));
    else
        absent(d, "maybe_names", names.len == 0, "empty");
    if (shapes_Shapes_has_opt_flag(s))
        d_bool(d, "opt_flag", shapes_Shapes_opt_flag(s));
    else
        absent(d, "opt_flag", !shapes_Shapes_opt_flag(s), "false");
}

void dump_Shapes(dumper *d, const shapes_Shapes *s)
{
    vectors(d, s);
    shapes_arr3_str names = shapes_Shapes_names(s);
    if (names.len != 3)
        d_fail(d, "names has %zu elements", names.len);
    for (size_t i = 0; i < names.len; i++)
        STR(d, "names[]", shapes_arr3_str_at(names, i));
    shapes_arr2_Point points = shapes_Shapes_points(s);
    for (size_t i = 0; i < points.len; i++)
        point(d, "points[]", shapes_arr2_Point_at(points, i));
    optionals(d, s);
    d_int(d, "level", shapes_Shapes_level(s));
    shapes_vec_Level levels = shapes_Shapes_levels(s);
    FLAT_VECTOR(d, "levels", levels, 2, i, d_int(d, "levels[]", shapes_vec_Level_at(levels, i)));
    shapes_Sparse sparse = shapes_Shapes_sparse(s);
    d_enum(d, "sparse", shapes_Sparse_name(sparse), sparse);
    d_int(d, "wide", shapes_Shapes_wide(s));
    shapes_arr4_u8 hash = shapes_Shapes_hash(s);
    uint8_t h[4] = { 0 };
    for (size_t i = 0; i < hash.len && i < 4; i++)
        h[i] = shapes_arr4_u8_at(hash, i);
    d_hex(d, "hash", h, 4);
    shapes_arr2_arr2_u16 grid = shapes_Shapes_grid(s);
    for (size_t i = 0; i < grid.len; i++) {
        shapes_arr2_u16 row = shapes_arr2_arr2_u16_at(grid, i);
        for (size_t j = 0; j < row.len; j++)
            d_uint(d, "grid[][]", shapes_arr2_u16_at(row, j));
    }
    tree(d, "inner", shapes_Shapes_inner(s));
    shapes_vec_Tree trees = shapes_Shapes_trees(s);
    FLAT_VECTOR(d, "trees", trees, sizeof(shapes_Tree), i,
                tree(d, "trees[]", shapes_vec_Tree_at(trees, i)));
    if (shapes_Shapes_has_opt_tree(s))
        tree(d, "opt_tree", shapes_Shapes_opt_tree(s));
    else
        absent(d, "opt_tree", shapes_Shapes_opt_tree(s) == NULL, "NULL");
    if (shapes_Shapes_has_opt_byte(s))
        d_uint(d, "opt_byte", shapes_Shapes_opt_byte(s));
    else
        absent(d, "opt_byte", shapes_Shapes_opt_byte(s) == 0, "0");
}
