/* handlers_daemon.c - DaemonStatus and DaemonStop. */
#include <unistd.h>

#include "handlers.h"
#include "log.h"

int handle_daemon_status(struct call *c)
{
    const struct daemon_ctx *d = c->d;
    grite_server_stats stats;
    grite_server_get_stats(d->server, &stats);
    grite_IpcResponse_in r = {
        .tag = GRITE_IPC_RESPONSE_DAEMON_STATUS_RESULT,
        .v.DaemonStatusResult = {
            .pid = (uint32_t)getpid(),
            .started_ts = d->started_ms,
            .uptime_ms = (uint64_t)(daemon_mono_ms() - d->started_mono_ms),
            .requests_served = d->requests_served,
            .connected_clients = (uint32_t)stats.connections,
            .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
            .socket_path = grite_str_from_cstr(d->cfg.socket_path),
            .data_dir = grite_str_from_cstr(d->cfg.data_dir),
        },
    };
    return reply_ok(c, &r);
}

/* Reply first: the server still sends this response after the stop
 * request, then closes the socket; main.c releases the lock. */
int handle_daemon_stop(struct call *c)
{
    log_info("stop requested by a client (actor %s)", c->actor[0] ? c->actor : "not given");
    daemon_request_stop(c->d, DAEMON_STOP_REQUESTED);
    grite_IpcResponse_in r = {.tag = GRITE_IPC_RESPONSE_DAEMON_STOP_RESULT,
                              .v.DaemonStopResult = {.pid = (uint32_t)getpid()}};
    return reply_ok(c, &r);
}
