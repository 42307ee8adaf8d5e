/* handlers_issues.c - the issue commands, translated to daemon/store.h.
 *
 * Reads (list, show) are answered from the data dir actor's handle;
 * writes go through the requesting actor's handle, so events are authored
 * by the actor the request acts for (stores.h). */
#include <stdlib.h>

#include "handlers.h"

static grite_IssueState wire_state(enum grite_issue_state s)
{
    return s == GRITE_ISSUE_CLOSED ? GRITE_ISSUE_STATE_CLOSED : GRITE_ISSUE_STATE_OPEN;
}

static grite_vec_str_in str_vec(grite_str *items, char *const *strings, size_t n)
{
    for (size_t i = 0; i < n; i++) items[i] = grite_str_from_cstr(strings[i]);
    return (grite_vec_str_in){.items = items, .len = n};
}

static int reply_no_memory(struct call *c)
{
    return reply_error(c, GRITE_ERROR_CODE_INTERNAL_ERROR, NULL, "the daemon is out of memory");
}

/* ---- IssueList ------------------------------------------------------------ */

/* IssueFilter -> the store's filter. On false the error reply is built. */
static bool read_filter(struct call *c, const grite_IssueFilter *f, struct grite_issue_filter *out, int *reply)
{
    *out = (struct grite_issue_filter){.has_limit = true, .limit = ISSUE_LIST_DEFAULT_LIMIT};
    if (grite_IssueFilter_has_state(f)) {
        out->has_state = true;
        out->state = grite_IssueFilter_state(f) == GRITE_ISSUE_STATE_CLOSED ? GRITE_ISSUE_CLOSED : GRITE_ISSUE_OPEN;
    }
    if (grite_IssueFilter_has_label(f)) {
        grite_str label = grite_IssueFilter_label(f);
        if (!text_ok(label)) {
            *reply = reply_bad_text(c, "filter.label");
            return false;
        }
        out->label = label.ptr;
    }
    if (grite_IssueFilter_has_limit(f)) out->limit = grite_IssueFilter_limit(f);
    if (out->limit > ISSUE_LIST_MAX_LIMIT) {
        *reply = reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                             "filter.limit %u is above the maximum page size %u; page with filter.offset",
                             out->limit, ISSUE_LIST_MAX_LIMIT);
        return false;
    }
    out->offset = grite_IssueFilter_offset(f);
    return true;
}

static size_t label_total(const struct grite_issue_page *page)
{
    size_t n = 0;
    for (size_t i = 0; i < page->count; i++) n += page->issues[i]->label_count;
    return n;
}

static int reply_page(struct call *c, const struct grite_issue_page *page)
{
    grite_IssueSummary_in *rows = calloc(page->count + 1, sizeof *rows);
    grite_str *labels = calloc(label_total(page) + 1, sizeof *labels);
    int reply;
    if (!rows || !labels) {
        reply = reply_no_memory(c);
    } else {
        grite_str *next = labels;
        for (size_t i = 0; i < page->count; i++) {
            const struct grite_issue *is = page->issues[i];
            rows[i] = (grite_IssueSummary_in){
                .issue_id = grite_str_from_cstr(is->issue_id),
                .title = grite_str_from_cstr(is->title),
                .state = wire_state(is->state),
                .labels = str_vec(next, is->labels, is->label_count),
                .updated_ts = is->updated_ts,
            };
            next += is->label_count;
        }
        grite_IpcResponse_in r = {.tag = GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT,
                                  .v.IssueListResult = {.issues = {rows, page->count}, .total = page->total}};
        reply = reply_ok(c, &r);
    }
    free(rows);
    free(labels);
    return reply;
}

