/* test_lifecycle.c - grite-daemon as a process: restarts keep every
 * write, kill -9 loses no acknowledged write, DaemonStop and SIGTERM shut
 * down cleanly, the idle timeout, a second daemon on the same data dir,
 * the lock heartbeat and a lost lock, store recovery, the command line. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "clock.h"
#include "daemon_test_util.h"
#include "grite/daemon_lock.h"

#define MAX_WRITES 200000   /* far more than fit in the 150 ms before the kill */

static const char *data_dir(void)
{
    return test_path("data");
}

static const char *sock(void)
{
    return test_path("d.sock");
}

static const char *lock_file(void)
{
    return test_path("data/daemon.lock");
}

static const grite_Issue *show(struct test_client *c, const char *id)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow.issue_id = grite_str_from_cstr(id)};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    return grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
}

static void close_issue(struct test_client *c, const char *id)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CLOSE, .v.IssueClose.issue_id = grite_str_from_cstr(id)};
    expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
}

static void stop_by_request(struct daemon_proc *d, struct test_client *c)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DAEMON_STOP};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_DaemonStopResult_pid(grite_IpcResponse_as_DaemonStopResult(r)),
                      (uint32_t)d->pid);
    client_close(c);
    ck_assert_int_eq(daemon_wait_exit(d, 5000), 0);
}

static void assert_cleaned_up(void)
{
    ck_assert_msg(!path_exists(sock()), "the socket file is still there");
    ck_assert_msg(!path_exists(lock_file()), "the lock file is still there");
}

/* ---- restarts ------------------------------------------------------------------------ */

START_TEST(restart_keeps_every_write)
{
    struct daemon_proc d;
    struct test_client c;
    char a[33], b[33], e[33];
    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    create_issue(&c, "first", "one", a);
    add_comment(&c, a, "c1");
    create_issue(&c, "second", "two", b);
    close_issue(&c, b);
    stop_by_request(&d, &c);

    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_B);
    add_comment(&c, a, "c2");
    create_issue(&c, "third", "three", e);
    client_close(&c);
    daemon_kill(&d, SIGTERM);
    ck_assert_int_eq(daemon_wait_exit(&d, 5000), 0);

    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    const grite_Issue *is = show(&c, a);
    ck_assert_str_eq(grite_Issue_body(is).ptr, "one");
    grite_vec_Comment cs = grite_Issue_comments(is);
    ck_assert_uint_eq(cs.len, 2);
    ck_assert_str_eq(grite_Comment_body(grite_vec_Comment_at(cs, 0)).ptr, "c1");
    ck_assert_str_eq(grite_Comment_body(grite_vec_Comment_at(cs, 1)).ptr, "c2");
    ck_assert_str_eq(grite_Comment_author(grite_vec_Comment_at(cs, 1)).ptr, ACTOR_B);
    ck_assert_int_eq(grite_Issue_state(show(&c, b)), GRITE_ISSUE_STATE_CLOSED);
    ck_assert_str_eq(grite_Issue_title(show(&c, e)).ptr, "third");
    client_close(&c);
}
END_TEST

/* Send c's prepared request until the daemon dies or n reaches max; the
 * id of each answered create goes into acked. Returns the new n. */
