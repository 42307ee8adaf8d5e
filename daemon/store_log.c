/* store_log.c - the event log file: its header, the framing of each record
 * (marker, length, CRC32, payload), scanning a log's bytes into records
 * while telling a torn tail from damage in the middle, and durable
 * appends. The layout is described in docs/STORE.md. */
#include <errno.h>
#include <fcntl.h>
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
    store_u32(out + 8, LOG_VERSION);
    store_u32(out + 12, (uint32_t)crc32(0L, out, 12));
}

/* CRC32 of the length field followed by the payload, so a flipped length
 * is caught as surely as a flipped payload byte. */
static uint32_t record_crc(const uint8_t len_le[4], const uint8_t *payload, size_t len)
{
    uLong crc = crc32(0L, len_le, 4);
    return (uint32_t)crc32(crc, payload, (uInt)len);
}

bool log_frame(struct buf *out, const uint8_t *payload, size_t len)
{
    uint8_t header[FRAME_HEADER_SIZE];
    memcpy(header, record_marker, 4);
    store_u32(header + 4, (uint32_t)len);
    store_u32(header + 8, record_crc(header + 4, payload, len));
    return buf_put(out, header, sizeof header) && buf_put(out, payload, len);
}

enum frame_status { FRAME_OK, FRAME_BAD };

/* Parses the record at bytes[off]. On FRAME_BAD `why` says what is wrong. */
static enum frame_status parse_frame(const uint8_t *bytes, size_t len, size_t off,
                                     const uint8_t **payload, size_t *payload_len,
                                     char *why, size_t why_len)
{
    size_t left = len - off;
    if (left < FRAME_HEADER_SIZE) {
        snprintf(why, why_len, "incomplete record header (%zu of %d bytes)", left,
                 FRAME_HEADER_SIZE);
        return FRAME_BAD;
    }
    const uint8_t *h = bytes + off;
    if (memcmp(h, record_marker, 4) != 0) {
        snprintf(why, why_len, "no record marker");
        return FRAME_BAD;
    }
    uint32_t n = load_u32(h + 4);
    if (n < RECORD_PAYLOAD_MIN || n > RECORD_PAYLOAD_MAX) {
        snprintf(why, why_len, "record length %u out of range", n);
        return FRAME_BAD;
    }
    if (n > left - FRAME_HEADER_SIZE) {
        snprintf(why, why_len, "record cut short (%zu of %u payload bytes)",
                 left - FRAME_HEADER_SIZE, n);
        return FRAME_BAD;
    }
    if (record_crc(h + 4, h + FRAME_HEADER_SIZE, n) != load_u32(h + 8)) {
        snprintf(why, why_len, "checksum mismatch");
        return FRAME_BAD;
    }
    *payload = h + FRAME_HEADER_SIZE;
    *payload_len = n;
    return FRAME_OK;
}

/* The offset of the first good record after `from`, or `len` if none. */
static size_t next_good_record(const uint8_t *bytes, size_t len, size_t from)
{
    for (size_t at = from + 1; at + FRAME_HEADER_SIZE <= len; at++) {
        const uint8_t *hit = memchr(bytes + at, record_marker[0], len - at);
        if (hit == NULL)
            break;
        at = (size_t)(hit - bytes);
        const uint8_t *payload;
        size_t n;
        char why[128];      /* unused here, but sized so no message is cut */
        if (parse_frame(bytes, len, at, &payload, &n, why, sizeof why) == FRAME_OK)
            return at;
    }
    return len;
}

enum grite_store_status log_scan(const uint8_t *bytes, size_t len, uint64_t base,
                                 const char *path, log_record_fn fn, void *ctx,
                                 struct log_tail *tail, struct grite_store_error *err)
{
    size_t off = 0;
    tail->good_end = base;
    tail->torn = false;
    tail->torn_bytes = 0;
    tail->why[0] = '\0';
    while (off < len) {
        const uint8_t *payload;
        size_t n;
        if (parse_frame(bytes, len, off, &payload, &n, tail->why, sizeof tail->why) != FRAME_OK) {
            size_t good = next_good_record(bytes, len, off);
            if (good < len)
                return store_fail_corrupt(err, path, base + off,
                                          "%s, yet a good record follows at offset %llu",
                                          tail->why, (unsigned long long)(base + good));
            tail->torn = true;
            tail->torn_bytes = len - off;
            break;
        }
        enum grite_store_status rc = fn(ctx, base + off, payload, n, err);
        if (rc != GRITE_STORE_OK)
            return rc;
        off += FRAME_HEADER_SIZE + n;
        tail->good_end = base + off;
    }
    return GRITE_STORE_OK;
}

