/*
 * exit_codes.h - grite's exit statuses, and how every kind of failure
 * (a usage error, the daemon's ErrorCode, a transport or lock failure)
 * maps onto them. docs/CLI.md documents the same table for users.
 */
#ifndef GRITE_CLI_EXIT_CODES_H
#define GRITE_CLI_EXIT_CODES_H

#include "grite.h"
#include "grite/daemon_lock.h"
#include "grite/transport.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_OTHER = 1,       /* anything else: timeouts, a broken connection, internal errors */
    CLI_EXIT_USAGE = 2,       /* bad arguments, ours or the daemon's invalid_args */
    CLI_EXIT_NOT_FOUND = 3,   /* no such issue (or no daemon, for `daemon status`) */
    CLI_EXIT_CONFLICT = 4,    /* someone else holds it: a lock, a conflicting edit */
    CLI_EXIT_ENV = 5          /* the environment: no daemon can start, permissions, I/O */
};

/* The exit status for an Error reply from the daemon. */
int cli_exit_for_error_code(grite_ErrorCode code);

/* The exit status for a failed grite_client_* call (GRITE_ERR_*). */
int cli_exit_for_transport(int err);

/* The exit status when finding or starting the daemon failed. */
int cli_exit_for_lock_status(grite_lock_status status);

#endif
