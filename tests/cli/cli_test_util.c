/*
 * cli_test_util.c - running grite as a real process (see cli_test_util.h).
 */
#include "cli_test_util.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "temp_dir.h"
#include "grite/client.h"
#include "grite/daemon_lock.h"

#define MAX_ARGS 32

static char scratch_root[256];

const char *cli_scratch_root(void)
{
    return scratch_root;
}

static void setenv_ms(const char *name, int ms)
{
    char text[16];
    snprintf(text, sizeof text, "%d", ms);
    setenv(name, text, 1);
}

void cli_scratch_setup(void)
{
    snprintf(scratch_root, sizeof scratch_root, "/tmp/grite-cli-test.XXXXXX");
    if (mkdtemp(scratch_root) == NULL) {
        perror("mkdtemp");
        abort();
    }
    /* Daemons run detached and are adopted by the nearest subreaper when
     * the CLI that started them is gone: make that us, so the teardown can
     * reap them instead of leaving zombies to an init that may not. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
#ifdef GRITE_DAEMON_BIN
    setenv("GRITE_DAEMON", GRITE_DAEMON_BIN, 1);
#endif
    static const char *const cleared[] = { "GRITE_DATA_DIR", "GRITE_ACTOR" };
    for (size_t i = 0; i < sizeof cleared / sizeof cleared[0]; i++)
        unsetenv(cleared[i]);
    /* grite's deadlines for starting a daemon and for one call guard these
     * tests against a hang; they are not what the tests check. Room for a
     * loaded machine, and more under valgrind (tests/common/clock.h); a
     * test of a timeout sets its own in the run's environment. */
    setenv_ms("GRITE_DAEMON_TIMEOUT_MS", test_scaled_ms(20000));
    setenv_ms("GRITE_TIMEOUT_MS", test_scaled_ms(GRITE_CLIENT_TIMEOUT_DEFAULT_MS));
}

/* SIGKILL the daemon of one data dir, and remove its socket file. */
static void kill_daemon_of(const char *data_dir)
{
    char lock[600];
    snprintf(lock, sizeof lock, "%s/daemon.lock", data_dir);
    grite_daemon_info info;
    if (grite_daemon_lock_read(lock, &info, NULL) != GRITE_LOCK_OK)
        return;
    if (kill(info.pid, SIGKILL) == 0)
        unlink(info.socket_path);
}

/* Reap the daemons we adopted (they have exited or were just killed). */
static void reap_adopted(void)
{
    for (int tries = 0; tries < 200; tries++) {
        pid_t got = waitpid(-1, NULL, WNOHANG);
        if (got < 0)
            return;          /* ECHILD: nothing left */
        if (got == 0)
            test_sleep_ms(5); /* a killed one is still dying */
    }
}

void cli_scratch_teardown(void)
{
    if (scratch_root[0] == '\0')
        return;
    DIR *d = opendir(scratch_root);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char dir[512];
            snprintf(dir, sizeof dir, "%s/%s", scratch_root, e->d_name);
            kill_daemon_of(dir);
        }
        closedir(d);
    }
    reap_adopted();
    test_remove_tree(scratch_root);
    scratch_root[0] = '\0';
}

void cli_data_dir(const char *name, char *out, size_t n)
{
    int w = snprintf(out, n, "%s/%s", scratch_root, name);
    ck_assert(w > 0 && (size_t)w < n);
    ck_assert_msg(mkdir(out, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", out, strerror(errno));
}

static int memfd_with(const char *name, const char *text)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    ck_assert_msg(fd >= 0, "memfd_create: %s", strerror(errno));
    if (text != NULL) {
        size_t len = strlen(text);
        ck_assert(write(fd, text, len) == (ssize_t)len);
        ck_assert(lseek(fd, 0, SEEK_SET) == 0);
    }
    return fd;
}

static void apply_env(const char *const *env)
{
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        const char *eq = strchr(env[i], '=');
        if (eq == NULL) {
            unsetenv(env[i]);
        } else {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - env[i]), env[i]);
            setenv(name, eq + 1, 1);
        }
    }
}

