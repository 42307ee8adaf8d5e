/*
 * buf.c - the builders' output buffer (see grite/buf.h).
 *
 * The inline fast path of reserving room is grite_b_reserve in
 * grite/archive.h; this file is its slow path (growing) and the rest of the
 * buffer's life cycle.
 */
#include "grite/buf.h"

#include <stdlib.h>
#include <string.h>

/* The format addresses at most 4 GiB (u32 offsets and sizes). */
#define GRITE_BUF_LIMIT ((size_t)UINT32_MAX + 1)

const char *grite_build_strerror(int status)
{
    switch (status) {
    case GRITE_BUILD_OK: return "ok";
    case GRITE_BUILD_NO_ROOM: return "no room left in the buffer";
    case GRITE_BUILD_NO_MEMORY: return "out of memory";
    case GRITE_BUILD_TOO_LARGE: return "a length or offset does not fit in 32 bits";
    case GRITE_BUILD_BAD_UTF8: return "a string is not valid UTF-8";
    case GRITE_BUILD_BAD_TAG: return "a union tag or enum value is not declared";
    case GRITE_BUILD_BAD_ALIGN: return "buffer memory is not 8-byte aligned";
    default: return "unknown build error";
    }
}

int grite_buf_init_fixed(grite_buf *b, void *mem, size_t cap)
{
    memset(b, 0, sizeof *b);
    if (((uintptr_t)mem & 7) != 0)
        return GRITE_BUILD_BAD_ALIGN;
    b->data = mem;
    b->cap = mem ? cap : 0;
    b->max = b->cap;
    return GRITE_BUILD_OK;
}

int grite_buf_init_growable(grite_buf *b, size_t initial, size_t max)
{
    memset(b, 0, sizeof *b);
    b->growable = true;
    b->max = max == 0 || max > GRITE_BUF_LIMIT ? GRITE_BUF_LIMIT : max;
    if (initial > b->max)
        initial = b->max;
    if (initial) {
        /* malloc's alignment (max_align_t) is at least 8 on every host we support. */
        b->data = malloc(initial);
        if (!b->data)
            return GRITE_BUILD_NO_MEMORY;
        b->cap = initial;
    }
    return GRITE_BUILD_OK;
}

void grite_buf_free(grite_buf *b)
{
    if (b->growable)
        free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Make room for `need` bytes in total: double the capacity up to max. */
static int grite_buf_grow(grite_buf *b, size_t need)
{
    if (!b->growable || need > b->max)
        return GRITE_BUILD_NO_ROOM;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > b->max / 2 ? b->max : cap * 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return GRITE_BUILD_NO_MEMORY;
    b->data = p;
    b->cap = cap;
    return GRITE_BUILD_OK;
}

int grite_buf_reserve(grite_buf *b, size_t size, size_t align, size_t *off)
{
    if (align == 0 || (align & (align - 1)) != 0 || align > 8)
        align = 8;
    size_t start = (b->len + align - 1) & ~(align - 1);
    if (start < b->len || size > SIZE_MAX - start)
        return GRITE_BUILD_TOO_LARGE;
    size_t end = start + size;
    if (end > b->cap) {
        int rc = grite_buf_grow(b, end);
        if (rc != GRITE_BUILD_OK)
            return rc;
    }
    memset(b->data + b->len, 0, end - b->len);
    b->len = end;
    *off = start;
    return GRITE_BUILD_OK;
}
