/*
 * messages.h - every sample message (samples.h) behind one interface, so
 * a suite can loop over "all messages of all roots" and build, validate
 * and dump each the same way.
 */
#ifndef GRITE_TEST_MESSAGES_H
#define GRITE_TEST_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "dumper.h"
#include "grite/buf.h"
#include "roots.h"

typedef struct message {
    char name[80];                               /* "IpcRequest IssueCreate/empty" */
    const root_type *root;
    const void *in;                              /* a P_T_in */
    int (*build)(grite_buf *b, const void *in);  /* P_T_build */
    void (*dump_in)(dumper *d, const void *in);  /* dump_in_T */
} message;

/* Every sample of every root, then the benchmark's REQ and RESP. */
const message *all_messages(size_t *n);

/* How many all_messages() has, and the i-th: a loop test over every
 * message runs message_count() times, on message_at(_i). */
int message_count(void);
const message *message_at(int i);
const message *bench_req_message(void);
const message *bench_resp_message(void);

/* The message called `name` (e.g. "IpcRequest Doctor"); fails the current
 * test if there is none. */
const message *find_message(const char *name);

/* Build m into a new growable buffer (free with grite_buf_free); fails the
 * current test if the builder does. */
grite_buf build_message(const message *m);

/* m's builder input as text (dumper.h), owned by the caller (tb_free). */
textbuf input_text(const message *m);

#endif
