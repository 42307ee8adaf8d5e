/* fd_ops.c - see fd_ops.h. */
#include "fd_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "transport_test_util.h"

/* ---- the epoll set, as the kernel shows it ---- */

static bool is_epoll_fd(DIR *fds, const char *name)
{
    char target[64];
    ssize_t n = readlinkat(dirfd(fds), name, target, sizeof target - 1);
    if (n < 0) return false;
    target[n] = '\0';
    return strcmp(target, "anon_inode:[eventpoll]") == 0;
}

/* The one epoll descriptor of this process, or -1 (none, or several). */
static int find_epoll_fd(void)
{
    DIR *fds = opendir("/proc/self/fd");
    if (!fds) return -1;
    int found = -1, count = 0;
    for (struct dirent *e; (e = readdir(fds)) != NULL;) {
        if (e->d_name[0] == '.' || !is_epoll_fd(fds, e->d_name)) continue;
        found = atoi(e->d_name);
        count++;
    }
    closedir(fds);
    return count == 1 ? found : -1;
}

/* fdinfo of an epoll descriptor has one "tfd:" line per watched descriptor. */
int epoll_watch_count(void)
{
    int epfd = find_epoll_fd();
    if (epfd < 0) return -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", epfd);
    FILE *f = fopen(path, "re");
    if (!f) return -1;
    int watches = 0;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "tfd:", 4) == 0) watches++;
    fclose(f);
    return watches;
}

void fd_report_epoll_watches(const char *path)
{
    int watches = epoll_watch_count();
    FILE *f = fopen(path, "we");
    if (!f) return;
    fprintf(f, "%d\n", watches);
    fclose(f);
}

/* ---- a child holding copies of our descriptors ---- */

pid_t fd_hold_in_child(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    for (;;) pause();
}

/* ---- running out of descriptors ---- */

/* A hog lowers the soft RLIMIT_NOFILE to the lowest free descriptor: every
 * number below it is in use, so the next open/accept fails with EMFILE. */
static struct {
    char flag[160];
    int64_t want_ms;      /* requested, not started */
    int64_t until_ms;     /* started: ends then (monotonic) */
    struct rlimit saved;
} hog;

void hog_flag_path(char *out, size_t n, const char *path)
{
    snprintf(out, n, "%s.hogged", path);
}

void fd_hog_request(const char *socket_path, int64_t ms)
{
    hog_flag_path(hog.flag, sizeof hog.flag, socket_path);
    hog.want_ms = ms;
}

static int lowest_free_fd(void)
{
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 0);
    if (fd >= 0) close(fd);
    return fd;
}

static void hog_start(void)
{
    int flag = open(hog.flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (flag >= 0) close(flag);
    getrlimit(RLIMIT_NOFILE, &hog.saved);
    struct rlimit low = hog.saved;
    low.rlim_cur = (rlim_t)lowest_free_fd();
    setrlimit(RLIMIT_NOFILE, &low);
    hog.until_ms = test_clock_ms() + hog.want_ms;
    hog.want_ms = 0;
}

static void hog_end(void)
{
    setrlimit(RLIMIT_NOFILE, &hog.saved);
    unlink(hog.flag);
    hog.until_ms = 0;
}

void fd_hog_tick(void *user, grite_server *server)
{
    (void)user;
    if (hog.until_ms) {
        if (test_clock_ms() >= hog.until_ms) hog_end();
        return;
    }
    grite_server_stats st;
    grite_server_get_stats(server, &st);
    if (hog.want_ms > 0 && st.connections == 0) hog_start();
}
