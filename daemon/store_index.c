/* store_index.c - the in-memory index and the merge rules.
 *
 * Applying an event is commutative across events of different writers,
 * which is what lets two stores that exchanged events agree:
 *   - title, body and state are last-writer-wins registers, ordered by
 *     the stamp (ts, actor id, event id): unique, so there are no ties;
 *   - labels, assignees and comments only grow (set unions);
 *   - updated_ts is the largest ts applied, created_ts/author come from
 *     the smallest create stamp;
 *   - an event id applied once is never applied again.
 * The only order that matters is causal: an issue's create comes before
 * its other events in every log, which replay and sync both check.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* ---- stamps ---- */

static struct stamp stamp_of(const struct event *ev)
{
    struct stamp st;
    st.ts = ev->ts;
    memcpy(st.actor, ev->actor, ID_BYTES);
    memcpy(st.event_id, ev->event_id, ID_BYTES);
    return st;
}

static int stamp_cmp(const struct stamp *a, const struct stamp *b)
{
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    int c = memcmp(a->actor, b->actor, ID_BYTES);
    return c != 0 ? c : memcmp(a->event_id, b->event_id, ID_BYTES);
}

/* ---- lifecycle ---- */

bool store_index_init(struct index *ix)
{
    memset(ix, 0, sizeof *ix);
    uint8_t seeds[ID_BYTES];
    if (store_random_id(seeds) != 0)
        return false;
    uint64_t a, b;
    memcpy(&a, seeds, 8);
    memcpy(&b, seeds + 8, 8);
    store_idmap_init(&ix->by_id, a);
    store_idmap_init(&ix->events, b);
    return true;
}

static void free_strings(char **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(items[i]);
    free(items);
}

static void free_issue(struct store_issue *si)
{
    free(si->pub.title);
    free(si->pub.body);
    free_strings(si->pub.labels, si->pub.label_count);
    free_strings(si->pub.assignees, si->pub.assignee_count);
    for (size_t i = 0; i < si->pub.comment_count; i++)
        free(si->pub.comments[i].body);
    free(si->pub.comments);
    free(si);
}

void store_index_free(struct index *ix)
{
    for (size_t i = 0; i < ix->issue_count; i++)
        free_issue(ix->issues[i]);
    free(ix->issues);
    free(ix->order);
    store_idmap_free(&ix->by_id);
    store_idmap_free(&ix->events);
    memset(ix, 0, sizeof *ix);
}

struct store_issue *store_index_find(const struct index *ix, const uint8_t id[ID_BYTES])
{
    const uint32_t *pos = store_idmap_get(&ix->by_id, id);
    return pos != NULL ? ix->issues[*pos] : NULL;
}

bool store_index_has_event(const struct index *ix, const uint8_t event_id[ID_BYTES])
{
    return store_idmap_get(&ix->events, event_id) != NULL;
}

/* ---- small helpers ---- */

static char *dup_text(struct text_ref t)
{
    char *s = malloc(t.len + 1);
    if (s != NULL) {
        memcpy(s, t.ptr, t.len);
        s[t.len] = '\0';
    }
    return s;
}

/* strcmp order between a C string and a counted text. */
static int text_cmp(const char *s, struct text_ref t)
{
    size_t n = strlen(s);
    int c = memcmp(s, t.ptr, n < t.len ? n : t.len);
    if (c != 0)
        return c;
    return n < t.len ? -1 : (n > t.len ? 1 : 0);
}

/* Replaces *field with `t` when `st` is newer than *at. false: no memory. */
static bool lww_set(char **field, struct stamp *at, const struct stamp *st, struct text_ref t)
{
    if (stamp_cmp(st, at) <= 0)
        return true;
    char *copy = dup_text(t);
    if (copy == NULL)
        return false;
    free(*field);
    *field = copy;
    *at = *st;
    return true;
}

/* ---- sorted arrays, filled a batch at a time ----
 *
 * An issue's labels, assignees and comments are sorted arrays. Applying an
 * event only appends to them; store_index_settle then sorts what a batch
 * of events appended and merges it with what was there, moving only the
 * entries that sort after the first new one. A log therefore replays in
 * O(n log n) whatever order it brings its entries in, where moving each
 * entry into place as it came cost O(n) apiece (a log with 100,000
 * comments newest first took 8 s to open). A live edit is a batch of one
 * event: its entry goes straight into place, as before.
 *
 * Both orders are strict: no two comments share a comment id (an event is
 * applied once) and a set holds each string once. So the result is the
 * one sorted sequence of the entries, whatever order they came in and
 * however the sort treats ties. (glibc's qsort is a merge sort, O(n log n)
 * on any input; only when it cannot allocate does it fall back to an
 * in-place quicksort.)
 */

