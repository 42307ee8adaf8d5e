/* session.c - encoding and decoding the hello frame of the handshake. */
#include "grite/session.h"

#include <string.h>

static const uint8_t hello_magic[4] = {'G', 'R', 'I', 'T'};

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

void grite_session_hello_encode(uint8_t out[GRITE_SESSION_HELLO_FRAME_SIZE], grite_session_hello_kind kind,
                        uint64_t fingerprint, uint32_t max_frame)
{
    uint8_t *body = out + GRITE_FRAME_HEADER_SIZE;
    grite_frame_put_header(out, GRITE_SESSION_HELLO_SIZE);
    memcpy(body, hello_magic, sizeof hello_magic);
    body[4] = GRITE_SESSION_VERSION;
    body[5] = (uint8_t)kind;
    body[6] = body[7] = 0;
    put_le64(body + 8, fingerprint);
    put_le32(body + 16, max_frame);
}

const char *grite_session_hello_decode(const uint8_t *body, size_t len, grite_session_hello *h)
{
    if (len < GRITE_SESSION_HELLO_SIZE) return "hello frame is shorter than 20 bytes";
    if (memcmp(body, hello_magic, sizeof hello_magic) != 0)
        return "first frame is not a hello (bad magic; is the peer a grite endpoint?)";
    if (body[4] == 0) return "hello has session version 0";
    if (body[5] < GRITE_SESSION_HELLO_CLIENT || body[5] > GRITE_SESSION_HELLO_BUSY)
        return "hello has an unknown kind";
    h->version = body[4];
    h->kind = (grite_session_hello_kind)body[5];
    h->fingerprint = get_le64(body + 8);
    h->max_frame = get_le32(body + 16);
    return NULL;
}
