/*
 * help.h - grite's --help texts, written from the command table, and
 * --version.
 */
#ifndef GRITE_CLI_HELP_H
#define GRITE_CLI_HELP_H

#include <stdio.h>

#include "commands.h"

/* `grite --help`: every command, the global options, exit codes. */
void cli_help_main(FILE *f);

/* `grite issue --help`: the group's commands. */
void cli_help_group(FILE *f, const cli_group *group);

/* `grite issue create --help`: usage, description, its options. */
void cli_help_command(FILE *f, const cli_command *cmd);

/* `grite --version`. */
void cli_print_version(FILE *f);

#endif
