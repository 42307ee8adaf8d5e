/*
 * test_frontend.c - what the front end builds from valid input: the AST
 * of idl/grite.idl (docs, enum values, variants, roots, prefix) and the
 * language rules that accept input (contextual keywords, escapes, implicit
 * enum values, cycles broken by vectors and unions, CRLF line ends).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "test_util.h"

static tu_result compile_text(const char *text)
{
    tu_result r = tu_compile("t.idl", text, strlen(text));
    ck_assert_msg(r.s != NULL, "did not compile:\n%s", r.diagnostics);
    return r;
}

static const decl *find(const schema *s, const char *name)
{
    const decl *d = ast_find_decl(s, name);
    ck_assert_msg(d != NULL, "no declaration '%s'", name);
    return d;
}

START_TEST(grite_idl_ast)
{
    size_t len;
    char *text = tu_read_file(GRITE_IDL_PATH, &len);
    tu_result r = tu_compile("grite.idl", text, len);
    ck_assert_ptr_nonnull(r.s);
    const schema *s = r.s;
    ck_assert_str_eq(s->name, "grite");
    ck_assert_uint_eq(s->version, 1);
    ck_assert_str_eq(s->c_prefix, "grite");
    ck_assert_str_eq(s->doc,
                     "The grite IPC protocol: the requests the `grite` CLI sends to\n"
                     "`grite-daemon`, the replies it gets back, and the notifications the\n"
                     "daemon pushes. IDs are lowercase hex strings; times are u64 Unix\n"
                     "milliseconds.");
    ck_assert_uint_eq(s->n_roots, 3);
    ck_assert_str_eq(s->roots[2].name, "Notification");
    ck_assert_ptr_eq(s->roots[2].decl, find(s, "Notification"));
    ck_assert_uint_eq(s->n_decls, 13);

    const decl *req = find(s, "IpcRequest");
    ck_assert_int_eq(req->kind, DECL_STRUCT);
    ck_assert_str_eq(req->doc, "A request from a client to the daemon.");
    ck_assert_uint_eq(req->fields.len, 6);
    ck_assert_str_eq(req->fields.items[4].doc,
                     "The actor's data directory, e.g. `.git/grite/actors/<actor_id>`.");
    ck_assert_int_eq(req->fields.items[5].type->kind, TY_NAMED);
    ck_assert_ptr_eq(req->fields.items[5].type->decl, find(s, "IpcCommand"));

    const decl *filter = find(s, "IssueFilter");
    const type_ref *state = filter->fields.items[0].type;
    ck_assert_int_eq(state->kind, TY_OPTIONAL);
    ck_assert_ptr_eq(state->elem->decl, find(s, "IssueState"));

    const decl *cmd = find(s, "IpcCommand");
    ck_assert_uint_eq(cmd->n_variants, 14);
    ck_assert_str_eq(cmd->variants[1].name, "IssueCreate");
    ck_assert_uint_eq(cmd->variants[1].tag, 1);
    ck_assert(cmd->variants[1].has_body);
    ck_assert_uint_eq(cmd->variants[1].fields.len, 3);
    ck_assert_int_eq(cmd->variants[1].fields.items[2].type->kind, TY_VECTOR);
    ck_assert(!cmd->variants[11].has_body); /* Doctor */
    ck_assert_str_eq(cmd->variants[11].doc, "Run the daemon's health checks.");
    ck_assert(!cmd->is_open);
    ck_assert(find(s, "Notification")->is_open);

    const decl *code = find(s, "ErrorCode");
    ck_assert_int_eq(code->underlying, TY_U16);
    ck_assert_uint_eq(code->n_values, 7);
    ck_assert_str_eq(code->values[6].name, "internal_error");
    ck_assert_int_eq(code->values[6].value, 7);

    const decl *note = find(s, "Notification");
    const type_ref *hash = note->variants[2].fields.items[2].type;
    ck_assert_int_eq(hash->kind, TY_ARRAY);
    ck_assert_uint_eq(hash->array_len, 32);
    ck_assert_int_eq(hash->elem->kind, TY_U8);
    tu_result_free(&r);
    free(text);
}
END_TEST

START_TEST(keywords_are_contextual)
{
    tu_result r = compile_text("schema s version 1;\n"
                               "struct Version { version: u32, option: string, string: bytes }\n"
                               "enum Kind { struct, union, open }\n");
    const decl *v = find(r.s, "Version");
    ck_assert_str_eq(v->fields.items[0].name, "version");
    ck_assert_str_eq(v->fields.items[2].name, "string");
    ck_assert_int_eq(v->fields.items[2].type->kind, TY_BYTES);
    ck_assert_str_eq(find(r.s, "Kind")->values[1].name, "union");
    tu_result_free(&r);
}
END_TEST

START_TEST(enum_values_count_on_from_the_last_one)
{
    tu_result r = compile_text("schema s version 1;\n"
                               "enum E : i8 { A = -2, B, C, D = 0x10, F, }\n"
                               "enum G { X, Y = 4294967295 }\n");
    const decl *e = find(r.s, "E");
    const int64_t want[] = { -2, -1, 0, 16, 17 };
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(e->values[i].value, want[i]);
    ck_assert(e->values[3].is_explicit);
    ck_assert(!e->values[4].is_explicit);
    ck_assert_int_eq(find(r.s, "G")->underlying, TY_U32);
    ck_assert_int_eq(find(r.s, "G")->values[1].value, 4294967295);
    tu_result_free(&r);
}
END_TEST

