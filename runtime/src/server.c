/* server.c - the daemon's event loop: accept, handshake, frames, handler,
 * write queues, timeouts, graceful stop. */
#include "grite/server.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "grite/frame.h"
#include "grite/session.h"
#include "iov.h"
#include "monotonic.h"
#include "server_socket.h"

#define CONN_RX_INITIAL (16u * 1024u)
#define CONN_RX_SHRINK_ABOVE (1024u * 1024u)   /* idle connections give back big buffers */
#define CONN_TX_SHRINK_ABOVE (1024u * 1024u)
#define EVENTS_PER_WAIT 64

typedef enum conn_state {
    CONN_AWAIT_HELLO,   /* the first frame must be the client's hello */
    CONN_READY,         /* serving requests */
    CONN_CLOSING        /* send what is queued, then close */
} conn_state;

/* Bytes a client did not take yet, in order. */
typedef struct txq {
    uint8_t *data;
    size_t off, len, cap;
} txq;

typedef struct conn {
    int fd;
    conn_state state;
    int accept_hello_pending;   /* our ACCEPT hello goes out with the next write */
    uint32_t events;            /* epoll interest now */
    int64_t last_progress_us;
    grite_server_peer peer;
    grite_frame_rx rx;
    txq tx;
    struct conn *prev, *next;
} conn;

struct grite_server {
    int listen_fd, epoll_fd, wake_fd, signal_fd, timer_fd, tick_fd;
    int listen_paused;          /* out of fds: accept() waits (pause_accepting) */
    atomic_int stop_requested;
    char *path;
    struct stat bound;          /* identity of our socket file */
    int socket_file_ours;
    grite_server_options opt;
    conn *conns;
    grite_buf response;         /* shared: the handler runs to completion */
    int64_t now_us;
    int sweeps_armed;           /* timer_fd ticks while connections exist
                                   or accepting is paused */
    int sweep_due;              /* a tick came: sweep after this batch of events */
    int tick_due;               /* tick_fd fired: call on_tick after this batch */
    grite_server_stats stats;
    sigset_t old_mask;
    uint8_t hello_accept[GRITE_SESSION_HELLO_FRAME_SIZE];
};

static int fail(grite_error *err, grite_err code, int e, const char *op, const char *path, const char *detail)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = code;
        err->sys_errno = e;
        err->op = op;
        err->path = path;
        err->detail = detail;
    }
    return (int)code;
}

/* ---- epoll interest ---------------------------------------------------- */

static int watch(grite_server *s, int op, int fd, uint32_t events, void *tag)
{
    struct epoll_event ev = {.events = events, .data.ptr = tag};
    return epoll_ctl(s->epoll_fd, op, fd, &ev);
}

/* Returns 0, or -1 when epoll refuses the change (ENOMEM): nothing would
 * ever wake the connection again, so the caller closes it. */
static int set_interest(grite_server *s, conn *c, uint32_t events)
{
    if (c->events == events) return 0;
    if (watch(s, EPOLL_CTL_MOD, c->fd, events, c) != 0) return -1;
    c->events = events;
    return 0;
}

/*
 * Leave the epoll set explicitly, then close. close() alone is not enough:
 * epoll watches the open file description, not the fd, and only forgets it
 * when the *last* descriptor for it closes. A process that forks while we
 * serve (a handler starting a helper, another thread spawning a program, a
 * sanitizer starting its symbolizer) gives the child copies of our fds;
 * until the child closes them, a registration whose tag is a freed conn
 * would keep reporting events (a hung-up socket does so at once).
 */
static void unwatch_and_close(grite_server *s, int fd)
{
    epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
}

/* ---- timeouts ---------------------------------------------------------- */

/*
 * Timeouts are checked by a periodic timerfd, not by an epoll_wait()
 * timeout: a finite epoll_wait timeout arms a kernel timer on every call,
 * which measured about 1 us per round trip here; the timerfd is armed
 * when the first connection opens (or accepting pauses, to retry it), and
 * disarmed by a sweep that finds neither, so an idle daemon sleeps.
 */
