/* paths.c - where grite keeps its files (daemon/paths.h).
 *
 * Shared by grite-daemon and the grite CLI, so both agree on the data dir
 * (canonicalised with realpath(), since the daemon compares the request's
 * data_dir with its own), the lock file and the actor id. Every failure is
 * a sentence naming the path and the reason. */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define ACTOR_HEX_LEN 32

static int fail(char *err, size_t errn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errn, const char *fmt, ...)
{
    if (err && errn > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errn, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* snprintf that reports truncation as failure. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
    int len = snprintf(out, n, "%s/%s", dir, name);
    return len < 0 || (size_t)len >= n ? -1 : 0;
}

static bool is_absolute(const char *s)
{
    return s && s[0] == '/';
}

static const char *nonempty_env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

/* ---- creating directories --------------------------------------------- */

/* mkdir -p with mode 0700 for every directory created (existing ones are
 * left as they are). */
static int make_dirs(const char *path, char *err, size_t errn)
{
    char buf[GRITE_PATH_MAX];
    if (strlen(path) >= sizeof buf) return fail(err, errn, "path too long: %s", path);
    strcpy(buf, path);
    for (char *p = buf + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            char saved = *p;
            *p = '\0';
            if (buf[0] && mkdir(buf, 0700) != 0 && errno != EEXIST)
                return fail(err, errn, "cannot create directory %s: %s", buf, strerror(errno));
            *p = saved;
        }
        if (end) break;
    }
    return 0;
}

/* ---- the data dir ------------------------------------------------------- */

/* Where the data dir is, before it is created and canonicalised. */
static int choose_data_dir(const char *explicit_dir, char *out, size_t n, char *err, size_t errn)
{
    const char *dir = explicit_dir && explicit_dir[0] ? explicit_dir : nonempty_env("GRITE_DATA_DIR");
    if (dir) {
        if (snprintf(out, n, "%s", dir) >= (int)n) return fail(err, errn, "data dir path too long: %s", dir);
        return 0;
    }
    /* The XDG spec says relative values must be ignored. */
    const char *xdg = nonempty_env("XDG_DATA_HOME");
    if (is_absolute(xdg)) {
        if (join(out, n, xdg, "grite") != 0) return fail(err, errn, "XDG_DATA_HOME is too long: %s", xdg);
        return 0;
    }
    const char *home = nonempty_env("HOME");
    if (!is_absolute(home)) {
        const struct passwd *pw = getpwuid(getuid());
        home = pw && is_absolute(pw->pw_dir) ? pw->pw_dir : NULL;
    }
    if (!home)
        return fail(err, errn, "cannot find a data dir: pass --data-dir, or set GRITE_DATA_DIR or HOME");
    if (join(out, n, home, ".local/share/grite") != 0) return fail(err, errn, "HOME is too long: %s", home);
    return 0;
}

int grite_paths_data_dir(const char *explicit_dir, char *out, size_t n, char *err, size_t errn)
{
    char chosen[GRITE_PATH_MAX];
    if (!out || n == 0) return fail(err, errn, "no room for the data dir path");
    if (choose_data_dir(explicit_dir, chosen, sizeof chosen, err, errn) != 0) return -1;
    if (make_dirs(chosen, err, errn) != 0) return -1;
    char real[PATH_MAX];
    if (!realpath(chosen, real)) return fail(err, errn, "data dir %s: %s", chosen, strerror(errno));
    struct stat st;
    if (stat(real, &st) != 0) return fail(err, errn, "data dir %s: %s", real, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return fail(err, errn, "data dir %s is not a directory", real);
    if (snprintf(out, n, "%s", real) >= (int)n) return fail(err, errn, "data dir path too long: %s", real);
    return 0;
}

int grite_paths_lock_file(const char *data_dir, char *out, size_t n)
{
    return join(out, n, data_dir, "daemon.lock");
}

int grite_paths_store_dir(const char *data_dir, char *out, size_t n)
{
    return join(out, n, data_dir, "store");
}

/* ---- the default socket -------------------------------------------------- */

/* FNV-1a, 64 bits: stable across runs and builds, which is all a socket
 * name needs (it is not a security boundary; the directory is). */
static uint64_t fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* The socket's directory must be a real directory (not a symlink someone
 * planted), ours, and closed to others: another user who could write
 * there could swap our socket for theirs. One we made earlier with a
 * looser mode (an old umask) is tightened. */
