/*
 * grite_msgs.h - REQ and RESP with grite-ipc's generated code: the builder
 * inputs for the workload's values, and reading every field of the
 * archived messages (the same digest the JSON side computes).
 */
#ifndef BENCH_GRITE_MSGS_H
#define BENCH_GRITE_MSGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grite.h"
#include "workload.h"

/* The builder inputs of REQ and RESP, pointing into a workload. */
typedef struct grite_msgs {
    grite_str req_labels[WL_REQ_LABELS];
    grite_str even_labels[2];
    grite_str odd_labels[1];
    grite_IssueSummary_in issues[WL_ISSUES];
    grite_IpcRequest_in req;
    grite_IpcReply_in resp;
} grite_msgs;

/* Fill m from w (m points into w: keep w alive and in place). */
void grite_msgs_init(grite_msgs *m, const workload *w);

/* Read every field of a validated REQ / RESP into a digest (workload.h). */
uint64_t grite_req_digest(const grite_IpcRequest *req);
uint64_t grite_resp_digest(const grite_IpcReply *resp);

/* Compare every field with the workload's values. */
bool grite_req_matches(const grite_IpcRequest *req, const workload *w);
bool grite_resp_matches(const grite_IpcReply *resp, const workload *w);

/* What every grite client in the bench does with a RESP: read every field
 * into a digest and compare it with want_digest and, with verify_all,
 * compare every field with w's values. */
bool grite_resp_check(const grite_IpcReply *resp, uint64_t want_digest, const workload *w, bool verify_all);

/* REQ and RESP as archives: the bytes the physical limit sends. */
typedef struct grite_wire {
    uint8_t *req;
    size_t req_len;
    uint8_t *resp;
    size_t resp_len;
} grite_wire;

/* Build both archives and check they validate and read back as the
 * workload. False with a message on failure. */
bool grite_wire_init(grite_wire *wire, const workload *w);
void grite_wire_free(grite_wire *wire);

#endif
