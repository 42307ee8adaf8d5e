/* store_file.c - small POSIX helpers: whole reads and writes that survive
 * EINTR and short transfers, fsync of a directory, and flock with a
 * deadline (a stuck peer makes us report "busy", never hang). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"

int store_write_all_at(int fd, const void *data, size_t len, uint64_t offset)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        p += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

int store_read_all_at(int fd, void *data, size_t len, uint64_t offset)
{
    uint8_t *p = data;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, (off_t)offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return -1;
        p += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

int store_file_open(const char *path, int flags)
{
    return open(path, flags | O_NONBLOCK | O_CLOEXEC, 0644);
}

int store_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    return rc;
}

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

enum grite_store_status store_file_lock(int fd, int op, unsigned timeout_ms, const char *what,
                                        struct grite_store_error *err)
{
    uint64_t deadline = monotonic_ms() + timeout_ms;
    unsigned pause = 1;
    for (;;) {
        if (flock(fd, op | LOCK_NB) == 0)
            return GRITE_STORE_OK;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return store_fail_errno(err, errno, what, "cannot lock");
        if (monotonic_ms() >= deadline)
            return store_fail(err, GRITE_STORE_BUSY,
                              "%s is still locked by another writer after %u ms", what,
                              timeout_ms);
        sleep_ms(pause);
        if (pause < 8)
            pause *= 2;
    }
}

void store_file_unlock(int fd)
{
    while (flock(fd, LOCK_UN) != 0 && errno == EINTR) {
    }
}

bool store_join_path(char *out, size_t cap, const char *dir, const char *name,
                     struct grite_store_error *err)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap) {
        store_fail(err, GRITE_STORE_INVALID_ARGS, "path too long: %s/%s", dir, name);
        return false;
    }
    return true;
}
