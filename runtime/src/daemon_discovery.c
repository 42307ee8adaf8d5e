/*
 * daemon_discovery.c - how a CLI finds its daemon, and starts one if none
 * runs.
 *
 * A daemon counts as found when its lock is live and its socket accepts a
 * connection. Starting one: a CLI takes an flock on <lock>.spawn, looks
 * again (another CLI may have just started it), and only then runs the
 * program (daemon_spawn.c) and waits for it to answer, still holding the
 * flock; CLIs that queue behind it keep looking while they wait and return
 * as soon as the daemon answers. So racing CLIs start one daemon, and even
 * a daemon started behind our back is harmless: the lock lets only one of
 * them own the socket.
 */
#include "daemon_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SPAWN_SUFFIX ".spawn"
#define POLL_MAX_MS 50            /* longest pause between two looks */
#define PID_REPORT_WAIT_MS 1000   /* the monitor sends the PID right after fork */

/* ---- finding ----------------------------------------------------------- */

/* Does something listen on path? Non-blocking, so a full backlog cannot
 * stall us: EAGAIN means a listener exists, just busy. */
static bool socket_answers(const char *path, int *errnum)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    size_t len = strlen(path);
    if (len >= sizeof addr.sun_path) {
        *errnum = ENAMETOOLONG;
        return false;
    }
    memcpy(addr.sun_path, path, len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        *errnum = errno;
        return false;
    }
    int rc = connect(fd, (const struct sockaddr *)&addr, sizeof addr);
    *errnum = rc == 0 || errno == EAGAIN ? 0 : errno;
    close(fd);
    return *errnum == 0;
}

grite_lock_status grite_daemon_find(const char *lock_path, grite_daemon_info *out,
                                    grite_lock_error *err)
{
    if (lock_path == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "lock path is required");
    grite_daemon_info info;
    grite_lock_verdict verdict;
    grite_lock_status st = grite_daemon_lock_inspect(lock_path, &info, &verdict, err);
    if (st != GRITE_LOCK_OK)
        return st;
    if (out != NULL)
        *out = info;
    if (verdict != GRITE_LOCK_LIVE)
        return grite_lock_fail(err, GRITE_LOCK_STALE, "lock file %s (pid %ld) is stale: %s",
                               lock_path, (long)info.pid, grite_lock_verdict_text(verdict));
    int e;
    if (!socket_answers(info.socket_path, &e))
        return grite_lock_fail(err, GRITE_LOCK_NOT_ANSWERING,
                               "daemon pid %ld holds lock file %s but does not answer on "
                               "%s: %s", (long)info.pid, lock_path, info.socket_path,
                               strerror(e));
    grite_lock_clear(err);
    return GRITE_LOCK_OK;
}

/* ---- waiting ------------------------------------------------------------ */

static void pause_ms(grite_daemon_spawn *s, int64_t ms)
{
    if (s != NULL && s->report_fd >= 0) {
        grite_daemon_spawn_poll(s, (int)ms);   /* wakes early when a report arrives */
        return;
    }
    int64_t us = ms * 1000;
    grite_lock_backoff_sleep(&us, us);
}

/* Nobody is starting a daemon: no lock, or a dead or corrupt one. */
static bool nobody_home(grite_lock_status st)
{
    return st == GRITE_LOCK_NONE || st == GRITE_LOCK_STALE || st == GRITE_LOCK_CORRUPT;
}

/* Look until the daemon answers or the deadline passes. With s (the
 * program we started) also stop when it fails; without s, when the lock
 * shows that nobody is starting a daemon (that status is returned). */
static grite_lock_status wait_for_answer(const char *lock_path, grite_daemon_spawn *s,
                                         int64_t deadline, int64_t timeout_ms,
                                         grite_daemon_info *out, grite_lock_error *err)
{
    int64_t step_ms = 2;
    grite_lock_error last;
    for (;;) {
        grite_lock_status st = grite_daemon_find(lock_path, out, &last);
        if (st == GRITE_LOCK_OK || st == GRITE_LOCK_SYSTEM || (s == NULL && nobody_home(st))) {
            if (err != NULL)
                *err = last;
            return st;
        }
        if (s != NULL && (st = grite_daemon_spawn_failure(s, last.text, err)) != GRITE_LOCK_OK)
            return st;
        int64_t left = deadline - grite_lock_monotonic_ms();
        if (left <= 0)
            break;
        pause_ms(s, step_ms < left ? step_ms : left);
        step_ms = step_ms * 2 < POLL_MAX_MS ? step_ms * 2 : POLL_MAX_MS;
    }
    if (s == NULL)
        return grite_lock_fail(err, GRITE_LOCK_TIMEOUT, "a daemon is starting but did not "
                               "answer within %" PRId64 " ms (%s)", timeout_ms, last.text);
    grite_daemon_spawn_poll(s, 0);
    return grite_lock_fail(err, GRITE_LOCK_TIMEOUT, "daemon program %s (pid %ld) did not "
                           "answer within %" PRId64 " ms (%s)", s->program, (long)s->daemon,
                           timeout_ms, last.text);
}

