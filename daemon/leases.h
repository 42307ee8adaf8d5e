/* leases.h - the daemon's named leases (LockAcquire / LockRelease).
 *
 * A lease gives one actor a named resource until a deadline. The table is
 * in memory only: leases are advisory coordination between live clients,
 * and a restarted daemon starts with none (docs/DAEMON.md). Times are Unix
 * milliseconds, passed in by the caller so tests can pin the clock.
 *
 * Rules:
 *   - acquire on a free or expired resource: the caller gets it until
 *     now + ttl_ms;
 *   - acquire by the current owner: renewed, now until now + ttl_ms;
 *   - acquire by anyone else while it is held: LEASE_CONFLICT, with the
 *     holder and its deadline;
 *   - release by the owner: freed; by anyone else: LEASE_CONFLICT; of a
 *     free or expired resource: LEASE_NOT_FOUND.
 */
#ifndef GRITE_DAEMON_LEASES_H
#define GRITE_DAEMON_LEASES_H

#include <stddef.h>
#include <stdint.h>

#define LEASE_OWNER_MAX 32          /* an actor id: 32 lowercase hex */
#define LEASE_RESOURCE_MAX 256      /* bytes */
#define LEASE_TTL_MAX_MS 86400000u  /* one day */
#define LEASE_TABLE_MAX 10000       /* leases held at once */

enum lease_result {
    LEASE_OK = 0,
    LEASE_CONFLICT,    /* another actor holds it (see *holder) */
    LEASE_NOT_FOUND,   /* release: nobody holds it */
    LEASE_FULL,        /* acquire: LEASE_TABLE_MAX leases are held */
    LEASE_NO_MEMORY
};

/* A lease as it is now: who holds it until when. */
struct lease_state {
    char owner[LEASE_OWNER_MAX + 1];   /* "" when free */
    uint64_t expires_ms;               /* 0 when free */
};

struct lease {
    char *resource;
    struct lease_state state;
};

struct lease_table {
    struct lease *items;
    size_t len, cap;
};

/* An empty table (a zeroed struct is one too). */
void lease_table_init(struct lease_table *t);

/* Free every lease. */
void lease_table_free(struct lease_table *t);

/* Take or renew `resource` for `owner` until now_ms + ttl_ms. On LEASE_OK
 * *state is the lease now held; on LEASE_CONFLICT it is the other holder's.
 * The caller has checked the arguments (lengths, ttl_ms in 1..LEASE_TTL_MAX_MS). */
enum lease_result lease_acquire(struct lease_table *t, const char *resource, const char *owner,
                                uint64_t ttl_ms, uint64_t now_ms, struct lease_state *state);

/* Give up `resource`. LEASE_OK: it is free now (*state says so);
 * LEASE_CONFLICT: someone else holds it (*state: who); LEASE_NOT_FOUND:
 * nobody holds it (or the lease had expired). */
enum lease_result lease_release(struct lease_table *t, const char *resource, const char *owner,
                                uint64_t now_ms, struct lease_state *state);

/* Drop expired leases; returns how many there were. */
size_t lease_expire(struct lease_table *t, uint64_t now_ms);

/* Leases held (not yet expired) at now_ms. */
size_t lease_count(const struct lease_table *t, uint64_t now_ms);

#endif
