/*
 * cli.h - what one run of `grite` carries from parsing to output: the
 * parsed arguments, the request envelope, the connection to the daemon,
 * and the exit status.
 *
 * Everything is resolved lazily, on first use, so `grite --help` or a
 * usage error costs no file system work and no daemon.
 */
#ifndef GRITE_CLI_H
#define GRITE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "envelope.h"
#include "grite/buf.h"
#include "grite/client.h"

struct cli_command;

typedef struct cli_ctx {
    const cli_args *args;
    const struct cli_command *command;   /* what is being run */
    bool json;                           /* --json: machine output */
    FILE *out;                           /* results (stdout) */
    FILE *err;                           /* messages (stderr) */

    cli_envelope env;                    /* data dir, actor, repo, request id */
    grite_client *client;                /* NULL until connected */
    bool no_start;                       /* never start a daemon (daemon status, stop) */
    long daemon_pid;                     /* the connected daemon's, from its lock */
    uint32_t list_offset;                /* issue list --offset, for "showing 21-40 of 57" */
    grite_buf request;                   /* the request being sent (growable) */
} cli_ctx;

/* Initialise for a run with parsed args (borrowed). */
void cli_ctx_init(cli_ctx *ctx, const cli_args *args, FILE *out, FILE *err);

/* Close the connection and free what the run allocated. */
void cli_ctx_close(cli_ctx *ctx);

/* Resolve the data dir (and lock path) once. Returns 0, or an exit status
 * after printing why. */
int cli_need_data_dir(cli_ctx *ctx);

/* Resolve the data dir, the actor and the repository root once. Returns 0,
 * or an exit status after printing why. */
int cli_need_identity(cli_ctx *ctx);

/* The value of option o, or NULL if it was not given. */
static inline const char *cli_opt_value(const cli_ctx *ctx, cli_opt o)
{
    return ctx->args->present[o] ? ctx->args->value[o] : NULL;
}

/* The i-th positional argument after the command words, or NULL. */
const char *cli_positional(const cli_ctx *ctx, size_t i);

#endif
