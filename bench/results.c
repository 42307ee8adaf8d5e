/*
 * results.c - collecting figures into rows and printing them.
 */
#include "results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

result_row *results_add(result_table *t, const char *name)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        result_row *rows = realloc(t->rows, cap * sizeof *rows);
        if (rows == NULL)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    result_row *r = &t->rows[t->len++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

void row_set(result_row *r, const char *key, double value)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (strcmp(r->fields[i].key, key) == 0) {
            r->fields[i].value = value;
            return;
        }
    }
    if (r->nfields == RESULT_FIELDS_MAX) {
        fprintf(stderr, "grite-bench: row %s has too many figures, dropped %s\n", r->name, key);
        return;
    }
    r->fields[r->nfields++] = (result_field){key, value};
}

double row_get(const result_row *r, const char *key, double fallback)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].key, key) == 0)
            return r->fields[i].value;
    return fallback;
}

/* ---- tables ---------------------------------------------------------- */

static size_t section_len(const char *name)
{
    const char *slash = strchr(name, '/');
    return slash ? (size_t)(slash - name) : strlen(name);
}

static bool same_section(const char *a, const char *b)
{
    size_t n = section_len(a);
    return n == section_len(b) && strncmp(a, b, n) == 0;
}

/* Integers print as integers, everything else with 3 significant
 * decimals at most: the noise of this machine makes more digits lies. */
static void format_number(double v, char *out, size_t n)
{
    if (!isfinite(v))
        snprintf(out, n, "-");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, n, "%.0f", v);
    else if (fabs(v) >= 1000.0)
        snprintf(out, n, "%.0f", v);
    else if (fabs(v) >= 100.0)
        snprintf(out, n, "%.1f", v);
    else
        snprintf(out, n, "%.2f", v);
}

typedef struct column_set {
    const char *keys[RESULT_FIELDS_MAX * 2];
    size_t width[RESULT_FIELDS_MAX * 2];
    size_t len;
} column_set;

static void columns_add(column_set *c, const char *key)
{
    for (size_t i = 0; i < c->len; i++)
        if (strcmp(c->keys[i], key) == 0)
            return;
    if (c->len < sizeof c->keys / sizeof c->keys[0]) {
        c->keys[c->len] = key;
        c->width[c->len] = strlen(key);
        c->len++;
    }
}

static void print_section(const result_table *t, size_t first, FILE *out)
{
    column_set cols = {0};
    size_t name_width = 4;
    for (size_t i = first; i < t->len && same_section(t->rows[i].name, t->rows[first].name); i++) {
        const result_row *r = &t->rows[i];
        if (strlen(r->name) > name_width)
            name_width = strlen(r->name);
        for (size_t k = 0; k < r->nfields; k++)
            columns_add(&cols, r->fields[k].key);
    }
    for (size_t i = first; i < t->len && same_section(t->rows[i].name, t->rows[first].name); i++) {
        for (size_t c = 0; c < cols.len; c++) {
            char num[32];
            format_number(row_get(&t->rows[i], cols.keys[c], NAN), num, sizeof num);
            if (strlen(num) > cols.width[c])
                cols.width[c] = strlen(num);
        }
    }
    fprintf(out, "%-*s", (int)name_width, "name");
    for (size_t c = 0; c < cols.len; c++)
        fprintf(out, "  %*s", (int)cols.width[c], cols.keys[c]);
    fputc('\n', out);
    for (size_t i = first; i < t->len && same_section(t->rows[i].name, t->rows[first].name); i++) {
        fprintf(out, "%-*s", (int)name_width, t->rows[i].name);
        for (size_t c = 0; c < cols.len; c++) {
            char num[32];
            format_number(row_get(&t->rows[i], cols.keys[c], NAN), num, sizeof num);
            fprintf(out, "  %*s", (int)cols.width[c], num);
        }
        fputc('\n', out);
    }
}

void results_print(const result_table *t, FILE *out)
{
    for (size_t i = 0; i < t->len; i++) {
        if (i > 0 && same_section(t->rows[i].name, t->rows[i - 1].name))
            continue;
        if (i > 0)
            fputc('\n', out);
        print_section(t, i, out);
    }
}

/* ---- JSON ------------------------------------------------------------ */

/* Row names and keys are ours (no quotes or control characters), but
 * escape anyway so the file stays valid JSON whatever a name holds. */
static void write_json_string(const char *s, FILE *out)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void write_json_number(double v, FILE *out)
{
    if (!isfinite(v))
        fputs("null", out);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.6g", v);
}

bool results_write_json(const result_table *t, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL)
        return false;
    fputs("[\n", out);
    for (size_t i = 0; i < t->len; i++) {
        const result_row *r = &t->rows[i];
        fputs("  {\"name\": ", out);
        write_json_string(r->name, out);
        for (size_t k = 0; k < r->nfields; k++) {
            fputs(", ", out);
            write_json_string(r->fields[k].key, out);
            fputs(": ", out);
            write_json_number(r->fields[k].value, out);
        }
        fputs(i + 1 < t->len ? "},\n" : "}\n", out);
    }
    fputs("]\n", out);
    bool ok = !ferror(out);
    return fclose(out) == 0 && ok;
}

void results_free(result_table *t)
{
    free(t->rows);
    *t = (result_table){0};
}
