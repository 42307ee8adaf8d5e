/*
 * clock.h - time for tests that wait for something: a monotonic clock
 * (wall-clock jumps must not end a wait early or late), a sleep that
 * a signal does not cut short, and how much longer to allow when the
 * whole run is slow.
 */
#ifndef GRITE_TESTS_CLOCK_H
#define GRITE_TESTS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC (from an arbitrary start). */
int64_t test_clock_ms(void);

/* Sleep ms milliseconds, resuming after an interrupting signal. */
void test_sleep_ms(long ms);

/* The test runs under valgrind: RUNNING_ON_VALGRIND, or GRITE_VALGRIND=1
 * in the environment (scripts/valgrind.sh sets it; it also reaches
 * programs a test runs that are not under valgrind themselves). */
bool test_under_valgrind(void);

/* How many times slower than a plain build everything may run: 10 under
 * valgrind, else 1. Valgrind makes each program 10-50x slower, and CI runs
 * two valgrind'd tests, plus the daemons they start, on two cores, so any
 * process can be starved for hundreds of ms. The sanitizer builds are
 * 2-3x slower and have not needed more room than the tests already give. */
#define TEST_VALGRIND_SLOWDOWN 10

/* ms stretched for a slow run (ms * the slowdown above; at most INT_MAX).
 * For two kinds of time a test allows:
 *   - a deadline: "wait until X, give up after ms" - it costs nothing when
 *     X happens, so scale every one;
 *   - a window in which something must NOT run out (a lease that must
 *     outlast the steps that rely on it, and the wait for its end): scale
 *     it, and what is measured against it, together.
 * Never for a time that is itself under test with nothing racing it (a
 * client's 300 ms timeout against a server that never answers). */
int test_scaled_ms(int ms);

#endif
