/*
 * store_replay.c - grite-store-replay-bench: how long the issue store
 * (daemon/store.h) takes to take in a log whose N comments, or labels, on
 * one issue come in time order, newest first, or shuffled.
 *
 * A log is untrusted input: a sync remote is a directory another user may
 * write, so its order is whatever they chose. Each cell of the table is
 * one grite_store_open of such a log (or one grite_sync_pull of it into an
 * empty store), and every result is checked: all N items there, in order.
 *
 *   grite-store-replay-bench [--budget SECONDS] [N...]   the table (default
 *                                   N: 10000 50000 100000 200000)
 *   grite-store-replay-bench --quick                      a small N, checked;
 *                                   no figure judged (ctest bench_store_replay_quick)
 *
 * A cell slower than the budget (default 10 s) skips its column for the
 * larger N: time quadratic in N would otherwise run for minutes.
 *
 * The logs are made with the store's own encoder (store_internal.h), so
 * they are exactly what a store would accept from a remote.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "store.h"
#include "store_internal.h"
#include "sync.h"

#define ACTOR_HEX "0123456789abcdef0123456789abcdef"
#define FIRST_ITEM_TS 1001u
#define QUICK_N 3000u
#define MAX_SIZES 16
/* Our directories are short: a mkdtemp name under /tmp and a leaf. */
#define DIR_LEN 64
#define PATH_LEN 96

static const uint8_t issue_id[ID_BYTES] = {0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
                                           0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e};

enum item { COMMENTS, LABELS };
enum arrangement { IN_ORDER, REVERSED, SHUFFLED };

/* One column of the table. */
struct bench_case {
    const char *name;
    enum item item;
    enum arrangement order;
    bool pull; /* time grite_sync_pull from the log, not grite_store_open of it */
};

static const struct bench_case cases[] = {
    {"comments in order", COMMENTS, IN_ORDER, false},
    {"comments newest first", COMMENTS, REVERSED, false},
    {"comments shuffled", COMMENTS, SHUFFLED, false},
    {"labels reversed", LABELS, REVERSED, false},
    {"pull, newest first", COMMENTS, REVERSED, true},
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

static char root[] = "/tmp/grite-store-replay-XXXXXX"; /* mkdtemp'ed by main */

static void remove_store_dir(const char *dir);

/* The two store directories a cell uses, under root. */
static void cell_dirs(char log_dir[DIR_LEN], char pull_dir[DIR_LEN])
{
    snprintf(log_dir, DIR_LEN, "%s/log", root);
    snprintf(pull_dir, DIR_LEN, "%s/pulled", root);
}

static void remove_scratch(void)
{
    char log_dir[DIR_LEN], pull_dir[DIR_LEN];
    cell_dirs(log_dir, pull_dir);
    remove_store_dir(log_dir);
    remove_store_dir(pull_dir);
    rmdir(root);
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "grite-store-replay-bench: %s%s%s\n", what, detail[0] ? ": " : "", detail);
    remove_scratch();
    exit(EXIT_FAILURE);
}

/* ---- making a log ---- */

/* Item k (k-th in time order): its text sorts as k does. */
static void item_text(enum item item, uint32_t k, char *out, size_t cap)
{
    snprintf(out, cap, item == COMMENTS ? "comment %07u" : "label-%07u", (unsigned)k);
}

static void base_event(struct event *ev, enum event_kind kind, uint32_t serial, uint64_t ts)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    memset(ev->event_id, 0x5a, ID_BYTES);
    store_save_u32(ev->event_id, serial);
    store_id_from_hex(ev->actor, ACTOR_HEX);
    memcpy(ev->issue_id, issue_id, ID_BYTES);
    ev->ts = ts;
}

static void frame_event(struct buf *log, const struct event *ev)
{
    struct buf payload = {0};
    if (!store_event_encode(ev, &payload) || !store_log_frame(log, payload.data, payload.len))
        die("out of memory", "");
    store_buf_free(&payload);
}

/* Where the k-th written item sits in time: positions[k]. */
static uint32_t *arrange(enum arrangement order, uint32_t n)
{
    uint32_t *positions = malloc((n + 1) * sizeof *positions);
    if (positions == NULL)
        die("out of memory", "");
    for (uint32_t k = 0; k < n; k++)
        positions[k] = order == REVERSED ? n - 1 - k : k;
    uint64_t x = 0x9e3779b97f4a7c15u; /* xorshift64: the same shuffle every run */
    for (uint32_t k = n; order == SHUFFLED && k > 1; k--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t j = (uint32_t)(x % k), t = positions[k - 1];
        positions[k - 1] = positions[j];
        positions[j] = t;
    }
    return positions;
}

