/* heartbeat.h - what grite-daemon does between requests: refresh the
 * daemon lock (about every lease/3), stop when its socket file is gone,
 * and exit when idle.
 *
 * heartbeat_tick() runs on the server's thread, from the server's tick
 * (grite_server_options.on_tick), every heartbeat_tick_ms(). */
#ifndef GRITE_DAEMON_HEARTBEAT_H
#define GRITE_DAEMON_HEARTBEAT_H

#include "daemon.h"

/* How often the tick must run for this configuration: often enough to
 * refresh the lock well inside its lease and to notice the idle timeout
 * promptly, rarely enough that an idle daemon mostly sleeps. */
int heartbeat_tick_ms(const struct daemon_config *cfg);

/* The server's on_tick (`user` is the struct daemon_ctx): refresh the lock
 * when due (on LOST: stop serving, DAEMON_STOP_LOCK_LOST); stop with
 * DAEMON_STOP_SOCKET_GONE when the socket path no longer names the socket
 * we bound (grite_server_socket_status); stop with
 * DAEMON_STOP_IDLE when no request came for idle_timeout_ms and no client
 * is connected. */
void heartbeat_tick(void *user, grite_server *server);

#endif
