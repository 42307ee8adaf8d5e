/*
 * test_cli_unit.c - the parts of grite that need no daemon, in-process:
 * argument parsing, --help for every command, usage errors and their exit
 * status, issue ids, request ids, exit-status mapping, tables and times,
 * and where the daemon program is looked for.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "check_run.h"
#include "commands.h"
#include "daemon_program.h"
#include "dispatch.h"
#include "envelope.h"
#include "exit_codes.h"
#include "issue_id.h"
#include "table.h"
#include "temp_dir.h"
#include "timefmt.h"

/* ---- running cli_main in-process ---------------------------------------- */

typedef struct captured {
    int status;
    char *out;
    char *err;
} captured;

static captured run_main(const char *const *argv)
{
    char *args[32] = { (char *)"grite" };
    int argc = 1;
    for (; argv[argc - 1] != NULL; argc++)
        args[argc] = (char *)argv[argc - 1];
    captured c = { 0 };
    size_t out_len, err_len;
    FILE *out = open_memstream(&c.out, &out_len);
    FILE *err = open_memstream(&c.err, &err_len);
    ck_assert(out != NULL && err != NULL);
    c.status = cli_main(argc, args, out, err);
    fclose(out);
    fclose(err);
    return c;
}

static void captured_free(captured *c)
{
    free(c->out);
    free(c->err);
}

#define RUN(...) run_main((const char *const[]){ __VA_ARGS__, NULL })

static char scratch[64];

static void scratch_setup(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/grite-cli-unit.XXXXXX");
    ck_assert(mkdtemp(scratch) != NULL);
}

static void scratch_teardown(void)
{
    ck_assert_int_eq(test_remove_tree(scratch), 0);
}

/* ---- args ---------------------------------------------------------------- */

static int parse(cli_args *a, char err[CLI_ERROR_MAX], const char *const *argv)
{
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    return cli_args_parse(argc, (char *const *)argv, a, err);
}

#define PARSE(a, err, ...) parse(a, err, (const char *const[]){ "grite", __VA_ARGS__, NULL })

START_TEST(options_anywhere_and_both_forms)
{
    cli_args a;
    char err[CLI_ERROR_MAX];
    ck_assert_int_eq(PARSE(&a, err, "--json", "issue", "create", "--title=Hello world", "--label",
                           "bug", "--label=p1", "--data-dir", "/x"), 0);
    ck_assert_uint_eq(a.n_words, 2);
    ck_assert_str_eq(a.words[0], "issue");
    ck_assert_str_eq(a.words[1], "create");
    ck_assert(a.present[OPT_JSON]);
    ck_assert_str_eq(a.value[OPT_TITLE], "Hello world");
    ck_assert_str_eq(a.value[OPT_DATA_DIR], "/x");
    ck_assert_uint_eq(a.n_repeated, 2);
    ck_assert_str_eq(a.repeated[0], "bug");
    ck_assert_str_eq(a.repeated[1], "p1");
}
END_TEST

START_TEST(double_dash_ends_options)
{
    cli_args a;
    char err[CLI_ERROR_MAX];
    ck_assert_int_eq(PARSE(&a, err, "lock", "acquire", "--", "--weird-name", "-"), 0);
    ck_assert_uint_eq(a.n_words, 4);
    ck_assert_str_eq(a.words[2], "--weird-name");
    ck_assert_str_eq(a.words[3], "-");
    ck_assert(!a.present[OPT_HELP]);
}
END_TEST

START_TEST(option_errors_say_what)
{
    cli_args a;
    char err[CLI_ERROR_MAX];
    ck_assert_int_eq(PARSE(&a, err, "issue", "list", "--colour"), -1);
    ck_assert_str_eq(err, "unknown option --colour");
    ck_assert_int_eq(PARSE(&a, err, "issue", "create", "--title"), -1);
    ck_assert_str_eq(err, "option --title needs a value (T)");
    ck_assert_int_eq(PARSE(&a, err, "issue", "create", "--title", "a", "--title", "b"), -1);
    ck_assert_str_eq(err, "option --title given twice");
    ck_assert_int_eq(PARSE(&a, err, "--json=yes"), -1);
    ck_assert_str_eq(err, "option --json takes no value");
    ck_assert_int_eq(PARSE(&a, err, "-x"), -1);
    ck_assert_str_eq(err, "unknown option -x");
    ck_assert_int_eq(PARSE(&a, err, "a", "b", "c", "d", "e", "f", "g", "h", "i"), -1);
    ck_assert_str_eq(err, "too many arguments (unexpected \"i\")");
    /* A flag twice is harmless. */
    ck_assert_int_eq(PARSE(&a, err, "--json", "-h", "--json", "--help"), 0);
    ck_assert(a.present[OPT_HELP] && a.present[OPT_JSON]);
}
END_TEST