static int sweep_interval_ms(const grite_server *s)
{
    int t = s->opt.io_timeout_ms;
    if (s->opt.idle_timeout_ms > 0 && s->opt.idle_timeout_ms < t) t = s->opt.idle_timeout_ms;
    t /= 4;
    return t < 10 ? 10 : t > 1000 ? 1000 : t;
}

static void arm_sweeps(grite_server *s, int on)
{
    if (s->sweeps_armed == on) return;
    int ms = on ? sweep_interval_ms(s) : 0;
    struct timespec every = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    struct itimerspec t = {.it_interval = every, .it_value = every};
    if (timerfd_settime(s->timer_fd, 0, &t, NULL) == 0) s->sweeps_armed = on;
}

/* ---- the listening socket ---------------------------------------------- */

/* accept() is out of descriptors (or memory): stop polling the listening
 * socket, which level-triggered epoll would report again at once, until a
 * connection closes or the next sweep tick, whichever comes first. The
 * tick matters when no connection is open: none would ever close, and an
 * idle daemon would stay deaf for good after one EMFILE or ENFILE. */
static void pause_accepting(grite_server *s)
{
    epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, s->listen_fd, NULL);
    s->listen_paused = 1;
    arm_sweeps(s, 1);
}

/* Stays paused if epoll cannot take the socket back (it may be short of
 * memory too): the sweep ticks go on and the next one tries again. */
static void resume_accepting(grite_server *s)
{
    if (!s->listen_paused || s->listen_fd < 0) return;
    if (watch(s, EPOLL_CTL_ADD, s->listen_fd, EPOLLIN, &s->listen_fd) == 0) s->listen_paused = 0;
}

/* ---- connections ------------------------------------------------------- */

static void close_conn(grite_server *s, conn *c)
{
    unwatch_and_close(s, c->fd);
    if (c->prev) c->prev->next = c->next;
    else s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    grite_frame_rx_free(&c->rx);
    free(c->tx.data);
    free(c);
    s->stats.connections--;
    resume_accepting(s);
}

/* Keep the unsent tail of a write, in order. */
static int tx_append(txq *q, const struct iovec *iov, size_t n)
{
    size_t need = q->len;
    for (size_t i = 0; i < n; i++) need += iov[i].iov_len;
    if (need > q->cap) {
        size_t cap = q->cap ? q->cap : 4096;
        while (cap < need) cap *= 2;
        uint8_t *p = realloc(q->data, cap);
        if (!p) return -1;
        q->data = p;
        q->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(q->data + q->len, iov[i].iov_base, iov[i].iov_len);
        q->len += iov[i].iov_len;
    }
    return 0;
}

static size_t tx_pending(const txq *q) { return q->len - q->off; }

/* Write iov now, as far as the socket takes it; queue the rest and wait
 * for EPOLLOUT (the connection reads nothing more until it drains: a
 * client that does not read its responses cannot make us buffer more than
 * one). Returns 0, or -1 if the connection must be closed. */
static int send_or_queue(grite_server *s, conn *c, struct iovec *iov, size_t n)
{
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = n};
    for (;;) {
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (w > 0) {
            iov_advance(&m, (size_t)w);
            c->last_progress_us = s->now_us;
        }
        break;
    }
    if (m.msg_iovlen == 0) return 0;
    if (tx_append(&c->tx, m.msg_iov, m.msg_iovlen) != 0) return -1;
    return set_interest(s, c, EPOLLOUT);
}

