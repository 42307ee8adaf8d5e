/*
 * fuzz_client.c - grite_client talking to a hostile daemon over a real Unix
 * socket: whatever bytes the "daemon" sends back (its hello, then reply
 * frames) are the fuzz input.
 *
 * Input: fuzz_client.h's parameter bytes (receive buffer and maximum frame
 * size, number of calls), then the stream the daemon sends; the daemon
 * then shuts down its side, so the client sees the end of the stream
 * instead of waiting for its timeout.
 *
 * Each call's result is compared with a model of docs/FORMAT.md sections
 * 2 and 3 written here from the spec: the first frame must be an ACCEPT
 * hello with our fingerprint (else SCHEMA_MISMATCH, REFUSED, BUSY or
 * PROTOCOL, and the connection is poisoned), each call then takes exactly
 * one frame (too large: FRAME_TOO_LARGE and poisoned; cut short: CLOSED
 * and poisoned; failing validation: INVALID_MESSAGE, connection still in
 * step), a request larger than the daemon's announced maximum is refused
 * without sending, and a successful call returns exactly the frame's bytes,
 * 8-aligned, which read back cleanly (walk.h).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_client.h"
#include "fuzz_util.h"
#include "grite/client.h"
#include "grite/session.h"
#include "walk.h"

#define SMALL_BUFFER 64u
#define SMALL_MAX_FRAME 1024u

/* ---- the fake daemon's socket (one per process) ------------------------------ */

static char dir_path[64];
static char sock_path[128];
static int listen_fd = -1;

static void remove_socket(void)
{
    unlink(sock_path);
    rmdir(dir_path);
}

static void listen_once(void)
{
    if (listen_fd >= 0)
        return;
    snprintf(dir_path, sizeof dir_path, "/tmp/grite-fuzz-client-XXXXXX");
    FUZZ_CHECK(mkdtemp(dir_path) != NULL, "mkdtemp: %s", strerror(errno));
    snprintf(sock_path, sizeof sock_path, "%s/daemon.sock", dir_path);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
    listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    FUZZ_CHECK(listen_fd >= 0 && bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
                   listen(listen_fd, 4) == 0,
               "cannot listen on %s: %s", sock_path, strerror(errno));
    atexit(remove_socket);
}

/* Send the stream, then end it. The client reads nothing until its first
 * call, so what does not fit in the socket buffer is dropped (MSG_DONTWAIT
 * instead of a deadlock). Returns the bytes sent. */
static size_t daemon_send(int fd, const uint8_t *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            done += (size_t)n;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        else
            FUZZ_CHECK(errno == EINTR, "daemon send: %s", strerror(errno));
    }
    FUZZ_CHECK(shutdown(fd, SHUT_WR) == 0, "shutdown: %s", strerror(errno));
    return done;
}

/* ---- the request every call sends ------------------------------------------------ */

static grite_buf request;

static void build_request_once(void)
{
    if (request.data)
        return;
    grite_IpcRequest_in in = {
        .ipc_schema_version = 1,
        .request_id = GRITE_STR("fuzz"),
        .command = { .tag = GRITE_IPC_COMMAND_DAEMON_STATUS },
    };
    FUZZ_CHECK(grite_buf_init_growable(&request, 0, 0) == 0 && grite_IpcRequest_build(&request, &in) == 0,
               "cannot build the request");
}

/* ---- the model ----------------------------------------------------------------- */

typedef struct model {
    const uint8_t *data;    /* the daemon's stream */
    size_t len;
    size_t pos;             /* next unread frame */
    size_t max_frame;       /* the client's */
    uint32_t peer_max_frame;
    bool hello_done;
    bool poisoned;
} model;

typedef struct outcome {
    int rc;
    const uint8_t *body;    /* rc 0: the frame's body in the stream */
    size_t len;
    uint64_t peer_fingerprint;  /* SCHEMA_MISMATCH */
} outcome;

/* The next frame: 0 and its body, or the error reading it gives. */
static int model_frame(model *m, const uint8_t **body, size_t *len)
{
    if (m->len - m->pos < GRITE_FRAME_HEADER_SIZE)
        return GRITE_ERR_CLOSED;
    *len = grite_frame_get_length(m->data + m->pos);
    if (*len > m->max_frame)
        return GRITE_ERR_FRAME_TOO_LARGE;
    if (m->len - m->pos - GRITE_FRAME_HEADER_SIZE < *len)
        return GRITE_ERR_CLOSED;
    *body = m->data + m->pos + GRITE_FRAME_HEADER_SIZE;
    m->pos += GRITE_FRAME_HEADER_SIZE + *len;
    return 0;
}

