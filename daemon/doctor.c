/* doctor.c - Doctor: the daemon's health checks, each a DoctorCheck with a
 * stable name, a status and a sentence for a person.
 *
 *   data_dir_permissions  the data dir is ours and closed to others
 *   socket_permissions    the socket is ours, mode 0600, in a safe directory
 *   daemon_lock           the lock file is live, ours, and names our socket
 *   schema_fingerprint    which schema this daemon speaks
 *   store_integrity       grite_store_check: the log and the index agree
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handlers.h"

#define CHECK_MESSAGE_MAX 768

struct check {
    const char *name;
    grite_CheckStatus status;
    char message[CHECK_MESSAGE_MAX];
};

static void set(struct check *k, grite_CheckStatus status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set(struct check *k, grite_CheckStatus status, const char *fmt, ...)
{
    k->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->message, sizeof k->message, fmt, ap);
    va_end(ap);
}

static unsigned mode_bits(const struct stat *st)
{
    return (unsigned)(st->st_mode & 07777);
}

static void check_data_dir(const struct daemon_ctx *d, struct check *k)
{
    const char *dir = d->cfg.data_dir;
    struct stat st;
    if (lstat(dir, &st) != 0) set(k, GRITE_CHECK_STATUS_FAIL, "data dir %s: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode)) set(k, GRITE_CHECK_STATUS_FAIL, "data dir %s is not a directory", dir);
    else if (st.st_uid != geteuid())
        set(k, GRITE_CHECK_STATUS_FAIL, "data dir %s belongs to uid %lu, not to the daemon's uid %lu", dir,
            (unsigned long)st.st_uid, (unsigned long)geteuid());
    else if (st.st_mode & 022)
        set(k, GRITE_CHECK_STATUS_FAIL, "data dir %s has mode %04o: others can write it; chmod 700 it", dir,
            mode_bits(&st));
    else if (st.st_mode & 077)
        set(k, GRITE_CHECK_STATUS_WARN, "data dir %s has mode %04o: others can read the issues; chmod 700 it", dir,
            mode_bits(&st));
    else set(k, GRITE_CHECK_STATUS_OK, "data dir %s: ours, mode %04o", dir, mode_bits(&st));
}

/* Like the server's own rule: a directory others can write to (and that
 * is not sticky) lets them replace our socket. */
static bool dir_is_safe(const struct stat *st)
{
    bool owner_ok = st->st_uid == geteuid() || st->st_uid == 0;
    bool shared_write = (st->st_mode & 022) && !(st->st_mode & S_ISVTX);
    return S_ISDIR(st->st_mode) && owner_ok && !shared_write;
}

