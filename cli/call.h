/*
 * call.h - one request, one reply: the round trip every command makes.
 */
#ifndef GRITE_CLI_CALL_H
#define GRITE_CLI_CALL_H

#include "cli.h"
#include "grite.h"

/* Send `cmd` in a fresh envelope and wait for the reply: connects first
 * (starting the daemon if none runs), and checks that the reply answers
 * this request. A read-only command (list, show, doctor, status) is tried
 * once more if the connection broke before the reply (a daemon that was
 * just stopping); a write only if the daemon provably never read it (the
 * connection was reset with our request unread), since otherwise it may
 * have been applied.
 * Returns 0 with *resp pointing into the receive buffer (valid until the
 * next call), or an exit status after printing why. An Error reply is a
 * reply: it comes back as 0 (see cli_reply_error). With ctx->no_start,
 * CLI_NO_DAEMON (connect.h) when no daemon runs. */
int cli_call(cli_ctx *ctx, const grite_IpcCommand_in *cmd, const grite_IpcResponse **resp);

/* If resp is an Error: print it ("grite: error: not_found: ...", and the
 * reply as JSON on stdout with --json) and return its exit status.
 * Otherwise 0. */
int cli_reply_error(cli_ctx *ctx, const grite_IpcResponse *resp);

/* Prints a successful reply for a person. */
typedef int (*cli_print_fn)(cli_ctx *ctx, const grite_IpcResponse *resp);

/* The whole of most commands: cli_call(), the Error check, a check that
 * the reply is of the kind `expect`, then the reply as JSON (--json) or
 * through `print`. Returns the exit status. */
int cli_run_command(cli_ctx *ctx, const grite_IpcCommand_in *cmd, grite_IpcResponse_kind expect,
                    cli_print_fn print);

/* Check that resp is of the kind expected (else print and return
 * CLI_EXIT_OTHER). */
int cli_expect_kind(cli_ctx *ctx, const grite_IpcResponse *resp, grite_IpcResponse_kind expect);

#endif
