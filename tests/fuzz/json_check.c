/* json_check.c - see json_check.h. */
#define _POSIX_C_SOURCE 200809L

#include "json_check.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

typedef struct json_text {
    char *text;
    size_t len;
} json_text;

/* Print into a heap buffer of exactly the measured length + 1. */
static json_text print_exact(const char *name, json_print_fn print, const void *root, unsigned flags)
{
    grite_json j;
    grite_json_init_buf(&j, NULL, 0, flags);
    print(root, &j);
    json_text t = { NULL, grite_json_length(&j) };
    t.text = malloc(t.len + 1);
    FUZZ_CHECK(t.text != NULL, "out of memory");
    grite_json_init_buf(&j, t.text, t.len + 1, flags);
    int rc = print(root, &j);
    FUZZ_CHECK(rc == GRITE_JSON_OK && grite_json_status(&j) == GRITE_JSON_OK,
               "%s: printing into a buffer of the measured size gives %d", name, rc);
    FUZZ_CHECK(grite_json_length(&j) == t.len, "%s: measured %zu bytes, printed %zu", name, t.len,
               grite_json_length(&j));
    FUZZ_CHECK(t.text[t.len] == '\0' && strlen(t.text) == t.len,
               "%s: JSON text is not one NUL-terminated string", name);
    return t;
}

static cJSON *parse_or_fail(const char *name, const json_text *t, const char *what)
{
    cJSON *v = cJSON_ParseWithLength(t->text, t->len);
    FUZZ_CHECK(v != NULL, "%s: %s JSON does not parse: %.200s", name, what, t->text);
    FUZZ_CHECK(cJSON_IsObject(v), "%s: %s JSON is not an object", name, what);
    return v;
}

/* The FILE writer writes what the buffer writer does. */
static void check_file_output(const char *name, json_print_fn print, const void *root,
                              const json_text *compact)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    FUZZ_CHECK(f != NULL, "open_memstream failed");
    grite_json j;
    grite_json_init_file(&j, f, 0);
    int rc = print(root, &j);
    FUZZ_CHECK(fclose(f) == 0, "closing the memory stream failed");
    FUZZ_CHECK(rc == GRITE_JSON_OK && len == compact->len && memcmp(text, compact->text, len) == 0,
               "%s: FILE output differs from buffer output", name);
    free(text);
}

/* Too small a buffer: cut at cap - 1 bytes, NUL-terminated, length kept. */
static void check_truncation(const char *name, json_print_fn print, const void *root,
                             const json_text *compact)
{
    size_t cap = compact->len / 2 + 1;   /* < len + 1 whenever len >= 1 */
    char *buf = malloc(cap);
    FUZZ_CHECK(buf != NULL, "out of memory");
    grite_json j;
    grite_json_init_buf(&j, buf, cap, 0);
    int rc = print(root, &j);
    FUZZ_CHECK(rc == GRITE_JSON_TRUNCATED, "%s: a %zu-byte buffer for %zu bytes gives %d", name, cap,
               compact->len, rc);
    FUZZ_CHECK(grite_json_length(&j) == compact->len, "%s: truncated length %zu, full %zu", name,
               grite_json_length(&j), compact->len);
    FUZZ_CHECK(buf[cap - 1] == '\0' && memcmp(buf, compact->text, cap - 1) == 0,
               "%s: truncated text is not a NUL-terminated prefix", name);
    free(buf);
}

void json_check(const char *name, json_print_fn print, const void *root)
{
    json_text compact = print_exact(name, print, root, 0);
    json_text pretty = print_exact(name, print, root, GRITE_JSON_PRETTY);
    cJSON *a = parse_or_fail(name, &compact, "compact");
    cJSON *b = parse_or_fail(name, &pretty, "pretty");
    FUZZ_CHECK(cJSON_Compare(a, b, 1), "%s: pretty and compact JSON differ", name);
    cJSON_Delete(a);
    cJSON_Delete(b);
    check_file_output(name, print, root, &compact);
    check_truncation(name, print, root, &compact);
    free(compact.text);
    free(pretty.text);
}
