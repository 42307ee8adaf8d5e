/* fuzz_util.c - see fuzz_util.h. */
#include "fuzz_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: broken promise: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void *fuzz_exact_copy(const uint8_t *data, size_t len)
{
    /* malloc(0) gives a 0-byte block (ASan flags any read of it), or NULL. */
    void *p = malloc(len);
    if (p == NULL && len != 0) {
        fputs("fuzz: out of memory\n", stderr);
        abort();
    }
    if (len != 0)
        memcpy(p, data, len);
    return p;
}

uint8_t fuzz_take_u8(fuzz_input *in)
{
    if (in->len == 0)
        return 0;
    uint8_t b = in->data[0];
    in->data++;
    in->len--;
    return b;
}
