/*
 * lexer.re - the .idl tokenizer (re2c turns this into lexer.c).
 *
 * The buffer ends with a NUL sentinel, so the scanner needs no bounds
 * checks: a NUL at the limit is the end of input, a NUL anywhere else is
 * an invalid character (parse.c rejects those earlier anyway). The
 * lexical rules are specified in docs/IDL.md, "Lexical structure".
 */
#include "lexer.h"

#include <string.h>

void lexer_init(lexer *lx, const char *text, size_t len)
{
    lx->start = text;
    lx->cursor = text;
    lx->limit = text + len;
}

static lex_token make_token(const lexer *lx, int kind, const unsigned char *from,
                            const unsigned char *to)
{
    lex_token t;
    t.kind = kind;
    t.offset = (size_t)((const char *)from - lx->start);
    t.len = (size_t)(to - from);
    return t;
}

/* Skip a block comment whose "/ *" ends just before cur. Returns the
 * position after the closing "* /", or NULL if the input ends first. */
static const unsigned char *skip_block_comment(const unsigned char *cur,
                                               const unsigned char *limit)
{
    while (cur < limit) {
        if (cur[0] == '*' && cur[1] == '/')
            return cur + 2;
        cur++;
    }
    return NULL;
}

lex_token lexer_next(lexer *lx)
{
    const unsigned char *cur = (const unsigned char *)lx->cursor;
    const unsigned char *limit = (const unsigned char *)lx->limit;
    const unsigned char *mar = cur;
    const unsigned char *tok;
    int kind;

    for (;;) {
        tok = cur;
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = cur;
        re2c:define:YYMARKER = mar;
        re2c:yyfill:enable = 0;

        ident = [A-Za-z_][A-Za-z0-9_]*;
        str_char = [^"\\\n\x00] | [\\][^\n\x00];

        "\x00" {
            if (tok == limit) {
                lx->cursor = (const char *)limit;
                return make_token(lx, LEX_EOF, limit, limit);
            }
            kind = LEX_BAD_CHAR;
            break;
        }
        [ \t\r\n]+              { continue; }
        "///" ([^/\n\x00] [^\n\x00]*)? { kind = LEX_DOC; break; }
        "//" [^\n\x00]*         { continue; }
        "/*" {
            const unsigned char *end = skip_block_comment(cur, limit);
            if (end == NULL) {
                cur = limit;
                kind = LEX_UNTERMINATED_COMMENT;
                break;
            }
            cur = end;
            continue;
        }

        "schema"  { kind = TK_SCHEMA; break; }
        "version" { kind = TK_VERSION; break; }
        "root"    { kind = TK_ROOT; break; }
        "option"  { kind = TK_OPTION; break; }
        "struct"  { kind = TK_STRUCT; break; }
        "union"   { kind = TK_UNION; break; }
        "enum"    { kind = TK_ENUM; break; }
        "open"    { kind = TK_OPEN; break; }
        "u8"      { kind = TK_U8; break; }
        "u16"     { kind = TK_U16; break; }
        "u32"     { kind = TK_U32; break; }
        "u64"     { kind = TK_U64; break; }
        "i8"      { kind = TK_I8; break; }
        "i16"     { kind = TK_I16; break; }
        "i32"     { kind = TK_I32; break; }
        "i64"     { kind = TK_I64; break; }
        "f32"     { kind = TK_F32; break; }
        "f64"     { kind = TK_F64; break; }
        "bool"    { kind = TK_BOOL; break; }
        "string"  { kind = TK_STRING; break; }
        "bytes"   { kind = TK_BYTES; break; }
        ident     { kind = TK_IDENT; break; }

        [0-9]+ | "0" [xX] [0-9a-fA-F]+ { kind = TK_INT; break; }
        ["] str_char* ["]       { kind = TK_STR; break; }
        ["] str_char* [\\]?     { kind = LEX_UNTERMINATED_STRING; break; }

        "{" { kind = TK_LBRACE; break; }
        "}" { kind = TK_RBRACE; break; }
        "[" { kind = TK_LBRACKET; break; }
        "]" { kind = TK_RBRACKET; break; }
        "," { kind = TK_COMMA; break; }
        ";" { kind = TK_SEMI; break; }
        ":" { kind = TK_COLON; break; }
        "=" { kind = TK_EQ; break; }
        "?" { kind = TK_QUESTION; break; }
        "-" { kind = TK_MINUS; break; }

        [\x80-\xff] [\x80-\xbf]* { kind = LEX_BAD_CHAR; break; }
        *                        { kind = LEX_BAD_CHAR; break; }
        */
    }
    lx->cursor = (const char *)cur;
    return make_token(lx, kind, tok, cur);
}

static const char *const token_names[] = {
    [LEX_EOF] = "end of file",
    [TK_SCHEMA] = "'schema'",
    [TK_VERSION] = "'version'",
    [TK_ROOT] = "'root'",
    [TK_OPTION] = "'option'",
    [TK_STRUCT] = "'struct'",
    [TK_UNION] = "'union'",
    [TK_ENUM] = "'enum'",
    [TK_OPEN] = "'open'",
    [TK_U8] = "'u8'",
    [TK_U16] = "'u16'",
    [TK_U32] = "'u32'",
    [TK_U64] = "'u64'",
    [TK_I8] = "'i8'",
    [TK_I16] = "'i16'",
    [TK_I32] = "'i32'",
    [TK_I64] = "'i64'",
    [TK_F32] = "'f32'",
    [TK_F64] = "'f64'",
    [TK_BOOL] = "'bool'",
    [TK_STRING] = "'string'",
    [TK_BYTES] = "'bytes'",
    [TK_IDENT] = "identifier",
    [TK_INT] = "integer",
    [TK_STR] = "string literal",
    [TK_LBRACE] = "'{'",
    [TK_RBRACE] = "'}'",
    [TK_LBRACKET] = "'['",
    [TK_RBRACKET] = "']'",
    [TK_COMMA] = "','",
    [TK_SEMI] = "';'",
    [TK_COLON] = "':'",
    [TK_EQ] = "'='",
    [TK_QUESTION] = "'?'",
    [TK_MINUS] = "'-'",
    [TK_BADCHAR] = "invalid character",
};

const char *lexer_token_name(int kind)
{
    if (kind >= 0 && (size_t)kind < sizeof token_names / sizeof token_names[0] &&
        token_names[kind] != NULL)
        return token_names[kind];
    return "invalid token";
}

/* ---- string literals ---------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t encode_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \u{H...}: at most 6 hex digits, a Unicode scalar value. On success sets
 * *cp and returns the escape's length (from the backslash); 0 if invalid. */
static size_t decode_unicode_escape(const char *s, size_t left, uint32_t *cp, const char **why)
{
    *why = "invalid Unicode escape (write \\u{HEX} with 1 to 6 hex digits)";
    if (left < 4 || s[2] != '{')
        return 0;
    uint32_t v = 0;
    size_t i = 3;
    for (; i < left && s[i] != '}'; i++) {
        int h = hex_value(s[i]);
        if (h < 0 || i - 3 >= 6)
            return 0;
        v = v * 16 + (uint32_t)h;
    }
    if (i >= left || i == 3)
        return 0;
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *why = "Unicode escape is not a Unicode scalar value (surrogate or above U+10FFFF)";
        return 0;
    }
    *cp = v;
    return i + 1;
}

/* One escape sequence at s (s[0] is the backslash). Writes its bytes to
 * out and returns the escape's source length, or 0 if it is invalid. */
static size_t decode_escape(const char *s, size_t left, char *out, size_t *out_len,
                            const char **why)
{
    *why = "invalid escape sequence (valid: \\\" \\\\ \\n \\t \\r \\0 \\xHH \\u{HEX})";
    if (left < 2)
        return 0;
    static const char simple_from[] = "\"\\ntr0";
    static const char simple_to[] = "\"\\\n\t\r\0";
    const char *hit = memchr(simple_from, s[1], sizeof simple_from - 1);
    if (hit != NULL) {
        out[0] = simple_to[hit - simple_from];
        *out_len = 1;
        return 2;
    }
    if (s[1] == 'x') {
        int hi = left >= 4 ? hex_value(s[2]) : -1;
        int lo = left >= 4 ? hex_value(s[3]) : -1;
        if (hi < 0 || lo < 0) {
            *why = "invalid \\x escape (write exactly two hex digits, \\x00 to \\x7F)";
            return 0;
        }
        if (hi > 7) {
            *why = "\\x escape above \\x7F (write non-ASCII characters as \\u{HEX})";
            return 0;
        }
        out[0] = (char)(hi * 16 + lo);
        *out_len = 1;
        return 4;
    }
    if (s[1] == 'u') {
        uint32_t cp = 0;
        size_t n = decode_unicode_escape(s, left, &cp, why);
        if (n > 0)
            *out_len = encode_utf8(cp, out);
        return n;
    }
    return 0;
}

bool lexer_decode_string(const char *text, size_t len, char *out, size_t *out_len,
                         size_t *bad_offset, const char **why)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (text[i] != '\\') {
            out[o++] = text[i++];
            continue;
        }
        size_t produced = 0;
        size_t used = decode_escape(text + i, len - i, out + o, &produced, why);
        if (used == 0) {
            *bad_offset = i;
            return false;
        }
        i += used;
        o += produced;
    }
    *out_len = o;
    return true;
}
