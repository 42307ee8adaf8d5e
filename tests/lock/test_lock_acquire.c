/*
 * test_lock_acquire.c - owning the lock, with real processes: racing
 * acquirers, crashed and hung holders, heartbeats, releasing only our own
 * file, readers during refreshes, a stuck mutex.
 */
#include "lock_test_util.h"
#include "check_run.h"
#include "clock.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static grite_lock_verdict verdict_of(const char *lock_path, grite_daemon_info *info)
{
    grite_lock_verdict verdict;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_inspect(lock_path, info, &verdict, &err);
    ck_assert_msg(st == GRITE_LOCK_OK, "inspect: %s", err.text);
    return verdict;
}

/* A PID that certainly belongs to no process: a reaped child's. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    ck_assert_int_eq(lt_wait_exit(pid), 0);
    return pid;
}

/* ---- racing acquirers --------------------------------------------------- */

typedef struct race_result {
    int32_t pid;
    int32_t status;
    int32_t holder_pid;
    int32_t lease_left_ms;
} race_result;

typedef struct race {
    lt_gate start, finish;
    int results[2];
    pid_t pids[64];
    int n;
} race;

/* Fork n children that wait at the start line, then acquire the lock
 * and report; the winner keeps the lock until the finish gate opens. */
static void race_start(race *r, const lt_dir *d, int n, long lease_ms)
{
    r->n = n;
    lt_gate_init(&r->start);
    lt_gate_init(&r->finish);
    ck_assert_int_eq(pipe2(r->results, O_CLOEXEC), 0);
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(r->results[0]);
            close(r->finish.fds[1]);   /* only the parent may open the finish gate */
            lt_gate_wait(&r->start);
            grite_daemon_lock *lock = NULL;
            grite_daemon_info holder = { 0 };
            grite_lock_status st = grite_daemon_lock_acquire(d->lock, d->sock, lease_ms, &lock,
                                                             &holder, NULL);
            race_result res = { getpid(), (int32_t)st, holder.pid,
                                (int32_t)grite_daemon_info_lease_left_ms(&holder, grite_daemon_unix_ms()) };
            if (write(r->results[1], &res, sizeof res) != (ssize_t)sizeof res)
                _exit(2);
            if (st == GRITE_LOCK_OK) {
                char c;
                while (read(r->finish.fds[0], &c, 1) < 0 && errno == EINTR) {
                }
                _exit(grite_daemon_lock_release(lock, NULL) == GRITE_LOCK_OK ? 0 : 3);
            }
            _exit(0);
        }
        r->pids[i] = pid;
    }
    close(r->results[1]);
    lt_gate_close_child_side(&r->start);
    close(r->finish.fds[0]);
    lt_gate_open(&r->start);
}

/* Collect the results; exactly one winner, every loser saw HELD and the
 * winner's PID with a sensible lease. Returns the winner's PID.
 * The racers' lease (race_lease_ms) must outlast the slowest loser's look,
 * or that loser would take over: it stretches under valgrind. */
static pid_t race_check(race *r, long lease_ms)
{
    pid_t winner = 0;
    race_result res[64];
    for (int i = 0; i < r->n; i++) {
        ck_assert_int_eq(read(r->results[0], &res[i], sizeof res[i]), (ssize_t)sizeof res[i]);
        if (res[i].status == GRITE_LOCK_OK) {
            ck_assert_msg(winner == 0, "two winners: %d and %d", winner, res[i].pid);
            winner = res[i].pid;
        }
    }
    ck_assert_msg(winner != 0, "nobody won");
    for (int i = 0; i < r->n; i++) {
        if (res[i].pid == winner)
            continue;
        ck_assert_msg(res[i].status == GRITE_LOCK_HELD, "pid %d got %s", res[i].pid,
                      grite_lock_status_name((grite_lock_status)res[i].status));
        ck_assert_int_eq(res[i].holder_pid, winner);
        ck_assert_int_gt(res[i].lease_left_ms, 0);
        ck_assert_int_le(res[i].lease_left_ms, lease_ms);
    }
    close(r->results[0]);
    return winner;
}

static long race_lease_ms(void)
{
    return test_scaled_ms(10000);
}

static void race_finish(race *r)
{
    lt_gate_open(&r->finish);
    for (int i = 0; i < r->n; i++)
        ck_assert_int_eq(lt_wait_exit(r->pids[i]), 0);
}