int handle_issue_list(struct call *c, const grite_IpcCommand_IssueList *cmd)
{
    struct grite_issue_filter filter;
    int reply;
    if (!read_filter(c, grite_IpcCommand_IssueList_filter(cmd), &filter, &reply)) return reply;
    struct grite_issue_page page;
    struct grite_store_error err;
    if (grite_store_list(store_pool_primary(&c->d->stores), &filter, &page, &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    return reply_page(c, &page);
}

/* ---- IssueCreate ------------------------------------------------------------ */

int handle_issue_create(struct call *c, const grite_IpcCommand_IssueCreate *cmd)
{
    grite_str title = grite_IpcCommand_IssueCreate_title(cmd);
    grite_str body = grite_IpcCommand_IssueCreate_body(cmd);
    grite_vec_str labels = grite_IpcCommand_IssueCreate_labels(cmd);
    if (!text_ok(title)) return reply_bad_text(c, "title");
    if (!text_ok(body)) return reply_bad_text(c, "body");
    if (labels.len > GRITE_LABELS_MAX)
        return reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL, "%zu labels given; an issue takes at most %d",
                           labels.len, GRITE_LABELS_MAX);
    const char *names[GRITE_LABELS_MAX + 1];
    for (size_t i = 0; i < labels.len; i++) {
        grite_str l = grite_vec_str_at(labels, i);
        if (!text_ok(l)) return reply_bad_text(c, "a label");
        names[i] = l.ptr;
    }
    grite_store *s = call_store(c);
    if (!s) return GRITE_HANDLER_RESPOND;
    struct grite_created created;
    struct grite_store_error err;
    if (grite_store_issue_create(s, title.ptr, body.ptr, names, labels.len, &created, &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT,
        .v.IssueCreateResult = {.issue_id = grite_str_from_cstr(created.issue_id), .created_ts = created.created_ts},
    };
    return reply_ok(c, &r);
}

/* ---- IssueShow ---------------------------------------------------------------- */

static int reply_issue(struct call *c, const struct grite_issue *is)
{
    grite_str *strs = calloc(is->label_count + is->assignee_count + 1, sizeof *strs);
    grite_Comment_in *comments = calloc(is->comment_count + 1, sizeof *comments);
    int reply;
    if (!strs || !comments) {
        reply = reply_no_memory(c);
    } else {
        for (size_t i = 0; i < is->comment_count; i++) {
            const struct grite_comment *k = &is->comments[i];
            comments[i] = (grite_Comment_in){
                .comment_id = grite_str_from_cstr(k->comment_id),
                .author = grite_str_from_cstr(k->author),
                .body = grite_str_from_cstr(k->body),
                .created_ts = k->created_ts,
            };
        }
        grite_IpcResponse_in r = {
            .tag = GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT,
            .v.IssueShowResult.issue = {
                .issue_id = grite_str_from_cstr(is->issue_id),
                .title = grite_str_from_cstr(is->title),
                .body = grite_str_from_cstr(is->body),
                .state = wire_state(is->state),
                .author = grite_str_from_cstr(is->author),
                .labels = str_vec(strs, is->labels, is->label_count),
                .assignees = str_vec(strs + is->label_count, is->assignees, is->assignee_count),
                .comments = {comments, is->comment_count},
                .created_ts = is->created_ts,
                .updated_ts = is->updated_ts,
            },
        };
        reply = reply_ok(c, &r);
    }
    free(strs);
    free(comments);
    return reply;
}

int handle_issue_show(struct call *c, const grite_IpcCommand_IssueShow *cmd)
{
    grite_str id = grite_IpcCommand_IssueShow_issue_id(cmd);
    if (!text_ok(id)) return reply_bad_text(c, "issue_id");
    const struct grite_issue *is;
    struct grite_store_error err;
    if (grite_store_issue_show(store_pool_primary(&c->d->stores), id.ptr, &is, &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    return reply_issue(c, is);
}

/* ---- IssueUpdate ---------------------------------------------------------------- */

int handle_issue_update(struct call *c, const grite_IpcCommand_IssueUpdate *cmd)
{
    grite_str id = grite_IpcCommand_IssueUpdate_issue_id(cmd);
    bool has_title = grite_IpcCommand_IssueUpdate_has_title(cmd);
    bool has_body = grite_IpcCommand_IssueUpdate_has_body(cmd);
    grite_str title = grite_IpcCommand_IssueUpdate_title(cmd);
    grite_str body = grite_IpcCommand_IssueUpdate_body(cmd);
    if (!text_ok(id)) return reply_bad_text(c, "issue_id");
    if (!text_ok(title)) return reply_bad_text(c, "title");
    if (!text_ok(body)) return reply_bad_text(c, "body");
    grite_store *s = call_store(c);
    if (!s) return GRITE_HANDLER_RESPOND;
    uint64_t updated_ts = 0;
    struct grite_store_error err;
    if (grite_store_issue_update(s, id.ptr, has_title ? title.ptr : NULL, has_body ? body.ptr : NULL, &updated_ts,
                                 &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    grite_IpcResponse_in r = {.tag = GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT,
                              .v.IssueUpdateResult = {.issue_id = id, .updated_ts = updated_ts}};
    return reply_ok(c, &r);
}

/* ---- IssueClose / IssueReopen ------------------------------------------------------- */

typedef enum grite_store_status (*state_change_fn)(grite_store *, const char *, struct grite_state_result *,
                                                     struct grite_store_error *);

static int change_state(struct call *c, grite_str id, state_change_fn change)
{
    if (!text_ok(id)) return reply_bad_text(c, "issue_id");
    grite_store *s = call_store(c);
    if (!s) return GRITE_HANDLER_RESPOND;
    struct grite_state_result result;
    struct grite_store_error err;
    if (change(s, id.ptr, &result, &err) != GRITE_STORE_OK) return reply_store_error(c, &err);
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT,
        .v.IssueStateResult = {.issue_id = id, .state = wire_state(result.state), .updated_ts = result.updated_ts},
    };
    return reply_ok(c, &r);
}

int handle_issue_close(struct call *c, const grite_IpcCommand_IssueClose *cmd)
{
    return change_state(c, grite_IpcCommand_IssueClose_issue_id(cmd), grite_store_issue_close);
}

int handle_issue_reopen(struct call *c, const grite_IpcCommand_IssueReopen *cmd)
{
    return change_state(c, grite_IpcCommand_IssueReopen_issue_id(cmd), grite_store_issue_reopen);
}

/* ---- IssueComment ------------------------------------------------------------------- */

int handle_issue_comment(struct call *c, const grite_IpcCommand_IssueComment *cmd)
{
    grite_str id = grite_IpcCommand_IssueComment_issue_id(cmd);
    grite_str body = grite_IpcCommand_IssueComment_body(cmd);
    if (!text_ok(id)) return reply_bad_text(c, "issue_id");
    if (!text_ok(body)) return reply_bad_text(c, "body");
    grite_store *s = call_store(c);
    if (!s) return GRITE_HANDLER_RESPOND;
    struct grite_commented done;
    struct grite_store_error err;
    if (grite_store_issue_comment(s, id.ptr, body.ptr, &done, &err) != GRITE_STORE_OK)
        return reply_store_error(c, &err);
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_COMMENT_RESULT,
        .v.CommentResult = {.issue_id = id,
                            .comment_id = grite_str_from_cstr(done.comment_id),
                            .created_ts = done.created_ts},
    };
    return reply_ok(c, &r);
}
