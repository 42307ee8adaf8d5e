/* store_buf.c - a growable byte buffer and little-endian loads/stores,
 * for encoding events and batching records before one write. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Room for `extra` more bytes; false when out of memory. */
static bool reserve(struct buf *b, size_t extra)
{
    if (extra <= b->cap - b->len)
        return true;
    if (extra > SIZE_MAX / 2 - b->len)
        return false;
    size_t want = b->len + extra;
    size_t cap = b->cap != 0 ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    uint8_t *data = realloc(b->data, cap);
    if (data == NULL)
        return false;
    b->data = data;
    b->cap = cap;
    return true;
}

bool store_buf_put(struct buf *b, const void *bytes, size_t n)
{
    if (!reserve(b, n))
        return false;
    if (n != 0)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    return true;
}

bool store_buf_put_u8(struct buf *b, uint8_t v)
{
    return store_buf_put(b, &v, 1);
}

bool store_buf_put_u32(struct buf *b, uint32_t v)
{
    uint8_t le[4];
    store_save_u32(le, v);
    return store_buf_put(b, le, sizeof le);
}

bool store_buf_put_u64(struct buf *b, uint64_t v)
{
    uint8_t le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    return store_buf_put(b, le, sizeof le);
}

void store_buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint32_t store_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t store_load_u64(const uint8_t *p)
{
    return (uint64_t)store_load_u32(p) | (uint64_t)store_load_u32(p + 4) << 32;
}

void store_save_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
