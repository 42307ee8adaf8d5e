/*
 * daemon_lock_internal.h - helpers shared by the daemon_lock*.c and
 * daemon_spawn.c sources; not part of the public API.
 */
#ifndef GRITE_DAEMON_LOCK_INTERNAL_H
#define GRITE_DAEMON_LOCK_INTERNAL_H

#include "grite/daemon_lock.h"

#include <stdint.h>
#include <sys/stat.h>

/* Fill *err (if not NULL) with status and a printf-style sentence;
 * returns status so callers can `return grite_lock_fail(...)`. */
grite_lock_status grite_lock_fail(grite_lock_error *err, grite_lock_status status,
                                  const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like grite_lock_fail(err, GRITE_LOCK_SYSTEM, ...) with ": strerror(errnum)"
 * appended and sys_errno set. */
grite_lock_status grite_lock_fail_errno(grite_lock_error *err, int errnum,
                                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Mark *err (if not NULL) as a success with empty text. */
void grite_lock_clear(grite_lock_error *err);

/* A monotonic clock in ms, for deadlines (immune to wall-clock jumps). */
int64_t grite_lock_monotonic_ms(void);

/* Sleep *delay_us microseconds, then double it up to max_us: the polling
 * step for waits that have no blocking primitive with a timeout. */
void grite_lock_backoff_sleep(int64_t *delay_us, int64_t max_us);

/* Whether a process with this PID exists (kill(pid, 0) is not ESRCH;
 * EPERM means it exists but belongs to someone else). */
bool grite_lock_pid_alive(pid_t pid);

/* Every change to a lock file (write, rename over, unlink) happens under
 * an exclusive flock on the file at path + this suffix. */
#define GRITE_LOCK_MUTEX_SUFFIX ".mutex"

/* Take operation (LOCK_EX or LOCK_SH) on fd, polling until deadline_ms
 * (monotonic). Returns 0, or the errno of the failure (EWOULDBLOCK on
 * timeout). */
int grite_lock_flock_until(int fd, int operation, int64_t deadline_ms);

/* path + suffix into out (size n); false if it does not fit. */
bool grite_lock_path_with_suffix(char *out, size_t n, const char *path,
                                 const char *suffix);

/* Open, read and parse the lock file at path. OK/NONE/CORRUPT/SYSTEM as
 * grite_daemon_lock_read. On OK and on CORRUPT contents, *id (may be NULL)
 * is the file's fstat. */
grite_lock_status grite_lock_file_read(const char *path, grite_daemon_info *info,
                                       struct stat *id, grite_lock_error *err);

/* grite_daemon_lock_inspect for a caller that holds <lock>.mutex
 * exclusively: nothing can replace the file meanwhile, so one look, and
 * never a wait for the mutex (which would be a wait for ourselves). */
grite_lock_status grite_lock_inspect_under_mutex(const char *path, grite_daemon_info *out,
                                                 grite_lock_verdict *verdict,
                                                 grite_lock_error *err);

/* Whether path still names the file *id describes (same device and inode). */
bool grite_lock_file_is(const char *path, const struct stat *id);

#endif /* GRITE_DAEMON_LOCK_INTERNAL_H */
