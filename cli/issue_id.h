/*
 * issue_id.h - issue ids the way people type them.
 *
 * An issue id is 32 lowercase hex digits. grite also takes upper case,
 * surrounding blanks (a pasted id), and a unique prefix of at least 4
 * digits, like the 8-digit short ids `grite issue list` prints. A full id
 * goes to the daemon as is (one round trip); a prefix is first looked up
 * with IssueList requests (one more round trip per 1000 issues).
 */
#ifndef GRITE_CLI_ISSUE_ID_H
#define GRITE_CLI_ISSUE_ID_H

#include <stddef.h>

#include "cli.h"

#define CLI_ISSUE_ID_LEN 32
#define CLI_ISSUE_PREFIX_MIN 4
#define CLI_SHORT_ID_LEN 8

typedef enum cli_id_kind {
    CLI_ID_INVALID = 0,
    CLI_ID_FULL,     /* 32 hex digits */
    CLI_ID_PREFIX    /* CLI_ISSUE_PREFIX_MIN..31 hex digits */
} cli_id_kind;

/* Classify text and write it, trimmed and lowercased, into out. */
cli_id_kind cli_issue_id_parse(const char *text, char out[CLI_ISSUE_ID_LEN + 1]);

/* Turn what the user typed into a full id in out. Returns 0, or an exit
 * status after printing why: 2 for something that is not an id or an
 * ambiguous prefix (listing the candidates), 3 when no issue matches. */
int cli_resolve_issue_id(cli_ctx *ctx, const char *text, char out[CLI_ISSUE_ID_LEN + 1]);

#endif