static int acked_writes(struct test_client *c, char (*acked)[33], int n, int max)
{
    while (n < max) {
        const void *resp;
        size_t len;
        if (grite_client_call(c->client, &c->request, &resp, &len) != 0) break;   /* the daemon died */
        const grite_IpcResponse *r = expect_kind(grite_IpcReply_root(resp), GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
        memcpy(acked[n++], grite_IpcResponse_IssueCreateResult_issue_id(grite_IpcResponse_as_IssueCreateResult(r)).ptr,
               33);
    }
    return n;
}

/* A killer process sends SIGKILL after a few ms while we write as fast
 * as we can; every create that was answered must be there afterwards.
 * The first write is answered before the killer starts, however slowly
 * the daemon runs (valgrind). */
START_TEST(kill_9_loses_no_acknowledged_write)
{
    struct daemon_proc d;
    struct test_client c;
    char (*acked)[33] = malloc(MAX_WRITES * sizeof *acked);
    ck_assert_ptr_nonnull(acked);
    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE, .v.IssueCreate.title = GRITE_STR("w")};
    grite_IpcRequest_in in = {.ipc_schema_version = 1, .request_id = GRITE_STR("w"), .actor_id = GRITE_STR(ACTOR_A),
                              .data_dir = grite_str_from_cstr(d.data_dir), .command = cmd};
    ck_assert_int_eq(grite_IpcRequest_build(&c.request, &in), 0);
    int n = acked_writes(&c, acked, 0, 1);
    ck_assert_int_eq(n, 1);
    pid_t killer = fork();
    ck_assert_int_ge(killer, 0);
    if (killer == 0) {
        usleep(150000);
        kill(d.pid, SIGKILL);
        _exit(0);
    }
    n = acked_writes(&c, acked, n, MAX_WRITES);
    waitpid(killer, NULL, 0);
    ck_assert_int_eq(daemon_wait_exit(&d, 5000), 128 + SIGKILL);
    ck_assert_msg(n < MAX_WRITES, "%d writes acknowledged before the kill", n);
    client_close(&c);

    daemon_start(&d, data_dir(), sock(), NULL);   /* the dead daemon's lock and socket are replaced */
    client_open(&c, &d, ACTOR_A);
    for (int i = 0; i < n; i++) show(&c, acked[i]);
    grite_IpcCommand_in all = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST, .v.IssueList.filter.limit = {true, 1}};
    const grite_IpcResponse *r = expect_kind(client_call(&c, &all), GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    uint64_t total = grite_IpcResponse_IssueListResult_total(grite_IpcResponse_as_IssueListResult(r));
    /* at most the one write in flight at the kill may have landed unanswered */
    ck_assert_msg(total == (uint64_t)n || total == (uint64_t)n + 1, "%d acknowledged, %llu stored", n,
                  (unsigned long long)total);
    client_close(&c);
    free(acked);
}
END_TEST

START_TEST(torn_store_tail_is_repaired_and_logged)
{
    struct daemon_proc d;
    struct test_client c;
    char a[33];
    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    create_issue(&c, "kept", "", a);
    stop_by_request(&d, &c);
    /* half a record at the end: what a crash mid-append leaves */
    int fd = open(test_path("data/store/events.log"), O_WRONLY | O_APPEND);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "\xff" "GEV\x40\x00", 6), 6);
    close(fd);
    daemon_start(&d, data_dir(), sock(), NULL);
    ck_assert_ptr_nonnull(strstr(daemon_log(&d), "store recovered"));
    client_open(&c, &d, ACTOR_A);
    ck_assert_str_eq(grite_Issue_title(show(&c, a)).ptr, "kept");
    client_close(&c);
}
END_TEST

/* ---- shutdown ---------------------------------------------------------------------------- */

START_TEST(daemon_stop_replies_then_removes_socket_and_lock)
{
    struct daemon_proc d;
    struct test_client c;
    daemon_start(&d, data_dir(), sock(), NULL);
    ck_assert(path_exists(sock()));
    ck_assert(path_exists(lock_file()));
    client_open(&c, &d, "");
    stop_by_request(&d, &c);
    assert_cleaned_up();
    ck_assert_ptr_nonnull(strstr(daemon_log(&d), "stopped by a DaemonStop request"));
}
END_TEST

START_TEST(sigterm_is_a_clean_shutdown)
{
    struct daemon_proc d;
    struct test_client c;
    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    char a[33];
    create_issue(&c, "before the signal", "", a);
    daemon_kill(&d, SIGTERM);
    ck_assert_int_eq(daemon_wait_exit(&d, 5000), 0);
    assert_cleaned_up();
    client_close(&c);
    /* the next daemon starts at once and has the write */
    daemon_start(&d, data_dir(), sock(), NULL);
    client_open(&c, &d, ACTOR_A);
    show(&c, a);
    client_close(&c);
    daemon_kill(&d, SIGINT);
    ck_assert_int_eq(daemon_wait_exit(&d, 5000), 0);
    assert_cleaned_up();
}
END_TEST

