/*
 * cmd_issue.c - `grite issue ...`: from arguments to an IpcCommand, and
 * the reply to print_issue.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call.h"
#include "commands.h"
#include "exit_codes.h"
#include "issue_id.h"
#include "print_issue.h"
#include "report.h"

#define STDIN_BODY_MAX (1024u * 1024u)   /* well above the store's 256 KiB: it says why */

/* --body as given, or all of stdin for "-" (into *owned, which the caller
 * frees). Returns 0 or an exit status. */
static int body_text(cli_ctx *ctx, grite_str *out, char **owned)
{
    const char *body = cli_opt_value(ctx, OPT_BODY);
    *owned = NULL;
    if (body == NULL || strcmp(body, "-") != 0) {
        *out = grite_str_from_cstr(body ? body : "");
        return 0;
    }
    char *buf = malloc(STDIN_BODY_MAX + 1);
    if (buf == NULL)
        return cli_fail(ctx, CLI_EXIT_ENV, "out of memory");
    size_t len = fread(buf, 1, STDIN_BODY_MAX + 1, stdin);
    if (ferror(stdin) || len > STDIN_BODY_MAX) {
        free(buf);
        return ferror(stdin) ? cli_fail(ctx, CLI_EXIT_ENV, "cannot read the body from stdin")
                             : cli_usage_error(ctx, "the body on stdin is larger than %u bytes",
                                               STDIN_BODY_MAX);
    }
    buf[len] = '\0';
    *owned = buf;
    *out = (grite_str){ buf, len };
    return 0;
}

static int resolve_id_arg(cli_ctx *ctx, char id[CLI_ISSUE_ID_LEN + 1])
{
    return cli_resolve_issue_id(ctx, cli_positional(ctx, 0), id);
}

int cli_cmd_issue_create(cli_ctx *ctx)
{
    const cli_args *a = ctx->args;
    grite_str labels[CLI_MAX_REPEATED];
    for (size_t i = 0; i < a->n_repeated; i++)
        labels[i] = grite_str_from_cstr(a->repeated[i]);
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_CREATE };
    cmd.v.IssueCreate.title = grite_str_from_cstr(cli_opt_value(ctx, OPT_TITLE));
    cmd.v.IssueCreate.labels = (grite_vec_str_in){ labels, a->n_repeated };
    char *owned;
    int status = body_text(ctx, &cmd.v.IssueCreate.body, &owned);
    if (status == 0)
        status = cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT,
                                 cli_print_issue_created);
    free(owned);
    return status;
}

static int parse_state(cli_ctx *ctx, grite_opt_IssueState_in *out)
{
    const char *state = cli_opt_value(ctx, OPT_STATE);
    if (state == NULL)
        return 0;
    if (strcasecmp(state, "open") == 0)
        *out = (grite_opt_IssueState_in){ true, GRITE_ISSUE_STATE_OPEN };
    else if (strcasecmp(state, "closed") == 0)
        *out = (grite_opt_IssueState_in){ true, GRITE_ISSUE_STATE_CLOSED };
    else
        return cli_usage_error(ctx, "--state must be open or closed, not \"%.32s\"", state);
    return 0;
}

static int parse_u32_option(cli_ctx *ctx, cli_opt o, grite_opt_u32_in *out)
{
    const char *text = cli_opt_value(ctx, o);
    uint64_t v;
    if (text == NULL)
        return 0;
    if (cli_parse_u64(text, UINT32_MAX, &v) != 0)
        return cli_usage_error(ctx, "--%s must be a whole number from 0 to %u, not \"%.32s\"",
                               cli_options[o].name, UINT32_MAX, text);
    *out = (grite_opt_u32_in){ true, (uint32_t)v };
    return 0;
}

int cli_cmd_issue_list(cli_ctx *ctx)
{
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_LIST };
    grite_IssueFilter_in *f = &cmd.v.IssueList.filter;
    if (ctx->args->n_repeated > 1)
        return cli_usage_error(ctx, "issue list takes one --label");
    if (ctx->args->n_repeated == 1)
        f->label = (grite_opt_str_in){ true, grite_str_from_cstr(ctx->args->repeated[0]) };
    int status = parse_state(ctx, &f->state);
    if (status == 0)
        status = parse_u32_option(ctx, OPT_LIMIT, &f->limit);
    if (status == 0)
        status = parse_u32_option(ctx, OPT_OFFSET, &f->offset);
    if (status != 0)
        return status;
    ctx->list_offset = f->offset.value;
    return cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT, cli_print_issue_list);
}

int cli_cmd_issue_show(cli_ctx *ctx)
{
    char id[CLI_ISSUE_ID_LEN + 1];
    int status = resolve_id_arg(ctx, id);
    if (status != 0)
        return status;
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_SHOW };
    cmd.v.IssueShow.issue_id = grite_str_from_cstr(id);
    return cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT, cli_print_issue);
}

int cli_cmd_issue_update(cli_ctx *ctx)
{
    const char *title = cli_opt_value(ctx, OPT_TITLE);
    if (title == NULL && cli_opt_value(ctx, OPT_BODY) == NULL)
        return cli_usage_error(ctx, "issue update needs --title or --body (or both)");
    char id[CLI_ISSUE_ID_LEN + 1];
    int status = resolve_id_arg(ctx, id);
    if (status != 0)
        return status;
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_UPDATE };
    cmd.v.IssueUpdate.issue_id = grite_str_from_cstr(id);
    if (title != NULL)
        cmd.v.IssueUpdate.title = (grite_opt_str_in){ true, grite_str_from_cstr(title) };
    char *owned = NULL;
    if (cli_opt_value(ctx, OPT_BODY) != NULL) {
        cmd.v.IssueUpdate.body.present = true;
        status = body_text(ctx, &cmd.v.IssueUpdate.body.value, &owned);
    }
    if (status == 0)
        status = cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT,
                                 cli_print_issue_updated);
    free(owned);
    return status;
}

static int change_state(cli_ctx *ctx, grite_IpcCommand_kind tag)
{
    char id[CLI_ISSUE_ID_LEN + 1];
    int status = resolve_id_arg(ctx, id);
    if (status != 0)
        return status;
    grite_IpcCommand_in cmd = { .tag = tag };
    /* IssueClose and IssueReopen have the same one field. */
    if (tag == GRITE_IPC_COMMAND_ISSUE_CLOSE)
        cmd.v.IssueClose.issue_id = grite_str_from_cstr(id);
    else
        cmd.v.IssueReopen.issue_id = grite_str_from_cstr(id);
    return cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT,
                           cli_print_issue_state);
}

int cli_cmd_issue_close(cli_ctx *ctx)
{
    return change_state(ctx, GRITE_IPC_COMMAND_ISSUE_CLOSE);
}

int cli_cmd_issue_reopen(cli_ctx *ctx)
{
    return change_state(ctx, GRITE_IPC_COMMAND_ISSUE_REOPEN);
}

int cli_cmd_issue_comment(cli_ctx *ctx)
{
    char id[CLI_ISSUE_ID_LEN + 1];
    int status = resolve_id_arg(ctx, id);
    if (status != 0)
        return status;
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_COMMENT };
    cmd.v.IssueComment.issue_id = grite_str_from_cstr(id);
    char *owned;
    status = body_text(ctx, &cmd.v.IssueComment.body, &owned);
    if (status == 0)
        status = cli_run_command(ctx, &cmd, GRITE_IPC_RESPONSE_COMMENT_RESULT,
                                 cli_print_comment_added);
    free(owned);
    return status;
}
