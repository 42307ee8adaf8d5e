/*
 * grite/archive.h - what generated headers build on: views, little-endian
 * loads and stores, and the validator and builder primitives of
 * docs/FORMAT.md section 1.
 *
 * Everything on the hot path is `static inline` so a generated validator or
 * builder compiles into straight-line code with no calls except the rare
 * ones (growing a buffer, non-ASCII UTF-8, strings over 256 bytes,
 * reporting an error); those are GRITE_NOINLINE / GRITE_COLD helpers or
 * runtime functions, which keeps the inlined hot code small. Error
 * reporting lives in verror.c and is only reached on failure, so the
 * success path never touches err->path.
 *
 * Names with a `grite_v_` prefix are validator primitives, `grite_b_`
 * builder primitives; generated code is their only intended caller.
 */
#ifndef GRITE_ARCHIVE_H
#define GRITE_ARCHIVE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "grite/buf.h"
#include "grite/verror.h"

/* ---- C / C++ portability --------------------------------------------- */

#ifdef __cplusplus
#define GRITE_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define GRITE_ALIGNOF(type) alignof(type)
/* C++ enums get a fixed underlying type so an unknown value read from an
 * open enum or open union is still a valid value of the enum type. */
#define GRITE_ENUM_BASE(type) : type
#else
#define GRITE_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define GRITE_ALIGNOF(type) _Alignof(type)
#define GRITE_ENUM_BASE(type)
#endif

