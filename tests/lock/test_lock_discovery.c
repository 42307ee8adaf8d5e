/*
 * test_lock_discovery.c - a CLI finding its daemon through the lock file,
 * and starting one (tests/lock/test_daemon.c) when none runs: racing CLIs
 * start exactly one; programs that fail or never answer give clear errors.
 */
#include "lock_test_util.h"
#include "check_run.h"
#include "clock.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

/* Per test: a temp dir, and we adopt every daemon the code under test
 * orphans, so we can kill and reap it. */
static lt_dir d;
static char starts[160], logfile[160];
static char test_pid[16];   /* test_daemon exits when this process is gone */
static char serve_lease[16];   /* test_daemon's lease: it must outlast a slow racer's look */

static void setup(void)
{
    lt_become_subreaper();
    snprintf(test_pid, sizeof test_pid, "%ld", (long)getpid());
    snprintf(serve_lease, sizeof serve_lease, "%d", test_scaled_ms(3000));
    lt_dir_make(&d);
    snprintf(starts, sizeof starts, "%s/starts", d.path);
    snprintf(logfile, sizeof logfile, "%s/daemon.log", d.path);
}

static void teardown(void)
{
    lt_dir_remove(&d);
}

/* Options that start test_daemon serving d's lock and socket. */
typedef struct serve_cmd {
    char *argv[8];
    grite_daemon_spawn_options opts;
} serve_cmd;

static void serve_cmd_init(serve_cmd *c, int64_t timeout_ms)
{
    static char serve[] = "serve";
    char *argv[] = { (char *)GRITE_TEST_DAEMON, serve, d.lock, d.sock, serve_lease, starts, test_pid,
                     NULL };
    memcpy(c->argv, argv, sizeof argv);
    c->opts = (grite_daemon_spawn_options){ .program = GRITE_TEST_DAEMON, .argv = c->argv,
                                            .log_path = logfile, .timeout_ms = timeout_ms };
}

/* How long grite_daemon_ensure may take to start test_daemon: `ms`, and
 * under valgrind (where the program starts in seconds) test_scaled_ms(ms).
 * 0 (the runtime's default) stays 0 unless valgrind needs more. */
static int64_t start_budget(int ms)
{
    if (ms == 0)
        return test_under_valgrind() ? test_scaled_ms(GRITE_DAEMON_START_TIMEOUT_MS) : 0;
    return test_scaled_ms(ms);
}

/* grite_daemon_ensure must start test_daemon (within timeout_ms; 0: the
 * default) and find it: returns its PID, *info what the lock says. */
static pid_t ensure_starts_test_daemon(int64_t timeout_ms, grite_daemon_info *info)
{
    serve_cmd cmd;
    serve_cmd_init(&cmd, timeout_ms);
    pid_t spawned = 0;
    grite_lock_error err;
    ck_assert_msg(grite_daemon_ensure(d.lock, &cmd.opts, info, &spawned, &err) == GRITE_LOCK_OK,
                  "%s", err.text);
    ck_assert_int_gt(spawned, 0);
    ck_assert_int_eq(info->pid, spawned);
    return spawned;
}

/* Ask a daemon we started to stop, and reap it (we are its subreaper). */
static void stop_daemon(pid_t pid)
{
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(lt_wait_exit(pid), 0);
}

/* ---- find ---------------------------------------------------------------- */

START_TEST(find_without_lock_is_none)
{
    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_NONE);
    ck_assert_ptr_nonnull(strstr(err.text, d.lock));
}
END_TEST

START_TEST(find_a_live_daemon)
{
    pid_t daemon = lt_spawn_holder(&d, 60000, true);
    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, daemon);
    ck_assert_str_eq(info.socket_path, d.sock);
    ck_assert_str_eq(err.text, "");
    lt_kill(daemon);
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_STALE);
    ck_assert_int_eq(info.pid, daemon);
    ck_assert_msg(strstr(err.text, "no process holds the lock file") != NULL, "%s", err.text);
}
END_TEST

START_TEST(find_a_live_lock_without_listener_is_not_answering)
{
    pid_t daemon = lt_spawn_holder(&d, 60000, false);
    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_NOT_ANSWERING);
    ck_assert_int_eq(info.pid, daemon);
    ck_assert_msg(strstr(err.text, "does not answer on") && strstr(err.text, d.sock), "%s",
                  err.text);
    lt_kill(daemon);
}
END_TEST

/* ---- ensure -------------------------------------------------------------- */