START_TEST(fifty_racers_one_winner)
{
    lt_dir d;
    lt_dir_make(&d);
    race r;
    race_start(&r, &d, 50, race_lease_ms());
    pid_t winner = race_check(&r, race_lease_ms());
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);
    ck_assert_int_eq(info.pid, winner);
    race_finish(&r);
    ck_assert_int_eq(access(d.lock, F_OK), -1);   /* the winner released it */
    lt_dir_remove(&d);
}
END_TEST

/* ---- basic ownership ---------------------------------------------------- */

START_TEST(acquire_writes_our_info_and_release_removes_it)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    int64_t before = grite_daemon_unix_ms();
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 4000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    ck_assert_str_eq(err.text, "");
    grite_daemon_info info;
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_OK);
    char host[GRITE_DAEMON_HOST_ID_MAX + 1];
    ck_assert_int_eq(grite_daemon_host_id(host, sizeof host, NULL), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, getpid());
    ck_assert_str_eq(info.socket_path, d.sock);
    ck_assert_str_eq(info.host_id, host);
    ck_assert_int_eq(info.lease_ms, 4000);
    ck_assert_int_ge(info.started_ms, before);
    ck_assert_int_eq(info.heartbeat_ms, info.started_ms);
    ck_assert_mem_eq(&info, grite_daemon_lock_info(lock), sizeof info);
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);

    struct stat st;
    ck_assert_int_eq(stat(d.lock, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);

    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_NONE);
    ck_assert_int_eq(grite_daemon_lock_release(NULL, &err), GRITE_LOCK_OK);
    lt_dir_remove(&d);
}
END_TEST

START_TEST(second_acquire_in_same_process_is_held)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock, *again = (grite_daemon_lock *)&d;
    grite_daemon_info holder;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 4000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 4000, &again, &holder, &err),
                     GRITE_LOCK_HELD);
    ck_assert_ptr_null(again);
    ck_assert_int_eq(holder.pid, getpid());
    ck_assert_int_eq(err.status, GRITE_LOCK_HELD);
    char expect[200];
    snprintf(expect, sizeof expect, "is held by pid %ld", (long)getpid());
    ck_assert_msg(strstr(err.text, expect) && strstr(err.text, "lease expires in "), "%s", err.text);
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

START_TEST(bad_arguments_are_refused)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, "relative.sock", 1000, &lock, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err.text, "must be absolute"));
    char longsock[200];
    memset(longsock, 'x', sizeof longsock - 1);
    longsock[0] = '/';
    longsock[sizeof longsock - 1] = '\0';
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, longsock, 1000, &lock, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 0, &lock, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err.text, "lease 0 ms"));
    ck_assert_int_eq(grite_daemon_lock_acquire(NULL, d.sock, 10, &lock, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_int_eq(access(d.lock, F_OK), -1);
    lt_dir_remove(&d);
}
END_TEST

/* ---- crashed holders ---------------------------------------------------- */

START_TEST(killed_holder_frees_the_lock_at_once)
{
    lt_dir d;
    lt_dir_make(&d);
    pid_t holder = lt_spawn_holder(&d, 60000, false);
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);
    ck_assert_int_eq(info.pid, holder);
    lt_kill(holder);   /* kill -9: no chance to clean up */

    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_UNLOCKED);
    int64_t t0 = test_clock_ms();
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    ck_assert_int_lt(test_clock_ms() - t0, test_scaled_ms(1000));   /* not a 60 s lease wait */
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

/* The flock is held by a fork()ed child that outlived the recorded PID:
 * the dead PID alone makes the lock stale. */
START_TEST(dead_pid_is_stale_even_if_flock_is_inherited)
{
    lt_become_subreaper();
    lt_dir d;
    lt_dir_make(&d);
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    pid_t test = getpid();
    pid_t owner = fork();
    ck_assert_int_ge(owner, 0);
    if (owner == 0) {
        grite_daemon_lock *lock;
        if (grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL) != GRITE_LOCK_OK)
            _exit(1);
        pid_t heir = fork();   /* inherits the locked descriptor */
        if (heir == 0)
            lt_linger(test);
        _exit(write(pipefd[1], &heir, sizeof heir) == (ssize_t)sizeof heir ? 0 : 1);
    }
    close(pipefd[1]);
    pid_t heir = 0;
    ck_assert_int_eq(read(pipefd[0], &heir, sizeof heir), (ssize_t)sizeof heir);
    ck_assert_int_eq(lt_wait_exit(owner), 0);

    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_DEAD_PID);
    ck_assert_int_eq(info.pid, owner);
    grite_daemon_lock *lock;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    grite_daemon_lock_release(lock, NULL);
    lt_kill(heir);
    lt_dir_remove(&d);
}
END_TEST

