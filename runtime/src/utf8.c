/*
 * utf8.c - the slow path of UTF-8 validation (grite_utf8_valid in
 * grite/archive.h handles pure-ASCII text inline, 8 bytes at a time).
 *
 * Well-formed UTF-8 as in RFC 3629 / Unicode Table 3-7: the second byte's
 * range depends on the first, which rules out overlong forms (C0, C1,
 * E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above
 * U+10FFFF (F4 90.., F5..FF).
 */
#include <stdint.h>
#include <string.h>

#include "grite/archive.h"

/* Length of the well-formed sequence at p[0..n), or 0 if there is none. */
static size_t utf8_sequence(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    uint8_t lo = 0x80, hi = 0xBF;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

size_t grite_utf8_scan(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Runs of ASCII are common even in non-ASCII text: skip them by words. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        size_t len = utf8_sequence(p + i, n - i);
        if (len == 0)
            return i;
        i += len;
    }
    return n;
}
