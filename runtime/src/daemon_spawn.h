/*
 * daemon_spawn.h - starting a daemon program (daemon_spawn.c) for
 * grite_daemon_ensure (daemon_discovery.c); not part of the public API.
 */
#ifndef GRITE_DAEMON_SPAWN_H
#define GRITE_DAEMON_SPAWN_H

#include "daemon_lock_internal.h"

/* A program being started, as the CLI sees it. */
typedef struct grite_daemon_spawn {
    const char *program;
    const char *log_path;
    pid_t monitor;
    int report_fd;            /* read end; -1 once the monitor closed it */
    pid_t daemon;             /* 0 until reported */
    int32_t failure_kind;     /* 0, or which step failed (daemon_spawn.c) */
    int failure_errno;
    bool exited;
    int wait_status;
} grite_daemon_spawn;

/* Start o->program detached, with stdio redirected (see grite_daemon_ensure).
 * OK, or SYSTEM when the log file, the pipe or the fork fails. */
grite_lock_status grite_daemon_spawn_start(const grite_daemon_spawn_options *o,
                                           grite_daemon_spawn *s, grite_lock_error *err);

/* Wait up to wait_ms for news of the program (returns early on news). */
void grite_daemon_spawn_poll(grite_daemon_spawn *s, int wait_ms);

/* SPAWN_FAILED with the reason if the program could not be run or ended
 * (context: what the lock looked like, for the message), else OK. */
grite_lock_status grite_daemon_spawn_failure(const grite_daemon_spawn *s,
                                             const char *context, grite_lock_error *err);

/* Stop watching: kill and reap the monitor (never the daemon). */
void grite_daemon_spawn_finish(grite_daemon_spawn *s);

#endif /* GRITE_DAEMON_SPAWN_H */
