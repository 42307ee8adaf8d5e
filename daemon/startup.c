/* startup.c - see startup.h. */
#include "startup.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "grite.h"
#include "heartbeat.h"
#include "log.h"
#include "paths.h"

#define ERR_MAX (GRITE_PATH_MAX + 512)

/* A startup failure goes to the log, and also to stderr when the log is a
 * file: whoever started us should see why we did not. */
static void startup_error(const struct daemon_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void startup_error(const struct daemon_options *o, const char *fmt, ...)
{
    char msg[2 * ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_error("%s", msg);
    if (o->log_path) fprintf(stderr, "grite-daemon: %s\n", msg);
}

/* ---- startup ------------------------------------------------------------ */

static int absolute_socket(const char *given, char *out, size_t n, char *err, size_t errn)
{
    char cwd[GRITE_PATH_MAX];
    int len = -1;
    if (given[0] == '/') {
        len = snprintf(out, n, "%s", given);
    } else if (getcwd(cwd, sizeof cwd) == NULL) {
        snprintf(err, errn, "socket path %s is relative, and the working directory cannot be resolved: %s",
                 given, strerror(errno));
        return -1;
    } else {
        len = snprintf(out, n, "%s/%s", cwd, given);
    }
    if (len < 0 || (size_t)len >= n || len > GRITE_DAEMON_SOCKET_PATH_MAX) {
        snprintf(err, errn, "socket path %s cannot be used: it must be at most %d bytes once absolute", given,
                 GRITE_DAEMON_SOCKET_PATH_MAX);
        return -1;
    }
    return 0;
}

static int derived_paths(struct daemon_config *cfg, char *err, size_t errn)
{
    if (grite_paths_lock_file(cfg->data_dir, cfg->lock_path, sizeof cfg->lock_path) == 0 &&
        grite_paths_store_dir(cfg->data_dir, cfg->store_dir, sizeof cfg->store_dir) == 0)
        return 0;
    snprintf(err, errn, "data dir path %s is too long", cfg->data_dir);
    return -1;
}

static enum daemon_exit resolve_paths(struct daemon_ctx *d, const struct daemon_options *o)
{
    struct daemon_config *cfg = &d->cfg;
    char err[ERR_MAX];
    int rc = grite_paths_data_dir(o->data_dir, cfg->data_dir, sizeof cfg->data_dir, err, sizeof err);
    if (rc == 0) rc = grite_paths_actor_id(cfg->data_dir, d->actor_id, err, sizeof err);
    if (rc == 0 && o->socket_path)
        rc = absolute_socket(o->socket_path, cfg->socket_path, sizeof cfg->socket_path, err, sizeof err);
    else if (rc == 0)
        rc = grite_paths_default_socket(cfg->data_dir, cfg->socket_path, sizeof cfg->socket_path, err, sizeof err);
    if (rc == 0) rc = derived_paths(cfg, err, sizeof err);
    if (rc != 0) startup_error(o, "%s", err);
    return rc == 0 ? DAEMON_EXIT_CLEAN : DAEMON_EXIT_STARTUP;
}

static enum daemon_exit take_lock(struct daemon_ctx *d, const struct daemon_options *o)
{
    grite_daemon_info holder;
    grite_lock_error err;
    grite_lock_status st =
        grite_daemon_lock_acquire(d->cfg.lock_path, d->cfg.socket_path, d->cfg.lease_ms, &d->lock, &holder, &err);
    if (st == GRITE_LOCK_OK) return DAEMON_EXIT_CLEAN;
    if (st == GRITE_LOCK_HELD) {
        startup_error(o,
                      "another daemon (pid %ld) already serves the data dir %s on socket %s (its lease has %lld ms "
                      "left); stop it first (grite daemon stop, or kill %ld)",
                      (long)holder.pid, d->cfg.data_dir, holder.socket_path,
                      (long long)grite_daemon_info_lease_left_ms(&holder, grite_daemon_unix_ms()), (long)holder.pid);
        return DAEMON_EXIT_HELD;
    }
    startup_error(o, "cannot take the daemon lock %s: %s", d->cfg.lock_path,
                  err.text[0] ? err.text : grite_lock_status_text(st));
    return DAEMON_EXIT_STARTUP;
}

static enum daemon_exit open_store(struct daemon_ctx *d, const struct daemon_options *o)
{
    struct grite_store_error err;
    if (store_pool_open(&d->stores, d->cfg.store_dir, d->actor_id, &err) != GRITE_STORE_OK) {
        startup_error(o, "cannot open the store %s: %s", d->cfg.store_dir, err.message);
        return DAEMON_EXIT_STARTUP;
    }
    store_pool_log_warnings(&d->stores);
    return DAEMON_EXIT_CLEAN;
}

enum daemon_exit daemon_open_server(struct daemon_ctx *d, const struct daemon_options *o)
{
    grite_server_options so = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_request = grite_IpcRequest_validate,
        .handler = dispatch_request,
        .on_bad_request = dispatch_bad_request,
        .user = d,
        .handle_signals = !o->no_signals,
        .on_tick = heartbeat_tick,
        .tick_ms = heartbeat_tick_ms(&d->cfg),
    };
    grite_error err;
    if (grite_server_open(&d->server, d->cfg.socket_path, &so, &err) == 0) {
        d->stop_reason = DAEMON_RUNNING;
        return DAEMON_EXIT_CLEAN;
    }
    char text[ERR_MAX];
    grite_error_format(&err, text, sizeof text);
    startup_error(o, "cannot listen on %s: %s", d->cfg.socket_path, text);
    return DAEMON_EXIT_STARTUP;
}

/* Opening a large store replays its whole log, during which nothing
 * refreshes the lock: refresh it once right after, so the first tick's
 * clock starts from a fresh heartbeat. */
static enum daemon_exit refresh_after_open(struct daemon_ctx *d, const struct daemon_options *o)
{
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_refresh(d->lock, &err);
    d->last_heartbeat_mono_ms = daemon_mono_ms();
    if (st == GRITE_LOCK_OK) return DAEMON_EXIT_CLEAN;
    if (st != GRITE_LOCK_LOST) {
        log_warn("cannot refresh the daemon lock %s: %s; retrying on the next tick", d->cfg.lock_path, err.text);
        return DAEMON_EXIT_CLEAN;
    }
    startup_error(o, "lost the daemon lock %s while opening the store: %s", d->cfg.lock_path, err.text);
    return DAEMON_EXIT_LOCK_LOST;
}

enum daemon_exit daemon_open(struct daemon_ctx *d, const struct daemon_options *o)
{
    d->cfg.idle_timeout_ms = o->idle_timeout_ms;
    d->cfg.lease_ms = o->lease_ms;
    enum daemon_exit rc = resolve_paths(d, o);
    if (rc == DAEMON_EXIT_CLEAN) rc = take_lock(d, o);
    if (rc == DAEMON_EXIT_CLEAN) rc = open_store(d, o);
    if (rc == DAEMON_EXIT_CLEAN) rc = refresh_after_open(d, o);
    if (rc == DAEMON_EXIT_CLEAN) rc = daemon_open_server(d, o);
    d->started_ms = daemon_now_ms();
    d->started_mono_ms = d->last_request_mono_ms = daemon_mono_ms();
    return rc;
}

/* ---- serving and shutdown --------------------------------------------------- */

static const char *stop_reason_text(enum daemon_stop_reason r)
{
    switch (r) {
    case DAEMON_RUNNING: return "SIGTERM or SIGINT";
    case DAEMON_STOP_SIGNAL: return "SIGTERM or SIGINT";
    case DAEMON_STOP_REQUESTED: return "a DaemonStop request";
    case DAEMON_STOP_IDLE: return "the idle timeout";
    case DAEMON_STOP_LOCK_LOST: return "the loss of the daemon lock";
    case DAEMON_STOP_SOCKET_GONE: return "the removal of its socket file";
    }
    return "?";
}

enum daemon_exit daemon_serve(struct daemon_ctx *d)
{
    log_info("serving data dir %s on %s (actor %s, lease %lld ms, idle timeout %lld ms)", d->cfg.data_dir,
             d->cfg.socket_path, d->actor_id, (long long)d->cfg.lease_ms, (long long)d->cfg.idle_timeout_ms);
    grite_error err;
    int rc = grite_server_run(d->server, &err);
    if (d->stop_reason == DAEMON_RUNNING) d->stop_reason = DAEMON_STOP_SIGNAL;
    if (rc != 0) {
        char text[ERR_MAX];
        grite_error_format(&err, text, sizeof text);
        log_error("the server loop failed: %s", text);
        return DAEMON_EXIT_STARTUP;
    }
    log_info("stopped by %s after %llu requests", stop_reason_text(d->stop_reason),
             (unsigned long long)d->requests_served);
    return d->stop_reason == DAEMON_STOP_LOCK_LOST ? DAEMON_EXIT_LOCK_LOST : DAEMON_EXIT_CLEAN;
}

void daemon_close_server(struct daemon_ctx *d)
{
    grite_server_close(d->server);   /* removes the socket file if it is still ours */
    d->server = NULL;
}

void daemon_close(struct daemon_ctx *d)
{
    daemon_close_server(d);
    store_pool_close(&d->stores);
    lease_table_free(&d->leases);
    if (d->lock) {
        grite_lock_error err;
        grite_lock_status st = grite_daemon_lock_release(d->lock, &err);
        if (st != GRITE_LOCK_OK) log_warn("daemon lock %s not removed: %s", d->cfg.lock_path, err.text);
        d->lock = NULL;
    }
}
