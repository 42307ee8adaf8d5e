/* daemon.h - the state of a running grite-daemon, shared by its parts:
 * main.c fills it at startup, the handlers (dispatch.c, handlers_*.c,
 * doctor.c) read and change it while serving, one request at a time on
 * the server's single thread. */
#ifndef GRITE_DAEMON_DAEMON_H
#define GRITE_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "grite/daemon_lock.h"
#include "grite/server.h"
#include "leases.h"
#include "paths.h"
#include "stores.h"

/* The IPC protocol version this daemon speaks (IpcRequest.ipc_schema_version). */
#define DAEMON_IPC_VERSION 1u

/* How the daemon was started (docs/DAEMON.md lists the options). */
struct daemon_config {
    char data_dir[GRITE_PATH_MAX];     /* canonical (realpath) */
    char socket_path[GRITE_PATH_MAX];  /* absolute */
    char lock_path[GRITE_PATH_MAX];    /* <data dir>/daemon.lock */
    char store_dir[GRITE_PATH_MAX];    /* <data dir>/store */
    int64_t idle_timeout_ms;           /* 0: never exit for idleness */
    int64_t lease_ms;                  /* the daemon lock's lease */
};

/* Why serving stopped. */
enum daemon_stop_reason {
    DAEMON_RUNNING = 0,
    DAEMON_STOP_SIGNAL,      /* SIGTERM / SIGINT */
    DAEMON_STOP_REQUESTED,   /* a DaemonStop request */
    DAEMON_STOP_IDLE,        /* idle timeout */
    DAEMON_STOP_LOCK_LOST,   /* another daemon took the lock over */
    DAEMON_STOP_SOCKET_GONE  /* our socket file was removed (or replaced) */
};

struct daemon_ctx {
    struct daemon_config cfg;
    char actor_id[GRITE_ID_HEX_LEN + 1];   /* the data dir's own actor */
    struct store_pool stores;
    struct lease_table leases;
    grite_server *server;
    grite_daemon_lock *lock;
    uint64_t started_ms;            /* Unix ms */
    int64_t started_mono_ms;        /* monotonic, for uptime */
    int64_t last_request_mono_ms;   /* monotonic, for the idle timeout */
    int64_t last_heartbeat_mono_ms;
    uint64_t requests_served;       /* requests handled, this one included */
    enum daemon_stop_reason stop_reason;
};

/* Unix milliseconds (wall clock: what replies and leases report). */
uint64_t daemon_now_ms(void);

/* Monotonic milliseconds (for intervals). */
int64_t daemon_mono_ms(void);

/* Stop serving for `reason` (the first reason given wins); the response
 * being built is still sent. */
void daemon_request_stop(struct daemon_ctx *d, enum daemon_stop_reason reason);

#endif
