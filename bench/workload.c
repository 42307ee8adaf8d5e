/*
 * workload.c - the values of REQ and RESP, built once at start-up.
 */
#include "workload.h"

#include <stdio.h>
#include <string.h>

static const char *const REQ_LABELS[WL_REQ_LABELS] = {"bug", "daemon", "p1"};
static const char *const EVEN_LABELS[] = {"bug", "p2"};
static const char *const ODD_LABELS[] = {"feature"};

static const char BODY_SENTENCE[] =
    "When the laptop resumes from suspend the daemon heartbeat is late and a second daemon starts. ";

void workload_init(workload *w)
{
    memset(w, 0, sizeof *w);
    size_t sentence = sizeof BODY_SENTENCE - 1;
    for (size_t i = 0; i < WL_BODY_LEN; i++)
        w->body[i] = BODY_SENTENCE[i % sentence];
    w->body[WL_BODY_LEN] = '\0';
    w->req_labels = REQ_LABELS;
    for (unsigned i = 0; i < WL_ISSUES; i++) {
        wl_issue *is = &w->issues[i];
        snprintf(is->issue_id, sizeof is->issue_id, "%032x", i + 1);
        snprintf(is->title, sizeof is->title, "Issue number %u about the daemon", i);
        is->closed = i % 3 == 0;
        is->labels = i % 2 == 0 ? EVEN_LABELS : ODD_LABELS;
        is->nlabels = i % 2 == 0 ? 2 : 1;
        is->updated_ts = WL_TS_BASE + (uint64_t)i * 1000u;
    }
}

static uint64_t digest_cstr(const char *s) { return digest_str(s, strlen(s)); }

uint64_t workload_req_digest(const workload *w)
{
    uint64_t d = WL_SCHEMA_VERSION;
    d += digest_cstr(WL_REQUEST_ID) + digest_cstr(WL_REPO_ROOT) + digest_cstr(WL_ACTOR_ID) +
         digest_cstr(WL_DATA_DIR);
    d += digest_cstr(WL_TITLE) + digest_cstr(w->body);
    for (size_t i = 0; i < WL_REQ_LABELS; i++)
        d += digest_cstr(w->req_labels[i]);
    return d;
}

uint64_t workload_resp_digest(const workload *w)
{
    uint64_t d = WL_SCHEMA_VERSION + digest_cstr(WL_REQUEST_ID) + WL_TOTAL;
    for (size_t i = 0; i < WL_ISSUES; i++) {
        const wl_issue *is = &w->issues[i];
        d += digest_cstr(is->issue_id) + digest_cstr(is->title) + digest_state(is->closed);
        for (size_t k = 0; k < is->nlabels; k++)
            d += digest_cstr(is->labels[k]);
        d += is->updated_ts;
    }
    return d;
}
