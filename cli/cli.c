/*
 * cli.c - the run's context (see cli.h).
 */
#include "cli.h"

#include <string.h>

#include "commands.h"
#include "connect.h"
#include "report.h"

void cli_ctx_init(cli_ctx *ctx, const cli_args *args, FILE *out, FILE *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->args = args;
    ctx->json = args->present[OPT_JSON];
    ctx->out = out;
    ctx->err = err;
}

void cli_ctx_close(cli_ctx *ctx)
{
    cli_disconnect(ctx);
    grite_buf_free(&ctx->request);
}

const char *cli_positional(const cli_ctx *ctx, size_t i)
{
    size_t first = ctx->command != NULL && ctx->command->name != NULL ? 2 : 1;
    return first + i < ctx->args->n_words ? ctx->args->words[first + i] : NULL;
}

int cli_need_data_dir(cli_ctx *ctx)
{
    char why[CLI_ENVELOPE_ERROR_MAX];
    /* Every command that reaches a daemon comes here first. */
    int status = cli_check_timeout_env(why, sizeof why);
    if (status == 0)
        status = cli_envelope_data_dir(&ctx->env, cli_opt_value(ctx, OPT_DATA_DIR), why);
    return status == 0 ? 0 : cli_fail(ctx, status, "%s", why);
}

int cli_need_identity(cli_ctx *ctx)
{
    int status = cli_need_data_dir(ctx);
    if (status != 0)
        return status;
    char why[CLI_ENVELOPE_ERROR_MAX];
    status = cli_envelope_identity(&ctx->env, cli_opt_value(ctx, OPT_ACTOR),
                                   cli_opt_value(ctx, OPT_REPO), why);
    return status == 0 ? 0 : cli_fail(ctx, status, "%s", why);
}
