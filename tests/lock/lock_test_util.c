/*
 * lock_test_util.c - see lock_test_util.h.
 */
#include "lock_test_util.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

void lt_dir_make(lt_dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/grite-lock-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d->path));
    snprintf(d->lock, sizeof d->lock, "%s/daemon.lock", d->path);
    snprintf(d->sock, sizeof d->sock, "%s/daemon.sock", d->path);
}

void lt_dir_remove(const lt_dir *d)
{
    DIR *dir = opendir(d->path);
    if (dir == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", d->path, e->d_name);
        if (unlink(path) != 0 && errno == EISDIR)
            rmdir(path);
    }
    closedir(dir);
    rmdir(d->path);
}

void lt_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

char *lt_read_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    len = fread(buf, 1, cap, f);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

int lt_count_lines(const char *path)
{
    char *text = lt_read_file(path);
    int lines = 0;
    for (char *p = text; p != NULL && *p != '\0'; p++)
        lines += *p == '\n';
    free(text);
    return lines;
}

void lt_become_subreaper(void)
{
    ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

void lt_kill(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

int lt_wait_exit(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

_Noreturn void lt_linger(pid_t watch)
{
    while (kill(watch, 0) == 0)
        test_sleep_ms(20);
    _exit(0);
}

int lt_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0)
        return -1;
    return fd;
}

pid_t lt_spawn_holder(const lt_dir *d, long lease_ms, bool listen)
{
    int ready[2];
    ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
    pid_t test = getpid();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        grite_daemon_lock *lock;
        grite_lock_error err;
        char ok = grite_daemon_lock_acquire(d->lock, d->sock, lease_ms, &lock, NULL, &err) ==
                  GRITE_LOCK_OK;
        if (ok && listen)
            ok = lt_listen(d->sock) >= 0;
        if (write(ready[1], &ok, 1) != 1)
            _exit(1);
        lt_linger(test);
    }
    close(ready[1]);
    char ok = 0;
    ck_assert_int_eq(read(ready[0], &ok, 1), 1);
    close(ready[0]);
    if (!ok)
        lt_kill(pid);
    ck_assert_msg(ok, "the holder child could not acquire the lock");
    return pid;
}

void lt_gate_init(lt_gate *g)
{
    ck_assert_int_eq(pipe2(g->fds, O_CLOEXEC), 0);
}

void lt_gate_wait(lt_gate *g)
{
    close(g->fds[1]);
    char c;
    while (read(g->fds[0], &c, 1) < 0 && errno == EINTR) {
    }
    close(g->fds[0]);
}

void lt_gate_close_child_side(lt_gate *g)
{
    close(g->fds[0]);
}

void lt_gate_open(lt_gate *g)
{
    close(g->fds[1]);
}