typedef int (*entry_cmp)(const void *, const void *);

/* Merges the sorted runs items[0..head) and items[head..n) of `size`-byte
 * entries, no two equal. false: no memory for the copy of the second run
 * (both runs are left as they were). */
static bool merge_runs(void *items, size_t head, size_t n, size_t size, entry_cmp cmp)
{
    uint8_t *a = items;
    if (head == 0 || head == n || cmp(a + (head - 1) * size, a + head * size) < 0)
        return true; /* the new entries all sort last: the usual case */
    size_t tail = n - head;
    uint8_t *copy = malloc(tail * size);
    if (copy == NULL)
        return false;
    memcpy(copy, a + head * size, tail * size);
    /* From the back, so each entry moves once; a[0..i) never moves. */
    size_t i = head, j = tail, k = n;
    while (j > 0) {
        const uint8_t *from;
        if (i > 0 && cmp(a + (i - 1) * size, copy + (j - 1) * size) > 0)
            from = a + --i * size;
        else
            from = copy + --j * size;
        memcpy(a + --k * size, from, size);
    }
    free(copy);
    return true;
}

static int string_entry_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether items[0..sorted) holds `t` (binary search). */
static bool set_holds(char *const *items, size_t sorted, struct text_ref t)
{
    size_t lo = 0, hi = sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = text_cmp(items[mid], t);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Adds `t` to a set of strings sorted up to `sorted`: appended after the
 * sorted part unless that holds it already. false: no memory. */
static bool set_add(char ***items, size_t *count, size_t *cap, size_t sorted, struct text_ref t)
{
    if (set_holds(*items, sorted, t))
        return true;
    if (*count == *cap) {
        size_t new_cap = *cap != 0 ? *cap * 2 : 4;
        char **grown = realloc(*items, new_cap * sizeof *grown);
        if (grown == NULL)
            return false;
        *items = grown;
        *cap = new_cap;
    }
    char *copy = dup_text(t);
    if (copy == NULL)
        return false;
    (*items)[(*count)++] = copy;
    return true;
}

/* Drops repeats from the sorted items[0..n); returns how many are left. */
static size_t drop_repeats(char **items, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept > 0 && strcmp(items[kept - 1], items[i]) == 0)
            free(items[i]);
        else
            items[kept++] = items[i];
    }
    return kept;
}

/* Sorts a set's appended strings in: items[*sorted..*count) get sorted,
 * freed of repeats (the sorted part holds none of them) and merged. */
static bool settle_set(char **items, size_t *count, size_t *sorted)
{
    size_t head = *sorted;
    if (head == *count)
        return true;
    qsort(items + head, *count - head, sizeof *items, string_entry_cmp);
    *count = head + drop_repeats(items + head, *count - head);
    if (!merge_runs(items, head, *count, sizeof *items, string_entry_cmp))
        return false;
    *sorted = *count;
    return true;
}

/* Comments: (created_ts, author, comment id); the hex ids compare as the
 * ids do. */
static int comment_cmp(const struct grite_comment *a, const struct grite_comment *b)
{
    if (a->created_ts != b->created_ts)
        return a->created_ts < b->created_ts ? -1 : 1;
    int c = strcmp(a->author, b->author);
    return c != 0 ? c : strcmp(a->comment_id, b->comment_id);
}

static int comment_entry_cmp(const void *a, const void *b)
{
    return comment_cmp(a, b);
}

static bool settle_comments(struct store_issue *si)
{
    struct grite_issue *is = &si->pub;
    size_t head = si->comments_sorted, n = is->comment_count;
    if (head == n)
        return true;
    qsort(is->comments + head, n - head, sizeof *is->comments, comment_entry_cmp);
    if (!merge_runs(is->comments, head, n, sizeof *is->comments, comment_entry_cmp))
        return false;
    si->comments_sorted = n;
    return true;
}

static bool has_unsorted_entries(const struct store_issue *si)
{
    return si->labels_sorted != si->pub.label_count ||
           si->assignees_sorted != si->pub.assignee_count ||
           si->comments_sorted != si->pub.comment_count;
}

/* Puts `si` on the list store_index_settle works through, if an event
 * appended to it. */
static void note_appended(struct index *ix, struct store_issue *si)
{
    if (si->unsettled || !has_unsorted_entries(si))
        return;
    si->unsettled = true;
    si->next_unsettled = ix->unsettled;
    ix->unsettled = si;
}

