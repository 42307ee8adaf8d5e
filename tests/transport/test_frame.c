/* test_frame.c - frames, the receive buffer, the hello, error texts: the
 * transport's pieces that need no socket. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grite/frame.h"
#include "grite/session.h"
#include "grite/transport.h"
#include "check_run.h"

/* ---- headers ---- */

START_TEST(header_is_big_endian)
{
    uint8_t h[4];
    grite_frame_put_header(h, 0x01020304u);
    ck_assert_mem_eq(h, "\x01\x02\x03\x04", 4);
    ck_assert_uint_eq(grite_frame_get_length(h), 0x01020304u);
    grite_frame_put_header(h, UINT32_MAX);
    ck_assert_uint_eq(grite_frame_get_length(h), UINT32_MAX);
    grite_frame_put_header(h, 0);
    ck_assert_mem_eq(h, "\0\0\0\0", 4);
}
END_TEST

/* ---- the receive buffer ---- */

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* A stream of `count` frames with random lengths; frame i's body byte j is
 * (i * 7 + j) & 0xff. Returns the stream; *lens gets the lengths. */
static uint8_t *make_stream(size_t count, size_t max_len, size_t *lens, size_t *total)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        lens[i] = rng() % (max_len + 1);
        n += 4 + lens[i];
    }
    uint8_t *s = malloc(n), *p = s;
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < count; i++) {
        grite_frame_put_header(p, (uint32_t)lens[i]);
        for (size_t j = 0; j < lens[i]; j++) p[4 + j] = (uint8_t)(i * 7 + j);
        p += 4 + lens[i];
    }
    *total = n;
    return s;
}

/* Feed the stream in random chunks; every frame must come out whole, in
 * order, 8-aligned. */
static void feed_in_chunks(size_t count, size_t max_len, size_t max_chunk, size_t initial_cap)
{
    size_t lens[300], total, fed = 0, next = 0;
    ck_assert_uint_le(count, 300);
    uint8_t *stream = make_stream(count, max_len, lens, &total);
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, initial_cap, 1u << 20), 0);
    while (next < count) {
        const uint8_t *body;
        size_t len;
        grite_frame_rx_result r;
        while ((r = grite_frame_rx_frame(&rx, &body, &len)) == GRITE_FRAME_RX_FRAME) {
            ck_assert_uint_eq((uintptr_t)body & 7u, 0);
            ck_assert_uint_eq(len, lens[next]);
            size_t wrong = 0;   /* counted, not asserted per byte: Check's asserts are slow */
            for (size_t j = 0; j < len; j++) wrong += body[j] != (uint8_t)(next * 7 + j);
            ck_assert_uint_eq(wrong, 0);
            grite_frame_rx_consume(&rx);
            next++;
        }
        ck_assert_int_eq(r, GRITE_FRAME_RX_NEED_MORE);
        if (next == count) break;
        uint8_t *at;
        size_t room;
        ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
        size_t chunk = 1 + rng() % max_chunk;
        if (chunk > room) chunk = room;
        if (chunk > total - fed) chunk = total - fed;
        memcpy(at, stream + fed, chunk);
        grite_frame_rx_commit(&rx, chunk);
        fed += chunk;
    }
    ck_assert_uint_eq(fed, total);
    ck_assert_uint_eq(grite_frame_rx_pending(&rx), 0);
    grite_frame_rx_free(&rx);
    free(stream);
}

START_TEST(rxbuf_small_chunks)
{
    feed_in_chunks(300, 100, 7, 64);
}
END_TEST

START_TEST(rxbuf_large_chunks_read_ahead)
{
    feed_in_chunks(300, 3000, 20000, 4096);
}
END_TEST

START_TEST(rxbuf_frames_bigger_than_buffer)
{
    feed_in_chunks(40, 200000, 70000, 64);
}
END_TEST

/* One read that brings a whole frame: available at once, no copying needed. */
START_TEST(rxbuf_one_read_one_frame)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, 4096, 0), 0);
    uint8_t *at;
    size_t room;
    ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
    ck_assert_uint_ge(room, 1000);
    grite_frame_put_header(at, 100);
    memset(at + 4, 0xAB, 100);
    grite_frame_rx_commit(&rx, 104);
    const uint8_t *body;
    size_t len;
    ck_assert_int_eq(grite_frame_rx_frame(&rx, &body, &len), GRITE_FRAME_RX_FRAME);
    ck_assert_ptr_eq(body, at + 4);   /* read in place: no move */
    ck_assert_uint_eq(len, 100);
    grite_frame_rx_consume(&rx);
    ck_assert_uint_eq(grite_frame_rx_pending(&rx), 0);
    grite_frame_rx_free(&rx);
}
END_TEST

