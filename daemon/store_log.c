/* store_log.c - the event log file: its header, the framing of each record
 * (marker, length, CRC32, payload), scanning a log's bytes into records
 * while telling a torn tail from damage in the middle, and durable
 * appends. The layout is described in docs/STORE.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "store_internal.h"

#define LOG_VERSION 1
/* 0xFF never occurs in UTF-8 text, so a marker is unlikely inside a
 * payload; that keeps the search for "a good record after the damage"
 * honest. */
static const uint8_t record_marker[4] = {0xff, 'G', 'E', 'V'};
static const uint8_t log_magic[8] = {'G', 'R', 'I', 'T', 'E', 'L', 'O', 'G'};

static void expected_header(uint8_t out[LOG_HEADER_SIZE])
{
    memcpy(out, log_magic, sizeof log_magic);
    store_save_u32(out + 8, LOG_VERSION);
    store_save_u32(out + 12, (uint32_t)crc32(0L, out, 12));
}

/* CRC32 of the length field followed by the payload, so a flipped length
 * is caught as surely as a flipped payload byte. */
static uint32_t record_crc(const uint8_t len_le[4], const uint8_t *payload, size_t len)
{
    uLong crc = crc32(0L, len_le, 4);
    return (uint32_t)crc32(crc, payload, (uInt)len);
}

bool store_log_frame(struct buf *out, const uint8_t *payload, size_t len)
{
    uint8_t header[FRAME_HEADER_SIZE];
    memcpy(header, record_marker, 4);
    store_save_u32(header + 4, (uint32_t)len);
    store_save_u32(header + 8, record_crc(header + 4, payload, len));
    return store_buf_put(out, header, sizeof header) && store_buf_put(out, payload, len);
}

