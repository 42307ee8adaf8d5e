/* options.h - grite-daemon's command line. */
#ifndef GRITE_DAEMON_OPTIONS_H
#define GRITE_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define DAEMON_IDLE_TIMEOUT_DEFAULT_MS 300000  /* 5 minutes */
#define DAEMON_LEASE_DEFAULT_MS 30000          /* the daemon lock's lease */

struct daemon_options {
    const char *data_dir;      /* NULL: daemon/paths.h's default */
    const char *socket_path;   /* NULL: grite_paths_default_socket */
    int64_t idle_timeout_ms;   /* 0: never */
    int64_t lease_ms;
    const char *log_path;      /* NULL: stderr */
    bool no_signals;           /* not a process of its own (the fuzzer's thread):
                                  leave SIGTERM/SIGINT alone; stop with grite_server_stop */
};

enum options_result {
    OPTIONS_RUN,     /* start the daemon */
    OPTIONS_DONE,    /* --help or --version was printed: exit 0 */
    OPTIONS_USAGE    /* a usage error was printed: exit 2 */
};

/* Parse argv into *out (defaults first). Messages go to stdout (--help,
 * --version) or stderr (errors). The strings point into argv. */
enum options_result options_parse(int argc, char **argv, struct daemon_options *out);

#endif
