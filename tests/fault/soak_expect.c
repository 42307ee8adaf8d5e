/* soak_expect.c - what the soak's issues must contain, and the checks of
 * replies against it (soak.h). The content is a function of the seed or
 * slot number, so a reply is checked against what was written, not
 * against an earlier reply. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soak.h"

static bool str_is(grite_str s, const char *want)
{
    size_t n = strlen(want);
    return s.len == n && memcmp(s.ptr, want, n) == 0;
}

static bool failf(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool failf(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- seeds ------------------------------------------------------------------ */

void seed_title(int i, char *out, size_t n)
{
    snprintf(out, n, "seed issue %d", i);
}

/* Mostly short bodies, and every eighth 64 KiB: a reply that does not fit
 * in one socket buffer, so the daemon has to queue its tail. */
static size_t seed_body_len(int i)
{
    return i % 8 == 7 ? SOAK_BODY_MAX : (size_t)(40 + 37 * i);
}

size_t seed_body(int i, char *out)
{
    size_t want = seed_body_len(i), len = 0;
    for (int line = 0; len < want; line++) {
        char text[80];
        int w = snprintf(text, sizeof text, "seed %d line %d: the quick brown fox jumps over the lazy dog\n", i, line);
        size_t take = (size_t)w < want - len ? (size_t)w : want - len;
        memcpy(out + len, text, take);
        len += take;
    }
    out[len] = '\0';
    return len;
}

static int by_strcmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

void seed_labels(int i, char out[3][16])
{
    snprintf(out[0], 16, "seed");
    snprintf(out[1], 16, "%s", i % 2 ? "seed-odd" : SOAK_LABEL_EVEN);
    snprintf(out[2], 16, "n%02d", i);
    qsort(out, 3, sizeof out[0], by_strcmp);   /* the store keeps labels sorted */
}

int seed_comment_count(int i)
{
    return i % 3 == 0 ? 2 : 0;
}

void seed_comment(int i, int k, char *out, size_t n)
{
    snprintf(out, n, "seed %d note %d", i, k);
}

/* ---- slots --------------------------------------------------------------------- */

void slot_actor(int s, char out[33])
{
    snprintf(out, 33, "50a4%028x", (unsigned)(s % SOAK_ACTORS));
}

void slot_title(int s, char *out, size_t n)
{
    snprintf(out, n, "slot %d", s);
}

void slot_body(int s, char *out, size_t n)
{
    snprintf(out, n, "the issue of soak client slot %d; only that slot writes here", s);
}

void slot_comment(int s, uint32_t seq, char *out, size_t n)
{
    snprintf(out, n, "slot %d comment %u", s, seq);
}

/* ---- digest ----------------------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t mix_str(uint64_t h, grite_str s)
{
    uint64_t len = s.len;
    return mix(mix(h, &len, sizeof len), s.ptr, s.len);
}

static uint64_t mix_u64(uint64_t h, uint64_t v)
{
    return mix(h, &v, sizeof v);
}

static uint64_t mix_strs(uint64_t h, grite_vec_str v)
{
    h = mix_u64(h, v.len);
    for (size_t i = 0; i < v.len; i++) h = mix_str(h, grite_vec_str_at(v, i));
    return h;
}

uint64_t issue_digest(const grite_Issue *is)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    h = mix_str(h, grite_Issue_issue_id(is));
    h = mix_str(h, grite_Issue_title(is));
    h = mix_str(h, grite_Issue_body(is));
    h = mix_u64(h, (uint64_t)grite_Issue_state(is));
    h = mix_str(h, grite_Issue_author(is));
    h = mix_strs(h, grite_Issue_labels(is));
    h = mix_strs(h, grite_Issue_assignees(is));
    grite_vec_Comment cs = grite_Issue_comments(is);
    h = mix_u64(h, cs.len);
    for (size_t i = 0; i < cs.len; i++) {
        const grite_Comment *c = grite_vec_Comment_at(cs, i);
        h = mix_str(h, grite_Comment_comment_id(c));
        h = mix_str(h, grite_Comment_author(c));
        h = mix_str(h, grite_Comment_body(c));
        h = mix_u64(h, grite_Comment_created_ts(c));
    }
    h = mix_u64(h, grite_Issue_created_ts(is));
    return mix_u64(h, grite_Issue_updated_ts(is));
}

/* ---- checks ------------------------------------------------------------------------- */

static bool check_seed_labels(const grite_Issue *is, int i, char *why, size_t n)
{
    char want[3][16];
    seed_labels(i, want);
    grite_vec_str got = grite_Issue_labels(is);
    if (got.len != 3) return failf(why, n, "seed %d: %zu labels, not 3", i, got.len);
    for (size_t k = 0; k < 3; k++)
        if (!str_is(grite_vec_str_at(got, k), want[k]))
            return failf(why, n, "seed %d: label %zu is \"%s\", not \"%s\"", i, k, grite_vec_str_at(got, k).ptr, want[k]);
    return true;
}

static bool check_seed_comments(const grite_Issue *is, int i, char *why, size_t n)
{
    grite_vec_Comment cs = grite_Issue_comments(is);
    if (cs.len != (size_t)seed_comment_count(i))
        return failf(why, n, "seed %d: %zu comments, not %d", i, cs.len, seed_comment_count(i));
    for (size_t k = 0; k < cs.len; k++) {
        char want[64];
        seed_comment(i, (int)k, want, sizeof want);
        const grite_Comment *c = grite_vec_Comment_at(cs, k);
        if (!str_is(grite_Comment_body(c), want) || !str_is(grite_Comment_author(c), ACTOR_B))
            return failf(why, n, "seed %d: comment %zu is \"%s\" by %s", i, k, grite_Comment_body(c).ptr,
                         grite_Comment_author(c).ptr);
    }
    return true;
}

