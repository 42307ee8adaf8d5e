/*
 * parser.y - the grammar of the grite IDL (docs/IDL.md), for lemon.
 *
 * Every action is one call that builds an AST node (ast.c) or hands a
 * token to a small helper in parse.c; nothing else happens here. Error
 * recovery uses lemon's `error` symbol at three levels: a field, a
 * variant or an enum value resynchronises at the next ',' or '}', and a
 * broken declaration resynchronises at the next declaration keyword.
 */

%name grite_parser
%token_prefix TK_
%token_type {token}
%extra_argument {parser_state *p}
/* Bounds nesting ([[[...]]]) so later passes can recurse safely. */
%stack_size 200

%include {
/* Keep lemon's internal consistency checks and its symbol names (used for
 * "after field" in syntax errors) even in release builds. */
#undef NDEBUG
#include <stdint.h>
#include <string.h>
#include "ast.h"
#include "parse.h"
struct yyParser;
static void grite_parser_report(struct yyParser *pp, int major, const token *found,
                                parser_state *p);
}

%code {
/* Would `terminal` be accepted (shifted, possibly after some reductions)
 * in the parser's current configuration? Simulates lemon's driver on a
 * copy of the state stack, ignoring keyword fallbacks, so the answer is
 * the set of tokens the grammar really expects here. */
static int grite_parser_would_accept(const yyParser *pp, int terminal)
{
    YYACTIONTYPE stack[YYSTACKDEPTH + 8];
    int top = 0;
    for (const yyStackEntry *e = pp->yystack; e <= pp->yytos && top < YYSTACKDEPTH + 4; e++)
        stack[top++] = e->stateno;
    for (int steps = 0; steps < 4 * YYSTACKDEPTH; steps++) {
        YYACTIONTYPE state = stack[top - 1];
        YYACTIONTYPE act;
        if (state > YY_MAX_SHIFT) {
            act = state; /* a pending reduce */
        } else if (state > YY_SHIFT_COUNT) {
            act = yy_default[state];
        } else {
            int i = yy_shift_ofst[state] + terminal;
            act = yy_lookahead[i] == terminal ? yy_action[i] : yy_default[state];
        }
        if (act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION)
            return 1;
        if (act < YY_MIN_REDUCE || act > YY_MAX_REDUCE)
            return 0; /* error */
        unsigned rule = (unsigned)(act - YY_MIN_REDUCE);
        int nrhs = -yyRuleInfoNRhs[rule];
        top -= nrhs;
        if (top < 1 || top >= YYSTACKDEPTH + 4)
            return 0;
        stack[top] = yy_find_reduce_action(stack[top - 1], yyRuleInfoLhs[rule]);
        top++;
    }
    return 0;
}

static void grite_parser_report(yyParser *pp, int major, const token *found, parser_state *p)
{
    bool expected[YYNTOKEN];
    for (int t = 0; t < YYNTOKEN; t++)
        expected[t] = t != YYERRORSYMBOL && grite_parser_would_accept(pp, t);
    const yyStackEntry *top = pp->yytos;
    const char *after_symbol = top > pp->yystack ? yyTokenName[top->major] : NULL;
    const token *after_token = top > pp->yystack && top->major < YYNTOKEN ? &top->minor.yy0 : NULL;
    parse_syntax_error(p, major, found, expected, YYNTOKEN, after_symbol, after_token);
}
}

%syntax_error {
    grite_parser_report(yypParser, yymajor, &yyminor, p);
}
%stack_overflow {
    parse_nesting_too_deep(p);
}
%parse_failure {
    p->failed = true;
}

/* The terminals, declared up front so their codes (TK_*) follow this order. */
%token SCHEMA VERSION ROOT OPTION STRUCT UNION ENUM OPEN
       U8 U16 U32 U64 I8 I16 I32 I64 F32 F64 BOOL STRING BYTES
       IDENT INT STR
       LBRACE RBRACE LBRACKET RBRACKET COMMA SEMI COLON EQ QUESTION MINUS
       BADCHAR.
/* BADCHAR stands for an invalid character: no rule accepts it, so the
 * parser resynchronises after one (its error was reported by the lexer). */

/* Keywords are contextual: where a keyword cannot appear but a name can,
 * it is a name (`version: u32`, `enum Kind { struct, union }`). */
%fallback IDENT SCHEMA VERSION ROOT OPTION STRUCT UNION ENUM OPEN
       U8 U16 U32 U64 I8 I16 I32 I64 F32 F64 BOOL STRING BYTES.

%type type {type_ref *}
%type base {type_ref *}
%type int_type {int_type_spec}
%type body {field_list *}
%type field_seq {field_list *}
%type struct_head {decl *}

file ::= items.

items ::= .
items ::= items item.

item ::= schema_decl.
item ::= root_decl.
item ::= option_decl.
item ::= struct_decl.
item ::= union_decl.
item ::= enum_decl.
item ::= error.

/* ---- schema, root, option ------------------------------------------- */

schema_decl ::= SCHEMA(K) IDENT(N) VERSION INT(V) SEMI.
    { parse_schema_header(p, &K, &N, &V); }

root_decl ::= ROOT root_names SEMI.
root_names ::= IDENT(N).                  { ast_root_add(p->s, N.text, N.loc); }
root_names ::= root_names COMMA IDENT(N). { ast_root_add(p->s, N.text, N.loc); }

option_decl ::= OPTION IDENT(K) EQ STR(V) SEMI.
    { ast_option_add(p->s, K.text, K.loc, V.text, V.loc); }

/* ---- struct ------------------------------------------------------------ */

struct_decl ::= struct_head(D) body(F).    { D->fields = *F; }

