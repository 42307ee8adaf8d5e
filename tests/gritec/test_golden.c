/*
 * test_golden.c - every diagnostic gritec can give, byte for byte.
 *
 * Each case is cases/NAME.idl with the exact expected stderr text in
 * cases/NAME.expected (message, position, source line, caret). To add a
 * case, add both files and its name below; tests/gritec/update-golden.sh
 * regenerates the .expected files from a built gritec for review.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "test_util.h"

static const char *const cases[] = {
    "array_length_too_large",
    "array_length_zero",
    "bad_c_prefix",
    "c_keyword_field",
    "columns_tabs_utf8",
    "cycle_direct",
    "cycle_indirect",
    "doc_comment_dangling",
    "doc_comment_misplaced",
    "duplicate_enum_name",
    "duplicate_enum_value",
    "duplicate_field",
    "duplicate_option",
    "duplicate_schema",
    "duplicate_type",
    "duplicate_variant",
    "empty_enum",
    "empty_struct",
    "empty_union",
    "enum_implicit_overflow",
    "enum_value_range",
    "field_name_uppercase",
    "lex_bad_unicode_escape",
    "lex_int_overflow",
    "lex_invalid_char",
    "lex_invalid_char_unicode",
    "lex_invalid_escape",
    "lex_nesting_too_deep",
    "lex_not_utf8",
    "lex_nul_byte",
    "lex_unterminated_comment",
    "lex_unterminated_string",
    "missing_schema",
    "nesting_too_deep",
    "optional_optional",
    "recursion_through_union",
    "root_duplicate",
    "root_not_struct",
    "root_unknown",
    "size_too_large",
    "syntax_enum_type",
    "syntax_expected_type",
    "syntax_missing_colon",
    "syntax_missing_comma",
    "syntax_missing_semicolon",
    "syntax_not_a_declaration",
    "syntax_recovery",
    "syntax_unexpected_eof",
    "too_many_errors",
    "type_name_lowercase",
    "unknown_option",
    "unknown_type",
    "unknown_type_decl",
    "variant_name_lowercase",
    "version_too_large",
};

static char *case_path(const char *name, const char *ext)
{
    size_t n = strlen(GRITEC_CASES_DIR) + strlen(name) + strlen(ext) + 3;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s.%s", GRITEC_CASES_DIR, name, ext);
    return p;
}

START_TEST(golden_case)
{
    const char *name = cases[_i];
    char *idl_path = case_path(name, "idl");
    char *expected_path = case_path(name, "expected");
    char display[256];
    snprintf(display, sizeof display, "%s.idl", name);
    size_t len, expected_len;
    char *text = tu_read_file(idl_path, &len);
    char *expected = tu_read_file(expected_path, &expected_len);

    tu_result r = tu_compile(display, text, len);
    ck_assert_msg(r.s == NULL && r.errors > 0, "%s: compiled without errors", name);
    ck_assert_msg(strcmp(r.diagnostics, expected) == 0,
                  "%s: diagnostics differ\n--- expected\n%s--- actual\n%s", name, expected,
                  r.diagnostics);

    tu_result_free(&r);
    free(text);
    free(expected);
    free(idl_path);
    free(expected_path);
}
END_TEST

/* The real protocol compiles without a single diagnostic. */
START_TEST(grite_idl_is_clean)
{
    size_t len;
    char *text = tu_read_file(GRITE_IDL_PATH, &len);
    tu_result r = tu_compile("grite.idl", text, len);
    ck_assert_msg(r.s != NULL, "grite.idl: %s", r.diagnostics);
    ck_assert_str_eq(r.diagnostics, "");
    ck_assert_uint_eq(r.errors, 0);
    tu_result_free(&r);
    free(text);
}
END_TEST

static bool listed(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strlen(cases[i]) == len && strncmp(cases[i], name, len) == 0)
            return true;
    return false;
}

/* Every cases/NAME.idl is in the table above, so none is silently skipped. */
START_TEST(every_case_file_is_listed)
{
    DIR *dir = opendir(GRITEC_CASES_DIR);
    ck_assert_ptr_nonnull(dir);
    size_t seen = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".idl") == 0) {
            ck_assert_msg(listed(e->d_name, n - 4), "cases/%s is not in test_golden.c",
                          e->d_name);
            seen++;
        }
    }
    closedir(dir);
    ck_assert_uint_eq(seen, sizeof cases / sizeof cases[0]);
}
END_TEST

static Suite *golden_suite(void)
{
    Suite *s = suite_create("gritec_golden");
    TCase *tc = tcase_create("diagnostics");
    tcase_add_loop_test(tc, golden_case, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, grite_idl_is_clean);
    tcase_add_test(tc, every_case_file_is_listed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(golden_suite());
}
