/* sync.c - SyncPull and SyncPush: exchanging events with another store
 * directory. The receiving side's log gets, in the sender's log order
 * (which keeps every create before the events that follow it), each event
 * it lacks; the index merge rules (store_index.c) do the rest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"
#include "sync.h"

/* ---- the remote's log, read and checked ---- */

/* A remote record kept for a pull: where its payload is, and what of its
 * event the pull looks at, so the pull need not decode it again. */
struct record_ref {
    size_t offset; /* of the payload, in remote_log.bytes */
    size_t len;
    uint64_t at;   /* of the record, in the file */
    enum event_kind kind;
    uint8_t event_id[ID_BYTES];
    uint8_t issue_id[ID_BYTES];
};

/* remote_log.events maps a remote event id to its place in records; an
 * event a push is about to add maps to this. */
#define PUSHED_EVENT UINT32_MAX

struct remote_log {
    char dir[GRITE_STORE_PATH_MAX];
    char log_path[GRITE_STORE_PATH_MAX];
    char lock_path[GRITE_STORE_PATH_MAX];
    uint8_t *bytes; /* the log from LOG_HEADER_SIZE to its end */
    size_t len;
    struct record_ref *records; /* each distinct event, in log order */
    size_t count, cap;
    struct idmap events; /* event ids in the log (see PUSHED_EVENT) */
    struct idmap issues; /* issue ids created so far while scanning */
    struct log_tail tail;
};

static enum grite_store_status random_seeds(uint64_t seeds[2], struct grite_store_error *err)
{
    uint8_t bytes[ID_BYTES];
    int rc = store_random_id(bytes);
    if (rc != 0)
        return store_fail_errno(err, rc, "", "getrandom failed");
    memcpy(&seeds[0], bytes, 8);
    memcpy(&seeds[1], bytes + 8, 8);
    return GRITE_STORE_OK;
}

static enum grite_store_status remote_init(struct remote_log *r, const char *dir,
                                           struct grite_store_error *err)
{
    memset(r, 0, sizeof *r);
    uint64_t seeds[2] = {0, 0};
    enum grite_store_status rc = random_seeds(seeds, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    store_idmap_init(&r->events, seeds[0]);
    store_idmap_init(&r->issues, seeds[1]);
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    if (!store_join_path(r->log_path, sizeof r->log_path, dir, LOG_FILE_NAME, err) ||
        !store_join_path(r->lock_path, sizeof r->lock_path, dir, LOCK_FILE_NAME, err))
        return GRITE_STORE_INVALID_ARGS;
    return GRITE_STORE_OK;
}

static void remote_free(struct remote_log *r)
{
    free(r->bytes);
    free(r->records);
    store_idmap_free(&r->events);
    store_idmap_free(&r->issues);
}

/* Checks one remote record as replay would: it decodes, and its issue was
 * created earlier in the same log. Keeps it unless its id was seen. */
static enum grite_store_status take_record(void *opaque, const struct log_record *rec,
                                           struct grite_store_error *err)
{
    struct remote_log *r = opaque;
    const struct event *ev = &rec->ev;
    bool known = store_idmap_get(&r->issues, ev->issue_id) != NULL;
    if (!known && ev->kind != EV_CREATE)
        return store_fail_corrupt(err, r->log_path, rec->offset,
                                  "event for an issue that was never created");
    if (store_idmap_get(&r->events, ev->event_id) != NULL)
        return GRITE_STORE_OK;
    if (r->count >= PUSHED_EVENT)
        return store_fail_corrupt(err, r->log_path, rec->offset, "too many records");
    if (r->count == r->cap) {
        size_t cap = r->cap != 0 ? r->cap * 2 : 64;
        struct record_ref *grown = realloc(r->records, cap * sizeof *grown);
        if (grown == NULL)
            return store_fail_nomem(err);
        r->records = grown;
        r->cap = cap;
    }
    if ((!known && !store_idmap_put(&r->issues, ev->issue_id, 0)) ||
        !store_idmap_put(&r->events, ev->event_id, (uint32_t)r->count))
        return store_fail_nomem(err);
    struct record_ref *ref = &r->records[r->count++];
    ref->offset = (size_t)(rec->payload - r->bytes);
    ref->len = rec->len;
    ref->at = rec->offset;
    ref->kind = ev->kind;
    memcpy(ref->event_id, ev->event_id, ID_BYTES);
    memcpy(ref->issue_id, ev->issue_id, ID_BYTES);
    return GRITE_STORE_OK;
}

/* Reads and checks the remote log open at `fd` (header already checked). */
static enum grite_store_status scan_remote(struct remote_log *r, int fd,
                                           struct grite_store_error *err)
{
    uint64_t size;
    enum grite_store_status rc = store_log_size(fd, r->log_path, &size, err);
    if (rc == GRITE_STORE_OK && size < LOG_HEADER_SIZE)
        return GRITE_STORE_OK; /* a torn header holds no events */
    if (rc == GRITE_STORE_OK)
        rc = store_log_read(fd, r->log_path, LOG_HEADER_SIZE, size, &r->bytes, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    r->len = (size_t)(size - LOG_HEADER_SIZE);
    return store_log_scan(r->bytes, r->len, LOG_HEADER_SIZE, r->log_path, take_record, r, &r->tail,
                          err);
}

/* ---- checks on the remote path ---- */

static enum grite_store_status check_remote(const grite_store *s, const char *remote,
                                            struct grite_store_error *err)
{
    if (remote == NULL || remote[0] == '\0')
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "remote is empty");
    if (strlen(remote) >= GRITE_STORE_PATH_MAX - 32)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "remote path too long");
    struct stat theirs, ours;
    if (stat(remote, &theirs) != 0) {
        if (errno == ENOENT)
            return store_fail(err, GRITE_STORE_NOT_FOUND, "no remote directory %s", remote);
        return store_fail_errno(err, errno, remote, "cannot stat");
    }
    if (!S_ISDIR(theirs.st_mode))
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "remote %s is not a directory", remote);
    if (stat(s->dir, &ours) == 0 && ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "remote %s is this store itself",
                          remote);
    return GRITE_STORE_OK;
}

