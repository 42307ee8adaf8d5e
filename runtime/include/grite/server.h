/*
 * grite/server.h - the daemon side of the Unix-socket transport.
 *
 * One thread, one epoll loop, many clients. The server owns the socket
 * (created safely: mode 0600, a safe directory, a stale file replaced only
 * when nothing answers on it), checks each client's credentials before
 * reading a byte from it, does the version handshake, cuts the stream into
 * frames, validates every request with the schema's root validator, and
 * calls your handler with the archived request read in place. The handler
 * builds its response into a grite_buf; the server sends it (one sendmsg).
 * Pipelined requests on one connection are answered in order.
 *
 * A handler for the grite schema is a plain switch over the generated tag
 * enum; with -Wswitch (in -Wall) the compiler then reports every command
 * the handler forgets:
 *
 *     static int handle(void *user, const grite_request *rq, grite_buf *out)
 *     {
 *         const grite_IpcRequest *req = grite_IpcRequest_root(rq->data);
 *         const grite_IpcCommand *cmd = grite_IpcRequest_command(req);
 *         switch (grite_IpcCommand_tag(cmd)) {
 *         case GRITE_IPC_COMMAND_ISSUE_LIST:  return issue_list(user, req, out);
 *         ...
 *         case GRITE_IPC_COMMAND_DAEMON_STOP:
 *             grite_server_stop(rq->server);       // this response is still sent
 *             return daemon_stop(user, req, out);
 *         }                                        // no default: keep -Wswitch useful
 *         return error_reply(out, req, "unknown command");   // an open union's new tag
 *     }
 *
 * Signals: the server touches signal dispositions and masks only if
 * handle_signals is set; then, while grite_server_run() runs, SIGTERM and
 * SIGINT are blocked in the calling thread and read from a signalfd, and
 * either one stops the server gracefully. Otherwise call grite_server_stop()
 * yourself (it is async-signal-safe and thread-safe). Graceful stop: no new
 * connections or requests, responses already built are sent (within
 * io_timeout_ms), the socket file is removed. See docs/TRANSPORT.md.
 */
#ifndef GRITE_SERVER_H
#define GRITE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "grite/buf.h"
#include "grite/transport.h"
#include "grite/verror.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRITE_SERVER_MAX_CONNECTIONS_DEFAULT 256
#define GRITE_SERVER_IO_TIMEOUT_DEFAULT_MS 10000

typedef struct grite_server grite_server;

/* Who is on the other end (SO_PEERCRED, as of connect()). */
typedef struct grite_server_peer {
    uid_t uid;
    gid_t gid;
    pid_t pid;
} grite_server_peer;

/* One validated request. */
typedef struct grite_request {
    const void *data;         /* the archive, 8-aligned, validated */
    size_t len;
    const grite_server_peer *peer;
    grite_server *server;     /* e.g. for grite_server_stop() */
} grite_request;

/* What a handler returns. */
enum {
    GRITE_HANDLER_RESPOND = 0,   /* send the response built into `response` */
    GRITE_HANDLER_DROP = 1       /* close this connection without answering */
};

/* Build the response to `req` into `response` (reset, growable up to
 * max_frame) and return GRITE_HANDLER_RESPOND, or return GRITE_HANDLER_DROP.
 * `req->data` is valid only during the call. */
typedef int (*grite_server_handler_fn)(void *user, const grite_request *req, grite_buf *response);

/* A frame that is not a valid request. */
typedef struct grite_server_bad_request {
    grite_err reason;             /* FRAME_TOO_LARGE or INVALID_MESSAGE */
    const grite_verror *verror;   /* INVALID_MESSAGE: why; else NULL */
    const void *data;             /* INVALID_MESSAGE: the rejected bytes; else NULL */
    size_t len;                   /* their length, or the announced length */
    const grite_server_peer *peer;
    grite_server *server;
} grite_server_bad_request;

/* Optional: build an error response for a bad frame into `response` and
 * return GRITE_HANDLER_RESPOND to send it, or GRITE_HANDLER_DROP. After an
 * INVALID_MESSAGE the connection carries on (frames are still in step);
 * after FRAME_TOO_LARGE it is closed once the response is sent. */
typedef int (*grite_server_bad_request_fn)(void *user, const grite_server_bad_request *bad, grite_buf *response);

