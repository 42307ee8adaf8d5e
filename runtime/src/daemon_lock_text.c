/*
 * daemon_lock_text.c - the lock file's text format (docs/DAEMON_LOCK.md):
 * parsing it as untrusted input, and writing it.
 *
 *   grite-daemon-lock 1
 *   pid=4242
 *   socket=/run/user/1000/grite/daemon.sock
 *   host=3d1219c7c4c5404aaa1f6d2a48adfda4
 *   started_ms=1717000000000
 *   lease_ms=30000
 *   heartbeat_ms=1717000012000
 *
 * The parser checks the whole file before trusting any of it: size, bytes,
 * the version line, each line's shape, each value's range, duplicates and
 * missing keys, so every way a file can be wrong gets its own sentence.
 */
#include "daemon_lock_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HEADER_WORD "grite-daemon-lock"
#define QUOTE_MAX 48   /* how much of a bad value an error message shows */

/* A value quoted for an error message: at most QUOTE_MAX bytes, bytes
 * outside printable ASCII escaped, so junk in a file stays readable. */
typedef struct { char s[QUOTE_MAX * 4 + 8]; } quoted;

static quoted quote(const char *s, size_t len)
{
    quoted q;
    size_t o = 0;
    q.s[o++] = '"';
    for (size_t i = 0; i < len && i < QUOTE_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            q.s[o++] = (char)c;
        else
            o += (size_t)snprintf(q.s + o, sizeof q.s - o, "\\x%02x", c);
    }
    q.s[o++] = '"';
    if (len > QUOTE_MAX) {
        memcpy(q.s + o, "...", 3);
        o += 3;
    }
    q.s[o] = '\0';
    return q;
}

/* ---- values ------------------------------------------------------------ */

/* Plain decimal digits (no sign, no spaces) within [min, max]. */
static bool parse_decimal(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    if (len == 0 || len > 19)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int digit = s[i] - '0';
        if (v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (v < min)
        return false;
    *out = v;
    return true;
}

typedef enum { F_PID, F_SOCKET, F_HOST, F_STARTED, F_LEASE, F_HEARTBEAT, F_COUNT } field_id;

static const char *const field_keys[F_COUNT] = {
    "pid", "socket", "host", "started_ms", "lease_ms", "heartbeat_ms",
};

static grite_lock_status bad_number(grite_lock_error *err, unsigned line, field_id f,
                                    const char *v, size_t len, int64_t min, int64_t max)
{
    return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                           "line %u: %s: %s is not a number in %" PRId64 "..%" PRId64,
                           line, field_keys[f], quote(v, len).s, min, max);
}

static grite_lock_status parse_number_field(field_id f, unsigned line, const char *v,
                                            size_t len, grite_daemon_info *out,
                                            grite_lock_error *err)
{
    int64_t min = 1, max = GRITE_DAEMON_TIME_MAX_MS, n;
    if (f == F_PID)
        max = GRITE_DAEMON_PID_MAX;
    else if (f == F_LEASE)
        max = GRITE_DAEMON_LEASE_MAX_MS;
    if (!parse_decimal(v, len, min, max, &n))
        return bad_number(err, line, f, v, len, min, max);
    switch (f) {
    case F_PID: out->pid = (pid_t)n; break;
    case F_STARTED: out->started_ms = n; break;
    case F_LEASE: out->lease_ms = n; break;
    default: out->heartbeat_ms = n; break;
    }
    return GRITE_LOCK_OK;
}

static grite_lock_status parse_socket(unsigned line, const char *v, size_t len,
                                      grite_daemon_info *out, grite_lock_error *err)
{
    if (len == 0 || v[0] != '/')
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: socket: %s is not an absolute path",
                               line, quote(v, len).s);
    if (len > GRITE_DAEMON_SOCKET_PATH_MAX)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: socket: path is %zu bytes, longer than the %d a "
                               "Unix socket address holds", line, len,
                               GRITE_DAEMON_SOCKET_PATH_MAX);
    memcpy(out->socket_path, v, len);
    out->socket_path[len] = '\0';
    return GRITE_LOCK_OK;
}

