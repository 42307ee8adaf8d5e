/*
 * grite/buf.h - a byte buffer that builders write messages into.
 *
 * Two kinds:
 *  - fixed: memory the caller owns (e.g. on the stack); running out of room
 *    is reported as GRITE_BUILD_NO_ROOM, never an overrun;
 *  - growable: heap memory the buffer owns, doubled as needed and kept
 *    between messages, so a warmed-up buffer allocates nothing per message.
 * Either way `data` is 8-aligned, as the archived format requires.
 */
#ifndef GRITE_BUF_H
#define GRITE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grite_buf {
    uint8_t *data;   /* 8-aligned */
    size_t len;      /* bytes written so far */
    size_t cap;      /* bytes available at data */
    size_t max;      /* growable: never grow beyond this many bytes */
    bool growable;   /* data is ours to realloc/free */
} grite_buf;

/* Status codes of builders and buffer operations (0 is success). */
enum {
    GRITE_BUILD_OK = 0,
    GRITE_BUILD_NO_ROOM = -1,     /* fixed buffer full, or growable at max */
    GRITE_BUILD_NO_MEMORY = -2,   /* malloc/realloc failed */
    GRITE_BUILD_TOO_LARGE = -3,   /* a length or offset does not fit in u32 */
    GRITE_BUILD_BAD_UTF8 = -4,    /* a string given to a builder is not UTF-8 */
    GRITE_BUILD_BAD_TAG = -5,     /* a union/enum value given to a builder is not declared */
    GRITE_BUILD_BAD_ALIGN = -6    /* fixed memory not 8-aligned */
};

/* A short text for a GRITE_BUILD_* code. */
const char *grite_build_strerror(int status);

/* Use caller-owned memory. mem must be 8-aligned (else GRITE_BUILD_BAD_ALIGN). */
int grite_buf_init_fixed(grite_buf *b, void *mem, size_t cap);

/* An owned, growable buffer: starts with `initial` bytes (may be 0) and
 * never grows beyond `max` bytes (0: 4 GiB, the format's limit). */
int grite_buf_init_growable(grite_buf *b, size_t initial, size_t max);

/* Free an owned buffer's memory (no-op for fixed buffers). */
void grite_buf_free(grite_buf *b);

/* Forget the contents, keep the memory. */
static inline void grite_buf_reset(grite_buf *b) { b->len = 0; }

/* Zero-pad to `align` (a power of two), then append `size` zero bytes;
 * *off receives their offset. The only way builders take room. */
int grite_buf_reserve(grite_buf *b, size_t size, size_t align, size_t *off);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_BUF_H */
