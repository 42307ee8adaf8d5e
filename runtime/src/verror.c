/*
 * verror.c - validator error codes, texts, and the failure-only work of
 * recording what failed and where (see grite/verror.h).
 *
 * Validators call these only once something has failed. The path is built
 * while the failure unwinds: the innermost check records the code and
 * offset, and each enclosing field, variant and element prepends its own
 * segment, so "labels[2]" becomes "command.IssueCreate.labels[2]".
 */
#include "grite/verror.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const verror_texts[] = {
    "ok",
#define GRITE_VERROR_TEXT_(name, text) text,
    GRITE_VERROR_LIST(GRITE_VERROR_TEXT_)
#undef GRITE_VERROR_TEXT_
};

static const char *const verror_names[] = {
    "OK",
#define GRITE_VERROR_NAME_(name, text) #name,
    GRITE_VERROR_LIST(GRITE_VERROR_NAME_)
#undef GRITE_VERROR_NAME_
};

const char *grite_verror_text(int code)
{
    if (code < 0 || code >= GRITE_VERROR_COUNT_)
        return "unknown error";
    return verror_texts[code];
}

const char *grite_verror_name(int code)
{
    if (code < 0 || code >= GRITE_VERROR_COUNT_)
        return "UNKNOWN";
    return verror_names[code];
}

int grite_verror_format(const grite_verror *err, char *out, size_t n)
{
    if (err->path[0])
        return snprintf(out, n, "%s: %s (at offset %" PRIu32 ")", err->path,
                        grite_verror_text((int)err->code), err->offset);
    return snprintf(out, n, "%s (at offset %" PRIu32 ")", grite_verror_text((int)err->code),
                    err->offset);
}

int grite_verror_set(grite_verror *err, int code, uint64_t offset)
{
    if (err) {
        err->code = (grite_verror_code)code;
        err->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
        err->path[0] = '\0';
    }
    return code;
}

/* Put seg (n bytes) in front of the path; when the whole does not fit, the
 * outermost segments win and the innermost end is cut off. */
static void path_prepend(grite_verror *err, const char *seg, size_t n)
{
    size_t old = strlen(err->path);
    if (n > GRITE_VERROR_PATH_MAX - 1)
        n = GRITE_VERROR_PATH_MAX - 1;
    size_t keep = old;
    if (n + keep > GRITE_VERROR_PATH_MAX - 1)
        keep = GRITE_VERROR_PATH_MAX - 1 - n;
    memmove(err->path + n, err->path, keep);
    memcpy(err->path, seg, n);
    err->path[n + keep] = '\0';
}

int grite_verror_in_field(grite_verror *err, int code, const char *name)
{
    if (!err)
        return code;
    char seg[GRITE_VERROR_PATH_MAX];
    bool dot = err->path[0] != '\0' && err->path[0] != '[';
    int n = snprintf(seg, sizeof seg, "%s%s", name, dot ? "." : "");
    if (n > 0)
        path_prepend(err, seg, (size_t)n < sizeof seg ? (size_t)n : sizeof seg - 1);
    return code;
}

int grite_verror_in_index(grite_verror *err, int code, uint64_t index)
{
    if (!err)
        return code;
    char seg[32];
    bool dot = err->path[0] != '\0' && err->path[0] != '[';
    int n = snprintf(seg, sizeof seg, "[%" PRIu64 "]%s", index, dot ? "." : "");
    if (n > 0)
        path_prepend(err, seg, (size_t)n);
    return code;
}
