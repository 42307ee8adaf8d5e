/*
 * table.h - aligned text tables for people, and the text helpers they
 * need.
 *
 *     ID        STATE   TITLE                   LABELS    UPDATED
 *     3f2a9c1e  open    Daemon loses its lock   bug, p1   5 min ago
 *
 * Columns are as wide as their widest cell, two spaces apart; the last one
 * is not padded. On a terminal narrower than the table, one "flexible"
 * column (a title) is cut to fit, ending in "...". Widths count UTF-8 code
 * points, which is right for Latin, Greek, Cyrillic and the like; East
 * Asian wide characters and combining marks make a row a little off.
 * Cells are copied, with control characters replaced by '?' so that text
 * from the store cannot move the cursor or change the terminal.
 */
#ifndef GRITE_CLI_TABLE_H
#define GRITE_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define CLI_TABLE_MAX_COLS 8

typedef struct cli_table {
    size_t ncols;
    const char *headers[CLI_TABLE_MAX_COLS];
    int flex_col;        /* the column cut to fit, or -1 */
    char **cells;        /* nrows * ncols copies */
    size_t nrows;
    size_t cap_rows;
} cli_table;

/* A table with ncols columns (at most CLI_TABLE_MAX_COLS) named by
 * headers (borrowed); flex_col is the column to cut, or -1. */
void cli_table_init(cli_table *t, size_t ncols, const char *const *headers, int flex_col);

/* Append a row of ncols cells (copied; NULL is an empty cell). Returns 0,
 * or -1 when out of memory. */
int cli_table_add_row(cli_table *t, const char *const *cells);

/* Print the header and the rows. max_width 0: never cut. */
void cli_table_print(const cli_table *t, FILE *f, size_t max_width);

void cli_table_free(cli_table *t);

/* The number of columns s takes on a terminal (its UTF-8 code points). */
size_t cli_text_width(const char *s);

/* A copy of s, with C0 control characters and DEL replaced by '?',
 * except that '\n' and '\t' are kept when keep_newlines is set. The
 * caller frees it; NULL when out of memory. */
char *cli_text_sanitize(const char *s, int keep_newlines);

/* Print s like cli_text_sanitize would make it. */
void cli_text_print(FILE *f, const char *s, int keep_newlines);

/* The width of the terminal f writes to, or 0 if f is not a terminal. */
size_t cli_terminal_width(FILE *f);

#endif