static uint64_t le_bytes(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* FORMAT.md 3.2 step 4, from the client's side. */
static int model_hello(model *m, outcome *o)
{
    const uint8_t *b;
    size_t len;
    int rc = model_frame(m, &b, &len);
    if (rc != 0)
        return rc;
    if (len < GRITE_SESSION_HELLO_SIZE || memcmp(b, "GRIT", 4) != 0 || b[4] == 0 ||
        b[5] < GRITE_SESSION_HELLO_CLIENT || b[5] > GRITE_SESSION_HELLO_BUSY)
        return GRITE_ERR_PROTOCOL;
    o->peer_fingerprint = le_bytes(b + 8, 8);
    switch (b[5]) {
    case GRITE_SESSION_HELLO_ACCEPT:
        if (o->peer_fingerprint != GRITE_SCHEMA_FINGERPRINT)
            return GRITE_ERR_SCHEMA_MISMATCH;
        m->peer_max_frame = (uint32_t)le_bytes(b + 16, 4);
        m->hello_done = true;
        return 0;
    case GRITE_SESSION_HELLO_MISMATCH:
        return GRITE_ERR_SCHEMA_MISMATCH;
    case GRITE_SESSION_HELLO_REFUSED:
        return GRITE_ERR_REFUSED;
    case GRITE_SESSION_HELLO_BUSY:
        return GRITE_ERR_BUSY;
    default:
        return GRITE_ERR_PROTOCOL;   /* a CLIENT hello from the daemon */
    }
}

static outcome model_call(model *m)
{
    outcome o = { .rc = 0 };
    if (m->poisoned) {
        o.rc = GRITE_ERR_POISONED;
        return o;
    }
    size_t limit = m->max_frame;
    if (m->peer_max_frame != 0 && m->peer_max_frame < limit)
        limit = m->peer_max_frame;
    if (request.len > limit) {
        o.rc = GRITE_ERR_FRAME_TOO_LARGE;   /* nothing sent, nothing read */
        return o;
    }
    if (!m->hello_done)
        o.rc = model_hello(m, &o);
    if (o.rc == 0)
        o.rc = model_frame(m, &o.body, &o.len);
    if (o.rc != 0) {
        m->poisoned = true;
        return o;
    }
    void *aligned = fuzz_exact_copy(o.body, o.len);   /* the stream is not 8-aligned */
    if (grite_IpcReply_validate(aligned, o.len, NULL) != 0)
        o.rc = GRITE_ERR_INVALID_MESSAGE;
    free(aligned);
    return o;
}

/* ---- one session ----------------------------------------------------------------- */

static void check_call(grite_client *c, model *m, int call)
{
    const void *resp = NULL;
    size_t len = 0;
    int rc = grite_client_call(c, &request, &resp, &len);
    outcome want = model_call(m);
    FUZZ_CHECK(rc == want.rc, "call %d: client says %s, the spec says %s", call, grite_err_name(rc),
               grite_err_name(want.rc));
    if (rc != 0) {
        const grite_error *e = grite_client_error(c);
        FUZZ_CHECK(e->code == (grite_err)rc, "call %d: error code %d, returned %d", call, (int)e->code, rc);
        if (rc == GRITE_ERR_SCHEMA_MISMATCH)
            FUZZ_CHECK(e->peer_fingerprint == want.peer_fingerprint, "mismatch: wrong peer fingerprint");
        const char *text = grite_client_strerror(c);
        FUZZ_CHECK(text != NULL && text[0] != '\0', "call %d: no error text", call);
        return;
    }
    FUZZ_CHECK(len == want.len && (len == 0 || memcmp(resp, want.body, len) == 0),
               "call %d: response is not the frame's body", call);
    FUZZ_CHECK(((uintptr_t)resp & 7u) == 0, "call %d: response is not 8-aligned", call);
    void *copy = fuzz_exact_copy(resp, len);
    FUZZ_CHECK(walk_check(&walk_types[1], copy, len), "call %d: accepted response fails validation", call);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    fuzz_client_params p;
    p.options = fuzz_take_u8(&in);
    p.calls = fuzz_take_u8(&in);
    listen_once();
    build_request_once();

    grite_client_options opt = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_response = grite_IpcReply_validate,
        .max_frame = p.options & FUZZ_CLIENT_SMALL_MAX_FRAME ? SMALL_MAX_FRAME : 0,
        .timeout_ms = 5000,
        .receive_buffer = p.options & FUZZ_CLIENT_SMALL_BUFFER ? SMALL_BUFFER : 0,
    };
    grite_client *c = grite_client_new(sock_path, &opt);
    FUZZ_CHECK(c != NULL, "grite_client_new: %s", strerror(errno));
    FUZZ_CHECK(grite_client_connect(c) == 0, "connect: %s", grite_client_strerror(c));
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "accept: %s", strerror(errno));
    size_t sent = daemon_send(fd, in.data, in.len);

    model m = { .data = in.data, .len = sent,
                .max_frame = opt.max_frame ? opt.max_frame : GRITE_FRAME_MAX_DEFAULT };
    int calls = 1 + p.calls % 4;
    for (int i = 0; i < calls; i++)
        check_call(c, &m, i);
    grite_client_free(c);
    close(fd);
    return 0;
}
