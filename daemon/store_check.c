/* store_check.c - the integrity check behind Doctor: re-read the log from
 * disk, verify the header and every record, rebuild an index from it and
 * compare it with the one the handle serves from. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "store_internal.h"

/* "1 issue", "2 issues": the message is read by people. */
static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

static void report(struct grite_store_check *out, enum grite_check_status status,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(struct grite_store_check *out, enum grite_check_status status,
                   const char *fmt, ...)
{
    out->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

static enum grite_store_status read_header(int fd, const char *path, uint64_t size,
                                           struct grite_store_error *err)
{
    uint8_t header[LOG_HEADER_SIZE];
    size_t have = size < LOG_HEADER_SIZE ? (size_t)size : LOG_HEADER_SIZE;
    int rc = store_read_all_at(fd, header, have, 0);
    if (rc != 0)
        return store_fail_errno(err, rc < 0 ? EIO : rc, path, "cannot read");
    bool torn = false;
    enum grite_store_status st = store_log_check_header(header, have, path, &torn, err);
    if (st == GRITE_STORE_OK && torn)
        st = store_fail_corrupt(err, path, 0, "incomplete log header");
    return st;
}

/* Compares the handle's index with `fresh`, rebuilt from the disk. */
static void compare(grite_store *s, const struct index *fresh, struct grite_store_check *out)
{
    const char *bad = store_index_self_check(&s->ix);
    if (bad == NULL)
        bad = store_index_self_check(fresh);
    uint64_t mine = 0, theirs = 0;
    if (bad == NULL && (!store_index_digest(&s->ix, &mine) || !store_index_digest(fresh, &theirs)))
        bad = "out of memory while comparing";
    if (bad == NULL && (mine != theirs || s->ix.events.count != fresh->events.count))
        bad = "the index the daemon serves differs from the log";
    if (bad != NULL)
        report(out, GRITE_CHECK_FAIL, "%s: %s", s->log_path, bad);
}

/* With the shared lock held: everything but opening and locking. */
static enum grite_store_status check_locked(grite_store *s, int fd, struct index *fresh,
                                            struct grite_store_check *out,
                                            struct grite_store_error *err)
{
    struct grite_store_error found;
    enum grite_store_status rc = store_log_size(fd, s->log_path, &out->log_bytes, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct log_tail tail = {0};
    enum grite_store_status st = read_header(fd, s->log_path, out->log_bytes, &found);
    if (st == GRITE_STORE_OK)
        st = store_replay(s, fd, s->log_path, fresh, LOG_HEADER_SIZE, true, &tail,
                          &out->records, &found);
    if (st == GRITE_STORE_IO_ERROR || st == GRITE_STORE_INTERNAL) {
        if (err != NULL)
            *err = found;
        return st;
    }
    out->issues = fresh->issue_count;
    out->comments = fresh->comment_count;
    if (st != GRITE_STORE_OK) {
        report(out, GRITE_CHECK_FAIL, "%s", found.message);
        return GRITE_STORE_OK;
    }
    report(out, GRITE_CHECK_OK,
           "%s: %llu record%s (%llu bytes), %llu issue%s, %llu comment%s; every checksum "
           "good; the index matches the log",
           LOG_FILE_NAME, (unsigned long long)out->records, plural(out->records),
           (unsigned long long)out->log_bytes, (unsigned long long)out->issues,
           plural(out->issues), (unsigned long long)out->comments, plural(out->comments));
    if (tail.torn)
        report(out, GRITE_CHECK_WARN,
               "%s: %llu good records, then %llu bytes of a write that never completed at "
               "offset %llu (%s); the next write cuts them off",
               LOG_FILE_NAME, (unsigned long long)out->records,
               (unsigned long long)tail.torn_bytes, (unsigned long long)tail.good_end, tail.why);
    /* Bring the handle to exactly these bytes, then compare. */
    struct grite_store_error refresh_err;
    st = store_refresh(s, HELD_SHARED, &refresh_err);
    if (st != GRITE_STORE_OK)
        report(out, GRITE_CHECK_FAIL, "%s", refresh_err.message);
    else
        compare(s, fresh, out);
    return GRITE_STORE_OK;
}

enum grite_store_status grite_store_check(grite_store *s, struct grite_store_check *out,
                                          struct grite_store_error *err)
{
    store_error_clear(err);
    memset(out, 0, sizeof *out);
    int fd = store_file_open(s->log_path, O_RDONLY);
    if (fd < 0)
        return store_fail_errno(err, errno, s->log_path, "cannot open");
    struct index fresh;
    enum grite_store_status rc = GRITE_STORE_OK;
    if (!store_index_init(&fresh))
        rc = store_fail(err, GRITE_STORE_IO_ERROR, "getrandom failed");
    if (rc == GRITE_STORE_OK)
        rc = store_file_lock(s->lock_fd, LOCK_SH, s->opts.lock_timeout_ms, s->lock_path, err);
    if (rc == GRITE_STORE_OK) {
        rc = check_locked(s, fd, &fresh, out, err);
        store_file_unlock(s->lock_fd);
    }
    store_index_free(&fresh);
    close(fd);
    return rc;
}
