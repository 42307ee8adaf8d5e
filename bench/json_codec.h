/*
 * json_codec.h - REQ and RESP as JSON with cJSON, doing the same work as
 * grite-ipc's generated code: encode from in-memory values, parse and
 * check every field's presence and type (JSON's "validate"), read every
 * field.
 *
 * The JSON follows serde's default shape for the Rust crate's types: a
 * union is an object with one key, the variant name. cJSON is used the
 * fastest idiomatic way (constant keys and string references, printing
 * into a caller-owned buffer), so the comparison is not against a straw
 * man.
 */
#ifndef BENCH_JSON_CODEC_H
#define BENCH_JSON_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "workload.h"

/* Encode REQ / RESP into out[0..cap) (NUL-terminated); *len gets the
 * length without the NUL. False when cap is too small or memory ran out. */
bool json_req_encode(const workload *w, char *out, size_t cap, size_t *len);
bool json_resp_encode(const workload *w, char *out, size_t cap, size_t *len);

/* Parse untrusted bytes and check REQ's / RESP's shape: every field
 * present with its type, the union holding the expected variant. Returns
 * the tree (free with cJSON_Delete) or NULL. */
cJSON *json_req_parse(const char *buf, size_t len);
cJSON *json_resp_parse(const char *buf, size_t len);

/* Read every field of a checked tree into a digest (workload.h). */
uint64_t json_req_digest(const cJSON *req);
uint64_t json_resp_digest(const cJSON *resp);

/* Compare every field of a checked tree with the workload's values. */
bool json_req_matches(const cJSON *req, const workload *w);
bool json_resp_matches(const cJSON *resp, const workload *w);

/* What a server does with a REQ and a client with a RESP, all in one:
 * parse and check buf[0..len), read every field and compare the digest
 * with want_digest and, with verify_all, every field with w's values.
 * False when any of it fails. */
bool json_req_check(const char *buf, size_t len, uint64_t want_digest, const workload *w, bool verify_all);
bool json_resp_check(const char *buf, size_t len, uint64_t want_digest, const workload *w, bool verify_all);

#endif
