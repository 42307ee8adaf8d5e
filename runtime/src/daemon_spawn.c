/*
 * daemon_spawn.c - starting a daemon program, detached, and learning how
 * that went.
 *
 * The program is started through a small monitor process:
 *   CLI --fork--> monitor --fork--> daemon (setsid, stdio redirected, exec)
 * The monitor reports the daemon's PID and, if it ends, its wait status
 * over a pipe, so the CLI can say "exited with status 3" instead of just
 * timing out; the daemon reports a failed exec over the same pipe (its end
 * is O_CLOEXEC, so a successful exec closes it). When the CLI is done
 * waiting it kills the monitor: the daemon, in its own session, is adopted
 * by init (or the nearest subreaper) and no zombie is left in the CLI.
 */
#include "daemon_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the child processes ------------------------------------------------ */

/* One message from the monitor or the daemon child; 8 bytes, so each
 * write to the pipe is atomic. */
typedef struct report {
    int32_t kind;
    int32_t value;
} report;

enum {
    REPORT_PID = 'p',          /* monitor: the daemon's PID */
    REPORT_FORK_ERRNO = 'f',   /* monitor: fork failed */
    REPORT_SETUP_ERRNO = 's',  /* daemon: could not redirect stdio */
    REPORT_EXEC_ERRNO = 'e',   /* daemon: execv failed */
    REPORT_EXIT = 'x'          /* monitor: the daemon ended, wait status */
};

/* Everything the children need, prepared before fork: after fork they
 * only make async-signal-safe calls. */
typedef struct child_plan {
    const char *program;
    char *const *argv;
    int null_fd, log_fd;      /* >= 3, O_CLOEXEC */
    int report_fd;            /* write end, O_CLOEXEC */
    int report_read_fd;       /* the CLI's end, closed in the children */
    pid_t cli;
} child_plan;

static void send_report(int fd, int32_t kind, int32_t value)
{
    report r = { kind, value };
    while (write(fd, &r, sizeof r) < 0 && errno == EINTR) {
    }
}

/* A daemon must not inherit the CLI's blocked or ignored signals (it
 * could not be stopped with SIGTERM) nor its stray descriptors (a shell
 * waiting for EOF on a pipe would wait for the daemon's whole life). */
static void reset_inheritance(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);   /* fails harmlessly for KILL, STOP */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        for (int fd = 3; fd < 1024; fd++)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static _Noreturn void run_daemon(const child_plan *p)
{
    setsid();
    if (dup2(p->null_fd, 0) < 0 || dup2(p->log_fd, 1) < 0 || dup2(p->log_fd, 2) < 0) {
        send_report(p->report_fd, REPORT_SETUP_ERRNO, errno);
        _exit(127);
    }
    reset_inheritance();
    execv(p->program, p->argv);
    send_report(p->report_fd, REPORT_EXEC_ERRNO, errno);
    _exit(127);
}

