/*
 * parse.c - the parse driver: lexer tokens in, AST out.
 *
 * It owns everything between the two generated pieces: positions
 * (line:col), literal values, doc comments, lexical errors and the wording
 * of syntax errors. The grammar's actions (parser.y) stay one-liners that
 * call ast.c or the small helpers at the end of this file.
 */
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "source.h"

/* lemon's generated entry points (parser.c has no header for them). */
void *grite_parserAlloc(void *(*malloc_proc)(size_t));
void grite_parser(void *parser, int kind, token tok, parser_state *p);
void grite_parserFree(void *parser, void (*free_proc)(void *));

struct doc_comment {
    src_loc loc;         /* the first `///` line */
    const char *text;
    bool used;
};

/* Doc lines seen since the last token, waiting for the token they document. */
typedef struct pending_doc {
    char *buf;
    size_t len, cap;
    bool active;
    src_loc loc;
} pending_doc;

typedef struct driver {
    parser_state p;
    lexer lx;
    src_cursor pos;
    const char *text;
    pending_doc pending;
    src_loc last_end;    /* just past the last token the parser saw */
} driver;

static void *must_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size);
    if (p == NULL) {
        fputs("gritec: error: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* ---- doc comments --------------------------------------------------- */

static void pending_append(pending_doc *pd, const char *s, size_t n)
{
    if (pd->len + n + 1 > pd->cap) {
        pd->cap = (pd->len + n + 1) * 2;
        pd->buf = must_realloc(pd->buf, pd->cap);
    }
    memcpy(pd->buf + pd->len, s, n);
    pd->len += n;
}

/* `/// text`: drop the slashes and one space after them, and trailing
 * blanks, so the text reads the same in the generated header. */
static void add_doc_line(driver *dr, lex_token t, src_loc loc)
{
    const char *s = dr->text + t.offset + 3;
    size_t n = t.len - 3;
    if (n > 0 && s[0] == ' ') {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    pending_doc *pd = &dr->pending;
    if (pd->active) {
        pending_append(pd, "\n", 1);
    } else {
        pd->active = true;
        pd->loc = loc;
        pd->len = 0;
    }
    pending_append(pd, s, n);
}

/* Turn the pending doc lines into a doc comment; returns its index or -1. */
static int flush_doc(driver *dr)
{
    pending_doc *pd = &dr->pending;
    if (!pd->active)
        return -1;
    parser_state *p = &dr->p;
    if (p->n_docs == p->cap_docs) {
        p->cap_docs = p->cap_docs == 0 ? 16 : p->cap_docs * 2;
        p->docs = must_realloc(p->docs, p->cap_docs * sizeof *p->docs);
    }
    doc_comment *dc = &p->docs[p->n_docs];
    dc->loc = pd->loc;
    dc->text = ast_strdup(p->s, pd->buf != NULL ? pd->buf : "", pd->len);
    dc->used = false;
    pd->active = false;
    return (int)p->n_docs++;
}

const char *parse_take_doc(parser_state *p, const token *tok)
{
    if (tok->doc < 0 || (size_t)tok->doc >= p->n_docs)
        return NULL;
    p->docs[tok->doc].used = true;
    return p->docs[tok->doc].text;
}

static void report_unused_docs(parser_state *p)
{
    for (size_t i = 0; i < p->n_docs; i++)
        if (!p->docs[i].used)
            diag_error(p->d, p->docs[i].loc,
                       "doc comment does not document anything (put it right before a "
                       "declaration, field, variant or enum value)");
}

/* ---- literals -------------------------------------------------------- */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

/* Decimal or 0x hex; false if it does not fit in 64 bits. */
static bool int_value(const char *s, size_t n, uint64_t *out)
{
    unsigned base = 10;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned dv = (unsigned)digit_value(s[i]);
        if (v > (UINT64_MAX - dv) / base)
            return false;
        v = v * base + dv;
    }
    *out = v;
    return true;
}

static void decode_int(driver *dr, lex_token t, token *tok)
{
    if (!int_value(dr->text + t.offset, t.len, &tok->value)) {
        diag_error(dr->p.d, tok->loc,
                   "integer literal is too large (the largest is 18446744073709551615)");
    }
}

static void decode_str(driver *dr, lex_token t, token *tok)
{
    const char *body = dr->text + t.offset + 1;
    size_t n = t.len - 2;
    char *out = ast_alloc(dr->p.s, n + 1);
    size_t out_len = 0, bad = 0;
    const char *why = NULL;
    if (!lexer_decode_string(body, n, out, &out_len, &bad, &why)) {
        src_loc loc = src_cursor_at(&dr->pos, t.offset + 1 + bad);
        diag_error(dr->p.d, loc, "%s", why);
        out_len = 0;
    }
    out[out_len] = '\0';
    tok->text = out;
}

/* ---- lexical errors ---------------------------------------------------- */

static uint32_t decode_code_point(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0xFFu >> (n + 1));
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3Fu);
    return cp;
}

