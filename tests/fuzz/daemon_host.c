/*
 * daemon_host.c - see daemon_host.h. Start-up and shut-down are the
 * daemon's own (daemon/startup.h), minus the command line and the signal
 * handling, which belong to the fuzzer.
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

#include "fuzz_util.h"
#include "log.h"
#include "startup.h"

static struct daemon_ctx ctx;   /* the handlers' for the whole run, as in main.c */
static struct daemon_options options;
static char sandbox[64];
static char data_dir[128], socket_path[128];
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
    enum daemon_exit rc = daemon_serve(&ctx);
    FUZZ_CHECK(rc == DAEMON_EXIT_CLEAN, "the daemon stopped with exit status %d", (int)rc);
    atomic_store(&server_done, true);
    return NULL;
}

static void start_serving(void)
{
    atomic_store(&server_done, false);
    FUZZ_CHECK(pthread_create(&server_thread, NULL, serve, NULL) == 0, "pthread_create failed");
}

/* Wait for the server thread to finish (after a stop) and close it. */
static void close_server(void)
{
    FUZZ_CHECK(pthread_join(server_thread, NULL) == 0, "pthread_join failed");
    daemon_close_server(&ctx);
}

static void shut_down(void)
{
    if (!started)
        return;
    daemon_request_stop(&ctx, DAEMON_STOP_SIGNAL);
    close_server();
    daemon_close(&ctx);
    dlog_close();
    remove_tree(sandbox);
}

void daemon_host_start(void)
{
    if (started)
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(sandbox, sizeof sandbox, "%s/grite-fuzz-daemon-XXXXXX", base);
    FUZZ_CHECK(mkdtemp(sandbox) != NULL, "mkdtemp: %s", strerror(errno));
    FUZZ_CHECK(dlog_open("/dev/null") == 0, "cannot open /dev/null");
    snprintf(data_dir, sizeof data_dir, "%s/data", sandbox);
    snprintf(socket_path, sizeof socket_path, "%s/daemon.sock", sandbox);
    options = (struct daemon_options){
        .data_dir = data_dir,
        .socket_path = socket_path,
        .idle_timeout_ms = 0,
        .lease_ms = DAEMON_LEASE_DEFAULT_MS,
        .log_path = "/dev/null",
        .no_signals = true,
    };
    FUZZ_CHECK(daemon_open(&ctx, &options) == DAEMON_EXIT_CLEAN, "the daemon cannot start in %s", sandbox);
    make_remotes();
    start_serving();
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
    /* The store and the leases belong to the server thread: stop it before
     * touching them (a reset while it runs would race with its handlers). */
    grite_server_stop(ctx.server);
    close_server();
    store_pool_close(&ctx.stores);
    lease_table_free(&ctx.leases);
    remove_tree(ctx.cfg.store_dir);
    make_remotes();
    open_store();
    ctx.requests_served = 0;
    FUZZ_CHECK(daemon_open_server(&ctx, &options) == DAEMON_EXIT_CLEAN, "the daemon cannot listen again");
    start_serving();
}
