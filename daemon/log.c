/* log.c - timestamped log lines to stderr or a file (log.h). */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

static int log_fd = STDERR_FILENO;

int dlog_open(const char *path)
{
    if (!path) return 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    dlog_close();
    log_fd = fd;
    return 0;
}

void dlog_close(void)
{
    if (log_fd != STDERR_FILENO) close(log_fd);
    log_fd = STDERR_FILENO;
}

static const char *level_name(enum log_level level)
{
    switch (level) {
    case DLOG_INFO: return "info";
    case DLOG_WARN: return "warning";
    case DLOG_ERROR: return "error";
    }
    return "?";
}

/* "2026-11-26T20:58:57.123Z": UTC, so lines from several hosts and
 * time zones sort together. */
static size_t format_time(char *out, size_t n)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t len = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
    int more = snprintf(out + len, n - len, ".%03ldZ", ts.tv_nsec / 1000000L);
    return more > 0 ? len + (size_t)more : len;
}

void dlog_line(enum log_level level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    size_t len = format_time(line, sizeof line);
    int head = snprintf(line + len, sizeof line - len, " grite-daemon[%ld] %s: ", (long)getpid(), level_name(level));
    if (head > 0) len += (size_t)head;
    va_list ap;
    va_start(ap, fmt);
    int body = vsnprintf(line + len, sizeof line - len, fmt, ap);
    va_end(ap);
    if (body > 0) len += (size_t)body;
    if (len > sizeof line - 2) len = sizeof line - 2;   /* a cut line still ends in a newline */
    line[len++] = '\n';
    ssize_t w = write(log_fd, line, len);
    (void)w;   /* nowhere left to report a failing log */
}