static void report_bad_char(driver *dr, lex_token t, src_loc loc)
{
    const unsigned char *s = (const unsigned char *)dr->text + t.offset;
    size_t n = source_utf8_len(s, t.len);
    uint32_t cp = decode_code_point(s, n > 0 ? n : 1);
    if (cp > 0x20 && cp < 0x7F)
        diag_error(dr->p.d, loc, "invalid character '%c'", (char)cp);
    else
        diag_error(dr->p.d, loc, "invalid character U+%04X", (unsigned)cp);
}

/* ---- the token loop ---------------------------------------------------- */

static bool should_stop(const driver *dr)
{
    const diag_ctx *d = dr->p.d;
    return dr->p.too_deep || dr->p.failed || (d->max_errors != 0 && d->errors > d->max_errors);
}

static token make_parser_token(driver *dr, lex_token t, src_loc loc)
{
    token tok;
    memset(&tok, 0, sizeof tok);
    tok.kind = t.kind;
    tok.loc = loc;
    tok.doc = flush_doc(dr);
    tok.text = ast_strdup(dr->p.s, dr->text + t.offset, t.len);
    if (t.kind == TK_INT)
        decode_int(dr, t, &tok);
    else if (t.kind == TK_STR)
        decode_str(dr, t, &tok);
    return tok;
}

/* Hand one token to the parser; lex is its source text (one line). */
static void feed(driver *dr, void *parser, token tok, lex_token lex)
{
    dr->p.at = tok.loc;
    dr->p.prev_end = dr->last_end;
    grite_parser(parser, tok.kind, tok, &dr->p);
    dr->p.quiet = false;
    dr->last_end = tok.loc;
    dr->last_end.col += (uint32_t)source_code_points(dr->text + lex.offset, lex.len);
}

/* Handle one token the parser never sees. Returns false at the end of
 * the input. */
static bool handle_lexer_only(driver *dr, lex_token t, src_loc loc, void *parser)
{
    switch (t.kind) {
    case LEX_DOC:
        add_doc_line(dr, t, loc);
        return true;
    case LEX_BAD_CHAR: {
        report_bad_char(dr, t, loc);
        /* Let the parser skip to the next ',' '}' or declaration instead
         * of misreading what follows; its own complaint would repeat ours. */
        token bad = { .kind = TK_BADCHAR, .loc = loc, .text = "", .doc = flush_doc(dr) };
        dr->p.quiet = true;
        feed(dr, parser, bad, t);
        return true;
    }
    case LEX_UNTERMINATED_STRING: {
        diag_error(dr->p.d, loc,
                   "unterminated string literal (a string must end with '\"' on the same line)");
        /* Parse on as if it had been closed, so the rest is still checked. */
        token tok = { .kind = TK_STR, .loc = loc, .text = "", .doc = flush_doc(dr) };
        feed(dr, parser, tok, t);
        dr->p.quiet = true;
        return true;
    }
    case LEX_UNTERMINATED_COMMENT:
        diag_error(dr->p.d, loc, "unterminated comment ('/*' without a closing '*/')");
        dr->p.quiet = true; /* what is missing at the end follows from this */
        return false;
    default:
        return false; /* LEX_EOF */
    }
}

static void run_parser(driver *dr)
{
    void *parser = grite_parserAlloc(malloc);
    if (parser == NULL) {
        fputs("gritec: error: out of memory\n", stderr);
        exit(1);
    }
    dr->last_end = (src_loc){ 0, 0 };
    while (!should_stop(dr)) {
        lex_token t = lexer_next(&dr->lx);
        src_loc loc = src_cursor_at(&dr->pos, t.offset);
        if (t.kind != LEX_EOF && t.kind < LEX_DOC) {
            feed(dr, parser, make_parser_token(dr, t, loc), t);
            continue;
        }
        if (handle_lexer_only(dr, t, loc, parser))
            continue;
        if (!should_stop(dr)) {
            /* The end of input is reported just after the last token. */
            src_loc end = dr->last_end.line != 0 ? dr->last_end : loc;
            token eof = { .kind = LEX_EOF, .loc = end, .text = "", .doc = flush_doc(dr) };
            dr->p.at = eof.loc;
            dr->p.prev_end = dr->last_end;
            grite_parser(parser, LEX_EOF, eof, &dr->p);
        }
        break;
    }
    grite_parserFree(parser, free);
}

