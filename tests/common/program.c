/* program.c - see program.h. */
#include "program.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 14

/* An anonymous temporary file: the child writes into it, we read it
 * back after it exited (a pipe could fill up and block the child). */
static int temp_fd(void)
{
    char name[] = "/tmp/grite-test-output-XXXXXX";
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    unlink(name);
    return fd;
}

/* Everything in fd from its start, NUL-terminated (malloc'd); closes fd. */
static char *read_all(int fd)
{
    ck_assert_int_eq((int)lseek(fd, 0, SEEK_SET), 0);
    size_t cap = 4096, len = 0;
    char *text = malloc(cap + 1);
    ck_assert_ptr_nonnull(text);
    for (;;) {
        ssize_t n = read(fd, text + len, cap - len);
        ck_assert_int_ge((int)n, 0);
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap) {
            cap *= 2;
            text = realloc(text, cap + 1);
            ck_assert_ptr_nonnull(text);
        }
    }
    text[len] = '\0';
    close(fd);
    return text;
}

/* In the child: set up its directory and standard streams, then become
 * the program. Never returns; 126 or 127 say what failed. */
static void exec_child(const char *path, const char *dir, const char *stdin_path, int out, int err,
                       char *const *argv)
{
    int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
    if ((dir && chdir(dir) != 0) || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0)
        _exit(126);
    execv(path, argv);
    _exit(127);
}

program_run program_run_in(const char *path, const char *dir, const char *stdin_path,
                           const char *const *args)
{
    const char *argv[MAX_ARGS + 2] = { path };
    size_t n = 1;
    for (; args[n - 1] != NULL; n++) {
        ck_assert_uint_le(n, MAX_ARGS);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    int out = temp_fd(), err = temp_fd();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        exec_child(path, dir, stdin_path, out, err, (char *const *)argv);
    int wstatus = 0;
    ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
    program_run r = { WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, wstatus, read_all(out),
                      read_all(err) };
    return r;
}

void program_run_free(program_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
