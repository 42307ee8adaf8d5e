/*
 * grite-bench - how users judge grite-ipc: codec costs, round trips against
 * the physical limit of a Unix socket and against JSON, cold calls,
 * concurrency, heap allocations, and gritec's own speed.
 *
 * See bench/README.md for what each figure means and the figures of a
 * full run on the reference machine.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "codec.h"
#include "gritec_bench.h"
#include "grite_msgs.h"
#include "options.h"
#include "results.h"
#include "rtt.h"
#include "transport_bench.h"

typedef struct bench {
    bench_options opt;
    placement place;
    workload wl;
    grite_wire wire;        /* grite's REQ and RESP archives */
    char dir[256];          /* private temp directory for sockets and files */
    result_table results;
    FILE *cdf;
} bench;

/* ---- sections ------------------------------------------------------------ */

static bool section_gritec(bench *b)
{
    return bench_gritec(&b->results, b->opt.gritec_path, b->dir, b->opt.idl_types, b->opt.quick ? 1 : 3);
}

static bool section_codec(bench *b)
{
    codec_plan plan = {b->opt.quick ? 200000u : 2000000u, b->opt.quick ? 5u : 51u, b->opt.quick};
    bool ok = bench_codec_grite(&b->results, &b->wl, &plan);
    return bench_codec_json(&b->results, &b->wl, &plan) && ok;
}

static rtt_env make_env(const bench *b)
{
    return (rtt_env){b->place, b->opt.quick, b->dir, &b->wl,
                     b->wire.req, b->wire.req_len, b->wire.resp, b->wire.resp_len};
}

/* One row of round-trip figures from a case's samples. */
static void rtt_row(bench *b, const char *name, rtt_case *c, double limit_p50)
{
    result_row *r = results_add(&b->results, name);
    if (r == NULL)
        return;
    double p50 = samples_quantile_us(&c->samples, 0.5);
    uint64_t total_ns = samples_total_ns(&c->samples);
    row_set(r, "p50_us", p50);
    row_set(r, "p99_us", samples_quantile_us(&c->samples, 0.99));
    row_set(r, "p999_us", samples_quantile_us(&c->samples, 0.999));
    row_set(r, "req_per_s", total_ns ? (double)c->samples.len * 1e9 / (double)total_ns : 0.0);
    if (limit_p50 > 0)
        row_set(r, "ratio_to_limit", p50 / limit_p50);
    row_set(r, "samples", (double)c->samples.len);
    if (b->cdf != NULL && strncmp(name, "rtt/", 4) == 0)
        samples_write_cdf(&c->samples, name, 400, b->cdf);
}

/* The rtt rows in the order a reader compares them, then the limit's two
 * variants. rtt/limit is the faster variant (by p50) of this very run. */
static void rtt_rows(bench *b, rtt_case *cases, size_t n)
{
    rtt_case *block = rtt_find(cases, n, &rtt_limit_block_ops);
    rtt_case *poll = rtt_find(cases, n, &rtt_limit_poll_ops);
    double block_p50 = samples_quantile_us(&block->samples, 0.5);
    double poll_p50 = samples_quantile_us(&poll->samples, 0.5);
    rtt_case *limit = poll_p50 < block_p50 ? poll : block;
    double limit_p50 = poll_p50 < block_p50 ? poll_p50 : block_p50;
    const rtt_ops *order[] = {&rtt_grite_ops, &rtt_grite_transport_ops, NULL,
                              &rtt_json_uds_ops, &rtt_json_http_ops};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (order[i] == NULL)
            rtt_row(b, "rtt/limit", limit, limit_p50);
        else
            rtt_row(b, order[i]->name, rtt_find(cases, n, order[i]), limit_p50);
    }
    rtt_row(b, block->ops->name, block, 0);
    rtt_row(b, poll->ops->name, poll, 0);
}

/* Steady-state heap allocations per round trip of the cases whose
 * allocations the bench can see (our code and cJSON, through its hooks). */
static bool alloc_rows(bench *b, rtt_case *cases, size_t n)
{
    size_t round_trips = b->opt.quick ? 200 : 20000;
    for (size_t i = 0; i < n; i++) {
        if (cases[i].ops != &rtt_grite_ops && cases[i].ops != &rtt_json_uds_ops)
            continue;
        const char *name = cases[i].ops->name + strlen("rtt/");
        alloc_figures f;
        if (!rtt_count_allocs(&cases[i], round_trips, &f))
            return false;
        char row[RESULT_NAME_MAX];
        snprintf(row, sizeof row, "allocs/%s/client", name);
        result_row *r = results_add(&b->results, row);
        if (r != NULL)
            row_set(r, "allocs_per_rtt", f.client_per_rtt);
        snprintf(row, sizeof row, "allocs/%s/server", name);
        r = results_add(&b->results, row);
        if (r != NULL)
            row_set(r, "allocs_per_rtt", f.server_per_rtt);
    }
    return true;
}