schema *parse_source(const char *file, const char *text, size_t len, diag_ctx *d)
{
    driver dr;
    memset(&dr, 0, sizeof dr);
    dr.p.s = ast_new_schema(file);
    dr.p.d = d;
    dr.text = text;
    unsigned errors_before = d->errors;
    if (source_check_encoding(text, len, d)) {
        lexer_init(&dr.lx, text, len);
        src_cursor_init(&dr.pos, text);
        run_parser(&dr);
        if (d->errors == errors_before)
            report_unused_docs(&dr.p);
    }
    free(dr.p.docs);
    free(dr.pending.buf);
    return dr.p.s;
}

/* ---- helpers for the grammar actions ---------------------------------- */

void parse_schema_header(parser_state *p, const token *kw, const token *name, const token *version)
{
    schema *s = p->s;
    const char *doc = parse_take_doc(p, kw);
    if (s->has_header) {
        diag_error(p->d, kw->loc, "duplicate schema declaration");
        diag_note(p->d, s->name_loc, "the first one is here");
        return;
    }
    s->has_header = true;
    s->name = name->text;
    s->name_loc = name->loc;
    s->version = version->value;
    s->version_loc = version->loc;
    s->doc = doc;
}

decl *parse_begin_decl(parser_state *p, decl_kind kind, const token *first, const token *name,
                       bool is_open)
{
    p->cur = ast_decl_new(p->s, kind, name->text, name->loc, parse_take_doc(p, first), is_open);
    return p->cur;
}

field_list *parse_field_list(parser_state *p)
{
    return ast_alloc(p->s, sizeof(field_list));
}

void parse_field_add(parser_state *p, field_list *list, const field *f)
{
    if (f->name != NULL) /* NULL: a field lost to error recovery */
        ast_field_add(p->s, list, f->name, f->loc, f->doc, f->type);
}

void parse_variant(parser_state *p, const token *name, const field_list *fields)
{
    const char *doc = parse_take_doc(p, name);
    if (p->cur == NULL || p->cur->kind != DECL_UNION)
        return;
    variant *v = ast_variant_add(p->s, p->cur, name->text, name->loc, doc, fields != NULL);
    if (fields != NULL)
        v->fields = *fields;
}

void parse_enum_underlying(parser_state *p, const int_type_spec *t)
{
    if (p->cur == NULL || p->cur->kind != DECL_ENUM)
        return;
    p->cur->underlying = t->kind;
    p->cur->underlying_loc = t->loc;
}

void parse_enum_value(parser_state *p, const token *name, const token *value, const token *minus)
{
    const char *doc = parse_take_doc(p, name);
    if (p->cur == NULL || p->cur->kind != DECL_ENUM)
        return;
    enum_value *ev = ast_enum_value_add(p->s, p->cur, name->text, name->loc, doc);
    if (value != NULL) {
        ev->is_explicit = true;
        ev->negative = minus != NULL;
        ev->magnitude = value->value;
        ev->value_loc = minus != NULL ? minus->loc : value->loc;
    }
}

void parse_nesting_too_deep(parser_state *p)
{
    diag_error(p->d, p->at, "nesting is too deep for gritec (simplify this type)");
    p->too_deep = true;
}

/* ---- syntax error messages ------------------------------------------- */

typedef struct text_buf {
    char s[512];
    size_t len;
} text_buf;

