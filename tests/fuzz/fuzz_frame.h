/*
 * fuzz_frame.h - the layout of a fuzz_frame input, shared with the corpus
 * generator: FUZZ_FRAME_PARAM_BYTES parameter bytes (fuzz_frame_params, in
 * field order), then the byte stream a client sends a server.
 */
#ifndef GRITE_FUZZ_FRAME_H
#define GRITE_FUZZ_FRAME_H

#include <stdint.h>

#define FUZZ_FRAME_PARAM_BYTES 3

typedef struct fuzz_frame_params {
    uint8_t max_frame;    /* 0: the default (16 MiB); else max_frame * 8 bytes */
    uint8_t chunk;        /* 0: each read fills the room offered; else 1..chunk bytes */
    uint8_t initial_cap;  /* receive buffer to start with: initial_cap * 16 bytes */
} fuzz_frame_params;

#endif
