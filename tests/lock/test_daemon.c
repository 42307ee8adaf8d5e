/*
 * test_daemon.c - a stand-in daemon for the discovery tests.
 *
 *   test_daemon serve LOCK SOCKET LEASE_MS STARTS_FILE WATCH_PID
 *       append our PID to STARTS_FILE (so a test can count starts), acquire
 *       the lock (exit 3 if someone holds it), listen on SOCKET, accept and
 *       drop connections, refresh every LEASE_MS / 3; on SIGTERM release
 *       everything and exit 0; exit 4 if the lock is lost.
 *   test_daemon exit CODE     exit with CODE at once
 *   test_daemon signal        die by SIGABRT
 *   test_daemon hang WATCH_PID   do nothing until killed
 * serve and hang also exit (5) once process WATCH_PID is gone: the test
 * that started us, so a failing test cannot leak a daemon.
 */
#include "grite/daemon_lock.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void record_start(const char *starts_file)
{
    int fd = open(starts_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char line[32];
    int len = snprintf(line, sizeof line, "%ld\n", (long)getpid());
    if (write(fd, line, (size_t)len) != len)
        perror("test_daemon: write starts file");
    close(fd);
}

static int listen_on(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    /* We own the lock, so a leftover socket file is a dead daemon's. */
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0) {
        perror("test_daemon: listen");
        return -1;
    }
    return fd;
}

static bool watched_is_gone(pid_t watch)
{
    return kill(watch, 0) != 0 && errno == ESRCH;
}

static int serve_loop(grite_daemon_lock *lock, int listener, long lease_ms, pid_t watch)
{
    grite_lock_error err;
    long since_refresh = 0;
    while (!stop_requested) {
        if (watched_is_gone(watch))
            return 5;
        struct pollfd pfd = { .fd = listener, .events = POLLIN };
        if (poll(&pfd, 1, 20) > 0) {
            int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0)
                close(c);
        }
        since_refresh += 20;
        if (since_refresh >= lease_ms / 3) {
            since_refresh = 0;
            if (grite_daemon_lock_refresh(lock, &err) != GRITE_LOCK_OK) {
                fprintf(stderr, "test_daemon: refresh: %s\n", err.text);
                return 4;
            }
        }
    }
    return 0;
}

static int serve(const char *lock_path, const char *socket_path, long lease_ms,
                 const char *starts_file, pid_t watch)
{
    record_start(starts_file);
    printf("test_daemon: pid %ld starting\n", (long)getpid());
    fflush(stdout);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    grite_daemon_lock *lock;
    grite_daemon_info holder;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_acquire(lock_path, socket_path, lease_ms, &lock,
                                                     &holder, &err);
    if (st != GRITE_LOCK_OK) {
        fprintf(stderr, "test_daemon: %s\n", err.text);
        return st == GRITE_LOCK_HELD ? 3 : 2;
    }
    int listener = listen_on(socket_path);
    if (listener < 0) {
        grite_daemon_lock_release(lock, NULL);
        return 2;
    }
    printf("test_daemon: listening on %s\n", socket_path);
    fflush(stdout);
    int rc = serve_loop(lock, listener, lease_ms, watch);
    close(listener);
    unlink(socket_path);
    grite_daemon_lock_release(lock, NULL);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], "serve") == 0)
        return serve(argv[2], argv[3], strtol(argv[4], NULL, 10), argv[5],
                     (pid_t)strtol(argv[6], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return (int)strtol(argv[2], NULL, 10);
    if (argc == 2 && strcmp(argv[1], "signal") == 0) {
        signal(SIGABRT, SIG_DFL);
        raise(SIGABRT);
        return 1;
    }
    if (argc == 3 && strcmp(argv[1], "hang") == 0) {
        pid_t watch = (pid_t)strtol(argv[2], NULL, 10);
        while (!watched_is_gone(watch))
            poll(NULL, 0, 20);
        return 5;
    }
    fprintf(stderr, "usage: test_daemon serve LOCK SOCKET LEASE_MS STARTS_FILE WATCH_PID | "
                    "exit CODE | signal | hang WATCH_PID\n");
    return 64;
}
