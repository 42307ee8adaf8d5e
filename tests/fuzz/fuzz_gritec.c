/*
 * fuzz_gritec.c - the whole IDL compiler on arbitrary text, in process:
 * compile_source (lexer, parser, semantic checks, C-name checks, layout),
 * then, for a schema it accepts, the C emitter (with the fingerprint).
 *
 * Checked, beyond "no crash, no leak, no undefined behaviour":
 *  - an input is rejected only with at least one diagnostic, and accepted
 *    only without one (so no error is lost, none invented);
 *  - an accepted schema emits (emit_c_header returns true) a header that
 *    starts with the banner, ends with the include guard's #endif, and is
 *    byte for byte the same when emitted twice (gritec's output is
 *    deterministic: GENERATED_API.md).
 * Diagnostics are written to /dev/null, so their formatting (source
 * excerpts, carets, UTF-8 columns) runs too.
 *
 * Seeds: corpus/gritec (idl/grite.idl, docs/IDL.md's example, the gritec
 * test cases, the archive tests' schemas). Dictionary: gritec.dict.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "fuzz_util.h"

static FILE *null_sink(void)
{
    static FILE *sink;
    if (sink == NULL) {
        sink = fopen("/dev/null", "w");
        FUZZ_CHECK(sink != NULL, "cannot open /dev/null");
    }
    return sink;
}

typedef struct header_text {
    char *text;
    size_t len;
} header_text;

static header_text emit_to_memory(const schema *s)
{
    header_text h = { NULL, 0 };
    FILE *f = open_memstream(&h.text, &h.len);
    FUZZ_CHECK(f != NULL, "open_memstream failed");
    bool ok = emit_c_header(s, "fuzz.idl", f);
    FUZZ_CHECK(fclose(f) == 0, "closing the memory stream failed");
    FUZZ_CHECK(ok, "emit_c_header failed on an accepted schema");
    return h;
}

static bool ends_with(const header_text *h, const char *suffix)
{
    size_t n = strlen(suffix);
    return h->len >= n && memcmp(h->text + h->len - n, suffix, n) == 0;
}

static void check_emitted(const schema *s)
{
    header_text first = emit_to_memory(s);
    header_text second = emit_to_memory(s);
    FUZZ_CHECK(first.len > 0 && memcmp(first.text, "/*", 2) == 0, "header has no banner");
    FUZZ_CHECK(ends_with(&first, "_GENERATED_H */\n"),
               "header does not end with its include guard");
    FUZZ_CHECK(first.len == second.len && memcmp(first.text, second.text, first.len) == 0,
               "emitting twice gives different headers");
    free(first.text);
    free(second.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* compile_source wants text[len] == '\0'; exactly one byte more. */
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL, "out of memory");
    if (size != 0)
        memcpy(text, data, size);
    text[size] = '\0';

    diag_ctx d;
    diag_init(&d, "fuzz.idl", text, size, null_sink());
    schema *s = compile_source("fuzz.idl", text, size, &d);
    if (s != NULL) {
        FUZZ_CHECK(d.errors == 0, "schema accepted with %u errors", d.errors);
        check_emitted(s);
        ast_free(s);
    } else {
        FUZZ_CHECK(d.errors > 0, "schema rejected without a diagnostic");
    }
    free(text);
    return 0;
}
