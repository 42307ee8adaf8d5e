/* test_soak.c - fault_soak: one grite-daemon under a storm of client
 * processes (64 by default) for a bounded time, while the test kills them
 * at random and replaces them, and they send garbage, oversized and half
 * frames besides their well-formed requests (soak_worker.c).
 *
 * Afterwards: every well-formed request was answered correctly (each
 * client checks every reply: its request_id, and the content against what
 * was written), no process ended in any other way than by its own exit or
 * a kill, the daemon never died, its memory (VmRSS) stayed flat after the
 * warm-up, it holds exactly the file descriptors it held before the storm,
 * a half frame left alone was dropped after the io timeout (10 s) and not
 * before, every acknowledged write is there (also after a restart), the
 * store checks clean, and the daemon exits 0 (under ASan: no leak report).
 *
 *   GRITE_SOAK_SECONDS   storm length (default 20; valgrind 8)
 *   GRITE_SOAK_CLIENTS   concurrent client processes (default 64; valgrind 8; at most 80)
 *
 * docs/FAULTS.md gives the figures of a 60 s run. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "fault_util.h"
#include "soak.h"

#define SAMPLE_EVERY_MS 100
#define KILL_MIN_MS 20     /* the test kills a random client every 20..80 ms (64 clients) */
#define KILL_SPREAD_MS 60
#define SLOTH_MIN_SECONDS 14   /* the io-timeout check needs a storm this long */
#define IO_TIMEOUT_MS 10000    /* the daemon's (the runtime server's default) */
#define RSS_SLACK_KB 6144      /* "flat": see rss_verdict() */

struct soak_params {
    double seconds;
    int clients;
    int call_timeout_ms;
    bool check_rss;    /* not under ASan (quarantine, shadow) or valgrind: RSS means little there */
};

struct rss_sample {
    int64_t t_ms;   /* since the storm began */
    long kb;
};

struct storm {
    struct soak_shared *sh;
    struct soak_params p;
    struct daemon_proc d;
    int64_t start_ms;
    struct rss_sample *samples;
    size_t nsamples, cap;
    uint64_t rng;
    unsigned kills, self_ended, spawned;
    pid_t sloth;
};

static struct soak_params soak_params(void)
{
    bool vg = test_under_valgrind();
    struct soak_params p = {
        .seconds = fault_env_number("GRITE_SOAK_SECONDS", vg ? 8 : 20),
        .clients = (int)fault_env_number("GRITE_SOAK_CLIENTS", vg ? 8 : 64),
        .call_timeout_ms = vg ? 120000 : fault_under_asan() ? 30000 : 10000,
        .check_rss = !vg && !fault_under_asan(),
    };
    if (p.clients > SOAK_MAX_CLIENTS) p.clients = SOAK_MAX_CLIENTS;
    return p;
}

static unsigned rand_below(struct storm *st, unsigned n)
{
    st->rng = st->rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (unsigned)((st->rng >> 33) % n);
}

/* ---- setup: the issues everyone checks ------------------------------------------ */

static void create_labelled(struct test_client *c, const char *title, const char *body, grite_str *labels,
                            size_t nlabels, char out_id[33])
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                               .v.IssueCreate = {.title = grite_str_from_cstr(title),
                                                 .body = grite_str_from_cstr(body),
                                                 .labels = {labels, nlabels}}};
    fault_created_id(client_call(c, &cmd), out_id);
}

static void create_seeds(struct storm *st, struct test_client *a, struct test_client *b)
{
    char *body = malloc(SOAK_BODY_MAX + 1);
    ck_assert_ptr_nonnull(body);
    for (int i = 0; i < SOAK_SEEDS; i++) {
        char title[64], labels[3][16], note[64];
        grite_str label_strs[3];
        seed_title(i, title, sizeof title);
        seed_body(i, body);
        seed_labels(i, labels);
        for (int k = 0; k < 3; k++) label_strs[k] = grite_str_from_cstr(labels[k]);
        create_labelled(a, title, body, label_strs, 3, st->sh->seeds[i].issue_id);
        for (int k = 0; k < seed_comment_count(i); k++) {
            seed_comment(i, k, note, sizeof note);
            add_comment(b, st->sh->seeds[i].issue_id, note);
        }
    }
    for (int i = 0; i < SOAK_SEEDS; i++) {   /* what was written reads back; its digest is the reference */
        char why[512];
        const grite_Issue *is = fault_show_issue(a, st->sh->seeds[i].issue_id);
        ck_assert_msg(check_seed(is, i, &st->sh->seeds[i], body, why, sizeof why), "%s", why);
        st->sh->seeds[i].digest = issue_digest(is);
    }
    free(body);
}

