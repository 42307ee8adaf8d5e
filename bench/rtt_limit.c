/*
 * rtt_limit.c - the physical limit: the fastest raw ping-pong over a Unix
 * socket moving exactly grite-ipc's frames (same 4-byte headers, same
 * payload bytes), with no codec at all.
 *
 * Everything is prebuilt, so a round trip is the bare minimum of work:
 * the client does one write() of the whole request frame and one read()
 * of the whole response frame; the server the same in reverse. Sockets
 * block. Which way of waiting is fastest depends on the placement, so
 * there are two variants, measured side by side, and the rtt/limit row is
 * whichever is faster in that run:
 *  - block: sleep in read() itself; fastest when the two ends are on
 *    different CPUs;
 *  - poll: sleep in poll(), then read(); on one shared CPU this measured
 *    0.5-1.5 us faster per round trip on this kernel (6.18), even though
 *    it makes one more system call per side.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "rtt.h"

#define LIMIT_RX_CAP (64u * 1024u)

typedef struct limit_state {
    int fd;
    pid_t server;
    bool poll_first;
    bool verify_all;
    uint8_t *req_frame;
    size_t req_frame_len;
    uint8_t *resp_frame;   /* what the server must answer */
    size_t resp_frame_len;
    uint8_t *rx;
} limit_state;

typedef struct limit_server {
    int listen_fd;
    bool poll_first;
    server_report *report;
    const uint8_t *resp_frame;
    size_t resp_frame_len;
    size_t req_payload_len;
} limit_server;

static uint8_t *prebuilt_frame(const uint8_t *payload, size_t len)
{
    uint8_t *frame = malloc(FRAME_HEADER_BYTES + len);
    if (frame != NULL) {
        grite_frame_put_header(frame, (uint32_t)len);
        memcpy(frame + FRAME_HEADER_BYTES, payload, len);
    }
    return frame;
}

/* Sleep until fd is readable (the poll variant), then read the frame. */
static ssize_t wait_and_read(int fd, bool poll_first, uint8_t *rx)
{
    if (poll_first) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, -1) != 1)
            return -1;
    }
    return frame_read(fd, rx, LIMIT_RX_CAP);
}

/* The server answers every frame of the right length with the prebuilt
 * response; anything else ends the connection, which the client notices. */
static int limit_server_main(void *arg)
{
    limit_server *s = arg;
    /* Static, not malloc'd: the child may be ended by a signal in the loop,
     * and a heap buffer would then show up as a leak under valgrind. */
    static _Alignas(8) uint8_t rx[LIMIT_RX_CAP];
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return 1;
    for (;;) {
        ssize_t n = wait_and_read(fd, s->poll_first, rx);
        if (n < 0)
            break;
        server_report_request(s->report);
        if ((size_t)n != s->req_payload_len) {
            server_report_reject(s->report);
            break;
        }
        if (!fd_write_all(fd, s->resp_frame, s->resp_frame_len))
            break;
    }
    close(fd);
    return 0;
}

static void limit_stop(void *p)
{
    limit_state *st = p;
    if (st->fd >= 0)
        close(st->fd);
    if (st->server > 0)
        child_stop(st->server);
    free(st->req_frame);
    free(st->resp_frame);
    free(st->rx);
    free(st);
}

static void *limit_start(const rtt_env *env, server_report *report, bool poll_first)
{
    limit_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->fd = -1;
    st->poll_first = poll_first;
    st->verify_all = env->verify_all;
    st->req_frame = prebuilt_frame(env->grite_req, env->grite_req_len);
    st->resp_frame = prebuilt_frame(env->grite_resp, env->grite_resp_len);
    st->req_frame_len = FRAME_HEADER_BYTES + env->grite_req_len;
    st->resp_frame_len = FRAME_HEADER_BYTES + env->grite_resp_len;
    st->rx = aligned_alloc(8, LIMIT_RX_CAP);
    if (st->req_frame == NULL || st->resp_frame == NULL || st->rx == NULL) {
        limit_stop(st);
        return NULL;
    }
    limit_server srv = {-1, poll_first, report, st->resp_frame, st->resp_frame_len, env->grite_req_len};
    st->fd = rtt_uds_server_start(env, poll_first ? "limit-poll.sock" : "limit-block.sock", "the physical limit",
                                  &srv.listen_fd, limit_server_main, &srv, &st->server);
    if (st->fd < 0) {
        limit_stop(st);
        return NULL;
    }
    return st;
}

static void *limit_block_start(const rtt_env *env, server_report *report)
{
    return limit_start(env, report, false);
}

static void *limit_poll_start(const rtt_env *env, server_report *report)
{
    return limit_start(env, report, true);
}

static bool limit_round_trip(void *p)
{
    limit_state *st = p;
    if (!fd_write_all(st->fd, st->req_frame, st->req_frame_len))
        return false;
    ssize_t n = wait_and_read(st->fd, st->poll_first, st->rx);
    if (n < 0 || (size_t)n + FRAME_HEADER_BYTES != st->resp_frame_len)
        return false;
    return !st->verify_all || memcmp(st->rx, st->resp_frame, st->resp_frame_len) == 0;
}

const rtt_ops rtt_limit_block_ops = {"limit/block", limit_block_start, limit_round_trip, limit_stop};
const rtt_ops rtt_limit_poll_ops = {"limit/poll", limit_poll_start, limit_round_trip, limit_stop};
