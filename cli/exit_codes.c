/*
 * exit_codes.c - one place that decides what each failure means to a
 * script (see exit_codes.h).
 */
#include "exit_codes.h"

int cli_exit_for_error_code(grite_ErrorCode code)
{
    switch (code) {
    case GRITE_ERROR_CODE_INVALID_ARGS:
        return CLI_EXIT_USAGE;
    case GRITE_ERROR_CODE_NOT_FOUND:
        return CLI_EXIT_NOT_FOUND;
    case GRITE_ERROR_CODE_CONFLICT:
        return CLI_EXIT_CONFLICT;
    case GRITE_ERROR_CODE_IO_ERROR:
        return CLI_EXIT_ENV;   /* disk full, permissions, a damaged log */
    case GRITE_ERROR_CODE_DB_BUSY:         /* transient: try again */
    case GRITE_ERROR_CODE_IPC_ERROR:
    case GRITE_ERROR_CODE_INTERNAL_ERROR:
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OTHER;   /* a code from a newer daemon */
}

int cli_exit_for_transport(int err)
{
    switch (err) {
    case GRITE_ERR_NO_DAEMON:
    case GRITE_ERR_CONNECT:          /* permission denied, not a socket, path too long */
    case GRITE_ERR_SCHEMA_MISMATCH:  /* the daemon is another version: restart it */
    case GRITE_ERR_REFUSED:          /* the daemon does not serve our uid */
    case GRITE_ERR_SYSTEM:
    case GRITE_ERR_NO_MEMORY:
        return CLI_EXIT_ENV;
    case GRITE_ERR_FRAME_TOO_LARGE:  /* a --body above the frame limit */
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_OTHER;       /* timeout, I/O, closed, protocol, busy, ... */
    }
}

int cli_exit_for_lock_status(grite_lock_status status)
{
    switch (status) {
    case GRITE_LOCK_OK:
        return CLI_EXIT_OK;
    case GRITE_LOCK_INVALID_ARGUMENT:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_ENV;   /* cannot start, did not answer in time, cannot read the lock */
    }
}