/* The remote record at `at` has the id of an event the other side has,
 * yet they differ: one of them is `create` and the side holding the other
 * lacks that issue. Skipping the record as known would leave the issue's
 * later events without their create: the receiving log could never be
 * replayed again. */
static enum grite_store_status id_clash(const struct remote_log *r, uint64_t at,
                                        const uint8_t event_id[ID_BYTES],
                                        const uint8_t issue_id[ID_BYTES],
                                        struct grite_store_error *err)
{
    char event_hex[GRITE_ID_HEX_LEN + 1], issue_hex[GRITE_ID_HEX_LEN + 1];
    store_hex_from_id(event_hex, event_id);
    store_hex_from_id(issue_hex, issue_id);
    return store_fail_corrupt(err, r->log_path, at,
                              "event %s is not the same event in both stores (in one it "
                              "creates issue %s)",
                              event_hex, issue_hex);
}

/* ---- counting ---- */

struct tally {
    struct idmap issues;
    uint32_t issue_count;
    uint32_t comments;
    uint64_t events;
};

static bool tally_event(struct tally *t, const uint8_t issue_id[ID_BYTES], enum event_kind kind)
{
    if (store_idmap_get(&t->issues, issue_id) == NULL) {
        if (!store_idmap_put(&t->issues, issue_id, 0))
            return false;
        t->issue_count++;
    }
    if (kind == EV_COMMENT)
        t->comments++;
    t->events++;
    return true;
}

/* ---- pull ---- */

/* Reads the remote's log under a shared lock on its store.lock. */
static enum grite_store_status read_remote(struct remote_log *r, unsigned timeout_ms,
                                           struct grite_store_error *err)
{
    int lock_fd = store_file_open(r->lock_path, O_RDONLY);
    if (lock_fd < 0 && errno != ENOENT) /* ENOENT: no store was ever opened there */
        return store_fail_errno(err, errno, r->lock_path, "cannot open");
    enum grite_store_status rc = GRITE_STORE_OK;
    if (lock_fd >= 0)
        rc = store_file_lock(lock_fd, LOCK_SH, timeout_ms, r->lock_path, err);
    int fd = -1;
    if (rc == GRITE_STORE_OK) {
        fd = store_file_open(r->log_path, O_RDONLY);
        if (fd < 0 && errno != ENOENT)
            rc = store_fail_errno(err, errno, r->log_path, "cannot open");
    }
    if (rc == GRITE_STORE_OK && fd >= 0) {
        uint8_t header[LOG_HEADER_SIZE];
        uint64_t size = 0;
        rc = store_log_size(fd, r->log_path, &size, err);
        size_t have = size < LOG_HEADER_SIZE ? (size_t)size : LOG_HEADER_SIZE;
        int read_rc = rc == GRITE_STORE_OK ? store_read_all_at(fd, header, have, 0) : 0;
        if (read_rc != 0)
            rc = store_fail_errno(err, read_rc < 0 ? EIO : read_rc, r->log_path, "cannot read");
        bool torn = false;
        if (rc == GRITE_STORE_OK)
            rc = store_log_check_header(header, have, r->log_path, &torn, err);
        if (rc == GRITE_STORE_OK)
            rc = scan_remote(r, fd, err);
    }
    if (fd >= 0)
        close(fd);
    if (lock_fd >= 0)
        close(lock_fd); /* also drops the lock */
    return rc;
}

