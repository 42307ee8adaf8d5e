/* startup.h - a grite-daemon's life: open (paths, lock, store, server),
 * serve, close. main.c runs it as a process; tests/fuzz/daemon_host.c
 * runs the very same steps on a thread of the fuzzer. What only a process
 * does (its log file, changing to "/" once serving) stays in main.c.
 *
 * Startup order (docs/DAEMON.md): resolve the data dir, take the daemon
 * lock (which records the socket path; only its owner may touch the
 * socket), open the store, bind the socket. Closing runs the other way:
 * the server (its socket file goes first), the store, and the lock last,
 * so a new daemon never opens the store while this one still has it. */
#ifndef GRITE_DAEMON_STARTUP_H
#define GRITE_DAEMON_STARTUP_H

#include "daemon.h"
#include "options.h"

/* grite-daemon's exit statuses (docs/DAEMON.md). */
enum daemon_exit {
    DAEMON_EXIT_CLEAN = 0,
    DAEMON_EXIT_STARTUP = 1,     /* cannot start: bad data dir, socket, store, ... */
    DAEMON_EXIT_USAGE = 2,
    DAEMON_EXIT_HELD = 3,        /* another daemon serves this data dir */
    DAEMON_EXIT_LOCK_LOST = 4    /* another daemon took the lock over */
};

/* Fill *d (zeroed by the caller) from *o and take everything the daemon
 * holds. A failure is logged (and also printed to stderr when the log is a
 * file); what was taken stays in *d for daemon_close(). */
enum daemon_exit daemon_open(struct daemon_ctx *d, const struct daemon_options *o);

/* Bind the socket and make the server (part of daemon_open; again after a
 * daemon_close_server(), as the fuzzer does after a DaemonStop). */
enum daemon_exit daemon_open_server(struct daemon_ctx *d, const struct daemon_options *o);

/* Serve until something stops the daemon (d->stop_reason says what);
 * logs why it stopped. */
enum daemon_exit daemon_serve(struct daemon_ctx *d);

/* Close the server: its socket file goes if it is still ours. */
void daemon_close_server(struct daemon_ctx *d);

/* Close the server, the store and the lease table, release the lock. */
void daemon_close(struct daemon_ctx *d);

#endif
