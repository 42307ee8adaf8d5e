/* store_internal.h - what the store's source files share; not public.
 *
 *   store_error.c   filling grite_store_error
 *   store_text.c    ids, hex, UTF-8 and the text rules of store.h
 *   store_buf.c     a growable byte buffer
 *   store_idmap.c   a hash map from 16-byte ids to u32
 *   store_event.c   events and their binary encoding (a record's payload)
 *   store_file.c    small POSIX helpers: full reads/writes, fsync, flock
 *   store_log.c     the log file: header, record framing, scanning, appending
 *   store_index.c   the in-memory index and the merge rules (apply an event)
 *   store_query.c   listing with a filter in the list order
 *   store.c         the handle: open, replay, refresh, commit, warnings
 *   store_issue.c   the issue operations of store.h
 *   store_check.c   the integrity check
 *   sync.c          pull and push
 */
#ifndef GRITE_DAEMON_STORE_INTERNAL_H
#define GRITE_DAEMON_STORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define ID_BYTES 16

/* ---- store_error.c ---- */

/* snprintf that may cut the text short, on purpose (paths in messages). */
void format_into(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Each returns `code` after filling *err (err may be NULL). */
enum grite_store_status store_fail(struct grite_store_error *err, enum grite_store_status code,
                                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* GRITE_STORE_IO_ERROR for a failed system call on `path`; the message
 * ends with strerror(errnum). */
enum grite_store_status store_fail_errno(struct grite_store_error *err, int errnum,
                                         const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* GRITE_STORE_CORRUPT for the record at `offset` of `path`. */
enum grite_store_status store_fail_corrupt(struct grite_store_error *err, const char *path,
                                           uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
enum grite_store_status store_fail_nomem(struct grite_store_error *err);
/* Clears *err to GRITE_STORE_OK (err may be NULL). */
void store_error_clear(struct grite_store_error *err);

/* ---- store_text.c ---- */

/* Lowercase hex of 16 bytes into out[33]. */
void hex_from_id(char out[GRITE_ID_HEX_LEN + 1], const uint8_t id[ID_BYTES]);
/* Parses exactly 32 lowercase hex digits; false for anything else. */
bool id_from_hex(uint8_t id[ID_BYTES], const char *hex);
/* 16 random bytes from getrandom(); 0 or an errno. */
int random_id(uint8_t id[ID_BYTES]);

/* The text rules. Each returns NULL when (text, len) is acceptable, else a
 * reason with no subject ("is empty", "is not valid UTF-8 at byte 7"). The
 * reason points to `scratch` or to a literal. */
typedef char text_reason[96];
const char *check_title(const char *text, size_t len, text_reason scratch);
const char *check_body(const char *text, size_t len, text_reason scratch);
const char *check_comment(const char *text, size_t len, text_reason scratch);
const char *check_label(const char *text, size_t len, text_reason scratch);

/* ---- store_buf.c ---- */

struct buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};
/* Each returns false when out of memory (the buffer is left as it was). */
bool buf_reserve(struct buf *b, size_t extra);
bool buf_put(struct buf *b, const void *bytes, size_t n);
bool buf_put_u8(struct buf *b, uint8_t v);
bool buf_put_u32(struct buf *b, uint32_t v);
bool buf_put_u64(struct buf *b, uint64_t v);
void buf_free(struct buf *b);
uint32_t load_u32(const uint8_t *p);
uint64_t load_u64(const uint8_t *p);
void store_u32(uint8_t *p, uint32_t v);

/* ---- store_idmap.c ---- */

/* Open addressing on random ids, hashed with a per-map random seed so a
 * crafted log cannot make every key collide. */
struct idmap_slot {
    uint8_t key[ID_BYTES];
    uint32_t value;
    uint32_t used;
};
struct idmap {
    struct idmap_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
    uint64_t seed;
};
void idmap_init(struct idmap *m, uint64_t seed);
void idmap_free(struct idmap *m);
/* Looks a key up; NULL when absent. */
const uint32_t *idmap_get(const struct idmap *m, const uint8_t key[ID_BYTES]);
/* Inserts or overwrites; false when out of memory. */
bool idmap_put(struct idmap *m, const uint8_t key[ID_BYTES], uint32_t value);

/* ---- store_event.c ---- */

enum event_kind {
    EV_CREATE = 1,  /* title, body, labels */
    EV_UPDATE = 2,  /* title and/or body */
    EV_STATE = 3,   /* state */
    EV_COMMENT = 4, /* text = comment body */
    EV_LABEL = 5,   /* text = label */
    EV_ASSIGN = 6,  /* assignee */
};

struct text_ref {
    const char *ptr; /* not NUL-terminated when decoded from a record */
    size_t len;
};

/* One event. Text fields point into the record or the caller's strings. */
struct event {
    enum event_kind kind;
    uint8_t event_id[ID_BYTES];
    uint8_t actor[ID_BYTES];
    uint8_t issue_id[ID_BYTES];
    uint64_t ts;
    bool has_title, has_body;
    struct text_ref title, body, text;
    enum grite_issue_state state;
    uint8_t assignee[ID_BYTES];
    size_t label_count;
    struct text_ref labels[GRITE_LABELS_MAX];
};

/* Timestamps above this are refused so ts + 1 never wraps. */
#define EVENT_TS_MAX ((uint64_t)INT64_MAX)

/* Appends the payload encoding of `ev` to `out`; false if out of memory. */
bool event_encode(const struct event *ev, struct buf *out);
/* Decodes and validates a payload (every text rule of store.h, known kind,
 * nothing left over). NULL on success, else the reason (in `why`). */
const char *event_decode(const uint8_t *payload, size_t len, struct event *ev,
                         char *why, size_t why_len);
/* "issue_created", ... as in grite_event_info.kind. */
const char *event_kind_name(const struct event *ev);

/* ---- store_file.c ---- */

int write_all_at(int fd, const void *data, size_t len, uint64_t offset); /* 0 or errno */
int read_all_at(int fd, void *data, size_t len, uint64_t offset);        /* 0, errno, or -1 on EOF */
int fsync_dir(const char *dir);                                          /* 0 or errno */
/* flock(fd, op) retried without blocking until `timeout_ms` passes:
 * GRITE_STORE_BUSY then. `what` names the lock in the message. */
enum grite_store_status lock_with_timeout(int fd, int op, unsigned timeout_ms,
                                          const char *what, struct grite_store_error *err);
void unlock_file(int fd);
/* snprintf(out, "%s/%s", dir, name): false (with INVALID_ARGS) if too long. */
bool join_path(char *out, size_t cap, const char *dir, const char *name,
               struct grite_store_error *err);

/* ---- store_log.c ---- */

#define LOG_FILE_NAME "events.log"
#define LOCK_FILE_NAME "store.lock"
#define LOG_HEADER_SIZE 16
#define FRAME_HEADER_SIZE 12
#define RECORD_PAYLOAD_MAX (1024u * 1024u)
#define RECORD_PAYLOAD_MIN 58 /* the common event header */

/* Reports one good record. Returning non-OK stops the scan with that error. */
typedef enum grite_store_status (*log_record_fn)(void *ctx, uint64_t offset,
                                                 const uint8_t *payload, size_t len,
                                                 struct grite_store_error *err);

/* How a log's bytes end. */
struct log_tail {
    uint64_t good_end;     /* file offset just past the last good record */
    bool torn;             /* bytes after good_end form no complete record */
    uint64_t torn_bytes;   /* how many (from good_end to the end) */
    char why[128];         /* what was wrong with the first bad record */
};

/* Walks the records of `bytes`, which hold the log from file offset `base`
 * (>= LOG_HEADER_SIZE) to its end, calling `fn` for each good one. On a bad
 * or incomplete record it looks for a good record further on: if there is
 * one the log is damaged in the middle (GRITE_STORE_CORRUPT), otherwise
 * the rest is a torn tail, described in *tail. */
enum grite_store_status log_scan(const uint8_t *bytes, size_t len, uint64_t base,
                                 const char *path, log_record_fn fn, void *ctx,
                                 struct log_tail *tail, struct grite_store_error *err);
/* Checks the first `len` bytes (the whole file when shorter than a header).
 * *torn_header is set when the file is a strict prefix of a header: what
 * a crash during creation would leave. */
enum grite_store_status log_check_header(const uint8_t *bytes, size_t len, const char *path,
                                         bool *torn_header, struct grite_store_error *err);
/* Writes a fresh header to `log_path` atomically (temporary file, fsync,
 * rename, fsync of `dir`), replacing any file there. */
enum grite_store_status log_create(const char *dir, const char *log_path,
                                   struct grite_store_error *err);
/* Opens `log_path` read-write and checks its header, creating the log when
 * it is missing, or when a crash during its creation left a strict prefix
 * of a header (then *recreated is set and *dropped says how many bytes
 * that prefix had). On error *fd may still be open (or -1). */
enum grite_store_status log_open(const char *dir, const char *log_path, int *fd,
                                 bool *recreated, uint64_t *dropped,
                                 struct grite_store_error *err);
/* Appends one framed record for `payload` to `out`. */
bool log_frame(struct buf *out, const uint8_t *payload, size_t len);
/* Writes `bytes` at `offset` and fsyncs; on failure truncates back to
 * `offset` (best effort) so no partial record is left behind. */
enum grite_store_status log_append(int fd, const char *path, uint64_t offset,
                                   const uint8_t *bytes, size_t len,
                                   struct grite_store_error *err);
/* Cuts the file to `size` and fsyncs. */
enum grite_store_status log_truncate(int fd, const char *path, uint64_t size,
                                     struct grite_store_error *err);
/* Reads [from, to) into a new buffer (caller frees). */
enum grite_store_status log_read(int fd, const char *path, uint64_t from, uint64_t to,
                                 uint8_t **out, struct grite_store_error *err);
/* fstat size of fd. */
enum grite_store_status log_size(int fd, const char *path, uint64_t *size,
                                 struct grite_store_error *err);

/* ---- store_index.c ---- */

/* A last-writer-wins stamp: compared by ts, then actor, then event id. */
struct stamp {
    uint64_t ts;
    uint8_t actor[ID_BYTES];
    uint8_t event_id[ID_BYTES];
};

struct store_issue {
    struct grite_issue pub; /* what callers see */
    uint8_t id[ID_BYTES];
    size_t labels_cap, assignees_cap, comments_cap;
    struct stamp created_at, title_at, body_at, state_at;
};

struct index {
    struct store_issue **issues; /* in order of creation */
    size_t issue_count, issue_cap;
    struct idmap by_id;  /* issue id -> position in issues */
    struct idmap events; /* every applied event id */
    /* issues in the list order; rebuilt lazily when !order_valid */
    struct store_issue **order;
    bool order_valid;
    uint64_t comment_count;
};

enum apply_result {
    APPLY_DONE,          /* applied */
    APPLY_DUPLICATE,     /* that event id was applied before: nothing done */
    APPLY_UNKNOWN_ISSUE, /* refers to an issue the index does not have */
    APPLY_NOMEM,         /* out of memory: the index may be half-updated */
};

bool index_init(struct index *ix); /* false: no randomness for the seeds */
void index_free(struct index *ix);
struct store_issue *index_find(const struct index *ix, const uint8_t id[ID_BYTES]);
bool index_has_event(const struct index *ix, const uint8_t event_id[ID_BYTES]);
/* Applies an event by the merge rules (docs/STORE.md). */
enum apply_result index_apply(struct index *ix, const struct event *ev);
/* Makes ix->order current (never allocates: order grows with issues). */
void index_sort_order(struct index *ix);
/* A digest of the index's content (not of its history), for comparing
 * two indexes; issues are taken in issue_id order. false: out of memory. */
bool index_digest(const struct index *ix, uint64_t *digest);
/* Checks the index's own invariants; NULL or what is wrong. */
const char *index_self_check(const struct index *ix);

/* ---- store_query.c ---- */

/* Fills page from ix in the list order; `scratch` holds the page's
 * pointers (grown as needed). */
enum grite_store_status query_list(struct index *ix, const struct grite_issue_filter *filter,
                                   const struct grite_issue ***scratch, size_t *scratch_cap,
                                   struct grite_issue_page *page,
                                   struct grite_store_error *err);

/* ---- store.c ---- */

#define WARNINGS_KEPT 8

struct grite_store {
    char dir[GRITE_STORE_PATH_MAX];
    char log_path[GRITE_STORE_PATH_MAX];
    char lock_path[GRITE_STORE_PATH_MAX];
    char actor_hex[GRITE_ID_HEX_LEN + 1];
    uint8_t actor[ID_BYTES];
    struct grite_store_options opts;
    int log_fd;
    int lock_fd;
    uint64_t log_known;  /* bytes of the log applied to the index */
    bool index_stale;    /* an apply failed half-way: rebuild from disk */
    struct index ix;
    const struct grite_issue **page; /* grite_store_list's results */
    size_t page_cap;
    struct grite_store_warning warnings[WARNINGS_KEPT];
    size_t warning_count;
    uint64_t warnings_lost;
};

/* Which store lock the caller of store_refresh holds. */
enum held_lock { HELD_NONE, HELD_SHARED, HELD_EXCLUSIVE };
/* Brings the index up to date with the log (events appended by others,
 * a rebuild after a failed apply). With no lock held it reads without one
 * (see store.c); only with the exclusive lock is a torn tail cut off. */
enum grite_store_status store_refresh(grite_store *s, enum held_lock held,
                                      struct grite_store_error *err);
/* Takes the exclusive store lock and refreshes; pair with store_unlock. */
enum grite_store_status store_lock_for_write(grite_store *s, struct grite_store_error *err);
void store_unlock(grite_store *s);
/* With the exclusive lock held: appends `records` (framed, good records
 * made by us) to the log and fsyncs, then applies each event to the index
 * and reports it to on_event with `origin`. */
enum grite_store_status store_commit(grite_store *s, const struct buf *records,
                                     enum grite_event_origin origin,
                                     struct grite_store_error *err);
/* Records a recovery warning for grite_store_take_warning. */
void store_warn(grite_store *s, const char *path, uint64_t offset, uint64_t dropped,
                const char *why);
/* The timestamp for a new event on `issue` (NULL for a new issue): now,
 * but later than anything the issue has seen, so an edit never loses to
 * an older one when clocks disagree. */
uint64_t store_next_ts(const grite_store *s, const struct store_issue *issue);
/* Reads the log from `from` to its end, applies every good record to `ix`
 * (events already there are skipped; unless `quiet` each new one goes to
 * on_event as GRITE_EVENT_EXTERNAL), and reports in *tail where the good
 * records end. *records (may be NULL) counts the good records. */
enum grite_store_status store_replay(grite_store *s, int fd, const char *path, struct index *ix,
                                     uint64_t from, bool quiet, struct log_tail *tail,
                                     uint64_t *records, struct grite_store_error *err);
/* Calls on_event for one applied event. */
void store_notify(const grite_store *s, const struct event *ev, enum grite_event_origin origin);

#endif /* GRITE_DAEMON_STORE_INTERNAL_H */
