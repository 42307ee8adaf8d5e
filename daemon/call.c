/* call.c - building replies (call.h). */
#include "call.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

#define MESSAGE_MAX 1024

static int build_reply(struct call *c, const grite_IpcResponse_in *response)
{
    grite_IpcReply_in reply = {
        .ipc_schema_version = DAEMON_IPC_VERSION,
        .request_id = c->request_id,
        .response = *response,
    };
    return grite_IpcReply_build(c->out, &reply);
}

int reply_ok(struct call *c, const grite_IpcResponse_in *response)
{
    int rc = build_reply(c, response);
    if (rc == GRITE_BUILD_OK) return GRITE_HANDLER_RESPOND;
    const char *what = grite_IpcResponse_kind_name(response->tag);
    log_error("cannot build the %s reply: %s", what ? what : "?", grite_build_strerror(rc));
    return reply_error(c, GRITE_ERROR_CODE_INTERNAL_ERROR, NULL, "the daemon could not build its %s reply: %s",
                       what ? what : "?", grite_build_strerror(rc));
}

int reply_error(struct call *c, grite_ErrorCode code, const char *details, const char *fmt, ...)
{
    char message[MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    grite_IpcResponse_in response = {
        .tag = GRITE_IPC_RESPONSE_ERROR,
        .v.Error = {
            .code = code,
            .message = grite_str_from_cstr(message),
            .details = {.present = details != NULL, .value = grite_str_from_cstr(details)},
        },
    };
    if (build_reply(c, &response) == GRITE_BUILD_OK) return GRITE_HANDLER_RESPOND;
    /* Only a message that is not UTF-8 (a cut multi-byte sequence) or a
     * request_id we cannot echo gets here: say something plain instead. */
    response.v.Error.message = GRITE_STR("the daemon could not build its error reply");
    response.v.Error.details.present = false;
    if (build_reply(c, &response) == GRITE_BUILD_OK) return GRITE_HANDLER_RESPOND;
    log_error("cannot build an error reply; dropping the connection");
    return GRITE_HANDLER_DROP;
}

static grite_ErrorCode store_code(enum grite_store_status status)
{
    switch (status) {
    case GRITE_STORE_INVALID_ARGS: return GRITE_ERROR_CODE_INVALID_ARGS;
    case GRITE_STORE_NOT_FOUND: return GRITE_ERROR_CODE_NOT_FOUND;
    case GRITE_STORE_BUSY: return GRITE_ERROR_CODE_DB_BUSY;
    case GRITE_STORE_IO_ERROR: return GRITE_ERROR_CODE_IO_ERROR;
    case GRITE_STORE_CORRUPT: return GRITE_ERROR_CODE_IO_ERROR;
    case GRITE_STORE_INTERNAL: return GRITE_ERROR_CODE_INTERNAL_ERROR;
    case GRITE_STORE_OK: break;
    }
    return GRITE_ERROR_CODE_INTERNAL_ERROR;
}

/* snprintf at the end of what `out` holds, never past n. */
static void appendf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void appendf(char *out, size_t n, const char *fmt, ...)
{
    size_t len = strlen(out);
    if (len + 1 >= n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + len, n - len, fmt, ap);
    va_end(ap);
}

int reply_store_error(struct call *c, const struct grite_store_error *err)
{
    grite_ErrorCode code = store_code(err->code);
    if (code == GRITE_ERROR_CODE_IO_ERROR || code == GRITE_ERROR_CODE_INTERNAL_ERROR)
        log_error("store: %s", err->message);
    char details[GRITE_STORE_PATH_MAX + 128] = "";
    appendf(details, sizeof details, "store status: %s", grite_store_status_name(err->code));
    if (err->path[0]) appendf(details, sizeof details, "; path: %s", err->path);
    if (err->sys_errno) appendf(details, sizeof details, "; %s", strerror(err->sys_errno));
    if (err->code == GRITE_STORE_CORRUPT)
        appendf(details, sizeof details, "; offset: %llu", (unsigned long long)err->offset);
    return reply_error(c, code, details, "%s", err->message);
}

bool text_ok(grite_str s)
{
    return memchr(s.ptr, '\0', s.len) == NULL;
}

int reply_bad_text(struct call *c, const char *field)
{
    return reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL, "%s contains a NUL byte", field);
}

grite_store *call_store(struct call *c)
{
    if (!c->actor[0]) {
        reply_error(c, GRITE_ERROR_CODE_INVALID_ARGS, NULL,
                    "actor_id is required for this command (32 lowercase hex digits)");
        return NULL;
    }
    struct grite_store_error err;
    grite_store *s = store_pool_get(&c->d->stores, c->actor, &err);
    if (!s) reply_store_error(c, &err);
    return s;
}
