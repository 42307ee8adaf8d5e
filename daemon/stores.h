/* stores.h - one store handle per actor, for the daemon's one store.
 *
 * A store handle writes every event as the actor it was opened for
 * (daemon/store.h), and a request acts for the actor named in it. So the
 * daemon keeps a handle for the data dir's own actor (opened at startup,
 * never evicted) and opens others on demand, keeping at most
 * STORE_POOL_MAX and closing the least recently used. Handles on the same
 * directory see each other's writes (the store re-reads its log), so
 * every handle serves the same issues.
 */
#ifndef GRITE_DAEMON_STORES_H
#define GRITE_DAEMON_STORES_H

#include <stdbool.h>
#include <stdint.h>

#include "paths.h"
#include "store.h"

#define STORE_POOL_MAX 8

struct store_slot {
    char actor[GRITE_ID_HEX_LEN + 1];
    grite_store *store;
    uint64_t last_used;   /* the pool's use counter, for LRU */
};

struct store_pool {
    char dir[GRITE_PATH_MAX];
    struct store_slot slots[STORE_POOL_MAX];   /* slots[0]: the primary actor */
    int count;
    uint64_t uses;
};

/* Open the store in `dir` for `primary_actor`. On failure the pool is
 * empty (and may be closed) and err says why. */
enum grite_store_status store_pool_open(struct store_pool *p, const char *dir, const char *primary_actor,
                                        struct grite_store_error *err);

/* The handle of `actor` (32 lowercase hex, checked by the caller), opened
 * if needed. NULL on failure, with err filled. */
grite_store *store_pool_get(struct store_pool *p, const char *actor, struct grite_store_error *err);

/* The data dir's own actor's handle (for Doctor and for logging). */
grite_store *store_pool_primary(const struct store_pool *p);

/* Log every pending recovery warning of every handle. */
void store_pool_log_warnings(struct store_pool *p);

/* Close every handle. */
void store_pool_close(struct store_pool *p);

#endif
