/*
 * args.c - splitting argv into options and words (see args.h).
 */
#include "args.h"

#include <stdio.h>
#include <string.h>

const cli_option_spec cli_options[OPT_COUNT_] = {
    [OPT_TITLE] = { "title", 0, false, "T", "the issue's title (1..1024 bytes, one line)" },
    [OPT_BODY] = { "body", 0, false, "B", "the text (may span lines; \"-\" reads standard input)" },
    [OPT_LABEL] = { "label", 0, true, "L", "a label (repeat for several)" },
    [OPT_STATE] = { "state", 0, false, "open|closed", "only issues in this state" },
    [OPT_LIMIT] = { "limit", 0, false, "N", "at most N issues (default: the daemon's limit)" },
    [OPT_OFFSET] = { "offset", 0, false, "N", "skip the first N issues (paging)" },
    [OPT_TTL] = { "ttl", 0, false, "DURATION", "how long the lease lasts: 1500, 1500ms, 30s, 5m, 1h (default 60s)" },
    [OPT_REMOTE] = { "remote", 0, false, "DIR", "the other data directory" },
    [OPT_DATA_DIR] = { "data-dir", 0, false, "DIR", "where issues and the daemon live (default: $GRITE_DATA_DIR, $XDG_DATA_HOME/grite, ~/.local/share/grite)" },
    [OPT_REPO] = { "repo", 0, false, "DIR", "the repository the request is about (default: the current directory)" },
    [OPT_ACTOR] = { "actor", 0, false, "ID", "act as this actor (32 hex digits; default: $GRITE_ACTOR, else <data dir>/actor)" },
    [OPT_JSON] = { "json", 0, false, NULL, "print the daemon's reply as JSON, for scripts" },
    [OPT_HELP] = { "help", 'h', false, NULL, "show this help" },
    [OPT_VERSION] = { "version", 0, false, NULL, "print grite's version and protocol fingerprint" },
};

static int find_long(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT_; i++)
        if (strlen(cli_options[i].name) == len && memcmp(cli_options[i].name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(char c)
{
    for (int i = 0; i < OPT_COUNT_; i++)
        if (cli_options[i].short_name != 0 && cli_options[i].short_name == c)
            return i;
    return -1;
}

/* Record option `o` with `value` (NULL for flags). */
static int store_option(cli_args *a, int o, const char *value, char err[CLI_ERROR_MAX])
{
    const cli_option_spec *spec = &cli_options[o];
    if (spec->repeatable) {
        if (a->n_repeated == CLI_MAX_REPEATED) {
            snprintf(err, CLI_ERROR_MAX, "too many --%s options (at most %d)", spec->name,
                     CLI_MAX_REPEATED);
            return -1;
        }
        a->repeated[a->n_repeated++] = value;
    } else if (a->present[o] && spec->metavar != NULL) {
        snprintf(err, CLI_ERROR_MAX, "option --%s given twice", spec->name);
        return -1;
    }
    a->present[o] = true;
    a->value[o] = value;
    return 0;
}

/* One argument that starts with '-'; may consume the next one as its
 * value (*i is advanced past what was used). */
static int parse_option(int argc, char *const *argv, int *i, cli_args *a, char err[CLI_ERROR_MAX])
{
    const char *arg = argv[*i];
    const char *inline_value = NULL;
    int o;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        o = find_long(name, len);
        if (eq)
            inline_value = eq + 1;
    } else {
        o = arg[2] == '\0' ? find_short(arg[1]) : -1;
    }
    if (o < 0) {
        snprintf(err, CLI_ERROR_MAX, "unknown option %s", arg);
        return -1;
    }
    const cli_option_spec *spec = &cli_options[o];
    if (spec->metavar == NULL) {
        if (inline_value) {
            snprintf(err, CLI_ERROR_MAX, "option --%s takes no value", spec->name);
            return -1;
        }
        return store_option(a, o, NULL, err);
    }
    if (inline_value == NULL) {
        if (*i + 1 >= argc) {
            snprintf(err, CLI_ERROR_MAX, "option --%s needs a value (%s)", spec->name, spec->metavar);
            return -1;
        }
        inline_value = argv[++*i];
    }
    return store_option(a, o, inline_value, err);
}

static int store_word(cli_args *a, const char *word, char err[CLI_ERROR_MAX])
{
    if (a->n_words == CLI_MAX_WORDS) {
        snprintf(err, CLI_ERROR_MAX, "too many arguments (unexpected \"%s\")", word);
        return -1;
    }
    a->words[a->n_words++] = word;
    return 0;
}

int cli_args_parse(int argc, char *const *argv, cli_args *out, char err[CLI_ERROR_MAX])
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    bool options_ended = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;
        if (options_ended || arg[0] != '-' || arg[1] == '\0') {
            rc = store_word(out, arg, err);     /* "-" alone is a word */
        } else if (strcmp(arg, "--") == 0) {
            options_ended = true;
            rc = 0;
        } else {
            rc = parse_option(argc, argv, &i, out, err);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cli_args_first_unexpected(const cli_args *a, uint32_t allowed)
{
    for (int i = 0; i < OPT_COUNT_; i++)
        if (a->present[i] && !(allowed & CLI_OPT_BIT(i)))
            return i;
    return -1;
}

int cli_parse_u64(const char *text, uint64_t max, uint64_t *out)
{
    if (text == NULL || *text == '\0')
        return -1;
    uint64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int cli_parse_duration_ms(const char *text, uint64_t *out_ms)
{
    if (text == NULL)
        return -1;
    size_t digits = strspn(text, "0123456789");
    static const struct { const char *suffix; uint64_t ms; } units[] = {
        { "", 1 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        if (strcmp(text + digits, units[u].suffix) != 0)
            continue;
        char number[32];
        if (digits == 0 || digits >= sizeof number)
            return -1;
        memcpy(number, text, digits);
        number[digits] = '\0';
        uint64_t n;
        if (cli_parse_u64(number, UINT64_MAX / units[u].ms, &n) != 0 || n == 0)
            return -1;
        *out_ms = n * units[u].ms;
        return 0;
    }
    return -1;
}
