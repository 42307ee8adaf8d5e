/*
 * grite-cli-bench - how long `grite issue show ID` takes, from running it
 * to its exit, against a warm daemon; and, next to it, the same work with
 * less around it, to show where the time goes (cli_timing.h).
 *
 *   grite-cli-bench [--runs N] [--json FILE] [--grite PATH]
 *
 * It makes a scratch data dir, starts its daemon (through grite itself),
 * creates one issue, warms every path up, measures, stops the daemon and
 * removes the directory. Prints a table of p50 and p99 in microseconds;
 * --json also writes the rows as a JSON array of {"name", "p50_us",
 * "p99_us", "runs"} objects, like grite-bench.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_timing.h"
#include "dispatch.h"

#define DEFAULT_RUNS 300
#define MIN_RUNS 200
#define WARMUP_RUNS 20
#define N_ROWS 5

typedef struct options {
    size_t runs;
    const char *json_path;
    const char *grite;
} options;

typedef struct row {
    const char *name;
    const char *what;
    double p50_us;
    double p99_us;
} row;

static int usage(void)
{
    fprintf(stderr, "usage: grite-cli-bench [--runs N (>= %d, default %d)] [--json FILE] [--grite PATH]\n",
            MIN_RUNS, DEFAULT_RUNS);
    return 2;
}

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){ .runs = DEFAULT_RUNS, .grite = GRITE_BIN };
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return -1;
        if (strcmp(argv[i], "--runs") == 0)
            o->runs = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--json") == 0)
            o->json_path = argv[++i];
        else if (strcmp(argv[i], "--grite") == 0)
            o->grite = argv[++i];
        else
            return -1;
    }
    return o->runs >= MIN_RUNS ? 0 : -1;
}

/* Run grite in this process with output captured into out. */
static int grite_here(char *out, size_t n, int argc, char **argv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return -1;
    int rc = cli_main(argc, argv, f, stderr);
    fclose(f);
    snprintf(out, n, "%s", text ? text : "");
    free(text);
    return rc;
}

static int create_issue(const char *data_dir, char id[33])
{
    char out[256];
    char *argv[] = { "grite", "--data-dir", (char *)data_dir, "issue", "create", "--title",
                     "bench issue", "--body", "An issue shown again and again.", NULL };
    if (grite_here(out, sizeof out, 9, argv) != 0 || sscanf(out, "Created issue %32s", id) != 1)
        return -1;
    return 0;
}

static void stop_daemon(const char *data_dir)
{
    char out[256];
    char *argv[] = { "grite", "--data-dir", (char *)data_dir, "daemon", "stop", NULL };
    grite_here(out, sizeof out, 5, argv);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Measure one mode: warm-up, then the runs; fills r. */
typedef int (*measure_fn)(void *arg, size_t runs, uint64_t *ns);

static int measure(row *r, measure_fn fn, void *arg, size_t runs, uint64_t *ns)
{
    if (fn(arg, WARMUP_RUNS, ns) != 0 || fn(arg, runs, ns) != 0)
        return -1;
    r->p50_us = quantile_us(ns, runs, 0.50);
    r->p99_us = quantile_us(ns, runs, 0.99);
    return 0;
}

typedef struct bench_ctx {
    char *true_argv[2];
    char *version_argv[3];
    char *show_argv[7];
    const char *data_dir;
    const char *issue_id;
} bench_ctx;

static int m_true(void *a, size_t n, uint64_t *ns) { return time_spawn(((bench_ctx *)a)->true_argv, n, ns); }
static int m_version(void *a, size_t n, uint64_t *ns) { return time_spawn(((bench_ctx *)a)->version_argv, n, ns); }
static int m_show(void *a, size_t n, uint64_t *ns) { return time_spawn(((bench_ctx *)a)->show_argv, n, ns); }
static int m_in_process(void *a, size_t n, uint64_t *ns) { return time_in_process(6, ((bench_ctx *)a)->show_argv, n, ns); }

static int m_warm(void *a, size_t n, uint64_t *ns)
{
    bench_ctx *b = a;
    return time_warm_call(b->data_dir, b->issue_id, n, ns);
}

static void print_rows(const row *rows, size_t n, size_t runs)
{
    printf("grite issue show, %zu runs each, against a warm daemon (microseconds):\n\n", runs);
    printf("%-22s %-46s %9s %9s\n", "name", "what", "p50_us", "p99_us");
    for (size_t i = 0; i < n; i++)
        printf("%-22s %-46s %9.0f %9.0f\n", rows[i].name, rows[i].what, rows[i].p50_us, rows[i].p99_us);
}

static int write_json(const char *path, const row *rows, size_t n, size_t runs)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "[\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  {\"name\": \"cli/%s\", \"p50_us\": %.1f, \"p99_us\": %.1f, \"runs\": %zu}%s\n",
                rows[i].name, rows[i].p50_us, rows[i].p99_us, runs, i + 1 < n ? "," : "");
    fprintf(f, "]\n");
    return fclose(f);
}

static int run_bench(const options *o, const char *data_dir, const char *id, row *rows, uint64_t *ns)
{
    bench_ctx b = {
        .true_argv = { "/bin/true", NULL },
        .version_argv = { (char *)o->grite, "--version", NULL },
        .show_argv = { (char *)o->grite, "--data-dir", (char *)data_dir, "issue", "show", (char *)id, NULL },
        .data_dir = data_dir,
        .issue_id = id,
    };
    static const struct { const char *name; const char *what; measure_fn fn; } modes[N_ROWS] = {
        { "spawn_true", "posix_spawn + wait of /bin/true", m_true },
        { "grite_version", "grite --version (process start only)", m_version },
        { "grite_issue_show", "grite issue show ID (the real thing)", m_show },
        { "in_process_show", "the same in this process (no exec)", m_in_process },
        { "warm_call", "IssueShow on a warm connection (round trip)", m_warm },
    };
    for (size_t i = 0; i < N_ROWS; i++) {
        rows[i].name = modes[i].name;
        rows[i].what = modes[i].what;
        if (measure(&rows[i], modes[i].fn, &b, o->runs, ns) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o) != 0)
        return usage();
#ifdef GRITE_DAEMON_BIN
    setenv("GRITE_DAEMON", GRITE_DAEMON_BIN, 0);
#endif
    char data_dir[] = "/tmp/grite-cli-bench.XXXXXX";
    if (mkdtemp(data_dir) == NULL) {
        perror("grite-cli-bench: mkdtemp");
        return 1;
    }
    uint64_t *ns = calloc(o.runs > WARMUP_RUNS ? o.runs : WARMUP_RUNS, sizeof *ns);
    row rows[N_ROWS];
    char id[33];
    int rc = ns != NULL && create_issue(data_dir, id) == 0 ? run_bench(&o, data_dir, id, rows, ns) : -1;
    stop_daemon(data_dir);
    nftw(data_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(ns);
    if (rc != 0) {
        fprintf(stderr, "grite-cli-bench: failed\n");
        return 1;
    }
    print_rows(rows, N_ROWS, o.runs);
    if (o.json_path != NULL && write_json(o.json_path, rows, N_ROWS, o.runs) != 0) {
        perror("grite-cli-bench: --json");
        return 1;
    }
    return 0;
}
