/* options.c - parsing grite-daemon's command line (options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grite.h"
#include "grite/daemon_lock.h"

#define DAEMON_VERSION "0.1.0"
#define IDLE_TIMEOUT_MAX_S 31536000.0   /* a year; for "never" say 0 */

static const char usage_text[] =
    "Usage: grite-daemon [--data-dir DIR] [options]\n"
    "\n"
    "Serve the grite issue store of one data dir to grite CLIs over a Unix socket.\n"
    "Runs in the foreground; `grite` starts it in the background when needed.\n"
    "\n"
    "Options:\n"
    "  --data-dir DIR          the data dir to serve (default: $GRITE_DATA_DIR, else\n"
    "                          $XDG_DATA_HOME/grite, else ~/.local/share/grite)\n"
    "  --socket PATH           listen here (default: $XDG_RUNTIME_DIR/grite/<hash>.sock,\n"
    "                          else /tmp/grite-<uid>/<hash>.sock)\n"
    "  --idle-timeout SECONDS  exit when no request came for this long and no client is\n"
    "                          connected; 0: never (default: 300)\n"
    "  --lease-ms MS           lease of the daemon lock, refreshed every MS/3\n"
    "                          (default: 30000)\n"
    "  --log FILE              append the log to FILE instead of stderr\n"
    "  --help                  show this help and exit\n"
    "  --version               show the version and the protocol schema and exit\n"
    "\n"
    "Exit status: 0 after a clean shutdown (SIGTERM, SIGINT, DaemonStop, idle timeout),\n"
    "1 if it cannot start, 2 on a usage error, 3 if another daemon serves the data dir,\n"
    "4 if another daemon took the lock over while this one was serving.\n";

static enum options_result usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static enum options_result usage_error(const char *fmt, ...)
{
    fputs("grite-daemon: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'grite-daemon --help'.\n", stderr);
    return OPTIONS_USAGE;
}

static int parse_seconds(const char *s, int64_t *out_ms)
{
    char *end;
    errno = 0;
    double secs = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !isfinite(secs) || secs < 0 || secs > IDLE_TIMEOUT_MAX_S) return -1;
    *out_ms = (int64_t)llround(secs * 1000.0);
    return secs > 0 && *out_ms == 0 ? -1 : 0;   /* 0.0001 s would mean "never" */
}

static int parse_lease(const char *s, int64_t *out_ms)
{
    char *end;
    errno = 0;
    long long ms = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-' || ms < 1 || ms > GRITE_DAEMON_LEASE_MAX_MS) return -1;
    *out_ms = ms;
    return 0;
}

static void print_version(void)
{
    printf("grite-daemon %s (protocol schema %s version %u, fingerprint %016llx)\n", DAEMON_VERSION,
           GRITE_SCHEMA_NAME, GRITE_SCHEMA_VERSION, (unsigned long long)GRITE_SCHEMA_FINGERPRINT);
}

enum options_result options_parse(int argc, char **argv, struct daemon_options *out)
{
    enum { OPT_DATA_DIR = 1, OPT_SOCKET, OPT_IDLE, OPT_LEASE, OPT_LOG, OPT_HELP, OPT_VERSION };
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, OPT_DATA_DIR}, {"socket", required_argument, NULL, OPT_SOCKET},
        {"idle-timeout", required_argument, NULL, OPT_IDLE}, {"lease-ms", required_argument, NULL, OPT_LEASE},
        {"log", required_argument, NULL, OPT_LOG},           {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},         {NULL, 0, NULL, 0},
    };
    *out = (struct daemon_options){.idle_timeout_ms = DAEMON_IDLE_TIMEOUT_DEFAULT_MS,
                                   .lease_ms = DAEMON_LEASE_DEFAULT_MS};
    opterr = 0;   /* we print our own messages */
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_DATA_DIR: out->data_dir = optarg; break;
        case OPT_SOCKET: out->socket_path = optarg; break;
        case OPT_LOG: out->log_path = optarg; break;
        case OPT_IDLE:
            if (parse_seconds(optarg, &out->idle_timeout_ms) != 0)
                return usage_error("--idle-timeout: \"%s\" is not a number of seconds (0 for never)", optarg);
            break;
        case OPT_LEASE:
            if (parse_lease(optarg, &out->lease_ms) != 0)
                return usage_error("--lease-ms: \"%s\" is not a number of milliseconds in 1..86400000", optarg);
            break;
        case OPT_HELP: fputs(usage_text, stdout); return OPTIONS_DONE;
        case OPT_VERSION: print_version(); return OPTIONS_DONE;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc) return usage_error("unexpected argument \"%s\"", argv[optind]);
    return OPTIONS_RUN;
}
