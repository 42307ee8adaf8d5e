/*
 * grite/json.h - a small streaming JSON writer, for the P_T_to_json()
 * functions gritec generates (docs/JSON.md) and for tools such as
 * grite-dump.
 *
 * The writer goes either into a caller's buffer or to a FILE *:
 *
 *     grite_json j;
 *     char text[4096];
 *     grite_json_init_buf(&j, text, sizeof text, 0);
 *     grite_IpcRequest_to_json(req, &j);
 *     if (grite_json_length(&j) >= sizeof text)
 *         ...   too small: grite_json_length() bytes (+1 for the NUL) are needed
 *
 * A buffer is never overrun and is always NUL-terminated (when its size is
 * at least 1): like snprintf, output that does not fit is cut and the
 * writer keeps counting, so grite_json_length() is the length the whole
 * text would have had. Cutting may split a UTF-8 sequence. With a FILE *,
 * the first failed write is remembered (GRITE_JSON_IO_ERROR) and nothing
 * more is written.
 *
 * The writer does not check that calls nest correctly (a key only inside
 * an object, every begin matched by an end); generated code always does.
 * It remembers no stack, so any nesting depth costs nothing: what a
 * comma or an indent needs is derived from two flags and a depth counter.
 * Several top-level values written in a row are separated by a newline
 * (JSON Lines).
 *
 * Text rules (docs/JSON.md): strings escape '"', '\\' and the control
 * characters U+0000..U+001F (\b \f \n \r \t, the others as \u00XX in
 * lowercase hex); every other byte is copied as is, so valid UTF-8 in
 * gives valid UTF-8 out. Numbers are exact for every 64-bit integer;
 * floats get the fewest digits (at most 17, 9 for f32) that read back as
 * the same value; NaN and infinities, which JSON cannot spell, are null.
 */
#ifndef GRITE_JSON_H
#define GRITE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grite/archive.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for grite_json_init_*. */
#define GRITE_JSON_PRETTY 1u   /* a newline and two spaces of indent per level */

/* What grite_json_status() reports. */
enum {
    GRITE_JSON_OK = 0,
    GRITE_JSON_TRUNCATED = -1,   /* the buffer was too small: the text is cut */
    GRITE_JSON_IO_ERROR = -2     /* a write to the FILE failed (see errno) */
};

typedef struct grite_json {
    char *buf;          /* buffer output: NULL with cap 0 only measures */
    size_t cap;
    FILE *file;         /* FILE output (buf is NULL) */
    size_t len;         /* bytes of text produced so far, written or not */
    uint32_t depth;     /* open objects and arrays */
    unsigned flags;
    bool need_comma;    /* a value ended at this level: the next one needs ',' */
    bool after_key;     /* a key was written: its value follows directly */
    int status;         /* GRITE_JSON_OK or the first problem */
} grite_json;

/* Write into buf[0..cap): cut (and NUL-terminated) when it does not fit.
 * buf may be NULL when cap is 0, to measure the length only. */
void grite_json_init_buf(grite_json *j, char *buf, size_t cap, unsigned flags);

/* Write to f (which stays the caller's: it is neither flushed nor closed). */
void grite_json_init_file(grite_json *j, FILE *f, unsigned flags);

/* GRITE_JSON_OK, GRITE_JSON_TRUNCATED or GRITE_JSON_IO_ERROR. */
static inline int grite_json_status(const grite_json *j) { return j->status; }

/* The length of the whole text so far, without the NUL, whether or not it
 * fitted: snprintf's return value. */
static inline size_t grite_json_length(const grite_json *j) { return j->len; }

/* A short text for a grite_json_status() value. */
const char *grite_json_strerror(int status);

/* ---- structure ------------------------------------------------------- */

void grite_json_begin_object(grite_json *j);
void grite_json_end_object(grite_json *j);
void grite_json_begin_array(grite_json *j);
void grite_json_end_array(grite_json *j);
/* The next member's key (escaped like any string); its value follows. */
void grite_json_key(grite_json *j, const char *key);
/* An object with no members: {} */
void grite_json_empty_object(grite_json *j);

/* ---- values ---------------------------------------------------------- */

void grite_json_null(grite_json *j);
void grite_json_bool(grite_json *j, bool v);
void grite_json_u64(grite_json *j, uint64_t v);
void grite_json_i64(grite_json *j, int64_t v);
void grite_json_f64(grite_json *j, double v);
/* Printed with the digits a float needs, not those of its double value. */
void grite_json_f32(grite_json *j, float v);

/* A string of n bytes (zero bytes inside are written as \u0000). */
void grite_json_string(grite_json *j, const char *s, size_t n);
/* A NUL-terminated string; NULL is written as null. */
void grite_json_cstr(grite_json *j, const char *s);
static inline void grite_json_str(grite_json *j, grite_str s) { grite_json_string(j, s.ptr, s.len); }

/* n bytes as a string of 2n lowercase hex digits: "00ff10". */
void grite_json_hex(grite_json *j, const uint8_t *p, size_t n);
static inline void grite_json_bytes(grite_json *j, grite_bytes b) { grite_json_hex(j, b.ptr, b.len); }

#ifdef __cplusplus
}
#endif

#endif /* GRITE_JSON_H */
