/*
 * alloc_count.c - the --wrap targets. Relaxed atomics: we need exact
 * totals, not ordering, and the cost (~5 ns) is far below a round trip.
 */
#include "alloc_count.h"

static uint64_t g_allocs;

static void counted(void) { __atomic_add_fetch(&g_allocs, 1, __ATOMIC_RELAXED); }

uint64_t alloc_count_now(void) { return __atomic_load_n(&g_allocs, __ATOMIC_RELAXED); }

void *__wrap_malloc(size_t size)
{
    counted();
    return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    counted();
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    counted();
    return __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
    counted();
    return __real_aligned_alloc(align, size);
}

int __wrap_posix_memalign(void **p, size_t align, size_t size)
{
    counted();
    return __real_posix_memalign(p, align, size);
}

void __wrap_free(void *p) { __real_free(p); }
