/*
 * rtt_json_uds.c - JSON (cJSON) over the same Unix-socket framing as the
 * physical limit: what a hand-rolled JSON protocol between a CLI and its
 * daemon costs.
 *
 * Client: encode REQ, one write of the frame, read the frame, parse and
 * check RESP, read every field. Server: read, parse and check REQ, read
 * every field, encode RESP from its in-memory values, one write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "json_codec.h"
#include "net.h"
#include "rtt.h"

#define JSON_BUF_CAP (64u * 1024u)

typedef struct json_uds_state {
    int fd;
    pid_t server;
    bool verify_all;
    const workload *wl;
    uint64_t resp_digest;
    uint8_t *tx;
    uint8_t *rx;
} json_uds_state;

typedef struct json_uds_server {
    int listen_fd;
    server_report *report;
    const workload *wl;
    bool verify_all;
} json_uds_server;

/* Encode with `encode` into buf + 4 and put the frame header in front;
 * returns the frame length, 0 on failure. */
static size_t encode_frame(bool (*encode)(const workload *, char *, size_t, size_t *),
                           const workload *wl, uint8_t *buf)
{
    size_t len = 0;
    if (!encode(wl, (char *)buf + FRAME_HEADER_BYTES, JSON_BUF_CAP - FRAME_HEADER_BYTES, &len))
        return 0;
    grite_frame_put_header(buf, (uint32_t)len);
    return FRAME_HEADER_BYTES + len;
}

static int json_uds_server_main(void *arg)
{
    json_uds_server *s = arg;
    int fd = accept(s->listen_fd, NULL, NULL);
    uint8_t *rx = malloc(JSON_BUF_CAP), *tx = malloc(JSON_BUF_CAP);
    if (fd < 0 || rx == NULL || tx == NULL)
        return 1;
    uint64_t want = workload_req_digest(s->wl);
    for (;;) {
        ssize_t n = frame_read(fd, rx, JSON_BUF_CAP);
        if (n < 0)
            break;
        server_report_request(s->report);
        /* A wrong request closes the connection: the client sees it. */
        if (!json_req_check((const char *)rx + FRAME_HEADER_BYTES, (size_t)n, want, s->wl, s->verify_all)) {
            server_report_reject(s->report);
            break;
        }
        size_t frame_len = encode_frame(json_resp_encode, s->wl, tx);
        if (frame_len == 0 || !fd_write_all(fd, tx, frame_len))
            break;
    }
    free(rx);
    free(tx);
    close(fd);
    return 0;
}

static void json_uds_stop(void *p)
{
    json_uds_state *st = p;
    if (st->fd >= 0)
        close(st->fd);
    if (st->server > 0)
        child_stop(st->server);
    free(st->tx);
    free(st->rx);
    free(st);
}

static void *json_uds_start(const rtt_env *env, server_report *report)
{
    json_uds_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->fd = -1;
    st->verify_all = env->verify_all;
    st->wl = env->wl;
    st->resp_digest = workload_resp_digest(env->wl);
    st->tx = malloc(JSON_BUF_CAP);
    st->rx = malloc(JSON_BUF_CAP);
    if (st->tx == NULL || st->rx == NULL) {
        json_uds_stop(st);
        return NULL;
    }
    json_uds_server srv = {-1, report, env->wl, env->verify_all};
    st->fd = rtt_uds_server_start(env, "json.sock", "rtt/json-uds", &srv.listen_fd, json_uds_server_main, &srv,
                                  &st->server);
    if (st->fd < 0) {
        json_uds_stop(st);
        return NULL;
    }
    return st;
}

static bool json_uds_round_trip(void *p)
{
    json_uds_state *st = p;
    size_t frame_len = encode_frame(json_req_encode, st->wl, st->tx);
    if (frame_len == 0 || !fd_write_all(st->fd, st->tx, frame_len))
        return false;
    ssize_t n = frame_read(st->fd, st->rx, JSON_BUF_CAP);
    if (n < 0)
        return false;
    return json_resp_check((const char *)st->rx + FRAME_HEADER_BYTES, (size_t)n, st->resp_digest, st->wl,
                           st->verify_all);
}

const rtt_ops rtt_json_uds_ops = {"rtt/json-uds", json_uds_start, json_uds_round_trip, json_uds_stop};
