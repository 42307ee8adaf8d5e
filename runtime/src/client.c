/* client.c - one warm connection to a daemon: connect, call, poison. */
#include "grite/client.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "grite/frame.h"
#include "grite/session.h"
#include "iov.h"
#include "monotonic.h"

/*
 * Blocking socket with SO_RCVTIMEO/SO_SNDTIMEO, not a non-blocking one
 * with poll(): a call is then sendmsg() + recv(), two syscalls, where
 * poll() would add a third (a recv() tried first right after the send
 * almost always finds nothing yet). The per-call deadline is kept by
 * shrinking the socket timeouts before a blocking syscall that comes late
 * in the call (docs/TRANSPORT.md, "Timeouts").
 */

/* Shrink the socket timeout only when it would overshoot the deadline by
 * more than this: keeps setsockopt() out of the common path. */
#define DEADLINE_SLACK_US 1000

struct grite_client {
    int fd;
    bool poisoned;
    bool hello_sent;       /* our hello went out with the first request */
    bool hello_done;       /* the server's hello was read and accepted */
    int timeout_ms;        /* per call; < 0: forever */
    int64_t sockopt_us;    /* timeout currently set on fd (0: none); -1 unknown */
    int64_t call_deadline; /* monotonic us; 0 in calls without a deadline */
    uint32_t peer_max_frame;  /* from the server's hello; 0 until known */
    grite_client_options opt;
    grite_frame_rx rx;
    grite_error err;
    char *path;
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    char message[512];
};

/* ---- errors ------------------------------------------------------------ */

static int fail(grite_client *c, grite_err code, int sys_errno, const char *op, const char *detail)
{
    memset(&c->err, 0, sizeof c->err);
    c->err.code = code;
    c->err.sys_errno = sys_errno;
    c->err.op = op;
    c->err.detail = detail;
    c->err.path = c->path;
    c->err.local_fingerprint = c->opt.schema_fingerprint;
    return (int)code;
}

static void close_fd(grite_client *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->hello_sent = c->hello_done = false;
    c->peer_max_frame = 0;
    c->sockopt_us = -1;
    c->rx.start = c->rx.end = c->rx.frame_end = 0;
}

/* The stream may be out of step: refuse further calls until reconnect. */
static int poison(grite_client *c, int code)
{
    close_fd(c);
    c->poisoned = true;
    return code;
}

/* ---- life cycle -------------------------------------------------------- */

grite_client *grite_client_new(const char *socket_path, const grite_client_options *opt)
{
    if (!socket_path || !opt || !opt->validate_response) {
        errno = EINVAL;
        return NULL;
    }
    grite_client *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->fd = -1;
    c->sockopt_us = -1;
    c->opt = *opt;
    if (c->opt.max_frame == 0 || c->opt.max_frame > UINT32_MAX) c->opt.max_frame = GRITE_FRAME_MAX_DEFAULT;
    if (c->opt.receive_buffer == 0) c->opt.receive_buffer = GRITE_CLIENT_RECEIVE_BUFFER_DEFAULT;
    grite_client_set_timeout(c, opt->timeout_ms);
    c->path = strdup(socket_path);
    if (!c->path || grite_frame_rx_init(&c->rx, c->opt.receive_buffer, c->opt.max_frame) != 0) {
        free(c->path);
        free(c);
        errno = ENOMEM;
        return NULL;
    }
    grite_session_hello_encode(c->hello, GRITE_SESSION_HELLO_CLIENT, c->opt.schema_fingerprint,
                               (uint32_t)c->opt.max_frame);
    return c;
}

void grite_client_free(grite_client *c)
{
    if (!c) return;
    close_fd(c);
    grite_frame_rx_free(&c->rx);
    free(c->path);
    free(c);
}

void grite_client_set_timeout(grite_client *c, int timeout_ms)
{
    c->timeout_ms = timeout_ms == 0 ? GRITE_CLIENT_TIMEOUT_DEFAULT_MS : timeout_ms;
}

int grite_client_get_timeout(const grite_client *c) { return c->timeout_ms; }

const grite_error *grite_client_error(const grite_client *c) { return &c->err; }

