/* daemon.c - the small helpers of daemon.h: clocks and stopping. */
#include "daemon.h"

#include <time.h>

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t daemon_now_ms(void)
{
    int64_t ms = clock_ms(CLOCK_REALTIME);
    return ms > 0 ? (uint64_t)ms : 0;
}

int64_t daemon_mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

void daemon_request_stop(struct daemon_ctx *d, enum daemon_stop_reason reason)
{
    if (d->stop_reason == DAEMON_RUNNING) d->stop_reason = reason;
    if (d->server) grite_server_stop(d->server);
}