START_TEST(ensure_uses_a_running_daemon)
{
    pid_t daemon = lt_spawn_holder(&d, 60000, true);
    grite_daemon_spawn_options opts = { .program = "/nonexistent/never-run" };
    grite_daemon_info info;
    pid_t spawned = -1;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, &info, &spawned, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, daemon);
    ck_assert_int_eq(spawned, 0);
    lt_kill(daemon);
}
END_TEST

START_TEST(ensure_starts_the_daemon)
{
    grite_daemon_info info;
    pid_t spawned = ensure_starts_test_daemon(start_budget(0), &info);   /* the default 5 s */
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, NULL), GRITE_LOCK_OK);
    ck_assert_int_eq(lt_count_lines(starts), 1);
    /* Detached: its own session, and not our child but adopted by us. */
    ck_assert_int_eq(getsid(spawned), spawned);
    /* Its output went to the log file. */
    char *log = lt_read_file(logfile);
    ck_assert_ptr_nonnull(log);
    ck_assert_msg(strstr(log, "test_daemon: listening on") != NULL, "%s", log);
    free(log);
    /* A second CLI finds it without starting another. */
    serve_cmd cmd;
    serve_cmd_init(&cmd, 0);
    pid_t again = -1;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &cmd.opts, &info, &again, NULL), GRITE_LOCK_OK);
    ck_assert_int_eq(again, 0);
    ck_assert_int_eq(info.pid, spawned);
    stop_daemon(spawned);
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, NULL), GRITE_LOCK_NONE);
}
END_TEST

/* A child holding <lock>.spawn for ms milliseconds, as another CLI that is
 * starting the daemon does; returns once it holds it. */
static pid_t hold_spawn_mutex(long ms)
{
    char path[160];
    snprintf(path, sizeof path, "%s.spawn", d.lock);
    int ready[2];
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(ready[1], "h", 1) != 1)
            _exit(1);
        test_sleep_ms(ms);
        _exit(0);
    }
    close(ready[1]);
    char c;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    close(ready[0]);
    return pid;
}

/* A timeout as large as int64 holds (GRITE_DAEMON_TIMEOUT_MS comes from
 * the environment): it means "no deadline", where now + timeout overflowed
 * into the past, so the call gave up at once when it had to wait for the
 * spawn mutex (and UBSan stopped it). */
START_TEST(ensure_with_the_largest_timeout_starts_the_daemon)
{
    pid_t other_cli = hold_spawn_mutex(200);
    grite_daemon_info info;
    pid_t spawned = ensure_starts_test_daemon(INT64_MAX, &info);
    ck_assert_int_eq(lt_wait_exit(other_cli), 0);
    stop_daemon(spawned);
}
END_TEST

START_TEST(ensure_replaces_a_crashed_daemon)
{
    pid_t crashed = lt_spawn_holder(&d, 60000, true);
    lt_kill(crashed);   /* its lock file and socket file stay behind */
    grite_daemon_info info;
    pid_t spawned = ensure_starts_test_daemon(start_budget(5000), &info);
    ck_assert_int_ne(spawned, crashed);
    stop_daemon(spawned);
}
END_TEST

#define RACING_CLIS 10

START_TEST(racing_clis_start_exactly_one_daemon)
{
    serve_cmd cmd;
    serve_cmd_init(&cmd, start_budget(10000));
    lt_gate start;
    lt_gate_init(&start);
    int results[2];
    ck_assert_int_eq(pipe(results), 0);
    pid_t clis[RACING_CLIS];
    for (int i = 0; i < RACING_CLIS; i++) {
        clis[i] = fork();
        ck_assert_int_ge(clis[i], 0);
        if (clis[i] == 0) {
            close(results[0]);
            lt_gate_wait(&start);
            grite_daemon_info info = { 0 };
            grite_lock_error err;
            grite_lock_status st = grite_daemon_ensure(d.lock, &cmd.opts, &info, NULL, &err);
            if (st != GRITE_LOCK_OK)
                fprintf(stderr, "cli: %s\n", err.text);
            int32_t msg[2] = { (int32_t)st, info.pid };
            _exit(write(results[1], msg, sizeof msg) == (ssize_t)sizeof msg ? 0 : 1);
        }
    }
    close(results[1]);
    lt_gate_close_child_side(&start);
    lt_gate_open(&start);
    pid_t daemon = 0;
    for (int i = 0; i < RACING_CLIS; i++) {
        int32_t msg[2];
        ck_assert_int_eq(read(results[0], msg, sizeof msg), (ssize_t)sizeof msg);
        ck_assert_msg(msg[0] == GRITE_LOCK_OK, "a CLI got %s", grite_lock_status_name((grite_lock_status)msg[0]));
        if (daemon == 0)
            daemon = msg[1];
        ck_assert_int_eq(msg[1], daemon);
    }
    for (int i = 0; i < RACING_CLIS; i++)
        ck_assert_int_eq(lt_wait_exit(clis[i]), 0);
    ck_assert_int_eq(lt_count_lines(starts), 1);
    stop_daemon(daemon);
}
END_TEST

