/*
 * grite_msgs.c - the workload through grite-ipc's generated API.
 */
#include "grite_msgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static grite_str str_of(const char *s) { return grite_str_from_cstr(s); }

void grite_msgs_init(grite_msgs *m, const workload *w)
{
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < WL_REQ_LABELS; i++)
        m->req_labels[i] = str_of(w->req_labels[i]);
    m->req = (grite_IpcRequest_in){
        .ipc_schema_version = WL_SCHEMA_VERSION,
        .request_id = GRITE_STR(WL_REQUEST_ID),
        .repo_root = GRITE_STR(WL_REPO_ROOT),
        .actor_id = GRITE_STR(WL_ACTOR_ID),
        .data_dir = GRITE_STR(WL_DATA_DIR),
        .command = {
            .tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
            .v.IssueCreate = {.title = GRITE_STR(WL_TITLE),
                              .body = {w->body, WL_BODY_LEN},
                              .labels = {m->req_labels, WL_REQ_LABELS}},
        },
    };
    for (size_t i = 0; i < WL_ISSUES; i++) {
        const wl_issue *is = &w->issues[i];
        grite_str *labels = i % 2 == 0 ? m->even_labels : m->odd_labels;
        for (size_t k = 0; k < is->nlabels; k++)
            labels[k] = str_of(is->labels[k]);
        m->issues[i] = (grite_IssueSummary_in){
            .issue_id = str_of(is->issue_id),
            .title = str_of(is->title),
            .state = is->closed ? GRITE_ISSUE_STATE_CLOSED : GRITE_ISSUE_STATE_OPEN,
            .labels = {labels, is->nlabels},
            .updated_ts = is->updated_ts,
        };
    }
    m->resp = (grite_IpcReply_in){
        .ipc_schema_version = WL_SCHEMA_VERSION,
        .request_id = GRITE_STR(WL_REQUEST_ID),
        .response = {
            .tag = GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT,
            .v.IssueListResult = {.issues = {m->issues, WL_ISSUES}, .total = WL_TOTAL},
        },
    };
}

/* ---- reading ---------------------------------------------------------------- */

static uint64_t digest_view(grite_str s) { return digest_str(s.ptr, s.len); }

static uint64_t labels_digest(grite_vec_str labels)
{
    uint64_t d = 0;
    for (uint32_t i = 0; i < labels.len; i++)
        d += digest_view(grite_vec_str_at(labels, i));
    return d;
}

uint64_t grite_req_digest(const grite_IpcRequest *req)
{
    uint64_t d = grite_IpcRequest_ipc_schema_version(req);
    d += digest_view(grite_IpcRequest_request_id(req)) + digest_view(grite_IpcRequest_repo_root(req)) +
         digest_view(grite_IpcRequest_actor_id(req)) + digest_view(grite_IpcRequest_data_dir(req));
    const grite_IpcCommand_IssueCreate *c = grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(req));
    if (c == NULL)
        return 0;
    return d + digest_view(grite_IpcCommand_IssueCreate_title(c)) +
           digest_view(grite_IpcCommand_IssueCreate_body(c)) +
           labels_digest(grite_IpcCommand_IssueCreate_labels(c));
}

uint64_t grite_resp_digest(const grite_IpcReply *resp)
{
    uint64_t d = grite_IpcReply_ipc_schema_version(resp) + digest_view(grite_IpcReply_request_id(resp));
    const grite_IpcResponse_IssueListResult *list =
        grite_IpcResponse_as_IssueListResult(grite_IpcReply_response(resp));
    if (list == NULL)
        return 0;
    d += grite_IpcResponse_IssueListResult_total(list);
    grite_vec_IssueSummary issues = grite_IpcResponse_IssueListResult_issues(list);
    for (uint32_t i = 0; i < issues.len; i++) {
        const grite_IssueSummary *is = grite_vec_IssueSummary_at(issues, i);
        d += digest_view(grite_IssueSummary_issue_id(is)) + digest_view(grite_IssueSummary_title(is));
        d += digest_state(grite_IssueSummary_state(is) == GRITE_ISSUE_STATE_CLOSED);
        d += labels_digest(grite_IssueSummary_labels(is)) + grite_IssueSummary_updated_ts(is);
    }
    return d;
}

/* ---- full comparison ---------------------------------------------------------- */

static bool str_is(grite_str s, const char *want) { return grite_str_eq(s, str_of(want)); }

static bool labels_are(grite_vec_str labels, const char *const *want, size_t n)
{
    if (labels.len != n)
        return false;
    for (uint32_t i = 0; i < labels.len; i++)
        if (!str_is(grite_vec_str_at(labels, i), want[i]))
            return false;
    return true;
}

