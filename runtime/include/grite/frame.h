/*
 * grite/frame.h - frames on a stream socket, and the receive buffer that
 * cuts a byte stream back into frames.
 *
 * A frame is a 4-byte big-endian length followed by that many bytes (one
 * archive, or a session hello; docs/FORMAT.md section 2).
 *
 * The receive buffer exists for three reasons:
 *  - it reads ahead: one read() takes whatever the kernel has, so a frame
 *    usually costs exactly one read(), and bytes of the next frame are kept;
 *  - it hands out every frame body at an 8-aligned address, so generated
 *    validators and accessors work on it in place, without a copy;
 *  - it checks an announced length against the maximum frame size as soon
 *    as the 4 header bytes are in, before anything is allocated for it, and
 *    then grows at most to twice what has actually arrived, so a peer that
 *    announces 16 MiB and sends nothing costs nothing.
 * It does no I/O itself: the client and the server read into the room
 * grite_frame_rx_space() gives them.
 */
#ifndef GRITE_FRAME_H
#define GRITE_FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GRITE_FRAME_HEADER_SIZE 4u
/* The default maximum frame body size, as in the Rust crate: 16 MiB. */
#define GRITE_FRAME_MAX_DEFAULT (16u * 1024u * 1024u)

/* Write the 4-byte big-endian header for a body of `len` bytes. */
static inline void grite_frame_put_header(uint8_t out[GRITE_FRAME_HEADER_SIZE], uint32_t len)
{
    out[0] = (uint8_t)(len >> 24);
    out[1] = (uint8_t)(len >> 16);
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
}

/* Read the body length announced by a 4-byte header. */
static inline uint32_t grite_frame_get_length(const uint8_t in[GRITE_FRAME_HEADER_SIZE])
{
    return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | (uint32_t)in[3];
}

/* Results of grite_frame_rx_frame(). */
typedef enum grite_frame_rx_result {
    GRITE_FRAME_RX_NEED_MORE = 0,   /* no complete frame yet: read more */
    GRITE_FRAME_RX_FRAME = 1,       /* a complete frame is available */
    GRITE_FRAME_RX_TOO_LARGE = -1   /* the next frame announces more than max_frame */
} grite_frame_rx_result;

typedef struct grite_frame_rx {
    uint8_t *data;       /* heap, 8-aligned */
    size_t cap;          /* bytes at data */
    size_t start;        /* first byte not consumed: a frame header */
    size_t end;          /* end of the bytes received */
    size_t frame_end;    /* end of the frame handed out (0: none) */
    size_t initial_cap;  /* what grite_frame_rx_shrink() returns to */
    size_t max_frame;    /* largest body accepted */
} grite_frame_rx;

/* Allocate `initial_cap` bytes (rounded up; at least 64) for frames of at
 * most `max_frame` body bytes (0: GRITE_FRAME_MAX_DEFAULT; at most
 * UINT32_MAX). Returns 0, or -1 if out of memory. */
int grite_frame_rx_init(grite_frame_rx *rx, size_t initial_cap, size_t max_frame);

/* Release the memory. The buffer may be initialised again. */
void grite_frame_rx_free(grite_frame_rx *rx);

/* Is a whole frame in? On GRITE_FRAME_RX_FRAME, *body points at its 8-aligned
 * body and *len is its length; they stay valid until the next
 * grite_frame_rx_consume/space/shrink. On GRITE_FRAME_RX_TOO_LARGE, *len is the
 * announced length (the stream cannot be resynchronised: drop it). */
grite_frame_rx_result grite_frame_rx_frame(grite_frame_rx *rx, const uint8_t **body, size_t *len);

/* Forget the frame grite_frame_rx_frame() handed out; later bytes are kept. */
void grite_frame_rx_consume(grite_frame_rx *rx);

/* Where to read next: *at and *room (> 0) receive the free space, after
 * making room for the frame being received (moving it to the front or
 * growing the buffer, never beyond what max_frame needs). Returns 0, or -1
 * if out of memory or if the pending frame announces more than max_frame. */
int grite_frame_rx_space(grite_frame_rx *rx, uint8_t **at, size_t *room);

/* Record that `n` bytes were read into the space from grite_frame_rx_space. */
static inline void grite_frame_rx_commit(grite_frame_rx *rx, size_t n) { rx->end += n; }

/* Bytes received but not yet consumed (a partial or unread frame). */
static inline size_t grite_frame_rx_pending(const grite_frame_rx *rx) { return rx->end - rx->start; }

/* If the buffer is empty and has grown beyond `threshold` bytes, return it
 * to its initial size, so a connection that once carried a huge frame does
 * not keep the memory while idle. */
void grite_frame_rx_shrink(grite_frame_rx *rx, size_t threshold);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_FRAME_H */
