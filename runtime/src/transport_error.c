/* transport_error.c - names, texts and formatting of GRITE_ERR_* codes. */
#include "grite/transport.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const err_texts[] = {
    "success",
#define GRITE_ERR_TEXT_(name, text) text,
    GRITE_ERR_LIST(GRITE_ERR_TEXT_)
#undef GRITE_ERR_TEXT_
};

static const char *const err_names[] = {
    "OK",
#define GRITE_ERR_NAME_(name, text) #name,
    GRITE_ERR_LIST(GRITE_ERR_NAME_)
#undef GRITE_ERR_NAME_
};

const char *grite_err_text(int code)
{
    if (code < 0 || code >= GRITE_ERR_COUNT_) return "unknown transport error";
    return err_texts[code];
}

const char *grite_err_name(int code)
{
    if (code < 0 || code >= GRITE_ERR_COUNT_) return "UNKNOWN";
    return err_names[code];
}

int grite_err_is_retryable(int code)
{
    switch (code) {
    case GRITE_ERR_NO_DAEMON:
    case GRITE_ERR_TIMEOUT:
    case GRITE_ERR_IO:
    case GRITE_ERR_CLOSED:
    case GRITE_ERR_POISONED:
    case GRITE_ERR_BUSY:
        return 1;
    default:
        return 0;
    }
}

/* Appends to out[*used..n) like snprintf, keeping *used the would-be
 * length so the final return value matches snprintf's contract. */
#define APPEND(...)                                                        \
    do {                                                                   \
        size_t room_ = *used < n ? n - *used : 0;                          \
        int w_ = snprintf(room_ ? out + *used : NULL, room_, __VA_ARGS__); \
        if (w_ > 0) *used += (size_t)w_;                                   \
    } while (0)

static void format_mismatch(const grite_error *e, char *out, size_t n, size_t *used)
{
    APPEND("schema mismatch: this program was built from schema fingerprint "
           "%016" PRIx64 " but the daemon%s%s speaks %016" PRIx64
           "; restart the daemon so it runs the same version as this program",
           e->local_fingerprint, e->path ? " at " : "", e->path ? e->path : "",
           e->peer_fingerprint);
}

static void format_common(const grite_error *e, char *out, size_t n, size_t *used)
{
    APPEND("%s", grite_err_text((int)e->code));
    if (e->code == GRITE_ERR_POISONED && e->cause != GRITE_ERR_OK)
        APPEND(" (it failed earlier with: %s)", grite_err_text((int)e->cause));
    if (e->path) APPEND(": %s", e->path);
    if (e->detail) APPEND(": %s", e->detail);
    if (e->code == GRITE_ERR_FRAME_TOO_LARGE)
        APPEND(": %" PRIu64 " bytes, limit %" PRIu64, e->frame_len, e->frame_max);
    if (e->code == GRITE_ERR_INVALID_MESSAGE) {
        char v[GRITE_VERROR_PATH_MAX + 96];
        grite_verror_format(&e->verror, v, sizeof v);
        APPEND(": %s", v);
    }
    if (e->op) APPEND(": %s", e->op);
    if (e->sys_errno) {
        char buf[128];
        /* GNU strerror_r (runtime sources get _GNU_SOURCE): thread-safe. */
        APPEND(": %s", strerror_r(e->sys_errno, buf, sizeof buf));
    }
}

int grite_error_format(const grite_error *err, char *out, size_t n)
{
    size_t used_storage = 0;
    size_t *used = &used_storage;
    if (n > 0) out[0] = '\0';
    if (!err) {
        APPEND("%s", "no error information");
    } else if (err->code == GRITE_ERR_SCHEMA_MISMATCH) {
        format_mismatch(err, out, n, used);
    } else {
        format_common(err, out, n, used);
    }
    return used_storage > INT32_MAX ? INT32_MAX : (int)used_storage;
}
