/* store_issue.c - the issue operations of store.h. Each write checks its
 * arguments, takes the store lock (which also brings the index up to
 * date), checks the issue, builds one event and commits it: on disk and
 * fsync'ed before the index changes and before the call returns. */
#include <string.h>

#include "store_internal.h"

/* ---- argument checks ---- */

static enum grite_store_status check_text(const char *what, const char *text,
                                          const char *(*rule)(const char *, size_t, text_reason),
                                          struct grite_store_error *err)
{
    if (text == NULL)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "%s is missing", what);
    text_reason scratch;
    const char *why = rule(text, strlen(text), scratch);
    if (why != NULL)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "%s %s", what, why);
    return GRITE_STORE_OK;
}

static enum grite_store_status parse_issue_id(const char *hex, uint8_t id[ID_BYTES],
                                              struct grite_store_error *err)
{
    if (!store_id_from_hex(id, hex))
        return store_fail(err, GRITE_STORE_INVALID_ARGS,
                          "issue id must be 32 lowercase hex digits");
    return GRITE_STORE_OK;
}

static struct text_ref ref(const char *s)
{
    struct text_ref t = {s, strlen(s)};
    return t;
}

/* ---- the write path ---- */

/* How every edit of an issue starts: `err` cleared, and a blank event of
 * `kind` for the issue `issue_id` names (INVALID_ARGS if it is malformed). */
static enum grite_store_status begin_edit(struct event *ev, enum event_kind kind,
                                          const char *issue_id, struct grite_store_error *err)
{
    store_error_clear(err);
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    return parse_issue_id(issue_id, ev->issue_id, err);
}