const char *grite_client_strerror(grite_client *c)
{
    grite_error_format(&c->err, c->message, sizeof c->message);
    return c->message;
}

int grite_client_fd(const grite_client *c) { return c->fd; }

void grite_client_disconnect(grite_client *c)
{
    close_fd(c);
    c->poisoned = false;
}

/* ---- socket timeouts --------------------------------------------------- */

static int set_socket_timeout(grite_client *c, int64_t us)
{
    struct timeval tv = {.tv_sec = (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000)};
    if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        return -1;
    c->sockopt_us = us;
    return 0;
}

static int64_t full_timeout_us(const grite_client *c)
{
    return c->timeout_ms < 0 ? 0 : (int64_t)c->timeout_ms * 1000;
}

/* Start a call's deadline; make sure the socket carries the full timeout. */
static int start_deadline(grite_client *c)
{
    int64_t full = full_timeout_us(c);
    c->call_deadline = full ? grite_monotonic_us() + full : 0;
    if (c->sockopt_us != full && set_socket_timeout(c, full) != 0)
        return fail(c, GRITE_ERR_IO, errno, "setsockopt", NULL);
    return 0;
}

/* Before a blocking syscall: time left? Shrink the socket timeout if it
 * would overshoot the call's deadline. */
static int check_deadline(grite_client *c)
{
    if (!c->call_deadline) return 0;
    int64_t left = c->call_deadline - grite_monotonic_us();
    if (left <= 0) return fail(c, GRITE_ERR_TIMEOUT, 0, NULL, "no response within the call's timeout");
    if (c->sockopt_us - left > DEADLINE_SLACK_US && set_socket_timeout(c, left) != 0)
        return fail(c, GRITE_ERR_IO, errno, "setsockopt", NULL);
    return 0;
}

/* ---- connect ----------------------------------------------------------- */

/* ECONNREFUSED means "nothing listens" for a socket file, but Linux also
 * returns it for a path that is not a socket at all: tell them apart. */
static int refused_error(grite_client *c)
{
    struct stat st;
    if (stat(c->path, &st) == 0 && !S_ISSOCK(st.st_mode))
        return fail(c, GRITE_ERR_CONNECT, ENOTSOCK, "connect", "the path exists but is not a socket");
    return fail(c, GRITE_ERR_NO_DAEMON, ECONNREFUSED, "connect",
                "the socket file exists but nothing listens on it (stale socket?)");
}

static int connect_error(grite_client *c, int e)
{
    switch (e) {
    case ENOENT:
        return fail(c, GRITE_ERR_NO_DAEMON, e, "connect", "the socket file does not exist");
    case ECONNREFUSED:
        return refused_error(c);
    case EAGAIN:
        return fail(c, GRITE_ERR_TIMEOUT, e, "connect", "the daemon's accept backlog stayed full");
    default:
        return fail(c, GRITE_ERR_CONNECT, e, "connect", NULL);
    }
}

/* A signal interrupted connect() on a full backlog: go on with the time
 * left, since a new connect() would wait the whole socket timeout again
 * (periodic signals would make it wait forever). */
static int connect_interrupted(grite_client *c)
{
    int rc = check_deadline(c);
    return rc == GRITE_ERR_TIMEOUT ? connect_error(c, EAGAIN) : rc;
}

int grite_client_connect(grite_client *c)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    grite_client_disconnect(c);
    if (strlen(c->path) >= sizeof addr.sun_path)
        return fail(c, GRITE_ERR_CONNECT, ENAMETOOLONG, NULL, "socket path is longer than 107 bytes");
    memcpy(addr.sun_path, c->path, strlen(c->path) + 1);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) return fail(c, GRITE_ERR_SYSTEM, errno, "socket", NULL);
    /* SO_SNDTIMEO also bounds connect() waiting on a full backlog. */
    int rc = start_deadline(c);
    while (rc == 0 && connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        /* Nothing is half-done on AF_UNIX: just try again. */
        rc = errno == EINTR ? connect_interrupted(c) : connect_error(c, errno);
    }
    if (rc != 0) close_fd(c);
    return rc;
}

