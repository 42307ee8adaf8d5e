/* dispatch.h - grite-daemon's request handler: check what every request
 * must satisfy, then hand the command to its handler (handlers.h).
 *
 * The switch over the command's tag has no default case, so with -Wall
 * -Werror a command added to idl/grite.idl without a handler fails the
 * build (tests/daemon's daemon_dispatch_exhaustive proves it;
 * docs/ADDING_A_COMMAND.md shows the message). */
#ifndef GRITE_DAEMON_DISPATCH_H
#define GRITE_DAEMON_DISPATCH_H

#include "grite/server.h"

/* The server's handler (grite_server_handler_fn); `user` is the
 * struct daemon_ctx. */
int dispatch_request(void *user, const grite_request *rq, grite_buf *response);

/* The server's on_bad_request: a frame that failed validation gets an
 * ipc_error reply (with the validator's verdict) instead of a silently
 * closed connection. */
int dispatch_bad_request(void *user, const grite_server_bad_request *bad, grite_buf *response);

#endif
