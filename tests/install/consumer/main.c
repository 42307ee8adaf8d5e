/*
 * main.c - a program of another project using an installed grite-ipc:
 * build a Drawing (shapes.idl) into a growable buffer, validate it as
 * untrusted bytes, read every field back in place, and check that a
 * truncated copy is rejected with a useful message.
 *
 * Exits 0 only if every field reads back as it was built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shapes.h"

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "shapes: %s does not read back\n", what);
        failures++;
    }
}

static int str_is(grite_str s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0 && s.ptr[s.len] == '\0';
}

static const shapes_Point_in triangle[] = { { 0, 0 }, { 4, 0 }, { -2, 7 } };
static const grite_str tags[] = { GRITE_STR("draft"), GRITE_STR("") };

static int build_drawing(grite_buf *b)
{
    shapes_Shape_in shapes[3];
    memset(shapes, 0, sizeof shapes);
    shapes[0].tag = SHAPES_SHAPE_CIRCLE;
    shapes[0].v.Circle.center = (shapes_Point_in){ -3, 5 };
    shapes[0].v.Circle.radius = 12;
    shapes[1].tag = SHAPES_SHAPE_POLYGON;
    shapes[1].v.Polygon.points = (shapes_vec_Point_in){ triangle, 3 };
    shapes[2].tag = SHAPES_SHAPE_BLANK;
    shapes_Drawing_in d = {
        .title = GRITE_STR("héllo, grite"),
        .shapes = { shapes, 3 },
        .tags = { tags, 2 },
        .scale = 1.5,
    };
    return shapes_Drawing_build(b, &d);
}

static void check_circle(const shapes_Shape *s)
{
    const shapes_Shape_Circle *c = shapes_Shape_as_Circle(s);
    expect(shapes_Shape_tag(s) == SHAPES_SHAPE_CIRCLE && c != NULL, "shapes[0] tag");
    if (c == NULL)
        return;
    const shapes_Point *center = shapes_Shape_Circle_center(c);
    expect(shapes_Point_x(center) == -3 && shapes_Point_y(center) == 5, "shapes[0].center");
    expect(shapes_Shape_Circle_radius(c) == 12, "shapes[0].radius");
}

static void check_polygon(const shapes_Shape *s)
{
    const shapes_Shape_Polygon *p = shapes_Shape_as_Polygon(s);
    expect(shapes_Shape_tag(s) == SHAPES_SHAPE_POLYGON && p != NULL, "shapes[1] tag");
    if (p == NULL)
        return;
    shapes_vec_Point points = shapes_Shape_Polygon_points(p);
    expect(points.len == 3, "shapes[1].points length");
    for (size_t i = 0; i < points.len && i < 3; i++) {
        const shapes_Point *pt = shapes_vec_Point_at(points, i);
        expect(shapes_Point_x(pt) == triangle[i].x && shapes_Point_y(pt) == triangle[i].y,
               "shapes[1].points[i]");
    }
}

static void check_drawing(const shapes_Drawing *d)
{
    expect(str_is(shapes_Drawing_title(d), "héllo, grite"), "title");
    expect(shapes_Drawing_scale(d) == 1.5, "scale");
    shapes_vec_str t = shapes_Drawing_tags(d);
    expect(t.len == 2 && str_is(shapes_vec_str_at(t, 0), "draft") &&
               str_is(shapes_vec_str_at(t, 1), ""),
           "tags");
    shapes_vec_Shape s = shapes_Drawing_shapes(d);
    expect(s.len == 3, "shapes length");
    if (s.len != 3)
        return;
    check_circle(shapes_vec_Shape_at(s, 0));
    check_polygon(shapes_vec_Shape_at(s, 1));
    expect(shapes_Shape_tag(shapes_vec_Shape_at(s, 2)) == SHAPES_SHAPE_BLANK, "shapes[2] tag");
    expect(strcmp(shapes_Shape_kind_name(SHAPES_SHAPE_POLYGON), "Polygon") == 0, "variant name");
}

/* A truncated message must be rejected, with a message naming the problem. */
static void check_truncated(const grite_buf *b)
{
    grite_verror err;
    int rc = shapes_Drawing_validate(b->data, b->len - 1, &err);
    char text[300];
    grite_verror_format(&err, text, sizeof text);
    expect(rc != 0 && text[0] != '\0', "a truncated message's rejection");
}

int main(void)
{
    grite_buf b;
    if (grite_buf_init_growable(&b, 16, 0) != 0)
        return 1;
    if (build_drawing(&b) != 0) {
        fprintf(stderr, "shapes: cannot build the drawing\n");
        grite_buf_free(&b);
        return 1;
    }
    grite_verror err;
    if (shapes_Drawing_validate(b.data, b.len, &err) != 0) {
        char text[300];
        grite_verror_format(&err, text, sizeof text);
        fprintf(stderr, "shapes: the drawing does not validate: %s\n", text);
        grite_buf_free(&b);
        return 1;
    }
    check_drawing(shapes_Drawing_root(b.data));
    check_truncated(&b);
    expect(SHAPES_SCHEMA_VERSION == 3, "schema version");
    if (failures == 0)
        printf("shapes: a %zu-byte drawing read back\n", b.len);
    grite_buf_free(&b);
    return failures == 0 ? 0 : 1;
}
