/*
 * main.c - the gritec command line.
 *
 *   gritec [options] FILE.idl -o DIR      writes DIR/FILE.h
 *   gritec --compat OLD.idl NEW.idl       can programs built from both still talk?
 *
 * Exit status: 0 success, 1 the input has errors (or a file cannot be read
 * or written), 2 the command line is wrong. The header is written to a
 * temporary file in DIR and renamed into place, so DIR never holds a
 * partial header, whatever happens; the temporary file is removed on a
 * write error and when a signal (Ctrl-C, a file size limit) ends gritec
 * while it writes. --compat exits like diff(1): 0 when the schemas are
 * compatible, 1 when a change is breaking, 2 when they could not be
 * compared (the command line, or either file unreadable or with errors),
 * so a script never takes trouble for a breaking change (docs/IDL.md 8).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "source.h"
#include "strbuf.h"

#ifndef GRITE_VERSION
#define GRITE_VERSION "unknown"
#endif

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };
enum { EXIT_BREAKING = 1, EXIT_NOT_COMPARED = 2 }; /* --compat, like diff(1) */

static const char usage_text[] =
    "usage: gritec [options] FILE.idl -o DIR\n"
    "       gritec --compat OLD.idl NEW.idl\n"
    "\n"
    "Compile a grite IDL file (docs/IDL.md) into one C header, DIR/FILE.h\n"
    "(docs/GENERATED_API.md describes its API), or say whether programs built\n"
    "from two versions of a schema can still talk to each other.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   write the header into DIR; '-' writes it to standard output\n"
    "      --compat       compare OLD.idl with NEW.idl: print each change as\n"
    "                     NEW:LINE:COL: compatible|warning|breaking: WHAT (OLD:LINE:COL)\n"
    "                     then a summary line, on standard output\n"
    "  -h, --help         show this help and exit\n"
    "      --version      show gritec's version and exit\n"
    "\n"
    "Errors go to standard error as FILE:LINE:COLUMN: error: MESSAGE.\n"
    "Exit status: 0 success, 1 the input has errors or a file cannot be read or\n"
    "written, 2 the command line is wrong. --compat: 0 compatible, 1 a change is\n"
    "breaking, 2 not compared (the command line is wrong, or a file cannot be read\n"
    "or has errors).\n";

/* What the command line asks for. */
typedef enum cli_mode { MODE_COMPILE, MODE_COMPAT, MODE_HELP, MODE_VERSION } cli_mode;

typedef struct cli {
    cli_mode mode;
    const char *input;       /* MODE_COMPILE: the .idl; MODE_COMPAT: OLD.idl */
    const char *new_input;   /* MODE_COMPAT: NEW.idl */
    const char *extra_input; /* a third input file: always a usage error */
    const char *out_dir;
} cli;

static int usage_error(const char *fmt, ...) GRITEC_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gritec: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\ntry 'gritec --help'\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

/* The value of an option taking one argument: "-o DIR", "-oDIR",
 * "--output DIR", "--output=DIR". NULL if this argument is not it. */
static const char *option_value(int argc, char **argv, int *i, const char *shrt, const char *lng,
                                bool *missing)
{
    const char *a = argv[*i];
    size_t ls = strlen(shrt), ll = strlen(lng);
    const char *inline_value = NULL;
    if (strcmp(a, shrt) == 0 || strcmp(a, lng) == 0) {
        if (*i + 1 >= argc) {
            *missing = true;
            return NULL;
        }
        return argv[++*i];
    }
    if (strncmp(a, lng, ll) == 0 && a[ll] == '=')
        inline_value = a + ll + 1;
    else if (strncmp(a, shrt, ls) == 0 && a[ls] != '\0' && a[1] != '-')
        inline_value = a + ls;
    return inline_value;
}

