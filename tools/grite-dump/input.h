/*
 * input.h - grite-dump's input: a file or standard input, cut into frames
 * (docs/FORMAT.md section 2) by the runtime's receive buffer, or read
 * whole as one raw archive. Every body handed out is 8-aligned, so the
 * generated validators run on it in place.
 */
#ifndef GRITE_DUMP_INPUT_H
#define GRITE_DUMP_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <grite/frame.h>

typedef struct dump_input {
    int fd;
    const char *name;       /* for messages: the path, or "standard input" */
    bool eof;
    bool holding;           /* a frame was handed out and is not consumed yet */
    size_t held_len;        /* its body length */
    uint64_t offset;        /* input offset of the next frame's header */
    grite_frame_rx rx;
} dump_input;

/* Open path (NULL or "-": standard input) for frames of at most max_frame
 * body bytes. Returns 0, or -1 with errno set. */
int input_open(dump_input *in, const char *path, size_t max_frame);
void input_close(dump_input *in);

typedef enum frame_event {
    FRAME_OK,           /* a whole frame: body, len */
    FRAME_END,          /* the input ended cleanly after the last frame */
    FRAME_TRUNCATED,    /* the input ended inside a frame: have bytes of it are present */
    FRAME_TOO_LARGE,    /* the frame announces len > max_frame bytes: cannot go on */
    FRAME_READ_ERROR    /* read() failed (errno in err), or out of memory (err ENOMEM) */
} frame_event;

typedef struct frame_info {
    uint64_t offset;        /* of the 4-byte header in the input */
    const uint8_t *body;    /* FRAME_OK: 8-aligned, valid until the next input_next_frame */
    size_t len;             /* the announced body length (FRAME_TRUNCATED: if header_complete) */
    size_t have;            /* FRAME_TRUNCATED: bytes present from the header on */
    bool header_complete;   /* FRAME_TRUNCATED: all 4 header bytes arrived */
    int err;                /* FRAME_READ_ERROR: errno */
} frame_info;

/* The next frame, or why there is none. */
frame_event input_next_frame(dump_input *in, frame_info *f);

/* Read the whole input (at most max bytes) into a malloc'ed 8-aligned
 * buffer. Returns 0, -1 with errno set, or 1 if the input is larger. */
int input_read_all(dump_input *in, size_t max, uint8_t **data, size_t *len);

#endif