/* ---- failures ------------------------------------------------------------- */

START_TEST(program_that_exits_gives_its_status)
{
    char *argv[] = { (char *)GRITE_TEST_DAEMON, (char *)"exit", (char *)"7", NULL };
    grite_daemon_spawn_options opts = { .program = GRITE_TEST_DAEMON, .argv = argv,
                                        .log_path = logfile, .timeout_ms = start_budget(0) };
    grite_lock_error err;
    pid_t spawned = -1;
    int64_t t0 = test_clock_ms();
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, &spawned, &err),
                     GRITE_LOCK_SPAWN_FAILED);
    ck_assert_int_lt(test_clock_ms() - t0, test_scaled_ms(3000));   /* noticed, not timed out */
    ck_assert_int_eq(spawned, 0);
    ck_assert_msg(strstr(err.text, GRITE_TEST_DAEMON) && strstr(err.text, "exited with status 7") &&
                  strstr(err.text, logfile), "%s", err.text);
}
END_TEST

START_TEST(program_killed_by_signal_says_so)
{
    char *argv[] = { (char *)GRITE_TEST_DAEMON, (char *)"signal", NULL };
    grite_daemon_spawn_options opts = { .program = GRITE_TEST_DAEMON, .argv = argv,
                                        .timeout_ms = start_budget(0) };
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, NULL, &err),
                     GRITE_LOCK_SPAWN_FAILED);
    char expect[64];
    snprintf(expect, sizeof expect, "killed by signal %d", SIGABRT);
    ck_assert_msg(strstr(err.text, expect) != NULL, "%s", err.text);
}
END_TEST

START_TEST(missing_program_cannot_execute)
{
    char program[200];
    snprintf(program, sizeof program, "%s/no-such-daemon", d.path);
    grite_daemon_spawn_options opts = { .program = program, .timeout_ms = start_budget(0) };
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, NULL, &err),
                     GRITE_LOCK_SPAWN_FAILED);
    char expect[300];
    snprintf(expect, sizeof expect, "cannot execute daemon program %s: %s", program,
             strerror(ENOENT));
    ck_assert_str_eq(err.text, expect);
}
END_TEST

START_TEST(unwritable_log_is_reported)
{
    char log[200];
    snprintf(log, sizeof log, "%s/no-such-dir/daemon.log", d.path);
    grite_daemon_spawn_options opts = { .program = GRITE_TEST_DAEMON, .log_path = log };
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, NULL, &err), GRITE_LOCK_SYSTEM);
    ck_assert_msg(strstr(err.text, log) != NULL, "%s", err.text);
}
END_TEST

/* A short timeout is kept. Under valgrind it stretches too: the spawner
 * must still report the program's PID, which it does right after fork. */
START_TEST(program_that_never_answers_times_out)
{
    char *argv[] = { (char *)GRITE_TEST_DAEMON, (char *)"hang", test_pid, NULL };
    int timeout_ms = test_scaled_ms(300);
    grite_daemon_spawn_options opts = { .program = GRITE_TEST_DAEMON, .argv = argv,
                                        .timeout_ms = timeout_ms };
    grite_lock_error err;
    pid_t spawned = 0;
    int64_t t0 = test_clock_ms();
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, &spawned, &err), GRITE_LOCK_TIMEOUT);
    int64_t took = test_clock_ms() - t0;
    ck_assert_int_ge(took, timeout_ms);
    ck_assert_int_lt(took, timeout_ms + test_scaled_ms(1700));
    ck_assert_int_gt(spawned, 0);
    char within[40];
    snprintf(within, sizeof within, "within %d ms", timeout_ms);
    ck_assert_msg(strstr(err.text, GRITE_TEST_DAEMON) && strstr(err.text, within), "%s", err.text);
    ck_assert_int_eq(kill(spawned, 0), 0);   /* left running, for the caller to decide */
    lt_kill(spawned);
}
END_TEST

/* A child that acquires the lock as a daemon does, says so (so that the
 * test does not guess how long a fork takes), and goes on "loading" for
 * loading_ms (stretched under valgrind, so that the test is still waiting
 * when it ends). Then it listens and lingers if `listen`, else it dies
 * ("crashes" while loading: lock file left, flock gone). */