/* O_CLOEXEC: a daemon that execs another program (same PID) drops the
 * lock, so the lock is free even though the PID lives on. */
START_TEST(exec_does_not_inherit_the_lock)
{
    lt_dir d;
    lt_dir_make(&d);
    int ready[2];
    ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        grite_daemon_lock *lock;
        if (grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL) != GRITE_LOCK_OK)
            _exit(1);
        execl("/bin/sleep", "sleep", "30", (char *)NULL);   /* closes ready[1] */
        _exit(1);
    }
    close(ready[1]);
    char c;
    ck_assert_int_eq(read(ready[0], &c, 1), 0);   /* EOF: exec happened */
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_UNLOCKED);
    ck_assert_int_eq(info.pid, pid);
    lt_kill(pid);
    lt_dir_remove(&d);
}
END_TEST

/* ---- another host's lock ------------------------------------------------- */

static void write_foreign_lock(const lt_dir *d, pid_t pid, int64_t heartbeat_ms, int64_t lease_ms)
{
    grite_daemon_info info = { .pid = pid, .started_ms = heartbeat_ms - 10,
                               .lease_ms = lease_ms, .heartbeat_ms = heartbeat_ms };
    strcpy(info.socket_path, d->sock);
    strcpy(info.host_id, "some-other-host");
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    int len = grite_daemon_lock_format(&info, text, sizeof text);
    ck_assert_int_gt(len, 0);
    lt_write_file(d->lock, text, (size_t)len);
}

START_TEST(foreign_lock_is_judged_by_lease_only)
{
    lt_dir d;
    lt_dir_make(&d);
    pid_t gone = dead_pid();
    /* Dead PID, no flock, but another host's: live while its lease runs. */
    write_foreign_lock(&d, gone, grite_daemon_unix_ms(), 60000);
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);
    grite_daemon_lock *lock;
    grite_daemon_info holder;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, &holder, &err),
                     GRITE_LOCK_HELD);
    ck_assert_str_eq(holder.host_id, "some-other-host");
    ck_assert_ptr_nonnull(strstr(err.text, "on host some-other-host"));

    write_foreign_lock(&d, gone, grite_daemon_unix_ms() - 5000, 1000);
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_EXPIRED);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

/* A heartbeat from the far future (a forged file, or clocks a year apart)
 * must not keep another host's lock live until our clock gets there. */
START_TEST(foreign_lock_from_the_future_is_stale)
{
    lt_dir d;
    lt_dir_make(&d);
    const int64_t year_ms = 365LL * 24 * 3600 * 1000;
    write_foreign_lock(&d, dead_pid(), grite_daemon_unix_ms() + year_ms, 60000);
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_FUTURE);
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, &err), GRITE_LOCK_OK);
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

/* ---- hung holders, takeover ---------------------------------------------- */

/* We hold the lock with a short lease and stop refreshing (alive, flock
 * held: hung). Ten takers race: one wins. Our refresh and release then
 * see the loss and leave the winner's file alone. Our first look finds the
 * lock live unless a slow step let the lease run out first (which the
 * lease, stretched under valgrind, makes rare). */
START_TEST(expired_lease_is_taken_over_by_exactly_one)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *hung;
    grite_lock_error err;
    int lease_ms = test_scaled_ms(300);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, lease_ms, &hung, NULL, &err),
                     GRITE_LOCK_OK);
    grite_daemon_info info;
    grite_lock_verdict held = verdict_of(d.lock, &info);
    ck_assert_msg(held == GRITE_LOCK_LIVE || grite_daemon_unix_ms() >= info.heartbeat_ms + lease_ms,
                  "the lease still runs, and the lock is judged: %s", grite_lock_verdict_text(held));
    test_sleep_ms(lease_ms + 50);
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_STALE_EXPIRED);

    race r;
    race_start(&r, &d, 10, race_lease_ms());
    pid_t winner = race_check(&r, race_lease_ms());
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);
    ck_assert_int_eq(info.pid, winner);

    ck_assert_int_eq(grite_daemon_lock_refresh(hung, &err), GRITE_LOCK_LOST);
    char expect[100];
    snprintf(expect, sizeof expect, "was taken over by pid %ld", (long)winner);
    ck_assert_msg(strstr(err.text, expect) != NULL, "%s", err.text);
    ck_assert_int_eq(grite_daemon_lock_release(hung, &err), GRITE_LOCK_LOST);
    ck_assert_msg(strstr(err.text, "left the file in place") != NULL, "%s", err.text);
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, winner);

    race_finish(&r);
    lt_dir_remove(&d);
}
END_TEST

