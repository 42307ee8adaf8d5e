/* test_socket_dir.c - fault_socket_dir: the socket file, or its whole
 * directory, is deleted under a running daemon (a tmp cleaner, a runtime
 * dir wiped at logout, a careless rm -rf).
 *
 * No client can reach that daemon any more, yet its lock stays live: a
 * CLI would wait for it, then give up, and never start one it can reach.
 * So the daemon checks its socket path on every heartbeat tick (at most
 * 1 s apart) and, once it no longer names the socket it bound, stops
 * cleanly (exit 0), releasing the lock; the next CLI starts a fresh
 * daemon, which recreates the directory (docs/DAEMON.md). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "daemon_test_util.h"
#include "fault_util.h"
#include "program.h"
#include "temp_dir.h"
#include "grite/daemon_lock.h"

#ifndef GRITE_BIN
#error "GRITE_BIN (the grite executable) must be defined"
#endif
#ifndef GRITE_DAEMON_BIN
#error "GRITE_DAEMON_BIN (the grite-daemon executable) must be defined"
#endif

/* Deadlines, stretched under valgrind (daemon_wait_exit, proc_wait_dead). */
#define NOTICE_LIMIT_MS 3000   /* the tick is at most 1 s; room for a loaded machine */
#define EXIT_LIMIT_MS 10000    /* lock released -> process gone: valgrind's leak check sits between */

static void remove_tree(const char *path)
{
    ck_assert_msg(test_remove_tree(path) == 0, "rm -rf %s: %s", path, strerror(errno));
}

static void create(struct test_client *c, const char *title, char id[33])
{
    create_issue(c, title, "", id);
}

static void assert_title(struct test_client *c, const char *id, const char *title)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow.issue_id = grite_str_from_cstr(id)};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    ck_assert_str_eq(grite_Issue_title(grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r))).ptr,
                     title);
}

/* The daemon notices on its own, exits 0 within NOTICE_LIMIT_MS, says why,
 * and releases its lock. Returns how long it took. */
static int64_t assert_stops_by_itself(struct daemon_proc *d, int64_t since)
{
    int status = daemon_wait_exit(d, NOTICE_LIMIT_MS);
    int64_t took = test_clock_ms() - since;
    ck_assert_msg(status == 0, "grite-daemon %s (status %d) %lld ms after its socket went; its log:\n%s",
                  status < 0 ? "still runs" : "exited badly", status, (long long)took, daemon_log(d));
    ck_assert_msg(strstr(daemon_log(d), "stopped by the removal of its socket file") != NULL, "its log:\n%s",
                  daemon_log(d));
    ck_assert_msg(!path_exists(test_path("data/daemon.lock")), "the daemon lock is still there");
    return took;
}

START_TEST(socket_dir_removed_the_daemon_stops_and_releases_its_lock)
{
    struct daemon_proc d;
    struct test_client c;
    char id[33];
    make_dir(test_path("run"));
    daemon_start(&d, test_path("data"), test_path("run/d.sock"), NULL);
    client_open(&c, &d, ACTOR_A);
    create(&c, "before", id);

    /* The log sits next to the socket (daemon_test_util.h): keep a link to it. */
    ck_assert_int_eq(link(d.log_path, test_path("daemon.log")), 0);
    snprintf(d.log_path, sizeof d.log_path, "%s", test_path("daemon.log"));
    int64_t removed = test_clock_ms();
    remove_tree(test_path("run"));
    int64_t took = assert_stops_by_itself(&d, removed);
    client_close(&c);
    printf("fault_socket_dir: the daemon stopped %lld ms after its socket directory was removed\n", (long long)took);

    make_dir(test_path("run"));   /* whoever starts the next daemon makes the directory again */
    daemon_start(&d, test_path("data"), test_path("run/d.sock"), NULL);
    client_open(&c, &d, ACTOR_A);
    assert_title(&c, id, "before");
    client_close(&c);
    daemon_stop_clean(&d);
}
END_TEST

START_TEST(socket_file_removed_or_replaced_the_daemon_stops)
{
    struct daemon_proc d;
    daemon_start(&d, test_path("data"), test_path("d.sock"), NULL);
    ck_assert_int_eq(unlink(test_path("d.sock")), 0);
    assert_stops_by_itself(&d, test_clock_ms());

    daemon_start(&d, test_path("data"), test_path("d.sock"), NULL);
    ck_assert_int_eq(unlink(test_path("d.sock")), 0);
    int fd = open(test_path("d.sock"), O_WRONLY | O_CREAT | O_EXCL, 0600);   /* not our socket any more */
    ck_assert_int_ge(fd, 0);
    close(fd);
    assert_stops_by_itself(&d, test_clock_ms());
    ck_assert_msg(path_exists(test_path("d.sock")), "the daemon removed a file that was not its socket");
}
END_TEST

