/*
 * print_issue.c - issue replies for people (see print_issue.h).
 */
#include "print_issue.h"

#include <stdbool.h>
#include <string.h>

#include "exit_codes.h"
#include "issue_id.h"
#include "report.h"
#include "table.h"
#include "timefmt.h"

#define LABELS_TEXT_MAX 1024
#define BODY_INDENT "    "

void cli_join_labels(grite_vec_str labels, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < labels.len && used < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "",
                         grite_vec_str_at(labels, i).ptr);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (labels.len == 0)
        snprintf(out, n, "-");
}

static const char *state_name(grite_IssueState s)
{
    const char *name = grite_IssueState_name(s);
    return s == GRITE_ISSUE_STATE_OPEN ? "open" : s == GRITE_ISSUE_STATE_CLOSED ? "closed"
                                                  : name ? name : "?";
}

int cli_print_issue_created(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_IssueCreateResult *r = grite_IpcResponse_as_IssueCreateResult(resp);
    fprintf(ctx->out, "Created issue %s\n", grite_IpcResponse_IssueCreateResult_issue_id(r).ptr);
    return 0;
}

static int add_summary_row(cli_table *t, const grite_IssueSummary *s, uint64_t now)
{
    char short_id[CLI_SHORT_ID_LEN + 1];
    snprintf(short_id, sizeof short_id, "%s", grite_IssueSummary_issue_id(s).ptr);
    char labels[LABELS_TEXT_MAX];
    cli_join_labels(grite_IssueSummary_labels(s), labels, sizeof labels);
    char updated[CLI_TIME_TEXT_MAX];
    cli_format_age(grite_IssueSummary_updated_ts(s), now, updated, sizeof updated);
    const char *cells[] = { short_id, state_name(grite_IssueSummary_state(s)),
                            grite_IssueSummary_title(s).ptr, labels, updated };
    return cli_table_add_row(t, cells);
}

static void print_list_footer(cli_ctx *ctx, size_t shown, uint64_t total)
{
    uint64_t first = (uint64_t)ctx->list_offset + 1;
    if (shown == 0 && total == 0)
        fprintf(ctx->out, "No issues.\n");
    else if (shown == 0)
        fprintf(ctx->out, "No issues here: %llu match in all, fewer than --offset %u.\n",
                (unsigned long long)total, ctx->list_offset);
    else if (shown == total)
        fprintf(ctx->out, "%llu issue%s.\n", (unsigned long long)total, total == 1 ? "" : "s");
    else
        fprintf(ctx->out, "Issues %llu-%llu of %llu (--offset %llu for more).\n",
                (unsigned long long)first, (unsigned long long)(first + shown - 1),
                (unsigned long long)total, (unsigned long long)(first - 1 + shown));
}

int cli_print_issue_list(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_IssueListResult *r = grite_IpcResponse_as_IssueListResult(resp);
    grite_vec_IssueSummary issues = grite_IpcResponse_IssueListResult_issues(r);
    static const char *const headers[] = { "ID", "STATE", "TITLE", "LABELS", "UPDATED" };
    cli_table t;
    cli_table_init(&t, 5, headers, 2);
    uint64_t now = cli_now_ms();
    for (size_t i = 0; i < issues.len; i++) {
        if (add_summary_row(&t, grite_vec_IssueSummary_at(issues, i), now) != 0) {
            cli_table_free(&t);
            return cli_fail(ctx, CLI_EXIT_ENV, "out of memory");
        }
    }
    if (issues.len > 0)
        cli_table_print(&t, ctx->out, cli_terminal_width(ctx->out));
    cli_table_free(&t);
    print_list_footer(ctx, issues.len, grite_IpcResponse_IssueListResult_total(r));
    return 0;
}

static void print_time_line(cli_ctx *ctx, const char *label, uint64_t ts, uint64_t now)
{
    char when[CLI_TIME_TEXT_MAX], age[CLI_TIME_TEXT_MAX];
    cli_format_local_time(ts, when, sizeof when);
    cli_format_age(ts, now, age, sizeof age);
    fprintf(ctx->out, "%-10s%s (%s)\n", label, when, age);
}