START_TEST(string_escapes_decode)
{
    tu_result r = compile_text("schema s version 1;\noption c_prefix = \"m\\x79_\\u{70}x\";\n");
    ck_assert_str_eq(r.s->c_prefix, "my_px");
    ck_assert_str_eq(r.s->options[0].value, "my_px");
    tu_result_free(&r);
}
END_TEST

START_TEST(doc_comments_attach_to_the_next_item)
{
    tu_result r = compile_text("/// Schema doc.\nschema s version 1;\n"
                               "//// four slashes: an ordinary comment\n"
                               "///   Two lines,  \n///\n/// the second after a blank.\n"
                               "// a plain comment in between is fine\n"
                               "open union U {\n  /// Variant.\n  V { /// Field.\n a: u8 },\n}\n"
                               "enum E { /// Value.\n X }\n");
    ck_assert_str_eq(r.s->doc, "Schema doc.");
    const decl *u = find(r.s, "U");
    ck_assert_str_eq(u->doc, "  Two lines,\n\nthe second after a blank.");
    ck_assert_str_eq(u->variants[0].doc, "Variant.");
    ck_assert_str_eq(u->variants[0].fields.items[0].doc, "Field.");
    ck_assert_str_eq(find(r.s, "E")->values[0].doc, "Value.");
    ck_assert_ptr_null(find(r.s, "E")->doc);
    tu_result_free(&r);
}
END_TEST

/* A vector is out of line, so a type may contain itself through one. (A
 * union payload is out of line too, but the builder input holds it by
 * value, so layout.c rejects recursion through a union without a vector.) */
START_TEST(vectors_break_cycles)
{
    tu_result r = compile_text("schema s version 1;\nroot Tree;\n"
                               "struct Tree { children: [Tree], leaf: Leaf, self: Node? }\n"
                               "union Leaf { Empty, More { trees: [Tree] } }\n"
                               "struct Node { up: [[Tree; 0x1]]?, list: [[Node]] }\n");
    ck_assert_ptr_eq(r.s->roots[0].decl, find(r.s, "Tree"));
    tu_result_free(&r);
}
END_TEST

START_TEST(crlf_line_ends_and_positions)
{
    const char *text = "schema s version 1;\r\nstruct A {\r\n\tb: Nope,\r\n}\r\n";
    tu_result r = tu_compile("t.idl", text, strlen(text));
    ck_assert_ptr_null(r.s);
    ck_assert_str_eq(r.diagnostics, "t.idl:3:5: error: unknown type 'Nope'\n"
                                    "    3 | \tb: Nope,\n"
                                    "      | \t   ^~~~\n");
    tu_result_free(&r);
}
END_TEST

START_TEST(empty_variant_body_is_allowed)
{
    tu_result r = compile_text("schema s version 1;\nunion U { A {}, B { x: u8, }, C }\n");
    const decl *u = find(r.s, "U");
    ck_assert(u->variants[0].has_body);
    ck_assert_uint_eq(u->variants[0].fields.len, 0);
    ck_assert_uint_eq(u->variants[1].fields.len, 1);
    ck_assert_uint_eq(u->variants[2].tag, 2);
    tu_result_free(&r);
}
END_TEST

/* The example at the top of docs/IDL.md is valid IDL. */
START_TEST(doc_example_compiles)
{
    size_t len;
    char *doc = tu_read_file(GRITE_IDL_DOC, &len);
    const char *section = strstr(doc, "## Example");
    ck_assert_ptr_nonnull(section);
    const char *start = strstr(section, "```\n");
    ck_assert_ptr_nonnull(start);
    start += 4;
    const char *end = strstr(start, "```\n");
    ck_assert_ptr_nonnull(end);
    char *example = strndup(start, (size_t)(end - start));
    ck_assert_ptr_nonnull(example);
    tu_result r = compile_text(example);
    ck_assert_str_eq(r.s->c_prefix, "demo");
    ck_assert_int_eq(find(r.s, "Color")->values[2].value, 6);
    tu_result_free(&r);
    free(example);
    free(doc);
}
END_TEST

static Suite *frontend_suite(void)
{
    Suite *s = suite_create("gritec_frontend");
    TCase *tc = tcase_create("ast");
    tcase_add_test(tc, grite_idl_ast);
    tcase_add_test(tc, keywords_are_contextual);
    tcase_add_test(tc, enum_values_count_on_from_the_last_one);
    tcase_add_test(tc, string_escapes_decode);
    tcase_add_test(tc, doc_comments_attach_to_the_next_item);
    tcase_add_test(tc, vectors_break_cycles);
    tcase_add_test(tc, crlf_line_ends_and_positions);
    tcase_add_test(tc, empty_variant_body_is_allowed);
    tcase_add_test(tc, doc_example_compiles);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return grite_check_run(frontend_suite());
}
