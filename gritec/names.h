/*
 * names.h - the C identifiers gritec generates, in one place.
 *
 * Both the emitter (to print them) and the collision check (to reject a
 * schema whose names would clash in C) use these functions, so the two can
 * never disagree. docs/GENERATED_API.md describes the scheme:
 *
 *   P          the schema's C prefix (option c_prefix, else the schema name)
 *   P_T        a declared type            P_T_suffix   its functions
 *   P_U_V      a union variant's payload  UPPER(P)_UPPER(S)_UPPER(V) constants
 *   P_M        a type expression's helper type (M = names_mangle: vec_str, ...)
 *
 * Every string returned by the nm_* functions lives in the `names` pool and
 * stays valid until names_free.
 */
#ifndef GRITEC_NAMES_H
#define GRITEC_NAMES_H

#include "ast.h"
#include "diag.h"

/* Report names that are C (or C++) keywords, reserved by the generated API,
 * or that would produce the same C identifier twice. Returns false if any
 * error was reported. Runs after sema.c (names are resolved). */
bool names_check(schema *s, diag_ctx *d);

typedef struct names names;

names *names_new(const schema *s);
void names_free(names *n);

/* UPPER(name): PascalCase / camelCase / snake_case -> SCREAMING_SNAKE. */
const char *nm_upper(names *n, const char *name);
/* M: the mangled name of a type expression (u32, str, vec_str, opt_T, arr32_u8). */
const char *nm_mangle(names *n, const type_ref *t);

const char *nm_prefix(names *n);                                   /* P */
const char *nm_type(names *n, const char *type);                   /* P_T */
/* P_T_suffix: _in, _validate, _build, a field accessor, ... (T may be U_V). */
const char *nm_type_fn(names *n, const char *type, const char *suffix);
/* P_T_verb_name: P_T_has_f, P_U_as_V. */
const char *nm_type_fn2(names *n, const char *type, const char *verb, const char *name);
/* P_U_V: the payload struct of variant V of union U (its functions are
 * nm_type_fn(n, nm_payload_base(U, V), ...)). */
const char *nm_payload_base(names *n, const char *u, const char *v); /* "U_V" */
/* UPPER(P)_UPPER(scope)_UPPER(value): enum values and union tags. */
const char *nm_const(names *n, const char *scope, const char *value);
/* UPPER(P)_SCHEMA_<what> */
const char *nm_schema_const(names *n, const char *what);
/* The include guard of the generated header. */
const char *nm_guard(names *n);
/* P_M and P_M_suffix for a vector, optional or array type expression. */
const char *nm_helper(names *n, const type_ref *t);
const char *nm_helper_fn(names *n, const type_ref *t, const char *suffix);

/* Every distinct vector / optional / array type expression of the schema
 * (distinct by mangled name), elements before the types that contain them,
 * in order of first use. *out stays valid until names_free. */
size_t names_type_exprs(names *n, const type_ref ***out);
/* The position of t's mangled name in that list (its length if absent). */
size_t names_expr_index(names *n, const type_ref *t);

/* Scratch text (any printf format) that lives as long as the pool. */
const char *nm_fmt(names *n, const char *fmt, ...) GRITEC_PRINTF(2, 3);

/* The name of a padding member: pad<i>_ (IDL names never end in '_'). */
const char *nm_padding(names *n, unsigned i);

#endif
