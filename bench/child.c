/*
 * child.c - forking, pinning and reaping server processes.
 */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_count.h"
#include "clock.h"

server_report *server_report_map(void)
{
    void *p = mmap(NULL, sizeof(server_report), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void server_report_unmap(server_report *r)
{
    if (r != NULL)
        munmap(r, sizeof *r);
}

void server_report_request(server_report *r)
{
    __atomic_store_n(&r->allocs, alloc_count_now(), __ATOMIC_RELAXED);
    __atomic_add_fetch(&r->requests, 1, __ATOMIC_RELAXED);
}

void server_report_reject(server_report *r) { __atomic_add_fetch(&r->rejected, 1, __ATOMIC_RELAXED); }

server_report server_report_read(const server_report *r)
{
    return (server_report){
        .requests = __atomic_load_n(&r->requests, __ATOMIC_RELAXED),
        .rejected = __atomic_load_n(&r->rejected, __ATOMIC_RELAXED),
        .allocs = __atomic_load_n(&r->allocs, __ATOMIC_RELAXED),
    };
}

static void close_inherited_fds(int keep_fd)
{
    if (keep_fd > 3)
        close_range(3, (unsigned)keep_fd - 1, 0);
    close_range(keep_fd >= 3 ? (unsigned)keep_fd + 1 : 3, ~0u, 0);
}

pid_t child_spawn(const placement *p, int keep_fd, int (*main_fn)(void *), void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("grite-bench: fork");
        return -1;
    }
    if (pid == 0) {
        close_inherited_fds(keep_fd);
        if (!pin_server(p))
            _exit(2);
        _exit(main_fn(arg));
    }
    return pid;
}

bool child_stop(pid_t pid)
{
    if (pid <= 0)
        return false;
    kill(pid, SIGTERM);
    int status = 0;
    for (int waited_ms = 0; waited_ms < 2000; waited_ms += 5) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                   (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
        if (r < 0 && errno != EINTR)
            return false;
        bench_sleep_ns(5000000u);
    }
    fprintf(stderr, "grite-bench: server %d ignored SIGTERM, killing it\n", (int)pid);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return false;
}
