/*
 * grite/daemon_lock.h - one daemon per lock file, and how a CLI finds it.
 *
 * A daemon owns a lock file (e.g. <data_dir>/daemon.lock) recording its
 * PID, socket path, host, start time, lease length and last heartbeat, in
 * the text format of docs/DAEMON_LOCK.md. While it runs it holds an
 * exclusive flock(2) on that file, so a crashed daemon's lock is free the
 * instant the kernel closes its files; the lease (renewed by
 * grite_daemon_lock_refresh) covers a daemon that is alive but hung.
 *
 * A lock is *live* when, for a lock written on this host, some process
 * holds the flock, the recorded PID exists and the lease has not expired;
 * a lock from another host is judged by its lease alone (PIDs and local
 * flocks mean nothing across hosts). Anything else - including an
 * unreadable or corrupt file - is *stale* and may be taken over.
 *
 * Next to the lock file live two small files that are never removed:
 * <lock>.mutex serialises every change of the lock file's name (acquire,
 * takeover, refresh, release), and <lock>.spawn serialises CLIs that start
 * a daemon. The directory must exist; nothing here creates directories.
 *
 * Every function reports a grite_lock_status, and, when given a
 * grite_lock_error, a sentence saying what went wrong and where.
 */
#ifndef GRITE_DAEMON_LOCK_H
#define GRITE_DAEMON_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits of the lock file (docs/DAEMON_LOCK.md) ------------------- */

#define GRITE_DAEMON_LOCK_VERSION 1
#define GRITE_DAEMON_LOCK_MAX_BYTES 4096        /* larger files are corrupt */
#define GRITE_DAEMON_SOCKET_PATH_MAX 107        /* sizeof(sun_path) - 1 on Linux */
#define GRITE_DAEMON_HOST_ID_MAX 255
#define GRITE_DAEMON_PID_MAX 4194304            /* Linux PID_MAX_LIMIT */
#define GRITE_DAEMON_LEASE_MAX_MS 86400000      /* one day */
#define GRITE_DAEMON_TIME_MAX_MS INT64_C(253402300799999) /* 9999-12-31 */

/* How long acquire/refresh/release wait for <lock>.mutex, which is only
 * ever held for a few system calls; a longer wait means a hung process. */
#define GRITE_DAEMON_MUTEX_WAIT_MS 3000
/* How long grite_daemon_ensure waits for a daemon to answer by default. */
#define GRITE_DAEMON_START_TIMEOUT_MS 5000

/* ---- status ----------------------------------------------------------- */

/* X(NAME, "text"); GRITE_LOCK_OK is 0. Never reorder, only append. */
#define GRITE_LOCK_STATUS_LIST(X) \
    X(OK,               "success") \
    X(NONE,             "no lock file") \
    X(CORRUPT,          "lock file is corrupt") \
    X(HELD,             "lock is held by a live daemon") \
    X(STALE,            "lock is stale") \
    X(LOST,             "lock is no longer ours") \
    X(BUSY,             "timed out waiting for the lock's mutex") \
    X(NOT_ANSWERING,    "daemon does not answer on its socket") \
    X(SPAWN_FAILED,     "daemon could not be started") \
    X(TIMEOUT,          "daemon did not answer in time") \
    X(INVALID_ARGUMENT, "invalid argument") \
    X(SYSTEM,           "system call failed") \
    X(NO_MEMORY,        "out of memory")

typedef enum grite_lock_status {
#define GRITE_LOCK_ENUM_(name, text) GRITE_LOCK_##name,
    GRITE_LOCK_STATUS_LIST(GRITE_LOCK_ENUM_)
#undef GRITE_LOCK_ENUM_
    GRITE_LOCK_STATUS_COUNT_
} grite_lock_status;

/* A short text for a status ("unknown status" outside the list). */
const char *grite_lock_status_text(grite_lock_status status);

/* The status's symbolic name, e.g. "CORRUPT". */
const char *grite_lock_status_name(grite_lock_status status);

#define GRITE_LOCK_ERROR_TEXT_MAX 512

/* What went wrong, for a human: e.g. "lock file /d/daemon.lock: line 3:
 * pid: \"0\" is not a number in 1..4194304". Functions fill it whenever
 * they return something other than GRITE_LOCK_OK (and leave text empty on
 * success). */
typedef struct grite_lock_error {
    grite_lock_status status;
    int sys_errno;                          /* errno for SYSTEM, else 0 */
    char text[GRITE_LOCK_ERROR_TEXT_MAX];
} grite_lock_error;

/* ---- the lock's contents ------------------------------------------------ */