START_TEST(numbers_and_durations)
{
    uint64_t v;
    ck_assert_int_eq(cli_parse_u64("0", 10, &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(cli_parse_u64("4294967295", UINT32_MAX, &v), 0);
    ck_assert_uint_eq(v, UINT32_MAX);
    ck_assert_int_eq(cli_parse_u64("4294967296", UINT32_MAX, &v), -1);
    ck_assert_int_eq(cli_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
    ck_assert_int_eq(cli_parse_u64("18446744073709551616", UINT64_MAX, &v), -1);
    ck_assert_int_eq(cli_parse_u64("-1", UINT64_MAX, &v), -1);
    ck_assert_int_eq(cli_parse_u64(" 1", UINT64_MAX, &v), -1);
    ck_assert_int_eq(cli_parse_u64("", UINT64_MAX, &v), -1);
    ck_assert_int_eq(cli_parse_u64("12a", UINT64_MAX, &v), -1);

    static const struct { const char *text; uint64_t ms; } good[] = {
        { "1500", 1500 }, { "1500ms", 1500 }, { "30s", 30000 }, { "5m", 300000 },
        { "1h", 3600000 }, { "007s", 7000 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(cli_parse_duration_ms(good[i].text, &v) == 0, "%s", good[i].text);
        ck_assert_uint_eq(v, good[i].ms);
    }
    static const char *const bad[] = { "0", "0s", "s", "", "5x", "5 s", "-5s", "1.5s",
                                       "99999999999999999999h", "5h30m" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(cli_parse_duration_ms(bad[i], &v) == -1, "%s", bad[i]);
}
END_TEST

/* ---- help and usage errors, through cli_main ----------------------------- */

START_TEST(every_command_has_its_own_help)
{
    for (size_t i = 0; i < cli_n_commands; i++) {
        const cli_command *cmd = &cli_commands[i];
        char words[64], expect[80];
        cli_command_words(cmd, words, sizeof words);
        snprintf(expect, sizeof expect, "Usage: grite %s", words);
        captured c = cmd->name ? RUN(cmd->group, cmd->name, "--help") : RUN(cmd->group, "--help");
        ck_assert_msg(c.status == 0, "%s --help: %d", words, c.status);
        ck_assert_msg(strncmp(c.out, expect, strlen(expect)) == 0, "%s --help printed: %s", words, c.out);
        ck_assert_msg(strstr(c.out, cmd->summary + 1) != NULL, "%s: summary missing", words);
        ck_assert_str_eq(c.err, "");
        captured_free(&c);
        /* `grite help WORDS` is the same text. */
        captured h = cmd->name ? RUN("help", cmd->group, cmd->name) : RUN("help", cmd->group);
        ck_assert_int_eq(h.status, 0);
        ck_assert_msg(strncmp(h.out, expect, strlen(expect)) == 0, "help %s printed: %s", words, h.out);
        captured_free(&h);
    }
}
END_TEST

START_TEST(help_lists_options_of_the_command)
{
    captured c = RUN("issue", "create", "-h");
    ck_assert_int_eq(c.status, 0);
    ck_assert_ptr_nonnull(strstr(c.out, "--title T"));
    ck_assert_ptr_nonnull(strstr(c.out, "--label L"));
    ck_assert_ptr_nonnull(strstr(c.out, "--data-dir DIR"));
    ck_assert_ptr_null(strstr(c.out, "--ttl"));
    captured_free(&c);
}
END_TEST

START_TEST(main_and_group_help)
{
    captured c = RUN("--help");
    ck_assert_int_eq(c.status, 0);
    ck_assert_ptr_nonnull(strstr(c.out, "Usage: grite [OPTIONS] COMMAND"));
    for (size_t i = 0; i < cli_n_commands; i++)
        ck_assert_ptr_nonnull(strstr(c.out, cli_commands[i].summary));
    ck_assert_ptr_nonnull(strstr(c.out, "Exit status"));
    captured_free(&c);

    c = RUN("issue", "--help");
    ck_assert_int_eq(c.status, 0);
    ck_assert_ptr_nonnull(strstr(c.out, "Usage: grite issue COMMAND"));
    ck_assert_ptr_nonnull(strstr(c.out, "issue comment"));
    ck_assert_ptr_null(strstr(c.out, "lock acquire"));
    captured_free(&c);

    /* No command, or a group without its command: help on stderr, status 2. */
    c = run_main((const char *const[]){ NULL });
    ck_assert_int_eq(c.status, CLI_EXIT_USAGE);
    ck_assert_str_eq(c.out, "");
    ck_assert_ptr_nonnull(strstr(c.err, "Usage: grite"));
    captured_free(&c);
    c = RUN("daemon");
    ck_assert_int_eq(c.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(c.err, "Usage: grite daemon COMMAND"));
    captured_free(&c);
}
END_TEST

START_TEST(version)
{
    captured c = RUN("--version");
    ck_assert_int_eq(c.status, 0);
    ck_assert_msg(strncmp(c.out, "grite ", 6) == 0, "%s", c.out);
    ck_assert_ptr_nonnull(strstr(c.out, "fingerprint"));
    captured_free(&c);
}
END_TEST

/* Usage errors are found before any file or daemon is touched. */
START_TEST(usage_errors_exit_2_with_a_hint)
{
    static const struct {
        const char *argv[8];
        const char *message;
        const char *hint;
    } cases[] = {
        { { "frobnicate" }, "unknown command 'frobnicate'", "Try 'grite --help'." },
        { { "issue", "frob" }, "unknown command 'issue frob'", "Try 'grite --help'." },
        { { "issue", "create" }, "option --title T is required", "Try 'grite issue create --help'." },
        { { "issue", "show" }, "missing argument: grite issue show ID", "Try 'grite issue show --help'." },
        { { "issue", "show", "a", "b" }, "unexpected argument 'b'", NULL },
        { { "issue", "show", "abcd", "--title", "x" }, "option --title does not apply here", NULL },
        { { "issue", "show", "xyz!" }, "\"xyz!\" is not an issue id", NULL },
        { { "issue", "show", "abc" }, "\"abc\" is not an issue id", NULL },
        { { "issue", "list", "--state", "pending" }, "--state must be open or closed", NULL },
        { { "issue", "list", "--limit", "-3" }, "--limit must be a whole number", NULL },
        { { "issue", "list", "--offset", "4294967296" }, "--offset must be a whole number", NULL },
        { { "issue", "list", "--label", "a", "--label", "b" }, "issue list takes one --label", NULL },
        { { "issue", "update", "abcd" }, "issue update needs --title or --body", NULL },
        { { "issue", "comment", "abcd" }, "option --body B is required", NULL },
        { { "lock", "acquire", "r", "--ttl", "0" }, "--ttl must be a duration", NULL },
        { { "lock", "acquire", "r", "--ttl", "soon" }, "--ttl must be a duration", NULL },
        { { "lock", "release" }, "missing argument", NULL },
        { { "sync", "pull" }, "option --remote DIR is required", NULL },
        { { "sync", "push", "--remote", "" }, "--remote must not be empty", NULL },
        { { "doctor", "now" }, "unexpected argument 'now'", NULL },
        { { "daemon", "stop", "--state", "open" }, "option --state does not apply here", NULL },
        { { "--bogus" }, "unknown option --bogus", "Try 'grite --help'." },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *argv[10] = { 0 };
        size_t n = 0;
        for (; cases[i].argv[n] != NULL; n++)
            argv[n] = cases[i].argv[n];
        captured c = run_main(argv);
        ck_assert_msg(c.status == CLI_EXIT_USAGE, "case %zu (%s): status %d, stderr %s", i,
                      cases[i].message, c.status, c.err);
        ck_assert_msg(strncmp(c.err, "grite: error: ", 14) == 0, "case %zu: %s", i, c.err);
        ck_assert_msg(strstr(c.err, cases[i].message) != NULL, "case %zu: stderr %s", i, c.err);
        if (cases[i].hint)
            ck_assert_msg(strstr(c.err, cases[i].hint) != NULL, "case %zu: stderr %s", i, c.err);
        ck_assert_str_eq(c.out, "");
        captured_free(&c);
    }
}
END_TEST

START_TEST(bad_actor_and_repo_are_usage_errors)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/data", scratch);
    captured c = RUN("--data-dir", dir, "--actor", "ABCDEF", "issue", "list");
    ck_assert_int_eq(c.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(c.err, "--actor: \"ABCDEF\" is not an actor id"));
    captured_free(&c);

    setenv("GRITE_ACTOR", "0123456789abcdef0123456789abcdeg", 1);
    c = RUN("--data-dir", dir, "issue", "list");
    unsetenv("GRITE_ACTOR");
    ck_assert_int_eq(c.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(c.err, "GRITE_ACTOR: "));
    captured_free(&c);

    c = RUN("--data-dir", dir, "--repo", "/no/such/dir", "issue", "list");
    ck_assert_int_eq(c.status, CLI_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(c.err, "--repo /no/such/dir: No such file or directory"));
    captured_free(&c);
}
END_TEST

START_TEST(unusable_data_dir_is_an_environment_error)
{
    char file[128];
    snprintf(file, sizeof file, "%s/a-file", scratch);
    int fd = open(file, O_CREAT | O_WRONLY, 0600);
    ck_assert(fd >= 0);
    close(fd);
    captured c = RUN("--data-dir", file, "issue", "list");
    ck_assert_int_eq(c.status, CLI_EXIT_ENV);
    ck_assert_ptr_nonnull(strstr(c.err, "grite: error: "));
    ck_assert_ptr_nonnull(strstr(c.err, "a-file"));
    captured_free(&c);
}
END_TEST

/* ---- ids ------------------------------------------------------------------ */

START_TEST(issue_ids_as_typed)
{
    char out[CLI_ISSUE_ID_LEN + 1];
    ck_assert_int_eq(cli_issue_id_parse("0123456789abcdef0123456789abcdef", out), CLI_ID_FULL);
    ck_assert_str_eq(out, "0123456789abcdef0123456789abcdef");
    ck_assert_int_eq(cli_issue_id_parse(" 0123456789ABCDEF0123456789ABCDEF\n", out), CLI_ID_FULL);
    ck_assert_str_eq(out, "0123456789abcdef0123456789abcdef");
    ck_assert_int_eq(cli_issue_id_parse("3F2A", out), CLI_ID_PREFIX);
    ck_assert_str_eq(out, "3f2a");
    ck_assert_int_eq(cli_issue_id_parse("3f2a9c1e", out), CLI_ID_PREFIX);
    ck_assert_int_eq(cli_issue_id_parse("3f2", out), CLI_ID_INVALID);
    ck_assert_int_eq(cli_issue_id_parse("", out), CLI_ID_INVALID);
    ck_assert_int_eq(cli_issue_id_parse("3f2g", out), CLI_ID_INVALID);
    ck_assert_int_eq(cli_issue_id_parse("0123456789abcdef0123456789abcdef0", out), CLI_ID_INVALID);
    ck_assert_int_eq(cli_issue_id_parse("3f2a 9c1e", out), CLI_ID_INVALID);
}
END_TEST

START_TEST(request_ids_are_v4_uuids)
{
    unsigned char bytes[16];
    memset(bytes, 0xff, sizeof bytes);
    char out[CLI_REQUEST_ID_LEN + 1];
    cli_format_uuid(bytes, out);
    ck_assert_str_eq(out, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    memset(bytes, 0, sizeof bytes);
    cli_format_uuid(bytes, out);
    ck_assert_str_eq(out, "00000000-0000-4000-8000-000000000000");

    cli_envelope a = { 0 }, b = { 0 };
    ck_assert_int_eq(cli_envelope_new_request_id(&a), 0);
    ck_assert_int_eq(cli_envelope_new_request_id(&b), 0);
    ck_assert_uint_eq(strlen(a.request_id), 36);
    ck_assert_str_ne(a.request_id, b.request_id);
}
END_TEST

START_TEST(actor_ids)
{
    ck_assert(cli_is_actor_id("0123456789abcdef0123456789abcdef"));
    ck_assert(!cli_is_actor_id("0123456789ABCDEF0123456789abcdef"));
    ck_assert(!cli_is_actor_id("0123456789abcdef0123456789abcde"));
    ck_assert(!cli_is_actor_id("0123456789abcdef0123456789abcdef0"));
    ck_assert(!cli_is_actor_id(""));
}
END_TEST

/* ---- exit statuses -------------------------------------------------------- */

START_TEST(exit_status_mapping)
{
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_INVALID_ARGS), 2);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_NOT_FOUND), 3);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_CONFLICT), 4);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_IO_ERROR), 5);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_DB_BUSY), 1);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_IPC_ERROR), 1);
    ck_assert_int_eq(cli_exit_for_error_code(GRITE_ERROR_CODE_INTERNAL_ERROR), 1);
    ck_assert_int_eq(cli_exit_for_error_code((grite_ErrorCode)999), 1);

    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_NO_DAEMON), 5);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_CONNECT), 5);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_SCHEMA_MISMATCH), 5);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_REFUSED), 5);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_TIMEOUT), 1);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_CLOSED), 1);
    ck_assert_int_eq(cli_exit_for_transport(GRITE_ERR_FRAME_TOO_LARGE), 2);

    ck_assert_int_eq(cli_exit_for_lock_status(GRITE_LOCK_OK), 0);
    ck_assert_int_eq(cli_exit_for_lock_status(GRITE_LOCK_SPAWN_FAILED), 5);
    ck_assert_int_eq(cli_exit_for_lock_status(GRITE_LOCK_TIMEOUT), 5);
    ck_assert_int_eq(cli_exit_for_lock_status(GRITE_LOCK_SYSTEM), 5);
    ck_assert_int_eq(cli_exit_for_lock_status(GRITE_LOCK_INVALID_ARGUMENT), 2);
}
END_TEST

