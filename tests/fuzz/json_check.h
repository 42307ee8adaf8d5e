/*
 * json_check.h - the generated JSON printers (docs/JSON.md) on a validated
 * archive: whatever the validator accepted prints as well-formed JSON.
 *
 * For the printer of one type and a validated root, checks that:
 *  - measuring (no buffer), printing into an exactly sized buffer and
 *    printing to a FILE give the same length and text, status OK, and the
 *    text is NUL-terminated with no NUL inside (NULs are escaped);
 *  - cJSON (an independent parser) accepts the compact text as one JSON
 *    object, and the pretty text as the same value;
 *  - a buffer that is too small is cut, not overrun: status TRUNCATED, the
 *    full length still reported, the text a NUL-terminated prefix.
 * Any broken promise aborts (fuzz_util.h).
 */
#ifndef GRITE_FUZZ_JSON_CHECK_H
#define GRITE_FUZZ_JSON_CHECK_H

#include "grite/json.h"

/* A P_T_to_json with its argument type erased. */
typedef int (*json_print_fn)(const void *root, grite_json *out);

void json_check(const char *type_name, json_print_fn print, const void *root);

#endif