enum grite_store_status log_check_header(const uint8_t *bytes, size_t len, const char *path,
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
    if (load_u32(bytes + 8) != LOG_VERSION)
        return store_fail_corrupt(err, path, 8, "unsupported log version %u",
                                  load_u32(bytes + 8));
    if (memcmp(bytes + 12, want + 12, 4) != 0)
        return store_fail_corrupt(err, path, 12, "header checksum mismatch");
    return GRITE_STORE_OK;
}

enum grite_store_status log_create(const char *dir, const char *log_path,
                                   struct grite_store_error *err)
{
    char tmp[GRITE_STORE_PATH_MAX];
    if (!join_path(tmp, sizeof tmp, dir, LOG_FILE_NAME ".tmp", err))
        return err != NULL ? err->code : GRITE_STORE_INVALID_ARGS;
    uint8_t header[LOG_HEADER_SIZE];
    expected_header(header);
    int fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0)
        return store_fail_errno(err, errno, tmp, "cannot create");
    int rc = write_all_at(fd, header, sizeof header, 0);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    close(fd);
    if (rc == 0 && rename(tmp, log_path) != 0)
        rc = errno;
    if (rc != 0) {
        unlink(tmp);
        return store_fail_errno(err, rc, tmp, "cannot write");
    }
    rc = fsync_dir(dir);
    if (rc != 0)
        return store_fail_errno(err, rc, dir, "cannot fsync directory");
    return GRITE_STORE_OK;
}

/* Reads up to a header's worth of the file at fd and checks it. */
static enum grite_store_status check_open_header(int fd, const char *path, bool *torn,
                                                 uint64_t *size, struct grite_store_error *err)
{
    enum grite_store_status rc = log_size(fd, path, size, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    uint8_t header[LOG_HEADER_SIZE];
    size_t have = *size < LOG_HEADER_SIZE ? (size_t)*size : LOG_HEADER_SIZE;
    int read_rc = read_all_at(fd, header, have, 0);
    if (read_rc != 0)
        return store_fail_errno(err, read_rc < 0 ? EIO : read_rc, path, "cannot read");
    return log_check_header(header, have, path, torn, err);
}

enum grite_store_status log_open(const char *dir, const char *log_path, int *fd,
                                 bool *recreated, uint64_t *dropped,
                                 struct grite_store_error *err)
{
    *recreated = false;
    *dropped = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        *fd = open(log_path, O_RDWR | O_CLOEXEC);
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
        rc = log_create(dir, log_path, err);
        if (rc != GRITE_STORE_OK)
            return rc;
    }
    return store_fail(err, GRITE_STORE_IO_ERROR, "%s keeps disappearing", log_path);
}

enum grite_store_status log_append(int fd, const char *path, uint64_t offset,
                                   const uint8_t *bytes, size_t len,
                                   struct grite_store_error *err)
{
    int rc = write_all_at(fd, bytes, len, offset);
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

enum grite_store_status log_truncate(int fd, const char *path, uint64_t size,
                                     struct grite_store_error *err)
{
    if (ftruncate(fd, (off_t)size) != 0 || fsync(fd) != 0)
        return store_fail_errno(err, errno, path, "cannot cut the torn tail off");
    return GRITE_STORE_OK;
}

enum grite_store_status log_read(int fd, const char *path, uint64_t from, uint64_t to,
                                 uint8_t **out, struct grite_store_error *err)
{
    if (to - from > SIZE_MAX - 1)
        return store_fail(err, GRITE_STORE_INTERNAL, "%s is too large to read", path);
    size_t len = (size_t)(to - from);
    uint8_t *bytes = malloc(len != 0 ? len : 1);
    if (bytes == NULL)
        return store_fail_nomem(err);
    int rc = read_all_at(fd, bytes, len, from);
    if (rc != 0) {
        free(bytes);
        return store_fail_errno(err, rc < 0 ? EIO : rc, path,
                                rc < 0 ? "file shrank while reading" : "cannot read");
    }
    *out = bytes;
    return GRITE_STORE_OK;
}

enum grite_store_status log_size(int fd, const char *path, uint64_t *size,
                                 struct grite_store_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return store_fail_errno(err, errno, path, "cannot stat");
    *size = (uint64_t)st.st_size;
    return GRITE_STORE_OK;
}
