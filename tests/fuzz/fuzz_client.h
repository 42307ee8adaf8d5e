/*
 * fuzz_client.h - the layout of a fuzz_client input, shared with the corpus
 * generator: FUZZ_CLIENT_PARAM_BYTES parameter bytes (fuzz_client_params,
 * in field order), then the byte stream a server sends the client.
 */
#ifndef GRITE_FUZZ_CLIENT_H
#define GRITE_FUZZ_CLIENT_H

#include <stdint.h>

#define FUZZ_CLIENT_PARAM_BYTES 2

/* Bits of fuzz_client_params.options. */
#define FUZZ_CLIENT_SMALL_BUFFER 1u     /* receive buffer of 64 bytes, not 64 KiB */
#define FUZZ_CLIENT_SMALL_MAX_FRAME 2u  /* max frame 1 KiB, not 16 MiB */

typedef struct fuzz_client_params {
    uint8_t options;   /* FUZZ_CLIENT_* bits */
    uint8_t calls;     /* calls to make, 1 + calls % 4 */
} fuzz_client_params;

#endif
