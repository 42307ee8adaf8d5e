/* log.h - grite-daemon's log: one timestamped line per event.
 *
 * Lines go to stderr, or appended to the --log file, as
 *   2026-11-26T20:58:57.123Z grite-daemon[4242] info: listening on /run/...
 * Each line is written with one write(2), so lines from a daemon and a
 * spawner sharing the file never interleave mid-line. */
#ifndef GRITE_DAEMON_LOG_H
#define GRITE_DAEMON_LOG_H

enum log_level { DLOG_INFO, DLOG_WARN, DLOG_ERROR };

/* Send the log to `path` (appended, created 0600), or to stderr if NULL.
 * Returns 0, or -1 with errno set (the log stays on stderr). */
int dlog_open(const char *path);

/* Close the log file, if any (the log falls back to stderr). */
void dlog_close(void);

/* Write one line (a trailing newline is added). */
void dlog_line(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) dlog_line(DLOG_INFO, __VA_ARGS__)
#define log_warn(...) dlog_line(DLOG_WARN, __VA_ARGS__)
#define log_error(...) dlog_line(DLOG_ERROR, __VA_ARGS__)

#endif