/* Take <lock>.spawn, or return early (*fd_out = -1) if the daemon answers
 * while we wait: another CLI started it. */
static grite_lock_status take_spawn_mutex(const char *lock_path, int64_t deadline,
                                          int64_t timeout_ms, int *fd_out,
                                          grite_daemon_info *out, grite_lock_error *err)
{
    char path[PATH_MAX];
    if (!grite_lock_path_with_suffix(path, sizeof path, lock_path, SPAWN_SUFFIX))
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "lock path is too long");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0)
        return grite_lock_fail_errno(err, errno, "cannot open spawn mutex %s", path);
    int64_t delay_us = 1000;
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            *fd_out = fd;
            return GRITE_LOCK_OK;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int e = errno;
            close(fd);
            return grite_lock_fail_errno(err, e, "cannot lock spawn mutex %s", path);
        }
        if (grite_daemon_find(lock_path, out, NULL) == GRITE_LOCK_OK) {
            close(fd);
            *fd_out = -1;
            return GRITE_LOCK_OK;
        }
        if (grite_lock_monotonic_ms() >= deadline) {
            close(fd);
            return grite_lock_fail(err, GRITE_LOCK_TIMEOUT, "waited %" PRId64 " ms for another "
                                   "process that is starting the daemon (it holds %s)",
                                   timeout_ms, path);
        }
        grite_lock_backoff_sleep(&delay_us, POLL_MAX_MS * 1000);
    }
}

/* Holding the spawn mutex: wait for a daemon that holds a live lock (it
 * is starting up), else start the program and wait for it. */
static grite_lock_status start_or_wait(const char *lock_path, const grite_daemon_spawn_options *o,
                                       int64_t deadline, int64_t timeout_ms,
                                       grite_daemon_info *out, pid_t *spawned_pid,
                                       grite_lock_error *err)
{
    grite_lock_status st = wait_for_answer(lock_path, NULL, deadline, timeout_ms, out, err);
    if (!nobody_home(st))
        return st;
    grite_daemon_spawn s;
    st = grite_daemon_spawn_start(o, &s, err);
    if (st != GRITE_LOCK_OK)
        return st;
    st = wait_for_answer(lock_path, &s, deadline, timeout_ms, out, err);
    if (s.daemon == 0 && s.report_fd >= 0)
        grite_daemon_spawn_poll(&s, PID_REPORT_WAIT_MS);
    if (spawned_pid != NULL && !s.exited)
        *spawned_pid = s.daemon;
    grite_daemon_spawn_finish(&s);
    return st;
}

grite_lock_status grite_daemon_ensure(const char *lock_path,
                                      const grite_daemon_spawn_options *spawn,
                                      grite_daemon_info *out, pid_t *spawned_pid,
                                      grite_lock_error *err)
{
    if (spawned_pid != NULL)
        *spawned_pid = 0;
    if (lock_path == NULL || spawn == NULL || spawn->program == NULL || spawn->program[0] == '\0')
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "lock path and a program to start are required");
    grite_daemon_info local;
    if (out == NULL)
        out = &local;
    int64_t timeout_ms = spawn->timeout_ms > 0 ? spawn->timeout_ms : GRITE_DAEMON_START_TIMEOUT_MS;
    int64_t now = grite_lock_monotonic_ms();
    /* Any positive timeout is valid (a CLI may take it from the
     * environment): a huge one means no deadline, not an overflow. */
    int64_t deadline = timeout_ms > INT64_MAX - now ? INT64_MAX : now + timeout_ms;
    grite_lock_status st = grite_daemon_find(lock_path, out, err);
    if (st == GRITE_LOCK_OK || st == GRITE_LOCK_SYSTEM)
        return st;
    int mutex = -1;
    st = take_spawn_mutex(lock_path, deadline, timeout_ms, &mutex, out, err);
    if (st != GRITE_LOCK_OK || mutex < 0) {
        if (st == GRITE_LOCK_OK)
            grite_lock_clear(err);
        return st;
    }
    st = start_or_wait(lock_path, spawn, deadline, timeout_ms, out, spawned_pid, err);
    close(mutex);
    return st;
}
