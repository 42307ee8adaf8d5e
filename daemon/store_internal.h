/* store_internal.h - what the store's source files share; not public.
 *
 *   store_error.c   filling grite_store_error
 *   store_text.c    ids, hex, UTF-8 and the text rules of store.h
 *   store_buf.c     a growable byte buffer
 *   store_idmap.c   a hash map from 16-byte ids to u32
 *   store_event.c   events and their binary encoding (a record's payload)
 *   store_file.c    small POSIX helpers: open, full reads/writes, fsync, flock
 *   store_log.c     the log file: header, record framing, scanning, appending
 *   store_index.c   the in-memory index and the merge rules (apply an event)
 *   store_query.c   listing with a filter in the list order
 *   store.c         the handle: open, replay, refresh, commit, warnings
 *   store_issue.c   the issue operations of store.h
 *   store_check.c   the integrity check
 *   sync.c          pull and push
 *
 * The library is linked into programs with names of their own, so every
 * function declared here starts with store_ (the ctest store_symbols
 * checks libgrite_store.a); what one file alone uses is static.
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
void store_hex_from_id(char out[GRITE_ID_HEX_LEN + 1], const uint8_t id[ID_BYTES]);
/* Parses exactly 32 lowercase hex digits; false for anything else. */
bool store_id_from_hex(uint8_t id[ID_BYTES], const char *hex);
/* 16 random bytes from getrandom(); 0 or an errno. */
int store_random_id(uint8_t id[ID_BYTES]);

/* The text rules. Each returns NULL when (text, len) is acceptable, else a
 * reason with no subject ("is empty", "is not valid UTF-8 at byte 7"). The
 * reason points to `scratch` or to a literal. */
typedef char text_reason[96];
const char *store_check_title(const char *text, size_t len, text_reason scratch);
const char *store_check_body(const char *text, size_t len, text_reason scratch);
const char *store_check_comment(const char *text, size_t len, text_reason scratch);
const char *store_check_label(const char *text, size_t len, text_reason scratch);

/* ---- store_buf.c ---- */

struct buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};
/* Each returns false when out of memory (the buffer is left as it was). */
bool store_buf_put(struct buf *b, const void *bytes, size_t n);
bool store_buf_put_u8(struct buf *b, uint8_t v);
bool store_buf_put_u32(struct buf *b, uint32_t v);
bool store_buf_put_u64(struct buf *b, uint64_t v);
void store_buf_free(struct buf *b);
uint32_t store_load_u32(const uint8_t *p);
uint64_t store_load_u64(const uint8_t *p);
void store_save_u32(uint8_t *p, uint32_t v);

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
void store_idmap_init(struct idmap *m, uint64_t seed);
void store_idmap_free(struct idmap *m);
/* Looks a key up; NULL when absent. */
const uint32_t *store_idmap_get(const struct idmap *m, const uint8_t key[ID_BYTES]);
/* Inserts or overwrites; false when out of memory. */
bool store_idmap_put(struct idmap *m, const uint8_t key[ID_BYTES], uint32_t value);

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
bool store_event_encode(const struct event *ev, struct buf *out);
/* Decodes and validates a payload (every text rule of store.h, known kind,
 * nothing left over). NULL on success, else the reason (in `why`). */
const char *store_event_decode(const uint8_t *payload, size_t len, struct event *ev,
                               char *why, size_t why_len);
/* "issue_created", ... as in grite_event_info.kind. */
const char *store_event_kind_name(const struct event *ev);

/* ---- store_file.c ---- */

/* pwrite/pread of all `len` bytes, retried on EINTR and short transfers:
 * 0, an errno, or (read only) -1 when the file ends first. */
int store_write_all_at(int fd, const void *data, size_t len, uint64_t offset);
int store_read_all_at(int fd, void *data, size_t len, uint64_t offset);
int store_fsync_dir(const char *dir); /* 0 or errno */
/* open() for a file of a store or remote directory, where anyone may have
 * put anything: O_NONBLOCK, so a FIFO there cannot block us (store_log_size
 * then refuses it), and O_CLOEXEC. Mode 0644 when creating. -1 and errno on
 * failure. */
int store_file_open(const char *path, int flags);
/* flock(fd, op) retried without blocking until `timeout_ms` passes:
 * GRITE_STORE_BUSY then. `what` names the lock in the message. */
enum grite_store_status store_file_lock(int fd, int op, unsigned timeout_ms,
                                        const char *what, struct grite_store_error *err);
void store_file_unlock(int fd);
/* snprintf(out, "%s/%s", dir, name): false (with INVALID_ARGS) if too long. */
bool store_join_path(char *out, size_t cap, const char *dir, const char *name,
                     struct grite_store_error *err);

/* ---- store_log.c ---- */

#define LOG_FILE_NAME "events.log"
#define LOCK_FILE_NAME "store.lock"
#define LOG_HEADER_SIZE 16
#define FRAME_HEADER_SIZE 12
#define RECORD_PAYLOAD_MAX (1024u * 1024u)
#define RECORD_PAYLOAD_MIN 58 /* the common event header */

/* One good record of a log, as a scan hands it over. */
struct log_record {
    uint64_t offset;        /* of the record, in the file */
    const uint8_t *payload; /* into the bytes scanned */
    size_t len;
    struct event ev;        /* the payload, decoded and checked */
};