START_TEST(rxbuf_too_large_before_allocating)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, 64, 1u << 20), 0);
    size_t cap = rx.cap;
    uint8_t *at;
    size_t room;
    ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
    grite_frame_put_header(at, (1u << 20) + 1);
    grite_frame_rx_commit(&rx, 4);
    const uint8_t *body;
    size_t len = 0;
    ck_assert_int_eq(grite_frame_rx_frame(&rx, &body, &len), GRITE_FRAME_RX_TOO_LARGE);
    ck_assert_uint_eq(len, (1u << 20) + 1);
    ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), -1);
    ck_assert_uint_eq(rx.cap, cap);
    grite_frame_rx_free(&rx);
}
END_TEST

START_TEST(rxbuf_exactly_max_is_accepted)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, 64, 1000), 0);
    uint8_t hdr[4];
    grite_frame_put_header(hdr, 1000);
    size_t fed = 0, total = 1004;
    const uint8_t *body;
    size_t len;
    while (grite_frame_rx_frame(&rx, &body, &len) != GRITE_FRAME_RX_FRAME) {
        uint8_t *at;
        size_t room;
        ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
        size_t n = room < total - fed ? room : total - fed;
        for (size_t i = 0; i < n; i++) at[i] = fed + i < 4 ? hdr[fed + i] : 0x5A;
        grite_frame_rx_commit(&rx, n);
        fed += n;
    }
    ck_assert_uint_eq(len, 1000);
    ck_assert_uint_le(rx.cap, 1016);   /* never more than max needs */
    grite_frame_rx_free(&rx);
}
END_TEST

/* A peer announcing 8 MiB and sending a trickle costs memory in
 * proportion to what it sent, not to what it announced. */
START_TEST(rxbuf_growth_follows_data)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, 64, 0), 0);
    uint8_t *at;
    size_t room, received = 0;
    ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
    grite_frame_put_header(at, 8u << 20);
    grite_frame_rx_commit(&rx, 4);
    received = 4;
    for (int i = 0; i < 1000; i++) {
        ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
        size_t n = room < 100 ? room : 100;
        memset(at, 0, n);
        grite_frame_rx_commit(&rx, n);
        received += n;
        ck_assert_uint_le(rx.cap, 4 * received + 64);
    }
    grite_frame_rx_free(&rx);
}
END_TEST

START_TEST(rxbuf_shrinks_when_idle)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, 64, 0), 0);
    size_t total = 4 + 100000, fed = 0;
    const uint8_t *body;
    size_t len;
    while (grite_frame_rx_frame(&rx, &body, &len) != GRITE_FRAME_RX_FRAME) {
        uint8_t *at;
        size_t room;
        ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
        size_t n = room < total - fed ? room : total - fed;
        memset(at, 0, n);
        if (fed == 0) grite_frame_put_header(at, 100000);
        grite_frame_rx_commit(&rx, n);
        fed += n;
    }
    ck_assert_uint_gt(rx.cap, 100000);
    grite_frame_rx_shrink(&rx, 1000);   /* not yet: the frame is still held */
    ck_assert_uint_gt(rx.cap, 100000);
    grite_frame_rx_consume(&rx);
    grite_frame_rx_shrink(&rx, 1000);
    ck_assert_uint_eq(rx.cap, 64);
    grite_frame_rx_free(&rx);
}
END_TEST

/* An initial size of SIZE_MAX ("as much as frames need") is capped at what
 * the largest frame needs; rounding it up first wrapped it to a 0-byte
 * buffer that the next read overflowed. */
