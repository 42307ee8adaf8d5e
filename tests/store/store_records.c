/* store_records.c - see store_records.h. */
#include "store_records.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "store_test_util.h"

void put(struct bytes *b, const void *p, size_t n)
{
    ck_assert_uint_le(b->len + n, sizeof b->data);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void put_u32(struct bytes *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, le, 4);
}

void put_u64(struct bytes *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

void put_text(struct bytes *b, const char *s, size_t n)
{
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

void put_event_header_ids(struct bytes *b, uint8_t kind, const uint8_t event_id[16],
                          const uint8_t actor[16], uint64_t ts, const uint8_t issue_id[16])
{
    uint8_t format = 1;
    put(b, &format, 1);
    put(b, &kind, 1);
    put(b, event_id, 16);
    put(b, actor, 16);
    put_u64(b, ts);
    put(b, issue_id, 16);
}

void put_event_header(struct bytes *b, uint8_t kind, uint8_t event_fill, uint64_t ts,
                      uint8_t issue_fill)
{
    uint8_t event_id[16], actor[16], issue_id[16];
    memset(event_id, event_fill, sizeof event_id);
    memset(actor, 0xaa, sizeof actor);
    memset(issue_id, issue_fill, sizeof issue_id);
    put_event_header_ids(b, kind, event_id, actor, ts, issue_id);
}

void put_bare_create(struct bytes *b, const char *title, size_t title_len)
{
    put_text(b, title, title_len);
    put_text(b, "", 0);
    uint8_t labels = 0;
    put(b, &labels, 1);
}

void append_record(const char *path, const struct bytes *payload)
{
    struct bytes frame = {.len = 0};
    const uint8_t marker[4] = {0xff, 'G', 'E', 'V'};
    put(&frame, marker, 4);
    put_u32(&frame, (uint32_t)payload->len);
    uLong crc = crc32(0L, frame.data + 4, 4);
    crc = crc32(crc, payload->data, (uInt)payload->len);
    put_u32(&frame, (uint32_t)crc);
    put(&frame, payload->data, payload->len);
    append_file(path, frame.data, frame.len);
}

void filled_id_hex(uint8_t fill, char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", fill);
}
