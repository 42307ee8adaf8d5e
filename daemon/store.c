/* store.c - the store handle: opening (create, replay, repair a torn
 * tail), keeping the index in step with the log when other writers append
 * to it, committing new events durably, and the warnings about repairs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"

#define DEFAULT_LOCK_TIMEOUT_MS 5000u
/* Replaying more than this at once re-sorts the list order afterwards
 * instead of moving issues one event at a time. */
#define BULK_REPLAY_BYTES (64u * 1024u)

/* ---- warnings ---- */

void store_warn(grite_store *s, const char *path, uint64_t offset, uint64_t dropped,
                const char *why)
{
    if (s->warning_count == WARNINGS_KEPT) {
        s->warnings_lost++;
        return;
    }
    struct grite_store_warning *w = &s->warnings[s->warning_count++];
    snprintf(w->path, sizeof w->path, "%s", path);
    w->offset = offset;
    w->dropped_bytes = dropped;
    int n = snprintf(w->message, sizeof w->message,
                     "%s: dropped %llu bytes at offset %llu (%s), the remains of a write that "
                     "never completed",
                     path, (unsigned long long)dropped, (unsigned long long)offset, why);
    if (n >= (int)sizeof w->message)     /* a very long path: say the text is cut */
        memcpy(w->message + sizeof w->message - 4, "...", 4);
}

bool grite_store_take_warning(grite_store *s, struct grite_store_warning *out)
{
    if (s == NULL || s->warning_count == 0)
        return false;
    *out = s->warnings[0];
    s->warning_count--;
    memmove(s->warnings, s->warnings + 1, s->warning_count * sizeof *s->warnings);
    if (s->warning_count == 0 && s->warnings_lost != 0) {
        size_t used = strlen(out->message);
        snprintf(out->message + used, sizeof out->message - used,
                 " (and %llu later warnings not kept)", (unsigned long long)s->warnings_lost);
        s->warnings_lost = 0;
    }
    return true;
}

/* ---- small accessors ---- */

const char *grite_store_data_dir(const grite_store *s)
{
    return s->dir;
}

const char *grite_store_actor(const grite_store *s)
{
    return s->actor_hex;
}

bool grite_store_has_event(const grite_store *s, const char *event_id)
{
    uint8_t id[ID_BYTES];
    return s != NULL && store_id_from_hex(id, event_id) && store_index_has_event(&s->ix, id);
}

static uint64_t realtime_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t store_next_ts(const grite_store *s, const struct store_issue *issue)
{
    uint64_t now = s->opts.clock_ms != NULL ? s->opts.clock_ms(s->opts.clock_ctx) : realtime_ms();
    if (issue != NULL && now <= issue->pub.updated_ts)
        now = issue->pub.updated_ts + 1; /* updated_ts <= EVENT_TS_MAX: no wrap */
    return now < EVENT_TS_MAX ? now : EVENT_TS_MAX;
}

/* Calls on_event for one applied event. */
static void notify(const grite_store *s, const struct event *ev, enum grite_event_origin origin)
{
    if (s->opts.on_event == NULL)
        return;
    struct grite_event_info info;
    store_hex_from_id(info.event_id, ev->event_id);
    store_hex_from_id(info.issue_id, ev->issue_id);
    store_hex_from_id(info.actor_id, ev->actor);
    info.kind = store_event_kind_name(ev);
    info.ts = ev->ts;
    info.origin = origin;
    s->opts.on_event(s->opts.event_ctx, &info);
}

/* ---- replay ---- */

struct replay_ctx {
    grite_store *s;
    struct index *ix;
    const char *path;
    bool quiet;
    uint64_t records;
};

static enum grite_store_status replay_record(void *opaque, const struct log_record *rec,
                                             struct grite_store_error *err)
{
    struct replay_ctx *c = opaque;
    switch (store_index_apply(c->ix, &rec->ev)) {
    case APPLY_DONE:
        if (!c->quiet)
            notify(c->s, &rec->ev, GRITE_EVENT_EXTERNAL);
        break;
    case APPLY_DUPLICATE:
        break; /* the same event twice changes nothing */
    case APPLY_UNKNOWN_ISSUE:
        return store_fail_corrupt(err, c->path, rec->offset,
                                  "event for an issue that was never created");
    case APPLY_NOMEM:
        return store_fail_nomem(err);
    }
    c->records++;
    return GRITE_STORE_OK;
}