static void record_even_order(struct storm *st, struct test_client *c)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST,
                               .v.IssueList.filter = {.label = {true, GRITE_STR(SOAK_LABEL_EVEN)}}};
    const grite_IpcResponse_IssueListResult *r =
        grite_IpcResponse_as_IssueListResult(expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT));
    grite_vec_IssueSummary rows = grite_IpcResponse_IssueListResult_issues(r);
    ck_assert_uint_eq(rows.len, SOAK_SEEDS / 2);
    for (size_t k = 0; k < rows.len; k++)
        copy_id(grite_IssueSummary_issue_id(grite_vec_IssueSummary_at(rows, k)), st->sh->even_order[k]);
    char why[512];
    ck_assert_msg(check_even_list(r, st->sh, why, sizeof why), "%s", why);
}

/* One issue per slot, created by the slot's actor: SOAK_ACTORS actors, so
 * the daemon's pool of store handles is full before the storm begins. */
static void create_slot_issues(struct storm *st, struct test_client *c)
{
    for (int s = 0; s < st->p.clients; s++) {
        struct soak_slot *slot = &st->sh->slots[s];
        char title[64], body[128];
        grite_str label = GRITE_STR("slot");
        slot_actor(s, slot->actor);
        slot_title(s, title, sizeof title);
        slot_body(s, body, sizeof body);
        snprintf(c->actor, sizeof c->actor, "%s", slot->actor);
        create_labelled(c, title, body, &label, 1, slot->issue_id);
    }
    snprintf(c->actor, sizeof c->actor, "%s", ACTOR_A);
}

static void set_up(struct storm *st)
{
    st->sh = mmap(NULL, sizeof *st->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(st->sh, MAP_FAILED);
    memset(st->sh, 0, sizeof *st->sh);
    daemon_start(&st->d, test_path("data"), test_path("d.sock"), NULL);
    struct soak_shared *sh = st->sh;
    snprintf(sh->socket_path, sizeof sh->socket_path, "%s", st->d.socket_path);
    snprintf(sh->data_dir, sizeof sh->data_dir, "%s", st->d.data_dir);
    sh->daemon_pid = st->d.pid;
    sh->call_timeout_ms = st->p.call_timeout_ms;
    struct test_client a, b;
    client_open(&a, &st->d, ACTOR_A);
    client_open(&b, &st->d, ACTOR_B);
    create_seeds(st, &a, &b);
    record_even_order(st, &a);
    create_slot_issues(st, &a);
    client_close(&a);
    client_close(&b);
    st->rng = (uint64_t)getpid() ^ (uint64_t)test_clock_ms() << 16;
}

/* ---- the daemon while it serves ------------------------------------------------------ */

static void assert_daemon_alive(struct storm *st, const char *when)
{
    if (!proc_is_dead(st->d.pid)) return;
    int status = daemon_wait_exit(&st->d, 1000);
    ck_abort_msg("grite-daemon died %s (status %d); its log:\n%s", when, status, daemon_log(&st->d));
}

/* The descriptor count once nothing changes for 300 ms (stretched under
 * valgrind, where the daemon may take that long to see a hang-up). */
static int settled_fd_count(pid_t pid)
{
    int last = -1, same = 0;
    for (int i = 0; i < 100 && same < 3; i++) {
        int n = proc_fd_count(pid);
        same = n == last ? same + 1 : 0;
        last = n;
        test_sleep_ms(test_scaled_ms(100));
    }
    return last;
}

static void sample_rss(struct storm *st)
{
    if (st->nsamples == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 1024;
        st->samples = realloc(st->samples, st->cap * sizeof *st->samples);
        ck_assert_ptr_nonnull(st->samples);
    }
    st->samples[st->nsamples++] = (struct rss_sample){test_clock_ms() - st->start_ms, proc_rss_kb(st->d.pid)};
}

/* ---- the client processes ---------------------------------------------------------------- */

static void spawn(struct storm *st, int s)
{
    struct soak_slot *slot = &st->sh->slots[s];
    slot->generation++;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) soak_worker_main(st->sh, s);
    slot->pid = pid;
    st->spawned++;
}