/* The inputs are right for the mode; returns 0 or a usage error's status. */
static int check_inputs(const cli *c)
{
    if (c->mode == MODE_COMPAT) {
        if (c->extra_input != NULL)
            return usage_error("more than two input files ('%s')", c->extra_input);
        if (c->new_input == NULL)
            return usage_error("%s", "--compat needs two input files, OLD.idl and NEW.idl");
        if (c->out_dir != NULL)
            return usage_error("%s", "option '-o' cannot be used with --compat");
        return 0;
    }
    if (c->new_input != NULL)
        return usage_error("more than one input file ('%s')", c->new_input);
    if (c->input == NULL)
        return usage_error("%s", "no input file");
    if (c->out_dir == NULL)
        return usage_error("%s", "no output directory (use -o DIR, or -o - for standard output)");
    return 0;
}

/* Fills c from argv; returns 0 or an exit status for a usage error. */
static int parse_args(int argc, char **argv, cli *c)
{
    bool options_done = false;
    c->mode = MODE_COMPILE;
    c->input = NULL;
    c->new_input = NULL;
    c->extra_input = NULL;
    c->out_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool missing = false;
        if (!options_done && a[0] == '-' && a[1] != '\0') {
            const char *value = option_value(argc, argv, &i, "-o", "--output", &missing);
            if (missing)
                return usage_error("option '%s' needs a directory", a);
            if (value != NULL) {
                if (value[0] == '\0')
                    return usage_error("option '%s' needs a directory",
                                       a[1] == '-' ? "--output" : "-o");
                c->out_dir = value;
            } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                c->mode = MODE_HELP;
                return 0;
            } else if (strcmp(a, "--version") == 0) {
                c->mode = MODE_VERSION;
                return 0;
            } else if (strcmp(a, "--compat") == 0) {
                c->mode = MODE_COMPAT;
            } else if (strcmp(a, "--") == 0) {
                options_done = true;
            } else {
                return usage_error("unknown option '%s'", a);
            }
            continue;
        }
        if (c->input == NULL)
            c->input = a;
        else if (c->new_input == NULL)
            c->new_input = a;
        else if (c->extra_input == NULL)
            c->extra_input = a;
    }
    return check_inputs(c);
}

/* ---- output ---------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* "dir/grite.idl" -> "grite.h" (emit_header_stem_len). */
static char *header_name(const char *idl_path)
{
    const char *base = base_name(idl_path);
    size_t n = emit_header_stem_len(base);
    char *name = malloc(n + 3);
    if (name == NULL)
        return NULL;
    memcpy(name, base, n);
    memcpy(name + n, ".h", 3);
    return name;
}

static char *join_path(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

/* The temporary header while it is being written: a signal that ends
 * gritec then removes it first (only async-signal-safe calls here). */
static char pending_path[4096];
static volatile sig_atomic_t pending;

static void remove_pending_and_die(int sig)
{
    if (pending)
        unlink(pending_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Signals whose default action ends the process, and that may come while
 * the header is written. Ones the caller ignores stay ignored (nohup, or a
 * write failing with EFBIG instead of SIGXFSZ). */
static void remove_pending_on_signals(void)
{
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_pending_and_die;
        sigemptyset(&sa.sa_mask);
        sigaction(signals[i], &sa, NULL);
    }
}

/* mkstemp, and register the file for removal by a signal. */
static int create_pending(char *tmp_path)
{
    int fd = mkstemp(tmp_path);
    size_t n = strlen(tmp_path);
    if (fd >= 0 && n < sizeof pending_path) {
        memcpy(pending_path, tmp_path, n + 1);
        pending = 1;
    }
    return fd;
}

/* Emit into an already created temporary file and close it. */
static bool emit_to_fd(const schema *s, const char *idl_name, int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, (mode_t)(0666 & ~mask)) != 0) {
        close(fd);
        return false;
    }
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        return false;
    }
    bool ok = emit_c_header(s, idl_name, f);
    ok = fflush(f) == 0 && ok && !ferror(f);
    int saved = errno;
    if (fclose(f) != 0)
        ok = false;
    else if (!ok)
        errno = saved;
    return ok;
}

