/*
 * walk.c - see walk.h. The walk mirrors idl/grite.idl field by field, in
 * declaration order, which is also the archive's object order (FORMAT.md
 * 1.5): that is what lets one cursor check both order and overlap.
 *
 * Depths: every reader gets `d`, the depth of the object holding the
 * field (the root is 0); what the field references is at d + 1, and the
 * elements of a vector are at the depth of their array.
 */
#include "walk.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "json_check.h"

typedef struct walk_block {
    struct walk_block *next;
    max_align_t mem[];
} walk_block;

struct walker {
    const uint8_t *base;   /* the validated buffer */
    size_t len;
    uint64_t cursor;       /* offset: end of the last object claimed */
    uint64_t limit;        /* offset: end of the enclosing payload subtree, or len */
    uint32_t deepest;      /* depth of the deepest object claimed */
    uint64_t digest;       /* FNV-1a of every value read, in order */
    bool rebuildable;      /* false once an unknown variant was skipped */
    walk_block *blocks;    /* builder input arrays, freed by walker_done */
};

/* ---- bookkeeping ------------------------------------------------------- */

static void walker_init(walker *w, const void *buf, size_t len)
{
    memset(w, 0, sizeof *w);
    w->base = buf;
    w->len = len;
    w->limit = len;
    w->digest = UINT64_C(0xcbf29ce484222325);
    w->rebuildable = true;
}

static void walker_done(walker *w)
{
    while (w->blocks != NULL) {
        walk_block *next = w->blocks->next;
        free(w->blocks);
        w->blocks = next;
    }
}

/* n zeroed items of `size` bytes, alive until walker_done. */
static void *walk_alloc(walker *w, size_t n, size_t size)
{
    walk_block *b = calloc(1, sizeof *b + n * size);
    FUZZ_CHECK(b != NULL, "out of memory for %zu items", n);
    b->next = w->blocks;
    w->blocks = b;
    return b->mem;
}

static void mix_bytes(walker *w, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        w->digest ^= b[i];
        w->digest *= UINT64_C(0x100000001b3);
    }
}

static void mix_u64(walker *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    mix_bytes(w, b, sizeof b);
}

/* The offset of p in the buffer; p must lie within [base, base + len]. */
static uint64_t offset_of(const walker *w, const void *p, const char *what)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)w->base;
    FUZZ_CHECK(p != NULL && a >= lo && a - lo <= w->len, "%s points outside the buffer", what);
    return (uint64_t)(a - lo);
}

/* Record an out-of-line object of `size` (> 0) bytes at p, at `depth`. */
static void claim(walker *w, const void *p, uint64_t size, size_t align, uint32_t depth,
                  const char *what)
{
    uint64_t at = offset_of(w, p, what);
    FUZZ_CHECK(at + size <= w->len, "%s at %llu (+%llu) runs past the end of the buffer (%zu)",
               what, (unsigned long long)at, (unsigned long long)size, w->len);
    FUZZ_CHECK(at % align == 0, "%s at %llu is not %zu-aligned", what, (unsigned long long)at,
               align);
    FUZZ_CHECK(at >= w->cursor, "%s at %llu starts before the end of the previous object (%llu)",
               what, (unsigned long long)at, (unsigned long long)w->cursor);
    FUZZ_CHECK(at + size <= w->limit, "%s at %llu (+%llu) ends past its union payload (%llu)", what,
               (unsigned long long)at, (unsigned long long)size, (unsigned long long)w->limit);
    w->cursor = at + size;
    if (depth > w->deepest)
        w->deepest = depth;
}

/* ---- UTF-8, decoded independently of runtime/src/utf8.c ---------------- */

/* RFC 3629: shortest form only, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t extra;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1, cp = c & 0x1fu, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, cp = c & 0x0fu, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, cp = c & 0x07u, min = 0x10000;
        } else {
            return false;
        }
        if (n - i - 1 < extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += extra + 1;
    }
    return true;
}

/* ---- leaves ------------------------------------------------------------ */

/* A string field of an object at depth d. */
static grite_str w_str(walker *w, grite_str s, uint32_t d)
{
    mix_u64(w, s.len);
    if (s.len == 0) {
        /* Points at its own zero offset bytes (archive.h), inside the buffer. */
        uint64_t at = offset_of(w, s.ptr, "empty string");
        FUZZ_CHECK(at < w->len && s.ptr[0] == '\0', "empty string view is not \"\"");
        return s;
    }
    claim(w, s.ptr, (uint64_t)s.len + 1, 1, d + 1, "string");
    FUZZ_CHECK(s.ptr[s.len] == '\0', "string is not NUL-terminated");
    FUZZ_CHECK(utf8_valid((const uint8_t *)s.ptr, s.len), "accepted string is not UTF-8");
    mix_bytes(w, s.ptr, s.len);
    return s;
}

/* An optional string: absent reads as "" whatever the bytes say. */
static grite_opt_str_in w_opt_str(walker *w, bool has, grite_str s, uint32_t d)
{
    grite_opt_str_in out = { has, s };
    mix_u64(w, has);
    if (has)
        out.value = w_str(w, s, d);
    else
        FUZZ_CHECK(s.len == 0 && s.ptr != NULL && s.ptr[0] == '\0', "absent string is not \"\"");
    return out;
}

