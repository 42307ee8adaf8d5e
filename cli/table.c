/*
 * table.c - aligned tables and safe terminal text (see table.h).
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define GAP 2
#define ELLIPSIS "..."
#define ELLIPSIS_WIDTH 3
#define MIN_FLEX_WIDTH 12

static int is_unsafe(unsigned char c, int keep_newlines)
{
    if (keep_newlines && (c == '\n' || c == '\t'))
        return 0;
    return c < 0x20 || c == 0x7f;
}

char *cli_text_sanitize(const char *s, int keep_newlines)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        copy[i] = i < len && is_unsafe((unsigned char)s[i], keep_newlines) ? '?' : s[i];
    return copy;
}

void cli_text_print(FILE *f, const char *s, int keep_newlines)
{
    for (; *s; s++)
        fputc(is_unsafe((unsigned char)*s, keep_newlines) ? '?' : *s, f);
}

size_t cli_text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)   /* not a continuation byte */
            w++;
    return w;
}

size_t cli_terminal_width(FILE *f)
{
    struct winsize ws;
    int fd = fileno(f);
    if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return 0;
    return ws.ws_col;
}

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers, int flex_col)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols < CLI_TABLE_MAX_COLS ? ncols : CLI_TABLE_MAX_COLS;
    for (size_t c = 0; c < t->ncols; c++)
        t->headers[c] = headers[c];
    t->flex_col = flex_col;
}

int cli_table_add_row(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
        if (grown == NULL)
            return -1;
        t->cells = grown;
        t->cap_rows = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = cli_text_sanitize(cells[c] ? cells[c] : "", 0);
        if (row[c] == NULL) {
            while (c-- > 0)
                free(row[c]);
            return -1;
        }
    }
    t->nrows++;
    return 0;
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Print cell s in `width` columns: cut with an ellipsis if it is wider,
 * padded with spaces unless it is the last column. */
static void print_cell(FILE *f, const char *s, size_t width, int pad)
{
    size_t w = cli_text_width(s);
    if (w > width) {
        size_t keep = width > ELLIPSIS_WIDTH ? width - ELLIPSIS_WIDTH : 0;
        size_t seen = 0;
        const char *p = s;
        for (; *p; p++) {
            if (((unsigned char)*p & 0xc0) != 0x80 && seen++ == keep)
                break;
        }
        fwrite(s, 1, (size_t)(p - s), f);
        fputs(width >= ELLIPSIS_WIDTH ? ELLIPSIS : "", f);
        return;
    }
    fputs(s, f);
    if (pad)
        for (; w < width; w++)
            fputc(' ', f);
}

static void column_widths(const cli_table *t, size_t *widths)
{
    for (size_t c = 0; c < t->ncols; c++) {
        widths[c] = cli_text_width(t->headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t w = cli_text_width(t->cells[r * t->ncols + c]);
            if (w > widths[c])
                widths[c] = w;
        }
    }
}

/* Shrink the flexible column so the table fits max_width, if it can. */
static void fit_width(const cli_table *t, size_t *widths, size_t max_width)
{
    if (max_width == 0 || t->flex_col < 0 || (size_t)t->flex_col >= t->ncols)
        return;
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        total += widths[c] + (c + 1 < t->ncols ? GAP : 0);
    size_t fc = (size_t)t->flex_col;
    if (total <= max_width)
        return;
    size_t excess = total - max_width;
    size_t room = widths[fc] > MIN_FLEX_WIDTH ? widths[fc] - MIN_FLEX_WIDTH : 0;
    widths[fc] -= excess < room ? excess : room;
}

/* The index of the last non-empty cell of a row (0 if all are empty), so
 * that no line ends in padding. */
static size_t last_filled(const char *const *cells, size_t ncols)
{
    size_t last = 0;
    for (size_t c = 0; c < ncols; c++)
        if (cells[c][0] != '\0')
            last = c;
    return last;
}

void cli_table_print(const cli_table *t, FILE *f, size_t max_width)
{
    size_t widths[CLI_TABLE_MAX_COLS];
    column_widths(t, widths);
    fit_width(t, widths, max_width);
    for (size_t r = 0; r <= t->nrows; r++) {
        const char *const *cells = r == 0 ? t->headers : (const char *const *)t->cells + (r - 1) * t->ncols;
        size_t last = last_filled(cells, t->ncols);
        for (size_t c = 0; c <= last; c++) {
            print_cell(f, cells[c], widths[c], c < last);
            if (c < last)
                fprintf(f, "%*s", GAP, "");
        }
        fputc('\n', f);
    }
}