/* Says why a frame is bad, when the caller wants to know; always false. */
static bool frame_bad(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool frame_bad(char *why, size_t why_len, const char *fmt, ...)
{
    if (why == NULL)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return false;
}

/* Whether bytes[off] starts a whole frame: marker, a length in range, and
 * every payload byte present (*n gets the length). On false `why`, unless
 * NULL, says what is wrong: the search after a bad record passes NULL, as
 * it tries every byte that may start a marker and formatting a message
 * for each would be most of its work. The checksum is not looked at. */
static bool frame_complete(const uint8_t *bytes, size_t len, size_t off, uint32_t *n,
                           char *why, size_t why_len)
{
    size_t left = len - off;
    if (left < FRAME_HEADER_SIZE)
        return frame_bad(why, why_len, "incomplete record header (%zu of %d bytes)", left,
                         FRAME_HEADER_SIZE);
    const uint8_t *h = bytes + off;
    if (memcmp(h, record_marker, 4) != 0)
        return frame_bad(why, why_len, "no record marker");
    *n = store_load_u32(h + 4);
    if (*n < RECORD_PAYLOAD_MIN || *n > RECORD_PAYLOAD_MAX)
        return frame_bad(why, why_len, "record length %u out of range", *n);
    if (*n > left - FRAME_HEADER_SIZE)
        return frame_bad(why, why_len, "record cut short (%zu of %u payload bytes)",
                         left - FRAME_HEADER_SIZE, *n);
    return true;
}

/* The checksum of a complete frame with an n-byte payload. */
static bool frame_crc_ok(const uint8_t *frame, uint32_t n)
{
    return record_crc(frame + 4, frame + FRAME_HEADER_SIZE, n) == store_load_u32(frame + 8);
}

/* Parses the record at bytes[off]. On false `why` says what is wrong. */
static bool parse_frame(const uint8_t *bytes, size_t len, size_t off, const uint8_t **payload,
                        size_t *payload_len, char *why, size_t why_len)
{
    uint32_t n;
    if (!frame_complete(bytes, len, off, &n, why, why_len))
        return false;
    if (!frame_crc_ok(bytes + off, n))
        return frame_bad(why, why_len, "checksum mismatch");
    *payload = bytes + off + FRAME_HEADER_SIZE;
    *payload_len = n;
    return true;
}

enum search_result { NO_GOOD_RECORD, GOOD_RECORD_FOLLOWS, SEARCH_GAVE_UP };

/* How many payload bytes the search after a bad record may checksum when
 * `searched` bytes follow it. Each marker found costs a CRC over the length
 * it claims, so a crafted tail packed with markers that each claim 1 MiB
 * would take time quadratic in its size; a real tail has markers only where
 * records start, whose lengths add up to less than the tail itself. */
static uint64_t search_budget(size_t searched)
{
    return RECORD_PAYLOAD_MAX + 4 * (uint64_t)searched;
}

/* Looks for a good record after the bad one at `from` (*found: its offset). */
static enum search_result find_good_record(const uint8_t *bytes, size_t len, size_t from,
                                           size_t *found)
{
    uint64_t budget = search_budget(len - from);
    for (size_t at = from + 1; at + FRAME_HEADER_SIZE <= len; at++) {
        const uint8_t *hit = memchr(bytes + at, record_marker[0], len - at);
        if (hit == NULL)
            break;
        at = (size_t)(hit - bytes);
        uint32_t n;
        if (!frame_complete(bytes, len, at, &n, NULL, 0))
            continue;
        if (n > budget)
            return SEARCH_GAVE_UP;
        budget -= n;
        if (frame_crc_ok(bytes + at, n)) {
            *found = at;
            return GOOD_RECORD_FOLLOWS;
        }
    }
    return NO_GOOD_RECORD;
}

/* At the bad record at `off`: a torn tail (described in *tail) if nothing
 * good follows, else damage in the middle. */
static enum grite_store_status judge_bad_record(const uint8_t *bytes, size_t len, size_t off,
                                                uint64_t base, const char *path,
                                                struct log_tail *tail,
                                                struct grite_store_error *err)
{
    size_t good = len;
    switch (find_good_record(bytes, len, off, &good)) {
    case GOOD_RECORD_FOLLOWS:
        return store_fail_corrupt(err, path, base + off,
                                  "%s, yet a good record follows at offset %llu", tail->why,
                                  (unsigned long long)(base + good));
    case SEARCH_GAVE_UP:
        return store_fail_corrupt(err, path, base + off,
                                  "%s, and the %zu bytes after it hold too many record markers "
                                  "to tell a torn write from damage",
                                  tail->why, len - off);
    case NO_GOOD_RECORD:
        break;
    }
    tail->torn = true;
    tail->torn_bytes = len - off;
    return GRITE_STORE_OK;
}

enum grite_store_status store_log_scan(const uint8_t *bytes, size_t len, uint64_t base,
                                       const char *path, log_record_fn fn, void *ctx,
                                       struct log_tail *tail, struct grite_store_error *err)
{
    size_t off = 0;
    tail->good_end = base;
    tail->torn = false;
    tail->torn_bytes = 0;
    tail->why[0] = '\0';
    while (off < len) {
        struct log_record rec = {.offset = base + off};
        if (!parse_frame(bytes, len, off, &rec.payload, &rec.len, tail->why, sizeof tail->why))
            return judge_bad_record(bytes, len, off, base, path, tail, err);
        char why[160];
        if (store_event_decode(rec.payload, rec.len, &rec.ev, why, sizeof why) != NULL)
            return store_fail_corrupt(err, path, rec.offset, "bad event: %s", why);
        enum grite_store_status rc = fn(ctx, &rec, err);
        if (rc != GRITE_STORE_OK)
            return rc;
        off += FRAME_HEADER_SIZE + rec.len;
        tail->good_end = base + off;
    }
    return GRITE_STORE_OK;
}

enum grite_store_status store_log_check_header(const uint8_t *bytes, size_t len, const char *path,
                                               bool *torn_header, struct grite_store_error *err)
{
    uint8_t want[LOG_HEADER_SIZE];
    expected_header(want);
    *torn_header = false;
    if (len < LOG_HEADER_SIZE) {
        if (memcmp(bytes, want, len) != 0)
            return store_fail_corrupt(err, path, 0, "not a grite event log");
        *torn_header = true;
        return GRITE_STORE_OK;
    }
    if (memcmp(bytes, log_magic, sizeof log_magic) != 0)
        return store_fail_corrupt(err, path, 0, "not a grite event log");
    if (store_load_u32(bytes + 8) != LOG_VERSION)
        return store_fail_corrupt(err, path, 8, "unsupported log version %u",
                                  store_load_u32(bytes + 8));
    if (memcmp(bytes + 12, want + 12, 4) != 0)
        return store_fail_corrupt(err, path, 12, "header checksum mismatch");
    return GRITE_STORE_OK;
}

/* Writes a fresh header to `log_path` atomically (temporary file, fsync,
 * rename, fsync of `dir`), replacing any file there. */
static enum grite_store_status create_log(const char *dir, const char *log_path,
                                          struct grite_store_error *err)
{
    char tmp[GRITE_STORE_PATH_MAX];
    if (!store_join_path(tmp, sizeof tmp, dir, LOG_FILE_NAME ".tmp", err))
        return err != NULL ? err->code : GRITE_STORE_INVALID_ARGS;
    uint8_t header[LOG_HEADER_SIZE];
    expected_header(header);
    /* Start from a new file, not whatever was left at that name: through a
     * planted link O_TRUNC would clobber the file it points to. If the name
     * cannot be removed, O_EXCL makes the open below say why. */
    (void)unlink(tmp);
    int fd = store_file_open(tmp, O_CREAT | O_EXCL | O_WRONLY);
    if (fd < 0)
        return store_fail_errno(err, errno, tmp, "cannot create");
    int rc = store_write_all_at(fd, header, sizeof header, 0);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    close(fd);
    if (rc == 0 && rename(tmp, log_path) != 0)
        rc = errno;
    if (rc != 0) {
        unlink(tmp);
        return store_fail_errno(err, rc, tmp, "cannot write");
    }
    rc = store_fsync_dir(dir);
    if (rc != 0)
        return store_fail_errno(err, rc, dir, "cannot fsync directory");
    return GRITE_STORE_OK;
}

/* Reads up to a header's worth of the file at fd and checks it. */
static enum grite_store_status check_open_header(int fd, const char *path, bool *torn,
                                                 uint64_t *size, struct grite_store_error *err)
{
    enum grite_store_status rc = store_log_size(fd, path, size, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    uint8_t header[LOG_HEADER_SIZE];
    size_t have = *size < LOG_HEADER_SIZE ? (size_t)*size : LOG_HEADER_SIZE;
    int read_rc = store_read_all_at(fd, header, have, 0);
    if (read_rc != 0)
        return store_fail_errno(err, read_rc < 0 ? EIO : read_rc, path, "cannot read");
    return store_log_check_header(header, have, path, torn, err);
}

enum grite_store_status store_log_open(const char *dir, const char *log_path, int *fd,
                                       bool *recreated, uint64_t *dropped,
                                       struct grite_store_error *err)
{
    *recreated = false;
    *dropped = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        *fd = store_file_open(log_path, O_RDWR);
        if (*fd < 0 && errno != ENOENT)
            return store_fail_errno(err, errno, log_path, "cannot open");
        enum grite_store_status rc = GRITE_STORE_OK;
        if (*fd >= 0) {
            bool torn = false;
            uint64_t size = 0;
            rc = check_open_header(*fd, log_path, &torn, &size, err);
            if (rc != GRITE_STORE_OK || !torn)
                return rc;
            close(*fd); /* a crash while creating it: nothing in it yet */
            *fd = -1;
            *recreated = true;
            *dropped = size;
        }
        rc = create_log(dir, log_path, err);
        if (rc != GRITE_STORE_OK)
            return rc;
    }
    return store_fail(err, GRITE_STORE_IO_ERROR, "%s keeps disappearing", log_path);
}

enum grite_store_status store_log_append(int fd, const char *path, uint64_t offset,
                                         const uint8_t *bytes, size_t len,
                                         struct grite_store_error *err)
{
    int rc = store_write_all_at(fd, bytes, len, offset);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    if (rc == 0)
        return GRITE_STORE_OK;
    /* Leave no partial record behind; if even this fails, the next open
     * finds a torn tail and cuts it. */
    if (ftruncate(fd, (off_t)offset) == 0)
        (void)fsync(fd);
    return store_fail_errno(err, rc, path, "cannot append to");
}

enum grite_store_status store_log_truncate(int fd, const char *path, uint64_t size,
                                           struct grite_store_error *err)
{
    if (ftruncate(fd, (off_t)size) != 0 || fsync(fd) != 0)
        return store_fail_errno(err, errno, path, "cannot cut the torn tail off");
    return GRITE_STORE_OK;
}

enum grite_store_status store_log_read(int fd, const char *path, uint64_t from, uint64_t to,
                                       uint8_t **out, struct grite_store_error *err)
{
    if (to - from > SIZE_MAX - 1)
        return store_fail(err, GRITE_STORE_INTERNAL, "%s is too large to read", path);
    size_t len = (size_t)(to - from);
    uint8_t *bytes = malloc(len != 0 ? len : 1);
    if (bytes == NULL)
        return store_fail_nomem(err);
    int rc = store_read_all_at(fd, bytes, len, from);
    if (rc != 0) {
        free(bytes);
        return store_fail_errno(err, rc < 0 ? EIO : rc, path,
                                rc < 0 ? "file shrank while reading" : "cannot read");
    }
    *out = bytes;
    return GRITE_STORE_OK;
}

enum grite_store_status store_log_size(int fd, const char *path, uint64_t *size,
                                       struct grite_store_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return store_fail_errno(err, errno, path, "cannot stat");
    if (!S_ISREG(st.st_mode)) /* a FIFO, a device: no log, and reading may never end */
        return store_fail_errno(err, EINVAL, path, "refusing the non-regular file");
    *size = (uint64_t)st.st_size;
    return GRITE_STORE_OK;
}
