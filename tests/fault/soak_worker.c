/* soak_worker.c - one client process of the soak (soak.h).
 *
 * It mixes well-formed requests, sent with the runtime's client and each
 * reply checked field by field (request_id echoed, content as written),
 * with abuse sent as raw bytes: garbage bodies, lengths above the limit,
 * half frames abandoned or left hanging, junk instead of a hello, a wrong
 * fingerprint, pipelined requests, and killing itself in the middle of a
 * frame or of a request. It cannot use Check (it is not the test's
 * process): a failure is written to its slot and the process exits 1. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fault_util.h"
#include "grite/client.h"
#include "grite/frame.h"
#include "raw_socket.h"
#include "soak.h"

#define RX_CAP (SOAK_BODY_MAX + 16384)   /* the largest reply: a 64 KiB seed body and the rest */
#define GARBAGE_MAX 65536

struct worker {
    struct soak_shared *sh;
    struct soak_slot *slot;
    int s;
    uint64_t rng;
    grite_client *client;
    unsigned calls_until_reconnect;
    grite_buf req;    /* one request body */
    grite_buf out;    /* raw bytes to send */
    uint8_t *rx;      /* raw replies (8-aligned: malloc) */
    uint8_t *scratch; /* garbage */
    char *body_buf;   /* expected seed bodies */
    unsigned long n;  /* requests made: part of each request_id */
    int hanging_fd;
    int64_t hang_until;
};