static uint64_t w_u64(walker *w, uint64_t v)
{
    mix_u64(w, v);
    return v;
}

static uint32_t w_u32(walker *w, uint32_t v)
{
    mix_u64(w, v);
    return v;
}

static bool w_bool(walker *w, bool v)
{
    mix_u64(w, v);
    return v;
}

static grite_IssueState w_state(walker *w, grite_IssueState v)
{
    FUZZ_CHECK(grite_IssueState_name(v) != NULL, "accepted IssueState %u has no name", (unsigned)v);
    mix_u64(w, v);
    return v;
}

/* ---- vectors ------------------------------------------------------------- */

static grite_vec_str_in w_vec_str(walker *w, grite_vec_str v, uint32_t d)
{
    grite_vec_str_in out = { NULL, v.len };
    mix_u64(w, v.len);
    if (v.len == 0)
        return out;
    claim(w, v.ptr, (uint64_t)v.len * sizeof(grite_ref), alignof(grite_ref), d + 1, "[string]");
    grite_str *items = walk_alloc(w, v.len, sizeof *items);
    for (size_t i = 0; i < v.len; i++)
        items[i] = w_str(w, grite_vec_str_at(v, i), d + 1);
    out.items = items;
    return out;
}

static void w_IssueSummary(walker *w, const grite_IssueSummary *p, uint32_t d,
                           grite_IssueSummary_in *out)
{
    out->issue_id = w_str(w, grite_IssueSummary_issue_id(p), d);
    out->title = w_str(w, grite_IssueSummary_title(p), d);
    out->state = w_state(w, grite_IssueSummary_state(p));
    out->labels = w_vec_str(w, grite_IssueSummary_labels(p), d);
    out->updated_ts = w_u64(w, grite_IssueSummary_updated_ts(p));
}

static grite_vec_IssueSummary_in w_vec_IssueSummary(walker *w, grite_vec_IssueSummary v, uint32_t d)
{
    grite_vec_IssueSummary_in out = { NULL, v.len };
    mix_u64(w, v.len);
    if (v.len == 0)
        return out;
    claim(w, v.ptr, (uint64_t)v.len * sizeof(grite_IssueSummary), alignof(grite_IssueSummary),
          d + 1, "[IssueSummary]");
    grite_IssueSummary_in *items = walk_alloc(w, v.len, sizeof *items);
    for (size_t i = 0; i < v.len; i++)
        w_IssueSummary(w, grite_vec_IssueSummary_at(v, i), d + 1, &items[i]);
    out.items = items;
    return out;
}

static void w_Comment(walker *w, const grite_Comment *p, uint32_t d, grite_Comment_in *out)
{
    out->comment_id = w_str(w, grite_Comment_comment_id(p), d);
    out->author = w_str(w, grite_Comment_author(p), d);
    out->body = w_str(w, grite_Comment_body(p), d);
    out->created_ts = w_u64(w, grite_Comment_created_ts(p));
}

static grite_vec_Comment_in w_vec_Comment(walker *w, grite_vec_Comment v, uint32_t d)
{
    grite_vec_Comment_in out = { NULL, v.len };
    mix_u64(w, v.len);
    if (v.len == 0)
        return out;
    claim(w, v.ptr, (uint64_t)v.len * sizeof(grite_Comment), alignof(grite_Comment), d + 1,
          "[Comment]");
    grite_Comment_in *items = walk_alloc(w, v.len, sizeof *items);
    for (size_t i = 0; i < v.len; i++)
        w_Comment(w, grite_vec_Comment_at(v, i), d + 1, &items[i]);
    out.items = items;
    return out;
}

static void w_DoctorCheck(walker *w, const grite_DoctorCheck *p, uint32_t d,
                          grite_DoctorCheck_in *out)
{
    out->name = w_str(w, grite_DoctorCheck_name(p), d);
    out->status = grite_DoctorCheck_status(p);
    FUZZ_CHECK(grite_CheckStatus_name(out->status) != NULL, "accepted CheckStatus %u has no name",
               (unsigned)out->status);
    mix_u64(w, out->status);
    out->message = w_str(w, grite_DoctorCheck_message(p), d);
}

static grite_vec_DoctorCheck_in w_vec_DoctorCheck(walker *w, grite_vec_DoctorCheck v, uint32_t d)
{
    grite_vec_DoctorCheck_in out = { NULL, v.len };
    mix_u64(w, v.len);
    if (v.len == 0)
        return out;
    claim(w, v.ptr, (uint64_t)v.len * sizeof(grite_DoctorCheck), alignof(grite_DoctorCheck),
          d + 1, "[DoctorCheck]");
    grite_DoctorCheck_in *items = walk_alloc(w, v.len, sizeof *items);
    for (size_t i = 0; i < v.len; i++)
        w_DoctorCheck(w, grite_vec_DoctorCheck_at(v, i), d + 1, &items[i]);
    out.items = items;
    return out;
}

/* ---- union payloads ------------------------------------------------------ */

/* The raw {tag, offset, size} of an archived union (all three unions have
 * this layout; FORMAT.md 1.4). */
