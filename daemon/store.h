/* store.h - the grite daemon's persistent issue store.
 *
 * A store is a directory holding an append-only event log (events.log)
 * and a lock file (store.lock). Every change to an issue is an event;
 * opening a store replays the log into an in-memory index, so list and
 * show are answered from memory. A write returns only once its event is
 * on disk (written and fsync'ed), so an acknowledged write survives a
 * crash. docs/STORE.md describes the file format and the merge rules.
 *
 * Several handles, in one process or several, may open the same store:
 * each write takes an exclusive flock on store.lock, and every call
 * first picks up events other handles appended (a cheap fstat when
 * nothing changed). Reads take no lock, so list and show never wait for
 * another writer's fsync. One handle must not be used by two threads at
 * once. Never replace or edit events.log while a store is open.
 *
 * Memory: the store owns everything it returns. A returned pointer
 * (issue, page, event info) stays valid until the next call on the same
 * handle, except the accessors marked "does not invalidate".
 *
 * Errors: every fallible function returns a grite_store_status and, when
 * `err` is not NULL, fills it with the code, errno, path and a one-line
 * message for a person.
 */
#ifndef GRITE_DAEMON_STORE_H
#define GRITE_DAEMON_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits (checked on every write and on every record read back) ---- */

/** Length of an issue, comment, event or actor id: lowercase hex. */
#define GRITE_ID_HEX_LEN 32
/** Longest title, in bytes (UTF-8). Titles must not be empty or blank. */
#define GRITE_TITLE_MAX 1024
/** Longest issue body or comment body, in bytes (UTF-8). */
#define GRITE_BODY_MAX (256 * 1024)
/** Longest label, in bytes (UTF-8). */
#define GRITE_LABEL_MAX 128
/** Most labels given to one IssueCreate. */
#define GRITE_LABELS_MAX 64

/* ---- errors ------------------------------------------------------------ */

/** Outcome of a store call. The values of the first five match the
 * ErrorCode enum of idl/grite.idl; GRITE_STORE_CORRUPT is reported to
 * clients as io_error (the bytes on disk are bad). */
enum grite_store_status {
    GRITE_STORE_OK = 0,
    GRITE_STORE_INVALID_ARGS = 1, /**< bad id, empty title, bad UTF-8, ... */
    GRITE_STORE_NOT_FOUND = 2,    /**< no such issue, or no such remote */
    GRITE_STORE_BUSY = 4,         /**< a store lock stayed taken past the timeout */
    GRITE_STORE_IO_ERROR = 5,     /**< a system call failed: see sys_errno, path */
    GRITE_STORE_INTERNAL = 7,     /**< out of memory */
    GRITE_STORE_CORRUPT = 8,      /**< a log is damaged where it cannot be repaired */
};

/** Longest message in a grite_store_error or grite_store_warning. */
#define GRITE_STORE_MSG_MAX 512
/** Longest path the store reports (longer ones are cut). */
#define GRITE_STORE_PATH_MAX 4096

/** What went wrong. Filled by every fallible call when non-NULL. */
struct grite_store_error {
    enum grite_store_status code;
    /** errno of the failed system call (GRITE_STORE_IO_ERROR), else 0. */
    int sys_errno;
    /** The file or directory involved, or "". */
    char path[GRITE_STORE_PATH_MAX];
    /** For GRITE_STORE_CORRUPT: file offset of the damaged record. */
    uint64_t offset;
    /** One line for a person; names the path, offset and cause. */
    char message[GRITE_STORE_MSG_MAX];
};

/** The stable name of a status ("ok", "invalid_args", "not_found", "db_busy",
 * "io_error", "internal_error", "corrupt"); never NULL. */
const char *grite_store_status_name(enum grite_store_status status);

/** A recovery the store made on its own: a torn or damaged tail (the
 * remains of a write that never completed) was cut off a log. Nothing
 * acknowledged is lost by this, but the daemon should log it. */
struct grite_store_warning {
    /** The log that was repaired. */
    char path[GRITE_STORE_PATH_MAX];
    /** Where the dropped bytes started, and how many were dropped. */
    uint64_t offset;
    uint64_t dropped_bytes;
    /** One line for a person: what was dropped, where and why. */
    char message[GRITE_STORE_MSG_MAX];
};

/* ---- data model ---------------------------------------------------------- */

/** Whether an issue is open or closed (values as IssueState in grite.idl). */
enum grite_issue_state {
    GRITE_ISSUE_OPEN = 0,
    GRITE_ISSUE_CLOSED = 1,
};

/** A comment. comment_id is the id of the event that added it. */
struct grite_comment {
    char comment_id[GRITE_ID_HEX_LEN + 1];
    char author[GRITE_ID_HEX_LEN + 1]; /**< the actor who wrote it */
    char *body;
    uint64_t created_ts; /**< Unix milliseconds */
};

