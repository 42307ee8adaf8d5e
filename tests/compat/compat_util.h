/*
 * compat_util.h - helpers shared by the `gritec --compat` suites:
 * compiling IDL text in-process and comparing two schemas.
 */
#ifndef COMPAT_UTIL_H
#define COMPAT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "compat.h"

/* The whole file, NUL-terminated (malloc'd); fails the test if unreadable. */
char *cu_read_file(const char *path);

/* Compile text as file `name`; NULL if it has errors (their text goes to
 * *diagnostics when that is not NULL, malloc'd). */
schema *cu_compile(const char *name, const char *text, char **diagnostics);

/* compat_check of two texts, both of which must compile. The report is
 * returned (malloc'd) and the counts stored in *result. */
char *cu_compare(const char *old_name, const char *old_text, const char *new_name,
                 const char *new_text, compat_result *result);

/* The promise between the fingerprint and the rules (docs/IDL.md 8):
 * equal fingerprints => no breaking change; a breaking change => the
 * fingerprints differ. Also checks the report agrees with the counts. */
void cu_assert_agrees_with_fingerprint(const char *report, const compat_result *r,
                                       const char *what);

#endif /* COMPAT_UTIL_H */