/* ---- tables and times ------------------------------------------------------ */

static char *print_table(const cli_table *t, size_t width)
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    ck_assert(f != NULL);
    cli_table_print(t, f, width);
    fclose(f);
    return text;
}

START_TEST(tables_align_by_code_points)
{
    static const char *const headers[] = { "ID", "TITLE", "LABELS" };
    cli_table t;
    cli_table_init(&t, 3, headers, 1);
    ck_assert_int_eq(cli_table_add_row(&t, (const char *const[]){ "aa", "Caf\xc3\xa9 cr\xc3\xa8me", "x" }), 0);
    ck_assert_int_eq(cli_table_add_row(&t, (const char *const[]){ "b", "Short", NULL }), 0);
    char *text = print_table(&t, 0);
    /* "Caf\xc3\xa9 cr\xc3\xa8me" is 10 columns (12 bytes); no line ends in padding. */
    static const char *const full =
        "ID  TITLE       LABELS\n"
        "aa  Caf\xc3\xa9 cr\xc3\xa8me  x\n"
        "b   Short\n";
    ck_assert_str_eq(text, full);
    free(text);

    /* Narrower than 22 columns: the title would have to go below 12, so
     * nothing is cut. */
    text = print_table(&t, 20);
    ck_assert_str_eq(text, full);
    free(text);
    cli_table_free(&t);

    cli_table_init(&t, 3, headers, 1);
    ck_assert_int_eq(cli_table_add_row(&t, (const char *const[]){ "aa", "A title that is much too long", "x" }), 0);
    text = print_table(&t, 26);
    /* 26 columns: the title gets 14, "..." included. */
    ck_assert_str_eq(text,
                     "ID  TITLE           LABELS\n"
                     "aa  A title tha...  x\n");
    free(text);
    cli_table_free(&t);
}
END_TEST

