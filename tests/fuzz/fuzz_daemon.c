/*
 * fuzz_daemon.c - grite-daemon's request handling through its real socket:
 * a client sends the daemon (daemon_host.h: the daemon's own code serving
 * on a thread) requests made from the fuzz input, one at a time, and
 * checks every reply.
 *
 * Input: one flag byte (FLAG_*), then up to MAX_PIECES pieces, each a
 * little-endian u16 length and that many bytes (the last piece takes what
 * is left). A piece that validates as an IpcRequest is read (walk.h),
 * adjusted so it can reach the handlers, rebuilt and sent:
 *  - data_dir becomes the daemon's (unless FLAG_KEEP_DATA_DIR: then the
 *    envelope check sees the fuzzer's string);
 *  - an issue_id "@k" becomes the id of the k-th issue this input created
 *    (the daemon makes the ids, the fuzzer could not guess them);
 *  - an absolute sync remote becomes one of the sandbox's remotes, so
 *    SyncPush never writes outside the sandbox (a relative one is kept:
 *    it must be refused).
 * Any other piece is sent as it is, as a frame.
 *
 * Checked for every piece: exactly one reply frame, in order, before the
 * next request (the daemon's hello ACCEPT with our fingerprint comes
 * first); it validates as an IpcReply and reads back cleanly (walk.h);
 * ipc_schema_version is 1; a request gets its own request_id back and
 * either the result variant of its command or an Error that is not
 * internal_error; a frame that is not a request gets an Error ipc_error
 * with an empty request_id; the daemon answers within 10 s, and neither
 * drops the connection nor stops unless a DaemonStop asked it to.
 *
 * Seeds: corpus/daemon (every command, sequences creating and then using
 * issues, leases and syncs), written by gen_corpus.c.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon_host.h"
#include "fuzz_daemon.h"
#include "fuzz_util.h"
#include "grite/frame.h"
#include "grite/session.h"
#include "walk.h"

#define REPLY_TIMEOUT_MS 10000
#define MAX_CREATED 16
#define IPC_VERSION 1u

/* ---- the connection --------------------------------------------------------------- */

static int connect_daemon(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", daemon_host_socket());
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    FUZZ_CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0,
               "cannot connect to the daemon: %s (stop reason %d)", strerror(errno), daemon_host_stop_reason());
    return fd;
}

/* Send it all. Returns false if the daemon closed the connection. */
static bool send_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
            return false;
        FUZZ_CHECK(n > 0, "send: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_frame(int fd, const void *body, size_t len)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    grite_frame_put_header(header, (uint32_t)len);
    return send_all(fd, header, sizeof header) && send_all(fd, body, len);
}

/* Read exactly len bytes. Returns false on a clean end of stream before
 * the first byte; the daemon must not take longer than REPLY_TIMEOUT_MS. */
static bool recv_exact(int fd, void *out, size_t len)
{
    uint8_t *p = out;
    size_t got = 0;
    while (got < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int ready = poll(&pfd, 1, REPLY_TIMEOUT_MS);
        FUZZ_CHECK(ready != 0, "the daemon did not answer within %d ms", REPLY_TIMEOUT_MS);
        if (ready < 0 && errno == EINTR)
            continue;
        ssize_t n = recv(fd, p + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 && got == 0)
            return false;
        FUZZ_CHECK(n > 0, "the daemon cut a frame short (%s)", n == 0 ? "end of stream" : strerror(errno));
        got += (size_t)n;
    }
    return true;
}

/* One whole frame into a heap block of exactly its size, or NULL at the
 * end of the stream. */
static uint8_t *recv_frame(int fd, size_t *len)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    if (!recv_exact(fd, header, sizeof header))
        return NULL;
    *len = grite_frame_get_length(header);
    FUZZ_CHECK(*len <= GRITE_FRAME_MAX_DEFAULT, "reply frame of %zu bytes", *len);
    uint8_t *body = malloc(*len ? *len : 1);
    FUZZ_CHECK(body != NULL, "out of memory");
    FUZZ_CHECK(*len == 0 || recv_exact(fd, body, *len), "the daemon cut a frame short");
    return body;
}

static void check_server_hello(int fd)
{
    size_t len;
    uint8_t *body = recv_frame(fd, &len);
    FUZZ_CHECK(body != NULL, "the daemon closed without a hello");
    grite_session_hello h;
    const char *bad = grite_session_hello_decode(body, len, &h);
    FUZZ_CHECK(bad == NULL && h.kind == GRITE_SESSION_HELLO_ACCEPT && h.fingerprint == GRITE_SCHEMA_FINGERPRINT,
               "the daemon's hello is not ACCEPT with our fingerprint (%s)", bad ? bad : "wrong kind");
    free(body);
}

/* ---- what each piece becomes ------------------------------------------------------- */

typedef struct session {
    int fd;
    bool hello_read;
    bool keep_data_dir;
    char *created[MAX_CREATED];   /* issue ids, in creation order */
    size_t n_created;
    bool stopped;                 /* a DaemonStop was answered */
} session;

