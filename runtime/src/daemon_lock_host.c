/*
 * daemon_lock_host.c - what this machine tells the lock: who we are (the
 * host id), what time it is, and whether a process exists.
 */
#include "daemon_lock_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Host ids go into a key=value line, so they must be one printable word. */
static size_t sanitize_word(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f)
            s[i] = '_';
    }
    return len;
}

/* The first line of /etc/machine-id, or 0 if there is none we can use. */
static size_t read_machine_id(char *out, size_t n)
{
    int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    ssize_t got;
    do
        got = read(fd, out, n - 1);
    while (got < 0 && errno == EINTR);
    close(fd);
    if (got <= 0)
        return 0;
    size_t len = strcspn(out, "\n");
    if ((size_t)got < len)
        len = (size_t)got;
    out[len] = '\0';
    /* A whitespace-only file (an unconfigured image) is no id. */
    while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\t' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return len;
}

grite_lock_status grite_daemon_host_id(char *out, size_t n, grite_lock_error *err)
{
    if (out == NULL || n < GRITE_DAEMON_HOST_ID_MAX + 1)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT,
                               "host id buffer must hold %d bytes",
                               GRITE_DAEMON_HOST_ID_MAX + 1);
    memset(out, 0, n);
    size_t len = read_machine_id(out, GRITE_DAEMON_HOST_ID_MAX + 1);
    if (len == 0) {
        if (gethostname(out, GRITE_DAEMON_HOST_ID_MAX) != 0)
            return grite_lock_fail_errno(err, errno, "no /etc/machine-id and gethostname failed");
        out[GRITE_DAEMON_HOST_ID_MAX] = '\0';
        len = strlen(out);
        if (len == 0)
            return grite_lock_fail(err, GRITE_LOCK_SYSTEM,
                                   "no /etc/machine-id and the host name is empty");
    }
    sanitize_word(out, len);
    grite_lock_clear(err);
    return GRITE_LOCK_OK;
}

static int64_t clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t grite_daemon_unix_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

int64_t grite_lock_monotonic_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

void grite_lock_backoff_sleep(int64_t *delay_us, int64_t max_us)
{
    struct timespec ts = { .tv_sec = (time_t)(*delay_us / 1000000),
                           .tv_nsec = (long)(*delay_us % 1000000) * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    *delay_us *= 2;
    if (*delay_us > max_us)
        *delay_us = max_us;
}

bool grite_lock_pid_alive(pid_t pid)
{
    if (pid <= 0)
        return false;
    return kill(pid, 0) == 0 || errno != ESRCH;
}