bool check_seed(const grite_Issue *is, int i, const struct soak_seed *seed, char *body_buf, char *why, size_t n)
{
    char title[64];
    seed_title(i, title, sizeof title);
    size_t body_len = seed_body(i, body_buf);
    grite_str body = grite_Issue_body(is);
    if (!str_is(grite_Issue_issue_id(is), seed->issue_id))
        return failf(why, n, "seed %d: issue_id %s, not %s", i, grite_Issue_issue_id(is).ptr, seed->issue_id);
    if (!str_is(grite_Issue_title(is), title))
        return failf(why, n, "seed %d: title \"%s\", not \"%s\"", i, grite_Issue_title(is).ptr, title);
    if (body.len != body_len || memcmp(body.ptr, body_buf, body_len) != 0)
        return failf(why, n, "seed %d: the body (%zu bytes) is not the %zu bytes written", i, body.len, body_len);
    if (!str_is(grite_Issue_author(is), ACTOR_A) || grite_Issue_state(is) != GRITE_ISSUE_STATE_OPEN ||
        grite_Issue_assignees(is).len != 0)
        return failf(why, n, "seed %d: author %s, state %d, %zu assignees", i, grite_Issue_author(is).ptr,
                     (int)grite_Issue_state(is), grite_Issue_assignees(is).len);
    if (!check_seed_labels(is, i, why, n) || !check_seed_comments(is, i, why, n)) return false;
    if (seed->digest && issue_digest(is) != seed->digest)
        return failf(why, n, "seed %d: ids or timestamps differ from what IssueShow said after setup", i);
    return true;
}

/* Every comment is one this slot sent (in order, each once); every one
 * acknowledged is there. Unacknowledged ones may be there too: a process
 * killed after sending a comment cannot know whether it was applied. */
static bool check_slot_comments(const grite_Issue *is, int s, const struct soak_slot *slot, char *why, size_t n)
{
    grite_vec_Comment cs = grite_Issue_comments(is);
    uint64_t seen = 0;
    int64_t last = -1;
    for (size_t k = 0; k < cs.len; k++) {
        const grite_Comment *c = grite_vec_Comment_at(cs, k);
        unsigned seq;
        char want[64];
        if (sscanf(grite_Comment_body(c).ptr, "slot %*d comment %u", &seq) != 1 || seq >= SOAK_COMMENTS_PER_SLOT)
            return failf(why, n, "slot %d: a comment nobody sent: \"%s\"", s, grite_Comment_body(c).ptr);
        slot_comment(s, seq, want, sizeof want);
        if (!str_is(grite_Comment_body(c), want) || !str_is(grite_Comment_author(c), slot->actor))
            return failf(why, n, "slot %d: comment \"%s\" by %s, another slot's", s, grite_Comment_body(c).ptr,
                         grite_Comment_author(c).ptr);
        if ((int64_t)seq <= last || seq >= slot->next_seq)
            return failf(why, n, "slot %d: comment %u out of order or never sent (after %lld, %u sent)", s, seq,
                         (long long)last, slot->next_seq);
        last = seq;
        seen |= UINT64_C(1) << seq;
    }
    uint64_t lost = slot->acked & ~seen;
    if (lost)
        return failf(why, n, "slot %d: acknowledged comment %d is missing (%zu comments there)", s,
                     __builtin_ctzll(lost), cs.len);
    return true;
}

bool check_slot_issue(const grite_Issue *is, int s, const struct soak_slot *slot, char *why, size_t n)
{
    char title[64], body[128];
    slot_title(s, title, sizeof title);
    slot_body(s, body, sizeof body);
    if (!str_is(grite_Issue_issue_id(is), slot->issue_id) || !str_is(grite_Issue_title(is), title) ||
        !str_is(grite_Issue_body(is), body) || !str_is(grite_Issue_author(is), slot->actor))
        return failf(why, n, "slot %d: got issue %s \"%s\" by %s", s, grite_Issue_issue_id(is).ptr,
                     grite_Issue_title(is).ptr, grite_Issue_author(is).ptr);
    grite_vec_str labels = grite_Issue_labels(is);
    if (labels.len != 1 || !str_is(grite_vec_str_at(labels, 0), "slot"))
        return failf(why, n, "slot %d: labels are not [slot]", s);
    return check_slot_comments(is, s, slot, why, n);
}

bool check_even_list(const grite_IpcResponse_IssueListResult *r, const struct soak_shared *sh, char *why, size_t n)
{
    grite_vec_IssueSummary rows = grite_IpcResponse_IssueListResult_issues(r);
    uint64_t total = grite_IpcResponse_IssueListResult_total(r);
    if (total != SOAK_SEEDS / 2 || rows.len != SOAK_SEEDS / 2)
        return failf(why, n, "list %s: %zu rows of %llu, not %d", SOAK_LABEL_EVEN, rows.len,
                     (unsigned long long)total, SOAK_SEEDS / 2);
    for (size_t k = 0; k < rows.len; k++) {
        const grite_IssueSummary *row = grite_vec_IssueSummary_at(rows, k);
        int seed = -1;
        sscanf(grite_IssueSummary_title(row).ptr, "seed issue %d", &seed);
        if (!str_is(grite_IssueSummary_issue_id(row), sh->even_order[k]) || seed < 0 || seed >= SOAK_SEEDS || seed % 2 != 0 ||
            !str_is(grite_IssueSummary_issue_id(row), sh->seeds[seed].issue_id))
            return failf(why, n, "list %s: row %zu is %s \"%s\", expected %s", SOAK_LABEL_EVEN, k,
                         grite_IssueSummary_issue_id(row).ptr, grite_IssueSummary_title(row).ptr, sh->even_order[k]);
    }
    return true;
}
