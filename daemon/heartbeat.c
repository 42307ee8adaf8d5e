/* heartbeat.c - the daemon lock's heartbeat and the idle timeout
 * (heartbeat.h). */
#include "heartbeat.h"

#include <errno.h>
#include <string.h>

#include "log.h"

#define TICK_MIN_MS 20
/* At most 1 s, so a removed socket file is noticed (and the lock released)
 * well within the 5 s a CLI waits for a daemon that holds a live lock. */
#define TICK_MAX_MS 1000

int heartbeat_tick_ms(const struct daemon_config *cfg)
{
    /* lease/6: a refresh due at lease/3 happens by lease/2 at the latest. */
    int64_t tick = cfg->lease_ms / 6;
    if (cfg->idle_timeout_ms > 0 && cfg->idle_timeout_ms / 4 < tick) tick = cfg->idle_timeout_ms / 4;
    if (tick < TICK_MIN_MS) tick = TICK_MIN_MS;
    if (tick > TICK_MAX_MS) tick = TICK_MAX_MS;
    return (int)tick;
}

static void refresh_lock(struct daemon_ctx *d, int64_t now)
{
    if (now - d->last_heartbeat_mono_ms < d->cfg.lease_ms / 3) return;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_refresh(d->lock, &err);
    if (st == GRITE_LOCK_OK) {
        d->last_heartbeat_mono_ms = now;
    } else if (st == GRITE_LOCK_LOST) {
        log_error("lost the daemon lock %s: %s; stopping", d->cfg.lock_path, err.text);
        daemon_request_stop(d, DAEMON_STOP_LOCK_LOST);
    } else {
        /* BUSY or SYSTEM: try again on the next tick; the lease has room. */
        log_warn("cannot refresh the daemon lock %s: %s; retrying", d->cfg.lock_path, err.text);
    }
}

static void check_idle(struct daemon_ctx *d, grite_server *server, int64_t now)
{
    if (d->cfg.idle_timeout_ms <= 0 || now - d->last_request_mono_ms < d->cfg.idle_timeout_ms) return;
    grite_server_stats stats;
    grite_server_get_stats(server, &stats);
    if (stats.connections > 0) return;
    log_info("no request for %lld ms and no client connected; stopping", (long long)(now - d->last_request_mono_ms));
    daemon_request_stop(d, DAEMON_STOP_IDLE);
}

/* Our socket file was removed (say, its directory was deleted, or a
 * runtime dir wiped at logout) or replaced: no new client can reach us,
 * yet our live lock would make every CLI wait for us and none start a
 * daemon it can reach. Stop cleanly instead: the lock is released, and
 * the next CLI starts a fresh daemon, which recreates the socket. */
static void check_socket(struct daemon_ctx *d, const grite_server *server)
{
    int e = grite_server_socket_status(server);
    if (e == 0) return;
    if (e == ENOENT || e == ENOTDIR)
        log_warn("the socket file %s is gone (removed with its directory?): no client can reach this daemon; "
                 "stopping so that the next client starts a new one", d->cfg.socket_path);
    else
        log_warn("the socket file %s is no longer ours (%s): no client can reach this daemon; stopping",
                 d->cfg.socket_path, e == ESTALE ? "another file is there now" : strerror(e));
    daemon_request_stop(d, DAEMON_STOP_SOCKET_GONE);
}

void heartbeat_tick(void *user, grite_server *server)
{
    struct daemon_ctx *d = user;
    int64_t now = daemon_mono_ms();
    refresh_lock(d, now);
    if (d->stop_reason == DAEMON_RUNNING) check_socket(d, server);
    if (d->stop_reason == DAEMON_RUNNING) check_idle(d, server, now);
}