/* One frame, preceded by our ACCEPT hello on the first response. */
static int send_frame(grite_server *s, conn *c, const uint8_t *body, size_t len)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    struct iovec iov[3];
    size_t n = 0;
    grite_frame_put_header(header, (uint32_t)len);
    if (c->accept_hello_pending) iov[n++] = (struct iovec){s->hello_accept, sizeof s->hello_accept};
    iov[n++] = (struct iovec){header, sizeof header};
    iov[n++] = (struct iovec){(void *)body, len};
    c->accept_hello_pending = 0;
    return send_or_queue(s, c, iov, n);
}

static int send_hello(grite_server *s, conn *c, grite_session_hello_kind kind)
{
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(hello, kind, s->opt.schema_fingerprint, (uint32_t)s->opt.max_frame);
    struct iovec iov = {hello, sizeof hello};
    return send_or_queue(s, c, &iov, 1);
}

/* ---- accepting --------------------------------------------------------- */

static int peer_allowed(grite_server *s, const grite_server_peer *p)
{
    if (s->opt.allow_peer) return s->opt.allow_peer(s->opt.user, p);
    return p->uid == geteuid();
}

/* Refused or over the limit: say why in a hello, without reading anything,
 * and close. Best effort: a fresh socket always has room for 24 bytes. */
static void turn_away(grite_server *s, int fd, grite_session_hello_kind why)
{
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(hello, why, s->opt.schema_fingerprint, (uint32_t)s->opt.max_frame);
    ssize_t w = send(fd, hello, sizeof hello, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)w;
    close(fd);
}

static conn *new_conn(grite_server *s, int fd, const grite_server_peer *peer)
{
    conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (grite_frame_rx_init(&c->rx, CONN_RX_INITIAL, s->opt.max_frame) != 0) {
        free(c);
        return NULL;
    }
    c->fd = fd;
    c->peer = *peer;
    c->events = EPOLLIN;
    c->last_progress_us = s->now_us;
    if (watch(s, EPOLL_CTL_ADD, fd, EPOLLIN, c) != 0) {
        grite_frame_rx_free(&c->rx);
        free(c);
        return NULL;
    }
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    s->stats.connections++;
    s->stats.accepted++;
    arm_sweeps(s, 1);
    return c;
}

static void admit(grite_server *s, int fd)
{
    struct ucred cred;
    socklen_t cl = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0) {
        close(fd);
        return;
    }
    grite_server_peer peer = {.uid = cred.uid, .gid = cred.gid, .pid = cred.pid};
    if (!peer_allowed(s, &peer)) {
        s->stats.refused++;
        turn_away(s, fd, GRITE_SESSION_HELLO_REFUSED);
    } else if (s->stats.connections >= (size_t)s->opt.max_connections) {
        s->stats.busy++;
        turn_away(s, fd, GRITE_SESSION_HELLO_BUSY);
    } else if (!new_conn(s, fd, &peer)) {
        close(fd);
    }
}

static void on_accept(grite_server *s)
{
    for (;;) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            admit(s, fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) pause_accepting(s);
        return;
    }
}

/* ---- frames ------------------------------------------------------------ */

static int on_hello(grite_server *s, conn *c, const uint8_t *body, size_t len)
{
    grite_session_hello h;
    if (grite_session_hello_decode(body, len, &h) != NULL || h.kind != GRITE_SESSION_HELLO_CLIENT) return -1;
    if (h.fingerprint != s->opt.schema_fingerprint) {
        s->stats.mismatched++;
        c->state = CONN_CLOSING;
        return send_hello(s, c, GRITE_SESSION_HELLO_MISMATCH);
    }
    c->state = CONN_READY;
    c->accept_hello_pending = 1;
    return 0;
}

/* The optional callback builds an error response, or we drop. */
static int on_bad(grite_server *s, conn *c, grite_server_bad_request *bad)
{
    s->stats.bad_requests++;
    bad->peer = &c->peer;
    bad->server = s;
    if (!s->opt.on_bad_request) return -1;
    grite_buf_reset(&s->response);
    if (s->opt.on_bad_request(s->opt.user, bad, &s->response) != GRITE_HANDLER_RESPOND) return -1;
    if (s->response.len > s->opt.max_frame) return -1;
    return send_frame(s, c, s->response.data, s->response.len);
}

