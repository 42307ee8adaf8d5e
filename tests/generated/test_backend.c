/*
 * test_backend.c - gritec's back end on small schemas compiled in-process:
 * fingerprint properties, the generated-name check, layout limits, and the
 * emitter's output hygiene.
 */
#define _GNU_SOURCE   /* open_memstream */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "compile.h"
#include "emit.h"
#include "fingerprint.h"
#include "layout.h"

typedef struct compiled {
    schema *s;
    char *diags;
} compiled;

static compiled compile_text(const char *text)
{
    compiled c = { NULL, NULL };
    size_t n = 0;
    FILE *out = open_memstream(&c.diags, &n);
    ck_assert_ptr_nonnull(out);
    diag_ctx d;
    diag_init(&d, "t.idl", text, strlen(text), out);
    c.s = compile_source("t.idl", text, strlen(text), &d);
    fclose(out);
    return c;
}

static void compiled_free(compiled *c)
{
    if (c->s)
        ast_free(c->s);
    free(c->diags);
}

static uint64_t fp_of(const char *text)
{
    compiled c = compile_text(text);
    ck_assert_msg(c.s != NULL, "did not compile: %s", c.diags);
    uint64_t fp = fingerprint_schema(c.s);
    compiled_free(&c);
    return fp;
}

/* Compiling must succeed. */
static void expect_compiles(const char *text)
{
    compiled c = compile_text(text);
    ck_assert_msg(c.s != NULL, "did not compile: %s", c.diags);
    compiled_free(&c);
}

/* Compiling must fail with a diagnostic containing `needle`. */
static void expect_error(const char *text, const char *needle)
{
    compiled c = compile_text(text);
    ck_assert_msg(c.s == NULL, "compiled, expected an error about '%s'", needle);
    ck_assert_msg(strstr(c.diags, needle) != NULL, "expected '%s' in:\n%s", needle, c.diags);
    compiled_free(&c);
}

/* ---- fingerprint ------------------------------------------------------- */

#define BASE \
    "schema a version 1;\n" \
    "root Req;\n" \
    "enum Color : u8 { Red, Green }\n" \
    "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n" \
    "union Cmd { Get { key: string }, Stop }\n"

START_TEST(fingerprint_ignores_names_and_order)
{
    uint64_t base = fp_of(BASE);
    /* Rename a field, a type, a variant, an enum value, the schema. */
    ck_assert_uint_eq(fp_of("schema b version 2;\nroot Request;\n"
                            "enum Colour : u8 { Rouge, Vert }\n"
                            "struct Request { ident: u32, label: string, colour: Colour, c: Command }\n"
                            "union Command { Fetch { k: string }, Halt }\n"), base);
    /* Declaration order does not matter. */
    ck_assert_uint_eq(fp_of("schema a version 1;\nroot Req;\n"
                            "union Cmd { Get { key: string }, Stop }\n"
                            "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n"
                            "enum Color : u8 { Red, Green }\n"), base);
    /* A type no root reaches does not count. */
    ck_assert_uint_eq(fp_of(BASE "struct Unused { x: u64 }\n"), base);
}
END_TEST

START_TEST(fingerprint_sees_wire_changes)
{
    uint64_t base = fp_of(BASE);
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u8 { Red, Green }\n"
                            "struct Req { id: u64, name: string, color: Color, cmd: Cmd }\n"
                            "union Cmd { Get { key: string }, Stop }\n"), base);
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u8 { Red, Green }\n"
                            "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n"
                            "union Cmd { Get { key: string }, Stop, Pause }\n"), base);
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u8 { Red, Green }\n"
                            "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n"
                            "open union Cmd { Get { key: string }, Stop }\n"), base);
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u8 { Red, Green = 5 }\n"
                            "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n"
                            "union Cmd { Get { key: string }, Stop }\n"), base);
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u16 { Red, Green }\n"
                            "struct Req { id: u32, name: string, color: Color, cmd: Cmd }\n"
                            "union Cmd { Get { key: string }, Stop }\n"), base);
    /* Swapping two fields of different types changes the layout. */
    ck_assert_uint_ne(fp_of("schema a version 1;\nroot Req;\n"
                            "enum Color : u8 { Red, Green }\n"
                            "struct Req { name: string, id: u32, color: Color, cmd: Cmd }\n"
                            "union Cmd { Get { key: string }, Stop }\n"), base);
}
END_TEST