static _Noreturn void fail(struct worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static _Noreturn void fail(struct worker *w, const char *fmt, ...)
{
    struct soak_slot *slot = w->slot;
    if (!slot->failed) {
        int used = snprintf(slot->failure, sizeof slot->failure, "slot %d (generation %u, pid %ld): ", w->s,
                            slot->generation, (long)getpid());
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(slot->failure + used, sizeof slot->failure - (size_t)used, fmt, ap);
        va_end(ap);
        slot->failed = 1;
    }
    _exit(1);
}

static uint64_t next_rand(struct worker *w)
{
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * UINT64_C(2685821657736338717);
}

static unsigned below(struct worker *w, unsigned n)
{
    return (unsigned)(next_rand(w) % n);
}

static bool str_is(grite_str s, const char *want)
{
    return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

/* ---- requests and replies -------------------------------------------------------- */

static void build(struct worker *w, const grite_IpcCommand_in *cmd, const char *actor, char rid[48])
{
    snprintf(rid, 48, "s%d.g%u.n%lu", w->s, w->slot->generation, ++w->n);
    grite_IpcRequest_in in = {
        .ipc_schema_version = 1,
        .request_id = grite_str_from_cstr(rid),
        .repo_root = GRITE_STR("/soak"),
        .actor_id = grite_str_from_cstr(actor),
        .data_dir = grite_str_from_cstr(w->sh->data_dir),
        .command = *cmd,
    };
    int rc = grite_IpcRequest_build(&w->req, &in);
    if (rc != 0) fail(w, "cannot build a request: %s", grite_build_strerror(rc));
}

/* The reply is for this request: "no response sent to the wrong client". */
static const grite_IpcReply *check_envelope(struct worker *w, const grite_IpcReply *reply, const char *rid)
{
    if (grite_IpcReply_ipc_schema_version(reply) != 1)
        fail(w, "reply with ipc_schema_version %u", grite_IpcReply_ipc_schema_version(reply));
    if (!str_is(grite_IpcReply_request_id(reply), rid))
        fail(w, "got the reply to request \"%s\" while waiting for \"%s\"", grite_IpcReply_request_id(reply).ptr, rid);
    return reply;
}

static const grite_IpcResponse *must_be(struct worker *w, const grite_IpcReply *reply, grite_IpcResponse_kind kind)
{
    const grite_IpcResponse *r = grite_IpcReply_response(reply);
    grite_IpcResponse_kind got = grite_IpcResponse_tag(r);
    if (got == kind) return r;
    if (got == GRITE_IPC_RESPONSE_ERROR) {
        const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(r);
        fail(w, "expected %s, got Error %s: %s (%s)", grite_IpcResponse_kind_name(kind),
             grite_ErrorCode_name(grite_IpcResponse_Error_code(e)), grite_IpcResponse_Error_message(e).ptr,
             grite_IpcResponse_Error_details(e).ptr);
    }
    fail(w, "expected %s, got %s", grite_IpcResponse_kind_name(kind), grite_IpcResponse_kind_name(got));
}

static const grite_IpcResponse_Error *must_be_error(struct worker *w, const grite_IpcReply *reply, grite_ErrorCode code)
{
    const grite_IpcResponse_Error *e = grite_IpcResponse_as_Error(must_be(w, reply, GRITE_IPC_RESPONSE_ERROR));
    if (grite_IpcResponse_Error_code(e) != code || grite_IpcResponse_Error_message(e).len == 0)
        fail(w, "expected Error %s, got %s: %s", grite_ErrorCode_name(code),
             grite_ErrorCode_name(grite_IpcResponse_Error_code(e)), grite_IpcResponse_Error_message(e).ptr);
    return e;
}

static void reconnect(struct worker *w)
{
    grite_client_disconnect(w->client);
    if (grite_client_connect(w->client) != 0) fail(w, "connect: %s", grite_client_strerror(w->client));
    w->calls_until_reconnect = 20 + below(w, 200);
}

/* One well-formed request through the runtime's client. */
static const grite_IpcReply *call(struct worker *w, const grite_IpcCommand_in *cmd, const char *actor)
{
    if (w->calls_until_reconnect-- == 0) {
        reconnect(w);
        w->slot->counts.reconnects++;
    }
    char rid[48];
    build(w, cmd, actor, rid);
    const void *resp;
    size_t len;
    if (grite_client_call(w->client, &w->req, &resp, &len) != 0)
        fail(w, "%s (request %s): %s", grite_IpcCommand_kind_name(cmd->tag), rid, grite_client_strerror(w->client));
    return check_envelope(w, grite_IpcReply_root(resp), rid);
}

/* ---- what is expected --------------------------------------------------------------- */

static grite_IpcCommand_in show_cmd(const char *issue_id)
{
    return (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow.issue_id = grite_str_from_cstr(issue_id)};
}

static void verify_seed(struct worker *w, const grite_IpcReply *reply, int i)
{
    const grite_IpcResponse *r = must_be(w, reply, GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    const grite_Issue *is = grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
    char why[512];
    if (!check_seed(is, i, &w->sh->seeds[i], w->body_buf, why, sizeof why)) fail(w, "%s", why);
    w->slot->counts.verified++;
}

static void verify_status(struct worker *w, const grite_IpcReply *reply)
{
    const grite_IpcResponse_DaemonStatusResult *st =
        grite_IpcResponse_as_DaemonStatusResult(must_be(w, reply, GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT));
    if (grite_IpcResponse_DaemonStatusResult_pid(st) != (uint32_t)w->sh->daemon_pid ||
        !str_is(grite_IpcResponse_DaemonStatusResult_data_dir(st), w->sh->data_dir) ||
        !str_is(grite_IpcResponse_DaemonStatusResult_socket_path(st), w->sh->socket_path) ||
        grite_IpcResponse_DaemonStatusResult_schema_fingerprint(st) != GRITE_SCHEMA_FINGERPRINT)
        fail(w, "DaemonStatus names pid %u, data dir %s, socket %s", grite_IpcResponse_DaemonStatusResult_pid(st),
             grite_IpcResponse_DaemonStatusResult_data_dir(st).ptr,
             grite_IpcResponse_DaemonStatusResult_socket_path(st).ptr);
    w->slot->counts.verified++;
}

/* ---- well-formed requests ------------------------------------------------------------- */

static void show_seed(struct worker *w)
{
    int i = (int)below(w, SOAK_SEEDS);
    grite_IpcCommand_in cmd = show_cmd(w->sh->seeds[i].issue_id);
    verify_seed(w, call(w, &cmd, below(w, 2) ? "" : w->slot->actor), i);
}

static void list_even(struct worker *w)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST,
                               .v.IssueList.filter = {.label = {true, GRITE_STR(SOAK_LABEL_EVEN)},
                                                      .limit = {true, 50}}};
    const grite_IpcResponse *r = must_be(w, call(w, &cmd, ""), GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    char why[512];
    if (!check_even_list(grite_IpcResponse_as_IssueListResult(r), w->sh, why, sizeof why)) fail(w, "%s", why);
    w->slot->counts.verified++;
}

static void show_own(struct worker *w)
{
    grite_IpcCommand_in cmd = show_cmd(w->slot->issue_id);
    const grite_IpcResponse *r = must_be(w, call(w, &cmd, ""), GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    const grite_Issue *is = grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
    char why[512];
    if (!check_slot_issue(is, w->s, w->slot, why, sizeof why)) fail(w, "%s", why);
    w->slot->counts.verified++;
}

/* The next comment of this slot: its number is taken before it is sent,
 * so a comment sent by a process killed before the reply is known to
 * have possibly been applied. */
static grite_IpcCommand_in next_comment(struct worker *w, uint32_t *seq, char *body, size_t n)
{
    *seq = w->slot->next_seq++;
    slot_comment(w->s, *seq, body, n);
    return (grite_IpcCommand_in){.tag = GRITE_IPC_COMMAND_ISSUE_COMMENT,
                                 .v.IssueComment = {.issue_id = grite_str_from_cstr(w->slot->issue_id),
                                                    .body = grite_str_from_cstr(body)}};
}

static void comment_own(struct worker *w)
{
    if (w->slot->next_seq >= SOAK_COMMENTS_PER_SLOT) {
        show_own(w);
        return;
    }
    uint32_t seq;
    char body[64];
    grite_IpcCommand_in cmd = next_comment(w, &seq, body, sizeof body);
    const grite_IpcResponse *r = must_be(w, call(w, &cmd, w->slot->actor), GRITE_IPC_RESPONSE_COMMENT_RESULT);
    const grite_IpcResponse_CommentResult *done = grite_IpcResponse_as_CommentResult(r);
    if (!str_is(grite_IpcResponse_CommentResult_issue_id(done), w->slot->issue_id) ||
        grite_IpcResponse_CommentResult_comment_id(done).len != 32)
        fail(w, "CommentResult for issue %s, comment id %s", grite_IpcResponse_CommentResult_issue_id(done).ptr,
             grite_IpcResponse_CommentResult_comment_id(done).ptr);
    w->slot->acked |= UINT64_C(1) << seq;
    w->slot->counts.comments_acked++;
    w->slot->counts.verified++;
}

static void status(struct worker *w)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    verify_status(w, call(w, &cmd, ""));
}

static void expect_lock(struct worker *w, const grite_IpcReply *reply, const char *resource, bool held)
{
    const grite_IpcResponse_LockResult *l =
        grite_IpcResponse_as_LockResult(must_be(w, reply, GRITE_IPC_RESPONSE_LOCK_RESULT));
    if (grite_IpcResponse_LockResult_held(l) != held || !str_is(grite_IpcResponse_LockResult_resource(l), resource) ||
        !str_is(grite_IpcResponse_LockResult_owner(l), held ? w->slot->actor : ""))
        fail(w, "LockResult for %s: held %d by \"%s\", expected held %d", grite_IpcResponse_LockResult_resource(l).ptr,
             (int)grite_IpcResponse_LockResult_held(l), grite_IpcResponse_LockResult_owner(l).ptr, (int)held);
    w->slot->counts.verified++;
}

static void lock_cycle(struct worker *w)
{
    char resource[32];
    snprintf(resource, sizeof resource, "soak-slot-%d", w->s);
    grite_IpcCommand_in take = {.tag = GRITE_IPC_COMMAND_LOCK_ACQUIRE,
                                .v.LockAcquire = {.resource = grite_str_from_cstr(resource), .ttl_ms = 60000}};
    expect_lock(w, call(w, &take, w->slot->actor), resource, true);
    grite_IpcCommand_in give = {.tag = GRITE_IPC_COMMAND_LOCK_RELEASE,
                                .v.LockRelease.resource = grite_str_from_cstr(resource)};
    expect_lock(w, call(w, &give, w->slot->actor), resource, false);
}

static void not_found(struct worker *w)
{
    char id[33];
    snprintf(id, sizeof id, "%016llx%016llx", (unsigned long long)next_rand(w), (unsigned long long)next_rand(w));
    grite_IpcCommand_in cmd = show_cmd(id);
    const grite_IpcResponse_Error *e = must_be_error(w, call(w, &cmd, ""), GRITE_ERROR_CODE_NOT_FOUND);
    if (!strstr(grite_IpcResponse_Error_message(e).ptr, id))
        fail(w, "not_found for %s says \"%s\"", id, grite_IpcResponse_Error_message(e).ptr);
    w->slot->counts.expected_errors++;
}

static void doctor(struct worker *w)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DOCTOR};
    const grite_IpcResponse *r = must_be(w, call(w, &cmd, ""), GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    grite_vec_DoctorCheck checks = grite_IpcResponse_DoctorResult_checks(grite_IpcResponse_as_DoctorResult(r));
    for (size_t i = 0; i < checks.len; i++) {
        const grite_DoctorCheck *c = grite_vec_DoctorCheck_at(checks, i);
        if (str_is(grite_DoctorCheck_name(c), "store_integrity")) {
            if (grite_DoctorCheck_status(c) != GRITE_CHECK_STATUS_OK)
                fail(w, "Doctor: store_integrity: %s", grite_DoctorCheck_message(c).ptr);
            w->slot->counts.verified++;
            return;
        }
    }
    fail(w, "Doctor has no store_integrity check");
}

/* ---- raw bytes ----------------------------------------------------------------------------- */

static int raw_open(struct worker *w)
{
    int fd = raw_connect(w->sh->socket_path, w->sh->call_timeout_ms);
    if (fd < 0) fail(w, "connect %s: %s", w->sh->socket_path, strerror(errno));
    return fd;
}

static void out_start(struct worker *w, uint64_t fingerprint)
{
    grite_buf_reset(&w->out);
    raw_put_hello(&w->out, GRITE_SESSION_HELLO_CLIENT, fingerprint);
}

static void out_request(struct worker *w, const grite_IpcCommand_in *cmd, const char *actor, char rid[48])
{
    build(w, cmd, actor, rid);
    if (raw_put_frame(&w->out, w->req.data, w->req.len) != 0) fail(w, "out of memory");
}

/* A seed's IssueShow, appended to the raw bytes; *i says which seed. */
static void out_show_seed(struct worker *w, int *i, char rid[48])
{
    *i = (int)below(w, SOAK_SEEDS);
    grite_IpcCommand_in cmd = show_cmd(w->sh->seeds[*i].issue_id);
    out_request(w, &cmd, "", rid);
}

static void send_out(struct worker *w, int fd, size_t n)
{
    if (raw_send(fd, w->out.data, n) != 0) fail(w, "send: %s", strerror(errno));
}

static void expect_hello(struct worker *w, int fd, grite_session_hello_kind want)
{
    grite_session_hello_kind kind = 0;
    if (raw_read_hello(fd, &kind) != 0 || kind != want)
        fail(w, "expected hello kind %d from the daemon, got %d (%s)", (int)want, (int)kind, strerror(errno));
}

static const grite_IpcReply *read_reply(struct worker *w, int fd, const char *rid)
{
    char why[256];
    const grite_IpcReply *reply = raw_read_reply(fd, w->rx, RX_CAP, why, sizeof why);
    if (!reply) fail(w, "waiting for the reply to \"%s\": %s", rid, why);
    return check_envelope(w, reply, rid);
}

static void expect_closed(struct worker *w, int fd, const char *after)
{
    if (!raw_expect_eof(fd)) fail(w, "after %s the daemon kept the connection open or sent more", after);
}

/* ---- abuse ------------------------------------------------------------------------------- */

/* Random bytes that do not validate as an IpcRequest; their length. */
static size_t make_garbage(struct worker *w)
{
    size_t len = below(w, 8) == 0 ? 1 + below(w, GARBAGE_MAX) : 1 + below(w, 2048);
    for (;;) {
        for (size_t i = 0; i < len; i++) w->scratch[i] = (uint8_t)next_rand(w);
        grite_verror verr;
        if (grite_IpcRequest_validate(w->scratch, len, &verr) != 0) return len;
    }
}

/* A garbage frame gets an ipc_error reply with an empty request_id, and
 * the connection stays in step: the request behind it is answered. */
static void garbage_frame(struct worker *w)
{
    char rid[48];
    int seed;
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    size_t len = make_garbage(w);
    raw_put_frame(&w->out, w->scratch, len);
    out_show_seed(w, &seed, rid);
    int fd = raw_open(w);
    send_out(w, fd, w->out.len);
    expect_hello(w, fd, GRITE_SESSION_HELLO_ACCEPT);
    must_be_error(w, read_reply(w, fd, ""), GRITE_ERROR_CODE_IPC_ERROR);
    verify_seed(w, read_reply(w, fd, rid), seed);
    close(fd);
    w->slot->counts.garbage++;
}

/* A length above the 16 MiB limit: an ipc_error reply, then the daemon
 * closes (it cannot find the next frame), without reading the body. */
static void oversized_frame(struct worker *w)
{
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    size_t off;
    grite_buf_reserve(&w->out, GRITE_FRAME_HEADER_SIZE, 1, &off);
    uint32_t len = GRITE_FRAME_MAX_DEFAULT + 1 + (uint32_t)below(w, UINT32_MAX - GRITE_FRAME_MAX_DEFAULT - 1);
    grite_frame_put_header(w->out.data + off, len);
    int fd = raw_open(w);
    send_out(w, fd, w->out.len);
    expect_hello(w, fd, GRITE_SESSION_HELLO_ACCEPT);
    must_be_error(w, read_reply(w, fd, ""), GRITE_ERROR_CODE_IPC_ERROR);
    expect_closed(w, fd, "an oversized frame");
    close(fd);
    w->slot->counts.oversized++;
}

/* A request answered, then half of the next one, then close. */
static void half_frame_closed(struct worker *w)
{
    char first[48], second[48];
    int seed, other;
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    out_show_seed(w, &seed, first);
    size_t whole = w->out.len;
    out_show_seed(w, &other, second);
    size_t cut = whole + 1 + below(w, (unsigned)(w->out.len - whole - 1));
    int fd = raw_open(w);
    send_out(w, fd, cut);
    expect_hello(w, fd, GRITE_SESSION_HELLO_ACCEPT);
    verify_seed(w, read_reply(w, fd, first), seed);
    close(fd);
    w->slot->counts.half_closed++;
}

/* Half a frame (cut anywhere, even in its header), then silence for a
 * while, then close; another connection goes on meanwhile. */
static void half_frame_hung(struct worker *w)
{
    char rid[48];
    int seed;
    if (w->hanging_fd >= 0) close(w->hanging_fd);
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    size_t hello = w->out.len;
    out_show_seed(w, &seed, rid);
    size_t cut = hello + 1 + below(w, (unsigned)(w->out.len - hello - 1));
    w->hanging_fd = raw_open(w);
    send_out(w, w->hanging_fd, cut);
    w->hang_until = test_clock_ms() + 200 + below(w, 2800);
    w->slot->counts.half_hung++;
}

static void release_hung(struct worker *w, bool now)
{
    if (w->hanging_fd < 0 || (!now && test_clock_ms() < w->hang_until)) return;
    close(w->hanging_fd);
    w->hanging_fd = -1;
}

/* Junk instead of a hello: the daemon closes without sending a byte. */
static void junk_instead_of_hello(struct worker *w)
{
    size_t len = 1 + below(w, 300);
    for (size_t i = 0; i < len; i++) w->scratch[i] = (uint8_t)next_rand(w);
    int fd = raw_open(w);
    if (raw_send(fd, w->scratch, len) != 0 && errno != EPIPE && errno != ECONNRESET)
        fail(w, "send junk: %s", strerror(errno));
    shutdown(fd, SHUT_WR);
    expect_closed(w, fd, "junk instead of a hello");
    close(fd);
    w->slot->counts.junk++;
}

/* Another schema's fingerprint: MISMATCH, and the request is not run. */
static void wrong_fingerprint(struct worker *w)
{
    char rid[48];
    int seed;
    out_start(w, GRITE_SCHEMA_FINGERPRINT ^ UINT64_C(0x5a5a5a5a5a5a5a5a));
    out_show_seed(w, &seed, rid);
    int fd = raw_open(w);
    send_out(w, fd, w->out.len);
    expect_hello(w, fd, GRITE_SESSION_HELLO_MISMATCH);
    expect_closed(w, fd, "a MISMATCH hello");
    close(fd);
    w->slot->counts.mismatched++;
}

/* Three requests in one write: three replies, in order. */
static void pipelined(struct worker *w)
{
    char a[48], b[48], c[48];
    int sa, sc;
    grite_IpcCommand_in st = {.tag = GRITE_IPC_COMMAND_DAEMON_STATUS};
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    out_show_seed(w, &sa, a);
    out_request(w, &st, "", b);
    out_show_seed(w, &sc, c);
    int fd = raw_open(w);
    send_out(w, fd, w->out.len);
    expect_hello(w, fd, GRITE_SESSION_HELLO_ACCEPT);
    verify_seed(w, read_reply(w, fd, a), sa);
    verify_status(w, read_reply(w, fd, b));
    verify_seed(w, read_reply(w, fd, c), sc);
    close(fd);
    w->slot->counts.pipelined += 3;
}

static _Noreturn void die_now(void)
{
    raise(SIGKILL);
    _exit(99);   /* not reached */
}

static void killed_mid_frame(struct worker *w)
{
    char rid[48];
    int seed;
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    size_t hello = w->out.len;
    out_show_seed(w, &seed, rid);
    int fd = raw_open(w);
    send_out(w, fd, hello + 1 + below(w, (unsigned)(w->out.len - hello - 1)));
    w->slot->counts.killed_mid_frame++;
    die_now();
}

/* A whole request, a write when the slot has room, then death before the
 * reply: the daemon runs it and finds nobody to answer. */
static void killed_mid_request(struct worker *w)
{
    char rid[48], body[64];
    int seed;
    out_start(w, GRITE_SCHEMA_FINGERPRINT);
    if (w->slot->next_seq < SOAK_COMMENTS_PER_SLOT) {
        uint32_t seq;
        grite_IpcCommand_in cmd = next_comment(w, &seq, body, sizeof body);
        out_request(w, &cmd, w->slot->actor, rid);
    } else {
        out_show_seed(w, &seed, rid);
    }
    int fd = raw_open(w);
    send_out(w, fd, w->out.len);
    w->slot->counts.killed_mid_request++;
    die_now();
}

/* ---- the process ------------------------------------------------------------------------------ */

/* One step, chosen at random: mostly well-formed requests. Out of 1000. */
static void step(struct worker *w)
{
    unsigned r = below(w, 1000);
    if (r < 350) show_seed(w);
    else if (r < 450) list_even(w);
    else if (r < 550) show_own(w);
    else if (r < 620) comment_own(w);
    else if (r < 660) status(w);
    else if (r < 720) lock_cycle(w);
    else if (r < 750) not_found(w);
    else if (r < 752) doctor(w);
    else if (r < 800) pipelined(w);
    else if (r < 860) garbage_frame(w);
    else if (r < 890) oversized_frame(w);
    else if (r < 930) half_frame_closed(w);
    else if (r < 950) half_frame_hung(w);
    else if (r < 980) junk_instead_of_hello(w);
    else if (r < 996) wrong_fingerprint(w);
    else if (r < 998) killed_mid_frame(w);
    else killed_mid_request(w);
}

static void worker_init(struct worker *w, struct soak_shared *sh, int s)
{
    memset(w, 0, sizeof *w);
    w->sh = sh;
    w->s = s;
    w->slot = &sh->slots[s];
    w->rng = (uint64_t)getpid() * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)test_clock_ms() ^ ((uint64_t)s << 32);
    w->hanging_fd = -1;
    w->rx = malloc(RX_CAP);
    w->scratch = malloc(GARBAGE_MAX);
    w->body_buf = malloc(SOAK_BODY_MAX + 1);
    if (!w->rx || !w->scratch || !w->body_buf || grite_buf_init_growable(&w->req, 4096, 0) != 0 ||
        grite_buf_init_growable(&w->out, 4096, 0) != 0)
        fail(w, "out of memory");
    grite_client_options opt = {.schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
                                .validate_response = grite_IpcReply_validate,
                                .timeout_ms = sh->call_timeout_ms};
    w->client = grite_client_new(sh->socket_path, &opt);
    if (!w->client) fail(w, "grite_client_new failed");
    reconnect(w);
}

