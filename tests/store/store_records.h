/* store_records.h - log records made by hand, from the layout in
 * docs/STORE.md (so the tests pin the file format): the store's own
 * encoder is never used to make what its decoder is tested on. */
#ifndef GRITE_TESTS_STORE_RECORDS_H
#define GRITE_TESTS_STORE_RECORDS_H

#include <stddef.h>
#include <stdint.h>

/* Event kinds, as in the payload's kind byte. */
enum { KIND_CREATE = 1, KIND_STATE = 3, KIND_COMMENT = 4, KIND_LABEL = 5, KIND_ASSIGN = 6 };

/* A payload being built (ck_assert if it outgrows data). */
struct bytes {
    uint8_t data[4096];
    size_t len;
};

void put(struct bytes *b, const void *p, size_t n);
void put_u32(struct bytes *b, uint32_t v);
void put_u64(struct bytes *b, uint64_t v);
/* A text: u32 length, then the bytes. */
void put_text(struct bytes *b, const char *s, size_t n);
/* The common event header: format 1, kind, an event id of 16 bytes
 * `event_fill`, actor ACTOR_A, ts, an issue id of 16 bytes `issue_fill`. */
void put_event_header(struct bytes *b, uint8_t kind, uint8_t event_fill, uint64_t ts,
                      uint8_t issue_fill);
/* The same with every id given: 16 bytes each. */
void put_event_header_ids(struct bytes *b, uint8_t kind, const uint8_t event_id[16],
                          const uint8_t actor[16], uint64_t ts, const uint8_t issue_id[16]);
/* The fields of a create after the header: `title`, an empty body, no labels. */
void put_bare_create(struct bytes *b, const char *title, size_t title_len);

/* Appends a record (marker, length, CRC32 of length and payload, payload)
 * to the file at `path`. */
void append_record(const char *path, const struct bytes *payload);

/* The hex of an id made of 16 bytes `fill` (as put_event_header makes). */
void filled_id_hex(uint8_t fill, char out[33]);

#endif
