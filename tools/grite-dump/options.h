/*
 * options.h - grite-dump's command line.
 */
#ifndef GRITE_DUMP_OPTIONS_H
#define GRITE_DUMP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dump_options {
    const char *path;       /* the input file; NULL or "-" for stdin */
    const char *type;       /* a root type name, or NULL to try every root */
    bool raw;               /* one archive, no frames */
    bool pretty;            /* indented JSON */
    size_t max_frame;       /* largest frame body (and raw archive) accepted */
    uint32_t max_depth;     /* the validators' nesting limit */
} dump_options;

/* What parse_options() decided. */
typedef enum options_result {
    OPTIONS_RUN,      /* *o is filled in */
    OPTIONS_HELP,     /* --help was printed: exit 0 */
    OPTIONS_USAGE     /* an error was printed: exit 2 */
} options_result;

/* Parse argv; errors and --help go to stderr / stdout. `roots` lists the
 * accepted --type names (n of them). */
options_result parse_options(int argc, char **argv, const char *const *roots, size_t n,
                             dump_options *o);

#endif