/* What the reply to one piece must look like. */
typedef struct expected {
    bool request;                /* the piece was a valid IpcRequest */
    grite_IpcCommand_kind command;
    char *request_id;            /* copied: the piece is gone by then */
    size_t request_id_len;
} expected;

static void substitute_id(const session *s, grite_str *id)
{
    if (id->len == 2 && id->ptr[0] == '@' && s->n_created > 0)
        *id = grite_str_from_cstr(s->created[(size_t)(unsigned char)id->ptr[1] % s->n_created]);
}

static void substitute_remote(grite_str *remote)
{
    if (remote->len > 0 && remote->ptr[0] == '/')
        *remote = grite_str_from_cstr(daemon_host_remote(remote->len));
}

/* Make a request able to reach its handler (see the top of the file). */
static void adjust(const session *s, grite_IpcRequest_in *r)
{
    if (!s->keep_data_dir)
        r->data_dir = grite_str_from_cstr(daemon_host_data_dir());
    grite_IpcCommand_in *c = &r->command;
    switch (c->tag) {
    case GRITE_IPC_COMMAND_ISSUE_SHOW: substitute_id(s, &c->v.IssueShow.issue_id); break;
    case GRITE_IPC_COMMAND_ISSUE_UPDATE: substitute_id(s, &c->v.IssueUpdate.issue_id); break;
    case GRITE_IPC_COMMAND_ISSUE_CLOSE: substitute_id(s, &c->v.IssueClose.issue_id); break;
    case GRITE_IPC_COMMAND_ISSUE_REOPEN: substitute_id(s, &c->v.IssueReopen.issue_id); break;
    case GRITE_IPC_COMMAND_ISSUE_COMMENT: substitute_id(s, &c->v.IssueComment.issue_id); break;
    case GRITE_IPC_COMMAND_SYNC_PULL: substitute_remote(&c->v.SyncPull.remote); break;
    case GRITE_IPC_COMMAND_SYNC_PUSH: substitute_remote(&c->v.SyncPush.remote); break;
    default: break;
    }
}

/* Send one piece; fills *e. Returns false if the daemon closed on us. */
static bool send_piece(session *s, const uint8_t *piece, size_t len, expected *e)
{
    void *copy = fuzz_exact_copy(piece, len);
    walk_input *in = walk_read(&walk_types[0], copy, len);
    memset(e, 0, sizeof *e);
    bool sent;
    if (in == NULL) {
        sent = send_frame(s->fd, copy, len);
    } else {
        grite_IpcRequest_in *r = walk_input_value(in);
        adjust(s, r);
        grite_buf b;
        FUZZ_CHECK(grite_buf_init_growable(&b, 0, 0) == 0 && grite_IpcRequest_build(&b, r) == 0,
                   "an adjusted request does not build");
        e->request = true;
        e->command = r->command.tag;
        e->request_id_len = r->request_id.len;
        e->request_id = fuzz_exact_copy((const uint8_t *)r->request_id.ptr, r->request_id.len);
        sent = send_frame(s->fd, b.data, b.len);
        grite_buf_free(&b);
        walk_input_free(in);
    }
    free(copy);
    return sent;
}

/* ---- the replies ---------------------------------------------------------------------- */

/* The result variant a successful command answers with. */
static grite_IpcResponse_kind result_of(grite_IpcCommand_kind command)
{
    switch (command) {
    case GRITE_IPC_COMMAND_ISSUE_LIST: return GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_CREATE: return GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_SHOW: return GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_UPDATE: return GRITE_IPC_RESPONSE_ISSUE_UPDATE_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_CLOSE: return GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_REOPEN: return GRITE_IPC_RESPONSE_ISSUE_STATE_RESULT;
    case GRITE_IPC_COMMAND_ISSUE_COMMENT: return GRITE_IPC_RESPONSE_COMMENT_RESULT;
    case GRITE_IPC_COMMAND_SYNC_PULL: return GRITE_IPC_RESPONSE_SYNC_RESULT;
    case GRITE_IPC_COMMAND_SYNC_PUSH: return GRITE_IPC_RESPONSE_SYNC_RESULT;
    case GRITE_IPC_COMMAND_LOCK_ACQUIRE: return GRITE_IPC_RESPONSE_LOCK_RESULT;
    case GRITE_IPC_COMMAND_LOCK_RELEASE: return GRITE_IPC_RESPONSE_LOCK_RESULT;
    case GRITE_IPC_COMMAND_DOCTOR: return GRITE_IPC_RESPONSE_DOCTOR_RESULT;
    case GRITE_IPC_COMMAND_DAEMON_STATUS: return GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT;
    case GRITE_IPC_COMMAND_DAEMON_STOP: return GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT;
    }
    return GRITE_IPC_RESPONSE_ERROR;
}

