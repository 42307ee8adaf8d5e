/* test_noalloc.c - once warm, a call allocates nothing, on either side.
 *
 * This binary is linked with -Wl,--wrap=malloc (and calloc, realloc,
 * posix_memalign, aligned_alloc), so every allocation made by code linked
 * into it, the runtime included, goes through the counters below. (Calls
 * made inside shared libraries, e.g. libc's own, are not counted; the
 * runtime calls none that allocate per call.) The server runs in a forked
 * copy of this binary and reports its own count on request (OP_MALLOCS). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "transport_test_util.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);

static uint64_t allocations;

void *__wrap_malloc(size_t n)
{
    allocations++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    allocations++;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    allocations++;
    return __real_realloc(p, n);
}

int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    allocations++;
    return __real_posix_memalign(p, align, n);
}

void *__wrap_aligned_alloc(size_t align, size_t n)
{
    allocations++;
    return __real_aligned_alloc(align, n);
}

static uint64_t allocation_count(void) { return allocations; }

/* The counter sees an allocation the runtime makes: otherwise a zero below
 * would prove nothing. */
START_TEST(counter_sees_runtime_allocations)
{
    uint64_t before = allocations;
    grite_client_options o = {.validate_response = tmsg_validate};
    grite_client *c = grite_client_new("/nonexistent/x.sock", &o);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_gt(allocations, before);
    grite_client_free(c);
}
END_TEST

/* Sizes vary within what the warm-up already saw. */
static size_t payload_for(uint64_t i) { return (size_t)(i * 37 % 3000); }

static int calls(grite_client *c, grite_buf *b, uint64_t from, uint64_t n)
{
    int bad = 0;
    for (uint64_t i = from; i < from + n; i++) {
        const void *resp;
        size_t len;
        if (tmsg_build(b, OP_ECHO, i, i, payload_for(i)) != 0) bad++;
        else if (grite_client_call(c, b, &resp, &len) != 0) bad++;
        else if (len != TMSG_HEADER + payload_for(i)) bad++;
    }
    return bad;
}

START_TEST(warm_calls_do_not_allocate)
{
    test_rig r;
    test_rig_start(&r, &(test_server_cfg){.malloc_count = allocation_count}, 5000);

    ck_assert_int_eq(calls(r.client, &r.buf, 0, 200), 0);   /* warm up: buffers reach their size */
    uint64_t server_before = test_call_ok(r.client, &r.buf, OP_MALLOCS, 1, 0, 0);
    uint64_t client_before = allocations;
    int bad = calls(r.client, &r.buf, 1000, 2000);
    uint64_t client_after = allocations;
    uint64_t server_after = test_call_ok(r.client, &r.buf, OP_MALLOCS, 2, 0, 0);

    ck_assert_int_eq(bad, 0);
    ck_assert_uint_eq(client_after - client_before, 0);
    ck_assert_uint_eq(server_after - server_before, 0);
    test_rig_stop(&r);
}
END_TEST

int main(void)
{
    const TTest *tests[] = {counter_sees_runtime_allocations, warm_calls_do_not_allocate, NULL};
    return test_run_case("transport_noalloc", "noalloc", 30, tests);
}
