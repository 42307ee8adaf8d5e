/*
 * vdata_parse.c - the .vdata reader (format: vdata/README.md).
 *
 * Three steps, so anchors may be used before they are defined:
 *   1. scan the text line by line into a flat list of tokens ([repeat]
 *      blocks are expanded here, by copying their tokens);
 *   2. lay the tokens out: every token's size is known without anchors,
 *      so one pass gives each anchor its position;
 *   3. emit the bytes, resolving [dist4:] and [span4:] against the anchors.
 */
#include "vdata_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 48
#define REPEAT_NESTING_MAX 8

typedef enum tok_kind {
    TOK_INT,     /* [uN]V / [iN]V: `width` bytes of value */
    TOK_DIST4,   /* u32: anchor a - here */
    TOK_SPAN4,   /* u32: anchor b - anchor a */
    TOK_FILL,    /* `count` copies of byte `value` ([pad:N] is a fill of 0) */
    TOK_ALIGN,   /* zero bytes up to a multiple of `value` */
    TOK_TEXT,    /* pool bytes [value, value + count) */
    TOK_ANCHOR   /* @a: no bytes, names the current position */
} tok_kind;

typedef struct token {
    tok_kind kind;
    unsigned line;
    unsigned width;
    uint64_t value;
    size_t count;
    char a[NAME_MAX_LEN];
    char b[NAME_MAX_LEN];
} token;

typedef struct anchor {
    const token *def;
    size_t pos;
} anchor;

typedef struct parser {
    const char *file;
    unsigned line;
    char *err;
    size_t err_len;
    bool failed;

    token *toks;
    size_t n_toks, cap_toks;
    uint8_t *pool;              /* bytes of "text" tokens */
    size_t pool_len, pool_cap;

    size_t repeat_start[REPEAT_NESTING_MAX];
    uint64_t repeat_times[REPEAT_NESTING_MAX];
    unsigned repeat_line[REPEAT_NESTING_MAX];
    int repeat_depth;

    anchor *anchors;
    size_t n_anchors;

    vdata_case *out;
    bool seen_root, seen_expect, seen_depth, seen_shift;
    char offset_anchor[NAME_MAX_LEN];   /* `offset @name`, resolved at the end */
} parser;

/* Report the first error only: later ones are usually consequences. */
static bool fail_at(parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail_at(parser *p, unsigned line, const char *fmt, ...)
{
    if (p->failed)
        return false;
    p->failed = true;
    int used = snprintf(p->err, p->err_len, "%s:%u: ", p->file, line);
    if (used < 0 || (size_t)used >= p->err_len)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + used, p->err_len - (size_t)used, fmt, ap);
    va_end(ap);
    return false;
}

#define fail(p, ...) fail_at((p), (p)->line, __VA_ARGS__)

static bool grow(void **mem, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *mem2 = realloc(*mem, cap2 * elem);
    if (!mem2)
        return false;
    *mem = mem2;
    *cap = cap2;
    return true;
}

