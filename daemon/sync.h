/* sync.h - exchanging events with a remote store (SyncPull, SyncPush).
 *
 * A remote is another store directory (e.g. a clone's data dir or a
 * shared folder). Pull appends to our log every event of the remote's
 * log we do not have; push appends to the remote's log every event of
 * ours it does not have. Events are identified by event_id, so syncing
 * twice changes nothing, and the index merge is order-independent:
 * title, body and state are last-writer-wins by (timestamp, actor id,
 * event id); labels, assignees and comments are unions. Two stores that
 * pulled from and pushed to each other hold the same issues.
 *
 * The remote's log is untrusted input: every record is checked like our
 * own. Pull reads it under a shared flock on the remote's store.lock;
 * push writes it under an exclusive one, so concurrent pushers and the
 * remote's own writers never interleave records.
 */
#ifndef GRITE_DAEMON_SYNC_H
#define GRITE_DAEMON_SYNC_H

#include <stdint.h>

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Counts for the SyncResult reply of grite.idl. */
struct grite_sync_result {
    /** Issues that received at least one event from the remote (pull). */
    uint32_t issues_pulled;
    /** Issues of which at least one event was sent to the remote (push). */
    uint32_t issues_pushed;
    /** Comments added to the receiving side. */
    uint32_t comments_merged;
    /** Events appended to the receiving side's log. */
    uint64_t events_transferred;
};

/** Merges into `store` every event of the store in directory `remote` that
 * it does not have yet. A remote directory without a log counts as empty;
 * a missing directory is GRITE_STORE_NOT_FOUND; the store's own directory
 * is GRITE_STORE_INVALID_ARGS; a damaged remote log is GRITE_STORE_CORRUPT
 * (nothing is merged). A torn tail on the remote is ignored (pull never
 * writes to the remote). Fills *out (may be NULL) on success. */
enum grite_store_status grite_sync_pull(grite_store *store, const char *remote,
                                        struct grite_sync_result *out,
                                        struct grite_store_error *err);

/** Appends to the store in directory `remote` every event of `store` that
 * it does not have yet, creating the remote's log if the directory has
 * none (the directory itself must exist). A torn tail on the remote's log
 * is cut off first (reported through grite_store_take_warning on
 * `store`); a damaged remote log is GRITE_STORE_CORRUPT and left alone.
 * Fills *out (may be NULL) on success. */
enum grite_store_status grite_sync_push(grite_store *store, const char *remote,
                                        struct grite_sync_result *out,
                                        struct grite_store_error *err);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_DAEMON_SYNC_H */
