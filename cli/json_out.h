/*
 * json_out.h - --json: the daemon's reply as JSON on stdout, written by the
 * generated printer (grite_IpcResponse_to_json, docs/JSON.md), so scripts
 * see exactly the protocol's field names:
 *
 *     {"IssueCreateResult":{"issue_id":"3f2a...","created_ts":1717000000000}}
 *
 * Compact, one line per reply (JSON Lines); indented when stdout is a
 * terminal.
 */
#ifndef GRITE_CLI_JSON_OUT_H
#define GRITE_CLI_JSON_OUT_H

#include "cli.h"
#include "grite.h"

/* Print resp as one JSON value and a newline. Returns 0, or
 * CLI_EXIT_OTHER after printing why (stdout could not be written). */
int cli_json_print_response(cli_ctx *ctx, const grite_IpcResponse *resp);

#endif