/* Takes one good record. Returning non-OK stops the scan with that error. */
typedef enum grite_store_status (*log_record_fn)(void *ctx, const struct log_record *rec,
                                                 struct grite_store_error *err);

/* How a log's bytes end. */
struct log_tail {
    uint64_t good_end;     /* file offset just past the last good record */
    bool torn;             /* bytes after good_end form no complete record */
    uint64_t torn_bytes;   /* how many (from good_end to the end) */
    char why[128];         /* what was wrong with the first bad record */
};

/* Walks the records of `bytes`, which hold the log from file offset `base`
 * (>= LOG_HEADER_SIZE) to its end, calling `fn` for each good one. A record
 * with a good checksum but a bad event (store_event_decode) is damage
 * wherever it is: GRITE_STORE_CORRUPT naming its offset. On a bad or
 * incomplete record it looks for a good record further on: if there is one
 * the log is damaged in the middle (GRITE_STORE_CORRUPT), and so it is if
 * the bytes hold too many false record starts to search cheaply; otherwise
 * the rest is a torn tail, described in *tail. */
enum grite_store_status store_log_scan(const uint8_t *bytes, size_t len, uint64_t base,
                                       const char *path, log_record_fn fn, void *ctx,
                                       struct log_tail *tail, struct grite_store_error *err);
/* Checks the first `len` bytes (the whole file when shorter than a header).
 * *torn_header is set when the file is a strict prefix of a header: what
 * a crash during creation would leave. */
enum grite_store_status store_log_check_header(const uint8_t *bytes, size_t len, const char *path,
                                               bool *torn_header, struct grite_store_error *err);
/* Opens `log_path` read-write and checks its header, creating the log when
 * it is missing, or when a crash during its creation left a strict prefix
 * of a header (then *recreated is set and *dropped says how many bytes
 * that prefix had). On error *fd may still be open (or -1). */
enum grite_store_status store_log_open(const char *dir, const char *log_path, int *fd,
                                       bool *recreated, uint64_t *dropped,
                                       struct grite_store_error *err);
/* Appends one framed record for `payload` to `out`. */
bool store_log_frame(struct buf *out, const uint8_t *payload, size_t len);
/* Writes `bytes` at `offset` and fsyncs; on failure truncates back to
 * `offset` (best effort) so no partial record is left behind. */
enum grite_store_status store_log_append(int fd, const char *path, uint64_t offset,
                                         const uint8_t *bytes, size_t len,
                                         struct grite_store_error *err);
/* Cuts the file to `size` and fsyncs. */
enum grite_store_status store_log_truncate(int fd, const char *path, uint64_t size,
                                           struct grite_store_error *err);
/* Reads [from, to) into a new buffer (caller frees). */
enum grite_store_status store_log_read(int fd, const char *path, uint64_t from, uint64_t to,
                                       uint8_t **out, struct grite_store_error *err);
/* fstat size of fd; anything but a regular file is GRITE_STORE_IO_ERROR
 * (EINVAL). */
enum grite_store_status store_log_size(int fd, const char *path, uint64_t *size,
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
    /* labels, assignees and comments are sorted up to here; what follows
     * was appended by the batch being applied (store_index_settle) */
    size_t labels_sorted, assignees_sorted, comments_sorted;
    bool unsettled;                     /* on the index's unsettled list */
    struct store_issue *next_unsettled;
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
    struct store_issue *unsettled; /* issues with entries to sort in */
};

enum apply_result {
    APPLY_DONE,          /* applied */
    APPLY_DUPLICATE,     /* that event id was applied before: nothing done */
    APPLY_UNKNOWN_ISSUE, /* refers to an issue the index does not have */
    APPLY_NOMEM,         /* out of memory: the index may be half-updated */
};

bool store_index_init(struct index *ix); /* false: no randomness for the seeds */
void store_index_free(struct index *ix);
struct store_issue *store_index_find(const struct index *ix, const uint8_t id[ID_BYTES]);
bool store_index_has_event(const struct index *ix, const uint8_t event_id[ID_BYTES]);
/* Applies an event by the merge rules (docs/STORE.md). New labels,
 * assignees and comments are only appended: after a batch of events, and
 * before anything reads the index, call store_index_settle. */
enum apply_result store_index_apply(struct index *ix, const struct event *ev);
/* Sorts what the last batch appended into each issue's labels, assignees
 * and comments: O(t log t + moved) for t new entries. false: out of memory
 * (the index is then unusable until rebuilt). */
bool store_index_settle(struct index *ix);
/* Makes ix->order current (never allocates: order grows with issues). */
void store_index_sort_order(struct index *ix);
/* A digest of the index's content (not of its history), for comparing
 * two indexes; issues are taken in issue_id order. false: out of memory. */
bool store_index_digest(const struct index *ix, uint64_t *digest);
/* Checks the index's own invariants; NULL or what is wrong. */
const char *store_index_self_check(const struct index *ix);

/* ---- store_query.c ---- */

/* Fills page from ix in the list order; `scratch` holds the page's
 * pointers (grown as needed). */
enum grite_store_status store_query_list(struct index *ix, const struct grite_issue_filter *filter,
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

#endif /* GRITE_DAEMON_STORE_INTERNAL_H */
