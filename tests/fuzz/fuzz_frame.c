/*
 * fuzz_frame.c - the server's side of a connection, without the socket:
 * an arbitrary byte stream cut into frames by the receive buffer
 * (grite/frame.h), the first frame decoded as the client's hello
 * (grite/session.h), every later one validated as an IpcRequest and read
 * (walk.h), as grite_server does.
 *
 * Input: fuzz_frame.h's parameter bytes (maximum frame size, read sizes,
 * initial buffer size), then the stream. The stream is fed through
 * grite_frame_rx_space/commit in reads of varying size, and checked:
 *  - each frame handed out is exactly the bytes the stream holds at that
 *    place (header and body), its body 8-aligned, no longer than the
 *    maximum, inside the buffer;
 *  - an oversized frame is reported as TOO_LARGE with the announced
 *    length, and nothing after it is handed out;
 *  - the buffer never grows beyond 4 times the bytes it held, whatever a
 *    header announces, and shrinks back when asked while empty;
 *  - a hello decodes exactly as docs/FORMAT.md 3.1 says, and encoding what
 *    was decoded gives the same 20 bytes (modulo the reserved ones).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_frame.h"
#include "fuzz_util.h"
#include "grite/frame.h"
#include "grite/session.h"
#include "walk.h"

#define SHRINK_THRESHOLD 256u

typedef struct stream_state {
    const uint8_t *data;      /* the whole stream */
    size_t len;
    size_t fed;               /* bytes given to the receive buffer so far */
    size_t next_frame;        /* stream offset of the next frame's header */
    size_t frames;            /* frames handed out */
    size_t max_pending;       /* most bytes the buffer ever held */
    uint32_t rng;             /* read sizes */
    uint8_t chunk;
    bool too_large;           /* the stream hit an oversized frame and ends there */
} stream_state;

static uint32_t stream_u32(const stream_state *s, size_t at)
{
    return (uint32_t)s->data[at] << 24 | (uint32_t)s->data[at + 1] << 16 |
           (uint32_t)s->data[at + 2] << 8 | (uint32_t)s->data[at + 3];
}

