/*
 * parse.h - turn the text of one .idl file into an AST.
 *
 * parse.c drives the lexer (lexer.re) and the lemon parser (parser.y):
 * it checks the input's encoding, turns byte offsets into line:col,
 * decodes literals, collects doc comments, reports lexical and syntax
 * errors (recovering to report as many as it sensibly can) and hands
 * each token to the parser. The grammar's actions call the helpers in
 * the second half of this file.
 */
#ifndef GRITEC_PARSE_H
#define GRITEC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"

/* Parse text[0..len) (text[len] must be '\0'). `file` is stored in the
 * schema. Every problem is reported through d; the caller checks
 * d->errors. Always returns a schema (possibly incomplete when there were
 * errors), to be freed with ast_free. */
schema *parse_source(const char *file, const char *text, size_t len, diag_ctx *d);

/* ---- for the grammar actions in parser.y only ----------------------- */

/* A token as the parser sees it. */
typedef struct token {
    int kind;            /* TK_* */
    src_loc loc;         /* where it starts */
    const char *text;    /* identifiers and keywords: the name; STR: the decoded value */
    uint64_t value;      /* INT: the value */
    int doc;             /* index of the doc comment just before it, or -1 */
} token;

typedef struct int_type_spec {
    type_kind kind;
    src_loc loc;
} int_type_spec;

typedef struct doc_comment doc_comment;

typedef struct parser_state {
    schema *s;
    diag_ctx *d;
    decl *cur;           /* the union or enum whose body is being parsed */
    doc_comment *docs;   /* every doc comment, in order */
    size_t n_docs, cap_docs;
    bool failed;         /* the parser gave up (error at end of input) */
    bool too_deep;       /* nesting overflowed the parser's stack */
    src_loc at;          /* where the token being parsed starts */
    src_loc prev_end;    /* just past the token before it ({0,0}: none) */
    bool quiet;          /* the previous token was made up after a lexical
                            error: a syntax error now would only repeat it */
} parser_state;

/* The doc comment attached to tok (marking it used), or NULL. */
const char *parse_take_doc(parser_state *p, const token *tok);

/* `schema NAME version N;` (reports a second one). */
void parse_schema_header(parser_state *p, const token *kw, const token *name, const token *version);

/* Start a struct, union or enum; later variants and values go to it.
 * `first` is the declaration's first token (it carries the doc). */
decl *parse_begin_decl(parser_state *p, decl_kind kind, const token *first, const token *name,
                       bool is_open);

field_list *parse_field_list(parser_state *p);
/* Append f (unless it came from error recovery) to list. */
void parse_field_add(parser_state *p, field_list *list, const field *f);

/* A variant of the current union; fields is NULL for `Name` without a body. */
void parse_variant(parser_state *p, const token *name, const field_list *fields);

/* `: int_type` of the current enum. */
void parse_enum_underlying(parser_state *p, const int_type_spec *t);

/* A value of the current enum; value is NULL when none was written, minus
 * the `-` before it (or NULL). */
void parse_enum_value(parser_state *p, const token *name, const token *value, const token *minus);

/* Called by lemon's %syntax_error: `found` could not be parsed; expected[t]
 * says which token kinds would have been (n_kinds entries). after_symbol is
 * the grammar symbol on top of the parser's stack (its name in parser.y),
 * after_token that symbol's token when it is a terminal. */
void parse_syntax_error(parser_state *p, int found_kind, const token *found,
                        const bool *expected, int n_kinds, const char *after_symbol,
                        const token *after_token);

/* Called by lemon's %stack_overflow. */
void parse_nesting_too_deep(parser_state *p);

#endif /* GRITEC_PARSE_H */
