/*
 * test_cli_session.c - the built grite binary, run as real processes
 * against real grite-daemons (auto-started, GRITE_DAEMON = the built one)
 * in scratch data dirs: every command, every exit status, --json output
 * that parses, restarts and kill -9 without losing an acknowledged write,
 * racing CLIs starting exactly one daemon, a lease expiring and passing to
 * another actor, and sync between two data dirs in both directions.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "cli_test_util.h"
#include "clock.h"

#define ACTOR_B "0123456789abcdef0123456789abcdef"

/* Run grite in data dir `dir` and expect exit status `want`. The result
 * is left in r (the caller frees it). */
#define GRITE_EXPECT(r, want, dir, ...)                                                  \
    do {                                                                                 \
        cli_run((r), "--data-dir", (dir), __VA_ARGS__, NULL);                            \
        ck_assert_msg((r)->status == (want), "grite %s: status %d (want %d)\nstdout: %s\nstderr: %s", \
                      #__VA_ARGS__, (r)->status, (want), (r)->out, (r)->err);              \
    } while (0)

/* The same when only the status matters. */
#define GRITE_EXPECT_STATUS(want, dir, ...)                                              \
    do {                                                                                 \
        run_result r_;                                                                   \
        GRITE_EXPECT(&r_, (want), (dir), __VA_ARGS__);                                   \
        cli_result_free(&r_);                                                            \
    } while (0)

/* Run grite in `dir`: it must exit 0 and print `text` somewhere on stdout. */
#define GRITE_EXPECT_OUT(text, dir, ...)                                                 \
    do {                                                                                 \
        run_result r_;                                                                   \
        GRITE_EXPECT(&r_, 0, (dir), __VA_ARGS__);                                        \
        ck_assert_msg(strstr(r_.out, (text)) != NULL, "grite %s: no \"%s\" in its stdout:\n%s", \
                      #__VA_ARGS__, (text), r_.out);                                     \
        cli_result_free(&r_);                                                            \
    } while (0)

static char *create_issue(const char *dir, const char *title, char id[33])
{
    run_result r;
    GRITE_EXPECT(&r, 0, dir, "issue", "create", "--title", title);
    ck_assert_msg(cli_created_id(r.out, id), "no id in: %s", r.out);
    cli_result_free(&r);
    return id;
}

static void stop_daemon(const char *dir)
{
    GRITE_EXPECT_STATUS(0, dir, "daemon", "stop");
    ck_assert_int_eq(cli_daemon_pid(dir), 0);   /* the lock file is gone */
}

/* ---- every command, once, for people ----------------------------------- */

START_TEST(every_command_in_one_session)
{
    char dir[512], remote[512], a[33], b[33];
    cli_data_dir("main", dir, sizeof dir);
    run_result r;

    /* The first command starts the daemon; its log lands in the data dir. */
    create_issue(dir, "Daemon loses its lock after suspend", a);
    cli_run(&r, "--data-dir", dir, "issue", "create", "--title", "Second issue", "--body",
            "line one\nline two", "--label", "bug", "--label", "p1", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(cli_created_id(r.out, b));
    cli_result_free(&r);
    char log[600];
    snprintf(log, sizeof log, "%s/daemon.log", dir);
    ck_assert_int_eq(access(log, F_OK), 0);

    GRITE_EXPECT(&r, 0, dir, "issue", "list");
    ck_assert_msg(strncmp(r.out, "ID ", 3) == 0 && strstr(r.out, "STATE") && strstr(r.out, "UPDATED"), "%s", r.out);
    char short_a[9];
    snprintf(short_a, sizeof short_a, "%.8s", a);
    ck_assert_ptr_nonnull(strstr(r.out, short_a));
    ck_assert_ptr_nonnull(strstr(r.out, "bug, p1"));
    ck_assert_ptr_nonnull(strstr(r.out, "2 issues."));
    cli_result_free(&r);

    GRITE_EXPECT(&r, 0, dir, "issue", "show", b);
    ck_assert_ptr_nonnull(strstr(r.out, "Title:    Second issue"));
    ck_assert_ptr_nonnull(strstr(r.out, "    line one\n    line two\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "(open)"));
    cli_result_free(&r);

    GRITE_EXPECT_OUT("Updated issue", dir, "issue", "update", a, "--title", "Lock lost after suspend");
    GRITE_EXPECT_OUT("Added comment", dir, "issue", "comment", a, "--body", "Seen on 2 laptops");
    GRITE_EXPECT_OUT("is now closed", dir, "issue", "close", a);

    GRITE_EXPECT(&r, 0, dir, "issue", "show", short_a);   /* a prefix */
    ck_assert_ptr_nonnull(strstr(r.out, "Title:    Lock lost after suspend"));
    ck_assert_ptr_nonnull(strstr(r.out, "(closed)"));
    ck_assert_ptr_nonnull(strstr(r.out, "Comments (1):"));
    ck_assert_ptr_nonnull(strstr(r.out, "    Seen on 2 laptops"));
    cli_result_free(&r);

    GRITE_EXPECT(&r, 0, dir, "issue", "list", "--state", "open");
    ck_assert_ptr_null(strstr(r.out, short_a));
    ck_assert_ptr_nonnull(strstr(r.out, "1 issue."));
    cli_result_free(&r);
    GRITE_EXPECT_OUT("Second issue", dir, "issue", "list", "--label", "p1", "--state", "open");
    GRITE_EXPECT_OUT("Issues 1-1 of 2 (--offset 1 for more).", dir, "issue", "list", "--limit", "1");
    GRITE_EXPECT_OUT("Issues 2-2 of 2", dir, "issue", "list", "--limit", "1", "--offset", "1");

    GRITE_EXPECT_OUT("is now open", dir, "issue", "reopen", a);

    /* --body - reads stdin */
    const char *argv[] = { "--data-dir", dir, "issue", "comment", a, "--body", "-", NULL };
    cli_run_env(&r, NULL, "from\nstdin\n", argv);
    ck_assert_int_eq(r.status, 0);
    cli_result_free(&r);
    GRITE_EXPECT_OUT("    from\n    stdin\n", dir, "issue", "show", a);

    GRITE_EXPECT_OUT("Acquired lock release-train (expires in", dir, "lock", "acquire", "release-train",
                     "--ttl", "30s");
    GRITE_EXPECT_OUT("Released lock release-train", dir, "lock", "release", "release-train");

    cli_data_dir("remote", remote, sizeof remote);
    GRITE_EXPECT_OUT("2 issues pushed", dir, "sync", "push", "--remote", remote);
    GRITE_EXPECT_OUT("0 issues pulled", dir, "sync", "pull", "--remote", remote);

    GRITE_EXPECT(&r, 0, dir, "doctor");
    ck_assert_ptr_nonnull(strstr(r.out, "CHECK"));
    ck_assert_ptr_nonnull(strstr(r.out, " ok "));
    cli_result_free(&r);

    pid_t pid = cli_daemon_pid(dir);
    ck_assert_int_gt(pid, 0);
    GRITE_EXPECT(&r, 0, dir, "daemon", "status");
    char want[64];
    snprintf(want, sizeof want, "pid:              %ld\n", (long)pid);
    ck_assert_msg(strstr(r.out, "grite-daemon is running") && strstr(r.out, want), "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "(same as this grite)"));
    cli_result_free(&r);
    GRITE_EXPECT_OUT("already running", dir, "daemon", "start");

    GRITE_EXPECT(&r, 0, dir, "daemon", "stop");
    snprintf(want, sizeof want, "Stopped grite-daemon (pid %ld)", (long)pid);
    ck_assert_ptr_nonnull(strstr(r.out, want));
    cli_result_free(&r);
    ck_assert_int_eq(cli_daemon_pid(dir), 0);
    ck_assert(!cli_process_running(pid));
}
END_TEST

/* ---- daemon start / status / stop without a daemon -------------------- */

START_TEST(status_and_stop_never_start_a_daemon)
{
    char dir[512], log[600];
    cli_data_dir("idle", dir, sizeof dir);
    run_result r;
    GRITE_EXPECT(&r, 3, dir, "daemon", "status");
    ck_assert_ptr_nonnull(strstr(r.out, "No daemon is running for"));
    cli_result_free(&r);
    GRITE_EXPECT_OUT("No daemon is running", dir, "daemon", "stop");
    snprintf(log, sizeof log, "%s/daemon.log", dir);
    ck_assert_int_eq(access(log, F_OK), -1);
    ck_assert_int_eq(cli_daemon_pid(dir), 0);

    GRITE_EXPECT_OUT("Started grite-daemon (pid", dir, "daemon", "start");
    ck_assert_int_gt(cli_daemon_pid(dir), 0);
    stop_daemon(dir);
}
END_TEST

/* ---- exit statuses --------------------------------------------------- */

START_TEST(every_exit_status)
{
    char dir[512], fresh[512], id[33];
    cli_data_dir("codes", dir, sizeof dir);
    cli_data_dir("nodaemon", fresh, sizeof fresh);
    run_result r;
    create_issue(dir, "exists", id);

    /* 2: ours (usage) and the daemon's invalid_args (a blank title). */
    GRITE_EXPECT_STATUS(2, dir, "issue", "create");
    GRITE_EXPECT(&r, 2, dir, "issue", "create", "--title", "   ");
    ck_assert_msg(strstr(r.err, "grite: error: invalid_args: "), "%s", r.err);
    cli_result_free(&r);

    /* 3: not found, in the daemon's words. */
    GRITE_EXPECT(&r, 3, dir, "issue", "show", "0123456789abcdef0123456789abcdef");
    ck_assert_msg(strncmp(r.err, "grite: error: not_found: ", 25) == 0, "%s", r.err);
    cli_result_free(&r);
    GRITE_EXPECT_STATUS(3, dir, "issue", "close", "0123456789abcdef0123456789abcdef");

    /* 4: a lease another actor holds. */
    GRITE_EXPECT_STATUS(0, dir, "lock", "acquire", "db", "--ttl", "1m");
    GRITE_EXPECT(&r, 4, dir, "--actor", ACTOR_B, "lock", "acquire", "db");
    ck_assert_msg(strstr(r.err, "grite: error: conflict: "), "%s", r.err);
    cli_result_free(&r);

    /* 5: the daemon cannot start (the program exits at once). */
    const char *env[] = { "GRITE_DAEMON=/bin/true", NULL };
    const char *argv[] = { "--data-dir", fresh, "issue", "list", NULL };
    cli_run_env(&r, env, NULL, argv);
    ck_assert_msg(r.status == 5, "status %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "cannot start the daemon") && strstr(r.err, "/bin/true"), "%s", r.err);
    cli_result_free(&r);
    const char *env_missing[] = { "GRITE_DAEMON=/nonexistent/grite-daemon", NULL };
    cli_run_env(&r, env_missing, NULL, argv);
    ck_assert_msg(r.status == 5, "status %d: %s", r.status, r.err);
    cli_result_free(&r);

    /* 1: a daemon that hangs (stopped): the call times out. */
    pid_t pid = cli_daemon_pid(dir);
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(kill(pid, SIGSTOP), 0);
    const char *env_fast[] = { "GRITE_TIMEOUT_MS=300", NULL };
    const char *argv_list[] = { "--data-dir", dir, "issue", "list", NULL };
    cli_run_env(&r, env_fast, NULL, argv_list);
    ck_assert_int_eq(kill(pid, SIGCONT), 0);
    ck_assert_msg(r.status == 1, "status %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "timed out"), "%s", r.err);
    cli_result_free(&r);

    /* 2: a timeout in the environment that is not a number of ms. */
    const char *env_bad[] = { "GRITE_DAEMON_TIMEOUT_MS=5s", NULL };
    cli_run_env(&r, env_bad, NULL, argv_list);
    ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "GRITE_DAEMON_TIMEOUT_MS: \"5s\" is not a number of milliseconds"), "%s", r.err);
    cli_result_free(&r);

    /* 0 again once it runs. */
    GRITE_EXPECT_STATUS(0, dir, "issue", "show", id);
    stop_daemon(dir);
}
END_TEST

/* ---- --json ----------------------------------------------------------- */

static void expect_json(const char *dir, const char *expr, const char *want, const char *const *argv_tail)
{
    const char *argv[16] = { "--data-dir", dir, "--json" };
    size_t n = 3;
    for (size_t i = 0; argv_tail[i] != NULL; i++)
        argv[n++] = argv_tail[i];
    argv[n] = NULL;
    run_result r;
    cli_run_env(&r, NULL, NULL, argv);
    ck_assert_msg(cli_json_valid(r.out), "%s: not JSON: [%s] (stderr %s)", argv_tail[0], r.out, r.err);
    char got[256];
    ck_assert_msg(cli_json_eval(r.out, expr, got, sizeof got), "%s: %s", expr, r.out);
    ck_assert_msg(strcmp(got, want) == 0, "%s: %s is %s, want %s", argv_tail[1], expr, got, want);
    cli_result_free(&r);
}

#define JSON(dir, expr, want, ...) expect_json(dir, expr, want, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(json_output_parses)
{
    char dir[512], remote[512], id[33];
    cli_data_dir("json", dir, sizeof dir);
    cli_data_dir("json-remote", remote, sizeof remote);
    run_result r;
    cli_run(&r, "--data-dir", dir, "--json", "issue", "create", "--title", "JSON \"quoted\" \\ title",
            "--label", "a", NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert(cli_json_valid(r.out));
    ck_assert(cli_json_eval(r.out, "d['IssueCreateResult']['issue_id']", id, sizeof id));
    ck_assert_uint_eq(strlen(id), 32);
    cli_result_free(&r);

    JSON(dir, "d['IssueListResult']['total']", "1", "issue", "list");
    JSON(dir, "d['IssueListResult']['issues'][0]['title']", "JSON \"quoted\" \\ title", "issue", "list");
    JSON(dir, "d['IssueShowResult']['issue']['labels']", "['a']", "issue", "show", id);
    JSON(dir, "len(d['IssueUpdateResult']['issue_id'])", "32", "issue", "update", id, "--body",
         "new body");
    JSON(dir, "len(d['CommentResult']['comment_id'])", "32", "issue", "comment", id, "--body", "c");
    JSON(dir, "d['IssueStateResult']['state']", "Closed", "issue", "close", id);
    JSON(dir, "d['IssueStateResult']['state']", "Open", "issue", "reopen", id);
    JSON(dir, "d['LockResult']['held']", "True", "lock", "acquire", "res");
    JSON(dir, "d['LockResult']['held']", "False", "lock", "release", "res");
    JSON(dir, "d['SyncResult']['issues_pushed']", "1", "sync", "push", "--remote", remote);
    JSON(dir, "d['SyncResult']['issues_pulled']", "0", "sync", "pull", "--remote", remote);
    JSON(dir, "all(c['status'] == 'Ok' for c in d['DoctorResult']['checks'])", "True", "doctor");
    JSON(dir, "d['DaemonStatusResult']['pid'] > 0", "True", "daemon", "status");
    JSON(dir, "d['DaemonStatusResult']['pid'] > 0", "True", "daemon", "start");

    /* An error is JSON on stdout too (and a line on stderr), with its status. */
    cli_run(&r, "--data-dir", dir, "--json", "issue", "show", "ffffffffffffffffffffffffffffffff", NULL);
    ck_assert_int_eq(r.status, 3);
    char code[64];
    ck_assert_msg(cli_json_eval(r.out, "d['Error']['code']", code, sizeof code), "%s", r.out);
    ck_assert_str_eq(code, "not_found");
    ck_assert_ptr_nonnull(strstr(r.err, "not_found"));
    cli_result_free(&r);

    pid_t pid = cli_daemon_pid(dir);
    char want[32];
    snprintf(want, sizeof want, "%ld", (long)pid);
    JSON(dir, "d['DaemonStopResult']['pid']", want, "daemon", "stop");
    ck_assert_int_eq(cli_daemon_pid(dir), 0);
}
END_TEST

/* ---- durability across restarts and crashes --------------------------- */

START_TEST(writes_survive_restarts)
{
    char dir[512], a[33], b[33];
    cli_data_dir("restart", dir, sizeof dir);
    run_result r;
    create_issue(dir, "first", a);
    stop_daemon(dir);
    create_issue(dir, "second", b);
    stop_daemon(dir);
    GRITE_EXPECT_STATUS(0, dir, "issue", "comment", a, "--body", "after a restart");
    stop_daemon(dir);
    GRITE_EXPECT_STATUS(0, dir, "issue", "close", b);
    stop_daemon(dir);
    GRITE_EXPECT_STATUS(0, dir, "issue", "update", a, "--title", "first, renamed");
    stop_daemon(dir);

    GRITE_EXPECT(&r, 0, dir, "issue", "show", a);
    ck_assert_ptr_nonnull(strstr(r.out, "Title:    first, renamed"));
    ck_assert_ptr_nonnull(strstr(r.out, "    after a restart"));
    cli_result_free(&r);
    GRITE_EXPECT_OUT("(closed)", dir, "issue", "show", b);
    GRITE_EXPECT_OUT("2 issues.", dir, "issue", "list");
    stop_daemon(dir);
}
END_TEST

#define CRASH_WRITES 30
#define CRASH_AT 10

START_TEST(kill_9_loses_no_acknowledged_write)
{
    char dir[512];
    cli_data_dir("crash", dir, sizeof dir);
    char acked[CRASH_WRITES][33];
    char failures[512] = "";
    size_t n_acked = 0, n_failed = 0;
    pid_t first = 0, killer = 0;
    for (int i = 0; i < CRASH_WRITES; i++) {
        if (i == CRASH_AT) {
            /* Kill the daemon a moment into the next write. */
            first = cli_daemon_pid(dir);
            ck_assert_int_gt(first, 0);
            killer = fork();
            ck_assert_int_ge(killer, 0);
            if (killer == 0) {
                test_sleep_ms(2);
                _exit(kill(first, SIGKILL) == 0 ? 0 : 1);
            }
        }
        char title[32];
        snprintf(title, sizeof title, "write %d", i);
        run_result r;
        cli_run(&r, "--data-dir", dir, "issue", "create", "--title", title, NULL);
        if (r.status == 0) {
            ck_assert(cli_created_id(r.out, acked[n_acked]));
            n_acked++;
        } else {
            /* Only the write the daemon died under may fail, and says what
             * became of it. */
            ck_assert_msg(r.status == 1 && (strstr(r.err, "may or may not") ||
                                            strstr(r.err, "so it was not done")),
                          "status %d: %s", r.status, r.err);
            size_t used = strlen(failures);
            snprintf(failures + used, sizeof failures - used, "[write %d: %s]", i, r.err);
            n_failed++;
        }
        cli_result_free(&r);
    }
    int ws;
    ck_assert_int_eq(waitpid(killer, &ws, 0), killer);
    ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    ck_assert_msg(n_failed <= 1, "%zu writes failed: %s", n_failed, failures);
    pid_t second = cli_daemon_pid(dir);
    ck_assert_msg(second > 0 && second != first, "daemon %ld then %ld", (long)first, (long)second);

    run_result r;
    GRITE_EXPECT(&r, 0, dir, "--json", "issue", "list", "--limit", "1000");
    for (size_t i = 0; i < n_acked; i++)
        ck_assert_msg(strstr(r.out, acked[i]) != NULL, "acknowledged issue %s is lost", acked[i]);
    cli_result_free(&r);
    stop_daemon(dir);
}
END_TEST

#define RACERS 8

START_TEST(racing_clis_start_one_daemon)
{
    char dir[512], log[600];
    cli_data_dir("race", dir, sizeof dir);
    run_handle h[RACERS];
    const char *argv[] = { "--data-dir", dir, "--json", "daemon", "start", NULL };
    for (int i = 0; i < RACERS; i++)
        cli_spawn(&h[i], NULL, NULL, argv);
    char first_pid[32] = "";
    for (int i = 0; i < RACERS; i++) {
        run_result r;
        cli_wait(&h[i], &r);
        ck_assert_msg(r.status == 0, "racer %d: %d %s", i, r.status, r.err);
        char pid[32];
        ck_assert(cli_json_eval(r.out, "d['DaemonStatusResult']['pid']", pid, sizeof pid));
        if (i == 0)
            snprintf(first_pid, sizeof first_pid, "%s", pid);
        ck_assert_msg(strcmp(pid, first_pid) == 0, "racer %d saw daemon %s, racer 0 saw %s", i, pid, first_pid);
        cli_result_free(&r);
    }
    snprintf(log, sizeof log, "%s/daemon.log", dir);
    ck_assert_int_eq(cli_count_lines(log, "serving data dir"), 1);
    stop_daemon(dir);
}
END_TEST

/* ---- locks between actors ---------------------------------------------- */

START_TEST(lock_expires_and_passes_to_another_actor)
{
    char dir[512];
    cli_data_dir("locks", dir, sizeof dir);
    run_result r;
    /* Refused while held: under a lease no slow grite run can outlast. */
    GRITE_EXPECT_STATUS(0, dir, "lock", "acquire", "deploy", "--ttl", "1m");
    /* Another actor, once by option, once by environment. */
    GRITE_EXPECT_STATUS(4, dir, "--actor", ACTOR_B, "lock", "acquire", "deploy");
    const char *env[] = { "GRITE_ACTOR=" ACTOR_B, NULL };
    const char *argv[] = { "--data-dir", dir, "lock", "acquire", "deploy", "--ttl", "1m", NULL };
    cli_run_env(&r, env, NULL, argv);
    ck_assert_int_eq(r.status, 4);
    ck_assert_msg(strstr(r.err, "held by actor"), "%s", r.err);
    cli_result_free(&r);

    /* The owner renews it for 400 ms (a renewal ends ttl from now): once
     * that has passed, the other actor gets it. */
    GRITE_EXPECT_STATUS(0, dir, "lock", "acquire", "deploy", "--ttl", "400ms");
    test_sleep_ms(600);
    cli_run_env(&r, env, NULL, argv);
    ck_assert_msg(r.status == 0, "after expiry: %d %s", r.status, r.err);
    cli_result_free(&r);
    /* Now the first actor is the one refused, and B can release it. */
    GRITE_EXPECT_STATUS(4, dir, "lock", "acquire", "deploy");
    GRITE_EXPECT_STATUS(0, dir, "--actor", ACTOR_B, "lock", "release", "deploy");
    GRITE_EXPECT_STATUS(0, dir, "lock", "acquire", "deploy");
    stop_daemon(dir);
}
END_TEST

/* ---- sync ------------------------------------------------------------------ */

START_TEST(sync_between_two_data_dirs_both_ways)
{
    char a_dir[512], b_dir[512], x[33], y[33];
    cli_data_dir("sync-a", a_dir, sizeof a_dir);
    cli_data_dir("sync-b", b_dir, sizeof b_dir);
    run_result r;
    create_issue(a_dir, "made in A", x);
    create_issue(b_dir, "made in B", y);

    GRITE_EXPECT(&r, 0, a_dir, "sync", "push", "--remote", b_dir);
    ck_assert_msg(strstr(r.out, "1 issue pushed"), "%s", r.out);
    cli_result_free(&r);
    GRITE_EXPECT_OUT("made in A", b_dir, "issue", "show", x);

    GRITE_EXPECT_STATUS(0, b_dir, "issue", "comment", x, "--body", "answered in B");
    GRITE_EXPECT(&r, 0, a_dir, "sync", "pull", "--remote", b_dir);
    ck_assert_msg(strstr(r.out, "issues pulled") && strstr(r.out, "1 comment merged"), "%s", r.out);
    cli_result_free(&r);
    GRITE_EXPECT_OUT("made in B", a_dir, "issue", "show", y);
    GRITE_EXPECT_OUT("answered in B", a_dir, "issue", "show", x);
    GRITE_EXPECT_OUT("2 issues.", a_dir, "issue", "list");
    stop_daemon(a_dir);
    stop_daemon(b_dir);
}
END_TEST

START_TEST(prefixes_resolve_or_say_why_not)
{
    char dir[512], id[33];
    cli_data_dir("prefix", dir, sizeof dir);
    create_issue(dir, "one", id);
    run_result r;
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", id);
    for (char *p = prefix; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');   /* upper case is fine too */
    GRITE_EXPECT_OUT(id, dir, "issue", "show", prefix);
    /* A prefix that cannot match: the first digit differs. */
    char other[5] = "0000";
    if (id[0] == '0')
        other[0] = '1';
    GRITE_EXPECT(&r, 3, dir, "issue", "close", other);
    ck_assert_ptr_nonnull(strstr(r.err, "no issue id starts with"));
    cli_result_free(&r);
    stop_daemon(dir);
}
END_TEST

static Suite *cli_session_suite(void)
{
    Suite *s = suite_create("cli_session");
    TCase *tc = tcase_create("session");
    tcase_add_unchecked_fixture(tc, cli_scratch_setup, cli_scratch_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_command_in_one_session);
    tcase_add_test(tc, status_and_stop_never_start_a_daemon);
    tcase_add_test(tc, every_exit_status);
    tcase_add_test(tc, json_output_parses);
    tcase_add_test(tc, writes_survive_restarts);
    tcase_add_test(tc, kill_9_loses_no_acknowledged_write);
    tcase_add_test(tc, racing_clis_start_one_daemon);
    tcase_add_test(tc, lock_expires_and_passes_to_another_actor);
    tcase_add_test(tc, sync_between_two_data_dirs_both_ways);
    tcase_add_test(tc, prefixes_resolve_or_say_why_not);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(cli_session_suite());
}
