/* store_text.c - ids, hex and the text rules of store.h. The same rules
 * check a caller's arguments and every record read back from a log, so
 * nothing the API would refuse can enter through a crafted file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "store_internal.h"

static const char hex_digits[] = "0123456789abcdef";

void store_hex_from_id(char out[GRITE_ID_HEX_LEN + 1], const uint8_t id[ID_BYTES])
{
    for (size_t i = 0; i < ID_BYTES; i++) {
        out[2 * i] = hex_digits[id[i] >> 4];
        out[2 * i + 1] = hex_digits[id[i] & 0xf];
    }
    out[GRITE_ID_HEX_LEN] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* uppercase is refused: ids have one spelling */
}

bool store_id_from_hex(uint8_t id[ID_BYTES], const char *hex)
{
    if (hex == NULL)
        return false;
    for (size_t i = 0; i < ID_BYTES; i++) {
        int hi = hex_value(hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        id[i] = (uint8_t)(hi << 4 | lo);
    }
    return hex[GRITE_ID_HEX_LEN] == '\0';
}

int store_random_id(uint8_t id[ID_BYTES])
{
    size_t got = 0;
    while (got < ID_BYTES) {
        ssize_t n = getrandom(id + got, ID_BYTES - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        got += (size_t)n;
    }
    return 0;
}

/* Length of the well-formed UTF-8 sequence at s[0..left), or 0 if it is not
 * one (overlong forms, surrogates and code points past U+10FFFF refused). */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (left < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return need;
}

/* C0 controls, DEL and the C1 controls U+0080..U+009F. */
static bool is_control(const unsigned char *s, size_t seq_len, bool allow_newlines)
{
    if (seq_len == 1) {
        if (allow_newlines && (s[0] == '\t' || s[0] == '\n' || s[0] == '\r'))
            return false;
        return s[0] < 0x20 || s[0] == 0x7f;
    }
    return seq_len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/* Checks UTF-8 and control characters. */
static const char *check_chars(const char *text, size_t len, bool allow_newlines,
                               text_reason scratch)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence(s + i, len - i);
        if (n == 0) {
            snprintf(scratch, sizeof(text_reason), "is not valid UTF-8 at byte %zu", i);
            return scratch;
        }
        if (is_control(s + i, n, allow_newlines)) {
            snprintf(scratch, sizeof(text_reason), "contains a control character at byte %zu",
                     i);
            return scratch;
        }
        i += n;
    }
    return NULL;
}

static const char *check_length(size_t len, size_t max, text_reason scratch)
{
    if (len <= max)
        return NULL;
    snprintf(scratch, sizeof(text_reason), "is %zu bytes long, more than the %zu allowed", len,
             max);
    return scratch;
}

static bool only_whitespace(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (strchr(" \t\r\n", text[i]) == NULL || text[i] == '\0')
            return false;
    return true;
}

/* What titles and labels share: 1..max bytes on one line. */
static const char *check_line(const char *text, size_t len, size_t max, text_reason scratch)
{
    if (len == 0)
        return "is empty";
    const char *why = check_length(len, max, scratch);
    return why != NULL ? why : check_chars(text, len, false, scratch);
}

const char *store_check_title(const char *text, size_t len, text_reason scratch)
{
    const char *why = check_line(text, len, GRITE_TITLE_MAX, scratch);
    if (why == NULL && only_whitespace(text, len))
        why = "is blank";
    return why;
}

const char *store_check_body(const char *text, size_t len, text_reason scratch)
{
    const char *why = check_length(len, GRITE_BODY_MAX, scratch);
    return why != NULL ? why : check_chars(text, len, true, scratch);
}

const char *store_check_comment(const char *text, size_t len, text_reason scratch)
{
    if (len == 0)
        return "is empty";
    const char *why = store_check_body(text, len, scratch);
    if (why == NULL && only_whitespace(text, len))
        why = "is blank";
    return why;
}

const char *store_check_label(const char *text, size_t len, text_reason scratch)
{
    const char *why = check_line(text, len, GRITE_LABEL_MAX, scratch);
    if (why == NULL && (text[0] == ' ' || text[len - 1] == ' '))
        why = "has a leading or trailing space";
    return why;
}
