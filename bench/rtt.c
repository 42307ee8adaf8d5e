/*
 * rtt.c - starting cases and taking turns.
 */
#include "rtt.h"

#include <stdio.h>
#include <unistd.h>

#include "alloc_count.h"
#include "clock.h"
#include "net.h"

bool rtt_case_start(rtt_case *c, const rtt_env *env)
{
    c->report = server_report_map();
    if (c->report == NULL) {
        perror("grite-bench: mmap");
        return false;
    }
    c->state = c->ops->start(env, c->report);
    return c->state != NULL;
}

void rtt_case_stop(rtt_case *c)
{
    if (c->state != NULL)
        c->ops->stop(c->state);
    c->state = NULL;
    server_report_unmap(c->report);
    c->report = NULL;
    samples_free(&c->samples);
}

static bool fail(const rtt_case *c)
{
    fprintf(stderr, "grite-bench: %s: round trip %llu failed\n", c->ops->name,
            (unsigned long long)c->round_trips + 1);
    return false;
}

/* Round trips for `turn_ns`, each timed; at least one. */
static bool take_turn(rtt_case *c, uint64_t turn_ns)
{
    uint64_t start = bench_now_ns(), t = start;
    do {
        if (!c->ops->round_trip(c->state))
            return fail(c);
        uint64_t done = bench_now_ns();
        if (!samples_push(&c->samples, done - t)) {
            fprintf(stderr, "grite-bench: out of memory for samples\n");
            return false;
        }
        c->round_trips++;
        t = done;
    } while (t - start < turn_ns);
    return true;
}

static bool all_have_enough(const rtt_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cases[i].samples.len < cases[i].min_samples)
            return false;
    return true;
}

bool rtt_run_alternating(rtt_case *cases, size_t n, const rtt_plan *plan)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < plan->warmup; k++) {
            if (!cases[i].ops->round_trip(cases[i].state))
                return fail(&cases[i]);
            cases[i].round_trips++;
        }
        if (!samples_reserve(&cases[i].samples, cases[i].min_samples + cases[i].min_samples / 2))
            return false;
    }
    uint64_t start = bench_now_ns();
    while (!all_have_enough(cases, n)) {
        if (bench_now_ns() - start > plan->max_ns) {
            fprintf(stderr, "grite-bench: round trips took too long, reporting fewer samples\n");
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (!take_turn(&cases[i], plan->turn_ns))
                return false;
    }
    return true;
}

bool rtt_check_servers(const rtt_case *cases, size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        server_report r = server_report_read(cases[i].report);
        if (r.requests != cases[i].round_trips || r.rejected != 0) {
            fprintf(stderr, "grite-bench: %s: the server handled %llu requests (%llu rejected), the client made %llu\n",
                    cases[i].ops->name, (unsigned long long)r.requests, (unsigned long long)r.rejected,
                    (unsigned long long)cases[i].round_trips);
            ok = false;
        }
    }
    return ok;
}

bool rtt_count_allocs(rtt_case *c, size_t n, alloc_figures *out)
{
    server_report before = server_report_read(c->report);
    uint64_t client_before = alloc_count_now();
    for (size_t i = 0; i < n; i++) {
        if (!c->ops->round_trip(c->state))
            return fail(c);
        c->round_trips++;
    }
    uint64_t client_after = alloc_count_now();
    server_report after = server_report_read(c->report);
    uint64_t handled = after.requests - before.requests;
    out->client_per_rtt = n ? (double)(client_after - client_before) / (double)n : 0.0;
    out->server_per_rtt = handled ? (double)(after.allocs - before.allocs) / (double)handled : 0.0;
    return true;
}

rtt_case *rtt_find(rtt_case *cases, size_t n, const rtt_ops *ops)
{
    for (size_t i = 0; i < n; i++)
        if (cases[i].ops == ops)
            return &cases[i];
    return NULL;
}

int rtt_uds_server_start(const rtt_env *env, const char *sock_name, const char *what, int *listen_fd,
                         int (*server_main)(void *), void *arg, pid_t *server)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", env->dir, sock_name);
    *listen_fd = uds_listen(path);
    if (*listen_fd < 0)
        return -1;
    *server = child_spawn(&env->place, *listen_fd, server_main, arg);
    int fd = *server > 0 ? uds_connect(path) : -1;
    close(*listen_fd);
    unlink(path);
    if (fd < 0)
        fprintf(stderr, "grite-bench: %s: cannot connect to its server\n", what);
    return fd;
}
