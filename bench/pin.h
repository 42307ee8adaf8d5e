/*
 * pin.h - where the client and the server run.
 *
 * On a 2-vCPU VM a round trip costs ~11-15 us when both ends share a CPU
 * and ~17-20 us when they sit on different ones, and an unpinned run flips
 * between the two at the scheduler's whim. Pinning makes rows comparable:
 * every row of one run uses the same placement.
 */
#ifndef BENCH_PIN_H
#define BENCH_PIN_H

#include <stdbool.h>

typedef enum pin_mode {
    PIN_SAME,    /* client and server on one CPU */
    PIN_SPLIT,   /* client on one CPU, server on another */
    PIN_NONE     /* let the scheduler choose */
} pin_mode;

typedef struct placement {
    pin_mode mode;
    int client_cpu;   /* -1 when not pinned */
    int server_cpu;
} placement;

/* Parse "same", "split" or "none". Returns false for anything else. */
bool pin_mode_parse(const char *text, pin_mode *mode);

/* "same", "split" or "none". */
const char *pin_mode_name(pin_mode mode);

/* Choose CPUs for `mode` among those this process may run on. Fails
 * (false, message on stderr) when split is asked for on one CPU. */
bool placement_init(placement *p, pin_mode mode);

/* Pin the calling thread (and threads it starts later) to the client's or
 * the server's CPU; a no-op for PIN_NONE. Returns false on failure. */
bool pin_client(const placement *p);
bool pin_server(const placement *p);

#endif
