/*
 * daemon_lock.c - owning the daemon lock: acquire, refresh, release.
 *
 * Two locks, two jobs:
 *  - the owner holds an exclusive flock on the lock file for its whole
 *    life, so the kernel frees the lock the moment the daemon dies;
 *  - every change of what the lock path names (create, take over,
 *    refresh, remove) happens while holding an flock on <lock>.mutex, so
 *    "look at the current file, decide, replace it" is one atomic step
 *    for everyone who plays by these rules.
 *
 * The file is never rewritten in place. A new version is written to a
 * fresh temporary file, flocked, and renamed over the path: readers see
 * the old or the new file, both complete, and the path always names a
 * locked file while the owner lives (the new file is locked before it
 * becomes visible; the old one is unlocked only after it was replaced).
 *
 * Taking over a live-but-hung owner (lease expired, flock still held):
 * the taker renames its own file over the path under the mutex. The hung
 * owner keeps its flock on an inode no name points to any more, and when
 * it wakes, refresh and release see (under the mutex) that the path names
 * another inode and answer LOST instead of touching the new owner's file.
 * Racing takers queue on the mutex; the first replaces the file and the
 * rest find a live lock. The mutex file itself is never removed: removing
 * a lock file is what lets two processes lock two different inodes.
 */
#include "daemon_lock_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define TEMP_SUFFIX ".XXXXXX"      /* mkostemp template, same length */

struct grite_daemon_lock {
    int fd;                 /* the lock file we hold the flock on */
    dev_t dev;              /* ... and which file that is */
    ino_t ino;
    grite_daemon_info info; /* what we last wrote */
    char path[PATH_MAX];
    char mutex_path[PATH_MAX];
};

bool grite_lock_path_with_suffix(char *out, size_t n, const char *path, const char *suffix)
{
    size_t plen = strlen(path), slen = strlen(suffix);
    if (plen + slen >= n)
        return false;
    memcpy(out, path, plen);
    memcpy(out + plen, suffix, slen + 1);
    return true;
}

int grite_lock_flock_until(int fd, int operation, int64_t deadline_ms)
{
    int64_t delay_us = 100;
    for (;;) {
        if (flock(fd, operation | LOCK_NB) == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return errno;
        if (grite_lock_monotonic_ms() >= deadline_ms)
            return EWOULDBLOCK;
        grite_lock_backoff_sleep(&delay_us, 5000);
    }
}

/* ---- the mutex --------------------------------------------------------- */

static grite_lock_status mutex_enter(const char *mutex_path, int *fd_out, grite_lock_error *err)
{
    /* 0600: anyone who can open the file can flock it and stall us. */
    int fd = open(mutex_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0)
        return grite_lock_fail_errno(err, errno, "cannot open lock mutex %s", mutex_path);
    int e = grite_lock_flock_until(fd, LOCK_EX,
                                   grite_lock_monotonic_ms() + GRITE_DAEMON_MUTEX_WAIT_MS);
    if (e != 0) {
        close(fd);
        if (e == EWOULDBLOCK)
            return grite_lock_fail(err, GRITE_LOCK_BUSY,
                                   "waited %d ms for lock mutex %s: another process holds "
                                   "it (stopped or hung?)", GRITE_DAEMON_MUTEX_WAIT_MS,
                                   mutex_path);
        return grite_lock_fail_errno(err, e, "cannot lock %s", mutex_path);
    }
    *fd_out = fd;
    return GRITE_LOCK_OK;
}

static void mutex_leave(int fd)
{
    close(fd);   /* closing the last descriptor releases the flock */
}

/* ---- writing a new version of the file --------------------------------- */

static bool write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t put = write(fd, data, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        data += put;
        len -= (size_t)put;
    }
    return true;
}

/* Fill a fresh, flocked temporary file with lock->info. */
static grite_lock_status write_temp(grite_daemon_lock *lock, char *tmp, size_t n, int *fd_out,
                                    grite_lock_error *err)
{
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    int len = grite_daemon_lock_format(&lock->info, text, sizeof text);
    if (len < 0)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "cannot write lock file %s: invalid contents", lock->path);
    grite_lock_path_with_suffix(tmp, n, lock->path, TEMP_SUFFIX);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return grite_lock_fail_errno(err, errno, "cannot create %s", tmp);
    /* Readable by all, like a PID file; it holds no secret. */
    if (fchmod(fd, 0644) != 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 ||
        !write_all(fd, text, (size_t)len)) {
        int e = errno;
        unlink(tmp);
        close(fd);
        return grite_lock_fail_errno(err, e, "cannot write %s", tmp);
    }
    *fd_out = fd;
    return GRITE_LOCK_OK;
}

/* Replace the lock file with a new version of lock->info; the caller holds
 * the mutex. On success the old descriptor (if any) is closed only after
 * the rename, so the path never names an unlocked file. */
