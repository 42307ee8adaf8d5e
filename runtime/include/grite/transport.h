/*
 * grite/transport.h - what can go wrong on the Unix-socket transport, and
 * how to say it to a person.
 *
 * Every client and server function returns 0 (GRITE_ERR_OK) or one of the
 * GRITE_ERR_* codes below, and fills a grite_error with the details
 * (errno, the socket path, both fingerprints of a schema mismatch, the
 * validator's verdict). The list is an X-macro, like verror.h: the enum,
 * the names and the texts cannot drift apart. docs/TRANSPORT.md says when
 * each code is returned and which ones the retry helper retries.
 */
#ifndef GRITE_TRANSPORT_H
#define GRITE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "grite/verror.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, "text") -- numbered from 1 in this order; only append. */
#define GRITE_ERR_LIST(X) \
    X(NO_DAEMON,       "no daemon is listening on the socket") \
    X(CONNECT,         "cannot connect to the daemon's socket") \
    X(NOT_CONNECTED,   "the client is not connected") \
    X(TIMEOUT,         "timed out waiting for the peer") \
    X(IO,              "I/O error on the connection") \
    X(CLOSED,          "the peer closed the connection") \
    X(POISONED,        "the connection is poisoned by an earlier error; reconnect") \
    X(FRAME_TOO_LARGE, "frame is larger than the maximum frame size") \
    X(INVALID_MESSAGE, "message failed validation") \
    X(SCHEMA_MISMATCH, "client and daemon were built from different schemas") \
    X(PROTOCOL,        "the peer broke the session protocol") \
    X(REFUSED,         "the daemon refused this client") \
    X(BUSY,            "the daemon has too many connections") \
    X(NO_MEMORY,       "out of memory") \
    X(BAD_ARGUMENT,    "invalid argument") \
    X(ALREADY_RUNNING, "a daemon is already listening on this socket") \
    X(UNSAFE_PATH,     "the socket's directory or file is not safe to use") \
    X(BIND,            "cannot create the listening socket") \
    X(SYSTEM,          "a system call failed")

typedef enum grite_err {
    GRITE_ERR_OK = 0,
#define GRITE_ERR_ENUM_(name, text) GRITE_ERR_##name,
    GRITE_ERR_LIST(GRITE_ERR_ENUM_)
#undef GRITE_ERR_ENUM_
    GRITE_ERR_COUNT_
} grite_err;

/* The details behind a code. Filled by the function that failed; fields
 * that do not apply to the code are 0/empty. */
typedef struct grite_error {
    grite_err code;
    int sys_errno;            /* errno behind the failure, 0 if none */
    const char *op;           /* the failing step, e.g. "connect", or NULL */
    const char *path;         /* the socket path (borrowed), or NULL */
    const char *detail;       /* a static extra explanation, or NULL */
    uint64_t local_fingerprint;  /* SCHEMA_MISMATCH: ours */
    uint64_t peer_fingerprint;   /* SCHEMA_MISMATCH: the peer's */
    uint64_t frame_len;          /* FRAME_TOO_LARGE: the length seen */
    uint64_t frame_max;          /* FRAME_TOO_LARGE: the limit */
    grite_err cause;          /* POISONED: the error that poisoned it */
    grite_verror verror;      /* INVALID_MESSAGE: the validator's verdict */
} grite_error;

/* The short text for a code ("unknown transport error" outside the list). */
const char *grite_err_text(int code);

/* The code's symbolic name, e.g. "NO_DAEMON" ("UNKNOWN" outside the list). */
const char *grite_err_name(int code);

/* A complete message for a person, e.g.
 *   "no daemon is listening on the socket: /run/user/1000/grite.sock:
 *    connect: No such file or directory"
 * or, for a schema mismatch, both fingerprints in hex and what to do.
 * Returns what snprintf returns. */
int grite_error_format(const grite_error *err, char *out, size_t n);

/* Whether a failed call may succeed if tried again on a new connection:
 * NO_DAEMON, TIMEOUT, IO, CLOSED, POISONED, BUSY. Never for a validation
 * failure, a schema mismatch, a refusal or a bad argument. */
int grite_err_is_retryable(int code);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_TRANSPORT_H */