/* ---- through the grite CLI ------------------------------------------------------------------ */

/* Run grite with args (NULL-terminated) in the test's environment: its own
 * data dir and XDG_RUNTIME_DIR, the built daemon, time to start it. The
 * environment is set in this (forked, per-test) process for the child to
 * inherit; nothing else here reads it (daemon_start passes its paths as
 * arguments). */
static program_run run_grite(const char *const *args)
{
    setenv("GRITE_DAEMON", GRITE_DAEMON_BIN, 1);
    setenv("XDG_RUNTIME_DIR", test_path("xdg"), 1);
    setenv("GRITE_DATA_DIR", test_path("data"), 1);
    unsetenv("GRITE_ACTOR");
    unsetenv("GRITE_TIMEOUT_MS");
    /* A deadline, not what is tested: room for a loaded machine, and more
     * under valgrind, where a daemon takes seconds to start. */
    char start_ms[16];
    snprintf(start_ms, sizeof start_ms, "%d", test_scaled_ms(20000));
    setenv("GRITE_DAEMON_TIMEOUT_MS", start_ms, 1);
    return program_run_in(GRITE_BIN, NULL, NULL, args);
}

/* The daemon the lock names, and its socket. */
static pid_t lock_holder(char *socket_path, size_t n)
{
    grite_daemon_info info;
    ck_assert_int_eq(grite_daemon_find(test_path("data/daemon.lock"), &info, NULL), GRITE_LOCK_OK);
    snprintf(socket_path, n, "%s", info.socket_path);
    return info.pid;
}

START_TEST(the_next_cli_starts_a_fresh_daemon)
{
    char sock[TEST_PATH_MAX], socket_dir[TEST_PATH_MAX];
    make_dir(test_path("xdg"));
    const char *create_args[] = {"issue", "create", "--title", "made before", NULL};
    program_run r = run_grite(create_args);
    ck_assert_msg(r.status == 0, "grite issue create: %s%s", r.out, r.err);
    program_run_free(&r);
    pid_t first = lock_holder(sock, sizeof sock);
    ck_assert_msg(strncmp(sock, test_path("xdg"), strlen(test_path("xdg"))) == 0, "socket %s", sock);
    snprintf(socket_dir, sizeof socket_dir, "%s", sock);
    *strrchr(socket_dir, '/') = '\0';

    remove_tree(socket_dir);
    int64_t t0 = test_clock_ms();
    const char *list_args[] = {"issue", "list", NULL};
    r = run_grite(list_args);
    int64_t took = test_clock_ms() - t0;
    ck_assert_msg(r.status == 0 && strstr(r.out, "made before"),
                  "grite issue list after the socket dir went: %d\n%s%s", r.status, r.out, r.err);
    program_run_free(&r);
    pid_t second = lock_holder(sock, sizeof sock);
    ck_assert_msg(second != first, "the lock still names the first daemon");
    ck_assert_msg(proc_wait_dead(first, EXIT_LIMIT_MS), "the first daemon (pid %ld) still runs", (long)first);
    ck_assert_msg(path_exists(sock), "the new daemon's socket %s is missing", sock);
    printf("fault_socket_dir: with its socket dir gone, `grite issue list` got a fresh daemon and its answer in "
           "%lld ms\n",
           (long long)took);

    const char *stop_args[] = {"daemon", "stop", NULL};
    r = run_grite(stop_args);
    ck_assert_msg(r.status == 0, "grite daemon stop: %s%s", r.out, r.err);
    program_run_free(&r);
    ck_assert_msg(proc_wait_dead(second, EXIT_LIMIT_MS), "the second daemon (pid %ld) still runs", (long)second);
}
END_TEST

/* A failed test may leave a daemon that grite started (not our child):
 * removing the test's directory takes its socket, and it stops by itself. */
static Suite *socket_dir_suite(void)
{
    Suite *s = suite_create("fault_socket_dir");
    TCase *t = fault_tcase("socket_dir", false, 60);
    tcase_add_test(t, socket_dir_removed_the_daemon_stops_and_releases_its_lock);
    tcase_add_test(t, socket_file_removed_or_replaced_the_daemon_stops);
    tcase_add_test(t, the_next_cli_starts_a_fresh_daemon);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(socket_dir_suite());
}