static grite_lock_status install(grite_daemon_lock *lock, grite_lock_error *err)
{
    char tmp[PATH_MAX];
    int fd = -1;
    grite_lock_status st = write_temp(lock, tmp, sizeof tmp, &fd, err);
    if (st != GRITE_LOCK_OK)
        return st;
    struct stat id;
    if (fstat(fd, &id) != 0 || rename(tmp, lock->path) != 0) {
        int e = errno;
        unlink(tmp);
        close(fd);
        return grite_lock_fail_errno(err, e, "cannot put lock file %s in place", lock->path);
    }
    if (lock->fd >= 0)
        close(lock->fd);
    lock->fd = fd;
    lock->dev = id.st_dev;
    lock->ino = id.st_ino;
    return GRITE_LOCK_OK;
}

/* ---- acquire ----------------------------------------------------------- */

static grite_lock_status check_acquire_args(const char *path, const char *socket_path,
                                            int64_t lease_ms, grite_daemon_lock **out,
                                            grite_lock_error *err)
{
    if (path == NULL || path[0] == '\0' || socket_path == NULL || out == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "lock path, socket path and out are required");
    if (strlen(path) + sizeof TEMP_SUFFIX > PATH_MAX)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "lock path is too long");
    size_t slen = strlen(socket_path);
    if (socket_path[0] != '/' || slen > GRITE_DAEMON_SOCKET_PATH_MAX)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "socket path \"%s\" must be absolute and at most %d bytes",
                               socket_path, GRITE_DAEMON_SOCKET_PATH_MAX);
    for (size_t i = 0; i < slen; i++)
        if ((unsigned char)socket_path[i] < 0x20 || socket_path[i] == 0x7f)
            return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                                   "socket path contains a control character");
    if (lease_ms < 1 || lease_ms > GRITE_DAEMON_LEASE_MAX_MS)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "lease %" PRId64 " ms is outside 1..%d", lease_ms,
                               GRITE_DAEMON_LEASE_MAX_MS);
    return GRITE_LOCK_OK;
}

static grite_lock_status new_lock(const char *path, const char *socket_path, int64_t lease_ms,
                                  grite_daemon_lock **out, grite_lock_error *err)
{
    grite_daemon_lock *lock = calloc(1, sizeof *lock);
    if (lock == NULL)
        return grite_lock_fail(err, GRITE_LOCK_NO_MEMORY, "out of memory");
    lock->fd = -1;
    strcpy(lock->path, path);   /* lengths checked by check_acquire_args */
    grite_lock_path_with_suffix(lock->mutex_path, sizeof lock->mutex_path, path,
                                GRITE_LOCK_MUTEX_SUFFIX);
    grite_lock_status st = grite_daemon_host_id(lock->info.host_id, sizeof lock->info.host_id, err);
    if (st != GRITE_LOCK_OK) {
        free(lock);
        return st;
    }
    strcpy(lock->info.socket_path, socket_path);
    lock->info.pid = getpid();
    lock->info.lease_ms = lease_ms;
    *out = lock;
    return GRITE_LOCK_OK;
}

static grite_lock_status report_holder(const char *path, const grite_daemon_info *current,
                                       grite_daemon_info *holder, grite_lock_error *err)
{
    if (holder != NULL)
        *holder = *current;
    return grite_lock_fail(err, GRITE_LOCK_HELD,
                           "lock file %s is held by pid %ld on host %s (socket %s, lease "
                           "expires in %" PRId64 " ms)", path, (long)current->pid,
                           current->host_id, current->socket_path,
                           grite_daemon_info_lease_left_ms(current, grite_daemon_unix_ms()));
}

/* Under the mutex: take the lock unless a live owner has it. */
static grite_lock_status acquire_locked(grite_daemon_lock *lock, grite_daemon_info *holder,
                                        grite_lock_error *err)
{
    grite_daemon_info current;
    grite_lock_verdict verdict;
    grite_lock_status st = grite_lock_inspect_under_mutex(lock->path, &current, &verdict, err);
    if (st == GRITE_LOCK_OK && verdict == GRITE_LOCK_LIVE)
        return report_holder(lock->path, &current, holder, err);
    if (st != GRITE_LOCK_OK && st != GRITE_LOCK_NONE && st != GRITE_LOCK_CORRUPT)
        return st;
    /* Missing, corrupt or stale: ours now. */
    lock->info.started_ms = grite_daemon_unix_ms();
    lock->info.heartbeat_ms = lock->info.started_ms;
    return install(lock, err);
}

