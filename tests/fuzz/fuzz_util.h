/*
 * fuzz_util.h - what every harness shares: how a broken promise is
 * reported, and small helpers for turning fuzz bytes into parameters.
 *
 * A harness reports a finding by aborting (libFuzzer then saves the input;
 * the replay test sees the signal). FUZZ_CHECK states a promise of the
 * code under test, not a condition on the input: any input may reach it.
 */
#ifndef GRITE_FUZZ_UTIL_H
#define GRITE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define FUZZ_NORETURN __attribute__((noreturn))
#define FUZZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FUZZ_NORETURN
#define FUZZ_PRINTF(a, b)
#endif

/* Print "file:line: broken promise: <message>" to stderr and abort(). */
FUZZ_NORETURN void fuzz_fail(const char *file, int line, const char *fmt, ...) FUZZ_PRINTF(3, 4);

#define FUZZ_CHECK(cond, ...)                                   \
    do {                                                        \
        if (!(cond))                                            \
            fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);         \
    } while (0)

/* A copy of data[0..len) in a heap block of exactly len bytes (malloc's
 * alignment, at least 8), so AddressSanitizer flags a read of even one
 * byte past the end. Not NULL unless len is 0 (a failed malloc aborts);
 * free() it. */
void *fuzz_exact_copy(const uint8_t *data, size_t len);

/* Parameters taken from the front of a fuzz input: fuzz_take_u8 returns
 * the next byte (0 once the input is used up) and advances. */
typedef struct fuzz_input {
    const uint8_t *data;
    size_t len;
} fuzz_input;

uint8_t fuzz_take_u8(fuzz_input *in);

/* The harness entry point libFuzzer calls; also what replay.c drives. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