static void describe_status(int status, char *out, size_t n)
{
    if (WIFEXITED(status)) snprintf(out, n, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(out, n, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else snprintf(out, n, "wait status %#x", status);
}

/* Reap slot s's process if it has ended. A SIGKILL (ours, or its own) and
 * exit 0 are the only acceptable ends; anything else fails the test with
 * what the process wrote in its slot. */
static bool reap(struct storm *st, int s, bool block)
{
    struct soak_slot *slot = &st->sh->slots[s];
    int status;
    if (slot->pid <= 0) return false;
    pid_t r = waitpid(slot->pid, &status, block ? 0 : WNOHANG);
    if (r == 0) return false;
    ck_assert_int_eq(r, slot->pid);
    slot->pid = 0;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && !slot->failed) return true;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !slot->failed) {
        st->self_ended++;
        return true;
    }
    char how[64];
    describe_status(status, how, sizeof how);
    ck_abort_msg("a soak client ended with %s: %s", how, slot->failed ? slot->failure : "(it wrote no reason)");
    return false;
}

static void kill_one(struct storm *st)
{
    int s = (int)rand_below(st, (unsigned)st->p.clients);
    if (st->sh->slots[s].pid <= 0) return;
    kill(st->sh->slots[s].pid, SIGKILL);
    reap(st, s, true);
    st->kills++;
    spawn(st, s);
}

static void run_storm(struct storm *st)
{
    st->start_ms = test_clock_ms();
    st->sh->deadline_ms = st->start_ms + (int64_t)(st->p.seconds * 1000);
    if (st->p.seconds >= SLOTH_MIN_SECONDS) {
        st->sloth = fork();
        ck_assert_int_ge(st->sloth, 0);
        if (st->sloth == 0) soak_sloth_main(st->sh);
    }
    for (int s = 0; s < st->p.clients; s++) spawn(st, s);
    int64_t next_kill = st->start_ms + KILL_MIN_MS, next_sample = st->start_ms;
    for (int64_t now; (now = test_clock_ms()) < st->sh->deadline_ms;) {
        for (int s = 0; s < st->p.clients; s++)
            if (reap(st, s, false)) spawn(st, s);
        if (now >= next_kill) {   /* as often per client as with 64 of them */
            kill_one(st);
            next_kill = now + (int64_t)(KILL_MIN_MS + rand_below(st, KILL_SPREAD_MS)) * 64 / st->p.clients;
        }
        if (now >= next_sample) {
            assert_daemon_alive(st, "during the storm");
            sample_rss(st);
            next_sample += SAMPLE_EVERY_MS;
        }
        test_sleep_ms(5);
    }
}

/* The clients stop by themselves at the deadline; one that does not within
 * its call timeout waits for a reply that never comes. */
static void wait_for_clients(struct storm *st)
{
    int64_t limit = st->sh->deadline_ms + st->p.call_timeout_ms + 5000;
    for (int s = 0; s < st->p.clients; s++) {
        while (st->sh->slots[s].pid > 0 && !reap(st, s, false)) {
            if (test_clock_ms() > limit) {
                for (int k = 0; k < st->p.clients; k++)
                    if (st->sh->slots[k].pid > 0) kill(st->sh->slots[k].pid, SIGKILL);
                ck_abort_msg("soak client slot %d still runs %lld ms after the end of the storm", s,
                             (long long)(test_clock_ms() - st->sh->deadline_ms));
            }
            test_sleep_ms(10);
        }
    }
}

static void check_sloth(struct storm *st)
{
    if (st->sloth <= 0) return;
    int status;
    ck_assert_int_eq(waitpid(st->sloth, &status, 0), st->sloth);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the half frame left alone: %s", st->sh->sloth_failure);
    int64_t after = st->sh->sloth_closed_after_ms;
    ck_assert_msg(after >= IO_TIMEOUT_MS - 50 && after < 3 * IO_TIMEOUT_MS,
                  "a half frame left alone was dropped after %lld ms, not after the %d ms io timeout", (long long)after,
                  IO_TIMEOUT_MS);
}

/* ---- after the storm --------------------------------------------------------------------- */

