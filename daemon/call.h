/* call.h - one request being answered: what the handlers get, and how
 * they reply.
 *
 * Every handler returns what the server's handler returns
 * (GRITE_HANDLER_RESPOND), having built exactly one IpcReply into
 * c->out with reply_ok() or one of the reply_*error() functions, which
 * echo the request's request_id and set ipc_schema_version. */
#ifndef GRITE_DAEMON_CALL_H
#define GRITE_DAEMON_CALL_H

#include <stdbool.h>

#include "daemon.h"
#include "grite.h"
#include "store.h"

struct call {
    struct daemon_ctx *d;
    const grite_IpcRequest *req;
    grite_str request_id;
    const char *actor;   /* the request's actor_id: "" or 32 lowercase hex */
    grite_buf *out;
};

/* Reply with `response`. If it cannot be built (e.g. larger than the
 * largest frame) the reply is an internal_error saying so instead. */
int reply_ok(struct call *c, const grite_IpcResponse_in *response);

/* Reply with an Error: `code`, a message for a person (printf-style) and
 * optional details (NULL: absent). */
int reply_error(struct call *c, grite_ErrorCode code, const char *details, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reply with the store's error, mapped onto ErrorCode (docs/STORE.md). */
int reply_store_error(struct call *c, const struct grite_store_error *err);

/* Whether a string from the request can go to C APIs: no NUL byte inside
 * (UTF-8 allows U+0000; a C string would silently end there). */
bool text_ok(grite_str s);

/* Reply invalid_args: `field` contains a NUL byte. */
int reply_bad_text(struct call *c, const char *field);

/* The store handle of the request's actor. NULL if the request names no
 * actor or the store cannot be opened for it; then the error reply is
 * already built and the handler returns GRITE_HANDLER_RESPOND. */
grite_store *call_store(struct call *c);

#endif
