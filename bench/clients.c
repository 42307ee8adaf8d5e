/*
 * clients.c - clients/N: N threads, each with its own warm connection,
 * against one grite server (one thread, one epoll loop). Shows how the
 * server's throughput and tail latency hold up as callers pile on.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <grite/client.h>

#include "clock.h"
#include "grite_msgs.h"
#include "grite_server_child.h"
#include "transport_bench.h"

/* Where the threads line up: each reports ready (connected and warm),
 * the main thread waits for all of them, then lets them go at once. */
typedef struct start_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned ready;
    bool go;
} start_gate;

static void gate_arrive(start_gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->ready++;
    pthread_cond_broadcast(&g->cv);
    while (!g->go)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void gate_open_when(start_gate *g, unsigned ready)
{
    pthread_mutex_lock(&g->mu);
    while (g->ready < ready)
        pthread_cond_wait(&g->cv, &g->mu);
    g->go = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

typedef struct client_thread {
    pthread_t tid;
    const char *path;
    const workload *wl;
    bool verify_all;
    uint64_t want_digest;
    start_gate *gate;
    const int *stop;          /* set by the main thread when time is up */
    sample_set samples;
    uint64_t calls;
    bool ok;
} client_thread;

static bool one_call(client_thread *t, grite_client *c, grite_buf *req, const grite_msgs *m)
{
    const void *resp = NULL;
    size_t len = 0;
    if (grite_IpcRequest_build(req, &m->req) != 0 || grite_client_call(c, req, &resp, &len) != 0) {
        fprintf(stderr, "grite-bench: clients: %s\n", grite_client_strerror(c));
        return false;
    }
    const grite_IpcReply *reply = grite_IpcReply_root(resp);
    return grite_resp_check(reply, t->want_digest, t->wl, t->verify_all);
}

static void call_until_stopped(client_thread *t, grite_client *c, grite_buf *req, const grite_msgs *m)
{
    while (!__atomic_load_n(t->stop, __ATOMIC_RELAXED)) {
        uint64_t t0 = bench_now_ns();
        if (!one_call(t, c, req, m)) {
            t->ok = false;
            return;
        }
        t->calls++;
        if (!samples_push(&t->samples, bench_now_ns() - t0)) {
            t->ok = false;
            return;
        }
    }
}

static void *client_main(void *arg)
{
    client_thread *t = arg;
    grite_client_options opt;
    grite_bench_client_options(&opt);
    grite_msgs *m = malloc(sizeof *m);
    grite_client *c = grite_client_new(t->path, &opt);
    grite_buf req = {0};
    /* Connect before the start line, so the run measures warm calls. */
    t->ok = m != NULL && c != NULL && grite_buf_init_growable(&req, 4096, 0) == 0 &&
            grite_client_connect(c) == 0;
    if (m != NULL)
        grite_msgs_init(m, t->wl);
    if (t->ok && !one_call(t, c, &req, m))
        t->ok = false;
    gate_arrive(t->gate);
    if (t->ok)
        call_until_stopped(t, c, &req, m);
    grite_client_free(c);
    grite_buf_free(&req);
    free(m);
    return NULL;
}

/* Start up to n threads; returns how many started. */
static unsigned start_threads(client_thread *threads, unsigned n, const rtt_env *env, const char *path,
                              start_gate *gate, const int *stop, uint64_t run_ns)
{
    for (unsigned i = 0; i < n; i++) {
        client_thread *t = &threads[i];
        *t = (client_thread){.path = path, .wl = env->wl, .verify_all = env->verify_all,
                             .want_digest = workload_resp_digest(env->wl), .gate = gate, .stop = stop};
        /* Room for the samples up front: ~8 us per call at best. */
        samples_reserve(&t->samples, (size_t)(run_ns / 1000u / 8u / n) + 1024);
        if (pthread_create(&t->tid, NULL, client_main, t) != 0) {
            fprintf(stderr, "grite-bench: clients/%u: cannot start thread %u\n", n, i + 1);
            samples_free(&t->samples);
            return i;
        }
    }
    return n;
}

/* Join the threads, pool their samples into *all and count their calls
 * (each made one warm-up call before the run). False if any failed. */
static bool join_threads(client_thread *threads, unsigned started, sample_set *all, uint64_t *calls)
{
    bool ok = true;
    for (unsigned i = 0; i < started; i++) {
        pthread_join(threads[i].tid, NULL);
        ok = ok && threads[i].ok;
        *calls += threads[i].calls + 1;
        for (size_t k = 0; k < threads[i].samples.len; k++)
            ok = samples_push(all, threads[i].samples.ns[k]) && ok;
        samples_free(&threads[i].samples);
    }
    return ok;
}

static void add_clients_row(result_table *tab, unsigned n, sample_set *all, double wall_s)
{
    char name[RESULT_NAME_MAX];
    snprintf(name, sizeof name, "clients/%u", n);
    result_row *r = results_add(tab, name);
    if (r == NULL)
        return;
    row_set(r, "req_per_s", (double)all->len / wall_s);
    row_set(r, "p50_us", samples_quantile_us(all, 0.5));
    row_set(r, "p99_us", samples_quantile_us(all, 0.99));
    row_set(r, "samples", (double)all->len);
}

/* One row: n clients for run_ns, all released at once. */
static bool run_clients(result_table *tab, const rtt_env *env, const char *path, unsigned n,
                        uint64_t run_ns, uint64_t *calls_made)
{
    client_thread *threads = calloc(n, sizeof *threads);
    if (threads == NULL)
        return false;
    start_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};
    int stop = 0;
    unsigned started = start_threads(threads, n, env, path, &gate, &stop, run_ns);
    gate_open_when(&gate, started);
    uint64_t t0 = bench_now_ns();
    if (started == n)
        bench_sleep_ns(run_ns);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    sample_set all = {0};
    bool ok = join_threads(threads, started, &all, calls_made) && started == n;
    double wall_s = (double)(bench_now_ns() - t0) / 1e9;
    if (ok)
        add_clients_row(tab, n, &all, wall_s);
    samples_free(&all);
    free(threads);
    return ok;
}

bool bench_clients(result_table *t, const rtt_env *env, const unsigned *counts, size_t ncounts,
                   uint64_t run_ns)
{
    grite_own_server server;
    if (!grite_own_server_start(&server, env, "grite-clients.sock"))
        return false;
    uint64_t calls = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < ncounts; i++)
        ok = run_clients(t, env, server.path, counts[i], run_ns, &calls);
    ok = ok && grite_own_server_saw(&server, calls, "clients");
    grite_own_server_stop(&server);
    return ok;
}
