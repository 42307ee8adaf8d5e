/* handlers_locks.c - LockAcquire / LockRelease: named leases owned by the
 * requesting actor (leases.h has the rules). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "leases.h"

/* A resource name: 1..LEASE_RESOURCE_MAX bytes, no control characters
 * (it ends up in messages and logs). On false the error reply is built. */
static bool resource_ok(struct call *c, grite_str r, int *reply)
{
    const char *why = NULL;
    if (r.len == 0) why = "is empty";
    else if (r.len > LEASE_RESOURCE_MAX) why = "is longer than 256 bytes";
    for (size_t i = 0; !why && i < r.len; i++)
        if ((unsigned char)r.ptr[i] < 0x20 || r.ptr[i] == 0x7f) why = "contains a control character";
    if (!why) return true;
    *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL, "resource name %s", why);
    return false;
}

static bool owner_ok(struct call *c, int *reply)
{
    if (c->actor[0]) return true;
    *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                         "actor_id is required: a lease is owned by the actor that takes it");
    return false;
}

/* "2026-11-26T20:58:57.123Z" */
static void format_ts(uint64_t ms, char *out, size_t n)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t len = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + len, n - len, ".%03uZ", (unsigned)(ms % 1000));
}

static int reply_held_by_other(struct call *c, grite_str resource, const struct lease_state *holder,
                               uint64_t now_ms, const char *verb)
{
    char when[64];
    format_ts(holder->expires_ms, when, sizeof when);
    char details[128];
    snprintf(details, sizeof details, "owner=%s expires_ts=%llu", holder->owner,
             (unsigned long long)holder->expires_ms);
    return reply_error(c, GRITE_ERROR_CODE_CONFLICT, details,
                       "cannot %s \"%s\": it is held by actor %s until %s (%llu ms from now)", verb, resource.ptr,
                       holder->owner, when, (unsigned long long)(holder->expires_ms - now_ms));
}

static int reply_lease(struct call *c, grite_str resource, const struct lease_state *state, bool held)
{
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_LOCK_RESULT,
        .v.LockResult = {.resource = resource,
                         .owner = grite_str_from_cstr(state->owner),
                         .held = held,
                         .expires_ts = state->expires_ms},
    };
    return reply_ok(c, &r);
}

int handle_lock_acquire(struct call *c, const grite_IpcCommand_LockAcquire *cmd)
{
    grite_str resource = grite_IpcCommand_LockAcquire_resource(cmd);
    uint64_t ttl_ms = grite_IpcCommand_LockAcquire_ttl_ms(cmd);
    int reply;
    if (!owner_ok(c, &reply) || !resource_ok(c, resource, &reply)) return reply;
    if (ttl_ms == 0 || ttl_ms > LEASE_TTL_MAX_MS)
        return reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL, "ttl_ms must be 1..%u (one day), not %llu",
                           LEASE_TTL_MAX_MS, (unsigned long long)ttl_ms);
    uint64_t now = daemon_now_ms();
    struct lease_state state;
    switch (lease_acquire(&c->d->leases, resource.ptr, c->actor, ttl_ms, now, &state)) {
    case LEASE_OK: return reply_lease(c, resource, &state, true);
    case LEASE_CONFLICT: return reply_held_by_other(c, resource, &state, now, "acquire");
    case LEASE_FULL:
        return reply_error(c, GRITE_ERROR_CODE_DB_BUSY, NULL, "%d leases are held already; try again later",
                           LEASE_TABLE_MAX);
    case LEASE_NOT_FOUND:
    case LEASE_NO_MEMORY: break;
    }
    return reply_error(c, GRITE_ERROR_CODE_INTERNAL_ERROR, NULL, "the daemon is out of memory");
}

int handle_lock_release(struct call *c, const grite_IpcCommand_LockRelease *cmd)
{
    grite_str resource = grite_IpcCommand_LockRelease_resource(cmd);
    int reply;
    if (!owner_ok(c, &reply) || !resource_ok(c, resource, &reply)) return reply;
    uint64_t now = daemon_now_ms();
    struct lease_state state;
    switch (lease_release(&c->d->leases, resource.ptr, c->actor, now, &state)) {
    case LEASE_OK: return reply_lease(c, resource, &state, false);
    case LEASE_CONFLICT: return reply_held_by_other(c, resource, &state, now, "release");
    case LEASE_NOT_FOUND:
        return reply_error(c, GRITE_ERROR_CODE_NOT_FOUND, NULL,
                           "\"%s\" is not held by anyone (never acquired, released, or its lease expired)",
                           resource.ptr);
    case LEASE_FULL:
    case LEASE_NO_MEMORY: break;
    }
    return reply_error(c, GRITE_ERROR_CODE_INTERNAL_ERROR, NULL, "unexpected lease table result");
}
