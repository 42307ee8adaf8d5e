/*
 * daemon_host.h - a real grite-daemon serving inside the fuzzing process,
 * for fuzz_daemon.c.
 *
 * It is the daemon's own code (daemon/: dispatch_request, the handlers,
 * the store, the leases; everything but main.c) behind the runtime's
 * grite_server, run on a thread of its own exactly as main.c sets it up,
 * in a sandbox directory (under /dev/shm when available, where fsync is
 * free): the data dir, the socket, the daemon lock, and the only
 * directories a SyncPull/SyncPush may name (daemon_host_remote).
 * Between two inputs daemon_host_reset() gives the next one the same fresh
 * daemon (empty store, no leases, its server restarted on a fresh thread),
 * so a finding does not depend on the inputs before it.
 */
#ifndef GRITE_FUZZ_DAEMON_HOST_H
#define GRITE_FUZZ_DAEMON_HOST_H

#include <stdbool.h>
#include <stddef.h>

/* Start the daemon if it is not running yet (aborts if it cannot). */
void daemon_host_start(void);

/* Its socket and its canonical data dir. */
const char *daemon_host_socket(void);
const char *daemon_host_data_dir(void);

/* One of DAEMON_HOST_REMOTES sandbox paths for a sync remote, chosen by
 * `pick`: some do not exist, some are empty directories, some grite data
 * dirs (with a store/ inside). Absolute and inside the sandbox. */
#define DAEMON_HOST_REMOTES 4
const char *daemon_host_remote(size_t pick);

/* Is the daemon stopping (a DaemonStop request, or by itself)? And why
 * (daemon.h's enum daemon_stop_reason; 0 while running). */
bool daemon_host_stopping(void);
int daemon_host_stop_reason(void);

/* Back to a fresh state for the next input (see above). Call it only when
 * no connection is open. */
void daemon_host_reset(void);

#endif