static bool write_header_file(const schema *s, const char *idl_path, const char *dir,
                              diag_ctx *d)
{
    char *name = header_name(idl_path);
    char *final_path = name != NULL ? join_path(dir, "", name, "") : NULL;
    char *tmp_path = name != NULL ? join_path(dir, ".", name, ".tmp.XXXXXX") : NULL;
    bool ok = false;
    if (final_path == NULL || tmp_path == NULL) {
        diag_error_noloc(d, "out of memory");
    } else {
        int fd = create_pending(tmp_path);
        if (fd < 0) {
            diag_error_noloc(d, "cannot create a file in '%s': %s", dir, strerror(errno));
        } else if (!emit_to_fd(s, base_name(idl_path), fd) || rename(tmp_path, final_path) != 0) {
            diag_error_noloc(d, "cannot write '%s': %s", final_path,
                             errno != 0 ? strerror(errno) : "write error");
            unlink(tmp_path);
        } else {
            ok = true;
        }
        pending = 0;
    }
    free(name);
    free(final_path);
    free(tmp_path);
    return ok;
}

static bool write_header_stdout(const schema *s, const char *idl_path, diag_ctx *d)
{
    bool ok = emit_c_header(s, base_name(idl_path), stdout);
    if (fflush(stdout) != 0 || ferror(stdout) || !ok) {
        diag_error_noloc(d, "cannot write the header to standard output: %s", strerror(errno));
        return false;
    }
    return true;
}

/* ---- main -------------------------------------------------------------------- */

/* Read and compile one .idl file into *s (NULL after reporting its errors).
 * d reports about this file; src holds its text while d may quote it. */
static void load_schema(const char *path, diag_ctx *d, source_text *src, schema **s)
{
    diag_init(d, path, NULL, 0, stderr);
    *s = NULL;
    if (!source_read(path, src, d))
        return;
    d->src = src->text;
    d->src_len = src->len;
    *s = compile_source(path, src->text, src->len, d);
}

static int compile_file(const cli *c)
{
    diag_ctx d;
    source_text src;
    schema *s;
    load_schema(c->input, &d, &src, &s);
    bool ok = s != NULL;
    if (ok) {
        errno = 0;
        ok = strcmp(c->out_dir, "-") == 0 ? write_header_stdout(s, c->input, &d)
                                         : write_header_file(s, c->input, c->out_dir, &d);
    }
    ast_free(s);
    source_free(&src);
    return ok ? EXIT_SUCCESS : EXIT_INPUT_ERROR;
}

static int flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return EXIT_SUCCESS;
    fprintf(stderr, "gritec: error: cannot write to standard output: %s\n", strerror(errno));
    return EXIT_INPUT_ERROR;
}

/* --compat: both files are compiled (so both report their errors), then
 * compared; the report goes to standard output. Any trouble on the way is
 * EXIT_NOT_COMPARED, never EXIT_BREAKING. */
static int compare_files(const cli *c)
{
    diag_ctx old_d, new_d;
    source_text old_src, new_src;
    schema *old_s, *new_s;
    load_schema(c->input, &old_d, &old_src, &old_s);
    load_schema(c->new_input, &new_d, &new_src, &new_s);
    int status = EXIT_NOT_COMPARED;
    if (old_s != NULL && new_s != NULL) {
        strbuf report = STRBUF_INIT;
        bool compatible = compat_check(old_s, new_s, &report, NULL);
        fputs(sb_str(&report), stdout);
        sb_free(&report);
        if (flush_stdout() == EXIT_SUCCESS)
            status = compatible ? EXIT_SUCCESS : EXIT_BREAKING;
    }
    ast_free(old_s);
    ast_free(new_s);
    source_free(&old_src);
    source_free(&new_src);
    return status;
}

int main(int argc, char **argv)
{
    remove_pending_on_signals();
    cli c;
    int status = parse_args(argc, argv, &c);
    if (status != 0)
        return status;
    switch (c.mode) {
    case MODE_HELP:
        fputs(usage_text, stdout);
        return flush_stdout();
    case MODE_VERSION:
        printf("gritec %s\n", GRITE_VERSION);
        return flush_stdout();
    case MODE_COMPAT:
        return compare_files(&c);
    case MODE_COMPILE:
        break;
    }
    return compile_file(&c);
}
