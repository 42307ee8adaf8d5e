/*
 * test_json_writer.c - the runtime's JSON writer (grite/json.h) on its own:
 * truncation into small buffers (never an overrun, snprintf-style length),
 * FILE output and write errors, layout of commas and indents, escaping of
 * keys, hex, and the integer and float spellings.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "json_cases.h"

/* A writer on a stack buffer, for the short checks below. */
typedef struct small {
    grite_json j;
    char text[512];
} small;

static void small_init(small *s, unsigned flags)
{
    grite_json_init_buf(&s->j, s->text, sizeof s->text, flags);
}

static const json_case *case_named(const char *name)
{
    for (size_t i = 0; i < grite_json_n_cases; i++)
        if (strcmp(grite_json_cases[i].name, name) == 0)
            return &grite_json_cases[i];
    ck_abort_msg("no case %s", name);
    return NULL;
}

/* ---- truncation -------------------------------------------------------- */

#define CANARY 0x5a

/* Print the case into buffers of every size from 0 to past its length:
 * the text is always the longest prefix that fits, NUL-terminated, nothing
 * after the buffer is touched, and the length is always the full one. */
static void check_every_size(const char *name, unsigned flags)
{
    const json_case *c = case_named(name);
    const char *why;
    char *full = json_case_render(c, flags, &why);
    ck_assert_msg(full != NULL, "%s", why);
    size_t len = strlen(full);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    ck_assert_int_eq(c->build(&b), 0);
    for (size_t cap = 0; cap <= len + 2; cap++) {
        char *mem = malloc(cap + 16);
        ck_assert_ptr_nonnull(mem);
        memset(mem, CANARY, cap + 16);
        grite_json j;
        grite_json_init_buf(&j, cap ? mem : NULL, cap, flags);
        int rc = c->print(b.data, b.len, &j);
        ck_assert_int_eq(rc, cap > len ? GRITE_JSON_OK : GRITE_JSON_TRUNCATED);
        ck_assert_uint_eq(grite_json_length(&j), len);
        size_t untouched = 0;   /* the first byte the writer must not have written */
        if (cap > 0) {
            size_t kept = cap - 1 < len ? cap - 1 : len;
            ck_assert_int_eq(memcmp(mem, full, kept), 0);
            ck_assert_int_eq(mem[kept], '\0');
            untouched = kept + 1;
        }
        for (size_t k = untouched; k < cap + 16; k++)
            ck_assert_msg((unsigned char)mem[k] == CANARY, "cap %zu: byte %zu written", cap, k);
        free(mem);
    }
    grite_buf_free(&b);
    free(full);
}

START_TEST(truncation_compact)
{
    check_every_size("request_escapes", 0);
}
END_TEST

START_TEST(truncation_pretty)
{
    check_every_size("reply_IssueShowResult", GRITE_JSON_PRETTY);
}
END_TEST

START_TEST(measure_without_buffer)
{
    grite_json j;
    grite_json_init_buf(&j, NULL, 0, 0);
    grite_json_begin_array(&j);
    grite_json_u64(&j, 12345);
    grite_json_end_array(&j);
    ck_assert_uint_eq(grite_json_length(&j), strlen("[12345]"));
    ck_assert_int_eq(grite_json_status(&j), GRITE_JSON_TRUNCATED);
}
END_TEST

/* ---- FILE output ------------------------------------------------------- */

START_TEST(file_output_matches_buffer)
{
    const json_case *c = case_named("reply_DoctorResult");
    const char *why;
    char *expected = json_case_render(c, GRITE_JSON_PRETTY, &why);
    ck_assert_msg(expected != NULL, "%s", why);
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), 0);
    ck_assert_int_eq(c->build(&b), 0);
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    grite_json j;
    grite_json_init_file(&j, f, GRITE_JSON_PRETTY);
    ck_assert_int_eq(c->print(b.data, b.len, &j), GRITE_JSON_OK);
    ck_assert_uint_eq(grite_json_length(&j), strlen(expected));
    rewind(f);
    char got[2048] = { 0 };
    size_t n = fread(got, 1, sizeof got - 1, f);
    ck_assert_uint_eq(n, strlen(expected));
    ck_assert_str_eq(got, expected);
    fclose(f);
    grite_buf_free(&b);
    free(expected);
}
END_TEST

