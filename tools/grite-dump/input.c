/*
 * input.c - reading grite-dump's input. Frames go through the runtime's
 * grite_frame_rx exactly as a socket's bytes would, so the tool applies
 * the transport's limits (an announced length above max_frame is refused
 * before anything is allocated for it) and gets 8-aligned bodies.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INITIAL_RX 65536

int input_open(dump_input *in, const char *path, size_t max_frame)
{
    memset(in, 0, sizeof *in);
    if (!path || strcmp(path, "-") == 0) {
        in->fd = STDIN_FILENO;
        in->name = "standard input";
    } else {
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        in->name = path;
        if (in->fd < 0)
            return -1;
    }
    if (grite_frame_rx_init(&in->rx, INITIAL_RX, max_frame) != 0) {
        input_close(in);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void input_close(dump_input *in)
{
    if (in->fd > STDIN_FILENO)
        close(in->fd);
    in->fd = -1;
    grite_frame_rx_free(&in->rx);
}

/* Read once into the receive buffer; sets eof at the end of the input. */
static int fill(dump_input *in)
{
    uint8_t *at;
    size_t room;
    if (grite_frame_rx_space(&in->rx, &at, &room) != 0) {
        errno = ENOMEM;
        return -1;
    }
    ssize_t n;
    do
        n = read(in->fd, at, room);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0)
        in->eof = true;
    else
        grite_frame_rx_commit(&in->rx, (size_t)n);
    return 0;
}

static frame_event truncated(dump_input *in, frame_info *f)
{
    f->have = grite_frame_rx_pending(&in->rx);
    f->header_complete = f->have >= GRITE_FRAME_HEADER_SIZE;
    if (f->header_complete)
        f->len = grite_frame_get_length(in->rx.data + in->rx.start);
    return FRAME_TRUNCATED;
}

frame_event input_next_frame(dump_input *in, frame_info *f)
{
    memset(f, 0, sizeof *f);
    if (in->holding) {
        in->offset += GRITE_FRAME_HEADER_SIZE + (uint64_t)in->held_len;
        grite_frame_rx_consume(&in->rx);
        in->holding = false;
    }
    f->offset = in->offset;
    for (;;) {
        switch (grite_frame_rx_frame(&in->rx, &f->body, &f->len)) {
        case GRITE_FRAME_RX_FRAME:
            in->holding = true;
            in->held_len = f->len;
            return FRAME_OK;
        case GRITE_FRAME_RX_TOO_LARGE:
            return FRAME_TOO_LARGE;
        case GRITE_FRAME_RX_NEED_MORE:
            break;
        }
        if (in->eof)
            return grite_frame_rx_pending(&in->rx) ? truncated(in, f) : FRAME_END;
        if (fill(in) != 0) {
            f->err = errno;
            return FRAME_READ_ERROR;
        }
    }
}

static int grow(uint8_t **buf, size_t *cap)
{
    uint8_t *bigger = realloc(*buf, *cap * 2);
    if (!bigger)
        return -1;
    *buf = bigger;
    *cap *= 2;
    return 0;
}

int input_read_all(dump_input *in, size_t max, uint8_t **data, size_t *len)
{
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);   /* malloc's alignment is at least 8 */
    int rc = buf ? 0 : -1;
    while (rc == 0) {
        if (n == cap && grow(&buf, &cap) != 0) {
            rc = -1;
            break;
        }
        ssize_t got = read(in->fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            rc = got < 0 ? -1 : 0;
            break;
        }
        n += (size_t)got;
        if (n > max)
            rc = 1;   /* stop reading: it cannot be accepted anyway */
    }
    if (rc != 0) {
        int saved = buf ? errno : ENOMEM;
        free(buf);
        errno = saved;
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}