/* Optional: may this peer talk to us? Called once per connection, before
 * anything is read from it. */
typedef bool (*grite_server_allow_fn)(void *user, const grite_server_peer *peer);

typedef struct grite_server_options {
    /* The schema this program was built from (UPPER(P)_SCHEMA_FINGERPRINT). */
    uint64_t schema_fingerprint;
    /* The validator of the request root, e.g. grite_IpcRequest_validate. Required. */
    grite_validate_fn validate_request;
    /* Required. */
    grite_server_handler_fn handler;
    void *user;                                 /* passed to the callbacks */
    grite_server_bad_request_fn on_bad_request; /* NULL: drop the connection */
    grite_server_allow_fn allow_peer;           /* NULL: only our own effective UID */
    size_t max_frame;        /* largest request/response body; 0: 16 MiB */
    int max_connections;     /* more are answered "busy" and closed; 0: 256 */
    int io_timeout_ms;       /* a connection with a partial request or an
                                unsent response and no progress for this long
                                is dropped; also bounds the shutdown flush;
                                0: 10000 */
    int idle_timeout_ms;     /* drop connections idle (nothing pending) this
                                long; 0: keep them */
    int backlog;             /* listen() backlog; 0: SOMAXCONN */
    bool handle_signals;     /* stop gracefully on SIGTERM/SIGINT (signalfd) */
    /* Optional: called on the server's thread about every tick_ms (> 0)
     * milliseconds while it serves, between requests, e.g. for a daemon's
     * lock heartbeat and idle timeout. It may call grite_server_stop() and
     * grite_server_get_stats(). Not called once a stop was requested. */
    void (*on_tick)(void *user, grite_server *server);
    int tick_ms;
} grite_server_options;

typedef struct grite_server_stats {
    uint64_t requests;        /* handled by the handler */
    uint64_t bad_requests;    /* invalid or oversized frames */
    uint64_t accepted;        /* connections served */
    uint64_t refused;         /* closed by the credential check */
    uint64_t busy;            /* closed at the connection limit */
    uint64_t timed_out;       /* dropped by io_timeout_ms / idle_timeout_ms */
    uint64_t mismatched;      /* closed for a schema mismatch */
    size_t connections;       /* open now */
} grite_server_stats;

/* Create the listening socket at `socket_path` (mode 0600). Fails with
 *   GRITE_ERR_UNSAFE_PATH      the directory is writable by others and not
 *                              sticky, or belongs to another user (not root);
 *                              or the path exists and is not a socket, or is
 *                              another user's socket;
 *   GRITE_ERR_ALREADY_RUNNING  a live server answers on the socket;
 *   GRITE_ERR_BIND             path too long, permission denied, ...;
 *   GRITE_ERR_BAD_ARGUMENT, GRITE_ERR_NO_MEMORY, GRITE_ERR_SYSTEM.
 * A socket file nothing answers on (a crashed daemon's) is replaced. err
 * may be NULL. On success *out is the server. */
int grite_server_open(grite_server **out, const char *socket_path,
                      const grite_server_options *opt, grite_error *err);

/* Serve until stopped; then finish gracefully (see above) and return 0,
 * or a GRITE_ERR_SYSTEM code if epoll failed. Run it once per server. */
int grite_server_run(grite_server *s, grite_error *err);

/* Ask the server to stop. From a handler: its response is still sent.
 * Async-signal-safe and thread-safe. */
void grite_server_stop(grite_server *s);

/* Close everything, remove the socket file if it is still ours, free. */
void grite_server_close(grite_server *s);

/* Counters, e.g. for a status command. */
void grite_server_get_stats(const grite_server *s, grite_server_stats *out);

/* Whether the socket path still names the socket file this server bound:
 * 0 if so; ENOENT or ENOTDIR if it is gone (removed, say, with its
 * directory, or by the server's own shutdown); ESTALE if another file is
 * there now; else the errno of looking (lstat). New clients cannot reach a
 * server whose socket file is gone or replaced: a daemon holding a lock
 * that points clients here should stop (grite-daemon checks on each tick).
 * Call it from the server's thread (e.g. in on_tick). */
int grite_server_socket_status(const grite_server *s);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_SERVER_H */
