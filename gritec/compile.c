/*
 * compile.c - run the front-end passes in order (see compile.h).
 */
#include "compile.h"

#include "depth.h"
#include "fingerprint.h"
#include "layout.h"
#include "names.h"
#include "parse.h"
#include "sema.h"

schema *compile_source(const char *file, const char *text, size_t len, diag_ctx *d)
{
    unsigned before = d->errors;
    schema *s = parse_source(file, text, len, d);
    /* After a syntax error the AST is incomplete: checking it would only
     * add confusing follow-on errors. */
    bool ok = d->errors == before && check_schema(s, d) && depth_check(s, d) &&
              names_check(s, d) && layout_schema(s, d) && fingerprint_check(s, d);
    if (!ok || d->errors != before) {
        ast_free(s);
        return NULL;
    }
    return s;
}
