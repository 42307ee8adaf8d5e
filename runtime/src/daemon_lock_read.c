/*
 * daemon_lock_read.c - reading a lock file and judging whether its daemon
 * is alive, without taking any lock.
 *
 * Readers need no mutex (except as a last resort, inspect_holding_mutex):
 * a lock file is only ever replaced whole (written under another name,
 * then renamed over it), so whatever file a reader opens is complete. What a reader must watch for is a file replaced
 * *between* opening it and probing its flock: the owner locks the new file
 * before renaming it into place and unlocks the old one only afterwards,
 * so an unlocked file that path still names really has no owner, while an
 * unlocked file that path no longer names was just replaced - read again.
 */
#include "daemon_lock_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Lock-free looks at a file that keeps being replaced under the reader
 * before it takes the mutex to look once more (inspect_holding_mutex). */
#define INSPECT_ATTEMPTS 8

static grite_lock_status open_lock_file(const char *path, int *fd_out, struct stat *st,
                                        grite_lock_error *err)
{
    /* O_NONBLOCK: a FIFO planted at the path must not hang us in open(). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return grite_lock_fail(err, GRITE_LOCK_NONE, "no lock file %s", path);
        return grite_lock_fail_errno(err, errno, "cannot open lock file %s", path);
    }
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        return grite_lock_fail_errno(err, e, "cannot stat lock file %s", path);
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "lock file %s: not a regular file", path);
    }
    *fd_out = fd;
    return GRITE_LOCK_OK;
}

/* Read at most GRITE_DAEMON_LOCK_MAX_BYTES + 1 bytes: enough to tell a
 * too-large file without reading all of it. */
static grite_lock_status read_and_parse(int fd, const char *path, off_t size,
                                        grite_daemon_info *info, grite_lock_error *err)
{
    char buf[GRITE_DAEMON_LOCK_MAX_BYTES + 1];
    size_t len = 0;
    while (len < sizeof buf) {
        ssize_t got = read(fd, buf + len, sizeof buf - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return grite_lock_fail_errno(err, errno, "cannot read lock file %s", path);
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > GRITE_DAEMON_LOCK_MAX_BYTES)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "lock file %s: file is %lld bytes, more than the %d allowed",
                               path, (long long)size, GRITE_DAEMON_LOCK_MAX_BYTES);
    grite_lock_error perr;
    grite_lock_status st = grite_daemon_lock_parse(buf, len, info, &perr);
    if (st != GRITE_LOCK_OK)
        return grite_lock_fail(err, st, "lock file %s: %s", path, perr.text);
    return GRITE_LOCK_OK;
}

grite_lock_status grite_lock_file_read(const char *path, grite_daemon_info *info,
                                       struct stat *id, grite_lock_error *err)
{
    int fd = -1;
    struct stat st;
    grite_lock_status status = open_lock_file(path, &fd, &st, err);
    if (status != GRITE_LOCK_OK)
        return status;
    status = read_and_parse(fd, path, st.st_size, info, err);
    close(fd);
    if (id != NULL)
        *id = st;
    if (status == GRITE_LOCK_OK)
        grite_lock_clear(err);
    return status;
}

bool grite_lock_file_is(const char *path, const struct stat *id)
{
    struct stat now;
    return stat(path, &now) == 0 && now.st_dev == id->st_dev && now.st_ino == id->st_ino;
}

grite_lock_status grite_daemon_lock_read(const char *path, grite_daemon_info *out,
                                         grite_lock_error *err)
{
    if (path == NULL || out == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "path and out are required");
    return grite_lock_file_read(path, out, NULL, err);
}

/* Does anyone hold the flock? A shared probe, released at once: it never
 * conflicts with other readers' probes, and owners only ever lock files
 * that are not yet visible, so it cannot get in an owner's way either. */
static grite_lock_status probe_flock(int fd, const char *path, bool *locked,
                                     grite_lock_error *err)
{
    for (;;) {
        if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
            flock(fd, LOCK_UN);
            *locked = false;
            return GRITE_LOCK_OK;
        }
        if (errno == EWOULDBLOCK) {
            *locked = true;
            return GRITE_LOCK_OK;
        }
        if (errno != EINTR)
            return grite_lock_fail_errno(err, errno, "cannot probe the lock on %s", path);
    }
}

/* This host's id into host, or NULL without one: then every lock is
 * judged as foreign, by its lease only, which is slower to free but never
 * wrong. */
static const char *my_host_id(char host[GRITE_DAEMON_HOST_ID_MAX + 1])
{
    return grite_daemon_host_id(host, GRITE_DAEMON_HOST_ID_MAX + 1, NULL) == GRITE_LOCK_OK
               ? host : NULL;
}

/* One look at the file: open it, probe its flock at once, then read and
 * judge it. The probe comes first because the window in which a
 * replacement can make it lie is the time since open(). *replaced: the
 * verdict was stale but the path names a newer file by now - look again. */
static grite_lock_status inspect_once(const char *path, const char *host,
                                      grite_daemon_info *out, grite_lock_verdict *verdict,
                                      bool *replaced, grite_lock_error *err)
{
    int fd = -1;
    struct stat id;
    grite_lock_status st = open_lock_file(path, &fd, &id, err);
    if (st != GRITE_LOCK_OK)
        return st;
    bool locked;
    st = probe_flock(fd, path, &locked, err);
    if (st == GRITE_LOCK_OK)
        st = read_and_parse(fd, path, id.st_size, out, err);
    if (st != GRITE_LOCK_OK) {
        close(fd);
        return st;
    }
    bool alive = grite_lock_pid_alive(out->pid);
    grite_lock_verdict v =
        grite_daemon_lock_is_stale(out, locked, alive, host, grite_daemon_unix_ms());
    /* A stale verdict on a file that was replaced meanwhile says nothing
     * about the file that is there now. fd stays open until this check:
     * while it is open the old file's inode number cannot be reused by a
     * newer file, which would look like the same file. */
    *replaced = v != GRITE_LOCK_LIVE && !grite_lock_file_is(path, &id);
    close(fd);
    if (!*replaced)
        *verdict = v;
    grite_lock_clear(err);
    return GRITE_LOCK_OK;
}

