/*
 * main.c - the gritec command line.
 *
 *   gritec [options] FILE.idl -o DIR      writes DIR/FILE.h
 *
 * Exit status: 0 success, 1 the input has errors (or a file cannot be read
 * or written), 2 the command line is wrong. The header is written to a
 * temporary file in DIR and renamed into place, so DIR never holds a
 * partial header, whatever happens.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "source.h"

#ifndef GRITE_VERSION
#define GRITE_VERSION "unknown"
#endif

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: gritec [options] FILE.idl -o DIR\n"
    "\n"
    "Compile a grite IDL file (docs/IDL.md) into one C header, DIR/FILE.h\n"
    "(docs/GENERATED_API.md describes its API).\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   write the header into DIR; '-' writes it to standard output\n"
    "  -h, --help         show this help and exit\n"
    "      --version      show gritec's version and exit\n"
    "\n"
    "Errors go to standard error as FILE:LINE:COLUMN: error: MESSAGE.\n"
    "Exit status: 0 success, 1 the input has errors or a file cannot be read or\n"
    "written, 2 the command line is wrong.\n";

/* What the command line asks for. A future `--compat OLD.idl NEW.idl`
 * (schema compatibility check) becomes another mode with its own inputs. */
typedef enum cli_mode { MODE_COMPILE, MODE_HELP, MODE_VERSION } cli_mode;

typedef struct cli {
    cli_mode mode;
    const char *input;
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

/* Fills c from argv; returns 0 or an exit status for a usage error. */
static int parse_args(int argc, char **argv, cli *c)
{
    bool options_done = false;
    c->mode = MODE_COMPILE;
    c->input = NULL;
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
            } else if (strcmp(a, "--") == 0) {
                options_done = true;
            } else {
                return usage_error("unknown option '%s'", a);
            }
            continue;
        }
        if (c->input != NULL)
            return usage_error("more than one input file ('%s')", a);
        c->input = a;
    }
    if (c->input == NULL)
        return usage_error("%s", "no input file");
    if (c->out_dir == NULL)
        return usage_error("%s", "no output directory (use -o DIR, or -o - for standard output)");
    return 0;
}

/* ---- output ---------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* "dir/grite.idl" -> "grite.h" (a name without ".idl" just gets ".h"). */
static char *header_name(const char *idl_path)
{
    const char *base = base_name(idl_path);
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".idl") == 0)
        n -= 4;
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
        int fd = mkstemp(tmp_path);
        if (fd < 0) {
            diag_error_noloc(d, "cannot create a file in '%s': %s", dir, strerror(errno));
        } else if (!emit_to_fd(s, base_name(idl_path), fd) || rename(tmp_path, final_path) != 0) {
            diag_error_noloc(d, "cannot write '%s': %s", final_path,
                             errno != 0 ? strerror(errno) : "write error");
            unlink(tmp_path);
        } else {
            ok = true;
        }
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

static int compile_file(const cli *c)
{
    diag_ctx d;
    diag_init(&d, c->input, NULL, 0, stderr);
    source_text src;
    if (!source_read(c->input, &src, &d))
        return EXIT_INPUT_ERROR;
    d.src = src.text;
    d.src_len = src.len;
    schema *s = compile_source(c->input, src.text, src.len, &d);
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

int main(int argc, char **argv)
{
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
    case MODE_COMPILE:
        break;
    }
    return compile_file(&c);
}