static int on_request(grite_server *s, conn *c, const uint8_t *body, size_t len)
{
    grite_verror verror;
    if (s->opt.validate_request(body, len, &verror) != 0) {
        grite_server_bad_request bad = {
            .reason = GRITE_ERR_INVALID_MESSAGE, .verror = &verror, .data = body, .len = len};
        return on_bad(s, c, &bad);
    }
    grite_request req = {.data = body, .len = len, .peer = &c->peer, .server = s};
    grite_buf_reset(&s->response);
    s->stats.requests++;
    if (s->opt.handler(s->opt.user, &req, &s->response) != GRITE_HANDLER_RESPOND) return -1;
    if (s->response.len > s->opt.max_frame) return -1;
    return send_frame(s, c, s->response.data, s->response.len);
}

static int on_too_large(grite_server *s, conn *c, size_t announced)
{
    grite_server_bad_request bad = {.reason = GRITE_ERR_FRAME_TOO_LARGE, .len = announced};
    if (c->state == CONN_AWAIT_HELLO) return -1;   /* not a grite client: nothing to answer */
    c->state = CONN_CLOSING;   /* the stream cannot be resynchronised */
    return on_bad(s, c, &bad);
}

/* The server's ACCEPT hello normally rides with the first response; if the
 * client sent only its hello (nothing else pending), answer it now. */
static int flush_lone_hello(grite_server *s, conn *c)
{
    if (!c->accept_hello_pending || grite_frame_rx_pending(&c->rx) || tx_pending(&c->tx)) return 0;
    c->accept_hello_pending = 0;
    struct iovec iov = {s->hello_accept, sizeof s->hello_accept};
    return send_or_queue(s, c, &iov, 1);
}

/* Answer every complete frame in the buffer, in order, while the socket
 * takes our responses. Returns -1 if the connection must be closed now. */
static int process_frames(grite_server *s, conn *c)
{
    while (c->state != CONN_CLOSING && !tx_pending(&c->tx) && !atomic_load(&s->stop_requested)) {
        const uint8_t *body;
        size_t len;
        grite_frame_rx_result r = grite_frame_rx_frame(&c->rx, &body, &len);
        if (r == GRITE_FRAME_RX_NEED_MORE) break;
        if (r == GRITE_FRAME_RX_TOO_LARGE) return on_too_large(s, c, len);
        int rc = c->state == CONN_AWAIT_HELLO ? on_hello(s, c, body, len) : on_request(s, c, body, len);
        grite_frame_rx_consume(&c->rx);
        if (rc != 0) return -1;
    }
    if (c->state == CONN_READY && flush_lone_hello(s, c) != 0) return -1;
    grite_frame_rx_shrink(&c->rx, CONN_RX_SHRINK_ABOVE);
    return 0;
}

/* A connection that is closing goes once its queue is empty. */
static void settle(grite_server *s, conn *c, int rc)
{
    if (rc != 0 || (c->state == CONN_CLOSING && !tx_pending(&c->tx))) close_conn(s, c);
}

static void on_readable(grite_server *s, conn *c)
{
    for (;;) {
        uint8_t *at;
        size_t room;
        if (grite_frame_rx_space(&c->rx, &at, &room) != 0) return close_conn(s, c);
        ssize_t n = recv(c->fd, at, room, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0) return close_conn(s, c);   /* gone, perhaps mid-frame */
        grite_frame_rx_commit(&c->rx, (size_t)n);
        c->last_progress_us = s->now_us;
        int rc = process_frames(s, c);
        if (rc != 0 || c->state == CONN_CLOSING || tx_pending(&c->tx)) return settle(s, c, rc);
        if ((size_t)n < room) return;   /* took all the kernel had */
    }
}