/* ---- sending ----------------------------------------------------------- */

static int receive_hello(grite_client *c);

/* The daemon closed on us while we wrote. If it was a refusal, its hello
 * is already waiting in our receive queue: report that instead. */
static int send_failed_closed(grite_client *c, int e)
{
    if (!c->hello_done && c->hello_sent) {
        c->call_deadline = grite_monotonic_us() + 100000;   /* it is there or not */
        int rc = receive_hello(c);
        if (rc != GRITE_ERR_OK && rc != GRITE_ERR_CLOSED && rc != GRITE_ERR_TIMEOUT && rc != GRITE_ERR_IO)
            return rc;
    }
    return fail(c, GRITE_ERR_CLOSED, e, "send", "the daemon closed the connection");
}

static int send_error(grite_client *c, int e)
{
    if (e == EAGAIN || e == EWOULDBLOCK)
        return fail(c, GRITE_ERR_TIMEOUT, 0, "send", "the daemon did not read the request in time");
    if (e == EPIPE || e == ECONNRESET) return send_failed_closed(c, e);
    return fail(c, GRITE_ERR_IO, e, "send", NULL);
}

/* One sendmsg() with [our hello,] the header and the body; loops only if
 * the kernel took part of it. */
static int send_request(grite_client *c, const grite_buf *request)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    struct iovec iov[3];
    struct msghdr m = {.msg_iov = iov};
    grite_frame_put_header(header, (uint32_t)request->len);
    if (!c->hello_sent) iov[m.msg_iovlen++] = (struct iovec){c->hello, sizeof c->hello};
    iov[m.msg_iovlen++] = (struct iovec){header, sizeof header};
    iov[m.msg_iovlen++] = (struct iovec){request->data, request->len};
    c->hello_sent = true;
    for (;;) {
        ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR) return send_error(c, errno);
        if (n > 0) iov_advance(&m, (size_t)n);
        if (m.msg_iovlen == 0) return 0;
        int rc = check_deadline(c);
        if (rc != 0) return rc;
    }
}

/* ---- receiving --------------------------------------------------------- */

static int recv_error(grite_client *c, ssize_t n, int e)
{
    if (n == 0 || e == ECONNRESET)
        return fail(c, GRITE_ERR_CLOSED, n == 0 ? 0 : e, "recv",
                    "the daemon closed the connection before answering (did it crash or stop?)");
    if (e == EAGAIN || e == EWOULDBLOCK)
        return fail(c, GRITE_ERR_TIMEOUT, 0, "recv", "no response within the call's timeout");
    return fail(c, GRITE_ERR_IO, e, "recv", NULL);
}

static int frame_too_large(grite_client *c, size_t len)
{
    fail(c, GRITE_ERR_FRAME_TOO_LARGE, 0, NULL, "the daemon announced a response larger than the limit");
    c->err.frame_len = len;
    c->err.frame_max = c->opt.max_frame;
    return GRITE_ERR_FRAME_TOO_LARGE;
}

/* Read until a whole frame is in the buffer: usually one recv(), which
 * may also bring in the next frame. */
static int receive_frame(grite_client *c, const uint8_t **body, size_t *len)
{
    for (;;) {
        grite_frame_rx_result r = grite_frame_rx_frame(&c->rx, body, len);
        if (r == GRITE_FRAME_RX_FRAME) return 0;
        if (r == GRITE_FRAME_RX_TOO_LARGE) return frame_too_large(c, *len);
        uint8_t *at;
        size_t room;
        if (grite_frame_rx_space(&c->rx, &at, &room) != 0)
            return fail(c, GRITE_ERR_NO_MEMORY, ENOMEM, "recv", NULL);
        int rc = check_deadline(c);
        if (rc != 0) return rc;
        ssize_t n = recv(c->fd, at, room, 0);
        if (n > 0) grite_frame_rx_commit(&c->rx, (size_t)n);
        else if (n == 0 || errno != EINTR) return recv_error(c, n, errno);
    }
}

