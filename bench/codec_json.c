/*
 * codec_json.c - the codec figures of cJSON on REQ and RESP.
 */
#include <stdio.h>
#include <stdlib.h>

#include "codec.h"
#include "json_codec.h"

#define JSON_CAP (64u * 1024u)

typedef struct json_ctx {
    const workload *wl;
    char *buf;        /* encoded message */
    size_t len;
    cJSON *tree;      /* the parsed message, for reading */
    char *scratch;    /* where encodes go while timing */
} json_ctx;

static uint64_t encode_req(void *p)
{
    json_ctx *c = p;
    size_t len = 0;
    return json_req_encode(c->wl, c->scratch, JSON_CAP, &len) ? len : 0;
}

static uint64_t encode_resp(void *p)
{
    json_ctx *c = p;
    size_t len = 0;
    return json_resp_encode(c->wl, c->scratch, JSON_CAP, &len) ? len : 0;
}

static uint64_t parse_req(void *p)
{
    json_ctx *c = p;
    cJSON *t = json_req_parse(c->buf, c->len);
    cJSON_Delete(t);
    return t != NULL;
}

static uint64_t parse_resp(void *p)
{
    json_ctx *c = p;
    cJSON *t = json_resp_parse(c->buf, c->len);
    cJSON_Delete(t);
    return t != NULL;
}

static uint64_t read_req(void *p) { return json_req_digest(((json_ctx *)p)->tree); }
static uint64_t read_resp(void *p) { return json_resp_digest(((json_ctx *)p)->tree); }

typedef struct json_message {
    const char *row;
    bool (*encode)(const workload *, char *, size_t, size_t *);
    cJSON *(*parse)(const char *, size_t);
    uint64_t (*digest)(const cJSON *);
    bool (*matches)(const cJSON *, const workload *);
    uint64_t want_digest;
    uint64_t (*time_encode)(void *);
    uint64_t (*time_parse)(void *);
    uint64_t (*time_read)(void *);
} json_message;

static bool bench_message(result_table *t, const json_message *m, json_ctx *c, const codec_plan *plan)
{
    if (!m->encode(c->wl, c->buf, JSON_CAP, &c->len) || (c->tree = m->parse(c->buf, c->len)) == NULL) {
        fprintf(stderr, "grite-bench: %s: cJSON cannot read back what it wrote\n", m->row);
        return false;
    }
    bool ok = m->digest(c->tree) == m->want_digest && (!plan->verify_all || m->matches(c->tree, c->wl));
    if (!ok) {
        fprintf(stderr, "grite-bench: %s: decoded values differ from the workload\n", m->row);
    } else {
        double build = codec_median_ns(plan, m->time_encode, c);
        double validate = codec_median_ns(plan, m->time_parse, c);
        double access = codec_median_ns(plan, m->time_read, c);
        ok = codec_add_row(t, m->row, c->len, build, validate, access);
    }
    cJSON_Delete(c->tree);
    c->tree = NULL;
    return ok;
}

bool bench_codec_json(result_table *t, const workload *w, const codec_plan *plan)
{
    json_ctx c = {w, malloc(JSON_CAP), 0, NULL, malloc(JSON_CAP)};
    const json_message messages[] = {
        {"codec/json/req", json_req_encode, json_req_parse, json_req_digest, json_req_matches,
         workload_req_digest(w), encode_req, parse_req, read_req},
        {"codec/json/resp", json_resp_encode, json_resp_parse, json_resp_digest, json_resp_matches,
         workload_resp_digest(w), encode_resp, parse_resp, read_resp},
    };
    bool ok = c.buf != NULL && c.scratch != NULL;
    for (size_t i = 0; ok && i < sizeof messages / sizeof messages[0]; i++)
        ok = bench_message(t, &messages[i], &c, plan);
    free(c.buf);
    free(c.scratch);
    return ok;
}