START_TEST(file_write_error_is_reported)
{
    FILE *f = fopen("/dev/null", "r");   /* writes to a read-only stream fail */
    ck_assert_ptr_nonnull(f);
    setvbuf(f, NULL, _IONBF, 0);
    grite_json j;
    grite_json_init_file(&j, f, 0);
    grite_json_begin_object(&j);
    grite_json_key(&j, "a");
    grite_json_null(&j);
    grite_json_end_object(&j);
    ck_assert_int_eq(grite_json_status(&j), GRITE_JSON_IO_ERROR);
    ck_assert_uint_eq(grite_json_length(&j), strlen("{\"a\":null}"));
    fclose(f);
    ck_assert_str_ne(grite_json_strerror(GRITE_JSON_IO_ERROR), grite_json_strerror(GRITE_JSON_TRUNCATED));
    ck_assert_str_eq(grite_json_strerror(GRITE_JSON_OK), "ok");
}
END_TEST

/* ---- layout ------------------------------------------------------------ */

START_TEST(top_level_values_are_lines)
{
    small s;
    small_init(&s, 0);
    grite_json_empty_object(&s.j);
    grite_json_u64(&s.j, 1);
    grite_json_begin_array(&s.j);
    grite_json_end_array(&s.j);
    ck_assert_str_eq(s.text, "{}\n1\n[]");
    small_init(&s, GRITE_JSON_PRETTY);
    grite_json_begin_object(&s.j);
    grite_json_key(&s.j, "k");
    grite_json_bool(&s.j, true);
    grite_json_end_object(&s.j);
    grite_json_null(&s.j);
    ck_assert_str_eq(s.text, "{\n  \"k\": true\n}\nnull");
}
END_TEST

START_TEST(pretty_nesting)
{
    small s;
    small_init(&s, GRITE_JSON_PRETTY);
    grite_json_begin_array(&s.j);
    grite_json_begin_array(&s.j);
    grite_json_end_array(&s.j);
    grite_json_begin_object(&s.j);
    grite_json_key(&s.j, "a");
    grite_json_begin_array(&s.j);
    grite_json_i64(&s.j, -1);
    grite_json_empty_object(&s.j);
    grite_json_end_array(&s.j);
    grite_json_end_object(&s.j);
    grite_json_end_array(&s.j);
    ck_assert_str_eq(s.text, "[\n  [],\n  {\n    \"a\": [\n      -1,\n      {}\n    ]\n  }\n]");
}
END_TEST

START_TEST(deep_indent)
{
    enum { DEPTH = 40 };
    grite_json j;
    char *text = malloc(16384);
    ck_assert_ptr_nonnull(text);
    grite_json_init_buf(&j, text, 16384, GRITE_JSON_PRETTY);
    for (int i = 0; i < DEPTH; i++)
        grite_json_begin_array(&j);
    grite_json_u64(&j, 7);
    for (int i = 0; i < DEPTH; i++)
        grite_json_end_array(&j);
    ck_assert_int_eq(grite_json_status(&j), GRITE_JSON_OK);
    const char *seven = strstr(text, "7");
    ck_assert_ptr_nonnull(seven);
    /* The value sits on its own line, indented 2 spaces per level. */
    ck_assert_int_eq(seven[-1 - 2 * DEPTH], '\n');
    for (int k = 1; k <= 2 * DEPTH; k++)
        ck_assert_int_eq(seven[-k], ' ');
    free(text);
}
END_TEST

/* ---- strings, hex, numbers ---------------------------------------------- */

START_TEST(keys_and_cstrings_are_escaped)
{
    small s;
    small_init(&s, 0);
    grite_json_begin_object(&s.j);
    grite_json_key(&s.j, "a\"b\n");
    grite_json_cstr(&s.j, "tab\there");
    grite_json_key(&s.j, "none");
    grite_json_cstr(&s.j, NULL);
    grite_json_end_object(&s.j);
    ck_assert_str_eq(s.text, "{\"a\\\"b\\n\":\"tab\\there\",\"none\":null}");
}
END_TEST

