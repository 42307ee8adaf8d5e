/*
 * clock.h - time for tests that wait for something: a monotonic clock
 * (wall-clock jumps must not end a wait early or late) and a sleep that
 * a signal does not cut short.
 */
#ifndef GRITE_TESTS_CLOCK_H
#define GRITE_TESTS_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC (from an arbitrary start). */
int64_t test_clock_ms(void);

/* Sleep ms milliseconds, resuming after an interrupting signal. */
void test_sleep_ms(long ms);

#endif
