/*
 * options.c - parsing grite-dump's command line (getopt_long), with the
 * usage text that --help prints and every usage error refers to.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grite/frame.h>
#include <grite/verror.h>

static void print_usage(FILE *to, const char *const *roots, size_t n)
{
    fputs("Usage: grite-dump [OPTIONS] [FILE]\n"
          "Validate grite frames (or one raw archive) from FILE or standard input and\n"
          "print each message as one line of JSON; report invalid ones and go on.\n"
          "\n"
          "  -t, --type=TYPE     the root type of every archive:", to);
    for (size_t i = 0; i < n; i++)
        fprintf(to, " %s%s", roots[i], i + 1 < n ? "," : "");
    fputs("\n"
          "                      (default: try each root, print every one that accepts)\n"
          "  -r, --raw           the input is one archive, not length-prefixed frames\n"
          "  -p, --pretty        indent the JSON\n"
          "      --max-frame=N   largest frame body (or raw archive) accepted, in bytes\n"
          "                      (default 16777216)\n"
          "      --max-depth=N   validators' nesting limit (default 64)\n"
          "  -h, --help          show this help\n"
          "\n"
          "Exit status: 0 if every frame was valid, 1 if any was not (or the input\n"
          "could not be read), 2 for a usage error. See grite-dump(1).\n",
          to);
}

static options_result usage_error(const char *const *roots, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static options_result usage_error(const char *const *roots, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("grite-dump: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    print_usage(stderr, roots, n);
    return OPTIONS_USAGE;
}

/* A decimal number in [min, max], all of arg. */
static bool parse_number(const char *arg, unsigned long long min, unsigned long long max,
                         unsigned long long *out)
{
    if (!arg || *arg < '0' || *arg > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool known_root(const char *type, const char *const *roots, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(type, roots[i]) == 0)
            return true;
    return false;
}

enum { OPT_MAX_FRAME = 256, OPT_MAX_DEPTH };

options_result parse_options(int argc, char **argv, const char *const *roots, size_t n,
                             dump_options *o)
{
    static const struct option longopts[] = {
        { "type", required_argument, NULL, 't' },
        { "raw", no_argument, NULL, 'r' },
        { "pretty", no_argument, NULL, 'p' },
        { "max-frame", required_argument, NULL, OPT_MAX_FRAME },
        { "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    *o = (dump_options){ .max_frame = GRITE_FRAME_MAX_DEFAULT, .max_depth = GRITE_VALIDATE_MAX_DEPTH };
    opterr = 0;   /* our own messages, below */
    for (int c; (c = getopt_long(argc, argv, "t:rph", longopts, NULL)) != -1;) {
        unsigned long long v;
        switch (c) {
        case 't':
            if (!known_root(optarg, roots, n))
                return usage_error(roots, n, "unknown --type '%s'", optarg);
            o->type = optarg;
            break;
        case 'r': o->raw = true; break;
        case 'p': o->pretty = true; break;
        case OPT_MAX_FRAME:
            if (!parse_number(optarg, 1, UINT32_MAX, &v))
                return usage_error(roots, n, "--max-frame needs a number of bytes from 1 to 4294967295, not '%s'", optarg);
            o->max_frame = (size_t)v;
            break;
        case OPT_MAX_DEPTH:
            if (!parse_number(optarg, 1, 1024, &v))
                return usage_error(roots, n, "--max-depth needs a number from 1 to 1024, not '%s'", optarg);
            o->max_depth = (uint32_t)v;
            break;
        case 'h':
            print_usage(stdout, roots, n);
            return OPTIONS_HELP;
        default:
            return usage_error(roots, n, "unknown option or missing argument: '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return usage_error(roots, n, "one input file at most (got '%s' and more)", argv[optind]);
    o->path = optind < argc ? argv[optind] : NULL;
    return OPTIONS_RUN;
}
