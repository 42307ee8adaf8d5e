/* clock.c - see clock.h. */
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

int64_t test_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void test_sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

bool test_under_valgrind(void)
{
#ifdef RUNNING_ON_VALGRIND
    if (RUNNING_ON_VALGRIND) return true;
#endif
    const char *v = getenv("GRITE_VALGRIND");
    return v && strcmp(v, "1") == 0;
}

int test_scaled_ms(int ms)
{
    int factor = test_under_valgrind() ? TEST_VALGRIND_SLOWDOWN : 1;
    return ms > INT_MAX / factor ? INT_MAX : ms * factor;
}
