/*
 * walk.h - everything a validated grite.idl archive promises, checked by
 * reading it back through the generated accessors.
 *
 * walk_check() validates untrusted bytes as one type. When the validator
 * rejects them, the rejection must be well formed (a code, an offset
 * inside the buffer, a path that formats) and the same on a second run and
 * without the nesting limit (unless the limit was the reason). When it
 * accepts them, every field is read through the accessors (a hand-written
 * walk over grite.idl, below) and checked:
 *
 *  - every view (string, vector array, union payload) lies inside the
 *    buffer and is aligned for its type; strings are NUL-terminated and
 *    well-formed UTF-8 by a decoder written here, not the runtime's;
 *  - out-of-line objects come in the pre-order of docs/FORMAT.md 1.5,
 *    each starting at or after the end of the previous one (so none
 *    overlap) and ending inside the enclosing union payload's subtree;
 *  - the deepest object is exactly as deep as the validator's limit says:
 *    accepted with that limit, TOO_DEEP with one less;
 *  - the accessor promises of docs/GENERATED_API.md: an absent optional
 *    reads as 0 / "", as_V() is non-NULL exactly for the tag's variant,
 *    enum and variant names exist for every accepted value;
 *  - the generated JSON printer prints it as valid JSON (json_check.h);
 *  - what was read builds again (P_T_build returns 0), the rebuilt archive
 *    validates, reads back the same values, is no longer than the
 *    original, and building what it reads gives the same bytes again
 *    (the canonical form is a fixed point).
 *
 * Any broken promise aborts (fuzz_util.h).
 */
#ifndef GRITE_FUZZ_WALK_H
#define GRITE_FUZZ_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grite.h"
#include "json_check.h"

typedef struct walker walker;

/* One struct or union of grite.idl, as a root. */
typedef struct walk_type {
    const char *name;     /* "IpcRequest" */
    size_t in_size;       /* sizeof(grite_T_in) */
    int (*validate_depth)(const void *buf, size_t len, uint32_t max_depth, grite_verror *err);
    /* Read the validated root at `root` into the grite_T_in at `in`. */
    void (*walk)(walker *w, const void *root, void *in);
    int (*build)(grite_buf *b, const void *in);
    /* grite_T_to_json on the root at `root`. */
    int (*to_json)(const void *root, grite_json *out);
} walk_type;

/* The three roots of grite.idl (IpcRequest, IpcReply, Notification), then
 * every other struct and union (their validators are public API too). */
extern const walk_type walk_types[];
extern const size_t walk_type_count;
#define WALK_ROOT_COUNT 3

/* The entry of walk_types called `name`, or NULL. */
const walk_type *walk_type_find(const char *name);

/* Validate buf[0..len) (8-aligned) as type t and check everything above.
 * Returns whether the validator accepted it. */
bool walk_check(const walk_type *t, const void *buf, size_t len);

/* A validated archive read back into builder input, for a harness that
 * changes a message and builds it again. */
typedef struct walk_input walk_input;

/* The grite_T_in of buf[0..len) (8-aligned) if t's validator accepts it,
 * else NULL. Its strings point into buf; walk_input_value() is the
 * grite_T_in, alive (and writable) until walk_input_free(). */
walk_input *walk_read(const walk_type *t, const void *buf, size_t len);
void *walk_input_value(walk_input *in);
void walk_input_free(walk_input *in);

#endif
