/*
 * test_vdata_format.c - the .vdata reader itself: the bytes each token
 * makes, and a clear file:line error for each kind of malformed case.
 * (The hostile cases are only as trustworthy as this reader.)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "vdata_parse.h"

static vdata_case parse_ok(const char *text)
{
    vdata_case c;
    char err[512];
    bool ok = vdata_parse("t.vdata", text, strlen(text), &c, err, sizeof err);
    ck_assert_msg(ok, "parse failed: %s", err);
    return c;
}

static void assert_bytes(const vdata_case *c, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(c->len, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(c->bytes[i] == want[i], "byte %zu: got 0x%02x, want 0x%02x", i,
                      c->bytes[i], want[i]);
}

#define HDR "root T\nexpect PASS\n"

START_TEST(integers_are_little_endian)
{
    vdata_case c = parse_ok(HDR "[u8]0xAB [u16]0x1234 [u32]1 [u64]0x0102030405060708\n"
                                "[i8]-1 [i16]-2 [i32]-3 [i64]-9223372036854775808");
    const uint8_t want[] = {
        0xAB, 0x34, 0x12, 1, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1,
        0xFF, 0xFE, 0xFF, 0xFD, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0x80,
    };
    assert_bytes(&c, want, sizeof want);
    vdata_free(&c);
}
END_TEST

START_TEST(distances_spans_and_anchors)
{
    /* dist4 at 0 -> @s at 8: 8; span4 s..e = 3; dist4 at 11 back to @top
     * at 0 wraps to 2^32 - 11. */
    vdata_case c = parse_ok(HDR "@top [dist4:s] [span4:s:e]\n@s \"ab\\0\" @e [dist4:top]");
    const uint8_t want[] = { 8, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 0, 0xF5, 0xFF, 0xFF, 0xFF };
    assert_bytes(&c, want, sizeof want);
    vdata_free(&c);
}
END_TEST

START_TEST(padding_alignment_fill_and_escapes)
{
    vdata_case c = parse_ok(HDR "[u8]1 [align:4] [pad:2] [fill:3:0xee] [align:8] [align:8]\n"
                                "\"\\x00\\xff\\\\\\\"\\n\\t\" # comment \"not text\"");
    const uint8_t want[] = { 1, 0, 0, 0, 0, 0, 0xEE, 0xEE, 0xEE, 0, 0, 0, 0, 0, 0, 0,
                             0x00, 0xFF, '\\', '"', '\n', '\t' };
    assert_bytes(&c, want, sizeof want);
    vdata_free(&c);
}
END_TEST

START_TEST(repeat_blocks_nest)
{
    vdata_case c = parse_ok(HDR "[repeat:2] [u8]7 [repeat:3] [u8]1 [end] [end] [repeat:0] [u8]9 [end]");
    const uint8_t want[] = { 7, 1, 1, 1, 7, 1, 1, 1 };
    assert_bytes(&c, want, sizeof want);
    vdata_free(&c);
}
END_TEST

START_TEST(header_lines)
{
    vdata_case c = parse_ok("# a case\nroot IpcRequest\ndepth 3\nshift 4\n"
                            "expect OVERLAP at command.IssueShow.issue_id  # why\n[u8]0");
    ck_assert_str_eq(c.root, "IpcRequest");
    ck_assert_str_eq(c.expect, "OVERLAP");
    ck_assert_str_eq(c.expect_path, "command.IssueShow.issue_id");
    ck_assert_uint_eq(c.expect_line, 5);
    ck_assert(c.has_depth);
    ck_assert_uint_eq(c.depth, 3);
    ck_assert_uint_eq(c.shift, 4);
    vdata_free(&c);

    c = parse_ok("root T\nexpect BAD_UTF8 at x offset @bad\n[u32]7 @bad [u8]0xff");
    ck_assert(c.has_expect_offset);
    ck_assert_uint_eq(c.expect_offset, 4);
    vdata_free(&c);
    c = parse_ok("root T\nexpect BAD_BOOL at \"\" offset 0x10 # why\n");
    ck_assert(c.has_expect_offset);
    ck_assert_uint_eq(c.expect_offset, 16);
    vdata_free(&c);

    c = parse_ok("root Notification\nexpect BUFFER_TOO_SMALL at \"\"\n");
    ck_assert(!c.has_expect_offset);
    ck_assert_str_eq(c.expect_path, "");
    ck_assert(!c.has_depth);
    ck_assert_uint_eq(c.len, 0);
    vdata_free(&c);
}
END_TEST

