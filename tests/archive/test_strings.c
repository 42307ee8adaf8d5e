/*
 * test_strings.c - the string primitives of grite/archive.h against
 * straightforward reference versions, at every length around their word
 * boundaries and with a bad byte at every position.
 *
 * grite_b_str and grite_v_str take their fast paths through whole-word
 * copies and combined bounds tests; these tests pin down that they accept,
 * reject and report exactly what the plain definitions do (FORMAT.md 1.6,
 * GENERATED_API.md "Building"). Inputs live in malloc'd blocks of exactly
 * their length, so the sanitizer build catches any read outside them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <grite/archive.h>

#include "check_run.h"

#define MAX_LEN 300   /* past GRITE_B_SHORT_STR, the builder's long path */

/* The reference: is p[0..n) UTF-8, as grite_utf8_scan defines it. */
static int ref_utf8_ok(const uint8_t *p, size_t n) { return grite_utf8_scan(p, n) == n; }

/* n bytes of ASCII text in a block of exactly n bytes (NULL when n == 0). */
static uint8_t *ascii_text(size_t n)
{
    uint8_t *p = n ? malloc(n) : NULL;
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)('a' + i % 26);
    return p;
}

/* The byte variants put at each position: invalid, and lead bytes that are
 * valid only with the right continuation after them. */
static const uint8_t odd_bytes[] = {0x80, 0xC3, 0xFF, 0x00, 0x7F};

START_TEST(high_bits_every_length_and_position)
{
    for (size_t n = 0; n <= 40; n++) {
        uint8_t *p = ascii_text(n);
        ck_assert_uint_eq(grite_utf8_high_bits(p, n), 0);
        ck_assert(grite_utf8_valid(p, n));
        for (size_t k = 0; k < n; k++) {
            uint8_t keep = p[k];
            p[k] = 0x80;
            ck_assert_msg(grite_utf8_high_bits(p, n) != 0, "n %zu k %zu", n, k);
            ck_assert(!grite_utf8_valid(p, n));
            p[k] = keep;
        }
        free(p);
    }
}
END_TEST

START_TEST(copy_high_bits_writes_exactly_n_bytes)
{
    for (size_t n = 0; n <= 40; n++) {
        uint8_t *src = ascii_text(n);
        uint8_t dst[64];
        for (size_t k = 0; k <= n; k++) {   /* k == n: all ASCII */
            if (k < n) src[k] = 0xE9;
            memset(dst, 0xAA, sizeof dst);
            uint64_t bits = grite_utf8_copy_high_bits(dst, src, n);
            ck_assert_msg((bits != 0) == (k < n), "n %zu k %zu", n, k);
            ck_assert(n == 0 || memcmp(dst, src, n) == 0);
            for (size_t i = n; i < sizeof dst; i++) ck_assert_uint_eq(dst[i], 0xAA);
            if (k < n) src[k] = (uint8_t)('a' + k % 26);
        }
        free(src);
    }
}
END_TEST

/* Build one string into b at a reference placed at offset 0 and check the
 * result against the reference definition. */
static void check_build(grite_buf *b, const uint8_t *p, size_t n)
{
    size_t at;
    ck_assert_int_eq(grite_b_begin(b, 8, &at), 0);
    grite_str s = {(const char *)p, n};
    int rc = grite_b_str(b, at, s);
    if (!ref_utf8_ok(p, n)) {
        ck_assert_int_eq(rc, GRITE_BUILD_BAD_UTF8);
        return;
    }
    ck_assert_int_eq(rc, 0);
    if (n == 0) {
        ck_assert_uint_eq(b->len, 8);
        ck_assert_uint_eq(grite_ld_u32(b->data), 0);
        ck_assert_uint_eq(grite_ld_u32(b->data + 4), 0);
        return;
    }
    ck_assert_uint_eq(b->len, 8 + n + 1);
    ck_assert_uint_eq(grite_ld_u32(b->data), 8);
    ck_assert_uint_eq(grite_ld_u32(b->data + 4), n);
    ck_assert(memcmp(b->data + 8, p, n) == 0);
    ck_assert_uint_eq(b->data[8 + n], 0);
}

START_TEST(builder_matches_reference)
{
    grite_buf grow;
    ck_assert_int_eq(grite_buf_init_growable(&grow, 16, 0), 0);   /* grows mid-way */
    for (size_t n = 0; n <= MAX_LEN; n++) {
        uint8_t *p = ascii_text(n);
        check_build(&grow, p, n);
        for (size_t k = 0; k < n; k++) {
            uint8_t keep = p[k];
            for (size_t v = 0; v < sizeof odd_bytes; v++) {
                p[k] = odd_bytes[v];
                check_build(&grow, p, n);
            }
            if (k + 1 < n) {   /* a valid two-byte sequence: U+00E9 */
                uint8_t keep2 = p[k + 1];
                p[k] = 0xC3, p[k + 1] = 0xA9;
                check_build(&grow, p, n);
                p[k + 1] = keep2;
            }
            p[k] = keep;
        }
        free(p);
    }
    grite_buf_free(&grow);
}
END_TEST