/* ---- refresh ------------------------------------------------------------- */

/* Refresh late in the lease, then look just after the first lease would
 * have ended: the refresh keeps the lock live. The look must come before
 * the refreshed lease ends too (a margin of 70%, stretched under valgrind). */
START_TEST(refresh_extends_the_lease)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    int lease_ms = test_scaled_ms(1000);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, lease_ms, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    grite_daemon_info first, now;
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &first, NULL), GRITE_LOCK_OK);
    test_sleep_ms(lease_ms * 8 / 10);
    ck_assert_int_eq(grite_daemon_lock_refresh(lock, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &now, NULL), GRITE_LOCK_OK);
    ck_assert_int_ge(now.heartbeat_ms, first.heartbeat_ms + lease_ms * 8 / 10);
    ck_assert_int_eq(now.started_ms, first.started_ms);
    ck_assert_int_eq(now.pid, first.pid);
    ck_assert_int_eq(grite_daemon_lock_info(lock)->heartbeat_ms, now.heartbeat_ms);
    test_sleep_ms(lease_ms * 3 / 10);   /* 1.1 leases since acquire: past the first */
    ck_assert_int_le(grite_daemon_info_lease_left_ms(&first, grite_daemon_unix_ms()), 0);
    ck_assert_int_eq(verdict_of(d.lock, &now), GRITE_LOCK_LIVE);
    ck_assert_int_gt(grite_daemon_info_lease_left_ms(&now, grite_daemon_unix_ms()), 0);
    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_OK);
    lt_dir_remove(&d);
}
END_TEST

/* Readers racing a refreshing owner never see a partial file, and never
 * judge the live lock stale while it is being replaced. The refreshes
 * begin once the reader has looked (a slow fork must not leave it none). */
START_TEST(readers_never_see_a_torn_or_unlocked_file)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    lt_gate stop;
    lt_gate_init(&stop);
    int looked[2];
    ck_assert_int_eq(pipe2(looked, O_CLOEXEC), 0);
    pid_t reader = fork();
    ck_assert_int_ge(reader, 0);
    if (reader == 0) {
        close(stop.fds[1]);
        close(looked[0]);
        fcntl(stop.fds[0], F_SETFL, O_NONBLOCK);
        char c;
        for (int reads = 0; read(stop.fds[0], &c, 1) < 0 && errno == EAGAIN; reads++) {
            grite_daemon_info info;
            grite_lock_verdict v;
            grite_lock_error err;
            if (grite_daemon_lock_inspect(d.lock, &info, &v, &err) != GRITE_LOCK_OK ||
                v != GRITE_LOCK_LIVE) {
                fprintf(stderr, "reader: %s / %s\n", err.text, grite_lock_verdict_text(v));
                _exit(1);
            }
            if (reads == 0 && write(looked[1], "l", 1) != 1)
                _exit(2);
        }
        _exit(0);
    }
    close(looked[1]);
    lt_gate_close_child_side(&stop);
    char c;
    ck_assert_msg(read(looked[0], &c, 1) == 1, "the reader's first look failed (exit status %d)",
                  lt_wait_exit(reader));
    close(looked[0]);
    for (int i = 0; i < 300; i++)
        ck_assert_int_eq(grite_daemon_lock_refresh(lock, NULL), GRITE_LOCK_OK);
    lt_gate_open(&stop);
    ck_assert_int_eq(lt_wait_exit(reader), 0);
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

/* A writer replacing the file in a loop as fast as it can, but as every
 * writer does: under the mutex. Its two files are unlocked (stale), so
 * each look a replacement overtakes must be retried - and a reader that
 * keeps losing that race must still get an answer, by taking its last
 * look holding the mutex. Two inodes, linked in turn: a replacement costs
 * four system calls, far fewer than a reader's look. */