START_TEST(control_characters_never_reach_the_terminal)
{
    static const char *const headers[] = { "TITLE" };
    cli_table t;
    cli_table_init(&t, 1, headers, -1);
    ck_assert_int_eq(cli_table_add_row(&t, (const char *const[]){ "red\x1b[31m\ttab\x7f" }), 0);
    char *text = print_table(&t, 0);
    ck_assert_str_eq(text, "TITLE\nred?[31m?tab?\n");
    free(text);
    cli_table_free(&t);

    char *s = cli_text_sanitize("a\nb\tc\rd\x01", 1);
    ck_assert_str_eq(s, "a\nb\tc?d?");
    free(s);
}
END_TEST

START_TEST(times_for_people)
{
    char out[CLI_TIME_TEXT_MAX];
    const uint64_t now = UINT64_C(1717000000000);
    cli_format_age(now - 1000, now, out, sizeof out);
    ck_assert_str_eq(out, "just now");
    cli_format_age(now - 42000, now, out, sizeof out);
    ck_assert_str_eq(out, "42 s ago");
    cli_format_age(now - 5 * 60000 - 59000, now, out, sizeof out);
    ck_assert_str_eq(out, "5 min ago");
    cli_format_age(now - 3 * 3600000, now, out, sizeof out);
    ck_assert_str_eq(out, "3 h ago");
    cli_format_age(now - 86400000, now, out, sizeof out);
    ck_assert_str_eq(out, "1 day ago");
    cli_format_age(now - 2 * 86400000, now, out, sizeof out);
    ck_assert_str_eq(out, "2 days ago");
    cli_format_age(now + 5 * 60000, now, out, sizeof out);
    ck_assert_str_eq(out, "in 5 min");
    cli_format_age(now - UINT64_C(400) * 86400000, now, out, sizeof out);
    ck_assert_uint_eq(strlen(out), 10);   /* a date, YYYY-MM-DD */
    ck_assert(out[4] == '-' && out[7] == '-');

    cli_format_until(now + 59000, now, out, sizeof out);
    ck_assert_str_eq(out, "in 59 s");
    cli_format_until(now + 29998, now, out, sizeof out);
    ck_assert_str_eq(out, "in 30 s");
    cli_format_until(now + 300000, now, out, sizeof out);
    ck_assert_str_eq(out, "in 5 min");
    cli_format_until(now + 400, now, out, sizeof out);
    ck_assert_str_eq(out, "in 400 ms");
    cli_format_until(now, now, out, sizeof out);
    ck_assert_str_eq(out, "expired");

    cli_format_duration(850, out, sizeof out);
    ck_assert_str_eq(out, "850 ms");
    cli_format_duration(5 * 60000 + 3000, out, sizeof out);
    ck_assert_str_eq(out, "5 min 3 s");
    cli_format_duration(3 * 3600000 + 12 * 60000, out, sizeof out);
    ck_assert_str_eq(out, "3 h 12 min");
    cli_format_duration(2 * 86400000 + 4 * 3600000, out, sizeof out);
    ck_assert_str_eq(out, "2 days 4 h");
    cli_format_duration(3600000, out, sizeof out);
    ck_assert_str_eq(out, "1 h");
    cli_format_duration(86400000 + 60000, out, sizeof out);
    ck_assert_str_eq(out, "1 day");
}
END_TEST