static void tb_add(text_buf *b, const char *str)
{
    size_t n = strlen(str);
    if (n > sizeof b->s - 1 - b->len)
        n = sizeof b->s - 1 - b->len;
    memcpy(b->s + b->len, str, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Groups of tokens that read better as one phrase when all are expected. */
typedef struct token_group {
    const char *phrase;
    int members[16];     /* TK_ codes, ended by 0 */
} token_group;

static const token_group groups[] = {
    { "a type", { TK_U8, TK_U16, TK_U32, TK_U64, TK_I8, TK_I16, TK_I32, TK_I64, TK_F32, TK_F64,
                  TK_BOOL, TK_STRING, TK_BYTES, TK_IDENT, TK_LBRACKET, 0 } },
    { "an integer type", { TK_U8, TK_U16, TK_U32, TK_U64, TK_I8, TK_I16, TK_I32, TK_I64, 0 } },
    { "a declaration", { TK_SCHEMA, TK_ROOT, TK_OPTION, TK_STRUCT, TK_UNION, TK_ENUM, TK_OPEN,
                         0 } },
};

static bool group_expected(const token_group *g, const bool *expected, int n)
{
    for (const int *t = g->members; *t != 0; t++)
        if (*t >= n || !expected[*t])
            return false;
    return true;
}

static void group_clear(const token_group *g, bool *expected)
{
    for (const int *t = g->members; *t != 0; t++)
        expected[*t] = false;
}

static const char *expected_name(int kind)
{
    switch (kind) {
    case TK_IDENT: return "a name";
    case TK_INT: return "an integer";
    case TK_STR: return "a string literal";
    default: return lexer_token_name(kind);
    }
}

/* The order expected tokens are listed in: separators first, because
 * "expected ',' or '}'" reads better than the reverse. */
static const int display_order[] = {
    TK_COMMA, TK_SEMI, TK_COLON, TK_EQ, TK_MINUS, TK_QUESTION, TK_IDENT, TK_INT, TK_STR,
    TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET, TK_SCHEMA, TK_VERSION, TK_ROOT,
    TK_OPTION, TK_STRUCT, TK_UNION, TK_ENUM, TK_OPEN, TK_U8, TK_U16, TK_U32, TK_U64,
    TK_I8, TK_I16, TK_I32, TK_I64, TK_F32, TK_F64, TK_BOOL, TK_STRING, TK_BYTES, LEX_EOF,
};

/* "a, b or c" from the expected set (grouped). */
static void describe_expected(text_buf *b, const bool *expected_in, int n)
{
    bool expected[64];
    const char *items[64];
    size_t n_items = 0;
    int limit = n < 64 ? n : 64;
    memcpy(expected, expected_in, (size_t)limit * sizeof *expected);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        if (group_expected(&groups[g], expected, limit)) {
            items[n_items++] = groups[g].phrase;
            group_clear(&groups[g], expected);
        }
    }
    for (size_t i = 0; i < sizeof display_order / sizeof display_order[0]; i++) {
        int t = display_order[i];
        if (t < limit && expected[t]) {
            items[n_items++] = expected_name(t);
            expected[t] = false;
        }
    }
    for (int t = 0; t < limit; t++) /* anything the order above forgot */
        if (expected[t])
            items[n_items++] = expected_name(t);
    for (size_t i = 0; i < n_items; i++) {
        if (i > 0)
            tb_add(b, i + 1 == n_items ? " or " : ", ");
        tb_add(b, items[i]);
    }
}

/* The grammar symbol on top of the stack, as "after ..." context. */
static const char *symbol_context(const char *symbol)
{
    static const char *const table[][2] = {
        { "field_seq", "field" },     { "field", "field" },
        { "type", "type" },           { "base", "type" },
        { "variant_seq", "variant" }, { "variant", "variant" },
        { "value_seq", "enum value" }, { "value", "enum value" },
        { "struct_head", "struct name" }, { "union_head", "union name" },
        { "enum_head", "enum name" }, { "underlying", "enum type" },
        { "int_type", "enum type" },  { "root_names", "root name" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i][0], symbol) == 0)
            return table[i][1];
    return NULL;
}

static void describe_after(text_buf *b, const char *after_symbol, const token *after_token)
{
    if (after_token != NULL) {
        tb_add(b, " after ");
        if (after_token->kind == TK_STR) {
            tb_add(b, "string literal");
        } else {
            tb_add(b, "'");
            tb_add(b, after_token->text != NULL ? after_token->text : "?");
            tb_add(b, "'");
        }
        return;
    }
    const char *ctx = after_symbol != NULL ? symbol_context(after_symbol) : NULL;
    if (ctx != NULL) {
        tb_add(b, " after ");
        tb_add(b, ctx);
    }
}

static void describe_found(text_buf *b, int kind, const token *found)
{
    if (kind == TK_IDENT) {
        tb_add(b, "identifier '");
        tb_add(b, found->text);
        tb_add(b, "'");
    } else if (kind == TK_INT) {
        tb_add(b, "integer ");
        tb_add(b, found->text);
    } else {
        tb_add(b, lexer_token_name(kind));
    }
}

void parse_syntax_error(parser_state *p, int found_kind, const token *found,
                        const bool *expected, int n_kinds, const char *after_symbol,
                        const token *after_token)
{
    text_buf want = { .len = 0 }, after = { .len = 0 }, got = { .len = 0 };
    want.s[0] = after.s[0] = got.s[0] = '\0';
    describe_expected(&want, expected, n_kinds);
    describe_after(&after, after_symbol, after_token);
    describe_found(&got, found_kind, found);
    if (p->quiet)
        return;
    /* Like gcc: when the surprise starts a new line, the mistake is almost
     * always a missing ';' or ',' at the end of the previous one. */
    src_loc at = found->loc;
    bool wants_separator = (TK_SEMI < n_kinds && expected[TK_SEMI]) ||
                           (TK_COMMA < n_kinds && expected[TK_COMMA]);
    if (wants_separator && p->prev_end.line != 0 && p->prev_end.line < at.line)
        at = p->prev_end;
    if (want.len == 0)
        diag_error(p->d, at, "unexpected %s%s", got.s, after.s);
    else
        diag_error(p->d, at, "expected %s%s, found %s", want.s, after.s, got.s);
}
