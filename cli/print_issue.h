/*
 * print_issue.h - the issue replies for people (--json bypasses these).
 * Each returns the exit status (0, or 1 if stdout could not be written).
 */
#ifndef GRITE_CLI_PRINT_ISSUE_H
#define GRITE_CLI_PRINT_ISSUE_H

#include "cli.h"
#include "grite.h"

int cli_print_issue_created(cli_ctx *ctx, const grite_IpcResponse *resp);
int cli_print_issue_list(cli_ctx *ctx, const grite_IpcResponse *resp);
int cli_print_issue(cli_ctx *ctx, const grite_IpcResponse *resp);
int cli_print_issue_updated(cli_ctx *ctx, const grite_IpcResponse *resp);
int cli_print_issue_state(cli_ctx *ctx, const grite_IpcResponse *resp);
int cli_print_comment_added(cli_ctx *ctx, const grite_IpcResponse *resp);

/* "bug, p1" from a label vector (into out; "-" when there are none). */
void cli_join_labels(grite_vec_str labels, char *out, size_t n);

#endif