enum grite_store_status store_replay(grite_store *s, int fd, const char *path, struct index *ix,
                                     uint64_t from, bool quiet, struct log_tail *tail,
                                     uint64_t *records, struct grite_store_error *err)
{
    tail->good_end = from;
    tail->torn = false;
    uint64_t size;
    enum grite_store_status rc = store_log_size(fd, path, &size, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    if (size < from)
        return store_fail_corrupt(err, path, size, "log shrank from %llu to %llu bytes",
                                  (unsigned long long)from, (unsigned long long)size);
    uint8_t *bytes;
    rc = store_log_read(fd, path, from, size, &bytes, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    if (size - from > BULK_REPLAY_BYTES)
        ix->order_valid = false;
    struct replay_ctx ctx = {s, ix, path, quiet, 0};
    rc = store_log_scan(bytes, (size_t)(size - from), from, path, replay_record, &ctx, tail, err);
    free(bytes);
    /* Even after an error: records applied before it stay applied. */
    if (!store_index_settle(ix))
        rc = store_fail_nomem(err); /* INTERNAL: the caller rebuilds */
    if (records != NULL)
        *records = ctx.records;
    return rc;
}

/* Cuts a torn tail found with the exclusive lock held. */
static enum grite_store_status cut_torn_tail(grite_store *s, const struct log_tail *tail,
                                             struct grite_store_error *err)
{
    if (!tail->torn)
        return GRITE_STORE_OK;
    enum grite_store_status rc = store_log_truncate(s->log_fd, s->log_path, tail->good_end, err);
    if (rc == GRITE_STORE_OK)
        store_warn(s, s->log_path, tail->good_end, tail->torn_bytes, tail->why);
    return rc;
}

/* Replays the whole log into a fresh index and swaps it in. */
static enum grite_store_status rebuild_index(grite_store *s, bool exclusive,
                                             struct grite_store_error *err)
{
    struct index fresh;
    if (!store_index_init(&fresh))
        return store_fail(err, GRITE_STORE_IO_ERROR, "getrandom failed");
    struct log_tail tail;
    enum grite_store_status rc =
        store_replay(s, s->log_fd, s->log_path, &fresh, LOG_HEADER_SIZE, true, &tail, NULL, err);
    if (rc == GRITE_STORE_OK && exclusive)
        rc = cut_torn_tail(s, &tail, err);
    if (rc != GRITE_STORE_OK) {
        store_index_free(&fresh);
        return rc;
    }
    store_index_free(&s->ix);
    s->ix = fresh;
    s->index_stale = false;
    s->log_known = tail.good_end;
    return GRITE_STORE_OK;
}

/* Applies what others appended since log_known. */
static enum grite_store_status catch_up(grite_store *s, bool exclusive,
                                        struct grite_store_error *err)
{
    struct log_tail tail;
    enum grite_store_status rc =
        store_replay(s, s->log_fd, s->log_path, &s->ix, s->log_known, false, &tail, NULL, err);
    s->log_known = tail.good_end; /* records applied before an error stay applied */
    if (rc == GRITE_STORE_OK && exclusive)
        rc = cut_torn_tail(s, &tail, err);
    if (rc == GRITE_STORE_INTERNAL)
        s->index_stale = true;
    return rc;
}

/* Catches up with the shared lock taken here unless a lock is held. */
static enum grite_store_status refresh_locked(grite_store *s, enum held_lock held,
                                              struct grite_store_error *err)
{
    if (held == HELD_NONE) {
        enum grite_store_status rc =
            store_file_lock(s->lock_fd, LOCK_SH, s->opts.lock_timeout_ms, s->lock_path, err);
        if (rc != GRITE_STORE_OK)
            return rc;
    }
    bool exclusive = held == HELD_EXCLUSIVE;
    enum grite_store_status rc =
        s->index_stale ? rebuild_index(s, exclusive, err) : catch_up(s, exclusive, err);
    if (held == HELD_NONE)
        store_file_unlock(s->lock_fd);
    return rc;
}

enum grite_store_status store_refresh(grite_store *s, enum held_lock held,
                                      struct grite_store_error *err)
{
    uint64_t size;
    enum grite_store_status rc = store_log_size(s->log_fd, s->log_path, &size, err);
    /* A torn tail is re-read on every call until a writer cuts it: it may
     * be cut and replaced by a record of the very same size. */
    if (rc != GRITE_STORE_OK || (size == s->log_known && !s->index_stale))
        return rc; /* the common case: one fstat */
    if (held != HELD_NONE || s->index_stale)
        return refresh_locked(s, held, err);
    /* Reading needs no lock, so readers never wait for a writer's fsync:
     * the log only grows, a record still being written is incomplete and
     * left for later, and only a writer cuts a torn tail. Damage seen
     * without the lock might be a torn tail being cut and rewritten under
     * our feet, so it is read again under the shared lock before it is
     * reported. */
    rc = catch_up(s, false, err);
    return rc == GRITE_STORE_CORRUPT ? refresh_locked(s, HELD_NONE, err) : rc;
}

enum grite_store_status store_lock_for_write(grite_store *s, struct grite_store_error *err)
{
    enum grite_store_status rc =
        store_file_lock(s->lock_fd, LOCK_EX, s->opts.lock_timeout_ms, s->lock_path, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    rc = store_refresh(s, HELD_EXCLUSIVE, err);
    if (rc != GRITE_STORE_OK)
        store_file_unlock(s->lock_fd);
    return rc;
}

void store_unlock(grite_store *s)
{
    store_file_unlock(s->lock_fd);
}

struct commit_ctx {
    grite_store *s;
    enum grite_event_origin origin;
};

static enum grite_store_status commit_record(void *opaque, const struct log_record *rec,
                                             struct grite_store_error *err)
{
    struct commit_ctx *c = opaque;
    enum apply_result applied = store_index_apply(&c->s->ix, &rec->ev);
    if (applied == APPLY_DONE)
        notify(c->s, &rec->ev, c->origin);
    if (applied == APPLY_DONE || applied == APPLY_DUPLICATE)
        return GRITE_STORE_OK;
    return store_fail(err, GRITE_STORE_INTERNAL,
                      "event at offset %llu is saved but the index could not take it; it will "
                      "be rebuilt from the log",
                      (unsigned long long)rec->offset);
}

enum grite_store_status store_commit(grite_store *s, const struct buf *records,
                                     enum grite_event_origin origin,
                                     struct grite_store_error *err)
{
    uint64_t at = s->log_known;
    enum grite_store_status rc =
        store_log_append(s->log_fd, s->log_path, at, records->data, records->len, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    s->log_known += records->len;
    if (records->len > BULK_REPLAY_BYTES)
        s->ix.order_valid = false;
    struct commit_ctx ctx = {s, origin};
    struct log_tail tail;
    rc = store_log_scan(records->data, records->len, at, s->log_path, commit_record, &ctx, &tail,
                        err);
    if (!store_index_settle(&s->ix))
        rc = store_fail_nomem(err);
    if (rc == GRITE_STORE_OK && tail.torn) /* cannot happen: we framed them */
        rc = store_fail(err, GRITE_STORE_INTERNAL, "a record we wrote does not read back");
    if (rc != GRITE_STORE_OK) /* on disk but not in memory: rebuild on the next call */
        s->index_stale = true;
    return rc;
}

/* ---- open and close ---- */

/* mkdir(dir) if missing, making the new entry durable in its parent. */
static enum grite_store_status ensure_dir(const char *dir, struct grite_store_error *err)
{
    if (mkdir(dir, 0700) != 0) {
        if (errno == EEXIST)
            return GRITE_STORE_OK;
        return store_fail_errno(err, errno, dir,
                                errno == ENOENT ? "missing parent directory of"
                                                : "cannot create directory");
    }
    char parent[GRITE_STORE_PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dir);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/')
        parent[--n] = '\0';
    char *slash = strrchr(parent, '/');
    if (slash == NULL)
        snprintf(parent, sizeof parent, ".");
    else
        slash[slash == parent ? 1 : 0] = '\0';
    int rc = store_fsync_dir(parent);
    return rc == 0 ? GRITE_STORE_OK : store_fail_errno(err, rc, parent, "cannot fsync directory");
}

static enum grite_store_status init_handle(grite_store *s, const char *data_dir,
                                           const char *actor_id,
                                           const struct grite_store_options *opts,
                                           struct grite_store_error *err)
{
    s->log_fd = s->lock_fd = -1;
    if (opts != NULL)
        s->opts = *opts;
    if (s->opts.lock_timeout_ms == 0)
        s->opts.lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
    if (data_dir == NULL || data_dir[0] == '\0')
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "data directory is empty");
    if (!store_id_from_hex(s->actor, actor_id))
        return store_fail(err, GRITE_STORE_INVALID_ARGS,
                          "actor id must be 32 lowercase hex digits");
    snprintf(s->actor_hex, sizeof s->actor_hex, "%s", actor_id);
    if (strlen(data_dir) >= sizeof s->dir)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "data directory path too long");
    snprintf(s->dir, sizeof s->dir, "%s", data_dir);
    if (!store_join_path(s->log_path, sizeof s->log_path, data_dir, LOG_FILE_NAME, err) ||
        !store_join_path(s->lock_path, sizeof s->lock_path, data_dir, LOCK_FILE_NAME, err))
        return GRITE_STORE_INVALID_ARGS;
    if (!store_index_init(&s->ix))
        return store_fail(err, GRITE_STORE_IO_ERROR, "getrandom failed");
    return GRITE_STORE_OK;
}

/* With the exclusive lock: open or create the log, replay it, cut a torn tail. */
static enum grite_store_status load_log(grite_store *s, struct grite_store_error *err)
{
    bool recreated;
    uint64_t dropped;
    enum grite_store_status rc =
        store_log_open(s->dir, s->log_path, &s->log_fd, &recreated, &dropped, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    if (recreated)
        store_warn(s, s->log_path, 0, dropped, "incomplete log header");
    struct log_tail tail;
    rc = store_replay(s, s->log_fd, s->log_path, &s->ix, LOG_HEADER_SIZE, true, &tail, NULL, err);
    if (rc == GRITE_STORE_OK)
        rc = cut_torn_tail(s, &tail, err);
    s->log_known = tail.good_end;
    return rc;
}

static enum grite_store_status open_locked(grite_store *s, struct grite_store_error *err)
{
    enum grite_store_status rc = ensure_dir(s->dir, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    s->lock_fd = store_file_open(s->lock_path, O_RDWR | O_CREAT);
    if (s->lock_fd < 0)
        return store_fail_errno(err, errno, s->lock_path, "cannot open");
    rc = store_file_lock(s->lock_fd, LOCK_EX, s->opts.lock_timeout_ms, s->lock_path, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    rc = load_log(s, err);
    store_file_unlock(s->lock_fd);
    return rc;
}

enum grite_store_status grite_store_open(const char *data_dir, const char *actor_id,
                                         const struct grite_store_options *opts,
                                         grite_store **out, struct grite_store_error *err)
{
    store_error_clear(err);
    *out = NULL;
    grite_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return store_fail_nomem(err);
    enum grite_store_status rc = init_handle(s, data_dir, actor_id, opts, err);
    if (rc == GRITE_STORE_OK)
        rc = open_locked(s, err);
    if (rc != GRITE_STORE_OK) {
        grite_store_close(s);
        return rc;
    }
    *out = s;
    return GRITE_STORE_OK;
}

void grite_store_close(grite_store *s)
{
    if (s == NULL)
        return;
    if (s->log_fd >= 0)
        close(s->log_fd);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    store_index_free(&s->ix);
    free(s->page);
    free(s);
}