static void on_writable(grite_server *s, conn *c)
{
    txq *q = &c->tx;
    ssize_t w = send(c->fd, q->data + q->off, tx_pending(q), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (w < 0) return close_conn(s, c);
    q->off += (size_t)w;
    c->last_progress_us = s->now_us;
    if (tx_pending(q)) return;
    q->off = q->len = 0;
    if (q->cap > CONN_TX_SHRINK_ABOVE) {
        free(q->data);
        q->data = NULL;
        q->cap = 0;
    }
    if (c->state == CONN_CLOSING || set_interest(s, c, EPOLLIN) != 0) return close_conn(s, c);
    settle(s, c, process_frames(s, c));   /* frames that waited for the drain */
}

static void on_conn_event(grite_server *s, conn *c, uint32_t events)
{
    if (events & EPOLLOUT) {
        on_writable(s, c);
    } else if (events & EPOLLIN) {
        on_readable(s, c);
    } else if (events & (EPOLLERR | EPOLLHUP)) {
        close_conn(s, c);
    }
}

/* ---- the sweep ---------------------------------------------------------- */

/* Drop connections stuck mid-frame or mid-response (io_timeout_ms), and
 * idle ones if asked (idle_timeout_ms). A slow client never blocks the
 * loop; this only bounds the memory and slots it can hold. Also retry a
 * paused accept (it pauses again if descriptors are still short). */
static void sweep(grite_server *s)
{
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
        int busy = grite_frame_rx_pending(&c->rx) || tx_pending(&c->tx) || c->state == CONN_CLOSING;
        int limit_ms = busy ? s->opt.io_timeout_ms : s->opt.idle_timeout_ms;
        if (limit_ms > 0 && s->now_us - c->last_progress_us >= (int64_t)limit_ms * 1000) {
            s->stats.timed_out++;
            close_conn(s, c);
        }
    }
    resume_accepting(s);
    if (!s->conns && !s->listen_paused) arm_sweeps(s, 0);
}

/* ---- signals and stop requests ----------------------------------------- */

static int install_signals(grite_server *s, grite_error *err)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &set, &s->old_mask) != 0)
        return fail(err, GRITE_ERR_SYSTEM, errno, "pthread_sigmask", s->path, NULL);
    s->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s->signal_fd < 0 || watch(s, EPOLL_CTL_ADD, s->signal_fd, EPOLLIN, &s->signal_fd) != 0) {
        int e = errno;
        pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
        return fail(err, GRITE_ERR_SYSTEM, e, "signalfd", s->path, NULL);
    }
    return 0;
}

static void remove_signals(grite_server *s)
{
    if (s->signal_fd < 0) return;
    unwatch_and_close(s, s->signal_fd);
    s->signal_fd = -1;
    pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
}

