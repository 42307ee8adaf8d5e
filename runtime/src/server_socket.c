/* server_socket.c - the daemon's socket file: safe directory, stale-file
 * replacement, mode 0600, removal only if still ours. */
#include "server_socket.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(grite_error *err, grite_err code, int e, const char *op, const char *path, const char *detail)
{
    memset(err, 0, sizeof *err);
    err->code = code;
    err->sys_errno = e;
    err->op = op;
    err->path = path;
    err->detail = detail;
    return -1;
}

/* The directory part of path ("." if none, "/" for "/x"). */
static void parent_dir(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    if (!slash) {
        strcpy(out, ".");
    } else if (len == 0) {
        strcpy(out, "/");
    } else {
        if (len >= n) len = n - 1;
        memcpy(out, path, len);
        out[len] = '\0';
    }
}

/* Others must not be able to swap our socket for theirs: the directory
 * must be ours or root's, and not writable by others unless sticky (where
 * only a file's owner may remove or rename it, like /tmp). */
static int check_directory(const char *path, grite_error *err)
{
    char dir[sizeof ((struct sockaddr_un *)0)->sun_path];
    struct stat st;
    parent_dir(path, dir, sizeof dir);
    if (stat(dir, &st) != 0) return fail(err, GRITE_ERR_BIND, errno, "stat", path, "cannot inspect the socket's directory");
    if (!S_ISDIR(st.st_mode))
        return fail(err, GRITE_ERR_BIND, ENOTDIR, NULL, path, "the socket's parent is not a directory");
    if (st.st_uid != geteuid() && st.st_uid != 0)
        return fail(err, GRITE_ERR_UNSAFE_PATH, 0, NULL, path, "the socket's directory belongs to another user");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        return fail(err, GRITE_ERR_UNSAFE_PATH, 0, NULL, path,
                    "the socket's directory is writable by other users and not sticky");
    return 0;
}

/* Does a server answer on the socket at addr? 1 yes, 0 no (stale), -1 cannot tell. */
static int socket_is_live(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int rc = connect(fd, (const struct sockaddr *)addr, sizeof *addr);
    int e = errno;
    close(fd);
    if (rc == 0 || e == EAGAIN) return 1;   /* EAGAIN: alive, backlog full */
    if (e == ECONNREFUSED) return 0;
    errno = e;
    return -1;
}

/* An existing file at the path: replace it only if it is our own socket
 * and nothing answers on it. */
static int clear_stale(const char *path, const struct sockaddr_un *addr, grite_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return 0;
        return fail(err, GRITE_ERR_BIND, errno, "lstat", path, NULL);
    }
    if (!S_ISSOCK(st.st_mode))
        return fail(err, GRITE_ERR_UNSAFE_PATH, 0, NULL, path, "the path exists and is not a socket; not replacing it");
    if (st.st_uid != geteuid())
        return fail(err, GRITE_ERR_UNSAFE_PATH, 0, NULL, path, "the existing socket belongs to another user");
    int live = socket_is_live(addr);
    if (live == 1) return fail(err, GRITE_ERR_ALREADY_RUNNING, 0, NULL, path, "another daemon answers on it");
    if (live < 0)
        return fail(err, GRITE_ERR_BIND, errno, "connect", path, "cannot tell whether a daemon listens on it");
    if (unlink(path) != 0 && errno != ENOENT)
        return fail(err, GRITE_ERR_BIND, errno, "unlink", path, "cannot remove the stale socket file");
    return 0;
}

/* bind() creates the file with the socket inode's mode minus the umask
 * (Linux), so fchmod() first means the file is never more open than 0600;
 * chmod() after covers kernels that ignore it. */
static int bind_private(int fd, const char *path, const struct sockaddr_un *addr, struct stat *bound, grite_error *err)
{
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) return fail(err, GRITE_ERR_BIND, errno, "fchmod", path, NULL);
    if (bind(fd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
        if (errno == EADDRINUSE)
            return fail(err, GRITE_ERR_ALREADY_RUNNING, errno, "bind", path, "another daemon bound it just now");
        return fail(err, GRITE_ERR_BIND, errno, "bind", path, NULL);
    }
    if (chmod(path, S_IRUSR | S_IWUSR) != 0 || lstat(path, bound) != 0) {
        int e = errno;
        unlink(path);
        return fail(err, GRITE_ERR_BIND, e, "chmod", path, NULL);
    }
    return 0;
}

int grite_server_listen_unix(const char *path, int backlog, struct stat *bound, grite_error *err)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path)
        return fail(err, GRITE_ERR_BIND, ENAMETOOLONG, NULL, path, "socket path is longer than 107 bytes");
    memcpy(addr.sun_path, path, strlen(path) + 1);
    if (check_directory(path, err) != 0 || clear_stale(path, &addr, err) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(err, GRITE_ERR_SYSTEM, errno, "socket", path, NULL);
    if (bind_private(fd, path, &addr, bound, err) != 0) {
        close(fd);
        return -1;
    }
    if (listen(fd, backlog > 0 ? backlog : SOMAXCONN) != 0) {
        fail(err, GRITE_ERR_BIND, errno, "listen", path, NULL);
        grite_server_unlink_if_ours(path, bound);
        close(fd);
        return -1;
    }
    return fd;
}

int grite_server_socket_identity(const char *path, const struct stat *bound)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno;
    return st.st_dev == bound->st_dev && st.st_ino == bound->st_ino ? 0 : ESTALE;
}

void grite_server_unlink_if_ours(const char *path, const struct stat *bound)
{
    if (grite_server_socket_identity(path, bound) == 0) unlink(path);
}