/* With our lock held: frames every remote event we lack into `out`. */
static enum grite_store_status select_missing(const grite_store *s, const struct remote_log *r,
                                              struct buf *out, struct tally *t,
                                              struct grite_store_error *err)
{
    for (size_t i = 0; i < r->count; i++) {
        const struct record_ref *ref = &r->records[i];
        if (store_index_has_event(&s->ix, ref->event_id)) {
            if (ref->kind == EV_CREATE && store_index_find(&s->ix, ref->issue_id) == NULL)
                return id_clash(r, ref->at, ref->event_id, ref->issue_id, err);
            continue;
        }
        if (!store_log_frame(out, r->bytes + ref->offset, ref->len) ||
            !tally_event(t, ref->issue_id, ref->kind))
            return store_fail_nomem(err);
    }
    return GRITE_STORE_OK;
}

static enum grite_store_status pull_locked(grite_store *s, const struct remote_log *r,
                                           struct tally *t, struct grite_store_error *err)
{
    struct buf records = {0};
    enum grite_store_status rc = select_missing(s, r, &records, t, err);
    if (rc == GRITE_STORE_OK && records.len != 0)
        rc = store_commit(s, &records, GRITE_EVENT_PULLED, err);
    store_buf_free(&records);
    return rc;
}

static void fill_result(struct grite_sync_result *out, const struct tally *t, bool pushed)
{
    if (out == NULL)
        return;
    memset(out, 0, sizeof *out);
    if (pushed)
        out->issues_pushed = t->issue_count;
    else
        out->issues_pulled = t->issue_count;
    out->comments_merged = t->comments;
    out->events_transferred = t->events;
}

/* Sets up what a sync needs: the remote's paths and maps, the tally. */
static enum grite_store_status sync_init(struct remote_log *r, struct tally *t,
                                         const char *remote, struct grite_store_error *err)
{
    memset(t, 0, sizeof *t);
    uint64_t seeds[2] = {0, 0};
    enum grite_store_status rc = random_seeds(seeds, err);
    store_idmap_init(&t->issues, seeds[0]);
    enum grite_store_status remote_rc = remote_init(r, remote, err);
    return rc != GRITE_STORE_OK ? rc : remote_rc;
}

static void sync_free(struct remote_log *r, struct tally *t)
{
    remote_free(r);
    store_idmap_free(&t->issues);
}

