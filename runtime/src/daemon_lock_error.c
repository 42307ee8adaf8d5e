/*
 * daemon_lock_error.c - the vocabulary of the daemon lock's results: status
 * and verdict texts (from the X-macro lists in grite/daemon_lock.h) and the
 * helpers that fill a grite_lock_error.
 */
#include "daemon_lock_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_texts[] = {
#define TEXT_(name, text) text,
    GRITE_LOCK_STATUS_LIST(TEXT_)
#undef TEXT_
};

static const char *const status_names[] = {
#define NAME_(name, text) #name,
    GRITE_LOCK_STATUS_LIST(NAME_)
#undef NAME_
};

static const char *const verdict_texts[] = {
#define TEXT_(name, text) text,
    GRITE_LOCK_VERDICT_LIST(TEXT_)
#undef TEXT_
};

const char *grite_lock_status_text(grite_lock_status status)
{
    if ((unsigned)status >= (unsigned)GRITE_LOCK_STATUS_COUNT_)
        return "unknown status";
    return status_texts[status];
}

const char *grite_lock_status_name(grite_lock_status status)
{
    if ((unsigned)status >= (unsigned)GRITE_LOCK_STATUS_COUNT_)
        return "UNKNOWN";
    return status_names[status];
}

const char *grite_lock_verdict_text(grite_lock_verdict verdict)
{
    if ((unsigned)verdict >= (unsigned)GRITE_LOCK_VERDICT_COUNT_)
        return "unknown verdict";
    return verdict_texts[verdict];
}

void grite_lock_clear(grite_lock_error *err)
{
    if (err == NULL)
        return;
    err->status = GRITE_LOCK_OK;
    err->sys_errno = 0;
    err->text[0] = '\0';
}

static void fill(grite_lock_error *err, grite_lock_status status, int errnum,
                 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void fill(grite_lock_error *err, grite_lock_status status, int errnum,
                 const char *fmt, va_list ap)
{
    err->status = status;
    err->sys_errno = errnum;
    vsnprintf(err->text, sizeof err->text, fmt, ap);
}

grite_lock_status grite_lock_fail(grite_lock_error *err, grite_lock_status status,
                                  const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, status, 0, fmt, ap);
        va_end(ap);
    }
    return status;
}

grite_lock_status grite_lock_fail_errno(grite_lock_error *err, int errnum,
                                        const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, GRITE_LOCK_SYSTEM, errnum, fmt, ap);
        va_end(ap);
        size_t used = strlen(err->text);
        snprintf(err->text + used, sizeof err->text - used, ": %s", strerror(errnum));
    }
    return GRITE_LOCK_SYSTEM;
}
