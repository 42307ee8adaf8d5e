/*
 * connect.h - reaching the data dir's daemon: one connection per run.
 *
 * Fast path (a daemon runs): read <data dir>/daemon.lock, and if its lease
 * is current, connect to the socket it names. That is a handful of system
 * calls and no extra round trip: the version handshake rides on the first
 * request (docs/TRANSPORT.md).
 *
 * Slow path (no daemon, a crashed one, a stale or corrupt lock): find the
 * grite-daemon program (daemon_program.h) and grite_daemon_ensure() it:
 * exactly one daemon starts however many CLIs race, its output goes to
 * <data dir>/daemon.log, and the wait is bounded ($GRITE_DAEMON_TIMEOUT_MS,
 * default 5000).
 */
#ifndef GRITE_CLI_CONNECT_H
#define GRITE_CLI_CONNECT_H

#include <stdbool.h>
#include <sys/types.h>

#include "cli.h"
#include "grite/daemon_lock.h"

/* Returned by cli_connect(ctx, false) when no daemon runs (nothing printed). */
#define CLI_NO_DAEMON (-1)

/* Connect ctx->client to the daemon, starting one if none runs and
 * may_start is set. Returns 0; CLI_NO_DAEMON (only without may_start); or
 * an exit status after printing why. *info (may be NULL) receives the
 * daemon's lock contents (its pid and socket). *started (may be NULL) is
 * set when this call started the daemon. */
int cli_connect(cli_ctx *ctx, bool may_start, grite_daemon_info *info, bool *started);

/* Forget the current connection, so the next cli_connect() looks again. */
void cli_disconnect(cli_ctx *ctx);

/* GRITE_TIMEOUT_MS and GRITE_DAEMON_TIMEOUT_MS, when set, must be a number
 * of ms from 1 to INT_MAX: 0, or CLI_EXIT_USAGE with the reason in err.
 * The two getters below fall back to the default for an unset (or, not
 * checked first, a bad) value. */
int cli_check_timeout_env(char *err, size_t n);

/* The call timeout in ms: $GRITE_TIMEOUT_MS, else the transport's 10 s. */
int cli_call_timeout_ms(void);

/* How long to wait for a daemon to start or to be gone after a stop, in
 * ms: $GRITE_DAEMON_TIMEOUT_MS, else GRITE_DAEMON_START_TIMEOUT_MS (5 s). */
int64_t cli_daemon_timeout_ms(void);

#endif