static void replace_in_a_loop(const lt_dir *d, const char *contents, lt_gate *stop)
{
    char mutex[160], tmp[160], versions[2][160];
    snprintf(mutex, sizeof mutex, "%s.mutex", d->lock);
    snprintf(tmp, sizeof tmp, "%s/next.tmp", d->path);
    for (int i = 0; i < 2; i++) {
        snprintf(versions[i], sizeof versions[i], "%s/version%d", d->path, i);
        lt_write_file(versions[i], contents, strlen(contents));
    }
    int m = open(mutex, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m < 0)
        _exit(3);
    close(stop->fds[1]);
    fcntl(stop->fds[0], F_SETFL, O_NONBLOCK);
    char c;
    for (unsigned n = 0; read(stop->fds[0], &c, 1) < 0 && errno == EAGAIN; n++) {
        if (flock(m, LOCK_EX) != 0 || link(versions[n % 2], tmp) != 0 ||
            rename(tmp, d->lock) != 0 || flock(m, LOCK_UN) != 0)
            _exit(4);
    }
    _exit(0);
}

START_TEST(reader_racing_a_writer_in_a_loop_gets_an_answer)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    char *contents = lt_read_file(d.lock);
    ck_assert_ptr_nonnull(contents);
    ck_assert_int_eq(grite_daemon_lock_release(lock, NULL), GRITE_LOCK_OK);
    lt_gate stop;
    lt_gate_init(&stop);
    pid_t writer = fork();
    ck_assert_int_ge(writer, 0);
    if (writer == 0)
        replace_in_a_loop(&d, contents, &stop);
    lt_gate_close_child_side(&stop);
    while (access(d.lock, F_OK) != 0)
        test_sleep_ms(1);
    for (int i = 0; i < 20000; i++) {
        grite_daemon_info info;
        grite_lock_verdict v;
        grite_lock_error err;
        ck_assert_msg(grite_daemon_lock_inspect(d.lock, &info, &v, &err) == GRITE_LOCK_OK,
                      "look %d: %s", i, err.text);
        ck_assert_int_eq(v, GRITE_LOCK_STALE_UNLOCKED);
        ck_assert_int_eq(info.pid, getpid());
    }
    lt_gate_open(&stop);
    ck_assert_int_eq(lt_wait_exit(writer), 0);
    free(contents);
    lt_dir_remove(&d);
}
END_TEST

START_TEST(refresh_after_removal_is_lost)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    ck_assert_int_eq(unlink(d.lock), 0);
    ck_assert_int_eq(grite_daemon_lock_refresh(lock, &err), GRITE_LOCK_LOST);
    ck_assert_ptr_nonnull(strstr(err.text, "was removed"));
    ck_assert_int_eq(access(d.lock, F_OK), -1);   /* refresh did not recreate it */
    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_LOST);
    lt_dir_remove(&d);
}
END_TEST

/* ---- release only our own ------------------------------------------------ */

static void someone_elses_text(const lt_dir *d, char *text, size_t n)
{
    grite_daemon_info other = { .pid = 1, .started_ms = 5, .lease_ms = 60000,
                                .heartbeat_ms = grite_daemon_unix_ms() };
    strcpy(other.socket_path, "/elsewhere.sock");
    strcpy(other.host_id, "another");
    (void)d;
    ck_assert_int_gt(grite_daemon_lock_format(&other, text, n), 0);
}

START_TEST(release_leaves_a_replaced_file_alone)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    char text[GRITE_DAEMON_LOCK_MAX_BYTES], other_path[200];
    someone_elses_text(&d, text, sizeof text);
    snprintf(other_path, sizeof other_path, "%s/other", d.path);
    lt_write_file(other_path, text, strlen(text));
    ck_assert_int_eq(rename(other_path, d.lock), 0);   /* a new inode at the path */

    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_LOST);
    ck_assert_msg(strstr(err.text, "taken over by pid 1") && strstr(err.text, "left the file in place"),
                  "%s", err.text);
    char *left = lt_read_file(d.lock);
    ck_assert_ptr_nonnull(left);
    ck_assert_str_eq(left, text);
    free(left);
    lt_dir_remove(&d);
}
END_TEST