static uint32_t union_offset(const void *u) { return grite_ld_u32((const uint8_t *)u + 4); }
static uint32_t union_size(const void *u) { return grite_ld_u32((const uint8_t *)u + 8); }

/* Claim the payload struct p (of payload_size bytes) of the union at u,
 * held by an object at depth d, and enter its declared subtree. Returns
 * the limit to restore with payload_end. */
static uint64_t payload_begin(walker *w, const void *u, const void *p, size_t payload_size,
                              size_t align, uint32_t d)
{
    FUZZ_CHECK(p != NULL, "as_V() is NULL for the variant in the tag");
    uint64_t at = offset_of(w, p, "payload");
    uint32_t size = union_size(u);
    FUZZ_CHECK(size >= payload_size, "payload subtree (%u) is smaller than its struct (%zu)", size,
               payload_size);
    claim(w, p, payload_size, align, d + 1, "payload");
    FUZZ_CHECK(at + size <= w->limit, "payload subtree at %llu (+%u) ends past its limit (%llu)",
               (unsigned long long)at, size, (unsigned long long)w->limit);
    uint64_t saved = w->limit;
    w->limit = at + size;
    mix_u64(w, payload_size);
    return saved;
}

/* The subtree is done: all of it counts as claimed (FORMAT.md 1.5). */
static void payload_end(walker *w, uint64_t saved_limit)
{
    w->cursor = w->limit;
    w->limit = saved_limit;
}

static void empty_variant(const void *u)
{
    FUZZ_CHECK(union_offset(u) == 0 && union_size(u) == 0, "fieldless variant has payload data");
}

/* Read variant V of union U (archived union `u`, held at depth `d`):
 * declares `p` (the payload) and `pd` (its depth) for the block that
 * follows, up to END_VARIANT. */