static token *push_token(parser *p, tok_kind kind)
{
    if (!grow((void **)&p->toks, &p->cap_toks, p->n_toks + 1, sizeof(token))) {
        fail(p, "out of memory");
        return NULL;
    }
    token *t = &p->toks[p->n_toks++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->line = p->line;
    return t;
}

static bool push_pool_byte(parser *p, uint8_t byte)
{
    if (!grow((void **)&p->pool, &p->pool_cap, p->pool_len + 1, 1))
        return fail(p, "out of memory");
    p->pool[p->pool_len++] = byte;
    return true;
}

/* ---- lexical helpers ------------------------------------------------- */

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A line's text [s, e) is walked with *pp. */
static void skip_spaces(const char **pp, const char *e)
{
    while (*pp < e && is_space(**pp))
        (*pp)++;
}

/* Copy a name made of is_name_char characters into dst. */
static bool read_name(parser *p, const char **pp, const char *e, char *dst, const char *what)
{
    const char *s = *pp;
    while (*pp < e && is_name_char(**pp))
        (*pp)++;
    size_t n = (size_t)(*pp - s);
    if (n == 0)
        return fail(p, "expected %s (letters, digits, '_' or '.')", what);
    if (n >= NAME_MAX_LEN)
        return fail(p, "%s '%.*s' is too long (at most %d characters)", what, (int)n, s,
                    NAME_MAX_LEN - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

/* [-](0x hex | decimal) into a sign and magnitude; stops at a non-digit. */
static bool read_number(parser *p, const char **pp, const char *e, bool *negative, uint64_t *mag)
{
    const char *s = *pp;
    *negative = false;
    if (*pp < e && **pp == '-') {
        *negative = true;
        (*pp)++;
    }
    unsigned base = 10;
    if (e - *pp >= 2 && (*pp)[0] == '0' && ((*pp)[1] == 'x' || (*pp)[1] == 'X')) {
        base = 16;
        *pp += 2;
    }
    const char *digits = *pp;
    uint64_t v = 0;
    for (; *pp < e; (*pp)++) {
        int d = hex_digit(**pp);
        if (d < 0 || (unsigned)d >= base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return fail(p, "number '%.*s...' does not fit in 64 bits", (int)(*pp - s + 1), s);
        v = v * base + (uint64_t)d;
    }
    if (*pp == digits)
        return fail(p, "expected a number (decimal or 0x hex) at '%.*s'", (int)(e - s), s);
    if (*pp < e && !is_space(**pp) && !strchr("#]:[\"@", **pp))
        return fail(p, "unexpected '%c' after the number '%.*s'", **pp, (int)(*pp - s), s);
    *mag = v;
    return true;
}

static bool read_unsigned(parser *p, const char **pp, const char *e, uint64_t max,
                          uint64_t *v, const char *what)
{
    bool negative;
    const char *s = *pp;
    if (!read_number(p, pp, e, &negative, v))
        return false;
    if (negative || *v > max)
        return fail(p, "%s '%.*s' is out of range (0..%llu)", what, (int)(*pp - s), s,
                    (unsigned long long)max);
    return true;
}

/* ---- data tokens --------------------------------------------------- */

/* "text" with escapes \\ \" \n \t \0 \xHH; no implicit NUL. */
static bool scan_text(parser *p, const char **pp, const char *e)
{
    token *t = push_token(p, TOK_TEXT);
    if (!t)
        return false;
    t->value = p->pool_len;
    (*pp)++; /* opening quote */
    for (;;) {
        if (*pp >= e)
            return fail(p, "unterminated \"text\" (strings end on the line they start)");
        char c = *(*pp)++;
        if (c == '"')
            break;
        if (c != '\\') {
            if (!push_pool_byte(p, (uint8_t)c))
                return false;
            continue;
        }
        if (*pp >= e)
            return fail(p, "a '\\' at the end of the line");
        char esc = *(*pp)++;
        uint8_t byte;
        switch (esc) {
        case '\\': byte = '\\'; break;
        case '"': byte = '"'; break;
        case 'n': byte = '\n'; break;
        case 't': byte = '\t'; break;
        case '0': byte = 0; break;
        case 'x': {
            int hi = *pp < e ? hex_digit(**pp) : -1;
            int lo = *pp + 1 < e ? hex_digit((*pp)[1]) : -1;
            if (hi < 0 || lo < 0)
                return fail(p, "\\x needs two hex digits");
            byte = (uint8_t)(hi * 16 + lo);
            *pp += 2;
            break;
        }
        default:
            return fail(p, "unknown escape '\\%c' (use \\\\ \\\" \\n \\t \\0 \\xHH)", esc);
        }
        if (!push_pool_byte(p, byte))
            return false;
    }
    t->count = p->pool_len - (size_t)t->value;
    return true;
}

static bool scan_anchor(parser *p, const char **pp, const char *e)
{
    (*pp)++; /* '@' */
    if (p->repeat_depth > 0)
        return fail(p, "an @anchor inside [repeat:N] would be defined N times");
    token *t = push_token(p, TOK_ANCHOR);
    return t && read_name(p, pp, e, t->a, "anchor name");
}

/* [uN]V or [iN]V; `kw` is the text between the brackets. */
static bool scan_int(parser *p, const char *kw, const char **pp, const char *e)
{
    bool is_signed = kw[0] == 'i';
    unsigned bits = (unsigned)atoi(kw + 1);
    if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
        return fail(p, "unknown integer width [%s] (use u8 u16 u32 u64 i8 i16 i32 i64)", kw);
    const char *s = *pp;
    bool negative;
    uint64_t mag;
    if (!read_number(p, pp, e, &negative, &mag))
        return false;
    uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    uint64_t pos_max = is_signed ? umax >> 1 : umax;
    uint64_t neg_max = is_signed ? (umax >> 1) + 1 : 0;
    if ((negative && mag > neg_max) || (!negative && mag > pos_max))
        return fail(p, "[%s]%.*s is out of range for %s", kw, (int)(*pp - s), s, kw);
    token *t = push_token(p, TOK_INT);
    if (!t)
        return false;
    t->width = bits / 8;
    t->value = negative ? (0 - mag) & umax : mag;
    return true;
}

static bool open_repeat(parser *p, uint64_t times)
{
    if (p->repeat_depth == REPEAT_NESTING_MAX)
        return fail(p, "[repeat] nested more than %d deep", REPEAT_NESTING_MAX);
    p->repeat_start[p->repeat_depth] = p->n_toks;
    p->repeat_times[p->repeat_depth] = times;
    p->repeat_line[p->repeat_depth] = p->line;
    p->repeat_depth++;
    return true;
}

/* [end]: the block's tokens are there once; append times-1 more copies. */
static bool close_repeat(parser *p)
{
    if (p->repeat_depth == 0)
        return fail(p, "[end] without a [repeat:N]");
    p->repeat_depth--;
    size_t start = p->repeat_start[p->repeat_depth];
    uint64_t times = p->repeat_times[p->repeat_depth];
    size_t block = p->n_toks - start;
    if (times == 0) {
        p->n_toks = start;
        return true;
    }
    if (block != 0 && (times - 1) > (VDATA_MAX_BYTES / block))
        return fail(p, "[repeat:%llu] makes too many tokens", (unsigned long long)times);
    size_t need = p->n_toks + block * (size_t)(times - 1);
    if (!grow((void **)&p->toks, &p->cap_toks, need, sizeof(token)))
        return fail(p, "out of memory");
    for (uint64_t i = 1; i < times; i++) {
        memcpy(&p->toks[p->n_toks], &p->toks[start], block * sizeof(token));
        p->n_toks += block;
    }
    return true;
}

/* Everything of the form [...] */
static bool scan_bracket(parser *p, const char **pp, const char *e)
{
    const char *s = ++(*pp);
    while (*pp < e && **pp != ']')
        (*pp)++;
    if (*pp >= e)
        return fail(p, "'[' without ']'");
    char kw[128];
    size_t n = (size_t)(*pp - s);
    if (n >= sizeof kw)
        return fail(p, "bracket token too long");
    memcpy(kw, s, n);
    kw[n] = '\0';
    (*pp)++; /* ']' */

    if ((kw[0] == 'u' || kw[0] == 'i') && kw[1] >= '0' && kw[1] <= '9')
        return scan_int(p, kw, pp, e);

    const char *arg = strchr(kw, ':');
    size_t kw_len = arg ? (size_t)(arg - kw) : n;
    const char *ae = kw + n;
    if (arg)
        arg++;
#define IS(word) (kw_len == sizeof(word) - 1 && memcmp(kw, word, kw_len) == 0)
    if (IS("end") && !arg)
        return close_repeat(p);
    if (!arg)
        return fail(p, "unknown token [%s]", kw);
    if (IS("dist4") || IS("span4")) {
        token *t = push_token(p, IS("dist4") ? TOK_DIST4 : TOK_SPAN4);
        if (!t || !read_name(p, &arg, ae, t->a, "anchor name"))
            return false;
        if (t->kind == TOK_SPAN4) {
            if (arg >= ae || *arg != ':')
                return fail(p, "[span4:from:to] needs two anchor names");
            arg++;
            if (!read_name(p, &arg, ae, t->b, "anchor name"))
                return false;
        }
        if (arg != ae)
            return fail(p, "unexpected '%s' in [%s]", arg, kw);
        return true;
    }
    uint64_t v, fill_byte = 0;
    if (!read_unsigned(p, &arg, ae, VDATA_MAX_BYTES, &v, "count"))
        return false;
    if (IS("fill")) {
        if (arg >= ae || *arg != ':')
            return fail(p, "[fill:N:BYTE] needs a byte value");
        arg++;
        if (!read_unsigned(p, &arg, ae, 255, &fill_byte, "byte"))
            return false;
    }
    if (arg != ae)
        return fail(p, "unexpected '%s' in [%s]", arg, kw);
    if (IS("repeat"))
        return open_repeat(p, v);
    if (IS("align") && (v == 0 || (v & (v - 1)) != 0))
        return fail(p, "[align:%llu]: the alignment must be a power of two",
                    (unsigned long long)v);
    if (!IS("pad") && !IS("fill") && !IS("align"))
        return fail(p, "unknown token [%s]", kw);
    token *t = push_token(p, IS("align") ? TOK_ALIGN : TOK_FILL);
    if (!t)
        return false;
    if (t->kind == TOK_ALIGN) {
        t->value = v;
    } else {
        t->count = (size_t)v;
        t->value = fill_byte;
    }
    return true;
#undef IS
}

static bool scan_data(parser *p, const char *s, const char *e)
{
    const char *q = s;
    for (;;) {
        skip_spaces(&q, e);
        if (q >= e || *q == '#')
            return true;
        bool ok;
        if (*q == '"')
            ok = scan_text(p, &q, e);
        else if (*q == '@')
            ok = scan_anchor(p, &q, e);
        else if (*q == '[')
            ok = scan_bracket(p, &q, e);
        else {
            const char *w = q;
            while (q < e && !is_space(*q))
                q++;
            return fail(p, "unknown token '%.*s' (expected [u8]N .. [u64]N, [i8]N .. [i64]N, "
                           "[dist4:a], [span4:a:b], [pad:N], [fill:N:B], [align:N], "
                           "[repeat:N] .. [end], \"text\" or @anchor)",
                        (int)(q - w), w);
        }
        if (!ok)
            return false;
        if (q < e && !is_space(*q) && *q != '#' && *q != '[' && *q != '"' && *q != '@')
            return fail(p, "unexpected '%c' right after a token (separate tokens with spaces)", *q);
    }
}

/* ---- header lines ---------------------------------------------------- */

static bool at_line_end(parser *p, const char **pp, const char *e)
{
    skip_spaces(pp, e);
    if (*pp < e && **pp != '#')
        return fail(p, "unexpected '%.*s' at the end of the line", (int)(e - *pp), *pp);
    return true;
}

static bool once(parser *p, bool *seen, const char *what)
{
    if (*seen)
        return fail(p, "a second `%s` line (each case has one)", what);
    *seen = true;
    return true;
}

/* The optional end of an expect line: `offset @anchor` or `offset N`. */
static bool scan_expect_offset(parser *p, const char *q, const char *e)
{
    skip_spaces(&q, e);
    if (q >= e || *q == '#')
        return true;
    if (e - q < 6 || memcmp(q, "offset", 6) != 0 || (e - q > 6 && !is_space(q[6])))
        return fail(p, "unexpected '%.*s' (an expect line may end with `offset @anchor` "
                       "or `offset N`)", (int)(e - q), q);
    q += 6;
    skip_spaces(&q, e);
    p->out->has_expect_offset = true;
    if (q < e && *q == '@') {
        q++;
        if (!read_name(p, &q, e, p->offset_anchor, "anchor name"))
            return false;
    } else {
        uint64_t v;
        if (!read_unsigned(p, &q, e, VDATA_MAX_BYTES, &v, "offset"))
            return false;
        p->out->expect_offset = (size_t)v;
    }
    return at_line_end(p, &q, e);
}

/* expect PASS | expect NAME at PATH [offset X] | expect NAME at "" [offset X] */
static bool scan_expect(parser *p, const char *q, const char *e)
{
    vdata_case *c = p->out;
    if (!once(p, &p->seen_expect, "expect"))
        return false;
    c->expect_line = p->line;
    skip_spaces(&q, e);
    if (!read_name(p, &q, e, c->expect, "PASS or an error name"))
        return false;
    if (strcmp(c->expect, "PASS") == 0)
        return at_line_end(p, &q, e);
    for (const char *k = c->expect; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || *k == '_' || (*k >= '0' && *k <= '9')))
            return fail(p, "'%s' is not an error name (those are UPPER_CASE, like OVERLAP)",
                        c->expect);
    skip_spaces(&q, e);
    if (e - q < 3 || memcmp(q, "at", 2) != 0 || !is_space(q[2]))
        return fail(p, "expected `at PATH` after %s (every error names where it is; "
                       "use at \"\" for the root itself)", c->expect);
    q += 3;
    skip_spaces(&q, e);
    const char *s = q;
    size_t n;
    if (q < e && *q == '"') {
        s = ++q;
        while (q < e && *q != '"')
            q++;
        if (q >= e)
            return fail(p, "unterminated quoted path");
        n = (size_t)(q - s);
        q++;
    } else {
        while (q < e && !is_space(*q) && *q != '#')
            q++;
        n = (size_t)(q - s);
        if (n == 0)
            return fail(p, "expected a path after `at`");
    }
    if (n >= sizeof c->expect_path)
        return fail(p, "path too long");
    memcpy(c->expect_path, s, n);
    c->expect_path[n] = '\0';
    return scan_expect_offset(p, q, e);
}

/* One of root/expect/depth/shift if the line starts with that word; sets
 * *handled accordingly. */
static bool scan_directive(parser *p, const char *s, const char *e, bool *handled)
{
    const char *q = s;
    skip_spaces(&q, e);
    const char *w = q;
    while (q < e && is_name_char(*q))
        q++;
    size_t n = (size_t)(q - w);
    *handled = false;
    if (n == 0 || (q < e && !is_space(*q)))
        return true;
#define WORD(x) (n == sizeof(x) - 1 && memcmp(w, x, n) == 0)
    *handled = true;
    vdata_case *c = p->out;
    if (WORD("root")) {
        if (!once(p, &p->seen_root, "root"))
            return false;
        skip_spaces(&q, e);
        return read_name(p, &q, e, c->root, "type name") && at_line_end(p, &q, e);
    }
    if (WORD("expect"))
        return scan_expect(p, q, e);
    if (WORD("depth") || WORD("shift")) {
        bool depth = WORD("depth");
        if (!once(p, depth ? &p->seen_depth : &p->seen_shift, depth ? "depth" : "shift"))
            return false;
        uint64_t v;
        skip_spaces(&q, e);
        if (!read_unsigned(p, &q, e, depth ? UINT32_MAX : 7, &v, depth ? "depth" : "shift"))
            return false;
        if (depth) {
            c->has_depth = true;
            c->depth = (uint32_t)v;
        } else {
            c->shift = (uint32_t)v;
        }
        return at_line_end(p, &q, e);
    }
#undef WORD
    *handled = false;
    return true;
}

/* ---- layout and emission --------------------------------------------- */

static size_t token_size(const token *t, size_t pos)
{
    switch (t->kind) {
    case TOK_INT: return t->width;
    case TOK_DIST4:
    case TOK_SPAN4: return 4;
    case TOK_FILL:
    case TOK_TEXT: return t->count;
    case TOK_ALIGN: return (size_t)((t->value - pos % t->value) % t->value);
    case TOK_ANCHOR: return 0;
    }
    return 0;
}

static bool place_anchors(parser *p, size_t *total)
{
    p->anchors = calloc(p->n_toks ? p->n_toks : 1, sizeof(anchor));
    if (!p->anchors)
        return fail(p, "out of memory");
    size_t pos = 0;
    for (size_t i = 0; i < p->n_toks; i++) {
        const token *t = &p->toks[i];
        if (t->kind == TOK_ANCHOR) {
            for (size_t j = 0; j < p->n_anchors; j++)
                if (strcmp(p->anchors[j].def->a, t->a) == 0)
                    return fail_at(p, t->line, "anchor @%s is already defined on line %u",
                                   t->a, p->anchors[j].def->line);
            p->anchors[p->n_anchors].def = t;
            p->anchors[p->n_anchors].pos = pos;
            p->n_anchors++;
        }
        pos += token_size(t, pos);
        if (pos > VDATA_MAX_BYTES)
            return fail_at(p, t->line, "the message is larger than %u bytes", VDATA_MAX_BYTES);
    }
    *total = pos;
    return true;
}

static bool find_anchor(parser *p, const token *t, const char *name, size_t *pos)
{
    for (size_t j = 0; j < p->n_anchors; j++)
        if (strcmp(p->anchors[j].def->a, name) == 0) {
            *pos = p->anchors[j].pos;
            return true;
        }
    return fail_at(p, t->line, "anchor @%s is used but never defined", name);
}

static void put_le(uint8_t *dst, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        dst[i] = (uint8_t)(v >> (8 * i));
}

static bool emit_bytes(parser *p, uint8_t *out)
{
    size_t pos = 0;
    for (size_t i = 0; i < p->n_toks; i++) {
        const token *t = &p->toks[i];
        size_t size = token_size(t, pos), a = 0, b = 0;
        switch (t->kind) {
        case TOK_INT:
            put_le(out + pos, t->value, t->width);
            break;
        case TOK_DIST4:
            /* Wraps modulo 2^32 for an anchor behind us, as a hostile
             * writer's arithmetic would. */
            if (!find_anchor(p, t, t->a, &a))
                return false;
            put_le(out + pos, (uint64_t)a - (uint64_t)pos, 4);
            break;
        case TOK_SPAN4:
            if (!find_anchor(p, t, t->a, &a) || !find_anchor(p, t, t->b, &b))
                return false;
            put_le(out + pos, (uint64_t)b - (uint64_t)a, 4);
            break;
        case TOK_FILL:
            memset(out + pos, (int)t->value, size);
            break;
        case TOK_ALIGN:
            memset(out + pos, 0, size);
            break;
        case TOK_TEXT:
            memcpy(out + pos, p->pool + t->value, size);
            break;
        case TOK_ANCHOR:
            break;
        }
        pos += size;
    }
    return true;
}

static bool finish(parser *p)
{
    if (p->repeat_depth > 0)
        return fail_at(p, p->repeat_line[p->repeat_depth - 1], "[repeat] without [end]");
    if (!p->seen_root)
        return fail(p, "no `root TYPE` line");
    if (!p->seen_expect)
        return fail(p, "no `expect PASS` / `expect ERROR at PATH` line");
    size_t total = 0;
    if (!place_anchors(p, &total))
        return false;
    p->out->bytes = malloc(total ? total : 1);
    if (!p->out->bytes)
        return fail(p, "out of memory");
    p->out->len = total;
    if (p->offset_anchor[0]) {
        token where = { .line = p->out->expect_line };
        if (!find_anchor(p, &where, p->offset_anchor, &p->out->expect_offset))
            return false;
    }
    return emit_bytes(p, p->out->bytes);
}

bool vdata_parse(const char *file, const char *text, size_t n,
                 vdata_case *out, char *err, size_t err_len)
{
    parser p;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    p.file = file;
    p.err = err;
    p.err_len = err_len;
    p.out = out;
    if (err_len)
        err[0] = '\0';

    const char *s = text, *end = text + n;
    bool ok = true;
    while (ok && s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        p.line++;
        if (memchr(s, '\0', (size_t)(e - s)))
            ok = fail(&p, "a NUL character in the text (write bytes as [u8]0 or \"\\0\")");
        bool handled = false;
        if (ok)
            ok = scan_directive(&p, s, e, &handled);
        if (ok && !handled)
            ok = scan_data(&p, s, e);
        s = e + (e < end);
    }
    if (ok)
        ok = finish(&p);
    free(p.toks);
    free(p.pool);
    free(p.anchors);
    if (!ok)
        vdata_free(out);
    return ok;
}

bool vdata_load(const char *path, vdata_case *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (!grow((void **)&text, &cap, len + 4096, 1)) {
            fclose(f);
            free(text);
            snprintf(err, err_len, "%s: out of memory", path);
            return false;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (read_error) {
        free(text);
        snprintf(err, err_len, "%s: read error", path);
        return false;
    }
    bool ok = vdata_parse(path, text, len, out, err, err_len);
    free(text);
    return ok;
}

void vdata_free(vdata_case *c)
{
    free(c->bytes);
    c->bytes = NULL;
    c->len = 0;
}
