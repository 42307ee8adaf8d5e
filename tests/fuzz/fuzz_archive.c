/*
 * fuzz_archive.c - the generated validators of idl/grite.idl on arbitrary
 * bytes, and the generated accessors on everything they accept.
 *
 * Every input is tried as each root (IpcRequest, IpcReply, Notification)
 * and as every other struct and union, since all validators are public.
 * walk.h lists what is checked; in short: an accepted buffer never leads
 * an accessor outside it (the input is copied into a heap block of exactly
 * its size, so AddressSanitizer sees a one-byte overread), reads back as
 * what the format promises, and survives a rebuild unchanged.
 *
 * Seeds: corpus/archive (every variant of every root, the benchmark's REQ
 * and RESP), written by gen_corpus.c.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "walk.h"

/* A buffer that is not 8-aligned is refused before anything is read. */
static void check_misaligned(const uint8_t *data, size_t size)
{
    uint8_t *block = malloc(size + 1);
    FUZZ_CHECK(block != NULL, "out of memory");
    memcpy(block + 1, data, size);
    for (size_t i = 0; i < WALK_ROOT_COUNT; i++) {
        grite_verror err;
        int rc = walk_types[i].validate_depth(block + 1, size, GRITE_VALIDATE_MAX_DEPTH, &err);
        FUZZ_CHECK(rc == GRITE_VERROR_BUFFER_ALIGN && err.offset == 0,
                   "%s: misaligned buffer gave %d, not BUFFER_ALIGN", walk_types[i].name, rc);
    }
    free(block);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *buf = fuzz_exact_copy(data, size);
    for (size_t i = 0; i < walk_type_count; i++)
        walk_check(&walk_types[i], buf, size);
    free(buf);
    check_misaligned(data, size);
    return 0;
}