static void remember_created(session *s, const grite_IpcResponse *resp)
{
    const grite_IpcResponse_IssueCreateResult *r = grite_IpcResponse_as_IssueCreateResult(resp);
    if (r == NULL || s->n_created == MAX_CREATED)
        return;
    grite_str id = grite_IpcResponse_IssueCreateResult_issue_id(r);
    s->created[s->n_created] = strndup(id.ptr, id.len);
    FUZZ_CHECK(s->created[s->n_created] != NULL, "out of memory");
    s->n_created++;
}

static void check_reply(session *s, const expected *e, const void *buf, size_t len)
{
    FUZZ_CHECK(walk_check(&walk_types[1], buf, len), "the daemon's reply is not a valid IpcReply");
    const grite_IpcReply *rep = grite_IpcReply_root(buf);
    FUZZ_CHECK(grite_IpcReply_ipc_schema_version(rep) == IPC_VERSION, "reply version %u",
               grite_IpcReply_ipc_schema_version(rep));
    grite_str id = grite_IpcReply_request_id(rep);
    const grite_IpcResponse *resp = grite_IpcReply_response(rep);
    grite_IpcResponse_kind tag = grite_IpcResponse_tag(resp);
    const grite_IpcResponse_Error *error = grite_IpcResponse_as_Error(resp);
    if (!e->request) {
        FUZZ_CHECK(id.len == 0 && error != NULL &&
                       grite_IpcResponse_Error_code(error) == GRITE_ERROR_CODE_IPC_ERROR,
                   "a frame that is not a request did not get an ipc_error");
        return;
    }
    FUZZ_CHECK(id.len == e->request_id_len && memcmp(id.ptr, e->request_id, id.len) == 0,
               "the reply does not echo the request_id");
    FUZZ_CHECK(tag == result_of(e->command) || error != NULL, "%s answered with %s",
               grite_IpcCommand_kind_name(e->command), grite_IpcResponse_kind_name(tag));
    if (error != NULL) {
        grite_str msg = grite_IpcResponse_Error_message(error);
        FUZZ_CHECK(grite_IpcResponse_Error_code(error) != GRITE_ERROR_CODE_INTERNAL_ERROR,
                   "%s: internal_error: %.*s", grite_IpcCommand_kind_name(e->command), (int)msg.len, msg.ptr);
        FUZZ_CHECK(msg.len > 0, "an Error reply without a message");
    }
    remember_created(s, resp);
    s->stopped = s->stopped || tag == GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT;
}

/* Send one piece and check its reply. Returns false once the connection
 * is over (the daemon is stopping). */
static bool exchange(session *s, const uint8_t *piece, size_t len)
{
    expected e;
    bool sent = send_piece(s, piece, len, &e);
    if (sent && !s->hello_read) {
        check_server_hello(s->fd);
        s->hello_read = true;
    }
    size_t reply_len = 0;
    uint8_t *reply = sent ? recv_frame(s->fd, &reply_len) : NULL;
    if (reply == NULL) {
        FUZZ_CHECK(s->stopped, "the daemon dropped the connection (stop reason %d)", daemon_host_stop_reason());
    } else {
        check_reply(s, &e, reply, reply_len);
        free(reply);
    }
    free(e.request_id);
    FUZZ_CHECK(s->stopped || !daemon_host_stopping(), "the daemon is stopping by itself (stop reason %d)",
               daemon_host_stop_reason());
    return reply != NULL && !s->stopped;
}

/* The next piece of the input (fuzz_daemon.h). */
static bool next_piece(fuzz_input *in, const uint8_t **piece, size_t *len)
{
    if (in->len == 0)
        return false;
    size_t want = fuzz_take_u8(in);
    want |= (size_t)fuzz_take_u8(in) << 8;
    *piece = in->data;
    *len = want < in->len ? want : in->len;
    in->data += *len;
    in->len -= *len;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    daemon_host_start();
    /* Only a DaemonStop in an input may stop it, and reset restarts it. */
    FUZZ_CHECK(!daemon_host_stopping(), "the daemon stopped by itself (stop reason %d)",
               daemon_host_stop_reason());
    fuzz_input in = { data, size };
    uint8_t flags = fuzz_take_u8(&in);
    session s = { .keep_data_dir = (flags & FUZZ_DAEMON_KEEP_DATA_DIR) != 0 };
    s.fd = connect_daemon();
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(hello, GRITE_SESSION_HELLO_CLIENT, GRITE_SCHEMA_FINGERPRINT, GRITE_FRAME_MAX_DEFAULT);
    bool open = send_all(s.fd, hello, sizeof hello);
    const uint8_t *piece;
    size_t len;
    for (int i = 0; open && i < FUZZ_DAEMON_MAX_PIECES && next_piece(&in, &piece, &len); i++)
        open = exchange(&s, piece, len);
    close(s.fd);
    for (size_t i = 0; i < s.n_created; i++)
        free(s.created[i]);
    daemon_host_reset();
    return 0;
}
