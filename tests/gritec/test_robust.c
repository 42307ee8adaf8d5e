/*
 * test_robust.c - gritec on inputs nobody should write: every prefix of
 * idl/grite.idl, random bytes, random token soup and random edits of the
 * real protocol. Each must end with "compiled" or "errors reported" (never
 * a crash, a hang, or errors without a message), and whatever compiles must
 * also emit. Run it under -DGRITE_SANITIZE=ON to catch memory errors.
 * Inputs come from fixed seeds, so a failure reproduces. Then the limits
 * that keep gritec fast and its recursion shallow on any input
 * (docs/IDL.md 6.3): each is refused with one error at its edge, and
 * accepted just inside it.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
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

/* ---- limits ------------------------------------------------------------------ */

/* A growing NUL-terminated text. */
typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        ck_assert_ptr_nonnull(t->data);
    }
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* n declarations, each referring to the next as `before` S(i+1) `after`
 * ("[" and "]" make [S1]), the last a leaf. */
static text chain(const char *kind, const char *before, const char *after, size_t n)
{
    text t = { NULL, 0, 0 };
    add(&t, "schema chain version 1;\n");
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(kind, "struct") == 0)
            add(&t, "struct S%zu { next: %sS%zu%s }\n", i, before, i + 1, after);
        else
            add(&t, "union S%zu { V { next: %sS%zu%s } }\n", i, before, i + 1, after);
    }
    add(&t, "%s S%zu { %s }\n", kind, n - 1, strcmp(kind, "struct") == 0 ? "leaf: u8" : "V");
    return t;
}

/* The first line of diagnostics is `line` (the rest quotes the source). */
static void expect_first_line(const char *diagnostics, const char *line)
{
    size_t n = strcspn(diagnostics, "\n");
    ck_assert_msg(n == strlen(line) && strncmp(diagnostics, line, n) == 0, "%.300s",
                  diagnostics);
}

/* Compiles t (and emits it) if it is within the limit, else expects
 * exactly one error: S0 nests types too deeply. */
static void expect_depth(const char *kind, text *t, bool within)
{
    if (within) {
        ck_assert_msg(run_one(t->data, t->len), "%s chain refused", kind);
        return;
    }
    tu_result r = tu_compile("fuzz.idl", t->data, t->len);
    char expected[300];
    snprintf(expected, sizeof expected,
             "fuzz.idl:2:%zu: error: %s 'S0' nests types more than 1000 levels deep, more "
             "than gritec follows (each type inside another, and each [T], T? and [T; N], "
             "is a level)",
             strlen(kind) + 2, kind);
    ck_assert_uint_eq(r.errors, 1);
    expect_first_line(r.diagnostics, expected);
    tu_result_free(&r);
}

/* A chain of n structs is n levels; [T] and T? add one each. Far past the
 * limit (where every pass used to overflow the stack) only the one error. */
START_TEST(nesting_is_limited)
{
    static const struct {
        const char *kind, *before, *after;
        size_t levels_each;
    } chains[] = {
        { "struct", "", "", 1 },
        { "struct", "[", "]", 2 },
        { "struct", "[", "; 1]?", 3 },
        { "union", "", "", 1 },
        { "union", "[", "]?", 3 },
    };
    for (size_t k = 0; k < sizeof chains / sizeof chains[0]; k++) {
        size_t each = chains[k].levels_each;
        size_t at_limit = (1000 - 1) / each + 1;     /* the leaf is one level */
        const size_t lengths[] = { at_limit, at_limit + 1, 100000 };
        for (size_t j = 0; j < 3; j++) {
            text t = chain(chains[k].kind, chains[k].before, chains[k].after, lengths[j]);
            bool within = (lengths[j] - 1) * each + 1 <= 1000;
            expect_depth(chains[k].kind, &t, within);
            free(t.data);
        }
    }
}
END_TEST

/* Recursion through vectors is fine, but a cycle is as deep as it is long. */
START_TEST(long_cycles_are_limited)
{
    for (size_t n = 400; n <= 100000; n *= 250) {
        text t = { NULL, 0, 0 };
        add(&t, "schema cycle version 1;\n");
        for (size_t i = 0; i < n; i++)
            add(&t, "struct S%zu { next: [S%zu] }\n", i, (i + 1) % n);
        expect_depth("struct", &t, n == 400);
        free(t.data);
    }
}
END_TEST

/* The fingerprint text repeats a closed enum's values wherever the enum is
 * used: 10000 values (48 KiB of text) in 400 fields would need 19 MiB. */
START_TEST(fingerprint_text_is_limited)
{
    for (size_t fields = 300; fields <= 400; fields += 100) {
        text t = { NULL, 0, 0 };
        add(&t, "schema wide version 1;\nenum E { V0");
        for (size_t i = 1; i < 10000; i++)
            add(&t, ", V%zu", i);
        add(&t, " }\nstruct S {");
        for (size_t i = 0; i < fields; i++)
            add(&t, " f%zu: E,", i);
        add(&t, " }\n");
        if (fields == 300) {
            ck_assert(run_one(t.data, t.len));
        } else {
            tu_result r = tu_compile("fuzz.idl", t.data, t.len);
            ck_assert_uint_eq(r.errors, 1);
            expect_first_line(r.diagnostics,
                              "fuzz.idl:3:8: error: root 'S' makes the schema's fingerprint text "
                              "(docs/FORMAT.md 1.8) longer than 16 MiB, gritec's limit (a closed "
                              "enum with many values used in many fields, or many roots, make "
                              "it long)");
            tu_result_free(&r);
        }
        free(t.data);
    }
}
END_TEST

/* Every unknown type looks for a "did you mean" among all type names; past
 * the 20 errors gritec prints, it must not keep looking (50000 times 50000
 * comparisons would take minutes). */
START_TEST(errors_past_the_cap_cost_nothing)
{
    text t = { NULL, 0, 0 };
    add(&t, "schema many version 1;\n");
    for (size_t i = 0; i < 50000; i++)
        add(&t, "struct Type%zu { field: Type%zuX }\n", i, i);
    tu_result r = tu_compile("fuzz.idl", t.data, t.len);
    ck_assert_uint_eq(r.errors, 50000);
    ck_assert_ptr_nonnull(strstr(r.diagnostics, "fuzz.idl:21:24: error: unknown type 'Type19X' "
                                                "(did you mean 'Type19'?)"));
    const char *end = "gritec: too many errors, stopping after 20\n";
    ck_assert_str_eq(r.diagnostics + strlen(r.diagnostics) - strlen(end), end);
    tu_result_free(&r);
    free(t.data);
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

    TCase *limits = tcase_create("limits");
    tcase_set_timeout(limits, 120);
    tcase_add_test(limits, nesting_is_limited);
    tcase_add_test(limits, long_cycles_are_limited);
    tcase_add_test(limits, fingerprint_text_is_limited);
    tcase_add_test(limits, errors_past_the_cap_cost_nothing);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return grite_check_run(robust_suite());
}