static bool section_rtt(bench *b)
{
    bool quick = b->opt.quick;
    size_t fast = quick ? 2000 : 200000;
    rtt_case cases[] = {
        {.ops = &rtt_limit_block_ops, .min_samples = fast},
        {.ops = &rtt_limit_poll_ops, .min_samples = fast},
        {.ops = &rtt_grite_ops, .min_samples = fast},
        {.ops = &rtt_grite_transport_ops, .min_samples = fast},
        {.ops = &rtt_json_uds_ops, .min_samples = quick ? 200 : 20000},
        {.ops = &rtt_json_http_ops, .min_samples = quick ? 100 : 15000},
    };
    size_t n = sizeof cases / sizeof cases[0];
    rtt_env env = make_env(b);
    rtt_plan plan = {quick ? 50 : 2000, quick ? 2000000u : 20000000u, quick ? 20000000000u : 120000000000u};
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = rtt_case_start(&cases[i], &env);
    ok = ok && rtt_run_alternating(cases, n, &plan);
    ok = ok && rtt_check_servers(cases, n);
    if (ok)
        rtt_rows(b, cases, n);
    ok = ok && alloc_rows(b, cases, n);
    for (size_t i = 0; i < n; i++)
        rtt_case_stop(&cases[i]);
    return ok;
}

static bool section_cold(bench *b)
{
    rtt_env env = make_env(b);
    return bench_cold(&b->results, &env, b->opt.quick ? 50 : 20000, b->cdf);
}

static bool section_clients(bench *b)
{
    static const unsigned COUNTS[] = {1, 2, 4, 16, 64};
    rtt_env env = make_env(b);
    uint64_t run_ns = b->opt.quick ? 100000000u : 3000000000u;
    return bench_clients(&b->results, &env, COUNTS, sizeof COUNTS / sizeof COUNTS[0], run_ns);
}

/* ---- set-up and teardown ------------------------------------------------- */

/* cJSON allocates through these, so its allocations are counted too. */
static void *json_malloc(size_t n) { return malloc(n); }
static void json_free(void *p) { free(p); }

static bool setup(bench *b)
{
    signal(SIGPIPE, SIG_IGN);   /* a dead server shows up as EPIPE, not death */
    cJSON_Hooks hooks = {json_malloc, json_free};
    cJSON_InitHooks(&hooks);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "grite-bench: libcurl did not initialise\n");
        return false;
    }
    if (!placement_init(&b->place, b->opt.pin) || !pin_client(&b->place))
        return false;
    workload_init(&b->wl);
    if (!grite_wire_init(&b->wire, &b->wl))
        return false;
    const char *tmp = getenv("TMPDIR");
    snprintf(b->dir, sizeof b->dir, "%s/grite-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(b->dir) == NULL) {
        fprintf(stderr, "grite-bench: cannot create %s: %s\n", b->dir, strerror(errno));
        return false;
    }
    if (b->opt.cdf_path != NULL && (b->cdf = fopen(b->opt.cdf_path, "w")) == NULL) {
        fprintf(stderr, "grite-bench: cannot write %s: %s\n", b->opt.cdf_path, strerror(errno));
        return false;
    }
    return true;
}

static void teardown(bench *b)
{
    if (b->cdf != NULL)
        fclose(b->cdf);
    if (b->dir[0] != '\0')
        rmdir(b->dir);
    grite_wire_free(&b->wire);
    results_free(&b->results);
    curl_global_cleanup();
}

static void print_banner(const bench *b)
{
    printf("grite-bench: %s run, pin %s", b->opt.quick ? "quick" : "full", pin_mode_name(b->place.mode));
    if (b->place.mode != PIN_NONE)
        printf(" (client on CPU %d, server on CPU %d)", b->place.client_cpu, b->place.server_cpu);
    printf(", %ld CPUs online; REQ %zu bytes, RESP %zu bytes as grite archives\n\n",
           sysconf(_SC_NPROCESSORS_ONLN), b->wire.req_len, b->wire.resp_len);
    fflush(stdout);
}

typedef struct section {
    unsigned bit;
    const char *name;
    bool (*run)(bench *b);
} section;

int main(int argc, char **argv)
{
    bench b = {0};
    int rc = options_parse(&b.opt, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (!setup(&b)) {
        teardown(&b);
        return 1;
    }
    print_banner(&b);
    /* gritec first: a child's peak RSS counts what it inherits at fork(). */
    static const section SECTIONS[] = {
        {SECTION_GRITEC, "gritec", section_gritec}, {SECTION_CODEC, "codec", section_codec},
        {SECTION_RTT, "rtt", section_rtt},          {SECTION_COLD, "cold", section_cold},
        {SECTION_CLIENTS, "clients", section_clients},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++) {
        if (!(b.opt.sections & SECTIONS[i].bit))
            continue;
        if (!SECTIONS[i].run(&b)) {
            fprintf(stderr, "grite-bench: section %s FAILED\n", SECTIONS[i].name);
            ok = false;
        }
    }
    results_print(&b.results, stdout);
    if (b.opt.json_path != NULL && !results_write_json(&b.results, b.opt.json_path)) {
        fprintf(stderr, "grite-bench: cannot write %s: %s\n", b.opt.json_path, strerror(errno));
        ok = false;
    }
    printf("\n%s\n", ok ? "grite-bench: all sections ran, every response verified"
                        : "grite-bench: FAILED (see messages above)");
    teardown(&b);
    return ok ? 0 : 1;
}