static pid_t starting_daemon(int loading_ms, bool listen)
{
    pid_t test = getpid();
    int locked[2];
    ck_assert_int_eq(pipe2(locked, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(locked[0]);
        grite_daemon_lock *lock;
        if (grite_daemon_lock_acquire(d.lock, d.sock, 60000, &lock, NULL, NULL) != GRITE_LOCK_OK ||
            write(locked[1], "l", 1) != 1)
            _exit(1);
        test_sleep_ms(test_scaled_ms(loading_ms));
        if (!listen)
            _exit(0);
        if (lt_listen(d.sock) < 0)
            _exit(1);
        lt_linger(test);
    }
    close(locked[1]);
    char c;
    ck_assert_msg(read(locked[0], &c, 1) == 1, "the starting daemon could not take the lock");
    close(locked[0]);
    return pid;
}

/* A daemon that holds the lock but is still starting up is waited for,
 * not doubled: the program given here would fail if it were run. */
START_TEST(ensure_waits_for_a_starting_daemon)
{
    pid_t daemon = starting_daemon(300, true);
    grite_daemon_spawn_options opts = { .program = "/nonexistent/never-run",
                                        .timeout_ms = start_budget(5000) };
    grite_daemon_info info;
    pid_t spawned = -1;
    grite_lock_error err;
    ck_assert_msg(grite_daemon_ensure(d.lock, &opts, &info, &spawned, &err) == GRITE_LOCK_OK,
                  "%s", err.text);
    ck_assert_int_eq(info.pid, daemon);
    ck_assert_int_eq(spawned, 0);
    lt_kill(daemon);
}
END_TEST

/* The daemon we were waiting for dies before it answers: start our own
 * instead of waiting out the timeout. */
START_TEST(ensure_starts_its_own_when_a_starting_daemon_dies)
{
    pid_t doomed = starting_daemon(300, false);
    grite_daemon_info info;
    int64_t t0 = test_clock_ms();
    pid_t spawned = ensure_starts_test_daemon(start_budget(5000), &info);
    ck_assert_int_lt(test_clock_ms() - t0, test_scaled_ms(3000));
    ck_assert_int_eq(lt_wait_exit(doomed), 0);
    stop_daemon(spawned);
}
END_TEST

START_TEST(ensure_refuses_bad_arguments)
{
    grite_daemon_spawn_options opts = { .program = NULL };
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_ensure(d.lock, &opts, NULL, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_int_eq(grite_daemon_ensure(d.lock, NULL, NULL, NULL, &err),
                     GRITE_LOCK_INVALID_ARGUMENT);
    ck_assert_int_eq(grite_daemon_find(NULL, NULL, &err), GRITE_LOCK_INVALID_ARGUMENT);
}
END_TEST

static Suite *lock_discovery_suite(void)
{
    Suite *s = suite_create("lock_discovery");
    TCase *find = tcase_create("find");
    tcase_add_checked_fixture(find, setup, teardown);
    tcase_set_timeout(find, 20);
    tcase_add_test(find, find_without_lock_is_none);
    tcase_add_test(find, find_a_live_daemon);
    tcase_add_test(find, find_a_live_lock_without_listener_is_not_answering);
    suite_add_tcase(s, find);

    TCase *ensure = tcase_create("ensure");
    tcase_add_checked_fixture(ensure, setup, teardown);
    tcase_set_timeout(ensure, 30);
    tcase_add_test(ensure, ensure_uses_a_running_daemon);
    tcase_add_test(ensure, ensure_starts_the_daemon);
    tcase_add_test(ensure, ensure_with_the_largest_timeout_starts_the_daemon);
    tcase_add_test(ensure, ensure_replaces_a_crashed_daemon);
    tcase_add_test(ensure, racing_clis_start_exactly_one_daemon);
    tcase_add_test(ensure, program_that_exits_gives_its_status);
    tcase_add_test(ensure, program_killed_by_signal_says_so);
    tcase_add_test(ensure, missing_program_cannot_execute);
    tcase_add_test(ensure, unwritable_log_is_reported);
    tcase_add_test(ensure, program_that_never_answers_times_out);
    tcase_add_test(ensure, ensure_waits_for_a_starting_daemon);
    tcase_add_test(ensure, ensure_starts_its_own_when_a_starting_daemon_dies);
    tcase_add_test(ensure, ensure_refuses_bad_arguments);
    suite_add_tcase(s, ensure);
    return s;
}

int main(void)
{
    return grite_check_run(lock_discovery_suite());
}