/** An issue, as the store holds it. Read-only for callers: always handed
 * out as a const pointer into the store's index. */
struct grite_issue {
    char issue_id[GRITE_ID_HEX_LEN + 1];
    char *title;
    char *body;
    enum grite_issue_state state;
    char author[GRITE_ID_HEX_LEN + 1]; /**< the actor who created it */
    char **labels;                     /**< sorted by strcmp, no duplicates */
    size_t label_count;
    char **assignees; /**< actor ids, sorted, no duplicates */
    size_t assignee_count;
    /** Oldest first: ordered by (created_ts, author, comment_id). */
    struct grite_comment *comments;
    size_t comment_count;
    uint64_t created_ts;
    uint64_t updated_ts; /**< the newest event applied to the issue */
};

/** Which issues grite_store_list returns (IssueFilter in grite.idl). */
struct grite_issue_filter {
    bool has_state;                /**< false: any state */
    enum grite_issue_state state;
    const char *label;             /**< NULL: any labels */
    bool has_limit;                /**< false: no limit */
    uint32_t limit;
    uint32_t offset;               /**< issues to skip first (0 if absent) */
};

/** One page of grite_store_list, in the list order: updated_ts
 * descending, then issue_id ascending. */
struct grite_issue_page {
    const struct grite_issue *const *issues;
    size_t count;   /**< issues on this page */
    uint64_t total; /**< issues matching the filter, ignoring limit/offset */
};

/** Where an applied event came from. */
enum grite_event_origin {
    GRITE_EVENT_LOCAL = 0,    /**< written through this handle */
    GRITE_EVENT_PULLED = 1,   /**< merged in by grite_sync_pull */
    GRITE_EVENT_EXTERNAL = 2, /**< appended by another handle or process */
};

/** An event just applied to the index (for the EventApplied notification). */
struct grite_event_info {
    char event_id[GRITE_ID_HEX_LEN + 1];
    char issue_id[GRITE_ID_HEX_LEN + 1];
    char actor_id[GRITE_ID_HEX_LEN + 1];
    /** "issue_created", "issue_updated", "issue_closed", "issue_reopened",
     * "comment_added", "label_added" or "assignee_added". */
    const char *kind;
    uint64_t ts;
    enum grite_event_origin origin;
};

/** Optional settings for grite_store_open; a NULL pointer or a zeroed
 * struct gives the defaults. */
struct grite_store_options {
    /** Current time in Unix ms; NULL: CLOCK_REALTIME. Tests pin it. */
    uint64_t (*clock_ms)(void *ctx);
    void *clock_ctx;
    /** Called for every event applied after open (written here, pulled, or
     * picked up from another writer), after it is on disk. NULL: none.
     * It must not call back into the store. */
    void (*on_event)(void *ctx, const struct grite_event_info *event);
    void *event_ctx;
    /** How long to wait for a store lock (local or remote) before
     * GRITE_STORE_BUSY; 0: 5000 ms. */
    unsigned lock_timeout_ms;
};

/** An open store. */
typedef struct grite_store grite_store;

/* ---- lifecycle ----------------------------------------------------------- */

/** Opens (creating if needed) the store in `data_dir` for `actor_id` (32
 * lowercase hex: the author of every event written through this handle).
 * `data_dir` itself is created if missing (its parent must exist). The log
 * is replayed into memory; a torn tail is cut off and reported through
 * grite_store_take_warning; damage followed by good records fails with
 * GRITE_STORE_CORRUPT (err->offset says where) and leaves the file alone.
 * `opts` may be NULL. On success *out is the handle (free it with
 * grite_store_close). */
enum grite_store_status grite_store_open(const char *data_dir, const char *actor_id,
                                         const struct grite_store_options *opts,
                                         grite_store **out, struct grite_store_error *err);

/** Closes the handle and frees everything it returned. NULL is allowed. */
void grite_store_close(grite_store *store);

/** Pops the oldest pending recovery warning into *out; returns false when
 * there is none. The store keeps the 8 oldest not yet taken (later ones
 * are counted in the last message). Does not invalidate results. */
bool grite_store_take_warning(grite_store *store, struct grite_store_warning *out);

/** The data directory and actor the store was opened with. Do not invalidate. */
const char *grite_store_data_dir(const grite_store *store);
const char *grite_store_actor(const grite_store *store);

/* ---- issue operations ------------------------------------------------------ */

/** What grite_store_issue_create returns (IssueCreateResult). */
struct grite_created {
    char issue_id[GRITE_ID_HEX_LEN + 1];
    uint64_t created_ts;
};

/** Creates an open issue with a fresh random id. `title` must be valid
 * UTF-8, not blank, without control characters, at most GRITE_TITLE_MAX
 * bytes; `body` (may be "") valid UTF-8 without control characters other
 * than tab, CR and LF, at most GRITE_BODY_MAX bytes; `labels` (up to
 * GRITE_LABELS_MAX; duplicates are folded) like titles, at most
 * GRITE_LABEL_MAX bytes and without leading or trailing spaces. */