/* The records of one issue's create and its n items, in `order`. */
static void build_records(const struct bench_case *c, uint32_t n, struct buf *log)
{
    struct event ev;
    base_event(&ev, EV_CREATE, UINT32_MAX, FIRST_ITEM_TS - 1);
    ev.title = (struct text_ref){"replayed", 8};
    ev.body = (struct text_ref){"", 0};
    frame_event(log, &ev);
    uint32_t *positions = arrange(c->order, n);
    char text[32];
    for (uint32_t k = 0; k < n; k++) {
        uint32_t at = positions[k];
        base_event(&ev, c->item == COMMENTS ? EV_COMMENT : EV_LABEL, at, FIRST_ITEM_TS + at);
        item_text(c->item, at, text, sizeof text);
        ev.text = (struct text_ref){text, strlen(text)};
        frame_event(log, &ev);
    }
    free(positions);
}

static void write_all(int fd, const uint8_t *bytes, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, bytes, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("cannot write a log", strerror(errno));
        bytes += w;
        len -= (size_t)w;
    }
}

static grite_store *open_store(const char *dir)
{
    grite_store *s = NULL;
    struct grite_store_error err;
    if (grite_store_open(dir, ACTOR_HEX, NULL, &s, &err) != GRITE_STORE_OK)
        die("cannot open a store", err.message);
    return s;
}

/* A store directory `dir` whose log holds the case's records; returns the
 * log's size. */
static uint64_t write_log(const char *dir, const struct bench_case *c, uint32_t n)
{
    if (mkdir(dir, 0700) != 0)
        die("cannot make the store directory", dir);
    grite_store_close(open_store(dir)); /* the store writes the header */
    struct buf log = {0};
    build_records(c, n, &log);
    char path[PATH_LEN];
    snprintf(path, sizeof path, "%s/" LOG_FILE_NAME, dir);
    int fd = open(path, O_WRONLY | O_APPEND);
    if (fd < 0)
        die("cannot open", path);
    write_all(fd, log.data, log.len);
    close(fd);
    uint64_t size = log.len + LOG_HEADER_SIZE;
    store_buf_free(&log);
    return size;
}

static void remove_store_dir(const char *dir)
{
    static const char *const names[] = {LOG_FILE_NAME, LOCK_FILE_NAME};
    char path[PATH_LEN];
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* ---- one cell: load, time, check ---- */

/* All n items on the issue, in time order; NULL or what is wrong. */
static const char *check_items(grite_store *s, const struct bench_case *c, uint32_t n)
{
    char hex[GRITE_ID_HEX_LEN + 1], text[32];
    store_hex_from_id(hex, issue_id);
    const struct grite_issue *is;
    if (grite_store_issue_show(s, hex, &is, NULL) != GRITE_STORE_OK)
        return "the issue is missing";
    size_t count = c->item == COMMENTS ? is->comment_count : is->label_count;
    if (count != n)
        return "items are missing";
    for (uint32_t k = 0; k < n; k++) {
        item_text(c->item, k, text, sizeof text);
        const char *got = c->item == COMMENTS ? is->comments[k].body : is->labels[k];
        if (strcmp(got, text) != 0 ||
            (c->item == COMMENTS && is->comments[k].created_ts != FIRST_ITEM_TS + k))
            return "items are out of order";
    }
    return NULL;
}

/* Loads the log in `log_dir` as the case says; returns the seconds taken. */
static double load(const struct bench_case *c, const char *log_dir, const char *pull_dir,
                   uint32_t n)
{
    grite_store *s = c->pull ? open_store(pull_dir) : NULL;
    struct grite_store_error err = {0};
    uint64_t start = bench_now_ns();
    enum grite_store_status rc =
        c->pull ? grite_sync_pull(s, log_dir, NULL, &err)
                : grite_store_open(log_dir, ACTOR_HEX, NULL, &s, &err);
    uint64_t took = bench_now_ns() - start;
    if (rc != GRITE_STORE_OK)
        die(c->pull ? "pull failed" : "open failed", err.message);
    const char *bad = check_items(s, c, n);
    if (bad != NULL)
        die(c->name, bad);
    grite_store_close(s);
    return (double)took / 1e9;
}

static double run_cell(const struct bench_case *c, uint32_t n, uint64_t *log_bytes)
{
    char log_dir[DIR_LEN], pull_dir[DIR_LEN];
    cell_dirs(log_dir, pull_dir);
    *log_bytes = write_log(log_dir, c, n);
    double seconds = load(c, log_dir, pull_dir, n);
    remove_store_dir(log_dir);
    remove_store_dir(pull_dir);
    return seconds;
}

/* ---- the table ---- */

struct options {
    bool quick;
    double budget;
    uint32_t sizes[MAX_SIZES];
    size_t size_count;
};

static const char usage_text[] =
    "usage: grite-store-replay-bench [--budget SECONDS] [N...]\n"
    "       grite-store-replay-bench --quick\n"
    "\n"
    "Times opening (and pulling) an issue-store log whose N comments or labels on\n"
    "one issue come in time order, newest first, or shuffled; every result is\n"
    "checked. Default N: 10000 50000 100000 200000. A cell slower than the budget\n"
    "(default 10 s) skips its column for larger N. --quick: a small N, checked,\n"
    "no figure judged.\n";

/* Option errors: exit 2 with the usage, before any scratch exists. */
static _Noreturn void bad_option(const char *what, const char *arg)
{
    fprintf(stderr, "grite-store-replay-bench: %s%s%s\n%s", what, arg ? ": " : "", arg ? arg : "",
            usage_text);
    exit(2);
}

static double parse_seconds(const char *arg)
{
    char *end = NULL;
    double v = arg != NULL ? strtod(arg, &end) : 0;
    if (arg == NULL || end == arg || *end != '\0' || !(v > 0) || v > 86400)
        bad_option("--budget needs a number of seconds from 0 to 86400, not", arg);
    return v;
}

static uint32_t parse_count(const char *arg)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || v == 0 || v > 10000000)
        bad_option("N must be a count from 1 to 10000000, not", arg);
    return (uint32_t)v;
}


