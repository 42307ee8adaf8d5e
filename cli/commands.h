/*
 * commands.h - every grite command, as data: its words, what it accepts,
 * its help text and the function that runs it. The parser (args.h), the
 * help printer (help.c) and main.c all read this one table, so a command's
 * usage, its checks and its --help cannot disagree.
 */
#ifndef GRITE_CLI_COMMANDS_H
#define GRITE_CLI_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

typedef int (*cli_run_fn)(cli_ctx *ctx);

typedef struct cli_command {
    const char *group;        /* first word: "issue", "lock", "sync", "doctor", "daemon" */
    const char *name;         /* second word, or NULL when the group is the command */
    const char *synopsis;     /* what follows the words, e.g. "ID [--title T] [--body B]" */
    const char *summary;      /* one line for lists */
    const char *details;      /* more lines for its --help, or NULL */
    uint32_t options;         /* CLI_OPT_BIT()s accepted beyond the global ones */
    uint32_t required;        /* of those, the ones that must be given */
    unsigned min_args;        /* positional arguments after the words */
    unsigned max_args;
    cli_run_fn run;
} cli_command;

typedef struct cli_group {
    const char *name;
    const char *summary;
} cli_group;

extern const cli_command cli_commands[];
extern const size_t cli_n_commands;
extern const cli_group cli_groups[];
extern const size_t cli_n_groups;

/* The group called name, or NULL. */
const cli_group *cli_find_group(const char *name);

/* The command of group `group` called `name` (NULL for a group that is a
 * command itself, like doctor), or NULL. */
const cli_command *cli_find_command(const char *group, const char *name);

/* Whether the group is itself a command (takes no second word). */
const cli_command *cli_group_command(const char *group);

/* "issue create", "doctor": the words that name cmd. */
void cli_command_words(const cli_command *cmd, char *out, size_t n);

/* The commands (cmd_*.c). */
int cli_cmd_issue_create(cli_ctx *ctx);
int cli_cmd_issue_list(cli_ctx *ctx);
int cli_cmd_issue_show(cli_ctx *ctx);
int cli_cmd_issue_update(cli_ctx *ctx);
int cli_cmd_issue_close(cli_ctx *ctx);
int cli_cmd_issue_reopen(cli_ctx *ctx);
int cli_cmd_issue_comment(cli_ctx *ctx);
int cli_cmd_lock_acquire(cli_ctx *ctx);
int cli_cmd_lock_release(cli_ctx *ctx);
int cli_cmd_sync_pull(cli_ctx *ctx);
int cli_cmd_sync_push(cli_ctx *ctx);
int cli_cmd_doctor(cli_ctx *ctx);
int cli_cmd_daemon_start(cli_ctx *ctx);
int cli_cmd_daemon_status(cli_ctx *ctx);
int cli_cmd_daemon_stop(cli_ctx *ctx);

#endif
