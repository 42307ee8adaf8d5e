/*
 * timefmt.h - the protocol's times (u64 Unix milliseconds) for people.
 */
#ifndef GRITE_CLI_TIMEFMT_H
#define GRITE_CLI_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define CLI_TIME_TEXT_MAX 48

/* The wall clock in Unix milliseconds. */
uint64_t cli_now_ms(void);

/* How long ago ts_ms was, seen at now_ms: "just now", "42 s ago",
 * "5 min ago", "3 h ago", "2 days ago"; a date ("2024-05-01") after 30
 * days; "in 5 min" for a time in the future (a clock that runs ahead). */
void cli_format_age(uint64_t ts_ms, uint64_t now_ms, char *out, size_t n);

/* How long from now_ms until ts_ms, to the nearest second: "in 59 s",
 * "in 5 min", or "expired" when it has passed. */
void cli_format_until(uint64_t ts_ms, uint64_t now_ms, char *out, size_t n);

/* A duration for people: "850 ms", "42 s", "5 min 3 s", "5 min", "3 h 12 min",
 * "2 days 4 h" (a part that is 0 is left out). */
void cli_format_duration(uint64_t ms, char *out, size_t n);

/* ts_ms as local time, "2024-05-01 14:03:27". */
void cli_format_local_time(uint64_t ts_ms, char *out, size_t n);

#endif
