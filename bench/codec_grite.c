/*
 * codec_grite.c - the codec figures of grite-ipc's generated code on REQ
 * and RESP: build into a reused buffer, validate untrusted bytes in full,
 * read every field in place.
 */
#include <stdio.h>
#include <stdlib.h>

#include "codec.h"
#include "grite_msgs.h"

typedef struct grite_ctx {
    grite_msgs msgs;
    grite_buf out;         /* where builds go while timing (warm) */
    grite_wire wire;       /* the archives validated and read */
    grite_verror err;
} grite_ctx;

static uint64_t build_req(void *p)
{
    grite_ctx *c = p;
    return (uint64_t)grite_IpcRequest_build(&c->out, &c->msgs.req) + c->out.len;
}

static uint64_t build_resp(void *p)
{
    grite_ctx *c = p;
    return (uint64_t)grite_IpcReply_build(&c->out, &c->msgs.resp) + c->out.len;
}

static uint64_t validate_req(void *p)
{
    grite_ctx *c = p;
    return (uint64_t)grite_IpcRequest_validate(c->wire.req, c->wire.req_len, &c->err);
}

static uint64_t validate_resp(void *p)
{
    grite_ctx *c = p;
    return (uint64_t)grite_IpcReply_validate(c->wire.resp, c->wire.resp_len, &c->err);
}

static uint64_t read_req(void *p) { return grite_req_digest(grite_IpcRequest_root(((grite_ctx *)p)->wire.req)); }

static uint64_t read_resp(void *p) { return grite_resp_digest(grite_IpcReply_root(((grite_ctx *)p)->wire.resp)); }

/* Each operation is timed with a constant function, so codec_median_ns
 * inlines it into the batch loop: the figures are the code's, not the
 * harness's. */
bool bench_codec_grite(result_table *t, const workload *w, const codec_plan *plan)
{
    grite_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return false;
    grite_msgs_init(&c->msgs, w);
    /* grite_wire_init checks both archives validate and read back intact. */
    bool ok = grite_buf_init_growable(&c->out, 8192, 0) == 0 && grite_wire_init(&c->wire, w);
    if (ok) {
        double b = codec_median_ns(plan, build_req, c);
        double v = codec_median_ns(plan, validate_req, c);
        double r = codec_median_ns(plan, read_req, c);
        ok = codec_add_row(t, "codec/grite/req", c->wire.req_len, b, v, r);
        b = codec_median_ns(plan, build_resp, c);
        v = codec_median_ns(plan, validate_resp, c);
        r = codec_median_ns(plan, read_resp, c);
        ok = ok && codec_add_row(t, "codec/grite/resp", c->wire.resp_len, b, v, r);
    }
    grite_wire_free(&c->wire);
    grite_buf_free(&c->out);
    free(c);
    return ok;
}
