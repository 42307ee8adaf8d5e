/* store_history.c - see store_history.h. */
#define _GNU_SOURCE
#include "store_history.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "store_records.h"
#include "store_test_util.h"

/* ---- the history ---- */

static const uint8_t actors[3] = {0xaa, 0xbb, 0xcc};

/* Event ids by serial number: the last two bytes make them unique, the
 * first ones scramble their order against the serials (and so against
 * the timestamps). */
static void event_id(uint8_t out[16], unsigned serial)
{
    uint32_t h = serial * 2654435761u;
    for (int i = 0; i < 14; i++)
        out[i] = (uint8_t)(h >> (8 * (i % 4))) ^ (uint8_t)(i * 17);
    out[14] = (uint8_t)(serial >> 8);
    out[15] = (uint8_t)serial;
}

static struct spec *next_spec(struct history *h, uint8_t kind, uint8_t issue, uint64_t ts,
                              uint8_t actor)
{
    struct spec *e = &h->ev[h->count];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->issue = issue;
    e->ts = ts;
    e->actor = actor;
    event_id(e->id, (unsigned)h->count);
    h->count++;
    return e;
}

struct history make_history(size_t comments)
{
    struct history h = {calloc(CREATE_COUNT + comments * 2, sizeof(struct spec)), 0};
    ck_assert_ptr_nonnull(h.ev);
    next_spec(&h, KIND_CREATE, ISSUE_X, 1000, 0xaa);
    next_spec(&h, KIND_CREATE, ISSUE_Y, 1000, 0xbb);
    for (size_t i = 0; i < comments; i++) {
        struct spec *e = next_spec(&h, KIND_COMMENT, i % 4 == 3 ? ISSUE_Y : ISSUE_X,
                                   2000 + (i * 7) % 13, actors[(i * 5) % 3]);
        snprintf(e->text, sizeof e->text, "comment %zu: a body long enough to make a log of "
                 "many records take more than a few pages", i);
    }
    for (size_t i = 0; i < comments / 4; i++) {
        struct spec *e = next_spec(&h, KIND_LABEL, i % 3 == 2 ? ISSUE_Y : ISSUE_X,
                                   2000 + (i * 3) % 13, actors[i % 3]);
        if (i % 9 == 0)
            snprintf(e->text, sizeof e->text, "bug"); /* also a label of X's create */
        else
            snprintf(e->text, sizeof e->text, "label-%02zu", (i * 11) % 17);
    }
    for (size_t i = 0; i < comments / 8; i++) {
        struct spec *e = next_spec(&h, KIND_ASSIGN, ISSUE_X, 2000 + (i * 5) % 13,
                                   actors[(i + 1) % 3]);
        e->assignee = (uint8_t)(1 + (i * 3) % 5);
    }
    return h;
}

/* ---- orders ---- */

static int by_stamp(const struct spec *a, const struct spec *b)
{
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->actor != b->actor)
        return a->actor < b->actor ? -1 : 1;
    return memcmp(a->id, b->id, sizeof a->id);
}

int stamp_order(const void *a, const void *b)
{
    return by_stamp(*(const struct spec *const *)a, *(const struct spec *const *)b);
}

/* By ts, but events with the same ts in reverse stamp order. */
static int ties_reversed(const void *pa, const void *pb)
{
    const struct spec *a = *(const struct spec *const *)pa, *b = *(const struct spec *const *)pb;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return -by_stamp(a, b);
}

const char *const order_names[ORDER_COUNT] = {
    "forward", "reversed", "ties-reversed", "shuffled", "shuffled-with-repeats"};

size_t arrange(const struct history *h, enum order order, unsigned seed, const struct spec **list)
{
    size_t n = h->count;
    for (size_t i = 0; i < n; i++)
        list[i] = &h->ev[i];
    const struct spec **rest = list + CREATE_COUNT;
    size_t rest_n = n - CREATE_COUNT;
    qsort(rest, rest_n, sizeof *rest, order == TIES_REVERSED ? ties_reversed : stamp_order);
    if (order == REVERSED)
        for (size_t i = 0; i < rest_n / 2; i++) {
            const struct spec *t = rest[i];
            rest[i] = rest[rest_n - 1 - i];
            rest[rest_n - 1 - i] = t;
        }
    if (order == SHUFFLED || order == SHUFFLED_WITH_REPEATS)
        for (size_t i = rest_n; i > 1; i--) {
            size_t j = (size_t)rand_r(&seed) % i;
            const struct spec *t = rest[i - 1];
            rest[i - 1] = rest[j];
            rest[j] = t;
        }
    if (order == SHUFFLED_WITH_REPEATS) /* every 5th event again, later on */
        for (size_t i = CREATE_COUNT; i < h->count; i += 5)
            list[n++] = list[i];
    return n;
}

/* ---- writing logs by hand ---- */

static void put_text_z(struct bytes *b, const char *s)
{
    put_text(b, s, strlen(s));
}

static void encode(const struct spec *e, struct bytes *b)
{
    uint8_t actor[16], issue[16], assignee[16];
    memset(actor, e->actor, sizeof actor);
    memset(issue, e->issue, sizeof issue);
    put_event_header_ids(b, e->kind, e->id, actor, e->ts, issue);
    switch (e->kind) {
    case KIND_CREATE: {
        put_text_z(b, e->issue == ISSUE_X ? "issue x" : "issue y");
        put_text_z(b, "");
        uint8_t labels = e->issue == ISSUE_X ? 2 : 0;
        put(b, &labels, 1);
        if (labels != 0) {
            put_text_z(b, "triage");
            put_text_z(b, "bug");
        }
        break;
    }
    case KIND_ASSIGN:
        memset(assignee, e->assignee, sizeof assignee);
        put(b, assignee, sizeof assignee);
        break;
    default: /* comment, label */
        put_text_z(b, e->text);
        break;
    }
}

void append_events(const char *log, const struct spec *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct bytes payload = {.len = 0};
        encode(list[i], &payload);
        append_record(log, &payload);
    }
}

/* parent/<name>-<order>-<seed>, created; caller frees. */
static char *new_dir(const char *parent, const char *name, enum order order, unsigned seed)
{
    char leaf[96];
    snprintf(leaf, sizeof leaf, "%s-%s-%u", name, order_names[order], seed);
    char *p = path_join(parent, leaf);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    return p;
}

char *log_in_order(const struct history *h, enum order order, unsigned seed, const char *parent,
                   const char *name)
{
    const struct spec **list = calloc(2 * h->count, sizeof *list);
    ck_assert_ptr_nonnull(list);
    size_t n = arrange(h, order, seed, list);
    char *dir = new_dir(parent, name, order, seed);
    grite_store_close(open_store(dir, ACTOR_C, NULL)); /* the store writes the header */
    char *log = path_join(dir, "events.log");
    append_events(log, list, n);
    free(log);
    free(list);
    return dir;
}

void split_history(const struct history *h, unsigned seed, struct history halves[2])
{
    for (int k = 0; k < 2; k++) {
        halves[k].ev = calloc(h->count, sizeof *h->ev);
        halves[k].count = 0;
        ck_assert_ptr_nonnull(halves[k].ev);
    }
    for (size_t i = 0; i < h->count; i++) {
        if (i < CREATE_COUNT)
            halves[1].ev[halves[1].count++] = h->ev[i];
        struct history *to = &halves[i < CREATE_COUNT ? 0 : rand_r(&seed) % 2];
        to->ev[to->count++] = h->ev[i];
    }
}
