/* raw_socket.c - raw bytes on the daemon's socket (raw_socket.h). */
#include "raw_socket.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "grite/frame.h"

int raw_connect(const char *path, int timeout_ms)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) return -1;
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int raw_send(int fd, const void *p, size_t n)
{
    const uint8_t *at = p;
    while (n > 0) {
        ssize_t w = send(fd, at, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        at += w;
        n -= (size_t)w;
    }
    return 0;
}

int raw_recv_exact(int fd, void *p, size_t n)
{
    uint8_t *at = p;
    while (n > 0) {
        ssize_t r = recv(fd, at, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) return 1;
        if (r < 0) return -1;
        at += r;
        n -= (size_t)r;
    }
    return 0;
}

bool raw_expect_eof(int fd)
{
    uint8_t byte;
    for (;;) {
        ssize_t r = recv(fd, &byte, 1, 0);
        if (r < 0 && errno == EINTR) continue;
        return r == 0 || (r < 0 && errno == ECONNRESET);
    }
}

int raw_put_frame(grite_buf *out, const void *body, size_t len)
{
    size_t off;
    if (grite_buf_reserve(out, GRITE_FRAME_HEADER_SIZE + len, 1, &off) != 0) return -1;
    grite_frame_put_header(out->data + off, (uint32_t)len);
    if (len) memcpy(out->data + off + GRITE_FRAME_HEADER_SIZE, body, len);
    return 0;
}

int raw_put_hello(grite_buf *out, grite_session_hello_kind kind, uint64_t fingerprint)
{
    size_t off;
    if (grite_buf_reserve(out, GRITE_SESSION_HELLO_FRAME_SIZE, 1, &off) != 0) return -1;
    grite_session_hello_encode(out->data + off, kind, fingerprint, GRITE_FRAME_MAX_DEFAULT);
    return 0;
}

int raw_read_hello(int fd, grite_session_hello_kind *kind)
{
    uint8_t frame[GRITE_SESSION_HELLO_FRAME_SIZE];
    if (raw_recv_exact(fd, frame, sizeof frame) != 0) return -1;
    if (grite_frame_get_length(frame) != GRITE_SESSION_HELLO_SIZE) return -1;
    grite_session_hello h;
    if (grite_session_hello_decode(frame + GRITE_FRAME_HEADER_SIZE, GRITE_SESSION_HELLO_SIZE, &h) != NULL) return -1;
    *kind = h.kind;
    return 0;
}

const grite_IpcReply *raw_read_reply(int fd, void *buf, size_t cap, char *why, size_t why_n)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    int rc = raw_recv_exact(fd, header, sizeof header);
    if (rc != 0) {
        snprintf(why, why_n, "no reply frame: %s", rc > 0 ? "the daemon closed the connection" : strerror(errno));
        return NULL;
    }
    uint32_t len = grite_frame_get_length(header);
    if (len > cap) {
        snprintf(why, why_n, "reply frame of %u bytes, more than the %zu expected", len, cap);
        return NULL;
    }
    rc = raw_recv_exact(fd, buf, len);
    if (rc != 0) {
        snprintf(why, why_n, "reply frame cut short: %s", rc > 0 ? "the daemon closed the connection" : strerror(errno));
        return NULL;
    }
    grite_verror verr;
    if (grite_IpcReply_validate(buf, len, &verr) != 0) {
        char text[256];
        grite_verror_format(&verr, text, sizeof text);
        snprintf(why, why_n, "the reply fails validation: %s", text);
        return NULL;
    }
    return grite_IpcReply_root(buf);
}
