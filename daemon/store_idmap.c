/* store_idmap.c - a hash map from 16-byte ids to u32, open addressing with
 * linear probing. Ids come from logs we do not trust, so the hash mixes in
 * a per-map random seed: a crafted log cannot line every id up on one
 * probe chain. Nothing is ever removed (events and issues are forever). */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

void store_idmap_init(struct idmap *m, uint64_t seed)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    m->seed = seed;
}

void store_idmap_free(struct idmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

/* The splitmix64 finalizer: every input bit affects every output bit. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static size_t slot_of(const struct idmap *m, const uint8_t key[ID_BYTES])
{
    uint64_t a, b;
    memcpy(&a, key, 8);
    memcpy(&b, key + 8, 8);
    uint64_t h = mix64(mix64(a ^ m->seed) ^ b);
    return (size_t)h & (m->cap - 1);
}

static struct idmap_slot *probe(const struct idmap *m, const uint8_t key[ID_BYTES])
{
    size_t i = slot_of(m, key);
    for (;;) {
        struct idmap_slot *slot = &m->slots[i];
        if (!slot->used || memcmp(slot->key, key, ID_BYTES) == 0)
            return slot;
        i = (i + 1) & (m->cap - 1);
    }
}

const uint32_t *store_idmap_get(const struct idmap *m, const uint8_t key[ID_BYTES])
{
    if (m->cap == 0)
        return NULL;
    const struct idmap_slot *slot = probe(m, key);
    return slot->used ? &slot->value : NULL;
}

/* Doubles the table (load stays at most one half, so probes stay short). */
static bool grow(struct idmap *m)
{
    size_t cap = m->cap != 0 ? m->cap * 2 : 64;
    struct idmap_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return false;
    struct idmap bigger = {slots, cap, 0, m->seed};
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].used) {
            *probe(&bigger, m->slots[i].key) = m->slots[i];
            bigger.count++;
        }
    }
    free(m->slots);
    *m = bigger;
    return true;
}

bool store_idmap_put(struct idmap *m, const uint8_t key[ID_BYTES], uint32_t value)
{
    if ((m->count + 1) * 2 > m->cap && !grow(m))
        return false;
    struct idmap_slot *slot = probe(m, key);
    if (!slot->used) {
        memcpy(slot->key, key, ID_BYTES);
        slot->used = 1;
        m->count++;
    }
    slot->value = value;
    return true;
}
