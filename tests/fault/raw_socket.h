/* raw_socket.h - bytes on the daemon's Unix socket without the runtime's
 * client, for what no well-behaved client sends: junk before the hello,
 * half frames, lengths above the limit, garbage bodies, pipelined
 * requests, a wrong fingerprint. Frames and hellos are laid out as in
 * docs/FORMAT.md (sections 2 and 3), with the runtime's own encoders.
 *
 * Every call is blocking with a deadline (SO_RCVTIMEO / SO_SNDTIMEO), so a
 * daemon that stops answering fails the caller instead of hanging it. */
#ifndef GRITE_TESTS_FAULT_RAW_SOCKET_H
#define GRITE_TESTS_FAULT_RAW_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grite.h"
#include "grite/session.h"

/* Connect to path; -1 on failure. Both directions time out after timeout_ms. */
int raw_connect(const char *path, int timeout_ms);

/* Send all n bytes; 0, or -1 (errno). */
int raw_send(int fd, const void *p, size_t n);

/* Receive exactly n bytes: 0; 1 if the peer closed first; -1 on an error
 * or the timeout (errno). */
int raw_recv_exact(int fd, void *p, size_t n);

/* The peer closes the connection (EOF or a reset) without sending a byte.
 * false if data arrives, or nothing happens within the socket's timeout. */
bool raw_expect_eof(int fd);

/* Append a frame (4-byte big-endian length, then the body) to out. */
int raw_put_frame(grite_buf *out, const void *body, size_t len);

/* Append a hello frame of `kind` with `fingerprint` to out. */
int raw_put_hello(grite_buf *out, grite_session_hello_kind kind, uint64_t fingerprint);

/* Read the server's hello: 0 and *kind, or -1 if it is not a hello. */
int raw_read_hello(int fd, grite_session_hello_kind *kind);

/* Read one response frame into buf (8-aligned, at most cap bytes) and
 * validate it as an IpcReply: the reply, or NULL with why filled in. */
const grite_IpcReply *raw_read_reply(int fd, void *buf, size_t cap, char *why, size_t why_n);

#endif
