/*
 * grite/session.h - the version handshake: one "hello" frame each way at
 * the start of a connection (docs/FORMAT.md section 3).
 *
 * The client sends its hello in the same write as its first request; the
 * server answers with its own hello in the same write as the first
 * response (or with a rejection, then closes). So a mismatch is caught
 * before any command is interpreted, and a matching pair pays no extra
 * round trip, not even on a fresh connection.
 *
 * Hello body (20 bytes; integers little-endian like the archive):
 *   0  4  magic "GRIT"
 *   4  1  session version (1)
 *   5  1  kind (grite_session_hello_kind)
 *   6  2  reserved, 0
 *   8  8  schema fingerprint
 *  16  4  largest frame body the sender accepts
 * 4 + 20 is a multiple of 8, so a frame read right after a hello is still
 * 8-aligned in the receive buffer.
 */
#ifndef GRITE_SESSION_H
#define GRITE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "grite/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRITE_SESSION_HELLO_SIZE 20u
#define GRITE_SESSION_HELLO_FRAME_SIZE (GRITE_FRAME_HEADER_SIZE + GRITE_SESSION_HELLO_SIZE)
#define GRITE_SESSION_VERSION 1u

typedef enum grite_session_hello_kind {
    GRITE_SESSION_HELLO_CLIENT = 1,     /* client -> server: my schema is ... */
    GRITE_SESSION_HELLO_ACCEPT = 2,     /* server: same schema, go ahead */
    GRITE_SESSION_HELLO_MISMATCH = 3,   /* server: different schema; closing */
    GRITE_SESSION_HELLO_REFUSED = 4,    /* server: your credentials are not allowed; closing */
    GRITE_SESSION_HELLO_BUSY = 5        /* server: too many connections; closing */
} grite_session_hello_kind;

typedef struct grite_session_hello {
    uint8_t version;
    grite_session_hello_kind kind;
    uint64_t fingerprint;
    uint32_t max_frame;
} grite_session_hello;

/* Write a whole hello frame (header + body) into out. */
void grite_session_hello_encode(uint8_t out[GRITE_SESSION_HELLO_FRAME_SIZE], grite_session_hello_kind kind,
                        uint64_t fingerprint, uint32_t max_frame);

/* Parse a hello body. Returns NULL and fills *h, or a static text saying
 * what is wrong (too short, bad magic, version 0, unknown kind). Bytes
 * past the 20th are ignored: later versions may append fields. */
const char *grite_session_hello_decode(const uint8_t *body, size_t len, grite_session_hello *h);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_SESSION_H */