static grite_lock_status parse_host(unsigned line, const char *v, size_t len,
                                    grite_daemon_info *out, grite_lock_error *err)
{
    bool word = len > 0 && len <= GRITE_DAEMON_HOST_ID_MAX;
    for (size_t i = 0; word && i < len; i++)
        word = v[i] > 0x20 && v[i] < 0x7f;
    if (!word)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: host: %s is not 1..%d printable ASCII characters "
                               "without spaces", line, quote(v, len).s,
                               GRITE_DAEMON_HOST_ID_MAX);
    memcpy(out->host_id, v, len);
    out->host_id[len] = '\0';
    return GRITE_LOCK_OK;
}

static grite_lock_status parse_field(field_id f, unsigned line, const char *v, size_t len,
                                     grite_daemon_info *out, grite_lock_error *err)
{
    if (f == F_SOCKET)
        return parse_socket(line, v, len, out, err);
    if (f == F_HOST)
        return parse_host(line, v, len, out, err);
    return parse_number_field(f, line, v, len, out, err);
}

/* ---- structure --------------------------------------------------------- */

/* Size and bytes: reject what could never be a lock file before looking
 * at lines (NUL and control bytes, a missing final newline). */
static grite_lock_status check_bytes(const char *text, size_t len, grite_lock_error *err)
{
    if (len == 0)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT, "file is empty");
    if (len > GRITE_DAEMON_LOCK_MAX_BYTES)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "file is %zu bytes, more than the %d allowed", len,
                               GRITE_DAEMON_LOCK_MAX_BYTES);
    unsigned line = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n')
            line++;
        else if (c == 0)
            return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                                   "binary data: NUL byte at offset %zu (line %u)", i, line);
        else if (c < 0x20 || c == 0x7f)
            return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                                   "control character 0x%02x at offset %zu (line %u)",
                                   c, i, line);
    }
    if (text[len - 1] != '\n')
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "truncated: line %u does not end with a newline", line);
    return GRITE_LOCK_OK;
}

static grite_lock_status check_header(const char *s, size_t len, grite_lock_error *err)
{
    static const char prefix[] = HEADER_WORD " ";
    const size_t plen = sizeof prefix - 1;
    if (len < plen || memcmp(s, prefix, plen) != 0)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line 1: expected \"" HEADER_WORD " %d\", found %s",
                               GRITE_DAEMON_LOCK_VERSION, quote(s, len).s);
    int64_t version;
    if (!parse_decimal(s + plen, len - plen, 1, INT32_MAX, &version))
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT, "line 1: bad format version %s",
                               quote(s + plen, len - plen).s);
    if (version != GRITE_DAEMON_LOCK_VERSION)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line 1: unsupported format version %" PRId64
                               " (this reader knows version %d)",
                               version, GRITE_DAEMON_LOCK_VERSION);
    return GRITE_LOCK_OK;
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int find_field(const char *key, size_t len)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strlen(field_keys[f]) == len && memcmp(field_keys[f], key, len) == 0)
            return f;
    return -1;
}

/* One key=value line. Unknown (well-formed) keys are skipped so a later
 * writer can add a field without breaking this reader; changing a field's
 * meaning needs a new version line instead. */
static grite_lock_status parse_line(const char *s, size_t len, unsigned line,
                                    unsigned seen_on[F_COUNT], grite_daemon_info *out,
                                    grite_lock_error *err)
{
    if (len == 0)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT, "line %u is empty", line);
    const char *eq = memchr(s, '=', len);
    if (eq == NULL)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: expected key=value, found %s", line,
                               quote(s, len).s);
    size_t klen = (size_t)(eq - s);
    bool good_key = klen > 0;
    for (size_t i = 0; good_key && i < klen; i++)
        good_key = is_key_char(s[i]);
    if (!good_key)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: bad key %s (keys are [a-z0-9_]+)", line,
                               quote(s, klen).s);
    int f = find_field(s, klen);
    if (f < 0)
        return GRITE_LOCK_OK;
    if (seen_on[f] != 0)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "line %u: duplicate key \"%s\" (first on line %u)", line,
                               field_keys[f], seen_on[f]);
    seen_on[f] = line;
    return parse_field((field_id)f, line, eq + 1, len - klen - 1, out, err);
}

