/* store_error.c - filling grite_store_error: one place builds every message
 * so they all name the path and the cause the same way. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

void store_error_clear(struct grite_store_error *err)
{
    if (err == NULL)
        return;
    err->code = GRITE_STORE_OK;
    err->sys_errno = 0;
    err->path[0] = '\0';
    err->offset = 0;
    err->message[0] = '\0';
}

/* snprintf that may cut the text short, on purpose (paths in messages). */
static void format_into(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void format_into(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

enum grite_store_status store_fail(struct grite_store_error *err, enum grite_store_status code,
                                   const char *fmt, ...)
{
    if (err == NULL)
        return code;
    store_error_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* Fills *err (unless NULL) for a failure about the file `path`. An I/O
 * error reads "<what> <path>: <strerror>", damage "<path>: damaged at
 * offset <n>: <what>", where <what> is the caller's printf-style text. */
static void fail_on_file(struct grite_store_error *err, enum grite_store_status code,
                         const char *path, int errnum, uint64_t offset, const char *fmt,
                         va_list ap) __attribute__((format(printf, 6, 0)));

static void fail_on_file(struct grite_store_error *err, enum grite_store_status code,
                         const char *path, int errnum, uint64_t offset, const char *fmt,
                         va_list ap)
{
    if (err == NULL)
        return;
    store_error_clear(err);
    err->code = code;
    err->sys_errno = errnum;
    err->offset = offset;
    format_into(err->path, sizeof err->path, "%s", path != NULL ? path : "");
    char what[GRITE_STORE_MSG_MAX / 2];
    vsnprintf(what, sizeof what, fmt, ap);
    if (code == GRITE_STORE_CORRUPT)
        format_into(err->message, sizeof err->message, "%s: damaged at offset %llu: %s",
                    err->path, (unsigned long long)offset, what);
    else
        format_into(err->message, sizeof err->message, "%s %s: %s", what, err->path,
                    strerror(errnum));
}

enum grite_store_status store_fail_errno(struct grite_store_error *err, int errnum,
                                         const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_on_file(err, GRITE_STORE_IO_ERROR, path, errnum, 0, fmt, ap);
    va_end(ap);
    return GRITE_STORE_IO_ERROR;
}

enum grite_store_status store_fail_corrupt(struct grite_store_error *err, const char *path,
                                           uint64_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_on_file(err, GRITE_STORE_CORRUPT, path, 0, offset, fmt, ap);
    va_end(ap);
    return GRITE_STORE_CORRUPT;
}

enum grite_store_status store_fail_nomem(struct grite_store_error *err)
{
    return store_fail(err, GRITE_STORE_INTERNAL, "out of memory");
}

const char *grite_store_status_name(enum grite_store_status status)
{
    switch (status) {
    case GRITE_STORE_OK: return "ok";
    case GRITE_STORE_INVALID_ARGS: return "invalid_args";
    case GRITE_STORE_NOT_FOUND: return "not_found";
    case GRITE_STORE_BUSY: return "db_busy";
    case GRITE_STORE_IO_ERROR: return "io_error";
    case GRITE_STORE_INTERNAL: return "internal_error";
    case GRITE_STORE_CORRUPT: return "corrupt";
    }
    return "unknown";
}