static int hello_rejected(grite_client *c, const grite_session_hello *h)
{
    switch (h->kind) {
    case GRITE_SESSION_HELLO_MISMATCH:
        fail(c, GRITE_ERR_SCHEMA_MISMATCH, 0, NULL, NULL);
        c->err.peer_fingerprint = h->fingerprint;
        return GRITE_ERR_SCHEMA_MISMATCH;
    case GRITE_SESSION_HELLO_REFUSED:
        return fail(c, GRITE_ERR_REFUSED, 0, NULL, "its peer-credential check does not allow this user");
    case GRITE_SESSION_HELLO_BUSY:
        return fail(c, GRITE_ERR_BUSY, 0, NULL, "it is at its connection limit; try again later");
    default:
        return fail(c, GRITE_ERR_PROTOCOL, 0, NULL, "the daemon answered with a client hello");
    }
}

/* The server's hello comes right before the first response. */
static int receive_hello(grite_client *c)
{
    const uint8_t *body;
    size_t len;
    grite_session_hello h;
    int rc = receive_frame(c, &body, &len);
    if (rc != 0) return rc;
    const char *bad = grite_session_hello_decode(body, len, &h);
    grite_frame_rx_consume(&c->rx);
    if (bad) return fail(c, GRITE_ERR_PROTOCOL, 0, NULL, bad);
    if (h.kind != GRITE_SESSION_HELLO_ACCEPT) return hello_rejected(c, &h);
    if (h.fingerprint != c->opt.schema_fingerprint) {
        h.kind = GRITE_SESSION_HELLO_MISMATCH;   /* accepted by mistake: still a mismatch */
        return hello_rejected(c, &h);
    }
    c->peer_max_frame = h.max_frame;
    c->hello_done = true;
    return 0;
}

/* ---- the call ---------------------------------------------------------- */

static int check_callable(grite_client *c, const grite_buf *request)
{
    if (c->poisoned) {
        grite_err cause = c->err.code == GRITE_ERR_POISONED ? c->err.cause : c->err.code;
        fail(c, GRITE_ERR_POISONED, 0, NULL, NULL);
        c->err.cause = cause;
        return GRITE_ERR_POISONED;
    }
    if (c->fd < 0) return fail(c, GRITE_ERR_NOT_CONNECTED, 0, NULL, "call grite_client_connect() first");
    size_t limit = c->opt.max_frame;
    if (c->peer_max_frame && c->peer_max_frame < limit) limit = c->peer_max_frame;
    if (request->len > limit) {
        fail(c, GRITE_ERR_FRAME_TOO_LARGE, 0, NULL, "the request is larger than the limit; nothing was sent");
        c->err.frame_len = request->len;
        c->err.frame_max = limit;
        return GRITE_ERR_FRAME_TOO_LARGE;
    }
    return 0;
}

static int validate_response(grite_client *c, const uint8_t *body, size_t len)
{
    grite_verror verror;
    memset(&verror, 0, sizeof verror);
    if (c->opt.validate_response(body, len, &verror) == 0) return 0;
    fail(c, GRITE_ERR_INVALID_MESSAGE, 0, NULL, "the daemon's response");
    c->err.verror = verror;
    return GRITE_ERR_INVALID_MESSAGE;
}

int grite_client_call(grite_client *c, const grite_buf *request, const void **response, size_t *response_len)
{
    if (!c || !request || (!request->data && request->len) || !response || !response_len)
        return c ? fail(c, GRITE_ERR_BAD_ARGUMENT, EINVAL, NULL, NULL) : GRITE_ERR_BAD_ARGUMENT;
    grite_frame_rx_consume(&c->rx);   /* the previous response is now dead */
    int rc = check_callable(c, request);
    if (rc != 0) return rc;
    rc = start_deadline(c);
    if (rc == 0) rc = send_request(c, request);
    if (rc == 0 && !c->hello_done) rc = receive_hello(c);
    const uint8_t *body = NULL;
    size_t len = 0;
    if (rc == 0) rc = receive_frame(c, &body, &len);
    if (rc != 0) return poison(c, rc);
    rc = validate_response(c, body, len);
    if (rc != 0) return rc;
    *response = body;
    *response_len = len;
    return 0;
}
