/*
 * commands.c - the command table (see commands.h).
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#define B(o) CLI_OPT_BIT(o)

#define ID_HELP                                                                  \
    "ID is an issue's id: all 32 hex digits, or a unique prefix of at least\n"   \
    "4 (as `grite issue list` shows them; a prefix costs one more request).\n"

const cli_group cli_groups[] = {
    { "issue", "create, list, show, update, close, reopen and comment on issues" },
    { "lock", "take and give up leases on named resources" },
    { "sync", "exchange issues with another data directory" },
    { "doctor", "run the daemon's health checks" },
    { "daemon", "start, inspect and stop the background daemon" },
};
const size_t cli_n_groups = sizeof cli_groups / sizeof cli_groups[0];

const cli_command cli_commands[] = {
    { "issue", "create", "--title T [--body B] [--label L]...", "create an issue",
      "Prints the new issue's id.\n",
      B(OPT_TITLE) | B(OPT_BODY) | B(OPT_LABEL), B(OPT_TITLE), 0, 0, cli_cmd_issue_create },
    { "issue", "list", "[--state open|closed] [--label L] [--limit N] [--offset N]",
      "list issues, most recently updated first",
      "Shows a table: short id, state, title, labels, last update.\n"
      "The last line says how many issues match in all.\n",
      B(OPT_STATE) | B(OPT_LABEL) | B(OPT_LIMIT) | B(OPT_OFFSET), 0, 0, 0, cli_cmd_issue_list },
    { "issue", "show", "ID", "show an issue with its comments", ID_HELP, 0, 0, 1, 1,
      cli_cmd_issue_show },
    { "issue", "update", "ID [--title T] [--body B]", "change an issue's title or body",
      ID_HELP "What is not given is left as it is; give at least one.\n",
      B(OPT_TITLE) | B(OPT_BODY), 0, 1, 1, cli_cmd_issue_update },
    { "issue", "close", "ID", "close an issue", ID_HELP, 0, 0, 1, 1, cli_cmd_issue_close },
    { "issue", "reopen", "ID", "reopen a closed issue", ID_HELP, 0, 0, 1, 1,
      cli_cmd_issue_reopen },
    { "issue", "comment", "ID --body B", "add a comment to an issue", ID_HELP, B(OPT_BODY),
      B(OPT_BODY), 1, 1, cli_cmd_issue_comment },
    { "lock", "acquire", "RESOURCE [--ttl DURATION]", "take a lease on a resource",
      "Succeeds if the resource is free, its lease expired, or we (this actor)\n"
      "hold it already (the lease is then renewed). If another actor holds it,\n"
      "says who and until when, and exits with 4.\n",
      B(OPT_TTL), 0, 1, 1, cli_cmd_lock_acquire },
    { "lock", "release", "RESOURCE", "give up a lease we hold", NULL, 0, 0, 1, 1,
      cli_cmd_lock_release },
    { "sync", "pull", "--remote DIR", "fetch and merge the issues of another data directory",
      NULL, B(OPT_REMOTE), B(OPT_REMOTE), 0, 0, cli_cmd_sync_pull },
    { "sync", "push", "--remote DIR", "send our issues to another data directory", NULL,
      B(OPT_REMOTE), B(OPT_REMOTE), 0, 0, cli_cmd_sync_push },
    { "doctor", NULL, "", "run the daemon's health checks",
      "Exits with 1 if a check failed (warnings do not count).\n", 0, 0, 0, 0, cli_cmd_doctor },
    { "daemon", "start", "", "start the daemon for the data directory, if none runs",
      "Other commands start it on demand too; this only does it ahead of time.\n", 0, 0, 0, 0,
      cli_cmd_daemon_start },
    { "daemon", "status", "", "say whether the daemon runs, and how it is doing",
      "Never starts a daemon. Exits with 0 if one runs, 3 if none does.\n", 0, 0, 0, 0,
      cli_cmd_daemon_status },
    { "daemon", "stop", "", "stop the daemon and wait until it is gone",
      "Exits with 0 also when no daemon was running.\n", 0, 0, 0, 0, cli_cmd_daemon_stop },
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

const cli_group *cli_find_group(const char *name)
{
    for (size_t i = 0; i < cli_n_groups; i++)
        if (strcmp(cli_groups[i].name, name) == 0)
            return &cli_groups[i];
    return NULL;
}

const cli_command *cli_group_command(const char *group)
{
    for (size_t i = 0; i < cli_n_commands; i++)
        if (cli_commands[i].name == NULL && strcmp(cli_commands[i].group, group) == 0)
            return &cli_commands[i];
    return NULL;
}

const cli_command *cli_find_command(const char *group, const char *name)
{
    if (name == NULL)
        return cli_group_command(group);
    for (size_t i = 0; i < cli_n_commands; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->name != NULL && strcmp(c->group, group) == 0 && strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

void cli_command_words(const cli_command *cmd, char *out, size_t n)
{
    if (cmd->name != NULL)
        snprintf(out, n, "%s %s", cmd->group, cmd->name);
    else
        snprintf(out, n, "%s", cmd->group);
}