START_TEST(release_leaves_a_rewritten_file_alone)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    someone_elses_text(&d, text, sizeof text);
    lt_write_file(d.lock, text, strlen(text));   /* same inode, other PID */

    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_LOST);
    ck_assert_msg(strstr(err.text, "rewritten to name pid 1") != NULL, "%s", err.text);
    char *left = lt_read_file(d.lock);
    ck_assert_ptr_nonnull(left);
    ck_assert_str_eq(left, text);
    free(left);
    lt_dir_remove(&d);
}
END_TEST

/* A child forked by the daemon holds a copy of the handle: its refresh
 * and release must not touch the parent's lock. */
START_TEST(forked_child_cannot_release_the_parents_lock)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_lock *lock;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL),
                     GRITE_LOCK_OK);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        grite_lock_error err;
        bool refused = grite_daemon_lock_refresh(lock, &err) == GRITE_LOCK_LOST &&
                       strstr(err.text, "inherited the handle") != NULL &&
                       grite_daemon_lock_release(lock, &err) == GRITE_LOCK_LOST;
        _exit(refused ? 0 : 1);
    }
    ck_assert_int_eq(lt_wait_exit(child), 0);
    grite_daemon_info info;
    ck_assert_int_eq(verdict_of(d.lock, &info), GRITE_LOCK_LIVE);
    ck_assert_int_eq(info.pid, getpid());
    ck_assert_int_eq(grite_daemon_lock_refresh(lock, NULL), GRITE_LOCK_OK);
    ck_assert_int_eq(grite_daemon_lock_release(lock, NULL), GRITE_LOCK_OK);
    lt_dir_remove(&d);
}
END_TEST

/* ---- a stuck mutex ------------------------------------------------------- */

START_TEST(stuck_mutex_gives_busy_not_a_hang)
{
    lt_dir d;
    lt_dir_make(&d);
    char mutex_path[200];
    snprintf(mutex_path, sizeof mutex_path, "%s.mutex", d.lock);
    int fd = open(mutex_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(flock(fd, LOCK_EX), 0);   /* a "hung" process holding it */
    grite_daemon_lock *lock;
    grite_lock_error err;
    int64_t t0 = test_clock_ms();
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, &err),
                     GRITE_LOCK_BUSY);
    int64_t waited = test_clock_ms() - t0;
    ck_assert_int_ge(waited, GRITE_DAEMON_MUTEX_WAIT_MS);
    ck_assert_int_lt(waited, GRITE_DAEMON_MUTEX_WAIT_MS + test_scaled_ms(2000));
    ck_assert_msg(strstr(err.text, mutex_path) != NULL, "%s", err.text);
    close(fd);
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 1000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    grite_daemon_lock_release(lock, NULL);
    lt_dir_remove(&d);
}
END_TEST

static Suite *lock_acquire_suite(void)
{
    Suite *s = suite_create("lock_acquire");
    TCase *own = tcase_create("ownership");
    tcase_set_timeout(own, 30);
    tcase_add_test(own, fifty_racers_one_winner);
    tcase_add_test(own, acquire_writes_our_info_and_release_removes_it);
    tcase_add_test(own, second_acquire_in_same_process_is_held);
    tcase_add_test(own, bad_arguments_are_refused);
    tcase_add_test(own, killed_holder_frees_the_lock_at_once);
    tcase_add_test(own, dead_pid_is_stale_even_if_flock_is_inherited);
    tcase_add_test(own, exec_does_not_inherit_the_lock);
    tcase_add_test(own, foreign_lock_is_judged_by_lease_only);
    tcase_add_test(own, foreign_lock_from_the_future_is_stale);
    tcase_add_test(own, expired_lease_is_taken_over_by_exactly_one);
    tcase_add_test(own, refresh_extends_the_lease);
    tcase_add_test(own, readers_never_see_a_torn_or_unlocked_file);
    tcase_add_test(own, reader_racing_a_writer_in_a_loop_gets_an_answer);
    tcase_add_test(own, refresh_after_removal_is_lost);
    tcase_add_test(own, release_leaves_a_replaced_file_alone);
    tcase_add_test(own, release_leaves_a_rewritten_file_alone);
    tcase_add_test(own, forked_child_cannot_release_the_parents_lock);
    tcase_add_test(own, stuck_mutex_gives_busy_not_a_hang);
    suite_add_tcase(s, own);
    return s;
}

int main(void)
{
    return grite_check_run(lock_acquire_suite());
}
