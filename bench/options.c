/*
 * options.c - parsing grite-bench's arguments. Every bad argument gets a
 * message naming it; nothing is silently ignored.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_GRITEC_PATH
#define BENCH_GRITEC_PATH "gritec"
#endif

static const char USAGE[] =
    "usage: grite-bench [--quick] [--json FILE] [--cdf FILE] [--pin same|split|none]\n"
    "                   [--only SECTIONS] [--gritec PATH] [--types N]\n"
    "\n"
    "Measures grite-ipc against the physical limit of a Unix socket and against\n"
    "JSON (cJSON) over the same socket and over HTTP, on the two messages of the\n"
    "bench workload, and prints one table per section.\n"
    "\n"
    "  --quick          a few seconds; checks every response field by field\n"
    "                   (what ctest runs); figures are not meaningful\n"
    "  --json FILE      also write the figures as a JSON array of rows\n"
    "  --cdf FILE       write the round-trip latency distributions (gnuplot\n"
    "                   data, one block per row) for bench/plot.sh\n"
    "  --pin MODE       same: client and server share one CPU (default);\n"
    "                   split: each on its own CPU; none: the scheduler decides\n"
    "  --only LIST      comma-separated sections: gritec,codec,rtt,cold,clients\n"
    "  --gritec PATH    the gritec to time (default: the one built with the bench)\n"
    "  --types N        types in the generated schema gritec compiles (default 2000)\n";

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "grite-bench: %s: %s\n%s", what, value, USAGE);
    return -1;
}

static unsigned section_bit(const char *name, size_t len)
{
    static const struct { const char *name; unsigned bit; } SECTIONS[] = {
        {"gritec", SECTION_GRITEC}, {"codec", SECTION_CODEC}, {"rtt", SECTION_RTT},
        {"cold", SECTION_COLD},     {"clients", SECTION_CLIENTS},
    };
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
        if (strlen(SECTIONS[i].name) == len && strncmp(SECTIONS[i].name, name, len) == 0)
            return SECTIONS[i].bit;
    return 0;
}

static bool parse_sections(const char *list, unsigned *out)
{
    *out = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        unsigned bit = section_bit(p, len);
        if (bit == 0)
            return false;
        *out |= bit;
        p += len + (p[len] == ',');
    }
    return *out != 0;
}

static bool parse_count(const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < 10 || v > 1000000)
        return false;
    *out = (size_t)v;
    return true;
}

int options_parse(bench_options *o, int argc, char **argv)
{
    *o = (bench_options){false, NULL, NULL, PIN_SAME, BENCH_GRITEC_PATH, 2000, SECTION_ALL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = strcmp(a, "--json") == 0 || strcmp(a, "--cdf") == 0 ||
                           strcmp(a, "--pin") == 0 || strcmp(a, "--only") == 0 ||
                           strcmp(a, "--gritec") == 0 || strcmp(a, "--types") == 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return 1;
        } else if (strcmp(a, "--quick") == 0) {
            o->quick = true;
        } else if (!takes_value) {
            return bad("unknown argument", a);
        } else if (value == NULL) {
            return bad("missing value after", a);
        } else if (strcmp(a, "--json") == 0) {
            o->json_path = value;
        } else if (strcmp(a, "--cdf") == 0) {
            o->cdf_path = value;
        } else if (strcmp(a, "--gritec") == 0) {
            o->gritec_path = value;
        } else if (strcmp(a, "--pin") == 0 && !pin_mode_parse(value, &o->pin)) {
            return bad("--pin takes same, split or none, not", value);
        } else if (strcmp(a, "--only") == 0 && !parse_sections(value, &o->sections)) {
            return bad("--only takes sections among gritec,codec,rtt,cold,clients, not", value);
        } else if (strcmp(a, "--types") == 0 && !parse_count(value, &o->idl_types)) {
            return bad("--types takes a number from 10 to 1000000, not", value);
        }
        if (takes_value)
            i++;
    }
    return 0;
}
