/*
 * grite/client.h - the client side of the Unix-socket transport.
 *
 * A client holds one warm connection to a daemon and makes one call at a
 * time: send a request archive, get back the validated response archive,
 * read in place in the client's receive buffer. Once warm, a call makes
 * one sendmsg() and usually one recv(), and allocates nothing.
 *
 *     grite_client_options opt = {
 *         .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
 *         .validate_response = grite_IpcReply_validate,
 *     };
 *     grite_client *c = grite_client_new(path, &opt);
 *     if (!c) ...out of memory...
 *     if (grite_client_connect(c) != 0) {
 *         fprintf(stderr, "%s\n", grite_client_strerror(c));   // NO_DAEMON: start one
 *     }
 *     grite_IpcRequest_build(&req, &in);
 *     const void *resp; size_t len;
 *     if (grite_client_call(c, &req, &resp, &len) == 0) {
 *         const grite_IpcReply *r = grite_IpcReply_root(resp);  // valid until the next call
 *     }
 *     grite_client_free(c);
 *
 * Errors (grite/transport.h) are returned as GRITE_ERR_* codes, with the
 * details in grite_client_error(). After a timeout or an I/O error in the
 * middle of an exchange the stream may be out of step, so the connection
 * is *poisoned*: every later call fails with GRITE_ERR_POISONED until
 * grite_client_connect() is called again (grite_client_call_retry() does
 * that for you). A client is not thread-safe: use one per thread.
 */
#ifndef GRITE_CLIENT_H
#define GRITE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "grite/buf.h"
#include "grite/transport.h"
#include "grite/verror.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRITE_CLIENT_TIMEOUT_DEFAULT_MS 10000
#define GRITE_CLIENT_RECEIVE_BUFFER_DEFAULT (64u * 1024u)

typedef struct grite_client grite_client;

typedef struct grite_client_options {
    /* The schema this program was built from (UPPER(P)_SCHEMA_FINGERPRINT). */
    uint64_t schema_fingerprint;
    /* The validator of the response root, e.g. grite_IpcReply_validate.
     * Required: a response is never handed out unvalidated. */
    grite_validate_fn validate_response;
    /* Largest frame body sent or accepted; 0: GRITE_FRAME_MAX_DEFAULT. */
    size_t max_frame;
    /* Deadline of one call, across all partial reads and writes, and of
     * connect(); 0: GRITE_CLIENT_TIMEOUT_DEFAULT_MS; < 0: wait forever. */
    int timeout_ms;
    /* Initial receive buffer; it grows as needed and is kept.
     * 0: GRITE_CLIENT_RECEIVE_BUFFER_DEFAULT. */
    size_t receive_buffer;
} grite_client_options;

/* A client for the socket at `socket_path` (copied), with options `opt`
 * (copied; required, since validate_response is). Does no I/O. Returns
 * NULL with errno EINVAL (NULL path, options or validator) or ENOMEM. */
grite_client *grite_client_new(const char *socket_path, const grite_client_options *opt);

/* Close the connection (if any) and free everything. NULL is ignored. */
void grite_client_free(grite_client *c);

/* Connect, or reconnect (closing the old connection and clearing any
 * poisoning). Returns 0 or:
 *   GRITE_ERR_NO_DAEMON  no socket file, or nothing listens on it
 *                        (ENOENT, ECONNREFUSED): start a daemon;
 *   GRITE_ERR_CONNECT    anything else: permission denied, not a socket,
 *                        path too long, ... (sys_errno says which);
 *   GRITE_ERR_TIMEOUT    the daemon's accept backlog stayed full;
 *   GRITE_ERR_SYSTEM     socket() failed.
 * The handshake itself happens with the first call (no extra round trip). */
int grite_client_connect(grite_client *c);

/* Close the connection; the client can connect again later. */
void grite_client_disconnect(grite_client *c);

/* Send `request` (request->data, request->len: an archive the caller
 * built) and wait for the response. On 0, *response points at the
 * validated, 8-aligned response (*response_len bytes) inside the client's
 * receive buffer, valid until the next call on this client. Errors:
 *   GRITE_ERR_NOT_CONNECTED, GRITE_ERR_POISONED (reconnect),
 *   GRITE_ERR_FRAME_TOO_LARGE (request: nothing was sent; response: poisons),
 *   GRITE_ERR_TIMEOUT, GRITE_ERR_IO, GRITE_ERR_CLOSED, GRITE_ERR_PROTOCOL (poison),
 *   GRITE_ERR_SCHEMA_MISMATCH, GRITE_ERR_REFUSED, GRITE_ERR_BUSY
 *                        (first call on a connection; the daemon closes it),
 *   GRITE_ERR_INVALID_MESSAGE (the response failed validation; the
 *                        connection stays usable, frames are still in step). */
int grite_client_call(grite_client *c, const grite_buf *request,
                      const void **response, size_t *response_len);

typedef struct grite_client_retry_policy {
    int max_attempts;        /* tries in all, first included; 0: 5 */
    int initial_backoff_ms;  /* sleep before the 2nd try, doubled after; 0: 100 */
    int max_elapsed_ms;      /* give up once this much time has passed; calls
                                get at most the time left; 0: 30000 */
} grite_client_retry_policy;

/* grite_client_call(), connecting first if needed, and on a retryable
 * error (grite_err_is_retryable: no daemon, timeout, I/O, closed, poisoned,
 * busy) reconnecting and trying again after 100, 200, 400, ... ms, within
 * the policy's bounds (NULL: the defaults). Never retries a validation
 * failure, a schema mismatch, a refusal or a too-large request. Note that a
 * request that timed out may have been executed: make requests idempotent
 * (e.g. the daemon remembers request ids) before retrying ones that are not. */
int grite_client_call_retry(grite_client *c, const grite_buf *request,
                            const void **response, size_t *response_len,
                            const grite_client_retry_policy *policy);

/* Change the per-call timeout (same meaning as the option). */
void grite_client_set_timeout(grite_client *c, int timeout_ms);

/* The per-call timeout in ms (< 0: forever). */
int grite_client_get_timeout(const grite_client *c);

/* The details of the last failure. */
const grite_error *grite_client_error(const grite_client *c);

/* The last failure as text for a person, formatted into the client
 * (valid until the next call on it). */
const char *grite_client_strerror(grite_client *c);

/* The socket's file descriptor, or -1 when not connected (for poll()ing
 * liveness or tests; do not read or write it). */
int grite_client_fd(const grite_client *c);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_CLIENT_H */
