/*
 * compat_util.c - see compat_util.h.
 */
#include "compat_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "strbuf.h"

char *cu_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    strbuf text = STRBUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&text, chunk, n);
    ck_assert_int_eq(ferror(f), 0);
    fclose(f);
    sb_putn(&text, "", 0);
    return text.data != NULL ? text.data : strdup("");
}

schema *cu_compile(const char *name, const char *text, char **diagnostics)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(out);
    diag_ctx d;
    diag_init(&d, name, text, strlen(text), out);
    schema *s = compile_source(name, text, strlen(text), &d);
    fclose(out);
    if (diagnostics != NULL)
        *diagnostics = buf;
    else
        free(buf);
    return s;
}

char *cu_compare(const char *old_name, const char *old_text, const char *new_name,
                 const char *new_text, compat_result *result)
{
    char *old_diag = NULL, *new_diag = NULL;
    schema *o = cu_compile(old_name, old_text, &old_diag);
    schema *n = cu_compile(new_name, new_text, &new_diag);
    ck_assert_msg(o != NULL, "%s does not compile:\n%s\n%s", old_name, old_diag, old_text);
    ck_assert_msg(n != NULL, "%s does not compile:\n%s\n%s", new_name, new_diag, new_text);
    strbuf report = STRBUF_INIT;
    bool compatible = compat_check(o, n, &report, result);
    ck_assert(compatible == (result->breaking == 0));
    free(old_diag);
    free(new_diag);
    ast_free(o);
    ast_free(n);
    return report.data != NULL ? report.data : strdup("");
}

static size_t count_lines_with(const char *report, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(report, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

void cu_assert_agrees_with_fingerprint(const char *report, const compat_result *r,
                                       const char *what)
{
    bool same_fingerprint = r->old_fingerprint == r->new_fingerprint;
    ck_assert_msg(!same_fingerprint || r->breaking == 0,
                  "%s: equal fingerprints but %zu breaking change(s):\n%s", what, r->breaking,
                  report);
    ck_assert_msg(r->breaking == 0 || !same_fingerprint,
                  "%s: breaking change(s) but the fingerprint did not change:\n%s", what, report);
    /* The report says what the counts say. */
    ck_assert_uint_eq(count_lines_with(report, ": breaking: "), r->breaking);
    ck_assert_uint_eq(count_lines_with(report, ": warning: "), r->warnings);
    ck_assert_uint_eq(count_lines_with(report, ": compatible: "), r->compatible);
    const char *last = report + strlen(report);
    ck_assert_msg(last > report && last[-1] == '\n', "%s: report does not end a line", what);
    do
        last--;
    while (last > report && last[-1] != '\n');
    const char *verdict = r->breaking > 0 ? "breaking: " : "compatible: ";
    ck_assert_msg(strncmp(last, verdict, strlen(verdict)) == 0, "%s: summary '%s'", what, last);
    ck_assert_ptr_nonnull(strstr(last, same_fingerprint ? "fingerprint unchanged"
                                                        : "fingerprint changed"));
}