enum grite_store_status grite_sync_pull(grite_store *s, const char *remote,
                                        struct grite_sync_result *out,
                                        struct grite_store_error *err)
{
    store_error_clear(err);
    enum grite_store_status rc = check_remote(s, remote, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct remote_log r;
    struct tally t;
    rc = sync_init(&r, &t, remote, err);
    if (rc == GRITE_STORE_OK)
        rc = read_remote(&r, s->opts.lock_timeout_ms, err);
    if (rc == GRITE_STORE_OK && r.count != 0) {
        rc = store_lock_for_write(s, err);
        if (rc == GRITE_STORE_OK) {
            rc = pull_locked(s, &r, &t, err);
            store_unlock(s);
        }
    }
    if (rc == GRITE_STORE_OK)
        fill_result(out, &t, false);
    sync_free(&r, &t);
    return rc;
}

/* ---- push ---- */

struct push_ctx {
    struct remote_log *r;
    struct buf *out;
    struct tally *t;
};

/* A record of our own log: framed into `out` unless the remote has it. */
static enum grite_store_status offer_record(void *opaque, const struct log_record *rec,
                                            struct grite_store_error *err)
{
    struct push_ctx *c = opaque;
    struct remote_log *r = c->r;
    const struct event *ev = &rec->ev;
    const uint32_t *theirs = store_idmap_get(&r->events, ev->event_id);
    if (theirs != NULL && *theirs != PUSHED_EVENT && ev->kind == EV_CREATE &&
        store_idmap_get(&r->issues, ev->issue_id) == NULL)
        return id_clash(r, r->records[*theirs].at, ev->event_id, ev->issue_id, err);
    if (theirs != NULL)
        return GRITE_STORE_OK;
    if (!store_idmap_put(&r->events, ev->event_id, PUSHED_EVENT) ||
        !store_log_frame(c->out, rec->payload, rec->len) || !tally_event(c->t, ev->issue_id, ev->kind))
        return store_fail_nomem(err);
    return GRITE_STORE_OK;
}

/* Our log's applied part: bytes below log_known never change again. */
static enum grite_store_status frame_ours(grite_store *s, struct remote_log *r,
                                          struct buf *out, struct tally *t,
                                          struct grite_store_error *err)
{
    uint8_t *bytes;
    enum grite_store_status rc =
        store_log_read(s->log_fd, s->log_path, LOG_HEADER_SIZE, s->log_known, &bytes, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct push_ctx ctx = {r, out, t};
    struct log_tail tail;
    rc = store_log_scan(bytes, (size_t)(s->log_known - LOG_HEADER_SIZE), LOG_HEADER_SIZE,
                        s->log_path, offer_record, &ctx, &tail, err);
    free(bytes);
    return rc;
}

/* With the remote's exclusive lock held: open (or create) its log, read
 * it, cut a torn tail, append what it lacks. */
static enum grite_store_status push_locked(grite_store *s, struct remote_log *r,
                                           struct tally *t, struct grite_store_error *err)
{
    int fd = -1;
    bool recreated;
    uint64_t dropped;
    enum grite_store_status rc =
        store_log_open(r->dir, r->log_path, &fd, &recreated, &dropped, err);
    if (rc == GRITE_STORE_OK && recreated)
        store_warn(s, r->log_path, 0, dropped, "incomplete log header");
    if (rc == GRITE_STORE_OK)
        rc = scan_remote(r, fd, err);
    uint64_t end = LOG_HEADER_SIZE + (uint64_t)r->len;
    if (rc == GRITE_STORE_OK && r->tail.torn) {
        rc = store_log_truncate(fd, r->log_path, r->tail.good_end, err);
        if (rc == GRITE_STORE_OK)
            store_warn(s, r->log_path, r->tail.good_end, r->tail.torn_bytes, r->tail.why);
        end = r->tail.good_end;
    }
    struct buf records = {0};
    if (rc == GRITE_STORE_OK)
        rc = frame_ours(s, r, &records, t, err);
    if (rc == GRITE_STORE_OK && records.len != 0)
        rc = store_log_append(fd, r->log_path, end, records.data, records.len, err);
    store_buf_free(&records);
    if (fd >= 0)
        close(fd);
    return rc;
}

enum grite_store_status grite_sync_push(grite_store *s, const char *remote,
                                        struct grite_sync_result *out,
                                        struct grite_store_error *err)
{
    store_error_clear(err);
    enum grite_store_status rc = check_remote(s, remote, err);
    if (rc == GRITE_STORE_OK)
        rc = store_refresh(s, HELD_NONE, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct remote_log r;
    struct tally t;
    rc = sync_init(&r, &t, remote, err);
    int lock_fd = -1;
    if (rc == GRITE_STORE_OK) {
        lock_fd = store_file_open(r.lock_path, O_RDWR | O_CREAT);
        if (lock_fd < 0)
            rc = store_fail_errno(err, errno, r.lock_path, "cannot open");
    }
    if (rc == GRITE_STORE_OK)
        rc = store_file_lock(lock_fd, LOCK_EX, s->opts.lock_timeout_ms, r.lock_path, err);
    if (rc == GRITE_STORE_OK)
        rc = push_locked(s, &r, &t, err);
    if (lock_fd >= 0)
        close(lock_fd); /* also drops the lock */
    if (rc == GRITE_STORE_OK)
        fill_result(out, &t, true);
    sync_free(&r, &t);
    return rc;
}
