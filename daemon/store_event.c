/* store_event.c - events and their binary encoding, the payload of one log
 * record (docs/STORE.md, "Record payload"). Decoding treats the bytes as
 * hostile: every length is bounded by what is left, every text obeys the
 * rules of store.h, and nothing may be left over. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

#define EVENT_FORMAT 1
#define UPDATE_TITLE 1u
#define UPDATE_BODY 2u

/* ---- encoding ---- */

static bool put_text(struct buf *out, struct text_ref t)
{
    return store_buf_put_u32(out, (uint32_t)t.len) && store_buf_put(out, t.ptr, t.len);
}

static bool encode_body(const struct event *ev, struct buf *out)
{
    switch (ev->kind) {
    case EV_CREATE: {
        bool ok = put_text(out, ev->title) && put_text(out, ev->body) &&
                  store_buf_put_u8(out, (uint8_t)ev->label_count);
        for (size_t i = 0; ok && i < ev->label_count; i++)
            ok = put_text(out, ev->labels[i]);
        return ok;
    }
    case EV_UPDATE: {
        uint8_t fields = (uint8_t)((ev->has_title ? UPDATE_TITLE : 0) |
                                   (ev->has_body ? UPDATE_BODY : 0));
        return store_buf_put_u8(out, fields) && (!ev->has_title || put_text(out, ev->title)) &&
               (!ev->has_body || put_text(out, ev->body));
    }
    case EV_STATE:
        return store_buf_put_u8(out, (uint8_t)ev->state);
    case EV_COMMENT:
    case EV_LABEL:
        return put_text(out, ev->text);
    case EV_ASSIGN:
        return store_buf_put(out, ev->assignee, ID_BYTES);
    }
    return false;
}

bool store_event_encode(const struct event *ev, struct buf *out)
{
    return store_buf_put_u8(out, EVENT_FORMAT) && store_buf_put_u8(out, (uint8_t)ev->kind) &&
           store_buf_put(out, ev->event_id, ID_BYTES) && store_buf_put(out, ev->actor, ID_BYTES) &&
           store_buf_put_u64(out, ev->ts) && store_buf_put(out, ev->issue_id, ID_BYTES) &&
           encode_body(ev, out);
}

/* ---- decoding ---- */

struct reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    char *why;
    size_t why_len;
    bool failed;
};

static bool fail(struct reader *r, const char *what)
{
    if (!r->failed)
        snprintf(r->why, r->why_len, "%s (payload byte %zu)", what, r->pos);
    r->failed = true;
    return false;
}

static bool take(struct reader *r, void *out, size_t n, const char *what)
{
    if (r->failed)
        return false;
    if (n > r->len - r->pos)
        return fail(r, what);
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
    return true;
}

static uint8_t take_u8(struct reader *r, const char *what)
{
    uint8_t v = 0;
    take(r, &v, 1, what);
    return v;
}

typedef const char *(*text_rule)(const char *, size_t, text_reason);

/* A u32 length, then that many bytes obeying `rule`. */
static bool take_text(struct reader *r, struct text_ref *t, const char *name, text_rule rule)
{
    uint8_t le[4];
    char what[64];
    snprintf(what, sizeof what, "%s length cut short", name);
    if (!take(r, le, sizeof le, what))
        return false;
    uint32_t n = store_load_u32(le);
    if (n > r->len - r->pos) {
        snprintf(what, sizeof what, "%s length %u runs past the record", name, n);
        return fail(r, what);
    }
    t->ptr = (const char *)(r->p + r->pos);
    t->len = n;
    text_reason scratch;
    const char *bad = rule(t->ptr, t->len, scratch);
    if (bad != NULL) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s %s", name, bad);
        return fail(r, msg);
    }
    r->pos += n;
    return true;
}

static bool decode_create(struct reader *r, struct event *ev)
{
    if (!take_text(r, &ev->title, "title", store_check_title) ||
        !take_text(r, &ev->body, "body", store_check_body))
        return false;
    uint8_t count = take_u8(r, "label count cut short");
    if (count > GRITE_LABELS_MAX)
        return fail(r, "too many labels");
    ev->label_count = count;
    for (size_t i = 0; i < count; i++)
        if (!take_text(r, &ev->labels[i], "label", store_check_label))
            return false;
    return !r->failed;
}

static bool decode_update(struct reader *r, struct event *ev)
{
    uint8_t fields = take_u8(r, "update fields cut short");
    if (r->failed)
        return false;
    if (fields == 0 || (fields & ~(UPDATE_TITLE | UPDATE_BODY)) != 0)
        return fail(r, "bad update fields");
    ev->has_title = (fields & UPDATE_TITLE) != 0;
    ev->has_body = (fields & UPDATE_BODY) != 0;
    return (!ev->has_title || take_text(r, &ev->title, "title", store_check_title)) &&
           (!ev->has_body || take_text(r, &ev->body, "body", store_check_body));
}

static bool decode_body(struct reader *r, struct event *ev)
{
    switch (ev->kind) {
    case EV_CREATE:
        return decode_create(r, ev);
    case EV_UPDATE:
        return decode_update(r, ev);
    case EV_STATE: {
        uint8_t state = take_u8(r, "state cut short");
        if (!r->failed && state > GRITE_ISSUE_CLOSED)
            return fail(r, "bad issue state");
        ev->state = (enum grite_issue_state)state;
        return !r->failed;
    }
    case EV_COMMENT:
        return take_text(r, &ev->text, "comment", store_check_comment);
    case EV_LABEL:
        return take_text(r, &ev->text, "label", store_check_label);
    case EV_ASSIGN:
        return take(r, ev->assignee, ID_BYTES, "assignee cut short");
    }
    return fail(r, "unknown event kind");
}

const char *store_event_decode(const uint8_t *payload, size_t len, struct event *ev, char *why,
                               size_t why_len)
{
    struct reader r = {payload, len, 0, why, why_len, false};
    memset(ev, 0, sizeof *ev);
    uint8_t format = take_u8(&r, "record too short");
    if (!r.failed && format != EVENT_FORMAT)
        fail(&r, "unknown event format");
    ev->kind = (enum event_kind)take_u8(&r, "record too short");
    uint8_t ts_le[8];
    take(&r, ev->event_id, ID_BYTES, "record too short");
    take(&r, ev->actor, ID_BYTES, "record too short");
    take(&r, ts_le, sizeof ts_le, "record too short");
    take(&r, ev->issue_id, ID_BYTES, "record too short");
    if (r.failed)
        return why;
    ev->ts = store_load_u64(ts_le);
    if (ev->ts > EVENT_TS_MAX)
        fail(&r, "timestamp out of range");
    else if (decode_body(&r, ev) && r.pos != r.len)
        fail(&r, "bytes left over after the event");
    return r.failed ? why : NULL;
}

const char *store_event_kind_name(const struct event *ev)
{
    switch (ev->kind) {
    case EV_CREATE: return "issue_created";
    case EV_UPDATE: return "issue_updated";
    case EV_STATE: return ev->state == GRITE_ISSUE_CLOSED ? "issue_closed" : "issue_reopened";
    case EV_COMMENT: return "comment_added";
    case EV_LABEL: return "label_added";
    case EV_ASSIGN: return "assignee_added";
    }
    return "unknown";
}