static _Noreturn void run_monitor(const child_plan *p)
{
    close(p->report_read_fd);
    /* Do not outlive the CLI: nobody would read our report. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != p->cli)
        _exit(0);
    /* With SIGCHLD ignored (inherited from the CLI) the kernel would reap
     * the daemon itself and waitpid could not tell us its status. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &dfl, NULL);
    pid_t daemon = fork();
    if (daemon < 0) {
        send_report(p->report_fd, REPORT_FORK_ERRNO, errno);
        _exit(1);
    }
    if (daemon == 0)
        run_daemon(p);
    send_report(p->report_fd, REPORT_PID, (int32_t)daemon);
    int status;
    while (waitpid(daemon, &status, 0) < 0)
        if (errno != EINTR)
            _exit(1);
    send_report(p->report_fd, REPORT_EXIT, status);
    _exit(0);
}

/* ---- the CLI's side of a start ------------------------------------------ */

/* open() with the result moved to fd >= 3, so the child's dup2 onto
 * 0, 1 and 2 can never clobber it. */
static int open_high(const char *path, int flags, mode_t mode)
{
    int fd = open(path, flags | O_CLOEXEC | O_NOCTTY, mode);
    if (fd >= 0 && fd < 3) {
        int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        fd = high;
    }
    return fd;
}

static grite_lock_status open_stdio(const grite_daemon_spawn_options *o, child_plan *p,
                                    grite_lock_error *err)
{
    p->null_fd = open_high("/dev/null", O_RDWR, 0);
    if (p->null_fd < 0)
        return grite_lock_fail_errno(err, errno, "cannot open /dev/null");
    p->log_fd = p->null_fd;
    if (o->log_path != NULL) {
        p->log_fd = open_high(o->log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (p->log_fd < 0) {
            int e = errno;
            close(p->null_fd);
            return grite_lock_fail_errno(err, e, "cannot open daemon log file %s", o->log_path);
        }
    }
    return GRITE_LOCK_OK;
}

static void close_stdio(const child_plan *p)
{
    if (p->log_fd != p->null_fd)
        close(p->log_fd);
    close(p->null_fd);
}

grite_lock_status grite_daemon_spawn_start(const grite_daemon_spawn_options *o,
                                           grite_daemon_spawn *s, grite_lock_error *err)
{
    char *default_argv[2] = { (char *)o->program, NULL };
    child_plan p = { .program = o->program, .argv = o->argv ? o->argv : default_argv,
                     .cli = getpid() };
    grite_lock_status st = open_stdio(o, &p, err);
    if (st != GRITE_LOCK_OK)
        return st;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        int e = errno;
        close_stdio(&p);
        return grite_lock_fail_errno(err, e, "cannot create a pipe to start %s", o->program);
    }
    p.report_fd = fds[1];
    p.report_read_fd = fds[0];
    pid_t monitor = fork();
    if (monitor == 0)
        run_monitor(&p);
    int e = errno;
    close(fds[1]);
    close_stdio(&p);
    if (monitor < 0) {
        close(fds[0]);
        return grite_lock_fail_errno(err, e, "cannot fork to start %s", o->program);
    }
    *s = (grite_daemon_spawn){ .program = o->program, .log_path = o->log_path, .monitor = monitor,
                        .report_fd = fds[0] };
    return GRITE_LOCK_OK;
}

static void take_report(grite_daemon_spawn *s, const report *r)
{
    switch (r->kind) {
    case REPORT_PID:
        s->daemon = (pid_t)r->value;
        break;
    case REPORT_EXIT:
        s->exited = true;
        s->wait_status = r->value;
        break;
    default:
        if (s->failure_kind == 0) {   /* the first failure is the cause */
            s->failure_kind = r->kind;
            s->failure_errno = r->value;
        }
    }
}

/* Wait up to wait_ms for reports and take all that arrived. */
void grite_daemon_spawn_poll(grite_daemon_spawn *s, int wait_ms)
{
    struct pollfd pfd = { .fd = s->report_fd, .events = POLLIN };
    while (s->report_fd >= 0 && poll(&pfd, 1, wait_ms) > 0) {
        report r;
        ssize_t got = read(s->report_fd, &r, sizeof r);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != (ssize_t)sizeof r) {   /* EOF: the monitor is gone */
            close(s->report_fd);
            s->report_fd = -1;
            break;
        }
        take_report(s, &r);
        wait_ms = 0;
    }
}

void grite_daemon_spawn_finish(grite_daemon_spawn *s)
{
    kill(s->monitor, SIGKILL);
    while (waitpid(s->monitor, NULL, 0) < 0 && errno == EINTR) {
    }
    if (s->report_fd >= 0)
        close(s->report_fd);
}

static const char *log_hint(const grite_daemon_spawn *s, char *buf, size_t n)
{
    if (s->log_path == NULL)
        return "";
    snprintf(buf, n, "; see %s", s->log_path);
    return buf;
}

grite_lock_status grite_daemon_spawn_failure(const grite_daemon_spawn *s,
                                             const char *context, grite_lock_error *err)
{
    char hint[PATH_MAX + 8];
    if (s->failure_kind == REPORT_EXEC_ERRNO)
        return grite_lock_fail(err, GRITE_LOCK_SPAWN_FAILED, "cannot execute daemon program "
                               "%s: %s", s->program, strerror(s->failure_errno));
    if (s->failure_kind != 0)
        return grite_lock_fail(err, GRITE_LOCK_SPAWN_FAILED, "cannot %s daemon program %s: %s",
                               s->failure_kind == REPORT_FORK_ERRNO ? "fork" : "set up stdio for",
                               s->program, strerror(s->failure_errno));
    if (s->exited && WIFSIGNALED(s->wait_status))
        return grite_lock_fail(err, GRITE_LOCK_SPAWN_FAILED, "daemon program %s (pid %ld) was "
                               "killed by signal %d (%s) before it answered (%s)%s", s->program,
                               (long)s->daemon, WTERMSIG(s->wait_status),
                               strsignal(WTERMSIG(s->wait_status)), context,
                               log_hint(s, hint, sizeof hint));
    if (s->exited)
        return grite_lock_fail(err, GRITE_LOCK_SPAWN_FAILED, "daemon program %s (pid %ld) "
                               "exited with status %d before it answered (%s)%s", s->program,
                               (long)s->daemon, WEXITSTATUS(s->wait_status), context,
                               log_hint(s, hint, sizeof hint));
    if (s->report_fd < 0)
        return grite_lock_fail(err, GRITE_LOCK_SPAWN_FAILED, "lost track of daemon program %s:"
                               " its monitor process ended unexpectedly", s->program);
    return GRITE_LOCK_OK;
}
