/*
 * alloc_count.h - counting heap allocations of the code linked into the
 * bench (our sources and the static grite runtime).
 *
 * The bench links with -Wl,--wrap=malloc,... so every call our objects
 * make lands in __wrap_malloc & co., which count and forward to libc.
 * Shared libraries (cJSON, libcurl, libc itself) are not wrapped, so the
 * figure is exactly "allocations made by grite-ipc code", which is what
 * the zero-allocation target is about. Counters are process-wide and
 * atomic, so threads may allocate concurrently. (Without the link flags
 * __real_malloc is undefined, so a build cannot silently count nothing.)
 */
#ifndef BENCH_ALLOC_COUNT_H
#define BENCH_ALLOC_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* Allocations so far (malloc, calloc, realloc, aligned_alloc,
 * posix_memalign) in this process. A fork()ed child starts from the
 * parent's count and counts its own from there. */
uint64_t alloc_count_now(void);

/* The wrappers themselves (prototypes for -Wmissing-prototypes). */
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_posix_memalign(void **p, size_t align, size_t size);
void __wrap_free(void *p);
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **p, size_t align, size_t size);
void __real_free(void *p);

#endif