struct_head(D) ::= STRUCT(K) IDENT(N).
    { D = parse_begin_decl(p, DECL_STRUCT, &K, &N, false); }

/* The closing '}' (after an optional ',') is part of each rule, so the
 * parser never reduces a list before seeing how it ends, and a syntax
 * error right after a field still expects ',' or '}'. */
body(L) ::= LBRACE RBRACE.                          { L = parse_field_list(p); }
body(L) ::= LBRACE field_seq(S) RBRACE.             { L = S; }
body(L) ::= LBRACE field_seq(S) COMMA RBRACE.       { L = S; }

field_seq(L) ::= field(F).                 { L = parse_field_list(p); parse_field_add(p, L, &F); }
field_seq(L) ::= field_seq(S) COMMA field(F). { L = S; parse_field_add(p, L, &F); }

%type field {field}
field(F) ::= IDENT(N) COLON type(T).
    { F = (field){ .name = N.text, .loc = N.loc, .doc = parse_take_doc(p, &N), .type = T }; }
field(F) ::= error.                        { F = (field){ .name = NULL }; }

/* ---- union ------------------------------------------------------------- */

union_decl ::= union_head LBRACE RBRACE.
union_decl ::= union_head LBRACE variant_seq RBRACE.
union_decl ::= union_head LBRACE variant_seq COMMA RBRACE.

union_head ::= UNION(K) IDENT(N).        { parse_begin_decl(p, DECL_UNION, &K, &N, false); }
union_head ::= OPEN(O) UNION IDENT(N).   { parse_begin_decl(p, DECL_UNION, &O, &N, true); }

variant_seq ::= variant.
variant_seq ::= variant_seq COMMA variant.

variant ::= IDENT(N).                      { parse_variant(p, &N, NULL); }
variant ::= IDENT(N) body(F).             { parse_variant(p, &N, F); }
variant ::= error.

/* ---- enum -------------------------------------------------------------- */

enum_decl ::= enum_head underlying LBRACE RBRACE.
enum_decl ::= enum_head underlying LBRACE value_seq RBRACE.
enum_decl ::= enum_head underlying LBRACE value_seq COMMA RBRACE.

enum_head ::= ENUM(K) IDENT(N).         { parse_begin_decl(p, DECL_ENUM, &K, &N, false); }
enum_head ::= OPEN(O) ENUM IDENT(N).    { parse_begin_decl(p, DECL_ENUM, &O, &N, true); }

underlying ::= .
underlying ::= COLON int_type(T).       { parse_enum_underlying(p, &T); }

int_type(T) ::= U8(K).  { T = (int_type_spec){ TY_U8, K.loc }; }
int_type(T) ::= U16(K). { T = (int_type_spec){ TY_U16, K.loc }; }
int_type(T) ::= U32(K). { T = (int_type_spec){ TY_U32, K.loc }; }
int_type(T) ::= U64(K). { T = (int_type_spec){ TY_U64, K.loc }; }
int_type(T) ::= I8(K).  { T = (int_type_spec){ TY_I8, K.loc }; }
int_type(T) ::= I16(K). { T = (int_type_spec){ TY_I16, K.loc }; }
int_type(T) ::= I32(K). { T = (int_type_spec){ TY_I32, K.loc }; }
int_type(T) ::= I64(K). { T = (int_type_spec){ TY_I64, K.loc }; }

value_seq ::= value.
value_seq ::= value_seq COMMA value.

value ::= IDENT(N).                        { parse_enum_value(p, &N, NULL, NULL); }
value ::= IDENT(N) EQ INT(V).              { parse_enum_value(p, &N, &V, NULL); }
value ::= IDENT(N) EQ MINUS(M) INT(V).     { parse_enum_value(p, &N, &V, &M); }
value ::= error.

/* ---- types ------------------------------------------------------------- */

type(T) ::= base(B).                       { T = B; }
type(T) ::= type(E) QUESTION(Q).           { T = ast_type_optional(p->s, E, Q.loc); }

base(T) ::= U8(K).    { T = ast_type_scalar(p->s, TY_U8, K.loc); }
base(T) ::= U16(K).   { T = ast_type_scalar(p->s, TY_U16, K.loc); }
base(T) ::= U32(K).   { T = ast_type_scalar(p->s, TY_U32, K.loc); }
base(T) ::= U64(K).   { T = ast_type_scalar(p->s, TY_U64, K.loc); }
base(T) ::= I8(K).    { T = ast_type_scalar(p->s, TY_I8, K.loc); }
base(T) ::= I16(K).   { T = ast_type_scalar(p->s, TY_I16, K.loc); }
base(T) ::= I32(K).   { T = ast_type_scalar(p->s, TY_I32, K.loc); }
base(T) ::= I64(K).   { T = ast_type_scalar(p->s, TY_I64, K.loc); }
base(T) ::= F32(K).   { T = ast_type_scalar(p->s, TY_F32, K.loc); }
base(T) ::= F64(K).   { T = ast_type_scalar(p->s, TY_F64, K.loc); }
base(T) ::= BOOL(K).  { T = ast_type_scalar(p->s, TY_BOOL, K.loc); }
base(T) ::= STRING(K). { T = ast_type_scalar(p->s, TY_STRING, K.loc); }
base(T) ::= BYTES(K). { T = ast_type_scalar(p->s, TY_BYTES, K.loc); }
base(T) ::= IDENT(N). { T = ast_type_named(p->s, N.text, N.loc); }
base(T) ::= LBRACKET(L) type(E) RBRACKET.
    { T = ast_type_vector(p->s, E, L.loc); }
base(T) ::= LBRACKET(L) type(E) SEMI INT(N) RBRACKET.
    { T = ast_type_array(p->s, E, N.value, N.loc, L.loc); }
