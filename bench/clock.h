/*
 * clock.h - the one clock every bench figure is measured with, and sleeping
 * for a set time.
 *
 * CLOCK_MONOTONIC through the vDSO costs ~20 ns and never jumps, which is
 * precise enough for round trips of microseconds and for codec batches
 * long enough to swamp it.
 */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

/* Nanoseconds since an arbitrary fixed point. */
static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sleep for ns nanoseconds, the whole time even if a signal interrupts. */
static inline void bench_sleep_ns(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Keep the compiler from deleting a computation whose result is unused. */
static inline void bench_keep(uint64_t v)
{
    __asm__ volatile("" : : "r"(v) : "memory");
}

#endif
