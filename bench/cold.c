/*
 * cold.c - rtt/cold: what a CLI pays per invocation to reach a warm
 * daemon: a new client, connect(), the version handshake (which rides on
 * the first request), one round trip, close.
 */
#include <stdio.h>

#include <grite/client.h>

#include "clock.h"
#include "grite_msgs.h"
#include "grite_server_child.h"
#include "transport_bench.h"

#define COLD_WARMUP 10

typedef struct cold_ctx {
    const char *path;
    const workload *wl;
    bool verify_all;
    uint64_t want_digest;
    grite_msgs msgs;
    grite_buf req;
    grite_client_options opt;
} cold_ctx;

/* One whole invocation's worth of transport. */
static bool cold_call(cold_ctx *c)
{
    grite_client *client = grite_client_new(c->path, &c->opt);
    if (client == NULL)
        return false;
    const void *resp = NULL;
    size_t len = 0;
    bool ok = grite_client_connect(client) == 0 && grite_IpcRequest_build(&c->req, &c->msgs.req) == 0 &&
              grite_client_call(client, &c->req, &resp, &len) == 0;
    if (!ok) {
        fprintf(stderr, "grite-bench: rtt/cold: %s\n", grite_client_strerror(client));
    } else {
        const grite_IpcReply *reply = grite_IpcReply_root(resp);
        ok = grite_resp_check(reply, c->want_digest, c->wl, c->verify_all);
    }
    grite_client_free(client);
    return ok;
}

static bool cold_loop(cold_ctx *c, size_t n, sample_set *samples)
{
    for (size_t i = 0; i < COLD_WARMUP + n; i++) {
        uint64_t t0 = bench_now_ns();
        if (!cold_call(c)) {
            fprintf(stderr, "grite-bench: rtt/cold: call %zu failed\n", i + 1);
            return false;
        }
        if (i >= COLD_WARMUP && !samples_push(samples, bench_now_ns() - t0))
            return false;
    }
    return true;
}

bool bench_cold(result_table *t, const rtt_env *env, size_t n, FILE *cdf)
{
    grite_own_server server;
    if (!grite_own_server_start(&server, env, "grite-cold.sock"))
        return false;
    cold_ctx c = {.path = server.path, .wl = env->wl, .verify_all = env->verify_all,
                  .want_digest = workload_resp_digest(env->wl)};
    grite_msgs_init(&c.msgs, env->wl);
    grite_bench_client_options(&c.opt);
    sample_set samples = {0};
    bool ok = grite_buf_init_growable(&c.req, 4096, 0) == 0 && samples_reserve(&samples, n) &&
              cold_loop(&c, n, &samples);
    ok = ok && grite_own_server_saw(&server, COLD_WARMUP + n, "rtt/cold");
    result_row *r = ok ? results_add(t, "rtt/cold") : NULL;
    if (r != NULL) {
        row_set(r, "p50_us", samples_quantile_us(&samples, 0.5));
        row_set(r, "p99_us", samples_quantile_us(&samples, 0.99));
        row_set(r, "samples", (double)samples.len);
        if (cdf != NULL)
            samples_write_cdf(&samples, "rtt/cold", 200, cdf);
    }
    samples_free(&samples);
    grite_buf_free(&c.req);
    grite_own_server_stop(&server);
    return ok;
}
