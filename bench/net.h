/*
 * net.h - blocking sockets and 4-byte length-prefixed frames for the
 * bench's own transports (the physical limit and JSON over a Unix
 * socket). grite-ipc's rows use the runtime's transport instead.
 *
 * A frame is a big-endian u32 payload length and the payload, the same
 * framing grite-ipc uses, so the byte counts on the wire match.
 */
#ifndef BENCH_NET_H
#define BENCH_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <grite/frame.h>

/* The runtime's framing (grite/frame.h): grite_frame_put_header() writes
 * a header, the same 4 bytes grite-ipc puts on the wire. */
#define FRAME_HEADER_BYTES GRITE_FRAME_HEADER_SIZE

/* A listening Unix stream socket bound at `path` (an old file there is
 * removed first). Returns the fd, or -1 with a message on stderr. */
int uds_listen(const char *path);

/* Connect to the Unix socket at `path`. Returns the fd or -1. */
int uds_connect(const char *path);

/* A listening TCP socket on 127.0.0.1 at a port the kernel picks, stored
 * in *port. Returns the fd, or -1 with a message on stderr. */
int tcp_listen_loopback(uint16_t *port);

/* Write all n bytes (retrying short writes and EINTR). */
bool fd_write_all(int fd, const void *buf, size_t n);

/* Read one whole frame (header included) into buf[0..cap). A frame that
 * arrives whole costs one read(). Returns the payload length (the payload
 * starts at buf + 4), or -1 on EOF, error, a frame larger than cap, or
 * bytes past the end of the frame (ping-pong peers never send those). */
ssize_t frame_read(int fd, uint8_t *buf, size_t cap);

#endif
