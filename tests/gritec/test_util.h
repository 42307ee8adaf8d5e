/*
 * test_util.h - helpers shared by gritec's test suites: reading files and
 * running the front end in-process with its diagnostics captured.
 */
#ifndef GRITEC_TEST_UTIL_H
#define GRITEC_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

/* The whole file, NUL-terminated (malloc'd); aborts the test if unreadable. */
char *tu_read_file(const char *path, size_t *len);

/* What one front-end run produced. */
typedef struct tu_result {
    schema *s;           /* NULL when there were errors */
    char *diagnostics;   /* everything written to the diagnostic stream (malloc'd) */
    unsigned errors;
} tu_result;

/* Run compile_source on text[0..len) (text[len] must be '\0'), reporting
 * as file `display_name`. */
tu_result tu_compile(const char *display_name, const char *text, size_t len);
void tu_result_free(tu_result *r);

/* Emit the header for a compiled schema into a malloc'd string. */
char *tu_emit(const schema *s, const char *idl_name);

#endif /* GRITEC_TEST_UTIL_H */