bool store_index_settle(struct index *ix)
{
    while (ix->unsettled != NULL) {
        struct store_issue *si = ix->unsettled;
        struct grite_issue *is = &si->pub;
        if (!settle_set(is->labels, &is->label_count, &si->labels_sorted) ||
            !settle_set(is->assignees, &is->assignee_count, &si->assignees_sorted) ||
            !settle_comments(si))
            return false; /* it stays on the list */
        ix->unsettled = si->next_unsettled;
        si->next_unsettled = NULL;
        si->unsettled = false;
    }
    return true;
}

/* ---- the list order: updated_ts descending, then issue id ascending ---- */

static int order_key_cmp(uint64_t ts, const uint8_t id[ID_BYTES], const struct store_issue *b)
{
    if (ts != b->pub.updated_ts)
        return ts > b->pub.updated_ts ? -1 : 1;
    return memcmp(id, b->id, ID_BYTES);
}

static int order_cmp(const void *pa, const void *pb)
{
    const struct store_issue *a = *(const struct store_issue *const *)pa;
    const struct store_issue *b = *(const struct store_issue *const *)pb;
    return order_key_cmp(a->pub.updated_ts, a->id, b);
}

/* First position in order[0..n) not before the key. */
static size_t order_search(const struct index *ix, size_t n, uint64_t ts,
                           const uint8_t id[ID_BYTES])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (order_key_cmp(ts, id, ix->order[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Inserts `si` into order[0..n) (capacity grows with the issues array). */
static void order_insert(struct index *ix, size_t n, struct store_issue *si)
{
    size_t at = order_search(ix, n, si->pub.updated_ts, si->id);
    memmove(ix->order + at + 1, ix->order + at, (n - at) * sizeof *ix->order);
    ix->order[at] = si;
}

/* Sets si's updated_ts, moving it to its new place in the order. */
static void set_updated_ts(struct index *ix, struct store_issue *si, uint64_t ts)
{
    if (!ix->order_valid) {
        si->pub.updated_ts = ts;
        return;
    }
    size_t n = ix->issue_count; /* find it while its key is still the old one */
    size_t at = order_search(ix, n, si->pub.updated_ts, si->id);
    memmove(ix->order + at, ix->order + at + 1, (n - at - 1) * sizeof *ix->order);
    si->pub.updated_ts = ts;
    order_insert(ix, n - 1, si);
}

void store_index_sort_order(struct index *ix)
{
    if (ix->order_valid)
        return;
    if (ix->issue_count != 0) {
        memcpy(ix->order, ix->issues, ix->issue_count * sizeof *ix->order);
        qsort(ix->order, ix->issue_count, sizeof *ix->order, order_cmp);
    }
    ix->order_valid = true;
}

/* ---- applying events ---- */

static bool grow_issue_arrays(struct index *ix)
{
    if (ix->issue_count < ix->issue_cap)
        return true;
    size_t cap = ix->issue_cap != 0 ? ix->issue_cap * 2 : 16;
    struct store_issue **issues = realloc(ix->issues, cap * sizeof *issues);
    if (issues == NULL)
        return false;
    ix->issues = issues;
    struct store_issue **order = realloc(ix->order, cap * sizeof *order);
    if (order == NULL)
        return false;
    ix->order = order;
    ix->issue_cap = cap;
    return true;
}

static bool add_label(struct store_issue *si, struct text_ref label)
{
    return set_add(&si->pub.labels, &si->pub.label_count, &si->labels_cap, si->labels_sorted,
                   label);
}

static bool add_labels(struct store_issue *si, const struct event *ev)
{
    for (size_t i = 0; i < ev->label_count; i++)
        if (!add_label(si, ev->labels[i]))
            return false;
    return true;
}

static enum apply_result create_issue(struct index *ix, const struct event *ev)
{
    if (ix->issue_count >= UINT32_MAX || !grow_issue_arrays(ix))
        return APPLY_NOMEM;
    struct store_issue *si = calloc(1, sizeof *si);
    if (si == NULL)
        return APPLY_NOMEM;
    memcpy(si->id, ev->issue_id, ID_BYTES);
    store_hex_from_id(si->pub.issue_id, ev->issue_id);
    store_hex_from_id(si->pub.author, ev->actor);
    si->pub.title = dup_text(ev->title);
    si->pub.body = dup_text(ev->body);
    si->pub.state = GRITE_ISSUE_OPEN;
    si->pub.created_ts = si->pub.updated_ts = ev->ts;
    si->created_at = si->title_at = si->body_at = si->state_at = stamp_of(ev);
    if (si->pub.title == NULL || si->pub.body == NULL || !add_labels(si, ev) ||
        !store_idmap_put(&ix->by_id, si->id, (uint32_t)ix->issue_count)) {
        free_issue(si);
        return APPLY_NOMEM;
    }
    ix->issues[ix->issue_count] = si;
    if (ix->order_valid)
        order_insert(ix, ix->issue_count, si);
    ix->issue_count++;
    note_appended(ix, si); /* its labels */
    return APPLY_DONE;
}

/* A second create of an existing id (two writers picked the same random
 * id, or a crafted log): merged by the same rules, so order never matters. */
static bool merge_create(struct store_issue *si, const struct event *ev)
{
    struct stamp st = stamp_of(ev);
    if (stamp_cmp(&st, &si->created_at) < 0) {
        si->created_at = st;
        si->pub.created_ts = ev->ts;
        store_hex_from_id(si->pub.author, ev->actor);
    }
    if (stamp_cmp(&st, &si->state_at) > 0) {
        si->state_at = st;
        si->pub.state = GRITE_ISSUE_OPEN;
    }
    return lww_set(&si->pub.title, &si->title_at, &st, ev->title) &&
           lww_set(&si->pub.body, &si->body_at, &st, ev->body) && add_labels(si, ev);
}

/* Appends the comment; store_index_settle sorts it in. */
static bool add_comment(struct index *ix, struct store_issue *si, const struct event *ev)
{
    struct grite_issue *is = &si->pub;
    if (is->comment_count == si->comments_cap) {
        size_t cap = si->comments_cap != 0 ? si->comments_cap * 2 : 4;
        struct grite_comment *grown = realloc(is->comments, cap * sizeof *grown);
        if (grown == NULL)
            return false;
        is->comments = grown;
        si->comments_cap = cap;
    }
    struct grite_comment *c = &is->comments[is->comment_count];
    store_hex_from_id(c->comment_id, ev->event_id);
    store_hex_from_id(c->author, ev->actor);
    c->created_ts = ev->ts;
    c->body = dup_text(ev->text);
    if (c->body == NULL)
        return false;
    is->comment_count++;
    ix->comment_count++;
    return true;
}

static bool add_assignee(struct store_issue *si, const struct event *ev)
{
    char hex[GRITE_ID_HEX_LEN + 1];
    store_hex_from_id(hex, ev->assignee);
    struct text_ref t = {hex, GRITE_ID_HEX_LEN};
    return set_add(&si->pub.assignees, &si->pub.assignee_count, &si->assignees_cap,
                   si->assignees_sorted, t);
}

/* Applies a non-create event (or a repeated create) to an existing issue. */
static bool apply_to_issue(struct index *ix, struct store_issue *si, const struct event *ev)
{
    struct stamp st = stamp_of(ev);
    switch (ev->kind) {
    case EV_CREATE:
        return merge_create(si, ev);
    case EV_UPDATE:
        return (!ev->has_title || lww_set(&si->pub.title, &si->title_at, &st, ev->title)) &&
               (!ev->has_body || lww_set(&si->pub.body, &si->body_at, &st, ev->body));
    case EV_STATE:
        if (stamp_cmp(&st, &si->state_at) > 0) {
            si->state_at = st;
            si->pub.state = ev->state;
        }
        return true;
    case EV_COMMENT:
        return add_comment(ix, si, ev);
    case EV_LABEL:
        return add_label(si, ev->text);
    case EV_ASSIGN:
        return add_assignee(si, ev);
    }
    return false;
}

enum apply_result store_index_apply(struct index *ix, const struct event *ev)
{
    if (store_index_has_event(ix, ev->event_id))
        return APPLY_DUPLICATE;
    struct store_issue *si = store_index_find(ix, ev->issue_id);
    if (si == NULL && ev->kind != EV_CREATE)
        return APPLY_UNKNOWN_ISSUE;
    if (si == NULL) {
        enum apply_result rc = create_issue(ix, ev);
        if (rc != APPLY_DONE)
            return rc;
    } else {
        bool applied = apply_to_issue(ix, si, ev);
        note_appended(ix, si); /* even a half-applied event may have appended */
        if (!applied)
            return APPLY_NOMEM;
        if (ev->ts > si->pub.updated_ts)
            set_updated_ts(ix, si, ev->ts);
    }
    return store_idmap_put(&ix->events, ev->event_id, 0) ? APPLY_DONE : APPLY_NOMEM;
}

/* ---- digest and self-check ---- */

struct fnv {
    uint64_t h;
};

static void fnv_bytes(struct fnv *f, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        f->h ^= p[i];
        f->h *= 0x100000001b3ULL;
    }
}

static void fnv_u64(struct fnv *f, uint64_t v)
{
    fnv_bytes(f, &v, sizeof v);
}

/* Length first, so ("ab","c") and ("a","bc") differ. */
static void fnv_str(struct fnv *f, const char *s)
{
    size_t n = strlen(s);
    fnv_u64(f, n);
    fnv_bytes(f, s, n);
}

static void digest_issue(struct fnv *f, const struct grite_issue *is)
{
    fnv_str(f, is->issue_id);
    fnv_str(f, is->title);
    fnv_str(f, is->body);
    fnv_u64(f, (uint64_t)is->state);
    fnv_str(f, is->author);
    fnv_u64(f, is->created_ts);
    fnv_u64(f, is->updated_ts);
    fnv_u64(f, is->label_count);
    for (size_t i = 0; i < is->label_count; i++)
        fnv_str(f, is->labels[i]);
    fnv_u64(f, is->assignee_count);
    for (size_t i = 0; i < is->assignee_count; i++)
        fnv_str(f, is->assignees[i]);
    fnv_u64(f, is->comment_count);
    for (size_t i = 0; i < is->comment_count; i++) {
        const struct grite_comment *c = &is->comments[i];
        fnv_str(f, c->comment_id);
        fnv_str(f, c->author);
        fnv_str(f, c->body);
        fnv_u64(f, c->created_ts);
    }
}

static int id_order_cmp(const void *pa, const void *pb)
{
    const struct store_issue *a = *(const struct store_issue *const *)pa;
    const struct store_issue *b = *(const struct store_issue *const *)pb;
    return memcmp(a->id, b->id, ID_BYTES);
}

bool store_index_digest(const struct index *ix, uint64_t *digest)
{
    struct store_issue **by_id = malloc((ix->issue_count + 1) * sizeof *by_id);
    if (by_id == NULL)
        return false;
    if (ix->issue_count != 0)
        memcpy(by_id, ix->issues, ix->issue_count * sizeof *by_id);
    qsort(by_id, ix->issue_count, sizeof *by_id, id_order_cmp);
    struct fnv f = {0xcbf29ce484222325ULL};
    fnv_u64(&f, ix->issue_count);
    for (size_t i = 0; i < ix->issue_count; i++)
        digest_issue(&f, &by_id[i]->pub);
    free(by_id);
    *digest = f.h;
    return true;
}

static bool strictly_sorted(char *const *items, size_t count)
{
    for (size_t i = 1; i < count; i++)
        if (strcmp(items[i - 1], items[i]) >= 0)
            return false;
    return true;
}

static const char *check_issue(const struct store_issue *si)
{
    const struct grite_issue *is = &si->pub;
    if (!strictly_sorted(is->labels, is->label_count))
        return "an issue's labels are out of order";
    if (!strictly_sorted(is->assignees, is->assignee_count))
        return "an issue's assignees are out of order";
    if (is->updated_ts < is->created_ts)
        return "an issue was updated before it was created";
    if (has_unsorted_entries(si))
        return "an issue holds entries that were never sorted in";
    for (size_t i = 0; i < is->comment_count; i++) {
        if (i > 0 && comment_cmp(&is->comments[i - 1], &is->comments[i]) >= 0)
            return "an issue's comments are out of order";
        if (is->comments[i].created_ts > is->updated_ts)
            return "a comment is newer than its issue's updated_ts";
    }
    return NULL;
}

const char *store_index_self_check(const struct index *ix)
{
    if (ix->by_id.count != ix->issue_count)
        return "the id map and the issue list disagree on the number of issues";
    uint64_t comments = 0;
    for (size_t i = 0; i < ix->issue_count; i++) {
        const uint32_t *pos = store_idmap_get(&ix->by_id, ix->issues[i]->id);
        if (pos == NULL || *pos != i)
            return "the id map does not point at an issue";
        const char *bad = check_issue(ix->issues[i]);
        if (bad != NULL)
            return bad;
        comments += ix->issues[i]->pub.comment_count;
    }
    if (comments != ix->comment_count)
        return "the comment count is off";
    for (size_t i = 0; ix->order_valid && i < ix->issue_count; i++) {
        if (store_index_find(ix, ix->order[i]->id) != ix->order[i])
            return "the list order holds an unknown issue";
        if (i > 0 && order_cmp(&ix->order[i - 1], &ix->order[i]) >= 0)
            return "the list order is not sorted";
    }
    return NULL;
}