static void drain_fd(int fd)
{
    uint8_t buf[sizeof(struct signalfd_siginfo)];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

void grite_server_stop(grite_server *s)
{
    uint64_t one = 1;
    atomic_store(&s->stop_requested, 1);
    ssize_t w = write(s->wake_fd, &one, sizeof one);   /* wakes epoll_wait in another thread */
    (void)w;
}

/* ---- the loop ---------------------------------------------------------- */

static void dispatch(grite_server *s, const struct epoll_event *ev)
{
    void *tag = ev->data.ptr;
    if (tag == &s->listen_fd) {
        on_accept(s);
    } else if (tag == &s->wake_fd) {
        drain_fd(s->wake_fd);
    } else if (tag == &s->timer_fd) {
        drain_fd(s->timer_fd);
        s->sweep_due = 1;   /* not now: a later event of this batch may be a conn it closes */
    } else if (tag == &s->tick_fd) {
        drain_fd(s->tick_fd);
        s->tick_due = 1;
    } else if (tag == &s->signal_fd) {
        drain_fd(s->signal_fd);
        atomic_store(&s->stop_requested, 1);
    } else {
        on_conn_event(s, tag, ev->events);
    }
}

/* One epoll_wait and its events. Returns -1 if epoll itself failed. */
static int turn(grite_server *s, int timeout_ms, grite_error *err)
{
    struct epoll_event events[EVENTS_PER_WAIT];
    int n = epoll_wait(s->epoll_fd, events, EVENTS_PER_WAIT, timeout_ms);
    if (n < 0 && errno != EINTR) {
        fail(err, GRITE_ERR_SYSTEM, errno, "epoll_wait", s->path, NULL);
        return -1;
    }
    s->now_us = grite_monotonic_us();
    for (int i = 0; i < n; i++) dispatch(s, &events[i]);
    if (s->sweep_due) {
        s->sweep_due = 0;
        sweep(s);
    }
    if (s->tick_due) {
        s->tick_due = 0;
        if (!atomic_load(&s->stop_requested)) s->opt.on_tick(s->opt.user, s);
    }
    return 0;
}

static void remove_socket_file(grite_server *s)
{
    if (s->listen_fd >= 0) unwatch_and_close(s, s->listen_fd);
    s->listen_fd = -1;
    s->listen_paused = 0;
    if (s->socket_file_ours) grite_server_unlink_if_ours(s->path, &s->bound);
    s->socket_file_ours = 0;
}

/* Graceful end: no new clients or requests (the socket file goes first, so
 * a new client sees "no daemon" at once); queued responses are sent within
 * io_timeout_ms; then every connection is closed. */
static void finish(grite_server *s)
{
    remove_socket_file(s);
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
        c->state = CONN_CLOSING;
        if (!tx_pending(&c->tx)) close_conn(s, c);
    }
    /* now_us dates from before the last batch's handlers ran: refresh it,
     * or the first wait below would outlast the deadline by their time. */
    s->now_us = grite_monotonic_us();
    int64_t deadline = s->now_us + (int64_t)s->opt.io_timeout_ms * 1000;
    while (s->conns && s->now_us < deadline) {
        if (turn(s, (int)((deadline - s->now_us + 999) / 1000), NULL) != 0) break;
    }
    while (s->conns) close_conn(s, s->conns);
}

int grite_server_run(grite_server *s, grite_error *err)
{
    int rc = 0;
    if (s->opt.handle_signals && install_signals(s, err) != 0) return GRITE_ERR_SYSTEM;
    s->now_us = grite_monotonic_us();
    while (!atomic_load(&s->stop_requested)) {
        if (turn(s, -1, err) != 0) {
            rc = GRITE_ERR_SYSTEM;
            break;
        }
    }
    finish(s);
    remove_signals(s);
    return rc;
}

/* ---- open and close ---------------------------------------------------- */

static int check_options(const grite_server_options *opt)
{
    return opt && opt->validate_request && opt->handler && opt->max_connections >= 0 &&
           opt->io_timeout_ms >= 0 && opt->idle_timeout_ms >= 0 && opt->max_frame <= UINT32_MAX &&
           opt->tick_ms >= 0;
}

static void apply_defaults(grite_server_options *o)
{
    if (o->max_frame == 0) o->max_frame = GRITE_FRAME_MAX_DEFAULT;
    if (o->max_connections == 0) o->max_connections = GRITE_SERVER_MAX_CONNECTIONS_DEFAULT;
    if (o->io_timeout_ms == 0) o->io_timeout_ms = GRITE_SERVER_IO_TIMEOUT_DEFAULT_MS;
}

/* The caller's periodic tick: its own timerfd, armed once for the
 * server's life (the sweep timer only while connections exist or
 * accepting is paused). */
static int open_tick_timer(grite_server *s)
{
    s->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->tick_fd < 0) return -1;
    int ms = s->opt.tick_ms;
    struct timespec every = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    struct itimerspec t = {.it_interval = every, .it_value = every};
    if (timerfd_settime(s->tick_fd, 0, &t, NULL) != 0) return -1;
    return watch(s, EPOLL_CTL_ADD, s->tick_fd, EPOLLIN, &s->tick_fd);
}