/* Text that may span lines, each line indented; control characters other
 * than newline and tab show as '?' (table.h says why). */
static void print_indented(cli_ctx *ctx, const char *text)
{
    fputs(BODY_INDENT, ctx->out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;   /* CRLF: the LF does the work */
        bool unsafe = (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f;
        fputc(unsafe ? '?' : *p, ctx->out);
        if (*p == '\n' && p[1] != '\0')
            fputs(BODY_INDENT, ctx->out);
    }
    if (text[0] == '\0' || text[strlen(text) - 1] != '\n')
        fputc('\n', ctx->out);
}

static void print_comments(cli_ctx *ctx, grite_vec_Comment comments, uint64_t now)
{
    if (comments.len == 0)
        return;
    fprintf(ctx->out, "\nComments (%zu):\n", comments.len);
    for (size_t i = 0; i < comments.len; i++) {
        const grite_Comment *c = grite_vec_Comment_at(comments, i);
        char when[CLI_TIME_TEXT_MAX], age[CLI_TIME_TEXT_MAX];
        cli_format_local_time(grite_Comment_created_ts(c), when, sizeof when);
        cli_format_age(grite_Comment_created_ts(c), now, age, sizeof age);
        fprintf(ctx->out, "\n  %.8s, %s (%s):\n", grite_Comment_author(c).ptr, when, age);
        print_indented(ctx, grite_Comment_body(c).ptr);
    }
}

int cli_print_issue(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_Issue *issue =
        grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(resp));
    uint64_t now = cli_now_ms();
    char labels[LABELS_TEXT_MAX];
    fprintf(ctx->out, "Issue %s (%s)\n", grite_Issue_issue_id(issue).ptr,
            state_name(grite_Issue_state(issue)));
    fputs("Title:    ", ctx->out);
    cli_text_print(ctx->out, grite_Issue_title(issue).ptr, 0);
    fprintf(ctx->out, "\nAuthor:   %s\n", grite_Issue_author(issue).ptr);
    cli_join_labels(grite_Issue_labels(issue), labels, sizeof labels);
    fputs("Labels:   ", ctx->out);
    cli_text_print(ctx->out, labels, 0);
    fputc('\n', ctx->out);
    grite_vec_str assignees = grite_Issue_assignees(issue);
    if (assignees.len > 0) {
        cli_join_labels(assignees, labels, sizeof labels);
        fprintf(ctx->out, "Assigned: %s\n", labels);
    }
    print_time_line(ctx, "Created:", grite_Issue_created_ts(issue), now);
    print_time_line(ctx, "Updated:", grite_Issue_updated_ts(issue), now);
    grite_str body = grite_Issue_body(issue);
    if (body.len > 0) {
        fputc('\n', ctx->out);
        print_indented(ctx, body.ptr);
    }
    print_comments(ctx, grite_Issue_comments(issue), now);
    return 0;
}

int cli_print_issue_updated(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_IssueUpdateResult *r = grite_IpcResponse_as_IssueUpdateResult(resp);
    fprintf(ctx->out, "Updated issue %s\n", grite_IpcResponse_IssueUpdateResult_issue_id(r).ptr);
    return 0;
}

int cli_print_issue_state(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_IssueStateResult *r = grite_IpcResponse_as_IssueStateResult(resp);
    fprintf(ctx->out, "Issue %s is now %s\n", grite_IpcResponse_IssueStateResult_issue_id(r).ptr,
            state_name(grite_IpcResponse_IssueStateResult_state(r)));
    return 0;
}

int cli_print_comment_added(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_CommentResult *r = grite_IpcResponse_as_CommentResult(resp);
    fprintf(ctx->out, "Added comment %s to issue %s\n",
            grite_IpcResponse_CommentResult_comment_id(r).ptr,
            grite_IpcResponse_CommentResult_issue_id(r).ptr);
    return 0;
}
