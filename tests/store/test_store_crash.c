/* test_store_crash.c - a writer killed with SIGKILL at random moments.
 *
 * A forked child writes as fast as it can (creates, comments, edits, some
 * with large bodies so a kill often lands inside a write) and, after each
 * call returns, reports the event id through a pipe: that event was
 * acknowledged. The parent kills the child at a random point, reopens the
 * store and requires every acknowledged event to be there. Rounds reuse
 * the same directory, so each recovery starts from the previous one. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "store_test_util.h"
#include "check_run.h"

#define ROUNDS 12
#define ID_LEN 32

/* ---- the child ---- */

struct last_event {
    char id[33];
};

static void remember(void *ctx, const struct grite_event_info *ev)
{
    memcpy(((struct last_event *)ctx)->id, ev->event_id, 33);
}

static void report(int fd, const struct last_event *last)
{
    /* 32 bytes < PIPE_BUF: the write is atomic, whole or not at all. */
    if (write(fd, last->id, ID_LEN) != ID_LEN)
        _exit(3);
}

static void child_writes(int fd, unsigned seed)
{
    struct last_event last;
    struct grite_store_options opts = {.on_event = remember, .event_ctx = &last};
    grite_store *s = NULL;
    if (grite_store_open(fixture.dir, ACTOR_A, &opts, &s, NULL) != GRITE_STORE_OK)
        _exit(2);
    static char big[128 * 1024]; /* a long write: many pages for a kill to split */
    memset(big, 'z', sizeof big - 1);
    srand(seed);
    char issue[33] = "";
    for (int i = 0; i < 1000000; i++) {
        int what = rand() % 5;
        enum grite_store_status rc;
        if (what == 0 || issue[0] == '\0') {
            struct grite_created c;
            rc = grite_store_issue_create(s, "crash test", what == 0 ? big : "", NULL, 0, &c,
                                          NULL);
            if (rc == GRITE_STORE_OK)
                memcpy(issue, c.issue_id, 33);
        } else if (what == 1) {
            rc = grite_store_issue_comment(s, issue, big + sizeof big - 16 * 1024, NULL, NULL);
        } else if (what == 2) {
            rc = grite_store_issue_update(s, issue, "edited", NULL, NULL, NULL);
        } else {
            rc = grite_store_issue_comment(s, issue, "short", NULL, NULL);
        }
        if (rc != GRITE_STORE_OK)
            _exit(4);
        report(fd, &last);
    }
    _exit(0);
}

/* ---- the parent ---- */

struct acked {
    char (*ids)[33];
    size_t count, cap;
};

static void add_id(struct acked *a, const char *id)
{
    if (a->count == a->cap) {
        a->cap = a->cap != 0 ? a->cap * 2 : 256;
        a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
        ck_assert_ptr_nonnull(a->ids);
    }
    memcpy(a->ids[a->count], id, ID_LEN);
    a->ids[a->count][ID_LEN] = '\0';
    a->count++;
}

/* Reads whole ids until `want` more arrived (or EOF when want is 0). */
static void read_ids(int fd, struct acked *a, size_t want)
{
    size_t target = a->count + want;
    char id[ID_LEN];
    while (want == 0 || a->count < target) {
        size_t got = 0;
        while (got < ID_LEN) {
            ssize_t n = read(fd, id + got, ID_LEN - got);
            if (n < 0 && errno == EINTR)
                continue;
            ck_assert_msg(n >= 0, "pipe read failed");
            if (n == 0) {
                ck_assert_uint_eq(got, 0); /* ids are written whole */
                return;
            }
            got += (size_t)n;
        }
        add_id(a, id);
    }
}

/* Forks a child running child_writes(seed); *acks is the read end of the
 * pipe it reports acknowledged events on. */
static pid_t start_writer(unsigned seed, int *acks)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        child_writes(fds[1], seed);
    }
    close(fds[1]);
    *acks = fds[0];
    return pid;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

START_TEST(no_acknowledged_write_is_lost_when_the_writer_is_killed)
{
    struct acked acked = {0};
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < ROUNDS; round++) {
        int acks;
        pid_t pid = start_writer((unsigned)rand(), &acks);
        read_ids(acks, &acked, 1 + (size_t)(rand() % 16)); /* let it get going */
        sleep_us(rand() % 3000);
        ck_assert_int_eq(kill(pid, SIGKILL), 0);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                      "the writer stopped by itself (status %d)", status);
        read_ids(acks, &acked, 0); /* what it acknowledged before dying */
        close(acks);

        grite_store *s = NULL;
        struct grite_store_error err;
        ck_assert_msg(grite_store_open(fixture.dir, ACTOR_B, NULL, &s, &err) == GRITE_STORE_OK,
                      "round %d: reopen failed: %s", round, err.message);
        for (size_t i = 0; i < acked.count; i++)
            ck_assert_msg(grite_store_has_event(s, acked.ids[i]),
                          "round %d: acknowledged event %s is lost", round, acked.ids[i]);
        struct grite_store_check check;
        ck_assert_int_eq(grite_store_check(s, &check, &err), GRITE_STORE_OK);
        ck_assert_msg(check.status == GRITE_CHECK_OK, "round %d: %s", round, check.message);
        struct grite_store_warning w;
        while (grite_store_take_warning(s, &w)) /* a torn tail is fine: it was never acked */
            ck_assert_ptr_nonnull(strstr(w.message, "dropped"));
        grite_store_close(s);
    }
    ck_assert_uint_gt(acked.count, ROUNDS);
    free(acked.ids);
}
END_TEST

START_TEST(a_reader_alongside_a_killed_writer_never_sees_damage)
{
    /* The parent keeps a handle open and reads while the child writes and
     * dies: every read must succeed, and what it saw must stay. */
    grite_store *reader = open_store(fixture.dir, ACTOR_B, NULL);
    struct acked acked = {0};
    for (int round = 0; round < 4; round++) {
        int acks;
        pid_t pid = start_writer((unsigned)round * 7919u, &acks);
        for (int i = 0; i < 20; i++) {
            read_ids(acks, &acked, 1);
            struct grite_store_error err;
            struct grite_issue_page page;
            ck_assert_msg(grite_store_list(reader, NULL, &page, &err) == GRITE_STORE_OK, "%s",
                          err.message);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        read_ids(acks, &acked, 0);
        close(acks);
        struct grite_issue_page page;
        ck_assert_int_eq(grite_store_list(reader, NULL, &page, NULL), GRITE_STORE_OK);
        for (size_t i = 0; i < acked.count; i++)
            ck_assert(grite_store_has_event(reader, acked.ids[i]));
    }
    struct grite_store_check check;
    ck_assert_int_eq(grite_store_check(reader, &check, NULL), GRITE_STORE_OK);
    ck_assert_int_ne(check.status, GRITE_CHECK_FAIL);
    grite_store_close(reader);
    free(acked.ids);
}
END_TEST

static Suite *store_crash_suite(void)
{
    Suite *suite = suite_create("store_crash");
    TCase *tc = tcase_create("crash");
    tcase_add_checked_fixture(tc, store_fixture_setup, store_fixture_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, no_acknowledged_write_is_lost_when_the_writer_is_killed);
    tcase_add_test(tc, a_reader_alongside_a_killed_writer_never_sees_damage);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_crash_suite());
}
