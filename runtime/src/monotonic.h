/* monotonic.h - the monotonic clock in microseconds, for deadlines
 * (internal to the transport; clock_gettime is a vDSO call, no syscall). */
#ifndef GRITE_MONOTONIC_H
#define GRITE_MONOTONIC_H

#include <stdint.h>
#include <time.h>

static inline int64_t grite_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