typedef struct grite_daemon_info {
    pid_t pid;                                          /* > 0 */
    char socket_path[GRITE_DAEMON_SOCKET_PATH_MAX + 1]; /* absolute */
    char host_id[GRITE_DAEMON_HOST_ID_MAX + 1];         /* see grite_daemon_host_id */
    int64_t started_ms;      /* Unix ms when the daemon acquired the lock */
    int64_t lease_ms;        /* the lock is stale lease_ms after ... */
    int64_t heartbeat_ms;    /* ... this, the last refresh (Unix ms) */
} grite_daemon_info;

/* Why a lock is live or stale. GRITE_LOCK_LIVE is 0, so a verdict reads
 * as "is stale" in a boolean context. */
#define GRITE_LOCK_VERDICT_LIST(X) \
    X(LIVE,           "live") \
    X(STALE_UNLOCKED, "no process holds the lock file (the daemon exited or crashed)") \
    X(STALE_DEAD_PID, "the recorded process no longer exists") \
    X(STALE_EXPIRED,  "the lease expired without a heartbeat") \
    X(STALE_CORRUPT,  "the lock file is corrupt") \
    X(STALE_FUTURE,   "another host's heartbeat lies more than a lease ahead of this clock " \
                      "(clocks apart by more than the lease allows, or a forged file)")

typedef enum grite_lock_verdict {
#define GRITE_LOCK_VERDICT_ENUM_(name, text) GRITE_LOCK_##name,
    GRITE_LOCK_VERDICT_LIST(GRITE_LOCK_VERDICT_ENUM_)
#undef GRITE_LOCK_VERDICT_ENUM_
    GRITE_LOCK_VERDICT_COUNT_
} grite_lock_verdict;

/* A short explanation of a verdict. */
const char *grite_lock_verdict_text(grite_lock_verdict verdict);

/* Parse lock-file text (untrusted: any bytes, any length). Every field is
 * checked (docs/DAEMON_LOCK.md); on failure returns GRITE_LOCK_CORRUPT with
 * e.g. "line 4: socket: \"run/x.sock\" is not an absolute path" and leaves
 * *out unspecified. */
grite_lock_status grite_daemon_lock_parse(const char *text, size_t len,
                                          grite_daemon_info *out,
                                          grite_lock_error *err);

/* Write info as lock-file text into out (NUL-terminated). Returns the text
 * length, or -1 if info is invalid or n is too small
 * (GRITE_DAEMON_LOCK_MAX_BYTES always suffices). */
int grite_daemon_lock_format(const grite_daemon_info *info, char *out, size_t n);

/* Milliseconds left on the lease at now_ms: heartbeat + lease - now
 * (zero or negative once expired). */
int64_t grite_daemon_info_lease_left_ms(const grite_daemon_info *info,
                                        int64_t now_ms);

/* The pure staleness rule. file_locked: someone holds the flock on the
 * file; pid_alive: kill(pid, 0) did not fail with ESRCH; both are ignored
 * when info->host_id differs from my_host_id (then only the lease counts).
 * Returns GRITE_LOCK_LIVE (0) or the reason the lock is stale. */
grite_lock_verdict grite_daemon_lock_is_stale(const grite_daemon_info *info,
                                              bool file_locked, bool pid_alive,
                                              const char *my_host_id,
                                              int64_t now_ms);

/* ---- this machine ------------------------------------------------------ */

/* This host's id: the first line of /etc/machine-id if readable, else
 * gethostname(); bytes outside printable ASCII become '_'. out must hold
 * GRITE_DAEMON_HOST_ID_MAX + 1 bytes. Returns OK or SYSTEM. */
grite_lock_status grite_daemon_host_id(char *out, size_t n, grite_lock_error *err);

/* The wall clock in Unix milliseconds (what the lock file records). */
int64_t grite_daemon_unix_ms(void);

/* ---- reading ----------------------------------------------------------- */

/* Read and parse the lock file at path, without judging it.
 * OK: *out filled. NONE: no file. CORRUPT: not a regular file, empty,
 * too large, or bad contents (text says which). SYSTEM: e.g. EACCES. */
grite_lock_status grite_daemon_lock_read(const char *path, grite_daemon_info *out,
                                         grite_lock_error *err);

/* Read the lock file and judge it: probe its flock, the PID and the lease.
 * OK: *out and *verdict filled (the verdict may be stale). NONE: no file.
 * CORRUPT: *verdict is GRITE_LOCK_STALE_CORRUPT. SYSTEM: could not tell.
 * Safe against a concurrent refresh or takeover replacing the file: a
 * reader that keeps racing replacements takes a last look holding
 * <path>.mutex shared (docs/DAEMON_LOCK.md, Readers). */
grite_lock_status grite_daemon_lock_inspect(const char *path, grite_daemon_info *out,
                                            grite_lock_verdict *verdict,
                                            grite_lock_error *err);