bool grite_req_matches(const grite_IpcRequest *req, const workload *w)
{
    const grite_IpcCommand_IssueCreate *c = grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(req));
    return c != NULL && grite_IpcRequest_ipc_schema_version(req) == WL_SCHEMA_VERSION &&
           str_is(grite_IpcRequest_request_id(req), WL_REQUEST_ID) &&
           str_is(grite_IpcRequest_repo_root(req), WL_REPO_ROOT) &&
           str_is(grite_IpcRequest_actor_id(req), WL_ACTOR_ID) &&
           str_is(grite_IpcRequest_data_dir(req), WL_DATA_DIR) &&
           str_is(grite_IpcCommand_IssueCreate_title(c), WL_TITLE) &&
           str_is(grite_IpcCommand_IssueCreate_body(c), w->body) &&
           labels_are(grite_IpcCommand_IssueCreate_labels(c), w->req_labels, WL_REQ_LABELS);
}

static bool issue_is(const grite_IssueSummary *is, const wl_issue *want)
{
    grite_IssueState state = want->closed ? GRITE_ISSUE_STATE_CLOSED : GRITE_ISSUE_STATE_OPEN;
    return str_is(grite_IssueSummary_issue_id(is), want->issue_id) &&
           str_is(grite_IssueSummary_title(is), want->title) && grite_IssueSummary_state(is) == state &&
           labels_are(grite_IssueSummary_labels(is), want->labels, want->nlabels) &&
           grite_IssueSummary_updated_ts(is) == want->updated_ts;
}

bool grite_resp_matches(const grite_IpcReply *resp, const workload *w)
{
    const grite_IpcResponse_IssueListResult *list =
        grite_IpcResponse_as_IssueListResult(grite_IpcReply_response(resp));
    if (list == NULL || grite_IpcReply_ipc_schema_version(resp) != WL_SCHEMA_VERSION ||
        !str_is(grite_IpcReply_request_id(resp), WL_REQUEST_ID) ||
        grite_IpcResponse_IssueListResult_total(list) != WL_TOTAL)
        return false;
    grite_vec_IssueSummary issues = grite_IpcResponse_IssueListResult_issues(list);
    if (issues.len != WL_ISSUES)
        return false;
    for (uint32_t i = 0; i < issues.len; i++)
        if (!issue_is(grite_vec_IssueSummary_at(issues, i), &w->issues[i]))
            return false;
    return true;
}

bool grite_resp_check(const grite_IpcReply *resp, uint64_t want_digest, const workload *w, bool verify_all)
{
    return grite_resp_digest(resp) == want_digest && (!verify_all || grite_resp_matches(resp, w));
}

/* ---- the archives --------------------------------------------------------------- */

static uint8_t *copy_out(const grite_buf *b)
{
    uint8_t *p = malloc(b->len ? b->len : 1);
    if (p != NULL)
        memcpy(p, b->data, b->len);
    return p;
}

/* Validate and read back both archives: a codec that cannot is no use
 * measuring. */
static bool wire_reads_back(const grite_buf *req, const grite_buf *resp, const workload *w)
{
    grite_verror err;
    char msg[400];
    if (grite_IpcRequest_validate(req->data, req->len, &err) != 0 ||
        grite_IpcReply_validate(resp->data, resp->len, &err) != 0) {
        grite_verror_format(&err, msg, sizeof msg);
        fprintf(stderr, "grite-bench: a built message does not validate: %s\n", msg);
        return false;
    }
    if (!grite_req_matches(grite_IpcRequest_root(req->data), w) ||
        !grite_resp_matches(grite_IpcReply_root(resp->data), w) ||
        grite_req_digest(grite_IpcRequest_root(req->data)) != workload_req_digest(w) ||
        grite_resp_digest(grite_IpcReply_root(resp->data)) != workload_resp_digest(w)) {
        fprintf(stderr, "grite-bench: a built message reads back different values\n");
        return false;
    }
    return true;
}

bool grite_wire_init(grite_wire *wire, const workload *w)
{
    memset(wire, 0, sizeof *wire);
    grite_msgs m;
    grite_msgs_init(&m, w);
    grite_buf req = {0}, resp = {0};
    int rc = grite_buf_init_growable(&req, 4096, 0);
    if (rc == 0)
        rc = grite_buf_init_growable(&resp, 8192, 0);
    if (rc == 0)
        rc = grite_IpcRequest_build(&req, &m.req);
    if (rc == 0)
        rc = grite_IpcReply_build(&resp, &m.resp);
    bool ok = rc == 0 && wire_reads_back(&req, &resp, w);
    if (rc != 0)
        fprintf(stderr, "grite-bench: cannot build the workload: %s\n", grite_build_strerror(rc));
    if (ok) {
        wire->req = copy_out(&req);
        wire->req_len = req.len;
        wire->resp = copy_out(&resp);
        wire->resp_len = resp.len;
        ok = wire->req != NULL && wire->resp != NULL;
    }
    grite_buf_free(&req);
    grite_buf_free(&resp);
    return ok;
}

void grite_wire_free(grite_wire *wire)
{
    free(wire->req);
    free(wire->resp);
    memset(wire, 0, sizeof *wire);
}
