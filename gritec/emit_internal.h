/*
 * emit_internal.h - what the parts of the C emitter share.
 *
 *   emit_c.c         the header's frame, constants, C types of type expressions
 *   emit_types.c     enums, archived structs (with layout asserts), views, inputs
 *   emit_access.c    name tables and zero-copy accessors
 *   emit_validate.c  validators (docs/FORMAT.md 1.5-1.6)
 *   emit_build.c     builders
 *   emit_json.c      JSON printing (P_T_to_json)
 *
 * Every identifier comes from names.h, every size and offset from layout.h.
 */
#ifndef GRITEC_EMIT_INTERNAL_H
#define GRITEC_EMIT_INTERNAL_H

#include "ast.h"
#include "layout.h"
#include "names.h"
#include "strbuf.h"

typedef struct emitter {
    const schema *s;
    names *n;
    strbuf *out;
    const type_ref **exprs;     /* vector/optional/array type expressions, elements first */
    size_t n_exprs;
    unsigned char *needs_memo;  /* per decl index: 0 unknown, 1 no check, 2 check */
} emitter;

/* Append formatted text to the header. */
void em(emitter *e, const char *fmt, ...) GRITEC_PRINTF(2, 3);
/* A doc comment (or nothing if doc is NULL), indented. */
void em_doc(emitter *e, const char *doc, const char *indent);
/* One comment of two texts, either may be NULL (e.g. "The payload of
 * U.V." and the variant's doc): on one line if both are one line and
 * the comment fits in 100 columns, else one after the other. */
void em_doc2(emitter *e, const char *first, const char *second, const char *indent);
/* "base + i * size", or "base + i" when size is 1: element i's address. */
const char *element_at(emitter *e, const char *base, const char *i, uint32_t size);

/* The type as written in the IDL: "[string]", "IssueState?", "[u8; 32]". */
const char *idl_type_text(emitter *e, const type_ref *t);
/* "u32" for grite_ld_u32 / grite_st_u32 (bool: "bool"). */
const char *scalar_suffix(type_kind k);
/* The C type of a scalar as users see it: uint32_t, float, bool, ... */
const char *scalar_c_type(type_kind k);
/* The C type an enum's values are stored as (its underlying type). */
const char *enum_storage_type(const decl *d);
/* Whether an enum becomes a C enum (else: a typedef of its integer type
 * plus #define constants, for values C enums cannot hold). */
bool enum_is_c_enum(const decl *d);
bool enum_is_signed(const decl *d);

/* Member declarations: "grite_ref labels", "uint8_t hash[32]". */
const char *archived_decl(emitter *e, const type_ref *t, const char *name);
const char *input_decl(emitter *e, const type_ref *t, const char *name);
/* "const X *name", or "const X (*name)[N]" when X is itself an array. */
const char *input_ptr_decl(emitter *e, const type_ref *t, const char *name);
/* type followed by a space, unless it ends in '*' ("const T *name"). */
const char *ret_space(emitter *e, const char *type);
/* "a" or "an", for comments: "an IssueState". */
const char *article(const char *word);
/* What an accessor returns for a value of type t. */
const char *read_type(emitter *e, const type_ref *t);
/* The expression reading a value of type t stored at address `addr`. */
const char *read_expr(emitter *e, const type_ref *t, const char *addr);

/* Does a value of this type need any check beyond its size? */
bool needs_check(emitter *e, const type_ref *t);
bool fields_need_check(emitter *e, const field_list *fl);

/* `case` labels of all of d's variants without fields, one per line (a
 * switch handles them alike); returns whether there were any. */
bool emit_fieldless_cases(emitter *e, const decl *d);

/* The owner name of a union variant's payload ("U_V"). */
const char *payload_base(emitter *e, const decl *u, const variant *v);
bool variant_has_payload(const variant *v);

void emit_types(emitter *e);
void emit_access(emitter *e);
void emit_validators(emitter *e);
void emit_builders(emitter *e);
void emit_json(emitter *e);

#endif