START_TEST(every_control_character)
{
    char in[32];
    for (int i = 0; i < 32; i++)
        in[i] = (char)i;
    small s;
    small_init(&s, 0);
    grite_json_string(&s.j, in, sizeof in);
    ck_assert_str_eq(s.text,
                     "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b"
                     "\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                     "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
}
END_TEST

START_TEST(hex_is_lowercase_and_long_runs_work)
{
    uint8_t bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 7);
    grite_json j;
    char text[700];
    grite_json_init_buf(&j, text, sizeof text, 0);
    grite_json_hex(&j, bytes, sizeof bytes);
    ck_assert_int_eq(grite_json_status(&j), GRITE_JSON_OK);
    ck_assert_uint_eq(strlen(text), 2 + 2 * sizeof bytes);
    for (size_t i = 0; i < sizeof bytes; i++) {
        char two[3];
        snprintf(two, sizeof two, "%02x", bytes[i]);
        ck_assert_int_eq(memcmp(text + 1 + 2 * i, two, 2), 0);
    }
    small s;
    small_init(&s, 0);
    grite_json_hex(&s.j, NULL, 0);
    ck_assert_str_eq(s.text, "\"\"");
}
END_TEST

START_TEST(integers_are_exact)
{
    small s;
    small_init(&s, 0);
    grite_json_begin_array(&s.j);
    grite_json_u64(&s.j, UINT64_MAX);
    grite_json_u64(&s.j, UINT64_C(9007199254740993));
    grite_json_i64(&s.j, INT64_MIN);
    grite_json_i64(&s.j, INT64_MAX);
    grite_json_u64(&s.j, 0);
    grite_json_end_array(&s.j);
    ck_assert_str_eq(s.text, "[18446744073709551615,9007199254740993,-9223372036854775808,"
                             "9223372036854775807,0]");
}
END_TEST

/* Each printed float reads back as the same value. */
START_TEST(floats_round_trip)
{
    static const double doubles[] = { 0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-300, 6.02214076e23,
                                      123456.789, 5e-324, 1.7976931348623157e308, -0.0 };
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
        small s;
        small_init(&s, 0);
        grite_json_f64(&s.j, doubles[i]);
        ck_assert_msg(strtod(s.text, NULL) == doubles[i], "%s", s.text);
        ck_assert_ptr_null(strpbrk(s.text, ",ni"));   /* no locale comma, nan, inf */
    }
    static const float floats[] = { 0.1f, 1.0f / 3.0f, 3.4028235e38f, 1e-45f, 16777216.0f };
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        small s;
        small_init(&s, 0);
        grite_json_f32(&s.j, floats[i]);
        ck_assert_msg(strtof(s.text, NULL) == floats[i], "%s", s.text);
        ck_assert_uint_le(strlen(s.text), 15);
    }
}
END_TEST

static Suite *writer_suite(void)
{
    Suite *s = suite_create("json_writer");
    TCase *t = tcase_create("truncation");
    tcase_add_test(t, truncation_compact);
    tcase_add_test(t, truncation_pretty);
    tcase_add_test(t, measure_without_buffer);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("file");
    tcase_add_test(f, file_output_matches_buffer);
    tcase_add_test(f, file_write_error_is_reported);
    suite_add_tcase(s, f);
    TCase *l = tcase_create("layout");
    tcase_add_test(l, top_level_values_are_lines);
    tcase_add_test(l, pretty_nesting);
    tcase_add_test(l, deep_indent);
    suite_add_tcase(s, l);
    TCase *v = tcase_create("values");
    tcase_add_test(v, keys_and_cstrings_are_escaped);
    tcase_add_test(v, every_control_character);
    tcase_add_test(v, hex_is_lowercase_and_long_runs_work);
    tcase_add_test(v, integers_are_exact);
    tcase_add_test(v, floats_round_trip);
    suite_add_tcase(s, v);
    return s;
}

int main(void)
{
    return grite_check_run(writer_suite());
}