START_TEST(builder_fixed_buffer_room)
{
    /* Exactly enough room (root + text + NUL), and one byte short. */
    for (size_t n = 1; n <= 40; n++) {
        uint8_t *p = ascii_text(n);
        size_t need = 8 + n + 1;
        uint64_t mem[8];
        grite_buf b;
        ck_assert_int_eq(grite_buf_init_fixed(&b, mem, need), 0);
        check_build(&b, p, n);
        ck_assert_int_eq(grite_buf_init_fixed(&b, mem, need - 1), 0);
        size_t at;
        ck_assert_int_eq(grite_b_begin(&b, 8, &at), 0);
        grite_str s = {(const char *)p, n};
        ck_assert_int_eq(grite_b_str(&b, at, s), GRITE_BUILD_NO_ROOM);
        free(p);
    }
}
END_TEST

/* The plain definition of a string check: claim, NUL, UTF-8. */
static int ref_v_str(grite_vctx *c, uint64_t at, uint32_t depth)
{
    uint64_t t;
    uint32_t n;
    int rc = grite_v_claim(c, at, depth, 1, 1, 1, &t, &n);
    if (rc != 0 || n == 0) return rc;
    const uint8_t *p = c->base + t;
    if (p[n] != 0) return grite_v_fail(c, GRITE_VERROR_STRING_UNTERMINATED, t + n);
    size_t bad = grite_utf8_scan(p, n);
    return bad == n ? 0 : grite_v_fail(c, GRITE_VERROR_BAD_UTF8, t + bad);
}

/* Validate the reference at 8 of buf[0..len) (an 8-byte root, then the
 * reference, then data) with both versions; they must agree on code,
 * offset and cursor. */
static void check_validate(const uint8_t *buf, size_t len, uint32_t depth, uint64_t limit)
{
    grite_verror e1, e2;
    grite_vctx c1, c2;
    ck_assert_int_eq(grite_v_begin(&c1, buf, len, 16, 64, &e1), 0);
    ck_assert_int_eq(grite_v_begin(&c2, buf, len, 16, 64, &e2), 0);
    c1.limit = c2.limit = limit;
    int r1 = grite_v_str(&c1, 8, depth);
    int r2 = ref_v_str(&c2, 8, depth);
    ck_assert_int_eq(r1, r2);
    if (r1 != 0) {
        ck_assert_int_eq(e1.code, e2.code);
        ck_assert_uint_eq(e1.offset, e2.offset);
    } else {
        ck_assert_uint_eq(c1.cursor, c2.cursor);
    }
}

START_TEST(validator_matches_reference)
{
    for (size_t n = 0; n <= 40; n++) {
        size_t len = 16 + n + 1;
        uint8_t *buf = aligned_alloc(8, (len + 7) & ~(size_t)7);
        memset(buf, 0, len);
        for (size_t i = 0; i < n; i++) buf[16 + i] = (uint8_t)('a' + i % 26);
        /* every offset 0..24 (back into the root, exact, gaps, too far),
         * lengths n-1..n+2, depth at and below the limit, a tighter limit */
        for (uint32_t off = 0; off <= 24; off++) {
            for (uint32_t l = n ? (uint32_t)n - 1 : 0; l <= n + 2; l++) {
                grite_st_u32(buf + 8, off);
                grite_st_u32(buf + 12, l);
                check_validate(buf, len, 0, len);
                check_validate(buf, len, 63, len);
                check_validate(buf, len, 64, len);
                check_validate(buf, len, 0, len - 1);
            }
        }
        /* a bad byte at every position, and a missing NUL */
        grite_st_u32(buf + 8, 8);
        grite_st_u32(buf + 12, (uint32_t)n);
        for (size_t k = 0; k < n; k++) {
            for (size_t v = 0; v < sizeof odd_bytes; v++) {
                uint8_t keep = buf[16 + k];
                buf[16 + k] = odd_bytes[v];
                check_validate(buf, len, 0, len);
                buf[16 + k] = keep;
            }
        }
        buf[16 + n] = 'x';
        check_validate(buf, len, 0, len);
        free(buf);
    }
}
END_TEST

static Suite *strings_suite(void)
{
    Suite *s = suite_create("strings");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, high_bits_every_length_and_position);
    tcase_add_test(tc, copy_high_bits_writes_exactly_n_bytes);
    tcase_add_test(tc, builder_matches_reference);
    tcase_add_test(tc, builder_fixed_buffer_room);
    tcase_add_test(tc, validator_matches_reference);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(strings_suite());
}
