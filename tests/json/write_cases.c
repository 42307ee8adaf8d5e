/*
 * write_cases.c - write every JSON case's output for check_json.py:
 *   write_cases DIR  ->  DIR/NAME.json (compact), DIR/NAME.pretty.json,
 *                        DIR/MANIFEST ("NAME exact" or "NAME loose" per line)
 * "exact" cases are those whose text Python's json.dumps reproduces byte
 * for byte (no floats spelled differently).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_cases.h"

static int write_file(const char *dir, const char *name, const char *suffix, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    if (fclose(f) != 0 || !ok) {
        perror(path);
        return -1;
    }
    return 0;
}

static int write_case(const char *dir, const json_case *c, FILE *manifest)
{
    const char *why;
    char *compact = json_case_render(c, 0, &why);
    char *pretty = compact ? json_case_render(c, GRITE_JSON_PRETTY, &why) : NULL;
    int rc = -1;
    if (!compact || !pretty)
        fprintf(stderr, "write_cases: %s: %s\n", c->name, why);
    else if (write_file(dir, c->name, ".json", compact) == 0 &&
             write_file(dir, c->name, ".pretty.json", pretty) == 0)
        rc = fprintf(manifest, "%s %s\n", c->name, c->python_exact ? "exact" : "loose") < 0 ? -1 : 0;
    free(compact);
    free(pretty);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: write_cases DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST", argv[1]);
    FILE *manifest = fopen(path, "w");
    if (!manifest) {
        perror(path);
        return 1;
    }
    int failed = 0;
    for (size_t i = 0; i < grite_json_n_cases; i++)
        failed |= write_case(argv[1], &grite_json_cases[i], manifest) != 0;
    for (size_t i = 0; i < types_json_n_cases; i++)
        failed |= write_case(argv[1], &types_json_cases[i], manifest) != 0;
    if (fclose(manifest) != 0)
        failed = 1;
    return failed ? 1 : 0;
}
