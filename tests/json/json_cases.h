/*
 * json_cases.h - the JSON test cases: a value built (or laid out by hand),
 * the root type that prints it, and the exact compact JSON expected.
 *
 * Both the Check suite (test_json_cases.c: exact text) and the writer for
 * the parser test (write_cases.c -> check_json.py: a real JSON parser
 * reads every output) walk the same table, so every case gets both checks.
 */
#ifndef JSON_CASES_H
#define JSON_CASES_H

#include <stdbool.h>
#include <stddef.h>

#include <grite/buf.h>
#include <grite/json.h>

/* Writes the case's archive into b (reset first); 0 or GRITE_BUILD_*. */
typedef int (*json_case_build_fn)(grite_buf *b);

/* Validates buf as the case's root type and prints it: the to_json
 * result, or JSON_CASE_INVALID if the validator rejected the buffer. */
typedef int (*json_case_print_fn)(const void *buf, size_t len, grite_json *out);
#define JSON_CASE_INVALID 100

/* Defines print_T, the json_case_print_fn of root type T of the schema
 * whose C prefix is P (P_T_validate, P_T_root, P_T_to_json). */
#define JSON_CASE_DEFINE_PRINT(P, T)                                           \
    static int print_##T(const void *buf, size_t len, grite_json *out)         \
    {                                                                          \
        if (P##_##T##_validate(buf, len, NULL) != 0)                           \
            return JSON_CASE_INVALID;                                          \
        return P##_##T##_to_json(P##_##T##_root(buf), out);                    \
    }

typedef struct json_case {
    const char *name;
    json_case_build_fn build;
    json_case_print_fn print;
    const char *expected;   /* compact JSON, exactly */
    /* Python's json.dumps writes the same text (false where floats are
     * spelled differently: 1 for 1.0, digits beyond the shortest). */
    bool python_exact;
} json_case;

/* The grite protocol: every command, response and notification. */
extern const json_case grite_json_cases[];
extern const size_t grite_json_n_cases;

/* json_types.idl: every kind of type expression and scalar corner. */
extern const json_case types_json_cases[];
extern const size_t types_json_n_cases;

/* Build and print one case into a malloc'ed string (NULL on failure, with
 * a reason in *why). flags: GRITE_JSON_PRETTY or 0. */
char *json_case_render(const json_case *c, unsigned flags, const char **why);

#endif