static int open_fds(grite_server *s, const char *path, grite_error *err)
{
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epoll_fd < 0) return fail(err, GRITE_ERR_SYSTEM, errno, "epoll_create1", path, NULL);
    s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->wake_fd < 0 || watch(s, EPOLL_CTL_ADD, s->wake_fd, EPOLLIN, &s->wake_fd) != 0)
        return fail(err, GRITE_ERR_SYSTEM, errno, "eventfd", path, NULL);
    s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->timer_fd < 0 || watch(s, EPOLL_CTL_ADD, s->timer_fd, EPOLLIN, &s->timer_fd) != 0)
        return fail(err, GRITE_ERR_SYSTEM, errno, "timerfd", path, NULL);
    if (s->opt.on_tick && s->opt.tick_ms > 0 && open_tick_timer(s) != 0)
        return fail(err, GRITE_ERR_SYSTEM, errno, "timerfd", path, NULL);
    grite_error local;
    s->listen_fd = grite_server_listen_unix(s->path, s->opt.backlog, &s->bound, err ? err : &local);
    if (s->listen_fd < 0) {
        if (err) err->path = path;   /* the caller's string, which outlives s */
        return (int)(err ? err->code : local.code);
    }
    s->socket_file_ours = 1;
    if (watch(s, EPOLL_CTL_ADD, s->listen_fd, EPOLLIN, &s->listen_fd) != 0)
        return fail(err, GRITE_ERR_SYSTEM, errno, "epoll_ctl", path, NULL);
    return 0;
}

int grite_server_open(grite_server **out, const char *socket_path, const grite_server_options *opt,
                      grite_error *err)
{
    if (!out || !socket_path || !check_options(opt))
        return fail(err, GRITE_ERR_BAD_ARGUMENT, EINVAL, NULL, socket_path,
                    "socket path, validate_request and handler are required");
    *out = NULL;
    grite_server *s = calloc(1, sizeof *s);
    if (!s) return fail(err, GRITE_ERR_NO_MEMORY, ENOMEM, NULL, socket_path, NULL);
    s->listen_fd = s->epoll_fd = s->wake_fd = s->signal_fd = s->timer_fd = s->tick_fd = -1;
    s->opt = *opt;
    apply_defaults(&s->opt);
    s->path = strdup(socket_path);
    if (!s->path || grite_buf_init_growable(&s->response, 4096, s->opt.max_frame) != 0) {
        grite_server_close(s);
        return fail(err, GRITE_ERR_NO_MEMORY, ENOMEM, NULL, socket_path, NULL);
    }
    grite_session_hello_encode(s->hello_accept, GRITE_SESSION_HELLO_ACCEPT, s->opt.schema_fingerprint,
                               (uint32_t)s->opt.max_frame);
    int rc = open_fds(s, socket_path, err);
    if (rc != 0) {
        grite_server_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void grite_server_close(grite_server *s)
{
    if (!s) return;
    while (s->conns) close_conn(s, s->conns);
    remove_socket_file(s);
    remove_signals(s);
    if (s->wake_fd >= 0) close(s->wake_fd);
    if (s->timer_fd >= 0) close(s->timer_fd);
    if (s->tick_fd >= 0) close(s->tick_fd);
    if (s->epoll_fd >= 0) close(s->epoll_fd);
    grite_buf_free(&s->response);
    free(s->path);
    free(s);
}

void grite_server_get_stats(const grite_server *s, grite_server_stats *out)
{
    *out = s->stats;
}

int grite_server_socket_status(const grite_server *s)
{
    if (!s->socket_file_ours) return ENOENT;
    return grite_server_socket_identity(s->path, &s->bound);
}