/* ---- the hello ------------------------------------------------------------- */

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void check_hello(const uint8_t *body, size_t len)
{
    grite_session_hello h;
    const char *bad = grite_session_hello_decode(body, len, &h);
    bool valid = len >= GRITE_SESSION_HELLO_SIZE && memcmp(body, "GRIT", 4) == 0 && body[4] != 0 &&
                 body[5] >= GRITE_SESSION_HELLO_CLIENT && body[5] <= GRITE_SESSION_HELLO_BUSY;
    FUZZ_CHECK((bad == NULL) == valid, "hello decode says %s for a hello that is %s",
               bad ? bad : "ok", valid ? "valid" : "invalid");
    if (!valid)
        return;
    FUZZ_CHECK(h.version == body[4] && h.kind == (grite_session_hello_kind)body[5] &&
                   h.fingerprint == le(body + 8, 8) && h.max_frame == (uint32_t)le(body + 16, 4),
               "hello fields decoded wrong");
    uint8_t again[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(again, h.kind, h.fingerprint, h.max_frame);
    FUZZ_CHECK(grite_frame_get_length(again) == GRITE_SESSION_HELLO_SIZE, "hello frame header");
    const uint8_t *b = again + GRITE_FRAME_HEADER_SIZE;
    FUZZ_CHECK(memcmp(b, body, 4) == 0 && b[4] == GRITE_SESSION_VERSION && b[5] == body[5] &&
                   b[6] == 0 && b[7] == 0 && memcmp(b + 8, body + 8, 12) == 0,
               "re-encoded hello differs");
}

/* ---- frames ------------------------------------------------------------------ */

/* One complete frame: compare with the stream, then use it like a server. */
static void check_frame(stream_state *s, const grite_frame_rx *rx, const uint8_t *body, size_t len)
{
    size_t at = s->next_frame;
    FUZZ_CHECK(at + GRITE_FRAME_HEADER_SIZE + len <= s->fed, "frame %zu extends past the bytes fed",
               s->frames);
    FUZZ_CHECK(len == stream_u32(s, at), "frame %zu: length %zu, header says %u", s->frames, len,
               stream_u32(s, at));
    FUZZ_CHECK(len <= rx->max_frame, "frame %zu of %zu bytes exceeds the maximum", s->frames, len);
    FUZZ_CHECK(((uintptr_t)body & 7u) == 0, "frame %zu body is not 8-aligned", s->frames);
    FUZZ_CHECK((uintptr_t)body >= (uintptr_t)rx->data &&
                   (uintptr_t)body + len <= (uintptr_t)rx->data + rx->cap,
               "frame %zu body is outside the buffer", s->frames);
    FUZZ_CHECK(len == 0 || memcmp(body, s->data + at + GRITE_FRAME_HEADER_SIZE, len) == 0,
               "frame %zu body differs from the stream", s->frames);
    if (s->frames == 0) {
        check_hello(body, len);
    } else {
        /* An exact-size copy, so an overread shows; the in-place read is the
         * server's and is checked by the walk's own bounds. */
        void *copy = fuzz_exact_copy(body, len);
        bool ok = walk_check(&walk_types[0], copy, len);
        free(copy);
        FUZZ_CHECK(walk_check(&walk_types[0], body, len) == ok, "validation depends on the address");
    }
    s->next_frame = at + GRITE_FRAME_HEADER_SIZE + len;
    s->frames++;
}

/* Take every complete frame out of rx. Returns false once the stream is
 * dead (an oversized frame). */
static bool drain_frames(stream_state *s, grite_frame_rx *rx)
{
    for (;;) {
        const uint8_t *body = NULL;
        size_t len = 0;
        grite_frame_rx_result r = grite_frame_rx_frame(rx, &body, &len);
        if (r == GRITE_FRAME_RX_NEED_MORE)
            return true;
        if (r == GRITE_FRAME_RX_TOO_LARGE) {
            FUZZ_CHECK(s->next_frame + GRITE_FRAME_HEADER_SIZE <= s->fed &&
                           len == stream_u32(s, s->next_frame) && len > rx->max_frame,
                       "TOO_LARGE for a frame of %zu bytes (max %zu)", len, rx->max_frame);
            s->too_large = true;
            return false;
        }
        FUZZ_CHECK(r == GRITE_FRAME_RX_FRAME, "grite_frame_rx_frame returned %d", (int)r);
        check_frame(s, rx, body, len);
        grite_frame_rx_consume(rx);
    }
}

/* ---- reading ------------------------------------------------------------------ */

static size_t next_read_size(stream_state *s, size_t room)
{
    size_t want = room;
    if (s->chunk != 0) {
        s->rng = s->rng * 1103515245u + 12345u;
        want = 1 + (s->rng >> 16) % s->chunk;
    }
    size_t left = s->len - s->fed;
    if (want > left)
        want = left;
    return want < room ? want : room;
}

/* One read() into the room the buffer offers. */
static void feed(stream_state *s, grite_frame_rx *rx)
{
    uint8_t *at;
    size_t room;
    FUZZ_CHECK(grite_frame_rx_space(rx, &at, &room) == 0, "no room for a frame within the maximum");
    FUZZ_CHECK(room > 0 && (uintptr_t)at >= (uintptr_t)rx->data &&
                   (uintptr_t)at + room <= (uintptr_t)rx->data + rx->cap,
               "space outside the buffer");
    size_t n = next_read_size(s, room);
    memcpy(at, s->data + s->fed, n);
    grite_frame_rx_commit(rx, n);
    s->fed += n;
    size_t pending = grite_frame_rx_pending(rx);
    if (pending > s->max_pending)
        s->max_pending = pending;
    size_t bound = 4 * s->max_pending > rx->initial_cap ? 4 * s->max_pending : rx->initial_cap;
    FUZZ_CHECK(rx->cap <= bound, "buffer of %zu bytes for at most %zu received", rx->cap,
               s->max_pending);
}

static void maybe_shrink(grite_frame_rx *rx)
{
    if (grite_frame_rx_pending(rx) != 0)
        return;
    bool should = rx->cap > SHRINK_THRESHOLD && rx->cap > rx->initial_cap;
    grite_frame_rx_shrink(rx, SHRINK_THRESHOLD);
    FUZZ_CHECK(!should || rx->cap == rx->initial_cap, "an empty buffer did not shrink");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    fuzz_frame_params p;
    p.max_frame = fuzz_take_u8(&in);
    p.chunk = fuzz_take_u8(&in);
    p.initial_cap = fuzz_take_u8(&in);

    stream_state s = { .data = in.data, .len = in.len, .chunk = p.chunk, .rng = p.chunk };
    grite_frame_rx rx;
    FUZZ_CHECK(grite_frame_rx_init(&rx, (size_t)p.initial_cap * 16, (size_t)p.max_frame * 8) == 0,
               "out of memory");
    while (drain_frames(&s, &rx) && s.fed < s.len) {
        maybe_shrink(&rx);
        feed(&s, &rx);
    }
    if (!s.too_large) {
        /* What is left is the start of a frame that has not fully arrived. */
        FUZZ_CHECK(grite_frame_rx_pending(&rx) == s.len - s.next_frame,
                   "%zu bytes pending, %zu left unframed", grite_frame_rx_pending(&rx),
                   s.len - s.next_frame);
    }
    grite_frame_rx_free(&rx);
    return 0;
}