static void sum_counts(const struct storm *st, struct soak_counts *sum)
{
    memset(sum, 0, sizeof *sum);
    for (int s = 0; s < st->p.clients; s++) {
        const struct soak_counts *c = &st->sh->slots[s].counts;
        sum->verified += c->verified;
        sum->expected_errors += c->expected_errors;
        sum->comments_acked += c->comments_acked;
        sum->garbage += c->garbage;
        sum->oversized += c->oversized;
        sum->half_closed += c->half_closed;
        sum->half_hung += c->half_hung;
        sum->junk += c->junk;
        sum->mismatched += c->mismatched;
        sum->pipelined += c->pipelined;
        sum->reconnects += c->reconnects;
        sum->killed_mid_frame += c->killed_mid_frame;
        sum->killed_mid_request += c->killed_mid_request;
    }
}

/* Every seed and every slot's issue, as written; every acknowledged comment. */
static void verify_store(struct storm *st, struct test_client *c)
{
    char why[512];
    char *body = malloc(SOAK_BODY_MAX + 1);
    ck_assert_ptr_nonnull(body);
    for (int i = 0; i < SOAK_SEEDS; i++)
        ck_assert_msg(check_seed(fault_show_issue(c, st->sh->seeds[i].issue_id), i, &st->sh->seeds[i], body, why, sizeof why),
                      "%s", why);
    for (int s = 0; s < st->p.clients; s++)
        ck_assert_msg(check_slot_issue(fault_show_issue(c, st->sh->slots[s].issue_id), s, &st->sh->slots[s], why, sizeof why),
                      "%s", why);
    free(body);
}

static uint64_t requests_served(struct test_client *c, uint32_t *clients)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    const grite_IpcResponse_DaemonStatusResult *s = grite_IpcResponse_as_DaemonStatusResult(
        expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT));
    *clients = grite_IpcResponse_DaemonStatusResult_connected_clients(s);
    return grite_IpcResponse_DaemonStatusResult_requests_served(s);
}

/* Lines of the daemon's log at level "error" (a bad request is a warning). */
static int log_errors(const struct daemon_proc *d, char *first, size_t n)
{
    FILE *f = fopen(d->log_path, "r");
    char line[1024];
    int errors = 0;
    first[0] = '\0';
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "] error: ") && errors++ == 0) snprintf(first, n, "%s", line);
    fclose(f);
    return errors;
}

/* GRITE_SOAK_RSS_LOG=FILE: the samples, "ms kB" per line, to plot or read. */
static void write_rss_log(const struct storm *st)
{
    const char *path = getenv("GRITE_SOAK_RSS_LOG");
    FILE *f = path && *path ? fopen(path, "w") : NULL;
    if (!f) return;
    for (size_t i = 0; i < st->nsamples; i++) fprintf(f, "%lld %ld\n", (long long)st->samples[i].t_ms, st->samples[i].kb);
    fclose(f);
}

/* The largest RSS in [from, to) ms of the storm. */
static long rss_max(const struct storm *st, int64_t from, int64_t to)
{
    long max = -1;
    for (size_t i = 0; i < st->nsamples; i++)
        if (st->samples[i].t_ms >= from && st->samples[i].t_ms < to && st->samples[i].kb > max)
            max = st->samples[i].kb;
    return max;
}

/* Flat after the warm-up (the first half, up to 10 s, and at least the
 * first third, while the bounded writes and the store handles grow the
 * index and the heap to their working size): the largest RSS
 * after it exceeds the largest during it by at most RSS_SLACK_KB + 10%.
 * The warm-up reaches the high-water mark of what the storm needs at once
 * (buffers of up to ~100 connections, 64 KiB replies queued for slow
 * readers, glibc keeping freed memory); a leak of even 100 bytes per
 * request grows far past that (tens of MiB over 20 s). */
static void rss_verdict(struct storm *st, long final_kb, long *warm_kb, long *peak_kb)
{
    int64_t total = (int64_t)(st->p.seconds * 1000);
    int64_t half = total / 2 < 10000 ? total / 2 : 10000;
    int64_t warm = total / 3 > half ? total / 3 : half;
    *warm_kb = rss_max(st, 0, warm);
    *peak_kb = rss_max(st, warm, total + 1000);
    if (!st->p.check_rss) return;
    long allowed = *warm_kb + RSS_SLACK_KB + *warm_kb / 10;
    ck_assert_msg(*peak_kb <= allowed && final_kb <= allowed,
                  "grite-daemon's RSS grew after the warm-up: %ld kB at most during it, then up to %ld kB, %ld kB at "
                  "the end (allowed: %ld kB)",
                  *warm_kb, *peak_kb, final_kb, allowed);
}

