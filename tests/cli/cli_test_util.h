/*
 * cli_test_util.h - running the built grite binary as a real process and
 * looking at what it did.
 *
 * Every test's data directories live under one scratch root made by
 * cli_scratch_setup() and removed by cli_scratch_teardown(), which first
 * SIGKILLs every daemon whose lock file is found there. Those run as
 * unchecked fixtures, in the test runner's own process, so they run even
 * when a test fails (Check ends a failed test's process at once).
 */
#ifndef GRITE_CLI_TEST_UTIL_H
#define GRITE_CLI_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef GRITE_BIN
#error "GRITE_BIN (the grite executable) must be defined"
#endif

/* A finished run of grite. */
typedef struct run_result {
    int status;    /* exit status, or 128 + signal */
    char *out;     /* everything it wrote to stdout (NUL-terminated) */
    char *err;     /* ... and to stderr */
} run_result;

/* A run in progress. */
typedef struct run_handle {
    pid_t pid;
    int out_fd;
    int err_fd;
} run_handle;

/* The scratch root (valid between setup and teardown). */
const char *cli_scratch_root(void);

/* Make the scratch root; set GRITE_DAEMON to the built daemon, clear the
 * variables that would change grite's choices (GRITE_DATA_DIR,
 * GRITE_ACTOR), and give its deadlines (GRITE_DAEMON_TIMEOUT_MS,
 * GRITE_TIMEOUT_MS) room for a loaded machine and for valgrind. */
void cli_scratch_setup(void);

/* Kill every daemon with a lock under the root, remove the root. */
void cli_scratch_teardown(void);

/* A new data directory <root>/<name> (created), into out. */
void cli_data_dir(const char *name, char *out, size_t n);

/* Start grite with argv (NULL-terminated; argv[0] is not included).
 * env: "NAME=value" to set or "NAME" to unset, NULL-terminated, or NULL.
 * stdin_text: what grite reads on stdin (NULL: /dev/null). */
void cli_spawn(run_handle *h, const char *const *env, const char *stdin_text,
               const char *const *argv);

/* Wait for a started run and collect its output. */
void cli_wait(run_handle *h, run_result *r);

/* cli_spawn + cli_wait. */
void cli_run_env(run_result *r, const char *const *env, const char *stdin_text,
                 const char *const *argv);

/* cli_run_env without env or stdin, arguments as a list ending in NULL. */
void cli_run(run_result *r, const char *arg, ...) __attribute__((sentinel));

void cli_result_free(run_result *r);

/* Whether text is one JSON document (python3's json.load decides). */
bool cli_json_valid(const char *text);

/* Evaluate a Python expression over the JSON document in text, bound to
 * `d`, e.g. "d['IssueCreateResult']['issue_id']"; its str() into out.
 * Returns false if python3 failed. */
bool cli_json_eval(const char *text, const char *expr, char *out, size_t n);

/* The id in "Created issue <32 hex>" (into out, 33 bytes). */
bool cli_created_id(const char *out_text, char id[33]);

/* The pid the data dir's lock file records, or 0 if none. */
pid_t cli_daemon_pid(const char *data_dir);

/* Whether process pid exists and is not a zombie (a daemon that exited
 * stays a zombie until whoever adopted it reaps it). */
bool cli_process_running(pid_t pid);

/* How many lines of the file contain needle (0 if no file). */
int cli_count_lines(const char *path, const char *needle);

#endif