static void check_socket(const struct daemon_ctx *d, struct check *k)
{
    const char *path = d->cfg.socket_path;
    char dir[GRITE_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
    struct stat st, dst;
    if (lstat(path, &st) != 0)
        set(k, GRITE_CHECK_STATUS_FAIL, "socket %s: %s (was it removed behind the daemon's back?)", path,
            strerror(errno));
    else if (!S_ISSOCK(st.st_mode)) set(k, GRITE_CHECK_STATUS_FAIL, "socket %s is not a socket", path);
    else if (st.st_uid != geteuid())
        set(k, GRITE_CHECK_STATUS_FAIL, "socket %s belongs to uid %lu, not to us", path, (unsigned long)st.st_uid);
    else if (st.st_mode & 077)
        set(k, GRITE_CHECK_STATUS_WARN, "socket %s has mode %04o (expected 0600); other users are still refused by "
            "the credential check", path, mode_bits(&st));
    else if (stat(dir, &dst) != 0 || !dir_is_safe(&dst))
        set(k, GRITE_CHECK_STATUS_FAIL, "socket directory %s is writable by others or not ours: someone could "
            "replace the socket", dir);
    else set(k, GRITE_CHECK_STATUS_OK, "socket %s: ours, mode %04o, in a private directory", path, mode_bits(&st));
}

static void check_lock(const struct daemon_ctx *d, struct check *k)
{
    grite_daemon_info info;
    grite_lock_verdict verdict = GRITE_LOCK_STALE_CORRUPT;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_inspect(d->cfg.lock_path, &info, &verdict, &err);
    int64_t now = grite_daemon_unix_ms();
    if (st != GRITE_LOCK_OK)
        set(k, GRITE_CHECK_STATUS_FAIL, "lock file %s: %s", d->cfg.lock_path,
            err.text[0] ? err.text : grite_lock_status_text(st));
    else if (info.pid != getpid())
        set(k, GRITE_CHECK_STATUS_FAIL, "lock file %s names pid %ld, not this daemon (pid %ld): another daemon took "
            "over", d->cfg.lock_path, (long)info.pid, (long)getpid());
    else if (verdict != GRITE_LOCK_LIVE)
        set(k, GRITE_CHECK_STATUS_FAIL, "lock file %s is ours but stale: %s", d->cfg.lock_path,
            grite_lock_verdict_text(verdict));
    else if (strcmp(info.socket_path, d->cfg.socket_path) != 0)
        set(k, GRITE_CHECK_STATUS_FAIL, "lock file %s names socket %s, but the daemon listens on %s",
            d->cfg.lock_path, info.socket_path, d->cfg.socket_path);
    else
        set(k, GRITE_CHECK_STATUS_OK, "lock file %s: held by this daemon (pid %ld), last heartbeat %lld ms ago, "
            "lease %lld ms left", d->cfg.lock_path, (long)info.pid, (long long)(now - info.heartbeat_ms),
            (long long)grite_daemon_info_lease_left_ms(&info, now));
}

static void check_schema(struct check *k)
{
    set(k, GRITE_CHECK_STATUS_OK, "schema %s version %u, fingerprint %016llx (the client's hello matched it)",
        GRITE_SCHEMA_NAME, GRITE_SCHEMA_VERSION, (unsigned long long)GRITE_SCHEMA_FINGERPRINT);
}

static grite_CheckStatus wire_status(enum grite_check_status s)
{
    return s == GRITE_CHECK_OK ? GRITE_CHECK_STATUS_OK : s == GRITE_CHECK_WARN ? GRITE_CHECK_STATUS_WARN
                                                                              : GRITE_CHECK_STATUS_FAIL;
}

static void check_store(const struct daemon_ctx *d, struct check *k)
{
    struct grite_store_check result;
    struct grite_store_error err;
    if (grite_store_check(store_pool_primary(&d->stores), &result, &err) != GRITE_STORE_OK)
        set(k, GRITE_CHECK_STATUS_FAIL, "the store check could not run: %s", err.message);
    else set(k, wire_status(result.status), "%s", result.message);
}

int handle_doctor(struct call *c)
{
    struct check checks[] = {
        {.name = "data_dir_permissions"}, {.name = "socket_permissions"}, {.name = "daemon_lock"},
        {.name = "schema_fingerprint"},   {.name = "store_integrity"},
    };
    enum { N_CHECKS = sizeof checks / sizeof checks[0] };
    check_data_dir(c->d, &checks[0]);
    check_socket(c->d, &checks[1]);
    check_lock(c->d, &checks[2]);
    check_schema(&checks[3]);
    check_store(c->d, &checks[4]);
    grite_DoctorCheck_in wire[N_CHECKS];
    for (size_t i = 0; i < N_CHECKS; i++)
        wire[i] = (grite_DoctorCheck_in){.name = grite_str_from_cstr(checks[i].name),
                                         .status = checks[i].status,
                                         .message = grite_str_from_cstr(checks[i].message)};
    grite_IpcResponse_in r = {.tag = GRITE_IPC_RESPONSE_DOCTOR_RESULT, .v.DoctorResult.checks = {wire, N_CHECKS}};
    return reply_ok(c, &r);
}