void cli_spawn(run_handle *h, const char *const *env, const char *stdin_text,
               const char *const *argv)
{
    const char *args[MAX_ARGS + 2] = { GRITE_BIN };
    size_t n = 0;
    while (argv[n] != NULL) {
        ck_assert(n < MAX_ARGS);
        args[n + 1] = argv[n];
        n++;
    }
    args[n + 1] = NULL;
    h->out_fd = memfd_with("grite-out", NULL);
    h->err_fd = memfd_with("grite-err", NULL);
    int in_fd = stdin_text ? memfd_with("grite-in", stdin_text) : open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert(in_fd >= 0);
    h->pid = fork();
    ck_assert(h->pid >= 0);
    if (h->pid == 0) {
        apply_env(env);
        if (dup2(in_fd, 0) < 0 || dup2(h->out_fd, 1) < 0 || dup2(h->err_fd, 2) < 0)
            _exit(126);
        execv(GRITE_BIN, (char *const *)args);
        _exit(127);
    }
    close(in_fd);
}

static char *read_all(int fd)
{
    off_t len = lseek(fd, 0, SEEK_END);
    ck_assert(len >= 0);
    char *text = malloc((size_t)len + 1);
    ck_assert(text != NULL);
    ck_assert(pread(fd, text, (size_t)len, 0) == len);
    text[len] = '\0';
    close(fd);
    return text;
}

void cli_wait(run_handle *h, run_result *r)
{
    int ws;
    pid_t got;
    do
        got = waitpid(h->pid, &ws, 0);
    while (got < 0 && errno == EINTR);
    ck_assert(got == h->pid);
    r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r->out = read_all(h->out_fd);
    r->err = read_all(h->err_fd);
}

void cli_run_env(run_result *r, const char *const *env, const char *stdin_text,
                 const char *const *argv)
{
    run_handle h;
    cli_spawn(&h, env, stdin_text, argv);
    cli_wait(&h, r);
}

void cli_run(run_result *r, const char *arg, ...)
{
    const char *argv[MAX_ARGS + 1];
    size_t n = 0;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a != NULL; a = va_arg(ap, const char *)) {
        ck_assert(n < MAX_ARGS);
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    cli_run_env(r, NULL, NULL, argv);
}

void cli_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Run python3 -c program with text on stdin; its stdout into out. */
static bool run_python(const char *program, const char *text, char *out, size_t n)
{
    int in_fd = memfd_with("json-in", text);
    int out_fd = memfd_with("json-out", NULL);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0)
            _exit(126);
        execlp("python3", "python3", "-c", program, (char *)NULL);
        _exit(127);
    }
    close(in_fd);
    int ws;
    ck_assert(waitpid(pid, &ws, 0) == pid);
    char *result = read_all(out_fd);
    if (out != NULL) {
        size_t len = strcspn(result, "\n");
        snprintf(out, n, "%.*s", (int)len, result);
    }
    free(result);
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
}

bool cli_json_valid(const char *text)
{
    return run_python("import json,sys; json.load(sys.stdin)", text, NULL, 0);
}

bool cli_json_eval(const char *text, const char *expr, char *out, size_t n)
{
    char program[512];
    snprintf(program, sizeof program, "import json,sys; d = json.load(sys.stdin); print(%s)", expr);
    return run_python(program, text, out, n);
}

bool cli_created_id(const char *out_text, char id[33])
{
    const char *p = strstr(out_text, "Created issue ");
    if (p == NULL)
        return false;
    p += strlen("Created issue ");
    if (strspn(p, "0123456789abcdef") != 32)
        return false;
    memcpy(id, p, 32);
    id[32] = '\0';
    return true;
}

pid_t cli_daemon_pid(const char *data_dir)
{
    char lock[512];
    snprintf(lock, sizeof lock, "%s/daemon.lock", data_dir);
    grite_daemon_info info;
    if (grite_daemon_lock_read(lock, &info, NULL) != GRITE_LOCK_OK)
        return 0;
    return info.pid;
}

bool cli_process_running(pid_t pid)
{
    char path[64], stat_line[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool read = fgets(stat_line, sizeof stat_line, f) != NULL;
    fclose(f);
    /* "pid (comm) S ...": the state follows the last ')'. */
    const char *paren = read ? strrchr(stat_line, ')') : NULL;
    return paren != NULL && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

int cli_count_lines(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[2048];
    int count = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (strstr(line, needle) != NULL)
            count++;
    fclose(f);
    return count;
}
