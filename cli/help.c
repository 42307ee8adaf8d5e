/*
 * help.c - help texts from the command table (see help.h).
 */
#include "help.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "grite.h"

#ifndef GRITE_CLI_VERSION
#define GRITE_CLI_VERSION "0.0.0"
#endif

static void print_option(FILE *f, cli_opt o)
{
    const cli_option_spec *spec = &cli_options[o];
    char left[48];
    if (spec->short_name)
        snprintf(left, sizeof left, "-%c, --%s", spec->short_name, spec->name);
    else if (spec->metavar)
        snprintf(left, sizeof left, "    --%s %s", spec->name, spec->metavar);
    else
        snprintf(left, sizeof left, "    --%s", spec->name);
    fprintf(f, "  %-26s %s\n", left, spec->help);
}

static void print_options(FILE *f, uint32_t mask)
{
    for (int o = 0; o < OPT_COUNT_; o++)
        if (mask & CLI_OPT_BIT(o))
            print_option(f, (cli_opt)o);
}

static void print_command_line(FILE *f, const cli_command *c)
{
    char words[40];
    cli_command_words(c, words, sizeof words);
    fprintf(f, "  %-16s %s\n", words, c->summary);
}

void cli_help_main(FILE *f)
{
    fputs("Usage: grite [OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "grite keeps issues in a local store, served by a background daemon\n"
          "(grite-daemon) that the first command starts and later ones reuse.\n"
          "\n"
          "Commands:\n", f);
    for (size_t i = 0; i < cli_n_commands; i++)
        print_command_line(f, &cli_commands[i]);
    fputs("\nOptions (accepted anywhere on the line):\n", f);
    print_options(f, CLI_GLOBAL_OPTS | CLI_OPT_BIT(OPT_VERSION));
    fputs("\n"
          "Exit status: 0 ok, 1 other failure, 2 invalid arguments, 3 not found,\n"
          "4 conflict, 5 environment (the daemon cannot start, permissions, I/O).\n"
          "\n"
          "Run 'grite COMMAND --help' for a command's options; see grite(1).\n", f);
}

void cli_help_group(FILE *f, const cli_group *group)
{
    fprintf(f, "Usage: grite %s COMMAND [ARGS]\n\n%s.\n\nCommands:\n", group->name,
            group->summary);
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(cli_commands[i].group, group->name) == 0)
            print_command_line(f, &cli_commands[i]);
    fprintf(f, "\nRun 'grite %s COMMAND --help' for a command's options.\n", group->name);
}

void cli_help_command(FILE *f, const cli_command *cmd)
{
    char words[40];
    cli_command_words(cmd, words, sizeof words);
    fprintf(f, "Usage: grite %s%s%s\n\n%c%s.\n", words, cmd->synopsis[0] ? " " : "",
            cmd->synopsis, toupper((unsigned char)cmd->summary[0]), cmd->summary + 1);
    if (cmd->details)
        fprintf(f, "\n%s", cmd->details);
    if (cmd->options) {
        fputs("\nOptions:\n", f);
        print_options(f, cmd->options);
    }
    fputs("\nGlobal options:\n", f);
    print_options(f, CLI_GLOBAL_OPTS);
}

void cli_print_version(FILE *f)
{
    fprintf(f, "grite %s (protocol %s v%u, schema fingerprint %016" PRIx64 ")\n",
            GRITE_CLI_VERSION, GRITE_SCHEMA_NAME, (unsigned)GRITE_SCHEMA_VERSION,
            (uint64_t)GRITE_SCHEMA_FINGERPRINT);
}
