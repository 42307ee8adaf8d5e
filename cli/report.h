/*
 * report.h - how grite tells a person something went wrong: one line on
 * stderr, "grite: error: ...", and the exit status to return.
 */
#ifndef GRITE_CLI_REPORT_H
#define GRITE_CLI_REPORT_H

#include "cli.h"

/* Print "grite: error: <message>" and return `status`. */
int cli_fail(cli_ctx *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A usage error: the message, then a hint naming the right --help.
 * Returns CLI_EXIT_USAGE. */
int cli_usage_error(cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "grite: note: <message>" (something worth knowing, not a failure). */
void cli_note(cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
