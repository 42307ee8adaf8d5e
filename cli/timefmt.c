/*
 * timefmt.c - times for people (see timefmt.h).
 */
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

#define MS_PER_S UINT64_C(1000)
#define MS_PER_MIN (60 * MS_PER_S)
#define MS_PER_H (60 * MS_PER_MIN)
#define MS_PER_DAY (24 * MS_PER_H)
#define AGE_AS_DATE_AFTER (30 * MS_PER_DAY)

uint64_t cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec < 0)
        return 0;
    return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The largest unit only: "5 min", "3 h", "2 days". */
static void format_coarse(uint64_t ms, char *out, size_t n)
{
    if (ms < MS_PER_MIN)
        snprintf(out, n, "%llu s", (unsigned long long)(ms / MS_PER_S));
    else if (ms < MS_PER_H)
        snprintf(out, n, "%llu min", (unsigned long long)(ms / MS_PER_MIN));
    else if (ms < MS_PER_DAY)
        snprintf(out, n, "%llu h", (unsigned long long)(ms / MS_PER_H));
    else
        snprintf(out, n, "%llu day%s", (unsigned long long)(ms / MS_PER_DAY),
                 ms / MS_PER_DAY == 1 ? "" : "s");
}

static void format_date(uint64_t ts_ms, char *out, size_t n)
{
    time_t t = (time_t)(ts_ms / MS_PER_S);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, n, "%Y-%m-%d", &tm) == 0)
        snprintf(out, n, "@%llu", (unsigned long long)(ts_ms / MS_PER_S));
}

void cli_format_age(uint64_t ts_ms, uint64_t now_ms, char *out, size_t n)
{
    char span[CLI_TIME_TEXT_MAX];
    if (ts_ms > now_ms + MS_PER_S) {
        format_coarse(ts_ms - now_ms, span, sizeof span);
        snprintf(out, n, "in %s", span);
        return;
    }
    uint64_t age = now_ms > ts_ms ? now_ms - ts_ms : 0;
    if (age < 5 * MS_PER_S) {
        snprintf(out, n, "just now");
    } else if (age >= AGE_AS_DATE_AFTER) {
        format_date(ts_ms, out, n);
    } else {
        format_coarse(age, span, sizeof span);
        snprintf(out, n, "%s ago", span);
    }
}

void cli_format_until(uint64_t ts_ms, uint64_t now_ms, char *out, size_t n)
{
    if (ts_ms <= now_ms) {
        snprintf(out, n, "expired");
        return;
    }
    uint64_t left = ts_ms - now_ms;
    if (left >= MS_PER_S)
        left = (left + MS_PER_S / 2) / MS_PER_S * MS_PER_S;   /* 29.998 s reads as 30 s */
    char span[CLI_TIME_TEXT_MAX];
    cli_format_duration(left, span, sizeof span);
    snprintf(out, n, "in %s", span);
}

/* "<big> <unit>[ <small> <unit>]": the smaller part only when not 0. */
static void format_two(uint64_t big, const char *big_unit, uint64_t small, const char *small_unit,
                       char *out, size_t n)
{
    if (small == 0)
        snprintf(out, n, "%llu %s", (unsigned long long)big, big_unit);
    else
        snprintf(out, n, "%llu %s %llu %s", (unsigned long long)big, big_unit,
                 (unsigned long long)small, small_unit);
}

void cli_format_duration(uint64_t ms, char *out, size_t n)
{
    if (ms < MS_PER_S)
        snprintf(out, n, "%llu ms", (unsigned long long)ms);
    else if (ms < MS_PER_MIN)
        snprintf(out, n, "%llu s", (unsigned long long)(ms / MS_PER_S));
    else if (ms < MS_PER_H)
        format_two(ms / MS_PER_MIN, "min", ms % MS_PER_MIN / MS_PER_S, "s", out, n);
    else if (ms < MS_PER_DAY)
        format_two(ms / MS_PER_H, "h", ms % MS_PER_H / MS_PER_MIN, "min", out, n);
    else
        format_two(ms / MS_PER_DAY, ms / MS_PER_DAY == 1 ? "day" : "days", ms % MS_PER_DAY / MS_PER_H,
                   "h", out, n);
}

void cli_format_local_time(uint64_t ts_ms, char *out, size_t n)
{
    time_t t = (time_t)(ts_ms / MS_PER_S);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(out, n, "@%llu", (unsigned long long)(ts_ms / MS_PER_S));
}
