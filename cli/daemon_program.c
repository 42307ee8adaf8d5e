/*
 * daemon_program.c - finding the grite-daemon executable (see
 * daemon_program.h). Only run when a daemon must be started, so its
 * readlink and PATH walk cost nothing on the common path.
 */
#include "daemon_program.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy_path(char *out, size_t n, const char *path)
{
    size_t len = strlen(path);
    if (len >= n)
        return -1;
    memcpy(out, path, len + 1);
    return 0;
}

/* <dir of /proc/self/exe>/grite-daemon, if it is executable. */
static int next_to_self(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return -1;
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return -1;
    slash[1] = '\0';
    int w = snprintf(out, n, "%s%s", self, CLI_DAEMON_PROGRAM_NAME);
    if (w < 0 || (size_t)w >= n)
        return -1;
    return access(out, X_OK) == 0 ? 0 : -1;
}

static int on_path(char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL || path[0] == '\0')
        return -1;
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, ":");
        /* An empty PATH entry means the current directory. */
        int w = len == 0 ? snprintf(out, n, "./%s", CLI_DAEMON_PROGRAM_NAME)
                         : snprintf(out, n, "%.*s/%s", (int)len, p, CLI_DAEMON_PROGRAM_NAME);
        if (w > 0 && (size_t)w < n && access(out, X_OK) == 0)
            return 0;
        p += len;
        if (*p == ':')
            p++;
    }
    return -1;
}

int cli_daemon_program(char *out, size_t n, char *err, size_t errn)
{
    const char *env = getenv("GRITE_DAEMON");
    if (env != NULL && env[0] != '\0') {
        if (copy_path(out, n, env) == 0)
            return 0;
        snprintf(err, errn, "GRITE_DAEMON is too long");
        return -1;
    }
    if (next_to_self(out, n) == 0 || on_path(out, n) == 0)
        return 0;
    snprintf(err, errn,
             "cannot find the %s program: not next to grite, not on PATH, and "
             "GRITE_DAEMON is not set",
             CLI_DAEMON_PROGRAM_NAME);
    return -1;
}