START_TEST(fingerprint_open_enum_values_do_not_count)
{
    const char *a = "schema a version 1;\nroot R;\nopen enum L : u16 { Low, High }\nstruct R { l: L }\n";
    const char *b = "schema a version 1;\nroot R;\nopen enum L : u16 { Low, High, Max = 9 }\nstruct R { l: L }\n";
    const char *c = "schema a version 1;\nroot R;\nenum L : u16 { Low, High }\nstruct R { l: L }\n";
    ck_assert_uint_eq(fp_of(a), fp_of(b));
    ck_assert_uint_ne(fp_of(a), fp_of(c));
}
END_TEST

START_TEST(fingerprint_roots_are_a_set)
{
    const char *a = "schema a version 1;\nroot A, B;\nstruct A { x: u8 }\nstruct B { y: string }\n";
    const char *b = "schema a version 1;\nroot B, A;\nstruct A { x: u8 }\nstruct B { y: string }\n";
    const char *none = "schema a version 1;\nstruct A { x: u8 }\nstruct B { y: string }\n";
    ck_assert_uint_eq(fp_of(a), fp_of(b));
    ck_assert_uint_eq(fp_of(a), fp_of(none));   /* no roots: every struct and union */
}
END_TEST

START_TEST(fingerprint_canonical_text)
{
    compiled c = compile_text("schema a version 1;\nroot T, N;\n"
                              "enum E : i8 { A = -1, B = 3 }\n"
                              "struct N { kids: [N], tag: E?, h: [u8; 4] }\n"
                              "open union T { X { v: f64 }, Y }\n");
    ck_assert_msg(c.s != NULL, "%s", c.diags);
    strbuf text = STRBUF_INIT;
    fingerprint_canonical(c.s, &text);
    ck_assert_str_eq(sb_str(&text), "grite-archive-1\n"
                                    "open union{(f64),()}\n"
                                    "struct{[#0],enum:i8{-1,3}?,[u8;4]}\n");
    /* FNV-1a 64 of exactly that text. */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < text.len; i++) {
        h ^= (unsigned char)text.data[i];
        h *= UINT64_C(0x100000001b3);
    }
    ck_assert_uint_eq(fingerprint_schema(c.s), h);
    sb_free(&text);
    compiled_free(&c);
}
END_TEST

/* ---- generated names ---------------------------------------------------- */

START_TEST(names_reject_keywords)
{
    expect_error("schema a version 1;\nstruct S { class: u8 }\n", "'class' is a C or C++ keyword");
    expect_error("schema a version 1;\nstruct S { bool: u8 }\n", "'bool' is a C or C++ keyword");
    expect_error("schema a version 1;\nunion U { A { x: u8 }, B }\nstruct S { uint8_t: U }\n",
                 "'uint8_t' is a C or C++ keyword or a standard C name");
}
END_TEST

START_TEST(names_reject_collisions)
{
    expect_error("schema a version 1;\nstruct S { validate: u8 }\n",
                 "t.idl:2:12: error: C identifier 'a_S_validate' of the accessor of field "
                 "'validate' of 'S' collides with the function 'validate' of 'S'");
    expect_error("schema a version 1;\nstruct S { x: u8?, has_x: bool }\n",
                 "C identifier 'a_S_has_x'");
    expect_error("schema a version 1;\nstruct S { x: u8, in: u8 }\n", "'a_S_in'");
    expect_error("schema a version 1;\nenum CmdIssue { Create }\n"
                 "union Cmd { IssueCreate { a: u8 }, Doctor }\n",
                 "'A_CMD_ISSUE_CREATE' of the tag constant of variant 'IssueCreate' of 'Cmd' "
                 "collides with the constant for value 'Create' of 'CmdIssue'");
}
END_TEST

START_TEST(names_accept_near_misses)
{
    expect_compiles("schema a version 1;\nstruct SV { a: u8 }\nunion S { V { b: u8 } }\n");
}
END_TEST

START_TEST(names_reject_runtime_and_reserved_spellings)
{
    expect_error("schema a version 1;\noption c_prefix = \"grite_v\";\nstruct S { x: u8 }\n",
                 "reserved by the grite runtime");
    expect_error("schema a version 1;\nstruct S { a__b: u8 }\n", "contain '__'");
    expect_error("schema a version 1;\nstruct S { x_: u8 }\n", "end with '_'");
}
END_TEST

/* ---- layout --------------------------------------------------------------- */

