/*
 * args.h - the command line, parsed but not yet interpreted.
 *
 * Every option has one fixed meaning and arity across all commands, so the
 * whole argv is split into options and words in one pass, before the
 * command is known; the command table (commands.h) then says which options
 * a command accepts. That lets global options (--json, --data-dir, ...)
 * appear anywhere: `grite --json issue list` and `grite issue list --json`
 * are the same.
 *
 * Accepted forms: `--name VALUE`, `--name=VALUE`, `-h`, and `--` to end
 * the options (every later argument is a word, even if it starts with -).
 */
#ifndef GRITE_CLI_ARGS_H
#define GRITE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every option grite knows. Order is the order --help lists them in. */
typedef enum cli_opt {
    OPT_TITLE,
    OPT_BODY,
    OPT_LABEL,
    OPT_STATE,
    OPT_LIMIT,
    OPT_OFFSET,
    OPT_TTL,
    OPT_REMOTE,
    OPT_DATA_DIR,   /* first global option */
    OPT_REPO,
    OPT_ACTOR,
    OPT_JSON,
    OPT_HELP,
    OPT_VERSION,
    OPT_COUNT_
} cli_opt;

#define CLI_OPT_BIT(o) (UINT32_C(1) << (o))
/* Accepted by every command. */
#define CLI_GLOBAL_OPTS                                                          \
    (CLI_OPT_BIT(OPT_DATA_DIR) | CLI_OPT_BIT(OPT_REPO) | CLI_OPT_BIT(OPT_ACTOR) | \
     CLI_OPT_BIT(OPT_JSON) | CLI_OPT_BIT(OPT_HELP))

typedef struct cli_option_spec {
    const char *name;      /* long name without "--" */
    char short_name;       /* 0 if none */
    bool repeatable;       /* each use adds a value (--label) */
    const char *metavar;   /* NULL for flags: they take no value */
    const char *help;      /* one line */
} cli_option_spec;

/* The table, indexed by cli_opt. */
extern const cli_option_spec cli_options[OPT_COUNT_];

#define CLI_MAX_WORDS 8
#define CLI_MAX_REPEATED 64   /* the store's own limit of labels per issue */
#define CLI_ERROR_MAX 256

typedef struct cli_args {
    bool present[OPT_COUNT_];
    const char *value[OPT_COUNT_];          /* the value (the last one if repeatable) */
    const char *repeated[CLI_MAX_REPEATED]; /* every value of the repeatable option */
    size_t n_repeated;
    const char *words[CLI_MAX_WORDS];       /* group, command, then positionals */
    size_t n_words;
} cli_args;

/* Split argv[1..argc) into *out (which borrows argv's strings). Returns 0,
 * or -1 with a sentence in err (unknown option, missing value, an option
 * given twice, too many words or values). */
int cli_args_parse(int argc, char *const *argv, cli_args *out, char err[CLI_ERROR_MAX]);

/* The first option in `present` that is not in `allowed`, or -1. */
int cli_args_first_unexpected(const cli_args *a, uint32_t allowed);

/* Strict unsigned decimal: digits only, no sign, no spaces, <= max.
 * Returns 0 and *out, or -1. */
int cli_parse_u64(const char *text, uint64_t max, uint64_t *out);

/* A duration: decimal digits with an optional unit ms (the default), s, m
 * or h, e.g. "1500", "30s", "5m". Returns 0 and *out_ms, or -1 (also when
 * the result would not fit in 64 bits or is 0). */
int cli_parse_duration_ms(const char *text, uint64_t *out_ms);

#endif
