/* frame.c - the receive buffer: cutting a byte stream into 8-aligned frames. */
#include "grite/frame.h"

#include <stdlib.h>
#include <string.h>

/*
 * Layout: an empty buffer receives at offset RX_ORIGIN = 4, so the first
 * frame's header is at 4..8 and its body at 8, 8-aligned. A frame that
 * arrives after another one (read ahead) may have its body at an address
 * that is 4 mod 8 (bodies have any length); grite_frame_rx_frame() then
 * slides that one frame down by a few bytes into space already consumed.
 * Each frame moves at most once, so the cost is O(bytes), and the common
 * case (one frame per read) moves nothing.
 */
#define RX_ORIGIN 4u
#define RX_MIN_CAP 64u

static size_t round_up8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* The largest buffer max_frame can require: origin + header + body. */
static size_t rx_limit(const grite_frame_rx *rx)
{
    return round_up8(RX_ORIGIN + GRITE_FRAME_HEADER_SIZE + rx->max_frame);
}

int grite_frame_rx_init(grite_frame_rx *rx, size_t initial_cap, size_t max_frame)
{
    memset(rx, 0, sizeof *rx);
    if (max_frame == 0) max_frame = GRITE_FRAME_MAX_DEFAULT;
    if (max_frame > UINT32_MAX) max_frame = UINT32_MAX;
    rx->max_frame = max_frame;
    /* Clamp before rounding: rounding SIZE_MAX up wraps to 0. */
    if (initial_cap < RX_MIN_CAP) initial_cap = RX_MIN_CAP;
    if (initial_cap > rx_limit(rx)) initial_cap = rx_limit(rx);
    initial_cap = round_up8(initial_cap);
    /* malloc's alignment (max_align_t) is at least 8. */
    rx->data = malloc(initial_cap);
    if (!rx->data) return -1;
    rx->cap = rx->initial_cap = initial_cap;
    rx->start = rx->end = RX_ORIGIN;
    return 0;
}

void grite_frame_rx_free(grite_frame_rx *rx)
{
    free(rx->data);
    memset(rx, 0, sizeof *rx);
}

/* Bytes the frame at `start` needs in all (header + body), as far as known;
 * UINT64-safe because the length is at most UINT32_MAX. */
static size_t frame_total_wanted(const grite_frame_rx *rx)
{
    if (rx->end - rx->start < GRITE_FRAME_HEADER_SIZE) return GRITE_FRAME_HEADER_SIZE;
    return GRITE_FRAME_HEADER_SIZE + (size_t)grite_frame_get_length(rx->data + rx->start);
}

grite_frame_rx_result grite_frame_rx_frame(grite_frame_rx *rx, const uint8_t **body, size_t *len)
{
    size_t have = rx->end - rx->start;
    if (have < GRITE_FRAME_HEADER_SIZE) return GRITE_FRAME_RX_NEED_MORE;
    size_t body_len = grite_frame_get_length(rx->data + rx->start);
    *len = body_len;
    if (body_len > rx->max_frame) return GRITE_FRAME_RX_TOO_LARGE;
    if (have - GRITE_FRAME_HEADER_SIZE < body_len) return GRITE_FRAME_RX_NEED_MORE;

    size_t frame_len = GRITE_FRAME_HEADER_SIZE + body_len;
    size_t slide = (rx->start - RX_ORIGIN) & 7u;   /* body misalignment */
    if (slide) memmove(rx->data + rx->start - slide, rx->data + rx->start, frame_len);
    rx->frame_end = rx->start + frame_len;          /* where the next frame starts */
    *body = rx->data + rx->start - slide + GRITE_FRAME_HEADER_SIZE;
    return GRITE_FRAME_RX_FRAME;
}

void grite_frame_rx_consume(grite_frame_rx *rx)
{
    if (!rx->frame_end) return;
    rx->start = rx->frame_end;
    rx->frame_end = 0;
    if (rx->start == rx->end) rx->start = rx->end = RX_ORIGIN;
}

/* Move the unconsumed bytes to the origin (which keeps their body aligned). */
static void compact(grite_frame_rx *rx)
{
    size_t have = rx->end - rx->start;
    memmove(rx->data + RX_ORIGIN, rx->data + rx->start, have);
    rx->start = RX_ORIGIN;
    rx->end = RX_ORIGIN + have;
}

/* Double the buffer, but never beyond what the largest frame needs. */
static int grow(grite_frame_rx *rx)
{
    size_t limit = rx_limit(rx);
    size_t new_cap = rx->cap * 2 > limit ? limit : rx->cap * 2;
    if (new_cap <= rx->cap) return -1;
    uint8_t *p = realloc(rx->data, new_cap);
    if (!p) return -1;
    rx->data = p;
    rx->cap = new_cap;
    return 0;
}

int grite_frame_rx_space(grite_frame_rx *rx, uint8_t **at, size_t *room)
{
    rx->frame_end = 0;
    if (rx->start == rx->end) rx->start = rx->end = RX_ORIGIN;
    size_t wanted = frame_total_wanted(rx);
    if (wanted - GRITE_FRAME_HEADER_SIZE > rx->max_frame) return -1;
    size_t have = rx->end - rx->start;
    size_t missing = wanted > have ? wanted - have : 1;
    /* Compact when the frame would not fit, or when only a sliver is left
     * (so a stream of small pipelined frames does not degrade into tiny
     * reads). */
    if (rx->start > RX_ORIGIN && (rx->cap - rx->end < missing || rx->cap - rx->end < rx->cap / 4))
        compact(rx);
    /* Grow only once this frame's bytes fill half the buffer: memory then
     * stays within 4x of what actually arrived, whatever was announced. A
     * failed grow is not fatal while some room is left. */
    have = rx->end - rx->start;
    if (rx->cap - rx->end < missing && 2 * have >= rx->cap) (void)grow(rx);
    if (rx->cap == rx->end) return -1;
    *at = rx->data + rx->end;
    *room = rx->cap - rx->end;
    return 0;
}

void grite_frame_rx_shrink(grite_frame_rx *rx, size_t threshold)
{
    if (rx->start != rx->end || rx->cap <= threshold || rx->cap <= rx->initial_cap) return;
    uint8_t *p = realloc(rx->data, rx->initial_cap);
    if (!p) return;   /* keeping the larger buffer is harmless */
    rx->data = p;
    rx->cap = rx->initial_cap;
    rx->start = rx->end = RX_ORIGIN;
}