/* Takes the write lock and finds the issue (NOT_FOUND unlocks again). */
static enum grite_store_status lock_issue(grite_store *s, const uint8_t id[ID_BYTES],
                                          struct store_issue **out,
                                          struct grite_store_error *err)
{
    enum grite_store_status rc = store_lock_for_write(s, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    *out = store_index_find(&s->ix, id);
    if (*out != NULL)
        return GRITE_STORE_OK;
    store_unlock(s);
    char hex[GRITE_ID_HEX_LEN + 1];
    store_hex_from_id(hex, id);
    return store_fail(err, GRITE_STORE_NOT_FOUND, "no issue %s", hex);
}

/* Gives `ev` a fresh id, our actor, and a timestamp later than `issue`'s. */
static enum grite_store_status stamp_event(grite_store *s, struct event *ev,
                                           const struct store_issue *issue,
                                           struct grite_store_error *err)
{
    int rc = store_random_id(ev->event_id);
    if (rc != 0)
        return store_fail_errno(err, rc, "", "getrandom failed");
    memcpy(ev->actor, s->actor, ID_BYTES);
    ev->ts = store_next_ts(s, issue);
    return GRITE_STORE_OK;
}

/* Stamps, encodes and commits one event; the caller holds the lock and
 * releases it afterwards. */
static enum grite_store_status commit_one(grite_store *s, struct event *ev,
                                          const struct store_issue *issue,
                                          struct grite_store_error *err)
{
    enum grite_store_status rc = stamp_event(s, ev, issue, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct buf payload = {0}, record = {0};
    if (!store_event_encode(ev, &payload) || !store_log_frame(&record, payload.data, payload.len))
        rc = store_fail_nomem(err);
    else if (payload.len > RECORD_PAYLOAD_MAX)
        rc = store_fail(err, GRITE_STORE_INVALID_ARGS, "the event is too large to store");
    if (rc == GRITE_STORE_OK)
        rc = store_commit(s, &record, GRITE_EVENT_LOCAL, err);
    store_buf_free(&payload);
    store_buf_free(&record);
    return rc;
}

/* ---- create ---- */

static enum grite_store_status check_create(const char *title, const char *body,
                                            const char *const *labels, size_t label_count,
                                            struct grite_store_error *err)
{
    enum grite_store_status rc = check_text("title", title, store_check_title, err);
    if (rc == GRITE_STORE_OK && body != NULL)
        rc = check_text("body", body, store_check_body, err);
    if (rc == GRITE_STORE_OK && label_count > GRITE_LABELS_MAX)
        rc = store_fail(err, GRITE_STORE_INVALID_ARGS, "%zu labels, more than the %d allowed",
                        label_count, GRITE_LABELS_MAX);
    if (rc == GRITE_STORE_OK && label_count != 0 && labels == NULL)
        rc = store_fail(err, GRITE_STORE_INVALID_ARGS, "labels are missing");
    for (size_t i = 0; rc == GRITE_STORE_OK && i < label_count; i++)
        rc = check_text("label", labels[i], store_check_label, err);
    return rc;
}

/* Copies the labels into the event, folding duplicates. */
static void set_labels(struct event *ev, const char *const *labels, size_t label_count)
{
    for (size_t i = 0; i < label_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < ev->label_count && !seen; j++)
            seen = strcmp(ev->labels[j].ptr, labels[i]) == 0;
        if (!seen)
            ev->labels[ev->label_count++] = ref(labels[i]);
    }
}

enum grite_store_status grite_store_issue_create(grite_store *s, const char *title,
                                                 const char *body,
                                                 const char *const *labels, size_t label_count,
                                                 struct grite_created *out,
                                                 struct grite_store_error *err)
{
    store_error_clear(err);
    enum grite_store_status rc = check_create(title, body, labels, label_count, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    struct event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_CREATE;
    ev.title = ref(title);
    ev.body = ref(body != NULL ? body : "");
    set_labels(&ev, labels, label_count);
    rc = store_lock_for_write(s, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    do { /* 128 random bits: a clash is next to impossible, but cheap to rule out */
        int r = store_random_id(ev.issue_id);
        if (r != 0) {
            store_unlock(s);
            return store_fail_errno(err, r, "", "getrandom failed");
        }
    } while (store_index_find(&s->ix, ev.issue_id) != NULL);
    rc = commit_one(s, &ev, NULL, err);
    store_unlock(s);
    if (rc == GRITE_STORE_OK && out != NULL) {
        store_hex_from_id(out->issue_id, ev.issue_id);
        out->created_ts = ev.ts;
    }
    return rc;
}

/* ---- reads ---- */

enum grite_store_status grite_store_issue_show(grite_store *s, const char *issue_id,
                                               const struct grite_issue **out,
                                               struct grite_store_error *err)
{
    store_error_clear(err);
    uint8_t id[ID_BYTES];
    enum grite_store_status rc = parse_issue_id(issue_id, id, err);
    if (rc == GRITE_STORE_OK)
        rc = store_refresh(s, HELD_NONE, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    const struct store_issue *si = store_index_find(&s->ix, id);
    if (si == NULL)
        return store_fail(err, GRITE_STORE_NOT_FOUND, "no issue %s", issue_id);
    *out = &si->pub;
    return GRITE_STORE_OK;
}

enum grite_store_status grite_store_list(grite_store *s, const struct grite_issue_filter *filter,
                                         struct grite_issue_page *page,
                                         struct grite_store_error *err)
{
    store_error_clear(err);
    enum grite_store_status rc = store_refresh(s, HELD_NONE, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    return store_query_list(&s->ix, filter, &s->page, &s->page_cap, page, err);
}

/* ---- edits ---- */

enum grite_store_status grite_store_issue_update(grite_store *s, const char *issue_id,
                                                 const char *title, const char *body,
                                                 uint64_t *updated_ts,
                                                 struct grite_store_error *err)
{
    struct event ev;
    enum grite_store_status rc = begin_edit(&ev, EV_UPDATE, issue_id, err);
    if (rc == GRITE_STORE_OK && title == NULL && body == NULL)
        rc = store_fail(err, GRITE_STORE_INVALID_ARGS, "nothing to update: no title or body");
    if (rc == GRITE_STORE_OK && title != NULL)
        rc = check_text("title", title, store_check_title, err);
    if (rc == GRITE_STORE_OK && body != NULL)
        rc = check_text("body", body, store_check_body, err);
    struct store_issue *si;
    if (rc == GRITE_STORE_OK)
        rc = lock_issue(s, ev.issue_id, &si, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    ev.has_title = title != NULL;
    ev.has_body = body != NULL;
    if (ev.has_title)
        ev.title = ref(title);
    if (ev.has_body)
        ev.body = ref(body);
    rc = commit_one(s, &ev, si, err);
    store_unlock(s);
    if (rc == GRITE_STORE_OK && updated_ts != NULL)
        *updated_ts = si->pub.updated_ts;
    return rc;
}

static enum grite_store_status set_state(grite_store *s, const char *issue_id,
                                         enum grite_issue_state state,
                                         struct grite_state_result *out,
                                         struct grite_store_error *err)
{
    struct event ev;
    struct store_issue *si;
    enum grite_store_status rc = begin_edit(&ev, EV_STATE, issue_id, err);
    if (rc == GRITE_STORE_OK)
        rc = lock_issue(s, ev.issue_id, &si, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    bool changed = si->pub.state != state;
    if (changed) {
        ev.state = state;
        rc = commit_one(s, &ev, si, err);
    }
    store_unlock(s);
    if (rc == GRITE_STORE_OK && out != NULL) {
        out->state = si->pub.state;
        out->updated_ts = si->pub.updated_ts;
        out->changed = changed;
    }
    return rc;
}

enum grite_store_status grite_store_issue_close(grite_store *s, const char *issue_id,
                                                struct grite_state_result *out,
                                                struct grite_store_error *err)
{
    return set_state(s, issue_id, GRITE_ISSUE_CLOSED, out, err);
}

enum grite_store_status grite_store_issue_reopen(grite_store *s, const char *issue_id,
                                                 struct grite_state_result *out,
                                                 struct grite_store_error *err)
{
    return set_state(s, issue_id, GRITE_ISSUE_OPEN, out, err);
}

enum grite_store_status grite_store_issue_comment(grite_store *s, const char *issue_id,
                                                  const char *body,
                                                  struct grite_commented *out,
                                                  struct grite_store_error *err)
{
    struct event ev;
    struct store_issue *si;
    enum grite_store_status rc = begin_edit(&ev, EV_COMMENT, issue_id, err);
    if (rc == GRITE_STORE_OK)
        rc = check_text("comment", body, store_check_comment, err);
    if (rc == GRITE_STORE_OK)
        rc = lock_issue(s, ev.issue_id, &si, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    ev.text = ref(body);
    rc = commit_one(s, &ev, si, err);
    store_unlock(s);
    if (rc == GRITE_STORE_OK && out != NULL) {
        store_hex_from_id(out->comment_id, ev.event_id);
        out->created_ts = ev.ts;
    }
    return rc;
}

static bool contains(char *const *items, size_t count, const char *text)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i], text) == 0)
            return true;
    return false;
}

/* Adds `text` to the issue's labels (EV_LABEL) or assignees (EV_ASSIGN). */
static enum grite_store_status add_to_set(grite_store *s, const char *issue_id,
                                          enum event_kind kind, const char *text,
                                          uint64_t *updated_ts, struct grite_store_error *err)
{
    struct event ev;
    struct store_issue *si;
    enum grite_store_status rc = begin_edit(&ev, kind, issue_id, err);
    if (rc == GRITE_STORE_OK && kind == EV_LABEL)
        rc = check_text("label", text, store_check_label, err);
    if (rc == GRITE_STORE_OK && kind == EV_ASSIGN && !store_id_from_hex(ev.assignee, text))
        rc = store_fail(err, GRITE_STORE_INVALID_ARGS,
                        "assignee must be an actor id: 32 lowercase hex digits");
    if (rc == GRITE_STORE_OK)
        rc = lock_issue(s, ev.issue_id, &si, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    bool present = kind == EV_LABEL ? contains(si->pub.labels, si->pub.label_count, text)
                                    : contains(si->pub.assignees, si->pub.assignee_count, text);
    if (!present) {
        ev.text = ref(text);
        rc = commit_one(s, &ev, si, err);
    }
    store_unlock(s);
    if (rc == GRITE_STORE_OK && updated_ts != NULL)
        *updated_ts = si->pub.updated_ts;
    return rc;
}

enum grite_store_status grite_store_issue_add_label(grite_store *s, const char *issue_id,
                                                    const char *label, uint64_t *updated_ts,
                                                    struct grite_store_error *err)
{
    return add_to_set(s, issue_id, EV_LABEL, label, updated_ts, err);
}

enum grite_store_status grite_store_issue_assign(grite_store *s, const char *issue_id,
                                                 const char *actor_id, uint64_t *updated_ts,
                                                 struct grite_store_error *err)
{
    return add_to_set(s, issue_id, EV_ASSIGN, actor_id, updated_ts, err);
}
