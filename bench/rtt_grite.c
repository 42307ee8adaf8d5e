/*
 * rtt_grite.c - grite-ipc's round trip, as an application makes it: build
 * REQ with the generated builder into a reused buffer, send it with the
 * runtime client (grite_client_call), get back RESP already validated by
 * the client, read every field. The server side is grite_server_child.c.
 *
 * rtt/grite-transport is the same runtime client and server moving the
 * prebuilt archives with no build, validation or reading: the transport's
 * own cost, so a reader can split rtt/grite's distance to the physical
 * limit into "transport" and "codec".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grite/client.h>

#include "grite_msgs.h"
#include "grite_server_child.h"
#include "rtt.h"

typedef struct grite_state {
    grite_client *client;
    pid_t server;
    const rtt_env *env;
    uint64_t want_digest;
    grite_buf req;
    grite_msgs msgs;
    char path[512];
} grite_state;

static void grite_stop(void *p)
{
    grite_state *st = p;
    grite_client_free(st->client);
    if (st->server > 0)
        child_stop(st->server);
    grite_buf_free(&st->req);
    free(st);
}

/* The transport-only client sends the prebuilt REQ archive as is. */
static bool prepare_prebuilt(grite_state *st)
{
    size_t at = 0;
    if (grite_buf_reserve(&st->req, st->env->grite_req_len, 8, &at) != 0)
        return false;
    memcpy(st->req.data + at, st->env->grite_req, st->env->grite_req_len);
    return true;
}

static void *grite_start_mode(const rtt_env *env, server_report *report, grite_serve_mode mode)
{
    grite_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->env = env;
    st->want_digest = workload_resp_digest(env->wl);
    grite_msgs_init(&st->msgs, env->wl);
    snprintf(st->path, sizeof st->path, "%s/grite-%s.sock", env->dir,
             mode == GRITE_SERVE_WORKLOAD ? "workload" : "transport");
    grite_client_options opt;
    grite_bench_client_options(&opt);
    if (mode == GRITE_SERVE_PREBUILT)
        opt.validate_response = grite_bench_accept_any;
    if (grite_buf_init_growable(&st->req, 4096, 0) != 0 ||
        (mode == GRITE_SERVE_PREBUILT && !prepare_prebuilt(st)) ||
        (st->server = grite_server_spawn(env, st->path, report, mode)) < 0 ||
        (st->client = grite_client_new(st->path, &opt)) == NULL) {
        grite_stop(st);
        return NULL;
    }
    if (grite_client_connect(st->client) != 0) {
        fprintf(stderr, "grite-bench: rtt/grite: %s\n", grite_client_strerror(st->client));
        grite_stop(st);
        return NULL;
    }
    return st;
}

static void *grite_start(const rtt_env *env, server_report *report)
{
    return grite_start_mode(env, report, GRITE_SERVE_WORKLOAD);
}

static void *grite_transport_start(const rtt_env *env, server_report *report)
{
    return grite_start_mode(env, report, GRITE_SERVE_PREBUILT);
}

static bool call(grite_state *st, const void **resp, size_t *len)
{
    if (grite_client_call(st->client, &st->req, resp, len) != 0) {
        fprintf(stderr, "grite-bench: rtt/grite: %s\n", grite_client_strerror(st->client));
        return false;
    }
    return true;
}

static bool grite_round_trip(void *p)
{
    grite_state *st = p;
    int rc = grite_IpcRequest_build(&st->req, &st->msgs.req);
    if (rc != 0) {
        fprintf(stderr, "grite-bench: rtt/grite: build: %s\n", grite_build_strerror(rc));
        return false;
    }
    const void *resp = NULL;
    size_t len = 0;
    if (!call(st, &resp, &len))
        return false;
    const grite_IpcReply *reply = grite_IpcReply_root(resp);
    return grite_resp_check(reply, st->want_digest, st->env->wl, st->env->verify_all);
}

static bool grite_transport_round_trip(void *p)
{
    grite_state *st = p;
    const void *resp = NULL;
    size_t len = 0;
    if (!call(st, &resp, &len) || len != st->env->grite_resp_len)
        return false;
    return !st->env->verify_all || memcmp(resp, st->env->grite_resp, len) == 0;
}

const rtt_ops rtt_grite_ops = {"rtt/grite", grite_start, grite_round_trip, grite_stop};
const rtt_ops rtt_grite_transport_ops = {"rtt/grite-transport", grite_transport_start,
                                         grite_transport_round_trip, grite_stop};
