/*
 * iov.h - a partial sendmsg() leaves part of a frame unsent; these helpers
 * move the iovec array past what went out, for the client and the server.
 */
#ifndef GRITE_RUNTIME_IOV_H
#define GRITE_RUNTIME_IOV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* Drop `n` sent bytes from the front of m's iovec array, and with them
 * every empty iovec they leave in front (an empty frame body ends the
 * array): msg_iovlen is 0 exactly when nothing is left to send, where a
 * trailing empty iovec would make a caller wait for a send of 0 bytes. */
static inline void iov_advance(struct msghdr *m, size_t n)
{
    while (m->msg_iovlen > 0) {
        struct iovec *v = m->msg_iov;
        size_t take = n < v->iov_len ? n : v->iov_len;
        v->iov_base = (uint8_t *)v->iov_base + take;
        v->iov_len -= take;
        n -= take;
        if (v->iov_len != 0) break;
        m->msg_iov++;
        m->msg_iovlen--;
    }
}

#endif