/* Each malformed text must fail with "t.vdata:LINE: ...FRAGMENT...". */
static const struct bad_case {
    const char *text;
    unsigned line;
    const char *fragment;
} bad_cases[] = {
    { "root T\n[u32]1\n", 2, "no `expect" },
    { "expect PASS\n", 1, "no `root" },
    { HDR "[u9]1", 3, "unknown integer width" },
    { HDR "[u8]256", 3, "out of range" },
    { HDR "[i8]-129", 3, "out of range" },
    { HDR "[u16]-1", 3, "out of range" },
    { HDR "[u32]12x", 3, "unexpected 'x'" },
    { HDR "[u32]", 3, "expected a number" },
    { HDR "[u64]99999999999999999999", 3, "does not fit in 64 bits" },
    { HDR "\n[dist4:nowhere]", 4, "@nowhere is used but never defined" },
    { HDR "@a\n@a", 4, "@a is already defined on line 3" },
    { HDR "[span4:a]", 3, "two anchor names" },
    { HDR "\"abc", 3, "unterminated \"text\"" },
    { HDR "\"\\q\"", 3, "unknown escape" },
    { HDR "\"\\x4\"", 3, "two hex digits" },
    { HDR "[align:3]", 3, "power of two" },
    { HDR "[repeat:2] [u8]1", 3, "[repeat] without [end]" },
    { HDR "[end]", 3, "[end] without" },
    { HDR "[repeat:2] @x [end]", 3, "inside [repeat" },
    { HDR "[frob:1]", 3, "unknown token [frob:1]" },
    { HDR "bogus", 3, "unknown token 'bogus'" },
    { "root T\nroot U\nexpect PASS\n", 2, "a second `root`" },
    { "root T\nexpect Overlap at x\n", 2, "not an error name" },
    { "root T\nexpect OVERLAP\n", 2, "expected `at PATH`" },
    { "root T\nexpect OVERLAP at \"x\n", 2, "unterminated quoted path" },
    { "root T\nexpect PASS extra\n", 2, "unexpected 'extra'" },
    { "root T\nshift 8\nexpect PASS\n", 2, "out of range" },
    { "root T\nexpect OVERLAP at x offset\n", 2, "expected a number" },
    { "root T\nexpect OVERLAP at x offset @nope\n", 2, "@nope is used but never defined" },
    { "root T\nexpect OVERLAP at x later\n", 2, "offset @anchor" },
    { HDR "[fill:2]", 3, "needs a byte value" },
    { HDR "[pad:2000000]", 3, "out of range" },
    { HDR "[repeat:1024] [pad:1025] [end]", 3, "larger than" },
};

START_TEST(malformed_files_name_file_and_line)
{
    const struct bad_case *b = &bad_cases[_i];
    vdata_case c;
    char err[512];
    bool ok = vdata_parse("t.vdata", b->text, strlen(b->text), &c, err, sizeof err);
    ck_assert_msg(!ok, "case %d parsed but should not have", _i);
    char where[32];
    snprintf(where, sizeof where, "t.vdata:%u: ", b->line);
    ck_assert_msg(strncmp(err, where, strlen(where)) == 0, "case %d: '%s' does not start with '%s'",
                  _i, err, where);
    ck_assert_msg(strstr(err, b->fragment) != NULL, "case %d: '%s' lacks '%s'", _i, err,
                  b->fragment);
    ck_assert_ptr_null(c.bytes);
}
END_TEST

START_TEST(adjacent_tokens_are_accepted)
{
    vdata_case c = parse_ok(HDR "[u8]1[u8]2\"x\"@a[dist4:a]");
    const uint8_t want[] = { 1, 2, 'x', 0, 0, 0, 0 };
    assert_bytes(&c, want, sizeof want);
    vdata_free(&c);
}
END_TEST

START_TEST(missing_file_is_reported)
{
    vdata_case c;
    char err[512];
    ck_assert(!vdata_load("/nonexistent/x.vdata", &c, err, sizeof err));
    ck_assert_msg(strstr(err, "/nonexistent/x.vdata: ") == err, "%s", err);
}
END_TEST

static Suite *vdata_format_suite(void)
{
    Suite *s = suite_create("vdata_format");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, integers_are_little_endian);
    tcase_add_test(tc, distances_spans_and_anchors);
    tcase_add_test(tc, padding_alignment_fill_and_escapes);
    tcase_add_test(tc, repeat_blocks_nest);
    tcase_add_test(tc, header_lines);
    tcase_add_loop_test(tc, malformed_files_name_file_and_line, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, adjacent_tokens_are_accepted);
    tcase_add_test(tc, missing_file_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(vdata_format_suite());
}
