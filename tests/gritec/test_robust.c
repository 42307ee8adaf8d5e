/*
 * test_robust.c - gritec on inputs nobody should write: every prefix of
 * idl/grite.idl, random bytes, random token soup and random edits of the
 * real protocol. Each must end with "compiled" or "errors reported" (never
 * a crash, a hang, or errors without a message), and whatever compiles must
 * also emit. Run it under -DGRITE_SANITIZE=ON to catch memory errors.
 * Inputs come from fixed seeds, so a failure reproduces.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* One front-end run with the invariants every input must satisfy. Returns
 * true if it compiled. */
static bool run_one(const char *text, size_t len)
{
    char *buf = malloc(len + 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, text, len);
    buf[len] = '\0';
    tu_result r = tu_compile("fuzz.idl", buf, len);
    bool compiled = r.s != NULL;
    ck_assert_msg(compiled == (r.errors == 0), "errors=%u but schema %s", r.errors,
                  compiled ? "returned" : "missing");
    ck_assert_msg(compiled == (r.diagnostics[0] == '\0'), "diagnostics without errors: %s",
                  r.diagnostics);
    if (compiled) {
        char *header = tu_emit(r.s, "fuzz.idl");
        ck_assert(strlen(header) > 0);
        free(header);
    }
    tu_result_free(&r);
    free(buf);
    return compiled;
}

/* xorshift64*: a tiny deterministic generator. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % n);
}

START_TEST(every_prefix_of_grite_idl)
{
    size_t len;
    char *text = tu_read_file(GRITE_IDL_PATH, &len);
    size_t compiled = 0;
    for (size_t n = 0; n <= len; n++)
        compiled += run_one(text, n);
    /* The whole file compiles; most prefixes cannot (types referenced
     * before their declaration is reached). */
    ck_assert(run_one(text, len));
    ck_assert_uint_lt(compiled, len / 2);
    free(text);
}
END_TEST

START_TEST(random_bytes)
{
    rng_state = 0x9E3779B97F4A7C15u;
    char buf[600];
    for (int i = 0; i < 3000; i++) {
        size_t n = rng_below(sizeof buf);
        for (size_t k = 0; k < n; k++)
            buf[k] = (char)rng_below(256);
        run_one(buf, n);
    }
}
END_TEST

static const char *const soup_words[] = {
    "schema", "version", "root", "option", "struct", "union", "enum", "open", "u8", "u16",
    "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "bool", "string", "bytes",
    "A", "B", "C", "a", "b", "c_prefix", "x", "0", "1", "255", "4294967296", "0x10",
    "-", "\"p\"", "\"\\u{41}\"", "\"bad\\q\"", "{", "}", "[", "]", ",", ";", ":", "=", "?",
    "/// doc\n", "// note\n", "/* c */", "\n", " ", "\t", "#", "\"open", "\xc3\xa9",
};

/* Random sequences of real tokens reach much deeper into the grammar than
 * random bytes do. */
START_TEST(random_token_soup)
{
    rng_state = 0xD1B54A32D192ED03u;
    char buf[2048];
    size_t n_words = sizeof soup_words / sizeof soup_words[0];
    for (int i = 0; i < 3000; i++) {
        size_t len = 0;
        size_t count = rng_below(120);
        if (rng_below(2) == 0) {
            const char *head = "schema s version 1; root A; ";
            len = strlen(head);
            memcpy(buf, head, len);
        }
        for (size_t k = 0; k < count; k++) {
            const char *w = soup_words[rng_below(n_words)];
            size_t wl = strlen(w);
            if (len + wl + 1 >= sizeof buf)
                break;
            memcpy(buf + len, w, wl);
            len += wl;
            buf[len++] = ' ';
        }
        run_one(buf, len);
    }
}
END_TEST

/* Small random edits of the real protocol: mostly errors in every corner
 * of the checks, and some valid variations that must still emit. */
START_TEST(random_edits_of_grite_idl)
{
    size_t len;
    char *text = tu_read_file(GRITE_IDL_PATH, &len);
    char *buf = malloc(len + 64);
    ck_assert_ptr_nonnull(buf);
    static const char alphabet[] = "{}[];:,=?-_/*\"\\ \n09azAZ\x80\xff";
    rng_state = 0x2545F4914F6CDD1Du;
    for (int i = 0; i < 1500; i++) {
        memcpy(buf, text, len);
        size_t n = len;
        int edits = 1 + (int)rng_below(3);
        for (int e = 0; e < edits && n > 0; e++) {
            size_t at = rng_below(n);
            char c = alphabet[rng_below(sizeof alphabet - 1)];
            switch (rng_below(3)) {
            case 0: buf[at] = c; break;
            case 1: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
            default:
                if (n + 1 < len + 64) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = c;
                    n++;
                }
            }
        }
        run_one(buf, n);
    }
    free(buf);
    free(text);
}
END_TEST

/* Same input, same bytes out: the header and the diagnostics. */
START_TEST(output_is_deterministic)
{
    size_t len;
    char *text = tu_read_file(GRITE_IDL_PATH, &len);
    tu_result a = tu_compile("grite.idl", text, len);
    tu_result b = tu_compile("grite.idl", text, len);
    ck_assert_ptr_nonnull(a.s);
    ck_assert_ptr_nonnull(b.s);
    char *ha = tu_emit(a.s, "grite.idl");
    char *hb = tu_emit(b.s, "grite.idl");
    ck_assert_str_eq(ha, hb);
    free(ha);
    free(hb);
    tu_result_free(&a);
    tu_result_free(&b);
    free(text);

    char *bad = tu_read_file(GRITEC_CASES_DIR "/syntax_recovery.idl", &len);
    tu_result c = tu_compile("x.idl", bad, len);
    tu_result d = tu_compile("x.idl", bad, len);
    ck_assert_uint_gt(c.errors, 1);
    ck_assert_str_eq(c.diagnostics, d.diagnostics);
    tu_result_free(&c);
    tu_result_free(&d);
    free(bad);
}
END_TEST

static Suite *robust_suite(void)
{
    Suite *s = suite_create("gritec_robust");
    TCase *tc = tcase_create("garbage");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_prefix_of_grite_idl);
    tcase_add_test(tc, random_bytes);
    tcase_add_test(tc, random_token_soup);
    tcase_add_test(tc, random_edits_of_grite_idl);
    tcase_add_test(tc, output_is_deterministic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(robust_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
