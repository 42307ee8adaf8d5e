/*
 * test_util.c - see test_util.h.
 */
#include "test_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "compile.h"
#include "diag.h"
#include "emit.h"

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap + 1);
        ck_assert_ptr_nonnull(buf);
    }
    ck_assert_msg(!ferror(f), "cannot read %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

tu_result tu_compile(const char *display_name, const char *text, size_t len)
{
    tu_result r = { NULL, NULL, 0 };
    size_t diag_len = 0;
    FILE *out = open_memstream(&r.diagnostics, &diag_len);
    ck_assert_ptr_nonnull(out);
    diag_ctx d;
    diag_init(&d, display_name, text, len, out);
    r.s = compile_source(display_name, text, len, &d);
    r.errors = d.errors;
    ck_assert_int_eq(fclose(out), 0);
    return r;
}

void tu_result_free(tu_result *r)
{
    ast_free(r->s);
    free(r->diagnostics);
    r->s = NULL;
    r->diagnostics = NULL;
}

char *tu_emit(const schema *s, const char *idl_name)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(out);
    ck_assert(emit_c_header(s, idl_name, out));
    ck_assert_int_eq(fclose(out), 0);
    return text;
}