START_TEST(idle_timeout_waits_for_clients_then_exits)
{
    struct daemon_proc d;
    struct test_client c;
    const char *extra[] = {"--idle-timeout", "1", NULL};
    daemon_start(&d, data_dir(), sock(), extra);
    client_open(&c, &d, "");
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    expect_kind(client_call(&c, &status), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    usleep(1500000);   /* idle for longer than the timeout, but a client is connected */
    ck_assert_int_eq(daemon_wait_exit(&d, 0), -1);
    client_close(&c);
    ck_assert_int_eq(daemon_wait_exit(&d, 3000), 0);
    assert_cleaned_up();
    ck_assert_ptr_nonnull(strstr(daemon_log(&d), "stopped by the idle timeout"));
}
END_TEST

/* ---- one daemon per data dir ---------------------------------------------------------------- */

START_TEST(second_daemon_refuses_to_start)
{
    struct daemon_proc d;
    daemon_start(&d, data_dir(), sock(), NULL);
    char out[4096], pid[32];
    const char *args[] = {"--data-dir", data_dir(), "--socket", test_path("other.sock"), NULL};
    ck_assert_int_eq(daemon_run_to_exit(args, out, sizeof out), 3);
    snprintf(pid, sizeof pid, "pid %ld", (long)d.pid);
    ck_assert_msg(strstr(out, pid) && strstr(out, sock()), "message lacks the holder's pid or socket: %s", out);
    /* the first one is unharmed */
    struct test_client c;
    client_open(&c, &d, "");
    grite_IpcCommand_in status = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    expect_kind(client_call(&c, &status), GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    client_close(&c);
    /* another data dir on the same socket cannot listen there */
    const char *same_socket[] = {"--data-dir", test_path("data2"), "--socket", sock(), NULL};
    ck_assert_int_eq(daemon_run_to_exit(same_socket, out, sizeof out), 1);
    ck_assert_msg(strstr(out, "cannot listen"), "%s", out);
}
END_TEST

/* ---- the daemon lock -------------------------------------------------------------------------- */

/* The daemon refreshes its lock well inside each lease (due every
 * lease/3) and keeps answering. We look until we have seen two of its
 * heartbeats less than a lease apart (a missed one only widens what we
 * see), and one two leases past its start that is fresh (less than half a
 * lease old, so no slow step of ours can have let it lapse): that look
 * must judge the lock live, its lease unchanged. Whether a starved daemon
 * keeps up is not judged (it does lose its lease); a daemon that does not
 * refresh, or too rarely, never shows these. Under valgrind the lease
 * stretches, so that our looks can be fresh. */
START_TEST(heartbeat_keeps_a_short_lease_live)
{
    struct daemon_proc d;
    int lease_ms = test_scaled_ms(450);
    char lease[16];
    snprintf(lease, sizeof lease, "%d", lease_ms);
    const char *extra[] = {"--lease-ms", lease, NULL};
    daemon_start(&d, data_dir(), sock(), extra);
    grite_daemon_info info;
    grite_lock_verdict verdict;
    int64_t deadline = test_clock_ms() + test_scaled_ms(10000);
    int64_t last_heartbeat = 0, closest = INT64_MAX;
    for (;;) {
        bool answers = grite_daemon_find(lock_file(), NULL, NULL) == GRITE_LOCK_OK;
        ck_assert_int_eq(grite_daemon_lock_inspect(lock_file(), &info, &verdict, NULL), GRITE_LOCK_OK);
        int64_t age = grite_daemon_unix_ms() - info.heartbeat_ms;
        if (last_heartbeat != 0 && info.heartbeat_ms != last_heartbeat && info.heartbeat_ms - last_heartbeat < closest)
            closest = info.heartbeat_ms - last_heartbeat;
        last_heartbeat = info.heartbeat_ms;
        if (answers && closest < lease_ms && age < lease_ms / 2 && info.heartbeat_ms - info.started_ms >= 2 * lease_ms)
            break;
        ck_assert_msg(test_clock_ms() < deadline, "no fresh heartbeat two leases past the start (the last: %lld ms "
                      "after it, %lld ms ago; heartbeats at least %lld ms apart); its log:\n%s",
                      (long long)(info.heartbeat_ms - info.started_ms), (long long)age, (long long)closest,
                      daemon_log(&d));
        test_sleep_ms(10);
    }
    ck_assert_msg(verdict == GRITE_LOCK_LIVE, "a fresh heartbeat, and the lock is judged: %s",
                  grite_lock_verdict_text(verdict));
    ck_assert_int_eq(info.lease_ms, lease_ms);
}
END_TEST

/* SIGSTOP the daemon at a moment it does not hold <lock>.mutex: a refresh
 * takes it for a few system calls, and stopped inside one the daemon would
 * keep everyone out of the lock (BUSY after GRITE_DAEMON_MUTEX_WAIT_MS). */
static void stop_outside_the_lock_mutex(struct daemon_proc *d)
{
    char mutex[TEST_PATH_MAX + 16];
    snprintf(mutex, sizeof mutex, "%s.mutex", lock_file());
    int fd = open(mutex, O_RDWR | O_CLOEXEC);
    ck_assert_msg(fd >= 0, "open %s: %s", mutex, strerror(errno));
    for (int tries = 1;; tries++) {
        ck_assert_int_eq(kill(d->pid, SIGSTOP), 0);
        int status;
        ck_assert_int_eq(waitpid(d->pid, &status, WUNTRACED), d->pid);
        ck_assert_msg(WIFSTOPPED(status), "grite-daemon ended (status %#x) instead of stopping", status);
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) break;   /* free, and the daemon cannot take it now */
        ck_assert_msg(tries < 100, "grite-daemon held %s at each of %d stops", mutex, tries);
        ck_assert_int_eq(kill(d->pid, SIGCONT), 0);
        test_sleep_ms(1);
    }
    close(fd);   /* and our probe lets go of it */
}

START_TEST(lost_lock_stops_the_daemon)
{
    struct daemon_proc d;
    const char *extra[] = {"--lease-ms", "200", NULL};
    daemon_start(&d, data_dir(), sock(), extra);
    stop_outside_the_lock_mutex(&d);   /* hung: no heartbeat */
    test_sleep_ms(400);
    grite_daemon_lock *taken = NULL;
    grite_lock_error err;
    ck_assert_msg(grite_daemon_lock_acquire(lock_file(), test_path("new.sock"), 60000, &taken, NULL, &err) ==
                      GRITE_LOCK_OK, "takeover: %s", err.text);
    daemon_kill(&d, SIGCONT);
    ck_assert_int_eq(daemon_wait_exit(&d, 3000), 4);
    ck_assert_ptr_nonnull(strstr(daemon_log(&d), "lost the daemon lock"));
    /* it left the new owner's lock alone */
    grite_daemon_info info;
    ck_assert_int_eq(grite_daemon_lock_read(lock_file(), &info, NULL), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, getpid());
    grite_daemon_lock_release(taken, NULL);
}
END_TEST

/* ---- the command line ---------------------------------------------------------------------------- */

START_TEST(command_line)
{
    char out[4096];
    const char *help[] = {"--help", NULL};
    ck_assert_int_eq(daemon_run_to_exit(help, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "Usage: grite-daemon"));
    const char *version[] = {"--version", NULL};
    ck_assert_int_eq(daemon_run_to_exit(version, out, sizeof out), 0);
    char fp[32];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)GRITE_SCHEMA_FINGERPRINT);
    ck_assert_ptr_nonnull(strstr(out, fp));
    const char *bogus[] = {"--bogus", NULL};
    ck_assert_int_eq(daemon_run_to_exit(bogus, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "unknown option --bogus"));
    const char *lease[] = {"--lease-ms", "0", NULL};
    ck_assert_int_eq(daemon_run_to_exit(lease, out, sizeof out), 2);
    const char *idle[] = {"--idle-timeout", "soon", NULL};
    ck_assert_int_eq(daemon_run_to_exit(idle, out, sizeof out), 2);
    const char *missing[] = {"--data-dir", NULL};
    ck_assert_int_eq(daemon_run_to_exit(missing, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "needs a value"));
    /* a data dir that is a file: a clear startup error */
    int fd = open(test_path("file"), O_WRONLY | O_CREAT, 0600);
    close(fd);
    const char *file[] = {"--data-dir", test_path("file"), "--socket", sock(), NULL};
    ck_assert_int_eq(daemon_run_to_exit(file, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "not a directory"));
}
END_TEST

static Suite *lifecycle_suite(void)
{
    Suite *s = suite_create("daemon_lifecycle");
    TCase *t = tcase_create("lifecycle");
    tcase_add_checked_fixture(t, daemon_test_setup, daemon_test_teardown);
    tcase_add_unchecked_fixture(t, daemon_suite_setup, daemon_suite_teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, restart_keeps_every_write);
    tcase_add_test(t, kill_9_loses_no_acknowledged_write);
    tcase_add_test(t, torn_store_tail_is_repaired_and_logged);
    tcase_add_test(t, daemon_stop_replies_then_removes_socket_and_lock);
    tcase_add_test(t, sigterm_is_a_clean_shutdown);
    tcase_add_test(t, idle_timeout_waits_for_clients_then_exits);
    tcase_add_test(t, second_daemon_refuses_to_start);
    tcase_add_test(t, heartbeat_keeps_a_short_lease_live);
    tcase_add_test(t, lost_lock_stops_the_daemon);
    tcase_add_test(t, command_line);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(lifecycle_suite());
}
