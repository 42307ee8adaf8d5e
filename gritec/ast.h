/*
 * ast.h - the abstract syntax tree of one .idl file.
 *
 * Data flows one way through gritec:
 *   source -> lexer (lexer.re) -> parser (parser.y) -> AST (this file)
 *          -> sema.c (resolve names, reject bad schemas)
 *          -> depth.c (bound how deeply types nest), names.c (C names)
 *          -> layout.c (sizes, alignments, offsets)
 *          -> fingerprint.c (bound the fingerprint's text)
 *          -> emit_c.c (the generated header)
 *
 * The parser only builds nodes (ast.c); later passes fill in the fields
 * marked "set by sema.c" / "set by layout.c".  Every node lives in the
 * schema's arena and is freed with it in one go (ast_free).
 */
#ifndef GRITEC_AST_H
#define GRITEC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A position in the source: 1-based line and column (column counts
 * Unicode code points, so a caret lines up under non-ASCII text). */
typedef struct src_loc {
    uint32_t line;
    uint32_t col;
} src_loc;

typedef enum type_kind {
    TY_U8, TY_U16, TY_U32, TY_U64,
    TY_I8, TY_I16, TY_I32, TY_I64,
    TY_F32, TY_F64,
    TY_BOOL,
    TY_STRING,   /* UTF-8 text, length-counted, stored NUL-terminated */
    TY_BYTES,    /* opaque bytes */
    TY_NAMED,    /* a struct, union or enum, by name */
    TY_VECTOR,   /* [T] */
    TY_OPTIONAL, /* T? */
    TY_ARRAY     /* [T; N] */
} type_kind;

struct decl;

typedef struct type_ref {
    type_kind kind;
    src_loc loc;
    const char *name;       /* TY_NAMED: the name as written */
    struct decl *decl;      /* TY_NAMED: set by sema.c */
    struct type_ref *elem;  /* TY_VECTOR, TY_OPTIONAL, TY_ARRAY */
    uint64_t array_len;     /* TY_ARRAY */
    src_loc array_len_loc;  /* TY_ARRAY: where N was written */
} type_ref;

typedef struct field {
    const char *name;
    src_loc loc;
    const char *doc;        /* joined /// lines, or NULL */
    type_ref *type;
    uint32_t offset;        /* set by layout.c: byte offset in the parent */
} field;

typedef struct field_list {
    field *items;
    size_t len;
    size_t cap;
} field_list;

typedef struct variant {
    const char *name;
    src_loc loc;
    const char *doc;
    bool has_body;          /* written as Name { ... } (possibly empty) */
    field_list fields;
    uint32_t tag;           /* position in the union, from 0 */
    uint32_t size;          /* set by layout.c: payload struct size (0 if no fields) */
    uint32_t align;         /* set by layout.c */
} variant;

typedef struct enum_value {
    const char *name;
    src_loc loc;
    const char *doc;
    bool is_explicit;       /* written as Name = N */
    bool negative;          /* the literal had a leading '-' */
    uint64_t magnitude;     /* the literal's absolute value */
    src_loc value_loc;
    int64_t value;          /* set by sema.c (implicit ones: previous + 1) */
} enum_value;

typedef enum decl_kind { DECL_STRUCT, DECL_UNION, DECL_ENUM } decl_kind;

typedef struct decl {
    decl_kind kind;
    const char *name;
    src_loc loc;
    const char *doc;
    bool is_open;           /* `open union` / `open enum`: unknown tags are accepted */

    field_list fields;      /* DECL_STRUCT */

    variant *variants;      /* DECL_UNION */
    size_t n_variants, cap_variants;

    enum_value *values;     /* DECL_ENUM */
    size_t n_values, cap_values;
    type_kind underlying;   /* DECL_ENUM: TY_U8 .. TY_I64, default TY_U32 */
    src_loc underlying_loc;

    uint32_t size;          /* set by layout.c */
    uint32_t align;         /* set by layout.c */
    uint32_t index;         /* declaration order, from 0 */
} decl;

typedef struct root_ref {
    const char *name;
    src_loc loc;
    decl *decl;             /* set by sema.c */
} root_ref;

typedef struct option_kv {
    const char *key;
    src_loc loc;
    const char *value;      /* decoded string literal */
    src_loc value_loc;
} option_kv;

typedef struct arena arena;

typedef struct schema {
    const char *file;       /* path as given on the command line */
    const char *name;       /* `schema NAME version N;` */
    src_loc name_loc;
    uint64_t version;
    src_loc version_loc;
    bool has_header;        /* a schema declaration was seen */
    const char *doc;

    decl **decls;           /* in declaration order */
    size_t n_decls, cap_decls;

    root_ref *roots;        /* `root A, B;` in order */
    size_t n_roots, cap_roots;

    option_kv *options;     /* `option key = "value";` */
    size_t n_options, cap_options;

    const char *c_prefix;   /* set by sema.c: option c_prefix, else the schema name */

    arena *mem;
} schema;

/* ---- construction (used by the parser's actions only) ---------------- */
schema *ast_new_schema(const char *file);
void ast_free(schema *s);

/* Copy n bytes of text into the schema's arena as a NUL-terminated string. */
const char *ast_strdup(schema *s, const char *text, size_t n);
void *ast_alloc(schema *s, size_t size);

type_ref *ast_type_scalar(schema *s, type_kind kind, src_loc loc);
type_ref *ast_type_named(schema *s, const char *name, src_loc loc);
type_ref *ast_type_vector(schema *s, type_ref *elem, src_loc loc);
type_ref *ast_type_optional(schema *s, type_ref *elem, src_loc loc);
type_ref *ast_type_array(schema *s, type_ref *elem, uint64_t n, src_loc n_loc, src_loc loc);

void ast_field_add(schema *s, field_list *list, const char *name, src_loc loc,
                   const char *doc, type_ref *type);

decl *ast_decl_new(schema *s, decl_kind kind, const char *name, src_loc loc,
                   const char *doc, bool is_open);
variant *ast_variant_add(schema *s, decl *u, const char *name, src_loc loc,
                         const char *doc, bool has_body);
enum_value *ast_enum_value_add(schema *s, decl *e, const char *name, src_loc loc,
                               const char *doc);
void ast_root_add(schema *s, const char *name, src_loc loc);
void ast_option_add(schema *s, const char *key, src_loc loc, const char *value,
                    src_loc value_loc);

/* ---- queries ----------------------------------------------------------- */
decl *ast_find_decl(const schema *s, const char *name);
const char *ast_type_kind_name(type_kind kind);   /* "u32", "string", ... */
bool ast_kind_is_scalar(type_kind kind);          /* numbers and bool */
bool ast_kind_is_integer(type_kind kind);

#endif /* GRITEC_AST_H */
