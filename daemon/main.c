/* main.c - grite-daemon: parse the command line, then open, serve and
 * close (startup.h), logging to --log or stderr. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "startup.h"

int main(int argc, char **argv)
{
    struct daemon_options opt;
    switch (options_parse(argc, argv, &opt)) {
    case OPTIONS_RUN: break;
    case OPTIONS_DONE: return DAEMON_EXIT_CLEAN;
    case OPTIONS_USAGE: return DAEMON_EXIT_USAGE;
    }
    if (dlog_open(opt.log_path) != 0) {
        fprintf(stderr, "grite-daemon: cannot open the log file %s: %s\n", opt.log_path, strerror(errno));
        return DAEMON_EXIT_STARTUP;
    }
    /* The socket never raises SIGPIPE (MSG_NOSIGNAL), but a log on a pipe
     * whose reader went away would kill us mid-write. */
    signal(SIGPIPE, SIG_IGN);
    static struct daemon_ctx d;   /* large (paths), and the handlers' for the whole run */
    enum daemon_exit rc = daemon_open(&d, &opt);
    /* Every path we keep is absolute now: do not pin the directory we were
     * started from (it could not be unmounted or removed while we run). */
    if (rc == DAEMON_EXIT_CLEAN && chdir("/") != 0) log_warn("cannot chdir to /: %s", strerror(errno));
    if (rc == DAEMON_EXIT_CLEAN) rc = daemon_serve(&d);
    daemon_close(&d);
    dlog_close();
    return (int)rc;
}