static struct options parse_options(int argc, char **argv)
{
    struct options o = {.budget = 10.0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            exit(EXIT_SUCCESS);
        } else if (argv[i][0] == '-' && strcmp(argv[i], "--quick") != 0 && strcmp(argv[i], "--budget") != 0) {
            fprintf(stderr, "grite-store-replay-bench: unknown option %s\n%s", argv[i], usage_text);
            exit(2);
        } else if (strcmp(argv[i], "--quick") == 0) {
            o.quick = true;
        } else if (strcmp(argv[i], "--budget") == 0) {
            o.budget = parse_seconds(i + 1 < argc ? argv[++i] : NULL);
        } else if (o.size_count < MAX_SIZES) {
            o.sizes[o.size_count++] = parse_count(argv[i]);
        } else {
            bad_option("too many sizes", argv[i]);
        }
    }
    static const uint32_t defaults[] = {10000, 50000, 100000, 200000};
    if (o.quick)
        o.sizes[0] = QUICK_N, o.size_count = 1;
    for (size_t i = 0; o.size_count == 0 && i < 4; i++)
        o.sizes[i] = defaults[i];
    if (o.size_count == 0)
        o.size_count = 4;
    return o;
}

static void print_header(void)
{
    printf("%8s %9s", "N", "log MB");
    for (size_t i = 0; i < CASE_COUNT; i++)
        printf("  %22s", cases[i].name);
    printf("\n");
}

int main(int argc, char **argv)
{
    struct options o = parse_options(argc, argv);
    if (mkdtemp(root) == NULL) {
        fprintf(stderr, "grite-store-replay-bench: cannot make %s: %s\n", root, strerror(errno));
        return EXIT_FAILURE;
    }
    bool over_budget[CASE_COUNT] = {false};
    print_header();
    for (size_t i = 0; i < o.size_count; i++) {
        uint32_t n = o.sizes[i];
        char cells[CASE_COUNT][32];
        uint64_t log_bytes = 0, bytes;
        for (size_t k = 0; k < CASE_COUNT; k++) {
            if (over_budget[k]) {
                snprintf(cells[k], sizeof cells[k], "skipped");
                continue;
            }
            double s = run_cell(&cases[k], n, &bytes);
            over_budget[k] = s > o.budget;
            snprintf(cells[k], sizeof cells[k], "%.3f s", s);
            if (cases[k].item == COMMENTS && log_bytes == 0)
                log_bytes = bytes;   /* every comments column writes the same size */
        }
        printf("%8u %9.1f", (unsigned)n, (double)log_bytes / 1e6);
        for (size_t k = 0; k < CASE_COUNT; k++)
            printf("  %22s", cells[k]);
        printf("\n");
        fflush(stdout);
    }
    remove_scratch();
    if (o.quick)
        printf("every store held all %u items in order\n", (unsigned)QUICK_N);
    return EXIT_SUCCESS;
}