static void worker_free(struct worker *w)
{
    release_hung(w, true);
    grite_client_free(w->client);
    grite_buf_free(&w->req);
    grite_buf_free(&w->out);
    free(w->rx);
    free(w->scratch);
    free(w->body_buf);
}

_Noreturn void soak_worker_main(struct soak_shared *sh, int s)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_IGN);
    struct worker w;
    worker_init(&w, sh, s);
    while (test_clock_ms() < sh->deadline_ms) {
        release_hung(&w, false);
        step(&w);
    }
    worker_free(&w);
    _exit(0);
}

/* ---- the sloth -------------------------------------------------------------------------------- */

_Noreturn void soak_sloth_main(struct soak_shared *sh)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_IGN);
    uint8_t bytes[GRITE_SESSION_HELLO_FRAME_SIZE + GRITE_FRAME_HEADER_SIZE + 10] = {0};
    grite_session_hello_encode(bytes, GRITE_SESSION_HELLO_CLIENT, GRITE_SCHEMA_FINGERPRINT, GRITE_FRAME_MAX_DEFAULT);
    grite_frame_put_header(bytes + GRITE_SESSION_HELLO_FRAME_SIZE, 100);   /* announces 100, sends 10 */
    int fd = raw_connect(sh->socket_path, 60000);
    if (fd < 0 || raw_send(fd, bytes, sizeof bytes) != 0) {
        snprintf(sh->sloth_failure, sizeof sh->sloth_failure, "connect/send: %s", strerror(errno));
        _exit(1);
    }
    int64_t sent = test_clock_ms();
    if (!raw_expect_eof(fd)) {
        snprintf(sh->sloth_failure, sizeof sh->sloth_failure,
                 "the daemon answered half a frame, or did not drop it within 60 s (%s)", strerror(errno));
        _exit(1);
    }
    sh->sloth_closed_after_ms = test_clock_ms() - sent;
    close(fd);
    _exit(0);
}