START_TEST(layout_type_expressions)
{
    compiled c = compile_text("schema a version 1;\n"
                              "struct S { a: u8, b: u64?, c: [u16; 3], d: [string]?, e: bool? }\n");
    ck_assert_msg(c.s != NULL, "%s", c.diags);
    const decl *s = c.s->decls[0];
    const field *f = s->fields.items;
    ck_assert_uint_eq(layout_size(f[1].type), 16);
    ck_assert_uint_eq(layout_align(f[1].type), 8);
    ck_assert_uint_eq(f[1].offset, 8);
    ck_assert_uint_eq(layout_size(f[2].type), 6);
    ck_assert_uint_eq(f[2].offset, 24);
    ck_assert_uint_eq(layout_size(f[3].type), 12);
    ck_assert_uint_eq(f[3].offset, 32);
    ck_assert_uint_eq(layout_size(f[4].type), 2);
    ck_assert_uint_eq(f[4].offset, 44);
    ck_assert_uint_eq(s->size, 48);
    ck_assert_uint_eq(s->align, 8);
    compiled_free(&c);
}
END_TEST

START_TEST(layout_limits)
{
    expect_error("schema a version 1;\nstruct S { a: [u64; 1000000000] }\n",
                 "array is larger than the format allows");
    expect_error("schema a version 1;\nstruct S { a: [u8; 4000000000], b: [u8; 4000000000] }\n",
                 "struct 'S' is larger than the format allows");
    expect_error("schema a version 1;\nstruct S { a: [[u64; 1000000000]] }\n",
                 "array is larger than the format allows");
}
END_TEST

START_TEST(layout_union_recursion)
{
    /* Through a vector: fine. Through an optional: the builder input would be infinite. */
    expect_compiles("schema a version 1;\nunion U { A { kids: [U] }, B }\n");
    expect_error("schema a version 1;\nunion U { A { next: U? }, B }\n",
                 "t.idl:2:7: error: 'U' contains itself other than through a vector");
    expect_error("schema a version 1;\nunion U { A { s: S }, B }\nstruct S { u: U }\n",
                 "note: through field 's' of U.A");
}
END_TEST

/* ---- emitter --------------------------------------------------------------- */

static char *emit_text(const schema *s)
{
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    ck_assert(emit_c_header(s, "t.idl", out));
    fclose(out);
    return text;
}

START_TEST(emitter_is_deterministic_and_escapes_docs)
{
    compiled c = compile_text("/// Ends */ early /* nests ?\?/\n"
                              "schema a version 1;\n"
                              "/// doc with */ inside\nstruct S { x: u8 }\n");
    ck_assert_msg(c.s != NULL, "%s", c.diags);
    char *one = emit_text(c.s), *two = emit_text(c.s);
    ck_assert_str_eq(one, two);
    ck_assert_ptr_nonnull(strstr(one, "doc with * / inside"));
    ck_assert_ptr_nonnull(strstr(one, "Ends * / early / * nests ? ?/"));
    ck_assert_ptr_null(strstr(one, "??"));
    ck_assert_ptr_nonnull(strstr(one, "generated by gritec from t.idl"));
    free(one);
    free(two);
    compiled_free(&c);
}
END_TEST

static Suite *backend_suite(void)
{
    Suite *s = suite_create("gritec_backend");
    TCase *fp = tcase_create("fingerprint");
    tcase_add_test(fp, fingerprint_ignores_names_and_order);
    tcase_add_test(fp, fingerprint_sees_wire_changes);
    tcase_add_test(fp, fingerprint_open_enum_values_do_not_count);
    tcase_add_test(fp, fingerprint_roots_are_a_set);
    tcase_add_test(fp, fingerprint_canonical_text);
    suite_add_tcase(s, fp);
    TCase *nm = tcase_create("names");
    tcase_add_test(nm, names_reject_keywords);
    tcase_add_test(nm, names_reject_collisions);
    tcase_add_test(nm, names_accept_near_misses);
    tcase_add_test(nm, names_reject_runtime_and_reserved_spellings);
    suite_add_tcase(s, nm);
    TCase *lay = tcase_create("layout");
    tcase_add_test(lay, layout_type_expressions);
    tcase_add_test(lay, layout_limits);
    tcase_add_test(lay, layout_union_recursion);
    suite_add_tcase(s, lay);
    TCase *em = tcase_create("emitter");
    tcase_add_test(em, emitter_is_deterministic_and_escapes_docs);
    suite_add_tcase(s, em);
    return s;
}

int main(void)
{
    return grite_check_run(backend_suite());
}
