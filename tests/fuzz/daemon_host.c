/*
 * daemon_host.c - see daemon_host.h. The start-up mirrors daemon/main.c's
 * start() (paths, lock, store, server) minus the command line and the
 * signal handling, which belong to the fuzzer.
 */
#define _GNU_SOURCE

#include "daemon_host.h"

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "dispatch.h"
#include "fuzz_util.h"
#include "grite.h"
#include "heartbeat.h"
#include "log.h"
#include "options.h"

static struct daemon_ctx ctx;   /* the handlers' for the whole run, as in main.c */
static char sandbox[64];
static char remotes[DAEMON_HOST_REMOTES][128];
static pthread_t server_thread;
static atomic_bool server_done;
static bool started;

/* ---- files ------------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void remove_tree(const char *path)
{
    if (access(path, F_OK) == 0)
        FUZZ_CHECK(nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0, "cannot remove %s: %s",
                   path, strerror(errno));
}

static void make_dir(const char *path)
{
    FUZZ_CHECK(mkdir(path, 0700) == 0 || errno == EEXIST, "cannot create %s: %s", path, strerror(errno));
}

/* remotes[0]: missing; [1], [3]: empty directories; [2]: a data dir. */
static void make_remotes(void)
{
    char path[192];
    snprintf(path, sizeof path, "%s/remotes", sandbox);
    remove_tree(path);
    make_dir(path);
    for (size_t i = 0; i < DAEMON_HOST_REMOTES; i++) {
        snprintf(remotes[i], sizeof remotes[i], "%s/remotes/r%zu", sandbox, i);
        if (i != 0)
            make_dir(remotes[i]);
    }
    snprintf(path, sizeof path, "%s/store", remotes[2]);
    make_dir(path);
}

/* ---- the daemon's parts ---------------------------------------------------------- */

static void open_store(void)
{
    struct grite_store_error err;
    FUZZ_CHECK(store_pool_open(&ctx.stores, ctx.cfg.store_dir, ctx.actor_id, &err) == GRITE_STORE_OK,
               "cannot open the store %s: %s", ctx.cfg.store_dir, err.message);
    lease_table_init(&ctx.leases);
}

static void *serve(void *unused)
{
    (void)unused;
    grite_error err;
    int rc = grite_server_run(ctx.server, &err);
    FUZZ_CHECK(rc == 0, "grite_server_run failed with %s", grite_err_name(rc));
    atomic_store(&server_done, true);
    return NULL;
}

static void open_server(void)
{
    grite_server_options so = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_request = grite_IpcRequest_validate,
        .handler = dispatch_request,
        .on_bad_request = dispatch_bad_request,
        .user = &ctx,
        .io_timeout_ms = 5000,
        .on_tick = heartbeat_tick,
        .tick_ms = heartbeat_tick_ms(&ctx.cfg),
    };
    grite_error err;
    int rc = grite_server_open(&ctx.server, ctx.cfg.socket_path, &so, &err);
    FUZZ_CHECK(rc == 0, "cannot listen on %s: %s", ctx.cfg.socket_path, grite_err_name(rc));
    /* As main.c: the heartbeat stops a daemon whose socket file changed. */
    struct stat st;
    FUZZ_CHECK(lstat(ctx.cfg.socket_path, &st) == 0, "no socket file: %s", strerror(errno));
    ctx.socket_dev = st.st_dev;
    ctx.socket_ino = st.st_ino;
    ctx.stop_reason = DAEMON_RUNNING;
    atomic_store(&server_done, false);
    FUZZ_CHECK(pthread_create(&server_thread, NULL, serve, NULL) == 0, "pthread_create failed");
}

/* Wait for the server thread to finish (after a stop) and close it. */
static void close_server(void)
{
    FUZZ_CHECK(pthread_join(server_thread, NULL) == 0, "pthread_join failed");
    grite_server_close(ctx.server);
    ctx.server = NULL;
}

static void shut_down(void)
{
    if (!started)
        return;
    daemon_request_stop(&ctx, DAEMON_STOP_SIGNAL);
    close_server();
    store_pool_close(&ctx.stores);
    lease_table_free(&ctx.leases);
    grite_lock_error err;
    grite_daemon_lock_release(ctx.lock, &err);
    dlog_close();
    remove_tree(sandbox);
}

static void configure(void)
{
    char err[GRITE_PATH_MAX];
    char data[128];
    snprintf(data, sizeof data, "%s/data", sandbox);
    FUZZ_CHECK(grite_paths_data_dir(data, ctx.cfg.data_dir, sizeof ctx.cfg.data_dir, err, sizeof err) == 0 &&
                   grite_paths_actor_id(ctx.cfg.data_dir, ctx.actor_id, err, sizeof err) == 0,
               "data dir: %s", err);
    snprintf(ctx.cfg.socket_path, sizeof ctx.cfg.socket_path, "%s/daemon.sock", sandbox);
    FUZZ_CHECK(grite_paths_lock_file(ctx.cfg.data_dir, ctx.cfg.lock_path, sizeof ctx.cfg.lock_path) == 0 &&
                   grite_paths_store_dir(ctx.cfg.data_dir, ctx.cfg.store_dir, sizeof ctx.cfg.store_dir) == 0,
               "data dir path too long");
    ctx.cfg.lease_ms = DAEMON_LEASE_DEFAULT_MS;
    ctx.cfg.idle_timeout_ms = 0;
}

void daemon_host_start(void)
{
    if (started)
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(sandbox, sizeof sandbox, "%s/grite-fuzz-daemon-XXXXXX", base);
    FUZZ_CHECK(mkdtemp(sandbox) != NULL, "mkdtemp: %s", strerror(errno));
    FUZZ_CHECK(dlog_open("/dev/null") == 0, "cannot open /dev/null");
    configure();
    grite_lock_error lerr;
    FUZZ_CHECK(grite_daemon_lock_acquire(ctx.cfg.lock_path, ctx.cfg.socket_path, ctx.cfg.lease_ms, &ctx.lock,
                                         NULL, &lerr) == GRITE_LOCK_OK,
               "daemon lock: %s", lerr.text);
    make_remotes();
    open_store();
    ctx.started_ms = daemon_now_ms();
    ctx.started_mono_ms = ctx.last_request_mono_ms = ctx.last_heartbeat_mono_ms = daemon_mono_ms();
    open_server();
    started = true;
    atexit(shut_down);
}

const char *daemon_host_socket(void) { return ctx.cfg.socket_path; }
const char *daemon_host_data_dir(void) { return ctx.cfg.data_dir; }
const char *daemon_host_remote(size_t pick) { return remotes[pick % DAEMON_HOST_REMOTES]; }
bool daemon_host_stopping(void) { return ctx.stop_reason != DAEMON_RUNNING || atomic_load(&server_done); }
int daemon_host_stop_reason(void) { return (int)ctx.stop_reason; }

void daemon_host_reset(void)
{
    if (daemon_host_stopping()) {
        close_server();
        open_server();
    }
    store_pool_close(&ctx.stores);
    lease_table_free(&ctx.leases);
    remove_tree(ctx.cfg.store_dir);
    make_remotes();
    open_store();
    ctx.requests_served = 0;
}
