/*
 * dispatch.c - from argv to a command's exit status (see dispatch.h).
 */
#include "dispatch.h"

#include <errno.h>
#include <string.h>

#include "commands.h"
#include "exit_codes.h"
#include "help.h"
#include "report.h"

/* What the words name: a command, or only a group (`grite issue`), or
 * nothing; and whether help was asked for (--help, -h, or a leading
 * "help" word). */
typedef struct resolved {
    const cli_group *group;
    const cli_command *command;
    bool help;
} resolved;

static int unknown_command(cli_ctx *ctx, const char *words)
{
    cli_fail(ctx, CLI_EXIT_USAGE, "unknown command '%s'", words);
    fprintf(ctx->err, "Try 'grite --help'.\n");
    return CLI_EXIT_USAGE;
}

/* Strip a leading "help" word: `grite help issue create`. */
static void strip_help_word(cli_args *a, bool *help)
{
    if (a->n_words > 0 && strcmp(a->words[0], "help") == 0) {
        memmove(a->words, a->words + 1, (a->n_words - 1) * sizeof a->words[0]);
        a->n_words--;
        *help = true;
    }
}

/* Find the command. Returns 0 with r->command set; 0 with only r->group
 * set (a group without its command word); or an exit status. */
static int resolve(cli_ctx *ctx, cli_args *a, resolved *r)
{
    memset(r, 0, sizeof *r);
    r->help = a->present[OPT_HELP];
    strip_help_word(a, &r->help);
    if (a->n_words == 0)
        return 0;
    r->group = cli_find_group(a->words[0]);
    if (r->group == NULL)
        return unknown_command(ctx, a->words[0]);
    r->command = cli_group_command(r->group->name);
    if (r->command != NULL || a->n_words < 2)
        return 0;
    r->command = cli_find_command(r->group->name, a->words[1]);
    if (r->command == NULL) {
        char words[96];
        snprintf(words, sizeof words, "%s %s", a->words[0], a->words[1]);
        return unknown_command(ctx, words);
    }
    return 0;
}

/* The options and arguments the command was given are ones it takes. */
static int check_arguments(cli_ctx *ctx, const cli_command *cmd)
{
    const cli_args *a = ctx->args;
    int bad = cli_args_first_unexpected(a, cmd->options | CLI_GLOBAL_OPTS);
    if (bad >= 0)
        return cli_usage_error(ctx, "option --%s does not apply here", cli_options[bad].name);
    for (int o = 0; o < OPT_COUNT_; o++)
        if ((cmd->required & CLI_OPT_BIT(o)) && !a->present[o])
            return cli_usage_error(ctx, "option --%s %s is required", cli_options[o].name,
                                   cli_options[o].metavar);
    size_t first = cmd->name != NULL ? 2 : 1;
    size_t n = a->n_words - first;
    char words[64];
    cli_command_words(cmd, words, sizeof words);
    if (n < cmd->min_args)
        return cli_usage_error(ctx, "missing argument: grite %s %s", words, cmd->synopsis);
    if (n > cmd->max_args)
        return cli_usage_error(ctx, "unexpected argument '%s'", a->words[first + cmd->max_args]);
    return 0;
}

/* What to do when no command was named: help, or a usage error. */
static int no_command(cli_ctx *ctx, const resolved *r)
{
    FILE *f = r->help ? ctx->out : ctx->err;
    if (r->group != NULL)
        cli_help_group(f, r->group);
    else
        cli_help_main(f);
    return r->help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static int finish_output(cli_ctx *ctx, int status)
{
    if (fflush(ctx->out) != 0 || ferror(ctx->out)) {
        int e = errno;
        fprintf(ctx->err, "grite: error: cannot write the output: %s\n", strerror(e));
        return status == 0 ? CLI_EXIT_OTHER : status;
    }
    return status;
}

static int run(cli_ctx *ctx, cli_args *args)
{
    if (args->present[OPT_VERSION]) {
        cli_print_version(ctx->out);
        return CLI_EXIT_OK;
    }
    resolved r;
    int status = resolve(ctx, args, &r);
    if (status != 0)
        return status;
    if (r.command == NULL)
        return no_command(ctx, &r);
    ctx->command = r.command;
    if (r.help) {
        cli_help_command(ctx->out, r.command);
        return CLI_EXIT_OK;
    }
    status = check_arguments(ctx, r.command);
    if (status != 0)
        return status;
    return r.command->run(ctx);
}

int cli_main(int argc, char *const *argv, FILE *out, FILE *err)
{
    cli_args args;
    char why[CLI_ERROR_MAX];
    if (cli_args_parse(argc, argv, &args, why) != 0) {
        fprintf(err, "grite: error: %s\nTry 'grite --help'.\n", why);
        return CLI_EXIT_USAGE;
    }
    cli_ctx ctx;
    cli_ctx_init(&ctx, &args, out, err);
    int status = run(&ctx, &args);
    cli_ctx_close(&ctx);
    return finish_output(&ctx, status);
}
