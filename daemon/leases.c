/* leases.c - the lease table (leases.h): a small array, searched linearly.
 *
 * Why an array: a daemon holds a handful of leases (one per resource a
 * CLI is working on), and expired ones are dropped on every change, so the
 * table stays short; LEASE_TABLE_MAX bounds the worst case. */
#include "leases.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void lease_table_init(struct lease_table *t)
{
    memset(t, 0, sizeof *t);
}

void lease_table_free(struct lease_table *t)
{
    for (size_t i = 0; i < t->len; i++) free(t->items[i].resource);
    free(t->items);
    lease_table_init(t);
}

static bool expired(const struct lease *l, uint64_t now_ms)
{
    return l->state.expires_ms <= now_ms;
}

static void remove_at(struct lease_table *t, size_t i)
{
    free(t->items[i].resource);
    t->items[i] = t->items[--t->len];
}

size_t lease_expire(struct lease_table *t, uint64_t now_ms)
{
    size_t dropped = 0;
    for (size_t i = t->len; i-- > 0;) {
        if (expired(&t->items[i], now_ms)) {
            remove_at(t, i);
            dropped++;
        }
    }
    return dropped;
}

size_t lease_count(const struct lease_table *t, uint64_t now_ms)
{
    size_t held = 0;
    for (size_t i = 0; i < t->len; i++) held += !expired(&t->items[i], now_ms);
    return held;
}

static struct lease *find(struct lease_table *t, const char *resource)
{
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(t->items[i].resource, resource) == 0) return &t->items[i];
    return NULL;
}

static void set_state(struct lease_state *s, const char *owner, uint64_t expires_ms)
{
    size_t n = strlen(owner);
    if (n > LEASE_OWNER_MAX) n = LEASE_OWNER_MAX;
    memcpy(s->owner, owner, n);
    s->owner[n] = '\0';
    s->expires_ms = expires_ms;
}

static struct lease *add(struct lease_table *t, const char *resource)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        struct lease *items = realloc(t->items, cap * sizeof *items);
        if (!items) return NULL;
        t->items = items;
        t->cap = cap;
    }
    char *copy = strdup(resource);
    if (!copy) return NULL;
    struct lease *l = &t->items[t->len++];
    memset(l, 0, sizeof *l);
    l->resource = copy;
    return l;
}

enum lease_result lease_acquire(struct lease_table *t, const char *resource, const char *owner,
                                uint64_t ttl_ms, uint64_t now_ms, struct lease_state *state)
{
    lease_expire(t, now_ms);
    struct lease *l = find(t, resource);
    if (l && strcmp(l->state.owner, owner) != 0) {
        *state = l->state;
        return LEASE_CONFLICT;
    }
    if (!l) {
        if (t->len >= LEASE_TABLE_MAX) return LEASE_FULL;
        l = add(t, resource);
        if (!l) return LEASE_NO_MEMORY;
    }
    set_state(&l->state, owner, now_ms + ttl_ms);
    *state = l->state;
    return LEASE_OK;
}

enum lease_result lease_release(struct lease_table *t, const char *resource, const char *owner,
                                uint64_t now_ms, struct lease_state *state)
{
    lease_expire(t, now_ms);
    memset(state, 0, sizeof *state);
    struct lease *l = find(t, resource);
    if (!l) return LEASE_NOT_FOUND;
    if (strcmp(l->state.owner, owner) != 0) {
        *state = l->state;
        return LEASE_CONFLICT;
    }
    remove_at(t, (size_t)(l - t->items));
    return LEASE_OK;
}