START_TEST(rxbuf_huge_initial_size_is_capped)
{
    grite_frame_rx rx;
    ck_assert_int_eq(grite_frame_rx_init(&rx, SIZE_MAX, 1000), 0);
    ck_assert_uint_ge(rx.cap, 8 + 1000);   /* origin, header and the largest body */
    ck_assert_uint_le(rx.cap, 8 + 1000 + 7);
    uint8_t *at;
    size_t room;
    ck_assert_int_eq(grite_frame_rx_space(&rx, &at, &room), 0);
    ck_assert_uint_le(room, rx.cap);
    memset(at, 0, room);   /* writable all the way: ASan checks it */
    grite_frame_rx_free(&rx);
}
END_TEST

/* ---- the hello ---- */

START_TEST(hello_bytes)
{
    uint8_t f[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(f, GRITE_SESSION_HELLO_CLIENT, UINT64_C(0x0123456789abcdef), 0x01000000u);
    static const uint8_t want[] = {
        0x00, 0x00, 0x00, 0x14,                          /* frame length 20 */
        'G', 'R', 'I', 'T', 0x01, 0x01, 0x00, 0x00,      /* magic, version 1, CLIENT */
        0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,  /* fingerprint, LE */
        0x00, 0x00, 0x00, 0x01};                         /* max frame 16 MiB, LE */
    ck_assert_mem_eq(f, want, sizeof want);
    grite_session_hello h;
    ck_assert_ptr_null(grite_session_hello_decode(f + 4, 20, &h));
    ck_assert_uint_eq(h.version, 1);
    ck_assert_int_eq(h.kind, GRITE_SESSION_HELLO_CLIENT);
    ck_assert_uint_eq(h.fingerprint, UINT64_C(0x0123456789abcdef));
    ck_assert_uint_eq(h.max_frame, 0x01000000u);
}
END_TEST

START_TEST(hello_rejects_bad_bytes)
{
    uint8_t f[GRITE_SESSION_HELLO_FRAME_SIZE + 8] = {0};
    grite_session_hello h;
    grite_session_hello_encode(f, GRITE_SESSION_HELLO_ACCEPT, 1, 2);
    ck_assert_ptr_nonnull(grite_session_hello_decode(f + 4, 19, &h));   /* short */
    ck_assert_ptr_null(grite_session_hello_decode(f + 4, 28, &h));      /* longer: a later version */
    f[4 + 4] = 0;
    ck_assert_ptr_nonnull(grite_session_hello_decode(f + 4, 20, &h));   /* version 0 */
    f[4 + 4] = 7;
    ck_assert_ptr_null(grite_session_hello_decode(f + 4, 20, &h));      /* a newer version reads as v1 */
    f[4 + 5] = 0;
    ck_assert_ptr_nonnull(grite_session_hello_decode(f + 4, 20, &h));   /* kind 0 */
    f[4 + 5] = 6;
    ck_assert_ptr_nonnull(grite_session_hello_decode(f + 4, 20, &h));   /* kind 6 */
    f[4 + 5] = GRITE_SESSION_HELLO_BUSY;
    f[4] = 'g';
    const char *why = grite_session_hello_decode(f + 4, 20, &h);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "magic"));
}
END_TEST

/* ---- error texts ---- */

START_TEST(error_names_and_texts)
{
    for (int code = 1; code < GRITE_ERR_COUNT_; code++) {
        ck_assert_str_ne(grite_err_name(code), "UNKNOWN");
        for (int other = 1; other < code; other++) {
            ck_assert_str_ne(grite_err_name(code), grite_err_name(other));
            ck_assert_str_ne(grite_err_text(code), grite_err_text(other));
        }
    }
    ck_assert_str_eq(grite_err_name(GRITE_ERR_NO_DAEMON), "NO_DAEMON");
    ck_assert_str_eq(grite_err_name(GRITE_ERR_COUNT_), "UNKNOWN");
    ck_assert_str_eq(grite_err_name(-1), "UNKNOWN");
    ck_assert_str_eq(grite_err_text(999), "unknown transport error");
}
END_TEST

START_TEST(error_format_mismatch)
{
    grite_error e = {.code = GRITE_ERR_SCHEMA_MISMATCH, .path = "/run/x.sock",
                     .local_fingerprint = UINT64_C(0x00000000000000ff),
                     .peer_fingerprint = UINT64_C(0xfedcba9876543210)};
    char out[512];
    grite_error_format(&e, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "00000000000000ff"));
    ck_assert_ptr_nonnull(strstr(out, "fedcba9876543210"));
    ck_assert_ptr_nonnull(strstr(out, "/run/x.sock"));
    ck_assert_ptr_nonnull(strstr(out, "restart the daemon"));
}
END_TEST