START_TEST(storm_of_clients_killed_and_abusive)
{
    struct storm st = {.p = soak_params()};
    set_up(&st);
    int fds_before = settled_fd_count(st.d.pid);
    char fd_list_before[4096];
    proc_fd_list(st.d.pid, fd_list_before, sizeof fd_list_before);
    long rss_start = proc_rss_kb(st.d.pid);

    run_storm(&st);
    wait_for_clients(&st);
    check_sloth(&st);
    assert_daemon_alive(&st, "after the storm");

    int fds_after = proc_fd_count_settle(st.d.pid, fds_before, 5000);
    char fd_list_after[4096];
    proc_fd_list(st.d.pid, fd_list_after, sizeof fd_list_after);
    ck_assert_msg(fds_after == fds_before, "grite-daemon had %d descriptors before the storm and %d after:\n%s\nnow:\n%s",
                  fds_before, fds_after, fd_list_before, fd_list_after);
    long rss_end = proc_rss_kb(st.d.pid), rss_warm, rss_peak;
    write_rss_log(&st);
    rss_verdict(&st, rss_end, &rss_warm, &rss_peak);

    struct test_client c;
    client_open(&c, &st.d, ACTOR_A);
    verify_store(&st, &c);
    fault_assert_store_integrity(&c);
    uint32_t connected;
    uint64_t served = requests_served(&c, &connected);
    ck_assert_uint_eq(connected, 1);
    client_close(&c);
    char first_error[1024];
    int errors = log_errors(&st.d, first_error, sizeof first_error);
    ck_assert_msg(errors == 0, "grite-daemon logged %d errors, the first:\n%s", errors, first_error);

    struct soak_counts n;
    sum_counts(&st, &n);
    double secs = st.p.seconds;
    printf("fault_soak: %d clients for %.0f s%s: %llu well-formed requests answered and checked (%.0f/s; %llu "
           "expected errors, %llu writes acknowledged, %llu pipelined, %llu reconnects); abuse: %llu garbage frames, "
           "%llu oversized, %llu half frames closed, %llu left hanging, %llu junk hellos, %llu wrong fingerprints; "
           "%u clients killed by the test, %llu killed themselves mid-frame and %llu mid-request, %u processes in all; "
           "the daemon served %llu requests\n",
           st.p.clients, secs, fault_under_asan() ? " (ASan)" : test_under_valgrind() ? " (valgrind)" : "",
           (unsigned long long)n.verified, (double)n.verified / secs, (unsigned long long)n.expected_errors,
           (unsigned long long)n.comments_acked, (unsigned long long)n.pipelined, (unsigned long long)n.reconnects,
           (unsigned long long)n.garbage, (unsigned long long)n.oversized, (unsigned long long)n.half_closed,
           (unsigned long long)n.half_hung, (unsigned long long)n.junk, (unsigned long long)n.mismatched, st.kills,
           (unsigned long long)n.killed_mid_frame, (unsigned long long)n.killed_mid_request, st.spawned,
           (unsigned long long)served);
    char sloth[96] = "not checked: the storm is shorter than the io timeout";
    if (st.sloth > 0)
        snprintf(sloth, sizeof sloth, "dropped after %lld ms", (long long)st.sh->sloth_closed_after_ms);
    printf("fault_soak: daemon RSS %ld kB before, %ld kB at most in the warm-up, %ld kB at most after it, %ld kB at "
           "the end%s; descriptors %d before, %d after; a half frame left alone: %s\n",
           rss_start, rss_warm, rss_peak, rss_end, st.p.check_rss ? "" : " (not judged in this build)", fds_before,
           fds_after, sloth);
    fflush(stdout);
    ck_assert_uint_gt(n.verified, 0);
    ck_assert_uint_gt(n.garbage + n.oversized + n.half_closed + n.junk, 0);

    daemon_stop_clean(&st.d);   /* exit 0: under ASan, no leak report */
    daemon_start(&st.d, test_path("data"), test_path("d.sock"), NULL);
    client_open(&c, &st.d, ACTOR_A);
    verify_store(&st, &c);   /* every acknowledged write survived the restart */
    client_close(&c);
    daemon_stop_clean(&st.d);
    free(st.samples);
    munmap(st.sh, sizeof *st.sh);
}
END_TEST

static Suite *soak_suite(void)
{
    Suite *s = suite_create("fault_soak");
    TCase *t = fault_tcase("soak", false, soak_params().seconds + 120);
    tcase_add_test(t, storm_of_clients_killed_and_abusive);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(soak_suite());
}
