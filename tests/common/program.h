/*
 * program.h - a command-line tool (gritec, grite-dump) run as a child
 * process, with everything it printed collected, so a test can compare
 * stdout, stderr and the exit status with what the tool promises.
 *
 * A failure to start or wait for the child fails the current Check test.
 */
#ifndef GRITE_TESTS_PROGRAM_H
#define GRITE_TESTS_PROGRAM_H

typedef struct program_run {
    int status;        /* exit status; -1 if it did not exit normally */
    int wait_status;   /* as waitpid() reported it, for failure messages */
    char *out;         /* all it wrote to stdout, NUL-terminated */
    char *err;         /* ... and to stderr */
} program_run;

/* Run the executable `path` (also its argv[0]) with args (NULL-terminated,
 * at most 14, argv[0] not included) in directory dir (NULL: this one),
 * with stdin from the file stdin_path (NULL: /dev/null); wait for it. */
program_run program_run_in(const char *path, const char *dir, const char *stdin_path,
                           const char *const *args);

void program_run_free(program_run *r);

#endif