grite_lock_status grite_daemon_lock_acquire(const char *path, const char *socket_path,
                                            int64_t lease_ms, grite_daemon_lock **out,
                                            grite_daemon_info *holder, grite_lock_error *err)
{
    if (out != NULL)
        *out = NULL;
    grite_lock_status st = check_acquire_args(path, socket_path, lease_ms, out, err);
    if (st != GRITE_LOCK_OK)
        return st;
    grite_daemon_lock *lock = NULL;
    st = new_lock(path, socket_path, lease_ms, &lock, err);
    if (st != GRITE_LOCK_OK)
        return st;
    int mutex = -1;
    st = mutex_enter(lock->mutex_path, &mutex, err);
    if (st == GRITE_LOCK_OK) {
        st = acquire_locked(lock, holder, err);
        mutex_leave(mutex);
    }
    if (st != GRITE_LOCK_OK) {
        free(lock);
        return st;
    }
    grite_lock_clear(err);
    *out = lock;
    return GRITE_LOCK_OK;
}

/* ---- refresh and release ----------------------------------------------- */

/* A handle copied into a fork()ed child shares the parent's locked file;
 * the child must not refresh or remove what is the parent's lock. */
static grite_lock_status check_our_process(const grite_daemon_lock *lock, grite_lock_error *err)
{
    if (getpid() == lock->info.pid)
        return GRITE_LOCK_OK;
    return grite_lock_fail(err, GRITE_LOCK_LOST, "lock file %s belongs to pid %ld; this "
                           "process (pid %ld) only inherited the handle across fork()",
                           lock->path, (long)lock->info.pid, (long)getpid());
}

/* Under the mutex: is the path still our file? LOST with who has it if not. */
static grite_lock_status check_still_ours(const grite_daemon_lock *lock, grite_lock_error *err)
{
    grite_daemon_info now;
    struct stat id;
    grite_lock_error rerr;
    grite_lock_status st = grite_lock_file_read(lock->path, &now, &id, &rerr);
    if (st == GRITE_LOCK_NONE)
        return grite_lock_fail(err, GRITE_LOCK_LOST, "lock file %s was removed", lock->path);
    if (st == GRITE_LOCK_SYSTEM) {
        if (err != NULL)
            *err = rerr;
        return st;
    }
    if (st == GRITE_LOCK_CORRUPT)   /* id may be unset: not a regular file */
        return grite_lock_fail(err, GRITE_LOCK_LOST,
                               "lock file %s no longer holds our lock (%s)",
                               lock->path, rerr.text);
    if (id.st_dev != lock->dev || id.st_ino != lock->ino)
        return grite_lock_fail(err, GRITE_LOCK_LOST,
                               "lock file %s was taken over by pid %ld on host %s",
                               lock->path, (long)now.pid, now.host_id);
    if (now.pid != lock->info.pid)
        return grite_lock_fail(err, GRITE_LOCK_LOST,
                               "lock file %s was rewritten to name pid %ld", lock->path,
                               (long)now.pid);
    return GRITE_LOCK_OK;
}

grite_lock_status grite_daemon_lock_refresh(grite_daemon_lock *lock, grite_lock_error *err)
{
    if (lock == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "no lock");
    grite_lock_status st = check_our_process(lock, err);
    if (st != GRITE_LOCK_OK)
        return st;
    int mutex = -1;
    st = mutex_enter(lock->mutex_path, &mutex, err);
    if (st != GRITE_LOCK_OK)
        return st;
    st = check_still_ours(lock, err);
    if (st == GRITE_LOCK_OK) {
        int64_t now = grite_daemon_unix_ms();
        /* A wall clock stepped back must not make the file invalid. */
        lock->info.heartbeat_ms = now > lock->info.started_ms ? now : lock->info.started_ms;
        st = install(lock, err);
    }
    mutex_leave(mutex);
    if (st == GRITE_LOCK_OK)
        grite_lock_clear(err);
    return st;
}

const grite_daemon_info *grite_daemon_lock_info(const grite_daemon_lock *lock)
{
    return lock == NULL ? NULL : &lock->info;
}

grite_lock_status grite_daemon_lock_release(grite_daemon_lock *lock, grite_lock_error *err)
{
    if (lock == NULL) {
        grite_lock_clear(err);
        return GRITE_LOCK_OK;
    }
    int mutex = -1;
    grite_lock_status st = check_our_process(lock, err);
    if (st == GRITE_LOCK_OK)
        st = mutex_enter(lock->mutex_path, &mutex, err);
    if (st == GRITE_LOCK_OK) {
        st = check_still_ours(lock, err);
        /* Unlink before closing: the path never names our file unlocked. */
        if (st == GRITE_LOCK_OK && unlink(lock->path) != 0 && errno != ENOENT)
            st = grite_lock_fail_errno(err, errno, "cannot remove lock file %s", lock->path);
        mutex_leave(mutex);
    }
    if (st != GRITE_LOCK_OK && err != NULL) {
        size_t used = strlen(err->text);
        snprintf(err->text + used, sizeof err->text - used, "; left the file in place");
    }
    close(lock->fd);
    free(lock);
    if (st == GRITE_LOCK_OK)
        grite_lock_clear(err);
    return st;
}