#define BEGIN_VARIANT(U, V)                                                                  \
    {                                                                                        \
        const grite_##U##_##V *p = grite_##U##_as_##V(u);                                    \
        uint64_t saved_limit_ = payload_begin(w, u, p, sizeof *p, alignof(grite_##U##_##V), d); \
        uint32_t pd = d + 1;                                                                 \
        grite_##U##_##V##_in *o = &out->v.V;
#define END_VARIANT()               \
        (void)pd;                   \
        payload_end(w, saved_limit_); \
    }

/* as_V() must be non-NULL exactly for the variant in the tag. */
#define ONLY_VARIANT(U, V, KIND)                                                         \
    FUZZ_CHECK((grite_##U##_as_##V(u) != NULL) == (tag == (KIND)),                       \
               #U "_as_" #V "() disagrees with tag %u", (unsigned)tag)

/* ---- IpcRequest ---------------------------------------------------------- */

static void w_IssueFilter(walker *w, const grite_IssueFilter *p, uint32_t d, grite_IssueFilter_in *out)
{
    out->state.present = w_bool(w, grite_IssueFilter_has_state(p));
    if (out->state.present)
        out->state.value = w_state(w, grite_IssueFilter_state(p));
    else
        FUZZ_CHECK(grite_IssueFilter_state(p) == 0, "absent state does not read as 0");
    out->label = w_opt_str(w, grite_IssueFilter_has_label(p), grite_IssueFilter_label(p), d);
    out->limit.present = w_bool(w, grite_IssueFilter_has_limit(p));
    out->limit.value = w_u32(w, grite_IssueFilter_limit(p));
    FUZZ_CHECK(out->limit.present || out->limit.value == 0, "absent limit does not read as 0");
    out->offset.present = w_bool(w, grite_IssueFilter_has_offset(p));
    out->offset.value = w_u32(w, grite_IssueFilter_offset(p));
    FUZZ_CHECK(out->offset.present || out->offset.value == 0, "absent offset does not read as 0");
}

static void command_variants_agree(const grite_IpcCommand *u, grite_IpcCommand_kind tag)
{
    ONLY_VARIANT(IpcCommand, IssueList, GRITE_IPC_COMMAND_ISSUE_LIST);
    ONLY_VARIANT(IpcCommand, IssueCreate, GRITE_IPC_COMMAND_ISSUE_CREATE);
    ONLY_VARIANT(IpcCommand, IssueShow, GRITE_IPC_COMMAND_ISSUE_SHOW);
    ONLY_VARIANT(IpcCommand, IssueUpdate, GRITE_IPC_COMMAND_ISSUE_UPDATE);
    ONLY_VARIANT(IpcCommand, IssueClose, GRITE_IPC_COMMAND_ISSUE_CLOSE);
    ONLY_VARIANT(IpcCommand, IssueReopen, GRITE_IPC_COMMAND_ISSUE_REOPEN);
    ONLY_VARIANT(IpcCommand, IssueComment, GRITE_IPC_COMMAND_ISSUE_COMMENT);
    ONLY_VARIANT(IpcCommand, SyncPull, GRITE_IPC_COMMAND_SYNC_PULL);
    ONLY_VARIANT(IpcCommand, SyncPush, GRITE_IPC_COMMAND_SYNC_PUSH);
    ONLY_VARIANT(IpcCommand, LockAcquire, GRITE_IPC_COMMAND_LOCK_ACQUIRE);
    ONLY_VARIANT(IpcCommand, LockRelease, GRITE_IPC_COMMAND_LOCK_RELEASE);
}

static void w_IpcCommand(walker *w, const grite_IpcCommand *u, uint32_t d, grite_IpcCommand_in *out)
{
    grite_IpcCommand_kind tag = grite_IpcCommand_tag(u);
    FUZZ_CHECK(grite_IpcCommand_kind_name(tag) != NULL, "accepted IpcCommand tag %u has no name",
               (unsigned)tag);
    command_variants_agree(u, tag);
    mix_u64(w, tag);
    out->tag = tag;
    switch (tag) {
    case GRITE_IPC_COMMAND_ISSUE_LIST:
        BEGIN_VARIANT(IpcCommand, IssueList)
        w_IssueFilter(w, grite_IpcCommand_IssueList_filter(p), pd, &o->filter);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_CREATE:
        BEGIN_VARIANT(IpcCommand, IssueCreate)
        o->title = w_str(w, grite_IpcCommand_IssueCreate_title(p), pd);
        o->body = w_str(w, grite_IpcCommand_IssueCreate_body(p), pd);
        o->labels = w_vec_str(w, grite_IpcCommand_IssueCreate_labels(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_SHOW:
        BEGIN_VARIANT(IpcCommand, IssueShow)
        o->issue_id = w_str(w, grite_IpcCommand_IssueShow_issue_id(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_UPDATE:
        BEGIN_VARIANT(IpcCommand, IssueUpdate)
        o->issue_id = w_str(w, grite_IpcCommand_IssueUpdate_issue_id(p), pd);
        o->title = w_opt_str(w, grite_IpcCommand_IssueUpdate_has_title(p),
                             grite_IpcCommand_IssueUpdate_title(p), pd);
        o->body = w_opt_str(w, grite_IpcCommand_IssueUpdate_has_body(p),
                            grite_IpcCommand_IssueUpdate_body(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_CLOSE:
        BEGIN_VARIANT(IpcCommand, IssueClose)
        o->issue_id = w_str(w, grite_IpcCommand_IssueClose_issue_id(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_REOPEN:
        BEGIN_VARIANT(IpcCommand, IssueReopen)
        o->issue_id = w_str(w, grite_IpcCommand_IssueReopen_issue_id(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_ISSUE_COMMENT:
        BEGIN_VARIANT(IpcCommand, IssueComment)
        o->issue_id = w_str(w, grite_IpcCommand_IssueComment_issue_id(p), pd);
        o->body = w_str(w, grite_IpcCommand_IssueComment_body(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_SYNC_PULL:
        BEGIN_VARIANT(IpcCommand, SyncPull)
        o->remote = w_str(w, grite_IpcCommand_SyncPull_remote(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_SYNC_PUSH:
        BEGIN_VARIANT(IpcCommand, SyncPush)
        o->remote = w_str(w, grite_IpcCommand_SyncPush_remote(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE:
        BEGIN_VARIANT(IpcCommand, LockAcquire)
        o->resource = w_str(w, grite_IpcCommand_LockAcquire_resource(p), pd);
        o->ttl_ms = w_u64(w, grite_IpcCommand_LockAcquire_ttl_ms(p));
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_LOCK_RELEASE:
        BEGIN_VARIANT(IpcCommand, LockRelease)
        o->resource = w_str(w, grite_IpcCommand_LockRelease_resource(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_COMMAND_DOCTOR:
    case GRITE_IPC_COMMAND_DAEMON_STATUS:
    case GRITE_IPC_COMMAND_DAEMON_STOP:
        empty_variant(u);
        break;
    }
}

static void w_IpcRequest(walker *w, const grite_IpcRequest *p, uint32_t d, grite_IpcRequest_in *out)
{
    out->ipc_schema_version = w_u32(w, grite_IpcRequest_ipc_schema_version(p));
    out->request_id = w_str(w, grite_IpcRequest_request_id(p), d);
    out->repo_root = w_str(w, grite_IpcRequest_repo_root(p), d);
    out->actor_id = w_str(w, grite_IpcRequest_actor_id(p), d);
    out->data_dir = w_str(w, grite_IpcRequest_data_dir(p), d);
    w_IpcCommand(w, grite_IpcRequest_command(p), d, &out->command);
}

/* ---- IpcReply ------------------------------------------------------------ */

static void w_Issue(walker *w, const grite_Issue *p, uint32_t d, grite_Issue_in *out)
{
    out->issue_id = w_str(w, grite_Issue_issue_id(p), d);
    out->title = w_str(w, grite_Issue_title(p), d);
    out->body = w_str(w, grite_Issue_body(p), d);
    out->state = w_state(w, grite_Issue_state(p));
    out->author = w_str(w, grite_Issue_author(p), d);
    out->labels = w_vec_str(w, grite_Issue_labels(p), d);
    out->assignees = w_vec_str(w, grite_Issue_assignees(p), d);
    out->comments = w_vec_Comment(w, grite_Issue_comments(p), d);
    out->created_ts = w_u64(w, grite_Issue_created_ts(p));
    out->updated_ts = w_u64(w, grite_Issue_updated_ts(p));
}

static void response_variants_agree(const grite_IpcResponse *u, grite_IpcResponse_kind tag)
{
    ONLY_VARIANT(IpcResponse, IssueListResult, GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    ONLY_VARIANT(IpcResponse, IssueCreateResult, GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    ONLY_VARIANT(IpcResponse, IssueShowResult, GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    ONLY_VARIANT(IpcResponse, IssueUpdateResult, GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT);
    ONLY_VARIANT(IpcResponse, IssueStateResult, GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT);
    ONLY_VARIANT(IpcResponse, CommentResult, GRITE_IPC_RESPONSE_COMMENT_RESULT);
    ONLY_VARIANT(IpcResponse, SyncResult, GRITE_IPC_RESPONSE_SYNC_RESULT);
    ONLY_VARIANT(IpcResponse, LockResult, GRITE_IPC_RESPONSE_LOCK_RESULT);
    ONLY_VARIANT(IpcResponse, DoctorResult, GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    ONLY_VARIANT(IpcResponse, DaemonStatusResult, GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT);
    ONLY_VARIANT(IpcResponse, DaemonStopResult, GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT);
    ONLY_VARIANT(IpcResponse, Error, GRITE_IPC_RESPONSE_ERROR);
}

static void w_IpcResponse_tail(walker *w, const grite_IpcResponse *u, uint32_t d,
                               grite_IpcResponse_in *out);

static void w_IpcResponse(walker *w, const grite_IpcResponse *u, uint32_t d, grite_IpcResponse_in *out)
{
    grite_IpcResponse_kind tag = grite_IpcResponse_tag(u);
    FUZZ_CHECK(grite_IpcResponse_kind_name(tag) != NULL, "accepted IpcResponse tag %u has no name",
               (unsigned)tag);
    response_variants_agree(u, tag);
    mix_u64(w, tag);
    out->tag = tag;
    switch (tag) {
    case GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT:
        BEGIN_VARIANT(IpcResponse, IssueListResult)
        o->issues = w_vec_IssueSummary(w, grite_IpcResponse_IssueListResult_issues(p), pd);
        o->total = w_u64(w, grite_IpcResponse_IssueListResult_total(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT:
        BEGIN_VARIANT(IpcResponse, IssueCreateResult)
        o->issue_id = w_str(w, grite_IpcResponse_IssueCreateResult_issue_id(p), pd);
        o->created_ts = w_u64(w, grite_IpcResponse_IssueCreateResult_created_ts(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT:
        BEGIN_VARIANT(IpcResponse, IssueShowResult)
        w_Issue(w, grite_IpcResponse_IssueShowResult_issue(p), pd, &o->issue);
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT:
        BEGIN_VARIANT(IpcResponse, IssueUpdateResult)
        o->issue_id = w_str(w, grite_IpcResponse_IssueUpdateResult_issue_id(p), pd);
        o->updated_ts = w_u64(w, grite_IpcResponse_IssueUpdateResult_updated_ts(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT:
        BEGIN_VARIANT(IpcResponse, IssueStateResult)
        o->issue_id = w_str(w, grite_IpcResponse_IssueStateResult_issue_id(p), pd);
        o->state = w_state(w, grite_IpcResponse_IssueStateResult_state(p));
        o->updated_ts = w_u64(w, grite_IpcResponse_IssueStateResult_updated_ts(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_COMMENT_RESULT:
        BEGIN_VARIANT(IpcResponse, CommentResult)
        o->issue_id = w_str(w, grite_IpcResponse_CommentResult_issue_id(p), pd);
        o->comment_id = w_str(w, grite_IpcResponse_CommentResult_comment_id(p), pd);
        o->created_ts = w_u64(w, grite_IpcResponse_CommentResult_created_ts(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_SYNC_RESULT:
        BEGIN_VARIANT(IpcResponse, SyncResult)
        o->remote = w_str(w, grite_IpcResponse_SyncResult_remote(p), pd);
        o->issues_pulled = w_u32(w, grite_IpcResponse_SyncResult_issues_pulled(p));
        o->issues_pushed = w_u32(w, grite_IpcResponse_SyncResult_issues_pushed(p));
        o->comments_merged = w_u32(w, grite_IpcResponse_SyncResult_comments_merged(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_LOCK_RESULT:
        BEGIN_VARIANT(IpcResponse, LockResult)
        o->resource = w_str(w, grite_IpcResponse_LockResult_resource(p), pd);
        o->owner = w_str(w, grite_IpcResponse_LockResult_owner(p), pd);
        o->held = w_bool(w, grite_IpcResponse_LockResult_held(p));
        o->expires_ts = w_u64(w, grite_IpcResponse_LockResult_expires_ts(p));
        END_VARIANT()
        break;
    default:
        w_IpcResponse_tail(w, u, d, out);
        break;
    }
}

/* The rest of IpcResponse's variants (split only to keep functions short). */
static void w_IpcResponse_tail(walker *w, const grite_IpcResponse *u, uint32_t d,
                               grite_IpcResponse_in *out)
{
    switch (out->tag) {
    case GRITE_IPC_RESPONSE_DOCTOR_RESULT:
        BEGIN_VARIANT(IpcResponse, DoctorResult)
        o->checks = w_vec_DoctorCheck(w, grite_IpcResponse_DoctorResult_checks(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT:
        BEGIN_VARIANT(IpcResponse, DaemonStatusResult)
        o->pid = w_u32(w, grite_IpcResponse_DaemonStatusResult_pid(p));
        o->started_ts = w_u64(w, grite_IpcResponse_DaemonStatusResult_started_ts(p));
        o->uptime_ms = w_u64(w, grite_IpcResponse_DaemonStatusResult_uptime_ms(p));
        o->requests_served = w_u64(w, grite_IpcResponse_DaemonStatusResult_requests_served(p));
        o->connected_clients = w_u32(w, grite_IpcResponse_DaemonStatusResult_connected_clients(p));
        o->schema_fingerprint = w_u64(w, grite_IpcResponse_DaemonStatusResult_schema_fingerprint(p));
        o->socket_path = w_str(w, grite_IpcResponse_DaemonStatusResult_socket_path(p), pd);
        o->data_dir = w_str(w, grite_IpcResponse_DaemonStatusResult_data_dir(p), pd);
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT:
        BEGIN_VARIANT(IpcResponse, DaemonStopResult)
        o->pid = w_u32(w, grite_IpcResponse_DaemonStopResult_pid(p));
        END_VARIANT()
        break;
    case GRITE_IPC_RESPONSE_ERROR:
        BEGIN_VARIANT(IpcResponse, Error)
        o->code = grite_IpcResponse_Error_code(p);
        FUZZ_CHECK(grite_ErrorCode_name(o->code) != NULL, "accepted ErrorCode %u has no name",
                   (unsigned)o->code);
        mix_u64(w, o->code);
        o->message = w_str(w, grite_IpcResponse_Error_message(p), pd);
        o->details = w_opt_str(w, grite_IpcResponse_Error_has_details(p),
                               grite_IpcResponse_Error_details(p), pd);
        END_VARIANT()
        break;
    default:
        FUZZ_CHECK(false, "IpcResponse tag %u not handled by the walk", (unsigned)out->tag);
    }
}

static void w_IpcReply(walker *w, const grite_IpcReply *p, uint32_t d, grite_IpcReply_in *out)
{
    out->ipc_schema_version = w_u32(w, grite_IpcReply_ipc_schema_version(p));
    out->request_id = w_str(w, grite_IpcReply_request_id(p), d);
    w_IpcResponse(w, grite_IpcReply_response(p), d, &out->response);
}

/* ---- Notification (open) --------------------------------------------------- */

static void notification_variants_agree(const grite_Notification *u, grite_Notification_kind tag)
{
    ONLY_VARIANT(Notification, EventApplied, GRITE_NOTIFICATION_EVENT_APPLIED);
    ONLY_VARIANT(Notification, LockChanged, GRITE_NOTIFICATION_LOCK_CHANGED);
    ONLY_VARIANT(Notification, SnapshotCreated, GRITE_NOTIFICATION_SNAPSHOT_CREATED);
    ONLY_VARIANT(Notification, WorkerStarted, GRITE_NOTIFICATION_WORKER_STARTED);
    ONLY_VARIANT(Notification, WorkerStopped, GRITE_NOTIFICATION_WORKER_STOPPED);
}

/* A tag this schema does not know: its `size` bytes are one opaque object. */
static void w_unknown_variant(walker *w, const grite_Notification *u, uint32_t d)
{
    FUZZ_CHECK(grite_Notification_kind_name(grite_Notification_tag(u)) == NULL,
               "unknown Notification tag has a name");
    uint32_t size = union_size(u);
    mix_u64(w, size);
    if (size == 0) {
        FUZZ_CHECK(union_offset(u) == 0, "empty unknown variant has an offset");
    } else {
        claim(w, (const uint8_t *)u + 4 + union_offset(u), size, 1, d + 1, "unknown variant");
    }
    w->rebuildable = false;   /* builders only know declared variants */
}

static void w_Notification(walker *w, const grite_Notification *u, uint32_t d, grite_Notification_in *out)
{
    grite_Notification_kind tag = grite_Notification_tag(u);
    notification_variants_agree(u, tag);
    mix_u64(w, tag);
    out->tag = tag;
    switch (tag) {
    case GRITE_NOTIFICATION_EVENT_APPLIED:
        BEGIN_VARIANT(Notification, EventApplied)
        o->event_id = w_str(w, grite_Notification_EventApplied_event_id(p), pd);
        o->issue_id = w_str(w, grite_Notification_EventApplied_issue_id(p), pd);
        o->actor_id = w_str(w, grite_Notification_EventApplied_actor_id(p), pd);
        o->kind = w_str(w, grite_Notification_EventApplied_kind(p), pd);
        o->ts = w_u64(w, grite_Notification_EventApplied_ts(p));
        END_VARIANT()
        break;
    case GRITE_NOTIFICATION_LOCK_CHANGED:
        BEGIN_VARIANT(Notification, LockChanged)
        o->resource = w_str(w, grite_Notification_LockChanged_resource(p), pd);
        o->owner = w_opt_str(w, grite_Notification_LockChanged_has_owner(p),
                             grite_Notification_LockChanged_owner(p), pd);
        o->expires_ts.present = w_bool(w, grite_Notification_LockChanged_has_expires_ts(p));
        o->expires_ts.value = w_u64(w, grite_Notification_LockChanged_expires_ts(p));
        FUZZ_CHECK(o->expires_ts.present || o->expires_ts.value == 0,
                   "absent expires_ts does not read as 0");
        END_VARIANT()
        break;
    case GRITE_NOTIFICATION_SNAPSHOT_CREATED:
        BEGIN_VARIANT(Notification, SnapshotCreated)
        o->snapshot_id = w_str(w, grite_Notification_SnapshotCreated_snapshot_id(p), pd);
        o->event_count = w_u64(w, grite_Notification_SnapshotCreated_event_count(p));
        grite_arr32_u8 hash = grite_Notification_SnapshotCreated_content_hash(p);
        FUZZ_CHECK(hash.len == 32, "content_hash view has length %zu", hash.len);
        for (size_t i = 0; i < hash.len; i++)
            o->content_hash[i] = grite_arr32_u8_at(hash, i);
        mix_bytes(w, o->content_hash, sizeof o->content_hash);
        o->ts = w_u64(w, grite_Notification_SnapshotCreated_ts(p));
        END_VARIANT()
        break;
    case GRITE_NOTIFICATION_WORKER_STARTED:
        BEGIN_VARIANT(Notification, WorkerStarted)
        o->repo_root = w_str(w, grite_Notification_WorkerStarted_repo_root(p), pd);
        o->actor_id = w_str(w, grite_Notification_WorkerStarted_actor_id(p), pd);
        o->pid = w_u32(w, grite_Notification_WorkerStarted_pid(p));
        o->ts = w_u64(w, grite_Notification_WorkerStarted_ts(p));
        END_VARIANT()
        break;
    case GRITE_NOTIFICATION_WORKER_STOPPED:
        BEGIN_VARIANT(Notification, WorkerStopped)
        o->repo_root = w_str(w, grite_Notification_WorkerStopped_repo_root(p), pd);
        o->actor_id = w_str(w, grite_Notification_WorkerStopped_actor_id(p), pd);
        o->reason = w_str(w, grite_Notification_WorkerStopped_reason(p), pd);
        o->ts = w_u64(w, grite_Notification_WorkerStopped_ts(p));
        END_VARIANT()
        break;
    default:
        w_unknown_variant(w, u, d);
        break;
    }
}

/* ---- the type table ------------------------------------------------------ */

/* walk_type entries: the root is at offset 0, depth 0. */
#define WALK_TYPE(T)                                                                  \
    static void walk_root_##T(walker *w, const void *root, void *in)                 \
    {                                                                                 \
        claim(w, root, sizeof(grite_##T), alignof(grite_##T), 0, #T);                 \
        w_##T(w, grite_##T##_root(root), 0, in);                                      \
    }                                                                                 \
    static int build_##T(grite_buf *b, const void *in) { return grite_##T##_build(b, in); } \
    static int json_##T(const void *root, grite_json *out)                           \
    {                                                                                 \
        return grite_##T##_to_json(grite_##T##_root(root), out);                      \
    }
#define WALK_ENTRY(T)                                                                         \
    { #T, sizeof(grite_##T##_in), grite_##T##_validate_depth, walk_root_##T, build_##T, json_##T }

WALK_TYPE(IpcRequest)
WALK_TYPE(IpcReply)
WALK_TYPE(Notification)
WALK_TYPE(IssueFilter)
WALK_TYPE(IpcCommand)
WALK_TYPE(IpcResponse)
WALK_TYPE(IssueSummary)
WALK_TYPE(Comment)
WALK_TYPE(Issue)
WALK_TYPE(DoctorCheck)

const walk_type walk_types[] = {
    WALK_ENTRY(IpcRequest),  WALK_ENTRY(IpcReply),     WALK_ENTRY(Notification),
    WALK_ENTRY(IssueFilter), WALK_ENTRY(IpcCommand),   WALK_ENTRY(IpcResponse),
    WALK_ENTRY(IssueSummary), WALK_ENTRY(Comment),     WALK_ENTRY(Issue),
    WALK_ENTRY(DoctorCheck),
};
const size_t walk_type_count = sizeof walk_types / sizeof walk_types[0];

const walk_type *walk_type_find(const char *name)
{
    for (size_t i = 0; i < walk_type_count; i++)
        if (strcmp(walk_types[i].name, name) == 0)
            return &walk_types[i];
    return NULL;
}

/* ---- the checks ---------------------------------------------------------- */

/* A rejection names a real code, a place inside the buffer and a path, and
 * does not depend on anything but the bytes (and the nesting limit). */
static void check_rejection(const walk_type *t, const void *buf, size_t len, int rc,
                            const grite_verror *err)
{
    FUZZ_CHECK(rc > 0 && rc < GRITE_VERROR_COUNT_ && rc == (int)err->code,
               "%s: validator returned %d with code %d", t->name, rc, (int)err->code);
    FUZZ_CHECK(err->offset <= len, "%s: error offset %u is past the buffer (%zu)", t->name,
               err->offset, len);
    FUZZ_CHECK(memchr(err->path, '\0', sizeof err->path) != NULL, "%s: error path is not terminated",
               t->name);
    char text[GRITE_VERROR_PATH_MAX + 128];
    FUZZ_CHECK(grite_verror_format(err, text, sizeof text) > 0, "%s: error does not format", t->name);
    FUZZ_CHECK(t->validate_depth(buf, len, GRITE_VALIDATE_MAX_DEPTH, NULL) == rc,
               "%s: validation is not deterministic", t->name);
    if (rc != GRITE_VERROR_TOO_DEEP) {
        grite_verror again;
        FUZZ_CHECK(t->validate_depth(buf, len, UINT32_MAX, &again) == rc &&
                       again.offset == err->offset && strcmp(again.path, err->path) == 0,
                   "%s: a higher nesting limit changes a %s rejection", t->name,
                   grite_verror_name(rc));
    }
}

/* Walk an accepted buffer into a new builder input (t->in_size bytes from
 * w's arena). Returns the input. */
static void *walk_accepted(const walk_type *t, walker *w, const void *buf, size_t len)
{
    walker_init(w, buf, len);
    void *in = walk_alloc(w, 1, t->in_size);
    t->walk(w, buf, in);
    return in;
}

/* The nesting limit is exact: the deepest object is allowed at its depth. */
static void check_depth(const walk_type *t, const void *buf, size_t len, uint32_t deepest)
{
    FUZZ_CHECK(t->validate_depth(buf, len, deepest, NULL) == 0,
               "%s: rejected with a nesting limit of its own depth %u", t->name, deepest);
    FUZZ_CHECK(t->validate_depth(buf, len, UINT32_MAX, NULL) == 0,
               "%s: rejected with no nesting limit", t->name);
    if (deepest > 0) {
        int rc = t->validate_depth(buf, len, deepest - 1, NULL);
        FUZZ_CHECK(rc == GRITE_VERROR_TOO_DEEP, "%s: depth %u accepted below its depth (rc %d)",
                   t->name, deepest, rc);
    }
}

/* Build `in`, which a walk produced; the builder must accept it. */
static void build_or_fail(const walk_type *t, grite_buf *b, const void *in)
{
    int rc = t->build(b, in);
    FUZZ_CHECK(rc == 0, "%s: what an accepted archive holds does not build (%s)", t->name,
               grite_build_strerror(rc));
}

/* Rebuild what `first` read and compare (walk.h, last point). */
static void check_rebuild(const walk_type *t, const walker *first, const void *in, size_t len)
{
    grite_buf b1, b2;
    FUZZ_CHECK(grite_buf_init_growable(&b1, 0, 0) == 0 && grite_buf_init_growable(&b2, 0, 0) == 0,
               "out of memory");
    build_or_fail(t, &b1, in);
    FUZZ_CHECK(b1.len <= len, "%s: canonical form (%zu bytes) is longer than the original (%zu)",
               t->name, b1.len, len);
    grite_verror err;
    int rc = t->validate_depth(b1.data, b1.len, GRITE_VALIDATE_MAX_DEPTH, &err);
    FUZZ_CHECK(rc == 0, "%s: rebuilt archive is rejected: %s at %u (%s)", t->name,
               grite_verror_name(rc), err.offset, err.path);
    walker second;
    void *in2 = walk_accepted(t, &second, b1.data, b1.len);
    FUZZ_CHECK(second.digest == first->digest, "%s: rebuilt archive reads back different values",
               t->name);
    FUZZ_CHECK(second.deepest == first->deepest, "%s: rebuilt archive is %u deep, original %u",
               t->name, second.deepest, first->deepest);
    build_or_fail(t, &b2, in2);
    FUZZ_CHECK(b2.len == b1.len && memcmp(b1.data, b2.data, b1.len) == 0,
               "%s: building the canonical form again gives other bytes", t->name);
    walker_done(&second);
    grite_buf_free(&b1);
    grite_buf_free(&b2);
}

bool walk_check(const walk_type *t, const void *buf, size_t len)
{
    grite_verror err;
    memset(&err, 0x5a, sizeof err);   /* success must clear it */
    int rc = t->validate_depth(buf, len, GRITE_VALIDATE_MAX_DEPTH, &err);
    if (rc != 0) {
        check_rejection(t, buf, len, rc, &err);
        return false;
    }
    FUZZ_CHECK(err.code == GRITE_VERROR_OK && err.path[0] == '\0', "%s: success left an error behind",
               t->name);
    walker w;
    void *in = walk_accepted(t, &w, buf, len);
    check_depth(t, buf, len, w.deepest);
    json_check(t->name, t->to_json, buf);
    if (w.rebuildable)
        check_rebuild(t, &w, in, len);
    walker_done(&w);
    return true;
}

/* ---- reading for harnesses ---------------------------------------------------- */

struct walk_input {
    walker w;
    void *value;
};

walk_input *walk_read(const walk_type *t, const void *buf, size_t len)
{
    if (t->validate_depth(buf, len, GRITE_VALIDATE_MAX_DEPTH, NULL) != 0)
        return NULL;
    walk_input *in = malloc(sizeof *in);
    FUZZ_CHECK(in != NULL, "out of memory");
    in->value = walk_accepted(t, &in->w, buf, len);
    return in;
}

void *walk_input_value(walk_input *in) { return in->value; }

void walk_input_free(walk_input *in)
{
    if (in == NULL)
        return;
    walker_done(&in->w);
    free(in);
}
