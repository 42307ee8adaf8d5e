/*
 * grite/verror.h - why a validator rejected a buffer, and where.
 *
 * One code per check that can fail (see docs/FORMAT.md 1.6), so a test can
 * assert *why* input was rejected. The list is an X-macro: the enum and
 * the texts come from the same lines and cannot drift apart.
 */
#ifndef GRITE_VERROR_H
#define GRITE_VERROR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, "text") -- codes are numbered from 1 in this order; never
 * reorder, only append (the numbers appear in logs and tools). */
#define GRITE_VERROR_LIST(X) \
    X(BUFFER_ALIGN,        "buffer is not 8-byte aligned") \
    X(BUFFER_TOO_SMALL,    "buffer is smaller than the root") \
    X(OFFSET_OUT_OF_BOUNDS,"offset points outside the buffer") \
    X(LENGTH_OUT_OF_BOUNDS,"data extends past the end of the buffer") \
    X(MISALIGNED,          "out-of-line data is misaligned") \
    X(OVERLAP,             "out-of-line data overlaps or precedes earlier data") \
    X(EMPTY_NONZERO_OFFSET,"empty value has a nonzero offset") \
    X(STRING_UNTERMINATED, "string is not followed by a NUL byte") \
    X(BAD_UTF8,            "string is not valid UTF-8") \
    X(BAD_BOOL,            "bool is neither 0 nor 1") \
    X(BAD_OPTION_TAG,      "option tag is neither 0 nor 1") \
    X(BAD_ENUM_VALUE,      "enum value is not declared") \
    X(BAD_UNION_TAG,       "union tag is not declared") \
    X(EMPTY_VARIANT_DATA,  "variant without fields has an offset or size") \
    X(UNION_SIZE,          "union payload exceeds its declared size") \
    X(TOO_DEEP,            "nesting is too deep")

typedef enum grite_verror_code {
    GRITE_VERROR_OK = 0,
#define GRITE_VERROR_ENUM_(name, text) GRITE_VERROR_##name,
    GRITE_VERROR_LIST(GRITE_VERROR_ENUM_)
#undef GRITE_VERROR_ENUM_
    GRITE_VERROR_COUNT_
} grite_verror_code;

#define GRITE_VERROR_PATH_MAX 256
#define GRITE_VALIDATE_MAX_DEPTH 64   /* default nesting limit */

/* Filled by validators: cleared (code 0, empty path) on success. */
typedef struct grite_verror {
    grite_verror_code code;
    uint32_t offset;                    /* byte offset of the offending data (FORMAT.md 1.6) */
    char path[GRITE_VERROR_PATH_MAX];   /* e.g. "command.IssueCreate.labels[2]"; "" for the root */
} grite_verror;

/* Every generated root validator has this type; it returns 0 (OK) or the
 * code it also stores in *err (err may be NULL). */
typedef int (*grite_validate_fn)(const void *buf, size_t len, grite_verror *err);

/* "string offset out of bounds"-style text for a code ("unknown error" for
 * codes outside the list). */
const char *grite_verror_text(int code);

/* The code's symbolic name, e.g. "OFFSET_OUT_OF_BOUNDS". */
const char *grite_verror_name(int code);

/* "<path>: <text> (at offset N)" into out ("<text> (at offset N)" when the
 * path is empty, i.e. the root itself failed); returns what snprintf returns. */
int grite_verror_format(const grite_verror *err, char *out, size_t n);

/* ---- used by generated validators, only once something has failed ---- */

/* Record a failure in err (which may be NULL): code, offset (clamped to
 * u32), empty path. Returns code. */
int grite_verror_set(grite_verror *err, int code, uint64_t offset);

/* Prepend a path segment while a failure unwinds, so the innermost check
 * records the error and each enclosing level adds its name:
 * "[2]" -> "labels[2]" -> "IssueCreate.labels[2]" -> "command.IssueCreate.labels[2]".
 * If the path does not fit GRITE_VERROR_PATH_MAX, its innermost end is cut.
 * Both return code and accept err == NULL. */
int grite_verror_in_field(grite_verror *err, int code, const char *name);
int grite_verror_in_index(grite_verror *err, int code, uint64_t index);

#ifdef __cplusplus
}
#endif

#endif /* GRITE_VERROR_H */