enum grite_store_status grite_store_issue_create(grite_store *store, const char *title,
                                                 const char *body,
                                                 const char *const *labels, size_t label_count,
                                                 struct grite_created *out,
                                                 struct grite_store_error *err);

/** Finds one issue; *out stays valid until the next call on the handle.
 * GRITE_STORE_INVALID_ARGS for a malformed id, GRITE_STORE_NOT_FOUND if
 * there is no such issue. */
enum grite_store_status grite_store_issue_show(grite_store *store, const char *issue_id,
                                               const struct grite_issue **out,
                                               struct grite_store_error *err);

/** Lists the issues matching `filter` (NULL: all), in the list order
 * (updated_ts descending, then issue_id ascending). page->issues stays
 * valid until the next call on the handle. A label that could never be
 * valid is GRITE_STORE_INVALID_ARGS. */
enum grite_store_status grite_store_list(grite_store *store,
                                         const struct grite_issue_filter *filter,
                                         struct grite_issue_page *page,
                                         struct grite_store_error *err);

/** Sets the title and/or the body; NULL leaves a field as it is, but at
 * least one must be given. *updated_ts (may be NULL) gets the issue's new
 * updated_ts. Setting a field to its current value still records an edit. */
enum grite_store_status grite_store_issue_update(grite_store *store, const char *issue_id,
                                                 const char *title, const char *body,
                                                 uint64_t *updated_ts,
                                                 struct grite_store_error *err);

/** What closing or reopening returns (IssueStateResult). */
struct grite_state_result {
    enum grite_issue_state state; /**< the state the issue is in now */
    uint64_t updated_ts;
    bool changed; /**< false: it already was in that state; nothing written */
};

/** Closes an issue. Closing a closed issue writes nothing and succeeds. */
enum grite_store_status grite_store_issue_close(grite_store *store, const char *issue_id,
                                                struct grite_state_result *out,
                                                struct grite_store_error *err);

/** Reopens an issue. Reopening an open issue writes nothing and succeeds. */
enum grite_store_status grite_store_issue_reopen(grite_store *store, const char *issue_id,
                                                 struct grite_state_result *out,
                                                 struct grite_store_error *err);

/** What grite_store_issue_comment returns (CommentResult). */
struct grite_commented {
    char comment_id[GRITE_ID_HEX_LEN + 1];
    uint64_t created_ts;
};

/** Adds a comment; `body` as an issue body but not empty or blank. */
enum grite_store_status grite_store_issue_comment(grite_store *store, const char *issue_id,
                                                  const char *body,
                                                  struct grite_commented *out,
                                                  struct grite_store_error *err);

/** Adds a label (rules as for create). Adding a label the issue already has
 * writes nothing. *updated_ts (may be NULL) as for update. */
enum grite_store_status grite_store_issue_add_label(grite_store *store, const char *issue_id,
                                                    const char *label, uint64_t *updated_ts,
                                                    struct grite_store_error *err);

/** Adds an assignee (an actor id, 32 lowercase hex). Adding one already
 * assigned writes nothing. */
enum grite_store_status grite_store_issue_assign(grite_store *store, const char *issue_id,
                                                 const char *actor_id, uint64_t *updated_ts,
                                                 struct grite_store_error *err);

/** Whether the event with this id (32 lowercase hex) has been applied.
 * Does not read the disk and does not invalidate results. */
bool grite_store_has_event(const grite_store *store, const char *event_id);

/* ---- integrity ------------------------------------------------------------ */

/** How an integrity check went (values as CheckStatus in grite.idl). */
enum grite_check_status {
    GRITE_CHECK_OK = 0,
    GRITE_CHECK_WARN = 1,
    GRITE_CHECK_FAIL = 2,
};

/** What grite_store_check found. */
struct grite_store_check {
    enum grite_check_status status;
    uint64_t records;  /**< complete records with a good checksum */
    uint64_t issues;   /**< issues rebuilt from the log */
    uint64_t comments; /**< comments rebuilt from the log */
    uint64_t log_bytes;
    /** One line for Doctor, e.g. "events.log: 42 records, 7 issues, 12
     * comments, every checksum good; the index matches the log". */
    char message[GRITE_STORE_MSG_MAX];
};

/** Re-reads the whole log from disk, verifies the header and every
 * record's checksum and contents, rebuilds an index from it and compares
 * that with the handle's index (and checks the index's own invariants).
 * FAIL: damage or a mismatch; WARN: a torn tail left by a crashed writer
 * (the next write cuts it off). Fills *out and returns GRITE_STORE_OK
 * whenever the check ran, even if it found problems; an error only when
 * it could not run (e.g. the log cannot be read). */
enum grite_store_status grite_store_check(grite_store *store, struct grite_store_check *out,
                                          struct grite_store_error *err);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_DAEMON_STORE_H */