/* ---- which daemon program ------------------------------------------------- */

static void make_executable(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    ck_assert(fd >= 0);
    ck_assert(write(fd, "#!/bin/sh\n", 10) == 10);
    close(fd);
}

START_TEST(daemon_program_env_then_path)
{
    char out[512], err[512];
    setenv("GRITE_DAEMON", "/opt/custom/grite-daemon", 1);
    ck_assert_int_eq(cli_daemon_program(out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, "/opt/custom/grite-daemon");

    /* No GRITE_DAEMON and none next to this test binary: PATH decides. */
    unsetenv("GRITE_DAEMON");
    char bin[128], program[160];
    snprintf(bin, sizeof bin, "%s/bin", scratch);
    ck_assert_int_eq(mkdir(bin, 0700), 0);
    snprintf(program, sizeof program, "%s/grite-daemon", bin);
    make_executable(program);
    char path[300];
    snprintf(path, sizeof path, "/nonexistent:%s:/usr/bin", bin);
    setenv("PATH", path, 1);
    ck_assert_int_eq(cli_daemon_program(out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, program);

    setenv("PATH", "/nonexistent", 1);
    ck_assert_int_eq(cli_daemon_program(out, sizeof out, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot find the grite-daemon program"));
}
END_TEST

/* ---- the manual page ------------------------------------------------------ */

static char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    ck_assert(m != NULL);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    fclose(f);
    fclose(m);
    return text;
}

/* "--data-dir" as roff writes it: "\-\-data\-dir". */
static void roff_dashes(const char *s, char *out, size_t n)
{
    size_t used = 0;
    for (; *s && used + 3 < n; s++) {
        if (*s == '-')
            out[used++] = '\\';
        out[used++] = *s;
    }
    out[used] = '\0';
}

START_TEST(man_page_names_every_option_and_command)
{
    char *page = read_text_file(GRITE_MANPAGE);
    for (int o = 0; o < OPT_COUNT_; o++) {
        char name[64], roff[160];
        snprintf(name, sizeof name, "--%s", cli_options[o].name);
        roff_dashes(name, roff, sizeof roff);
        ck_assert_msg(strstr(page, roff) != NULL, "grite.1 does not mention %s (as %s)", name, roff);
    }
    for (size_t i = 0; i < cli_n_commands; i++) {
        char words[64];
        cli_command_words(&cli_commands[i], words, sizeof words);
        if (cli_commands[i].name == NULL || strcmp(cli_commands[i].group, "daemon") == 0)
            snprintf(words, sizeof words, "%s", cli_commands[i].name ? cli_commands[i].name : cli_commands[i].group);
        ck_assert_msg(strstr(page, words) != NULL, "grite.1 does not mention %s", words);
    }
    char title_version[64];
    snprintf(title_version, sizeof title_version, "\"grite-ipc %s\"", GRITE_CLI_VERSION);
    ck_assert_msg(strstr(page, title_version) != NULL, "grite.1 does not say it is for %s", title_version);
    free(page);

    /* Warning-free roff, when groff is there to say. */
    if (access("/usr/bin/groff", X_OK) == 0) {
        char cmd[600], out[512] = "";
        snprintf(cmd, sizeof cmd, "/usr/bin/groff -man -ww -z '%s' 2>&1", GRITE_MANPAGE);
        FILE *p = popen(cmd, "r");
        ck_assert(p != NULL);
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = '\0';
        ck_assert_int_eq(pclose(p), 0);
        ck_assert_msg(n == 0, "groff: %s", out);
    }
}
END_TEST

static Suite *cli_unit_suite(void)
{
    Suite *s = suite_create("cli_unit");
    TCase *args = tcase_create("args");
    tcase_add_test(args, options_anywhere_and_both_forms);
    tcase_add_test(args, double_dash_ends_options);
    tcase_add_test(args, option_errors_say_what);
    tcase_add_test(args, numbers_and_durations);
    suite_add_tcase(s, args);

    TCase *usage = tcase_create("usage");
    tcase_add_checked_fixture(usage, scratch_setup, scratch_teardown);
    tcase_add_test(usage, every_command_has_its_own_help);
    tcase_add_test(usage, help_lists_options_of_the_command);
    tcase_add_test(usage, main_and_group_help);
    tcase_add_test(usage, version);
    tcase_add_test(usage, usage_errors_exit_2_with_a_hint);
    tcase_add_test(usage, bad_actor_and_repo_are_usage_errors);
    tcase_add_test(usage, unusable_data_dir_is_an_environment_error);
    tcase_add_test(usage, daemon_program_env_then_path);
    tcase_add_test(usage, man_page_names_every_option_and_command);
    suite_add_tcase(s, usage);

    TCase *values = tcase_create("values");
    tcase_add_test(values, issue_ids_as_typed);
    tcase_add_test(values, request_ids_are_v4_uuids);
    tcase_add_test(values, actor_ids);
    tcase_add_test(values, exit_status_mapping);
    tcase_add_test(values, tables_align_by_code_points);
    tcase_add_test(values, control_characters_never_reach_the_terminal);
    tcase_add_test(values, times_for_people);
    suite_add_tcase(s, values);
    return s;
}

int main(void)
{
    return grite_check_run(cli_unit_suite());
}
