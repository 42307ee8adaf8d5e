/*
 * render.c - build a JSON case and print it into a string of exactly the
 * right size: measure first (a writer without a buffer), then print.
 */
#include <stdlib.h>

#include "json_cases.h"

char *json_case_render(const json_case *c, unsigned flags, const char **why)
{
    grite_buf b;
    char *text = NULL;
    *why = NULL;
    if (grite_buf_init_growable(&b, 256, 0) != 0) {
        *why = "out of memory";
        return NULL;
    }
    if (c->build(&b) != 0) {
        *why = "the builder failed";
        goto done;
    }
    grite_json measure;
    grite_json_init_buf(&measure, NULL, 0, flags);
    int rc = c->print(b.data, b.len, &measure);
    if (rc == JSON_CASE_INVALID) {
        *why = "the validator rejected the archive";
        goto done;
    }
    size_t need = grite_json_length(&measure);
    text = malloc(need + 1);
    if (!text) {
        *why = "out of memory";
        goto done;
    }
    grite_json out;
    grite_json_init_buf(&out, text, need + 1, flags);
    if (c->print(b.data, b.len, &out) != GRITE_JSON_OK || grite_json_length(&out) != need) {
        *why = "printing into a buffer of the measured size did not fit";
        free(text);
        text = NULL;
    }
done:
    grite_buf_free(&b);
    return text;
}