static int check_private_dir(const char *dir, char *err, size_t errn)
{
    struct stat st;
    if (lstat(dir, &st) != 0) return fail(err, errn, "socket directory %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return fail(err, errn, "socket directory %s is not a directory", dir);
    if (st.st_uid != geteuid())
        return fail(err, errn, "socket directory %s belongs to uid %lu, not to us (uid %lu); remove it or pass --socket",
                    dir, (unsigned long)st.st_uid, (unsigned long)geteuid());
    if ((st.st_mode & 077) != 0 && chmod(dir, 0700) != 0)
        return fail(err, errn, "socket directory %s is open to others and cannot be made private: %s", dir,
                    strerror(errno));
    return 0;
}

static int socket_dir(char *out, size_t n, char *err, size_t errn)
{
    const char *run = nonempty_env("XDG_RUNTIME_DIR");
    struct stat st;
    int len;
    if (is_absolute(run) && stat(run, &st) == 0 && S_ISDIR(st.st_mode))
        len = snprintf(out, n, "%s/grite", run);
    else
        len = snprintf(out, n, "/tmp/grite-%lu", (unsigned long)geteuid());
    if (len < 0 || (size_t)len >= n) return fail(err, errn, "XDG_RUNTIME_DIR is too long");
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return fail(err, errn, "cannot create socket directory %s: %s", out, strerror(errno));
    return check_private_dir(out, err, errn);
}

int grite_paths_default_socket(const char *data_dir, char *out, size_t n, char *err, size_t errn)
{
    char real[PATH_MAX];
    const char *key = realpath(data_dir, real) ? real : data_dir;
    char dir[GRITE_PATH_MAX];
    if (socket_dir(dir, sizeof dir, err, errn) != 0) return -1;
    char path[GRITE_PATH_MAX + 32];
    int len = snprintf(path, sizeof path, "%s/%016llx.sock", dir, (unsigned long long)fnv1a64(key));
    /* sun_path holds 108 bytes including the NUL. */
    if (len < 0 || len > 107)
        return fail(err, errn, "socket path %s is longer than 107 bytes; pass a shorter --socket", path);
    if (snprintf(out, n, "%s", path) >= (int)n) return fail(err, errn, "no room for socket path %s", path);
    return 0;
}

/* ---- the actor id --------------------------------------------------------- */

bool grite_paths_is_actor_id(const char *s, size_t len)
{
    if (len != ACTOR_HEX_LEN) return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

/* 1: read a valid id; 0: no file; -1: error (message in err). */
static int read_actor(const char *path, char out[33], char *err, size_t errn)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return errno == ENOENT ? 0 : fail(err, errn, "actor file %s: %s", path, strerror(errno));
    char buf[64];
    ssize_t got = read(fd, buf, sizeof buf);
    int e = errno;
    close(fd);
    if (got < 0) return fail(err, errn, "actor file %s: %s", path, strerror(e));
    size_t len = (size_t)got;
    if (len > 0 && buf[len - 1] == '\n') len--;
    if (!grite_paths_is_actor_id(buf, len))
        return fail(err, errn, "actor file %s is corrupt: expected 32 lowercase hex digits and a newline", path);
    memcpy(out, buf, ACTOR_HEX_LEN);
    out[ACTOR_HEX_LEN] = '\0';
    return 1;
}

static int random_actor(char out[33], char *err, size_t errn)
{
    uint8_t bytes[ACTOR_HEX_LEN / 2];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
        return fail(err, errn, "getrandom failed: %s", strerror(errno));
    for (size_t i = 0; i < sizeof bytes; i++) snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Write a fresh id to a temporary file, then link() it into place: link
 * fails if the file appeared meanwhile, so a CLI and a daemon creating the
 * id at the same moment end up with the same one (the loser reads it). */
static int create_actor(const char *path, char out[33], char *err, size_t errn)
{
    char tmp[GRITE_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return fail(err, errn, "actor file path too long: %s", path);
    char id[ACTOR_HEX_LEN + 2];
    if (random_actor(id, err, errn) != 0) return -1;
    id[ACTOR_HEX_LEN] = '\n';
    id[ACTOR_HEX_LEN + 1] = '\0';
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return fail(err, errn, "cannot create %s: %s", tmp, strerror(errno));
    int rc = write_all(fd, id, ACTOR_HEX_LEN + 1) == 0 && fsync(fd) == 0 ? 0 : -1;
    int e = errno;
    close(fd);
    if (rc == 0 && link(tmp, path) != 0 && errno != EEXIST) {
        rc = -1;
        e = errno;
    }
    unlink(tmp);
    if (rc != 0) return fail(err, errn, "cannot write actor file %s: %s", path, strerror(e));
    int got = read_actor(path, out, err, errn);
    return got == 1 ? 0 : got == 0 ? fail(err, errn, "actor file %s vanished after creation", path) : -1;
}

int grite_paths_actor_id(const char *data_dir, char out[33], char *err, size_t errn)
{
    char path[GRITE_PATH_MAX];
    if (join(path, sizeof path, data_dir, "actor") != 0) return fail(err, errn, "data dir path too long");
    int got = read_actor(path, out, err, errn);
    if (got != 0) return got == 1 ? 0 : -1;
    return create_actor(path, out, err, errn);
}