START_TEST(error_format_details)
{
    grite_error e = {.code = GRITE_ERR_CONNECT, .sys_errno = EACCES, .op = "connect", .path = "/s"};
    char out[512];
    grite_error_format(&e, out, sizeof out);
    ck_assert_str_eq(out, "cannot connect to the daemon's socket: /s: connect: Permission denied");

    grite_error p = {.code = GRITE_ERR_POISONED, .cause = GRITE_ERR_TIMEOUT};
    grite_error_format(&p, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "reconnect"));
    ck_assert_ptr_nonnull(strstr(out, grite_err_text(GRITE_ERR_TIMEOUT)));

    grite_error v = {.code = GRITE_ERR_INVALID_MESSAGE};
    v.verror.code = GRITE_VERROR_BAD_UTF8;
    v.verror.offset = 40;
    snprintf(v.verror.path, sizeof v.verror.path, "request_id");
    grite_error_format(&v, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "request_id: string is not valid UTF-8 (at offset 40)"));

    grite_error t = {.code = GRITE_ERR_FRAME_TOO_LARGE, .frame_len = 100, .frame_max = 10};
    grite_error_format(&t, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "100 bytes, limit 10"));
}
END_TEST

START_TEST(error_format_truncates_safely)
{
    grite_error e = {.code = GRITE_ERR_SCHEMA_MISMATCH, .local_fingerprint = 1, .peer_fingerprint = 2};
    char small[16];
    memset(small, 'x', sizeof small);
    int n = grite_error_format(&e, small, sizeof small);
    ck_assert_int_gt(n, 15);
    ck_assert_uint_eq(strlen(small), 15);
    char big[512];
    ck_assert_int_eq(grite_error_format(&e, big, sizeof big), (int)strlen(big));
}
END_TEST

START_TEST(retryable_codes)
{
    ck_assert(grite_err_is_retryable(GRITE_ERR_NO_DAEMON));
    ck_assert(grite_err_is_retryable(GRITE_ERR_TIMEOUT));
    ck_assert(grite_err_is_retryable(GRITE_ERR_IO));
    ck_assert(grite_err_is_retryable(GRITE_ERR_CLOSED));
    ck_assert(grite_err_is_retryable(GRITE_ERR_POISONED));
    ck_assert(!grite_err_is_retryable(GRITE_ERR_INVALID_MESSAGE));
    ck_assert(!grite_err_is_retryable(GRITE_ERR_SCHEMA_MISMATCH));
    ck_assert(!grite_err_is_retryable(GRITE_ERR_REFUSED));
    ck_assert(!grite_err_is_retryable(GRITE_ERR_FRAME_TOO_LARGE));
    ck_assert(!grite_err_is_retryable(GRITE_ERR_CONNECT));
}
END_TEST

static Suite *frame_suite(void)
{
    Suite *s = suite_create("transport_frame");
    TCase *t = tcase_create("frame");
    tcase_add_test(t, header_is_big_endian);
    tcase_add_test(t, rxbuf_small_chunks);
    tcase_add_test(t, rxbuf_large_chunks_read_ahead);
    tcase_add_test(t, rxbuf_frames_bigger_than_buffer);
    tcase_add_test(t, rxbuf_one_read_one_frame);
    tcase_add_test(t, rxbuf_too_large_before_allocating);
    tcase_add_test(t, rxbuf_exactly_max_is_accepted);
    tcase_add_test(t, rxbuf_growth_follows_data);
    tcase_add_test(t, rxbuf_shrinks_when_idle);
    tcase_add_test(t, rxbuf_huge_initial_size_is_capped);
    suite_add_tcase(s, t);
    TCase *h = tcase_create("hello_and_errors");
    tcase_add_test(h, hello_bytes);
    tcase_add_test(h, hello_rejects_bad_bytes);
    tcase_add_test(h, error_names_and_texts);
    tcase_add_test(h, error_format_mismatch);
    tcase_add_test(h, error_format_details);
    tcase_add_test(h, error_format_truncates_safely);
    tcase_add_test(h, retryable_codes);
    suite_add_tcase(s, h);
    return s;
}

int main(void)
{
    return grite_check_run(frame_suite());
}
