/*
 * issue_id.c - parsing ids and resolving prefixes (see issue_id.h).
 */
#include "issue_id.h"

#include <string.h>

#include "call.h"
#include "exit_codes.h"
#include "report.h"

#define PAGE_SIZE 1000u
#define CANDIDATES_SHOWN 5

cli_id_kind cli_issue_id_parse(const char *text, char out[CLI_ISSUE_ID_LEN + 1])
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n'))
        len--;
    if (len < CLI_ISSUE_PREFIX_MIN || len > CLI_ISSUE_ID_LEN)
        return CLI_ID_INVALID;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return CLI_ID_INVALID;
        out[i] = c;
    }
    out[len] = '\0';
    return len == CLI_ISSUE_ID_LEN ? CLI_ID_FULL : CLI_ID_PREFIX;
}

typedef struct prefix_search {
    const char *prefix;
    size_t prefix_len;
    size_t matches;
    char found[CANDIDATES_SHOWN][CLI_ISSUE_ID_LEN + 1];
} prefix_search;

/* Look through one page; returns how many issues it held. */
static size_t scan_page(prefix_search *s, const grite_IpcResponse_IssueListResult *page)
{
    grite_vec_IssueSummary issues = grite_IpcResponse_IssueListResult_issues(page);
    for (size_t i = 0; i < issues.len; i++) {
        grite_str id = grite_IssueSummary_issue_id(grite_vec_IssueSummary_at(issues, i));
        if (id.len != CLI_ISSUE_ID_LEN || memcmp(id.ptr, s->prefix, s->prefix_len) != 0)
            continue;
        if (s->matches < CANDIDATES_SHOWN)
            memcpy(s->found[s->matches], id.ptr, CLI_ISSUE_ID_LEN + 1);
        s->matches++;
    }
    return issues.len;
}

static int search_all_issues(cli_ctx *ctx, prefix_search *s)
{
    uint64_t offset = 0;
    for (;;) {
        grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_ISSUE_LIST };
        cmd.v.IssueList.filter.limit = (grite_opt_u32_in){ true, PAGE_SIZE };
        cmd.v.IssueList.filter.offset = (grite_opt_u32_in){ offset > 0, (uint32_t)offset };
        const grite_IpcResponse *resp;
        int status = cli_call(ctx, &cmd, &resp);
        if (status == 0)
            status = cli_reply_error(ctx, resp);
        if (status == 0)
            status = cli_expect_kind(ctx, resp, GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
        if (status != 0)
            return status;
        const grite_IpcResponse_IssueListResult *page = grite_IpcResponse_as_IssueListResult(resp);
        size_t n = scan_page(s, page);
        offset += n;
        if (n == 0 || offset >= grite_IpcResponse_IssueListResult_total(page) ||
            offset > UINT32_MAX - PAGE_SIZE)
            return 0;
    }
}

static int report_ambiguous(cli_ctx *ctx, const prefix_search *s)
{
    cli_fail(ctx, CLI_EXIT_USAGE, "issue id prefix %s is ambiguous: %zu issues start with it",
             s->prefix, s->matches);
    for (size_t i = 0; i < s->matches && i < CANDIDATES_SHOWN; i++)
        fprintf(ctx->err, "  %s\n", s->found[i]);
    if (s->matches > CANDIDATES_SHOWN)
        fprintf(ctx->err, "  ...\n");
    return CLI_EXIT_USAGE;
}

int cli_resolve_issue_id(cli_ctx *ctx, const char *text, char out[CLI_ISSUE_ID_LEN + 1])
{
    cli_id_kind kind = cli_issue_id_parse(text, out);
    if (kind == CLI_ID_FULL)
        return 0;
    if (kind == CLI_ID_INVALID)
        return cli_usage_error(ctx,
                               "\"%.64s\" is not an issue id (32 hex digits, or a prefix of at "
                               "least %d)",
                               text, CLI_ISSUE_PREFIX_MIN);
    prefix_search s = { .prefix = out, .prefix_len = strlen(out) };
    int status = search_all_issues(ctx, &s);
    if (status != 0)
        return status;
    if (s.matches == 0)
        return cli_fail(ctx, CLI_EXIT_NOT_FOUND, "not_found: no issue id starts with %s", out);
    if (s.matches > 1)
        return report_ambiguous(ctx, &s);
    memcpy(out, s.found[0], CLI_ISSUE_ID_LEN + 1);
    return 0;
}