/* The compiler checks gritec's layout: size, alignment, field offsets. */
#define GRITE_ASSERT_LAYOUT(type, size, align)                                  \
    GRITE_STATIC_ASSERT(sizeof(type) == (size), #type ": size");                \
    GRITE_STATIC_ASSERT(GRITE_ALIGNOF(type) == (align), #type ": alignment")
#define GRITE_ASSERT_OFFSET(type, field, off)                                   \
    GRITE_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field ": offset")

#if defined(__GNUC__) || defined(__clang__)
#define GRITE_LIKELY(x) __builtin_expect(!!(x), 1)
#define GRITE_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* For the rare paths of inline primitives (errors, long strings): one
 * out-of-line copy per translation unit keeps the hot code small. */
#define GRITE_NOINLINE __attribute__((noinline, unused))
#define GRITE_COLD __attribute__((noinline, cold, unused))
#else
#define GRITE_LIKELY(x) (x)
#define GRITE_UNLIKELY(x) (x)
#define GRITE_NOINLINE
#define GRITE_COLD
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GRITE_BIG_ENDIAN 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- views ----------------------------------------------------------- */

/* A string: `len` bytes of UTF-8 at `ptr`, and ptr[len] == '\0' for every
 * string read from a validated archive (so ptr can go to C APIs as is). */
typedef struct grite_str {
    const char *ptr;
    size_t len;
} grite_str;

/* Opaque bytes. */
typedef struct grite_bytes {
    const uint8_t *ptr;
    size_t len;
} grite_bytes;

#ifdef __cplusplus
#define GRITE_STR(lit) (grite_str{ (lit), sizeof(lit) - 1 })
#define GRITE_BYTES(p, n) (grite_bytes{ (p), (n) })
#else
/* A grite_str for a string literal, e.g. GRITE_STR("bug"). */
#define GRITE_STR(lit) ((grite_str){ (lit), sizeof(lit) - 1 })
#define GRITE_BYTES(p, n) ((grite_bytes){ (p), (n) })
#endif

/* A grite_str for a NUL-terminated C string (NULL gives the empty string). */
static inline grite_str grite_str_from_cstr(const char *s)
{
    grite_str v;
    v.ptr = s ? s : "";
    v.len = s ? strlen(s) : 0;
    return v;
}

static inline bool grite_str_eq(grite_str a, grite_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* The archived form of string, bytes and [T]: a little-endian offset from
 * the address of `offset` itself, and a count. */
typedef struct grite_ref {
    uint32_t offset;
    uint32_t len;
} grite_ref;

/* ---- little-endian loads and stores (a plain load/store on LE hosts) -- */

#ifdef GRITE_BIG_ENDIAN
#define GRITE_LE16_(x) __builtin_bswap16(x)
#define GRITE_LE32_(x) __builtin_bswap32(x)
#define GRITE_LE64_(x) __builtin_bswap64(x)
#else
#define GRITE_LE16_(x) (x)
#define GRITE_LE32_(x) (x)
#define GRITE_LE64_(x) (x)
#endif

static inline uint8_t grite_ld_u8(const void *p) { return *(const uint8_t *)p; }
static inline uint16_t grite_ld_u16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return GRITE_LE16_(v);
}
static inline uint32_t grite_ld_u32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return GRITE_LE32_(v);
}
static inline uint64_t grite_ld_u64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return GRITE_LE64_(v);
}
static inline int8_t grite_ld_i8(const void *p) { return *(const int8_t *)p; }
static inline int16_t grite_ld_i16(const void *p)
{
    uint16_t u = grite_ld_u16(p);
    int16_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline int32_t grite_ld_i32(const void *p)
{
    uint32_t u = grite_ld_u32(p);
    int32_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline int64_t grite_ld_i64(const void *p)
{
    uint64_t u = grite_ld_u64(p);
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline float grite_ld_f32(const void *p)
{
    uint32_t u = grite_ld_u32(p);
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline double grite_ld_f64(const void *p)
{
    uint64_t u = grite_ld_u64(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline bool grite_ld_bool(const void *p) { return *(const uint8_t *)p != 0; }

static inline void grite_st_u8(void *p, uint8_t v) { *(uint8_t *)p = v; }
static inline void grite_st_u16(void *p, uint16_t v)
{
    v = GRITE_LE16_(v);
    memcpy(p, &v, sizeof v);
}
static inline void grite_st_u32(void *p, uint32_t v)
{
    v = GRITE_LE32_(v);
    memcpy(p, &v, sizeof v);
}
static inline void grite_st_u64(void *p, uint64_t v)
{
    v = GRITE_LE64_(v);
    memcpy(p, &v, sizeof v);
}
static inline void grite_st_i8(void *p, int8_t v) { memcpy(p, &v, 1); }
static inline void grite_st_i16(void *p, int16_t v)
{
    uint16_t u;
    memcpy(&u, &v, sizeof u);
    grite_st_u16(p, u);
}
static inline void grite_st_i32(void *p, int32_t v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    grite_st_u32(p, u);
}
static inline void grite_st_i64(void *p, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    grite_st_u64(p, u);
}
static inline void grite_st_f32(void *p, float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    grite_st_u32(p, u);
}
static inline void grite_st_f64(void *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    grite_st_u64(p, u);
}
static inline void grite_st_bool(void *p, bool v) { *(uint8_t *)p = v ? 1 : 0; }

/* ---- reading references ---------------------------------------------- */

/* Where the reference at `r` points. For an empty value (offset 0) that is
 * `r` itself, which keeps views branch-free: a zero-length string view then
 * points at the reference's own zero offset bytes, so ptr[0] == '\0'. */
static inline const uint8_t *grite_ref_target(const void *r)
{
    return (const uint8_t *)r + grite_ld_u32(r);
}

static inline grite_str grite_ref_str(const void *r)
{
    grite_str v;
    v.ptr = (const char *)grite_ref_target(r);
    v.len = grite_ld_u32((const uint8_t *)r + 4);
    return v;
}

static inline grite_bytes grite_ref_bytes(const void *r)
{
    grite_bytes v;
    v.ptr = grite_ref_target(r);
    v.len = grite_ld_u32((const uint8_t *)r + 4);
    return v;
}

/* ---- UTF-8 ----------------------------------------------------------- */

/* Index of the first byte of p[0..n) that is not part of well-formed UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or
 * n if all of it is. The out-of-line slow path of grite_utf8_valid. */
size_t grite_utf8_scan(const uint8_t *p, size_t n);

#define GRITE_UTF8_HIGH_BITS_ UINT64_C(0x8080808080808080)

/*
 * The ASCII test of short texts, without a byte loop: p[0..n) is read as
 * whole words, the last one overlapping its predecessor (for n < 8, two
 * overlapping halves), and the words are ORed together, so the only
 * branches depend on n, not on the bytes. Nothing outside p[0..n) is
 * read. The result has a 0x80 bit set iff some byte is not ASCII.
 */
static inline uint64_t grite_utf8_high_bits(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    if (n >= 8) {
        uint64_t w;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&w, p + i, 8);
            acc |= w;
        }
        memcpy(&w, p + n - 8, 8);
        acc |= w;
    } else if (n >= 4) {
        uint32_t a, z;
        memcpy(&a, p, 4);
        memcpy(&z, p + n - 4, 4);
        acc = a | z;
    } else if (n >= 2) {
        uint16_t a, z;
        memcpy(&a, p, 2);
        memcpy(&z, p + n - 2, 2);
        acc = (uint64_t)(a | z);
    } else if (n == 1) {
        acc = p[0];
    }
    return acc & GRITE_UTF8_HIGH_BITS_;
}

/* grite_utf8_high_bits of src[0..n) while copying it to dst (which must
 * not overlap it): the same overlapping words, each stored as it is
 * tested, so a short string is read once. Writes exactly dst[0..n). */
static inline uint64_t grite_utf8_copy_high_bits(uint8_t *dst, const uint8_t *src, size_t n)
{
    uint64_t acc = 0;
    if (n >= 8) {
        uint64_t w;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&w, src + i, 8);
            memcpy(dst + i, &w, 8);
            acc |= w;
        }
        memcpy(&w, src + n - 8, 8);
        memcpy(dst + n - 8, &w, 8);
        acc |= w;
    } else if (n >= 4) {
        uint32_t a, z;
        memcpy(&a, src, 4);
        memcpy(&z, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &z, 4);
        acc = a | z;
    } else if (n >= 2) {
        uint16_t a, z;
        memcpy(&a, src, 2);
        memcpy(&z, src + n - 2, 2);
        memcpy(dst, &a, 2);
        memcpy(dst + n - 2, &z, 2);
        acc = (uint64_t)(a | z);
    } else if (n == 1) {
        acc = dst[0] = src[0];
    }
    return acc & GRITE_UTF8_HIGH_BITS_;
}

/* Is p[0..n) valid UTF-8? ASCII text (the common case) is recognised
 * inline; anything else goes to grite_utf8_scan. */
static inline bool grite_utf8_valid(const uint8_t *p, size_t n)
{
    return GRITE_LIKELY(grite_utf8_high_bits(p, n) == 0) || grite_utf8_scan(p, n) == n;
}

/* ---- validation (docs/FORMAT.md 1.5, 1.6) ---------------------------- */

/* The state of one validation: a forward cursor (end of the last object
 * claimed) and a limit (end of the buffer, or of the union payload being
 * walked). All positions are offsets from `base`, in 64 bits, so no sum of
 * u32 fields can overflow. */
typedef struct grite_vctx {
    const uint8_t *base;
    uint64_t size;        /* bytes in the buffer */
    uint64_t cursor;
    uint64_t limit;
    uint32_t max_depth;
    grite_verror *err;
} grite_vctx;

static inline int grite_v_fail(grite_vctx *c, int code, uint64_t at)
{
    return grite_verror_set(c->err, code, at);
}

static inline int grite_v_in_field(grite_vctx *c, int code, const char *name)
{
    return grite_verror_in_field(c->err, code, name);
}

static inline int grite_v_in_index(grite_vctx *c, int code, uint64_t index)
{
    return grite_verror_in_index(c->err, code, index);
}

/* Start validating a root of root_size bytes. */
static inline int grite_v_begin(grite_vctx *c, const void *buf, size_t len, uint32_t root_size,
                                uint32_t max_depth, grite_verror *err)
{
    c->base = (const uint8_t *)buf;
    c->size = len;
    c->cursor = root_size;
    c->limit = len;
    c->max_depth = max_depth;
    c->err = err;
    if (GRITE_UNLIKELY(((uintptr_t)buf & 7) != 0))
        return grite_v_fail(c, GRITE_VERROR_BUFFER_ALIGN, 0);
    if (GRITE_UNLIKELY(len < root_size || buf == NULL))
        return grite_v_fail(c, GRITE_VERROR_BUFFER_TOO_SMALL, len);
    return 0;
}

/* Finish: on success clear err, so it never holds a stale failure. */
static inline int grite_v_end(grite_vctx *c, int rc)
{
    if (rc == 0 && c->err) {
        c->err->code = GRITE_VERROR_OK;
        c->err->offset = 0;
        c->err->path[0] = '\0';
    }
    return rc;
}

/* Data ending at `end` (> limit) does not fit: past the buffer, or only
 * past the enclosing union payload's declared size. */
static inline int grite_v_bounds_code(const grite_vctx *c, uint64_t end, int code)
{
    return end > c->size ? code : GRITE_VERROR_UNION_SIZE;
}

/* Claim the target of the {offset, len} reference at `at`: len elements of
 * elem_size bytes (+ `extra` bytes, the NUL of a string), aligned to
 * `align`, for an object at nesting depth `depth` + 1. On success *target
 * is its offset (0 when len is 0) and the cursor moves past it. */
static inline int grite_v_claim(grite_vctx *c, uint64_t at, uint32_t depth, uint32_t elem_size,
                                uint32_t align, uint32_t extra, uint64_t *target, uint32_t *count)
{
    uint32_t off = grite_ld_u32(c->base + at);
    uint32_t n = grite_ld_u32(c->base + at + 4);
    *count = n;
    *target = 0;
    if (n == 0)
        return GRITE_LIKELY(off == 0) ? 0 : grite_v_fail(c, GRITE_VERROR_EMPTY_NONZERO_OFFSET, at);
    if (GRITE_UNLIKELY(depth >= c->max_depth))
        return grite_v_fail(c, GRITE_VERROR_TOO_DEEP, at);
    uint64_t t = at + off;
    if (GRITE_UNLIKELY(t < c->cursor))
        return grite_v_fail(c, GRITE_VERROR_OVERLAP, at);
    if (GRITE_UNLIKELY(t >= c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, t + 1, GRITE_VERROR_OFFSET_OUT_OF_BOUNDS), at);
    if (GRITE_UNLIKELY((t & (align - 1)) != 0))
        return grite_v_fail(c, GRITE_VERROR_MISALIGNED, at);
    uint64_t end = t + (uint64_t)n * elem_size + extra;
    if (GRITE_UNLIKELY(end > c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, end, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS), at);
    c->cursor = end;
    *target = t;
    return 0;
}

/* A string whose reference failed grite_v_str's combined test: the
 * checks of grite_v_claim in their documented order find which one. */
static GRITE_COLD int grite_v_str_claim_failed(grite_vctx *c, uint64_t at, uint32_t depth)
{
    uint64_t t;
    uint32_t n;
    return grite_v_claim(c, at, depth, 1, 1, 1, &t, &n);
}

/* A string that is not ASCII: UTF-8 (grite_utf8_scan), or where it breaks. */
static GRITE_NOINLINE int grite_v_str_utf8(grite_vctx *c, uint64_t t, uint32_t n)
{
    size_t bad = grite_utf8_scan(c->base + t, n);
    return GRITE_LIKELY(bad == n) ? 0 : grite_v_fail(c, GRITE_VERROR_BAD_UTF8, t + bad);
}

/*
 * A string field at `at`: bounds, NUL terminator, UTF-8. The claim of
 * grite_v_claim for a string (element size 1, alignment 1, 1 extra byte)
 * is one combined test on the success path: with n > 0, `end <= limit`
 * implies `target < limit`, and alignment 1 always holds, so the test
 * accepts exactly what grite_v_claim accepts; on failure,
 * grite_v_str_claim_failed reports the first failing check.
 */
static inline int grite_v_str(grite_vctx *c, uint64_t at, uint32_t depth)
{
    uint32_t off = grite_ld_u32(c->base + at);
    uint32_t n = grite_ld_u32(c->base + at + 4);
    if (n == 0)
        return GRITE_LIKELY(off == 0) ? 0 : grite_v_fail(c, GRITE_VERROR_EMPTY_NONZERO_OFFSET, at);
    uint64_t t = at + off;
    uint64_t end = t + n + 1;
    if (GRITE_UNLIKELY((depth >= c->max_depth) | (t < c->cursor) | (end > c->limit)))
        return grite_v_str_claim_failed(c, at, depth);
    c->cursor = end;
    const uint8_t *p = c->base + t;
    if (GRITE_UNLIKELY(p[n] != 0))
        return grite_v_fail(c, GRITE_VERROR_STRING_UNTERMINATED, t + n);
    if (GRITE_UNLIKELY(grite_utf8_high_bits(p, n) != 0))
        return grite_v_str_utf8(c, t, n);
    return 0;
}

/* A bytes field at `at`: bounds only. */
static inline int grite_v_bytes(grite_vctx *c, uint64_t at, uint32_t depth)
{
    uint64_t t;
    uint32_t n;
    return grite_v_claim(c, at, depth, 1, 1, 0, &t, &n);
}

static inline int grite_v_bool(grite_vctx *c, uint64_t at)
{
    return GRITE_LIKELY(c->base[at] <= 1) ? 0 : grite_v_fail(c, GRITE_VERROR_BAD_BOOL, at);
}

/* The presence byte of an optional at `at`: 0 (absent), 1 (present) or an error. */
static inline int grite_v_option(grite_vctx *c, uint64_t at, bool *present)
{
    uint8_t tag = c->base[at];
    *present = tag == 1;
    return GRITE_LIKELY(tag <= 1) ? 0 : grite_v_fail(c, GRITE_VERROR_BAD_OPTION_TAG, at);
}

/* A union at `at` whose tag has a payload of payload_size bytes aligned to
 * `align`: check {offset, size}, then make the payload's declared subtree
 * the limit. *saved_limit must go back through grite_v_payload_end. */
static inline int grite_v_payload_begin(grite_vctx *c, uint64_t at, uint32_t depth,
                                        uint32_t payload_size, uint32_t align,
                                        uint64_t *target, uint64_t *saved_limit)
{
    uint32_t off = grite_ld_u32(c->base + at + 4);
    uint32_t size = grite_ld_u32(c->base + at + 8);
    uint64_t t = at + 4 + off;
    *target = t;
    *saved_limit = c->limit;
    if (GRITE_UNLIKELY(depth >= c->max_depth))
        return grite_v_fail(c, GRITE_VERROR_TOO_DEEP, at);
    if (GRITE_UNLIKELY(t < c->cursor))
        return grite_v_fail(c, GRITE_VERROR_OVERLAP, at);
    if (GRITE_UNLIKELY(t >= c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, t + 1, GRITE_VERROR_OFFSET_OUT_OF_BOUNDS), at);
    if (GRITE_UNLIKELY((t & (align - 1)) != 0))
        return grite_v_fail(c, GRITE_VERROR_MISALIGNED, at);
    if (GRITE_UNLIKELY(t + size > c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, t + size, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS), at);
    if (GRITE_UNLIKELY(size < payload_size))
        return grite_v_fail(c, GRITE_VERROR_UNION_SIZE, at);
    c->limit = t + size;
    c->cursor = t + payload_size;
    return 0;
}

/* The payload's subtree is done: everything up to its declared end is claimed. */
static inline void grite_v_payload_end(grite_vctx *c, uint64_t saved_limit)
{
    c->cursor = c->limit;
    c->limit = saved_limit;
}

/* A variant without fields: offset and size must be 0. */
static inline int grite_v_empty_variant(grite_vctx *c, uint64_t at)
{
    if (GRITE_LIKELY(grite_ld_u32(c->base + at + 4) == 0 && grite_ld_u32(c->base + at + 8) == 0))
        return 0;
    return grite_v_fail(c, GRITE_VERROR_EMPTY_VARIANT_DATA, at);
}

/* An open union's unknown tag: step over `size` bytes without looking
 * inside (the payload's alignment is unknown, so it is not checked). */
static inline int grite_v_unknown_variant(grite_vctx *c, uint64_t at, uint32_t depth)
{
    uint32_t off = grite_ld_u32(c->base + at + 4);
    uint32_t size = grite_ld_u32(c->base + at + 8);
    if (size == 0)
        return GRITE_LIKELY(off == 0) ? 0 : grite_v_fail(c, GRITE_VERROR_EMPTY_NONZERO_OFFSET, at);
    uint64_t t = at + 4 + off;
    if (GRITE_UNLIKELY(depth >= c->max_depth))
        return grite_v_fail(c, GRITE_VERROR_TOO_DEEP, at);
    if (GRITE_UNLIKELY(t < c->cursor))
        return grite_v_fail(c, GRITE_VERROR_OVERLAP, at);
    if (GRITE_UNLIKELY(t >= c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, t + 1, GRITE_VERROR_OFFSET_OUT_OF_BOUNDS), at);
    if (GRITE_UNLIKELY(t + size > c->limit))
        return grite_v_fail(c, grite_v_bounds_code(c, t + size, GRITE_VERROR_LENGTH_OUT_OF_BOUNDS), at);
    c->cursor = t + size;
    return 0;
}

/* ---- building -------------------------------------------------------- */

/* Take size zeroed bytes aligned to align (a power of two <= 8) at the end
 * of b; *off receives their offset. The common case (room left) is inline;
 * growing and running out of room go through grite_buf_reserve. Offsets,
 * not pointers, are kept across calls: b->data may move when b grows. */
static inline int grite_b_reserve(grite_buf *b, size_t size, size_t align, size_t *off)
{
    size_t start = (b->len + align - 1) & ~(align - 1);
    if (GRITE_LIKELY(start <= b->cap && size <= b->cap - start && start >= b->len)) {
        memset(b->data + b->len, 0, start - b->len + size);
        b->len = start + size;
        *off = start;
        return GRITE_BUILD_OK;
    }
    return grite_buf_reserve(b, size, align, off);
}

/* Like grite_b_reserve, but only the alignment padding is zeroed: the
 * caller writes every one of the `size` bytes itself (string and scalar
 * array contents), which saves clearing them first. */
static inline int grite_b_take(grite_buf *b, size_t size, size_t align, size_t *off)
{
    size_t start = (b->len + align - 1) & ~(align - 1);
    if (GRITE_LIKELY(start <= b->cap && size <= b->cap - start && start >= b->len)) {
        for (size_t i = b->len; i < start; i++)
            b->data[i] = 0;
        b->len = start + size;
        *off = start;
        return GRITE_BUILD_OK;
    }
    return grite_buf_reserve(b, size, align, off);
}

/* Point the reference at `at` to `target` with count n. */
static inline int grite_b_link(grite_buf *b, size_t at, size_t target, size_t n)
{
    if (GRITE_UNLIKELY(target - at > UINT32_MAX || n > UINT32_MAX))
        return GRITE_BUILD_TOO_LARGE;
    grite_st_u32(b->data + at, (uint32_t)(target - at));
    grite_st_u32(b->data + at + 4, (uint32_t)n);
    return GRITE_BUILD_OK;
}

/* Reserve the out-of-line array of a [T] with n elements and link the
 * reference at `at` to it. n == 0 leaves the reference {0, 0}. */
static inline int grite_b_array(grite_buf *b, size_t at, size_t n, size_t elem_size,
                                size_t align, size_t *target)
{
    *target = 0;
    if (n == 0)
        return GRITE_BUILD_OK;
    if (GRITE_UNLIKELY(n > UINT32_MAX || (uint64_t)n * elem_size > SIZE_MAX / 2))
        return GRITE_BUILD_TOO_LARGE;
    int rc = grite_b_reserve(b, n * elem_size, align, target);
    return rc != 0 ? rc : grite_b_link(b, at, *target, n);
}

/* Copy n raw bytes out of line (plus `extra` zero bytes) and link `at`. */
static inline int grite_b_blob(grite_buf *b, size_t at, const void *p, size_t n, size_t extra)
{
    size_t t;
    if (n == 0)
        return GRITE_BUILD_OK;
    if (GRITE_UNLIKELY(n >= UINT32_MAX))
        return GRITE_BUILD_TOO_LARGE;
    int rc = grite_b_take(b, n + extra, 1, &t);
    if (rc != 0)
        return rc;
    memcpy(b->data + t, p, n);
    for (size_t i = 0; i < extra; i++)
        b->data[t + n + i] = 0;
    return grite_b_link(b, at, t, n);
}

/* Strings up to this long are copied and checked in one pass, inline. */
#define GRITE_B_SHORT_STR 256u

/* A long string, or one that needs the buffer to grow: check, then copy. */
static GRITE_NOINLINE int grite_b_str_long(grite_buf *b, size_t at, grite_str s)
{
    if (GRITE_UNLIKELY(!grite_utf8_valid((const uint8_t *)s.ptr, s.len)))
        return GRITE_BUILD_BAD_UTF8;
    return grite_b_blob(b, at, s.ptr, s.len, 1);
}

/*
 * A string: UTF-8 checked, stored with its NUL terminator. A short one
 * that fits in the room left is copied word by word while its ASCII test
 * is computed (grite_utf8_copy_high_bits); only non-ASCII text goes to
 * grite_utf8_scan. The bytes written past b->len before a failure are
 * harmless: b->len only moves on success.
 */
static inline int grite_b_str(grite_buf *b, size_t at, grite_str s)
{
    size_t n = s.len;
    if (n == 0)
        return GRITE_BUILD_OK;
    size_t t = b->len;
    if (GRITE_UNLIKELY((n > GRITE_B_SHORT_STR) | (b->cap - t <= n)))
        return grite_b_str_long(b, at, s);
    const uint8_t *src = (const uint8_t *)s.ptr;
    uint8_t *dst = b->data + t;
    if (GRITE_UNLIKELY(grite_utf8_copy_high_bits(dst, src, n) != 0) && grite_utf8_scan(src, n) != n)
        return GRITE_BUILD_BAD_UTF8;
    dst[n] = 0;
    b->len = t + n + 1;
    return grite_b_link(b, at, t, n);
}

static inline int grite_b_bytes(grite_buf *b, size_t at, grite_bytes v)
{
    return grite_b_blob(b, at, v.ptr, v.len, 0);
}

/* Copy n scalars of `width` bytes each from host order to little-endian. */
static inline void grite_b_copy_le(uint8_t *dst, const void *src, size_t n, size_t width)
{
#ifdef GRITE_BIG_ENDIAN
    const uint8_t *s = (const uint8_t *)src;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < width; k++)
            dst[i * width + k] = s[i * width + width - 1 - k];
#else
    if (n != 0)
        memcpy(dst, src, n * width);
#endif
}

/* A union at `at` gets variant `tag` with a payload of payload_size bytes:
 * write the tag, reserve the payload, point at it. *target is the payload. */
static inline int grite_b_payload_begin(grite_buf *b, size_t at, uint32_t tag,
                                        size_t payload_size, size_t align, size_t *target)
{
    int rc = grite_b_reserve(b, payload_size, align, target);
    if (rc != 0)
        return rc;
    if (GRITE_UNLIKELY(*target - (at + 4) > UINT32_MAX))
        return GRITE_BUILD_TOO_LARGE;
    grite_st_u32(b->data + at, tag);
    grite_st_u32(b->data + at + 4, (uint32_t)(*target - (at + 4)));
    return GRITE_BUILD_OK;
}

/* The payload's subtree is written: record its size. */
static inline int grite_b_payload_end(grite_buf *b, size_t at, size_t target)
{
    if (GRITE_UNLIKELY(b->len - target > UINT32_MAX))
        return GRITE_BUILD_TOO_LARGE;
    grite_st_u32(b->data + at + 8, (uint32_t)(b->len - target));
    return GRITE_BUILD_OK;
}

/* Start a build: forget b's contents and take the root's bytes at offset 0. */
static inline int grite_b_begin(grite_buf *b, size_t root_size, size_t *at)
{
    grite_buf_reset(b);
    return grite_b_reserve(b, root_size, 8, at);
}

/* Finish a build: a failed build leaves b empty, never half a message. */
static inline int grite_b_end(grite_buf *b, int rc)
{
    if (rc != 0)
        b->len = 0;
    return rc;
}

#ifdef __cplusplus
}
#endif

#endif /* GRITE_ARCHIVE_H */
