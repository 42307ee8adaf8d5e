/*
 * messages.c - see messages.h.
 */
#include "messages.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "samples.h"

static int build_request(grite_buf *b, const void *in) { return grite_IpcRequest_build(b, in); }
static int build_reply(grite_buf *b, const void *in) { return grite_IpcReply_build(b, in); }
static int build_notification(grite_buf *b, const void *in)
{
    return grite_Notification_build(b, in);
}
static void in_request(dumper *d, const void *in) { dump_in_IpcRequest(d, in); }
static void in_reply(dumper *d, const void *in) { dump_in_IpcReply(d, in); }
static void in_notification(dumper *d, const void *in) { dump_in_Notification(d, in); }

static message messages[128];
static size_t n_messages;
static const message *bench_req, *bench_resp;

static message *add(const char *root, const char *name, const void *in)
{
    if (n_messages == sizeof messages / sizeof messages[0]) {
        fputs("messages: too many samples\n", stderr);
        abort();
    }
    message *m = &messages[n_messages++];
    snprintf(m->name, sizeof m->name, "%s %s", root, name);
    m->root = root_find(root);
    m->in = in;
    return m;
}

static void add_request(const char *name, const grite_IpcRequest_in *in)
{
    message *m = add("IpcRequest", name, in);
    m->build = build_request;
    m->dump_in = in_request;
}

static void add_reply(const char *name, const grite_IpcReply_in *in)
{
    message *m = add("IpcReply", name, in);
    m->build = build_reply;
    m->dump_in = in_reply;
}

static void init(void)
{
    if (n_messages)
        return;
    size_t n;
    const request_sample *rq = samples_requests(&n);
    for (size_t i = 0; i < n; i++)
        add_request(rq[i].name, &rq[i].in);
    const reply_sample *rp = samples_replies(&n);
    for (size_t i = 0; i < n; i++)
        add_reply(rp[i].name, &rp[i].in);
    const notification_sample *ns = samples_notifications(&n);
    for (size_t i = 0; i < n; i++) {
        message *m = add("Notification", ns[i].name, &ns[i].in);
        m->build = build_notification;
        m->dump_in = in_notification;
    }
    add_request("bench REQ", sample_bench_req());
    bench_req = &messages[n_messages - 1];
    add_reply("bench RESP", sample_bench_resp());
    bench_resp = &messages[n_messages - 1];
}

const message *all_messages(size_t *n)
{
    init();
    *n = n_messages;
    return messages;
}

int message_count(void)
{
    init();
    return (int)n_messages;
}

const message *message_at(int i)
{
    init();
    return &messages[i];
}

const message *bench_req_message(void)
{
    init();
    return bench_req;
}

const message *bench_resp_message(void)
{
    init();
    return bench_resp;
}

const message *find_message(const char *name)
{
    init();
    for (size_t i = 0; i < n_messages; i++)
        if (strcmp(messages[i].name, name) == 0)
            return &messages[i];
    ck_abort_msg("no sample message called '%s'", name);
    return NULL;
}

grite_buf build_message(const message *m)
{
    grite_buf b;
    ck_assert_int_eq(grite_buf_init_growable(&b, 0, 0), GRITE_BUILD_OK);
    int rc = m->build(&b, m->in);
    ck_assert_msg(rc == 0, "%s: build failed: %s", m->name, grite_build_strerror(rc));
    return b;
}

textbuf input_text(const message *m)
{
    dumper d;
    dumper_init(&d, NULL, 0);
    m->dump_in(&d, m->in);
    textbuf t = d.out;
    d.out.text = NULL;
    dumper_free(&d);
    return t;
}