static grite_lock_status still_replaced(const char *path, const char *why,
                                        grite_lock_error *err)
{
    return grite_lock_fail(err, GRITE_LOCK_SYSTEM,
                           "lock file %s was replaced %d times while being read%s",
                           path, INSPECT_ATTEMPTS, why);
}

/* The last look, for a reader that keeps losing the race (a slow reader,
 * an owner refreshing in a loop): every replacement happens under an
 * exclusive flock on the mutex file, so while we hold it shared the file
 * cannot change. Held for a few system calls; an owner waits at most that
 * long. Never creates the mutex: a reader leaves no files behind. */
static grite_lock_status inspect_holding_mutex(const char *path, const char *host,
                                               grite_daemon_info *out,
                                               grite_lock_verdict *verdict,
                                               grite_lock_error *err)
{
    char mutex_path[PATH_MAX];
    if (!grite_lock_path_with_suffix(mutex_path, sizeof mutex_path, path,
                                     GRITE_LOCK_MUTEX_SUFFIX))
        return still_replaced(path, " (and its mutex path is too long)", err);
    int fd = open(mutex_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return grite_lock_fail_errno(err, errno, "lock file %s was replaced %d times while "
                                     "being read, and its mutex %s cannot be opened",
                                     path, INSPECT_ATTEMPTS, mutex_path);
    int e = grite_lock_flock_until(fd, LOCK_SH,
                                   grite_lock_monotonic_ms() + GRITE_DAEMON_MUTEX_WAIT_MS);
    if (e != 0) {
        close(fd);
        return still_replaced(path, ", and its mutex stayed held", err);
    }
    bool replaced = false;
    grite_lock_status st = inspect_once(path, host, out, verdict, &replaced, err);
    close(fd);   /* releases the shared flock */
    if (st == GRITE_LOCK_OK && replaced)   /* a writer that ignores the mutex */
        return still_replaced(path, ", even under its mutex", err);
    return st;
}

static grite_lock_status inspect(const char *path, grite_daemon_info *out,
                                 grite_lock_verdict *verdict, grite_lock_error *err)
{
    char buf[GRITE_DAEMON_HOST_ID_MAX + 1];
    const char *host = my_host_id(buf);
    for (int attempt = 0; attempt < INSPECT_ATTEMPTS; attempt++) {
        bool replaced = false;
        grite_lock_status st = inspect_once(path, host, out, verdict, &replaced, err);
        if (st != GRITE_LOCK_OK || !replaced)
            return st;
    }
    return inspect_holding_mutex(path, host, out, verdict, err);
}

static grite_lock_status with_corrupt_verdict(grite_lock_status st,
                                              grite_lock_verdict *verdict)
{
    if (st == GRITE_LOCK_CORRUPT)
        *verdict = GRITE_LOCK_STALE_CORRUPT;
    return st;
}

grite_lock_status grite_daemon_lock_inspect(const char *path, grite_daemon_info *out,
                                            grite_lock_verdict *verdict,
                                            grite_lock_error *err)
{
    if (path == NULL || out == NULL || verdict == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "path, out and verdict are required");
    return with_corrupt_verdict(inspect(path, out, verdict, err), verdict);
}

grite_lock_status grite_lock_inspect_under_mutex(const char *path, grite_daemon_info *out,
                                                 grite_lock_verdict *verdict,
                                                 grite_lock_error *err)
{
    char buf[GRITE_DAEMON_HOST_ID_MAX + 1];
    bool replaced = false;
    grite_lock_status st = inspect_once(path, my_host_id(buf), out, verdict, &replaced, err);
    if (st == GRITE_LOCK_OK && replaced)   /* a writer that ignores the mutex */
        st = still_replaced(path, ", even under its mutex", err);
    return with_corrupt_verdict(st, verdict);
}

int64_t grite_daemon_info_lease_left_ms(const grite_daemon_info *info, int64_t now_ms)
{
    return info->heartbeat_ms + info->lease_ms - now_ms;
}

grite_lock_verdict grite_daemon_lock_is_stale(const grite_daemon_info *info,
                                              bool file_locked, bool pid_alive,
                                              const char *my_host_id, int64_t now_ms)
{
    /* PIDs and flocks are local facts: for another host's lock only the
     * lease means anything. */
    bool same_host = my_host_id != NULL && strcmp(info->host_id, my_host_id) == 0;
    if (same_host && !file_locked)
        return GRITE_LOCK_STALE_UNLOCKED;
    if (same_host && !pid_alive)
        return GRITE_LOCK_STALE_DEAD_PID;
    /* Another host's heartbeat far ahead of our clock would keep its lock
     * live until our clock gets there (a file saying year 9999: forever).
     * Clocks that far apart are outside what a lease allows anyway
     * (docs/DAEMON_LOCK.md, "Clocks"). A live owner whose lock is taken
     * over this way learns it at its next refresh (LOST) and stops. */
    if (!same_host && info->heartbeat_ms - now_ms > info->lease_ms)
        return GRITE_LOCK_STALE_FUTURE;
    if (grite_daemon_info_lease_left_ms(info, now_ms) <= 0)
        return GRITE_LOCK_STALE_EXPIRED;
    return GRITE_LOCK_LIVE;
}
