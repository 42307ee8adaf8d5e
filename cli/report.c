/*
 * report.c - error and note lines on stderr (see report.h).
 */
#include "report.h"

#include <stdarg.h>

#include "commands.h"
#include "exit_codes.h"

static void vprint_line(FILE *f, const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vprint_line(FILE *f, const char *kind, const char *fmt, va_list ap)
{
    fprintf(f, "grite: %s: ", kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
}

int cli_fail(cli_ctx *ctx, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_line(ctx->err, "error", fmt, ap);
    va_end(ap);
    return status;
}

int cli_usage_error(cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_line(ctx->err, "error", fmt, ap);
    va_end(ap);
    char words[64] = "";
    if (ctx->command != NULL) {
        cli_command_words(ctx->command, words + 1, sizeof words - 1);
        words[0] = ' ';
    }
    fprintf(ctx->err, "Try 'grite%s --help'.\n", words);
    return CLI_EXIT_USAGE;
}

void cli_note(cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_line(ctx->err, "note", fmt, ap);
    va_end(ap);
}