static grite_lock_status check_complete(const unsigned seen_on[F_COUNT],
                                        const grite_daemon_info *info, grite_lock_error *err)
{
    for (int f = 0; f < F_COUNT; f++)
        if (seen_on[f] == 0)
            return grite_lock_fail(err, GRITE_LOCK_CORRUPT, "missing key \"%s\"",
                                   field_keys[f]);
    if (info->heartbeat_ms < info->started_ms)
        return grite_lock_fail(err, GRITE_LOCK_CORRUPT,
                               "heartbeat_ms (%" PRId64 ") is earlier than started_ms "
                               "(%" PRId64 ")",
                               info->heartbeat_ms, info->started_ms);
    return GRITE_LOCK_OK;
}

grite_lock_status grite_daemon_lock_parse(const char *text, size_t len,
                                          grite_daemon_info *out, grite_lock_error *err)
{
    if (text == NULL || out == NULL)
        return grite_lock_fail(err, GRITE_LOCK_INVALID_ARGUMENT, "text and out are required");
    grite_lock_status st = check_bytes(text, len, err);
    if (st != GRITE_LOCK_OK)
        return st;
    memset(out, 0, sizeof *out);
    unsigned seen_on[F_COUNT] = { 0 };
    unsigned line = 1;
    for (size_t start = 0; start < len; line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t line_len = (size_t)(nl - (text + start));   /* check_bytes: nl exists */
        st = line == 1 ? check_header(text + start, line_len, err)
                       : parse_line(text + start, line_len, line, seen_on, out, err);
        if (st != GRITE_LOCK_OK)
            return st;
        start += line_len + 1;
    }
    st = check_complete(seen_on, out, err);
    if (st == GRITE_LOCK_OK)
        grite_lock_clear(err);
    return st;
}

/* ---- writing ----------------------------------------------------------- */

/* The writer enforces what the reader checks, so we never write a file
 * that we would call corrupt. */
static bool info_is_valid(const grite_daemon_info *info)
{
    size_t slen = strnlen(info->socket_path, sizeof info->socket_path);
    size_t hlen = strnlen(info->host_id, sizeof info->host_id);
    bool host_ok = hlen > 0 && hlen <= GRITE_DAEMON_HOST_ID_MAX;
    for (size_t i = 0; host_ok && i < hlen; i++)
        host_ok = info->host_id[i] > 0x20 && info->host_id[i] < 0x7f;
    bool socket_ok = slen > 0 && slen <= GRITE_DAEMON_SOCKET_PATH_MAX &&
                     info->socket_path[0] == '/';
    for (size_t i = 0; socket_ok && i < slen; i++)
        socket_ok = (unsigned char)info->socket_path[i] >= 0x20 && info->socket_path[i] != 0x7f;
    return host_ok && socket_ok && info->pid > 0 && info->pid <= GRITE_DAEMON_PID_MAX &&
           info->started_ms >= 1 && info->started_ms <= info->heartbeat_ms &&
           info->heartbeat_ms <= GRITE_DAEMON_TIME_MAX_MS && info->lease_ms >= 1 &&
           info->lease_ms <= GRITE_DAEMON_LEASE_MAX_MS;
}

int grite_daemon_lock_format(const grite_daemon_info *info, char *out, size_t n)
{
    if (info == NULL || out == NULL || !info_is_valid(info))
        return -1;
    int len = snprintf(out, n,
                       HEADER_WORD " %d\n"
                       "pid=%ld\n"
                       "socket=%s\n"
                       "host=%s\n"
                       "started_ms=%" PRId64 "\n"
                       "lease_ms=%" PRId64 "\n"
                       "heartbeat_ms=%" PRId64 "\n",
                       GRITE_DAEMON_LOCK_VERSION, (long)info->pid, info->socket_path,
                       info->host_id, info->started_ms, info->lease_ms, info->heartbeat_ms);
    if (len < 0 || (size_t)len >= n)
        return -1;
    return len;
}
