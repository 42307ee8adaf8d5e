/* server_socket.h - creating and removing the daemon's listening socket
 * safely (internal to the runtime; used by server.c). */
#ifndef GRITE_SERVER_SOCKET_H
#define GRITE_SERVER_SOCKET_H

#include <sys/stat.h>

#include "grite/transport.h"

/* Bind and listen on `path` (non-blocking, close-on-exec, mode 0600),
 * after checking the directory is safe and replacing a stale socket file
 * (docs/TRANSPORT.md, "Socket file"). On success returns the fd and fills
 * *bound with the socket file's identity; else returns -1 and fills *err. */
int grite_server_listen_unix(const char *path, int backlog, struct stat *bound, grite_error *err);

/* Whether `path` still names the socket file described by *bound: 0 if
 * so, ESTALE if another file is there now, else lstat's errno (ENOENT...). */
int grite_server_socket_identity(const char *path, const struct stat *bound);

/* Remove `path` if it is still the socket file described by *bound (so a
 * newer daemon's socket is never removed). */
void grite_server_unlink_if_ours(const char *path, const struct stat *bound);

#endif
