/*
 * fuzz_lock.c - the daemon lock file parser, grite_daemon_lock_parse, on
 * arbitrary bytes (a lock file is whatever is on disk: any process of the
 * user, a crash, a full disk may have written it).
 *
 * The text is copied into a heap block of exactly its size (no NUL after
 * it), so a parser that reads one byte too far is caught. Then:
 *  - rejected: the status is CORRUPT and the error says something;
 *  - accepted: every field is within docs/DAEMON_LOCK.md's ranges (pid,
 *    absolute socket path of 1..107 bytes, printable host without spaces,
 *    times and lease, heartbeat not before start), formatting it gives a
 *    text that parses back to the same values and formats to the same text,
 *    and the staleness rule gives a verdict for it.
 *
 * Seeds: corpus/lock (valid files and one per kind of corruption).
 * Dictionary: lock.dict (the keys and the header).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "grite/daemon_lock.h"

static bool printable_no_space(const char *s)
{
    for (; *s; s++)
        if (*s <= 0x20 || *s >= 0x7f)
            return false;
    return true;
}

/* The text field s (of an array of n bytes) is NUL-terminated inside it
 * and 1..max bytes long. */
static bool text_field_ok(const char *s, size_t n, size_t max)
{
    const char *nul = memchr(s, '\0', n);
    return nul != NULL && nul != s && (size_t)(nul - s) <= max;
}

static void check_fields(const grite_daemon_info *i)
{
    FUZZ_CHECK(i->pid >= 1 && i->pid <= GRITE_DAEMON_PID_MAX, "pid %d out of range", (int)i->pid);
    FUZZ_CHECK(text_field_ok(i->socket_path, sizeof i->socket_path, GRITE_DAEMON_SOCKET_PATH_MAX) &&
                   i->socket_path[0] == '/',
               "socket path is not an absolute path of 1..107 bytes");
    FUZZ_CHECK(text_field_ok(i->host_id, sizeof i->host_id, GRITE_DAEMON_HOST_ID_MAX) &&
                   printable_no_space(i->host_id),
               "host is not 1..255 printable bytes without spaces");
    FUZZ_CHECK(i->started_ms >= 1 && i->started_ms <= GRITE_DAEMON_TIME_MAX_MS, "started_ms out of range");
    FUZZ_CHECK(i->lease_ms >= 1 && i->lease_ms <= GRITE_DAEMON_LEASE_MAX_MS, "lease_ms out of range");
    FUZZ_CHECK(i->heartbeat_ms >= i->started_ms && i->heartbeat_ms <= GRITE_DAEMON_TIME_MAX_MS,
               "heartbeat_ms out of range");
}

static bool same_info(const grite_daemon_info *a, const grite_daemon_info *b)
{
    return a->pid == b->pid && strcmp(a->socket_path, b->socket_path) == 0 &&
           strcmp(a->host_id, b->host_id) == 0 && a->started_ms == b->started_ms &&
           a->lease_ms == b->lease_ms && a->heartbeat_ms == b->heartbeat_ms;
}

/* format -> parse -> format is the identity. */
static void check_round_trip(const grite_daemon_info *info)
{
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    int n = grite_daemon_lock_format(info, text, sizeof text);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof text && text[n] == '\0', "a parsed lock does not format (%d)", n);
    grite_daemon_info again;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_parse(text, (size_t)n, &again, &err);
    FUZZ_CHECK(st == GRITE_LOCK_OK, "formatted lock does not parse: %s", err.text);
    FUZZ_CHECK(same_info(info, &again), "formatted lock parses to other values");
    char text2[GRITE_DAEMON_LOCK_MAX_BYTES];
    int n2 = grite_daemon_lock_format(&again, text2, sizeof text2);
    FUZZ_CHECK(n2 == n && memcmp(text, text2, (size_t)n) == 0, "formatting is not stable");
    /* Too small an output buffer is refused, never overrun. */
    FUZZ_CHECK(grite_daemon_lock_format(info, text2, (size_t)n) == -1, "format fits n bytes in n");
}

static void check_verdicts(const grite_daemon_info *info)
{
    int64_t times[] = { info->started_ms, info->heartbeat_ms + info->lease_ms - 1,
                        info->heartbeat_ms + info->lease_ms };
    for (size_t t = 0; t < sizeof times / sizeof times[0]; t++) {
        for (int flags = 0; flags < 4; flags++) {
            grite_lock_verdict v = grite_daemon_lock_is_stale(info, flags & 1, flags & 2,
                                                              info->host_id, times[t]);
            FUZZ_CHECK((int)v >= 0 && v < GRITE_LOCK_VERDICT_COUNT_, "verdict %d", (int)v);
            /* "" is never a valid host, so this is always another host's lock. */
            grite_lock_verdict by_lease = times[t] < info->heartbeat_ms - info->lease_ms ? GRITE_LOCK_STALE_FUTURE
                                          : times[t] < info->heartbeat_ms + info->lease_ms ? GRITE_LOCK_LIVE
                                                                                           : GRITE_LOCK_STALE_EXPIRED;
            FUZZ_CHECK(grite_daemon_lock_is_stale(info, flags & 1, flags & 2, "", times[t]) == by_lease,
                       "another host's lock is not judged by its lease alone");
        }
    }
    FUZZ_CHECK(grite_daemon_info_lease_left_ms(info, info->heartbeat_ms) == info->lease_ms,
               "lease left at the heartbeat is not the lease");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_exact_copy(data, size);
    grite_daemon_info info;
    grite_lock_error err;
    memset(&err, 0x5a, sizeof err);
    grite_lock_status st = grite_daemon_lock_parse(text, size, &info, &err);
    free(text);
    if (st != GRITE_LOCK_OK) {
        FUZZ_CHECK(st == GRITE_LOCK_CORRUPT && err.status == GRITE_LOCK_CORRUPT,
                   "parse returned %s, not CORRUPT", grite_lock_status_name(st));
        FUZZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL && err.text[0] != '\0',
                   "a corrupt lock gets no message");
        return 0;
    }
    FUZZ_CHECK(err.text[0] == '\0', "success left an error message");
    check_fields(&info);
    check_round_trip(&info);
    check_verdicts(&info);
    return 0;
}
