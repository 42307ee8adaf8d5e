/* stores.c - the per-actor store handles (stores.h). */
#include "stores.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

enum grite_store_status store_pool_open(struct store_pool *p, const char *dir, const char *primary_actor,
                                        struct grite_store_error *err)
{
    memset(p, 0, sizeof *p);
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    struct store_slot *s = &p->slots[0];
    enum grite_store_status st = grite_store_open(dir, primary_actor, NULL, &s->store, err);
    if (st != GRITE_STORE_OK) return st;
    snprintf(s->actor, sizeof s->actor, "%s", primary_actor);
    p->count = 1;
    return GRITE_STORE_OK;
}

grite_store *store_pool_primary(const struct store_pool *p)
{
    return p->count > 0 ? p->slots[0].store : NULL;
}

static struct store_slot *find(struct store_pool *p, const char *actor)
{
    for (int i = 0; i < p->count; i++)
        if (strcmp(p->slots[i].actor, actor) == 0) return &p->slots[i];
    return NULL;
}

/* A free slot, or the least recently used one after closing it; never
 * slot 0, the primary actor's. */
static struct store_slot *free_slot(struct store_pool *p)
{
    if (p->count < STORE_POOL_MAX) return &p->slots[p->count++];
    struct store_slot *victim = &p->slots[1];
    for (int i = 2; i < p->count; i++)
        if (p->slots[i].last_used < victim->last_used) victim = &p->slots[i];
    grite_store_close(victim->store);
    memset(victim, 0, sizeof *victim);
    return victim;
}

grite_store *store_pool_get(struct store_pool *p, const char *actor, struct grite_store_error *err)
{
    struct store_slot *s = find(p, actor);
    if (!s) {
        grite_store *opened;
        if (grite_store_open(p->dir, actor, NULL, &opened, err) != GRITE_STORE_OK) return NULL;
        s = free_slot(p);
        s->store = opened;
        snprintf(s->actor, sizeof s->actor, "%s", actor);
    }
    s->last_used = ++p->uses;
    return s->store;
}

void store_pool_log_warnings(struct store_pool *p)
{
    struct grite_store_warning w;
    for (int i = 0; i < p->count; i++)
        while (grite_store_take_warning(p->slots[i].store, &w)) log_warn("store recovered: %s", w.message);
}

void store_pool_close(struct store_pool *p)
{
    for (int i = 0; i < p->count; i++) grite_store_close(p->slots[i].store);
    memset(p->slots, 0, sizeof p->slots);
    p->count = 0;
}