/* ---- owning the lock (the daemon's side) ------------------------------- */

typedef struct grite_daemon_lock grite_daemon_lock;

/* Become the lock's owner, announcing socket_path (absolute, at most
 * GRITE_DAEMON_SOCKET_PATH_MAX bytes) with a lease of lease_ms
 * (1..GRITE_DAEMON_LEASE_MAX_MS). Atomic: of any number of racing
 * processes exactly one gets OK. A missing, corrupt or stale lock is taken
 * over; a live one gives HELD with its contents in *holder (may be NULL;
 * see grite_daemon_info_lease_left_ms). Also INVALID_ARGUMENT, BUSY
 * (mutex held too long), SYSTEM, NO_MEMORY. The file descriptors are
 * O_CLOEXEC: a program the daemon execs does not inherit the lock (a
 * fork()ed child does, until it closes its files). *out is NULL unless OK.
 * Only after OK does the daemon own socket_path: then it may unlink a
 * leftover socket file there and bind. */
grite_lock_status grite_daemon_lock_acquire(const char *path, const char *socket_path,
                                            int64_t lease_ms, grite_daemon_lock **out,
                                            grite_daemon_info *holder,
                                            grite_lock_error *err);

/* Heartbeat: set heartbeat_ms to now, extending the lease by another
 * lease_ms. The file is replaced atomically (readers see the old or the
 * new contents, never a mix). LOST if the file was removed or replaced
 * (someone took over after our lease expired), or if called in a child
 * that inherited the handle across fork(): the daemon should stop
 * serving and call release. Call it every lease_ms / 3 or so. */
grite_lock_status grite_daemon_lock_refresh(grite_daemon_lock *lock,
                                            grite_lock_error *err);

/* The contents we last wrote (pid, socket, times). */
const grite_daemon_info *grite_daemon_lock_info(const grite_daemon_lock *lock);

/* Give the lock up and free the handle (always, whatever is returned;
 * NULL is a no-op). The file is removed only if it is still ours (same
 * inode and our PID); otherwise it is left alone and LOST is returned.
 * BUSY: the mutex could not be had, the file is left in place but no
 * longer locked, so it is stale already. */
grite_lock_status grite_daemon_lock_release(grite_daemon_lock *lock,
                                            grite_lock_error *err);

/* ---- discovery (the CLI's side) ---------------------------------------- */

/* Find a running daemon through its lock file: live lock and a socket
 * that accepts a connection. OK: *out is the daemon. Otherwise NONE,
 * CORRUPT, STALE (text gives the verdict), NOT_ANSWERING (live lock but
 * connect() fails, e.g. still starting) or SYSTEM; *out is filled for
 * STALE and NOT_ANSWERING. out may be NULL. */
grite_lock_status grite_daemon_find(const char *lock_path, grite_daemon_info *out,
                                    grite_lock_error *err);

/* How grite_daemon_ensure starts a daemon. */
typedef struct grite_daemon_spawn_options {
    const char *program;   /* executable path, run with execv (no PATH search) */
    char *const *argv;     /* NULL-terminated; NULL means { program, NULL } */
    const char *log_path;  /* stdout and stderr appended here; NULL: /dev/null */
    int64_t timeout_ms;    /* the whole call's budget; <= 0: GRITE_DAEMON_START_TIMEOUT_MS */
} grite_daemon_spawn_options;

/* Find the daemon, starting it if none is live (docs/DAEMON_LOCK.md 6).
 * The program runs detached (new session, stdin /dev/null, signals reset,
 * the caller's working directory and environment) and must itself acquire
 * the lock at lock_path and listen on its socket; this waits until the
 * socket answers, at most spawn->timeout_ms for the whole call. CLIs
 * racing here start exactly one daemon: starts are serialised by an flock
 * on <lock_path>.spawn, and a waiting CLI returns as soon as the daemon
 * answers. A lock that is live but not answering yet (a daemon starting
 * up) is waited for, never doubled; if that daemon dies, one is started.
 * OK: *out is the daemon; *spawned_pid (may be NULL) is the PID this call
 * started, or 0 if it found one running. SPAWN_FAILED: the program could
 * not be executed or exited before answering (text gives the path, the
 * exit status or signal, and the log file). TIMEOUT: no answer in time; a
 * program we started is left running (its PID is in *spawned_pid) so a
 * slow daemon is not killed and restarted by every CLI. Also
 * INVALID_ARGUMENT, SYSTEM (e.g. the log file cannot be opened). */
grite_lock_status grite_daemon_ensure(const char *lock_path,
                                      const grite_daemon_spawn_options *spawn,
                                      grite_daemon_info *out, pid_t *spawned_pid,
                                      grite_lock_error *err);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_DAEMON_LOCK_H */
