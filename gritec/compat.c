/*
 * compat.c - `gritec --compat OLD.idl NEW.idl` (see compat.h; the rules
 * are docs/IDL.md section 8).
 *
 * The comparison walks both schemas in step, from the roots: the messages
 * are what the two programs exchange. Pairs of roots (compat_roots.c),
 * then every pair of types found at the same place in both (a field's
 * type, a variant's payload...), are compared; compat_describe.c says what
 * changed inside each pair, compat_wire.c whether the bytes still mean the
 * same thing.
 *
 * Types are matched across the files by name first; a type whose name is
 * gone is matched, as a rename, with the unmatched type found at the same
 * place in the new file (or, failing that, with the only unmatched type of
 * its kind). What is matched but not found at the same place in any shared
 * message cannot affect compatibility and is only mentioned.
 */
#include "compat.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compat_internal.h"
#include "symtab.h"
#include "fingerprint.h"

/* ---- shared helpers (compat_internal.h) ----------------------------------------- */

void compat_note(comparer *c, change_verdict v, src_loc new_loc, src_loc old_loc,
                 const char *fmt, ...)
{
    if (c->quiet) {
        c->quiet_count++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    changes_vadd(&c->changes, v, new_loc, old_loc, fmt, ap);
    va_end(ap);
}

const char *compat_kind_word(decl_kind k)
{
    switch (k) {
    case DECL_STRUCT: return "struct";
    case DECL_UNION: return "union";
    case DECL_ENUM: return "enum";
    }
    return "type";
}

void compat_compare_doc(comparer *c, const char *what, src_loc new_loc, src_loc old_loc,
                        const char *old_doc, const char *new_doc)
{
    if (old_doc == NULL && new_doc == NULL)
        return;
    if (old_doc != NULL && new_doc != NULL && strcmp(old_doc, new_doc) == 0)
        return;
    const char *how = old_doc == NULL ? "added" : new_doc == NULL ? "removed" : "changed";
    compat_note(c, CHANGE_COMPATIBLE, new_loc, old_loc, "doc comment of %s %s", what, how);
}

static void queue_pair(comparer *c, size_t old_index)
{
    if (c->quiet || c->queued[old_index])
        return;
    c->queued[old_index] = true;
    c->queue[c->queue_len++] = old_index;
}

static void match_types(comparer *c, const decl *o, const decl *n)
{
    c->old_to_new[o->index] = (size_t)n->index + 1;
    c->new_to_old[n->index] = (size_t)o->index + 1;
    compat_note(c, CHANGE_COMPATIBLE, n->loc, o->loc, "%s '%s' renamed to '%s'",
                compat_kind_word(n->kind), o->name, n->name);
}

bool compat_pair_types(comparer *c, const decl *o, const decl *n)
{
    if (c->old_to_new[o->index] == (size_t)n->index + 1) {
        queue_pair(c, o->index);
        return true;
    }
    if (c->quiet || o->kind != n->kind || c->old_to_new[o->index] != 0 ||
        c->new_to_old[n->index] != 0)
        return false;
    match_types(c, o, n);
    queue_pair(c, o->index);
    return true;
}

/* The IDL spelling of a type expression. */
static void spell_type(strbuf *out, const type_ref *t)
{
    switch (t->kind) {
    case TY_NAMED: sb_puts(out, t->name); return;
    case TY_VECTOR:
        sb_putc(out, '[');
        spell_type(out, t->elem);
        sb_putc(out, ']');
        return;
    case TY_OPTIONAL:
        spell_type(out, t->elem);
        sb_putc(out, '?');
        return;
    case TY_ARRAY:
        sb_putc(out, '[');
        spell_type(out, t->elem);
        sb_printf(out, "; %" PRIu64 "]", t->array_len);
        return;
    default: sb_puts(out, ast_type_kind_name(t->kind)); return;
    }
}

static void report_type_change(comparer *c, const char *what, src_loc new_loc, src_loc old_loc,
                               const type_ref *o, const type_ref *n, wire_change w)
{
    strbuf from = STRBUF_INIT, to = STRBUF_INIT;
    spell_type(&from, o);
    spell_type(&to, n);
    if (w == WIRE_BREAKING)
        compat_note(c, CHANGE_BREAKING, new_loc, old_loc, "%s changed type from %s to %s", what,
                    sb_str(&from), sb_str(&to));
    else
        compat_note(c, CHANGE_COMPATIBLE, new_loc, old_loc, "%s changed type from %s to %s; %s",
                    what, sb_str(&from), sb_str(&to),
                    w == WIRE_SAME ? "same layout" : "a compatible layout");
    sb_free(&from);
    sb_free(&to);
}

void compat_describe_use(comparer *c, const char *what, src_loc new_loc, src_loc old_loc,
                         const type_ref *o, const type_ref *n)
{
    const type_ref *a = o, *b = n;
    /* Vectors, optionals and arrays wrap exactly one type: follow both. */
    while (a->kind == b->kind && (a->kind == TY_VECTOR || a->kind == TY_OPTIONAL ||
                                  (a->kind == TY_ARRAY && a->array_len == b->array_len))) {
        a = a->elem;
        b = b->elem;
    }
    if (a->kind != b->kind || a->kind == TY_ARRAY) {
        report_type_change(c, what, new_loc, old_loc, o, n, WIRE_BREAKING);
        return;
    }
    if (a->kind != TY_NAMED || compat_pair_types(c, a->decl, b->decl))
        return; /* the same scalar, or a matched pair described on its own */
    report_type_change(c, what, new_loc, old_loc, o, n, wire_decls(c->wire, a->decl, b->decl));
}

/* ---- the schema declaration and options -------------------------------------------- */

static src_loc c_prefix_loc(const schema *s)
{
    for (size_t i = 0; i < s->n_options; i++)
        if (strcmp(s->options[i].key, "c_prefix") == 0)
            return s->options[i].value_loc;
    return s->name_loc;
}

static bool sets_c_prefix(const schema *s)
{
    for (size_t i = 0; i < s->n_options; i++)
        if (strcmp(s->options[i].key, "c_prefix") == 0)
            return true;
    return false;
}

static void compare_header(comparer *c)
{
    const schema *o = c->old_s, *n = c->new_s;
    bool prefix_option = sets_c_prefix(o) || sets_c_prefix(n);
    if (strcmp(o->name, n->name) != 0)
        compat_note(c, CHANGE_COMPATIBLE, n->name_loc, o->name_loc,
                    "schema renamed from '%s' to '%s'%s", o->name, n->name,
                    prefix_option ? "" : ", and with it the C prefix");
    if (o->version != n->version)
        compat_note(c, CHANGE_COMPATIBLE, n->version_loc, o->version_loc,
                    "schema version changed from %" PRIu64 " to %" PRIu64, o->version,
                    n->version);
    if (prefix_option && strcmp(o->c_prefix, n->c_prefix) != 0)
        compat_note(c, CHANGE_COMPATIBLE, c_prefix_loc(n), c_prefix_loc(o),
                    "C prefix changed from '%s' to '%s'; only the generated C names change",
                    o->c_prefix, n->c_prefix);
    compat_compare_doc(c, "the schema", n->name_loc, o->name_loc, o->doc, n->doc);
}

/* ---- matching types; types no shared message reaches --------------------------------- */

static void match_types_by_name(comparer *c)
{
    symtab old_types;   /* type name -> declaration index */
    symtab_init(&old_types, c->old_s->n_decls);
    for (size_t i = 0; i < c->old_s->n_decls; i++) {
        size_t ignored;
        symtab_add(&old_types, c->old_s->decls[i]->name, i, &ignored);
    }
    for (size_t j = 0; j < c->new_s->n_decls; j++) {
        size_t i;
        if (symtab_get(&old_types, c->new_s->decls[j]->name, &i)) {
            c->old_to_new[i] = j + 1;
            c->new_to_old[j] = i + 1;
        }
    }
    symtab_free(&old_types);
}

/* The last resort for renames: the only unmatched type of its kind on both sides. */
static void match_lone_types(comparer *c)
{
    for (decl_kind k = DECL_STRUCT; k <= DECL_ENUM; k++) {
        const decl *o = NULL, *n = NULL;
        size_t n_old = 0, n_new = 0;
        for (size_t i = 0; i < c->old_s->n_decls; i++)
            if (c->old_to_new[i] == 0 && c->old_s->decls[i]->kind == k) {
                o = c->old_s->decls[i];
                n_old++;
            }
        for (size_t j = 0; j < c->new_s->n_decls; j++)
            if (c->new_to_old[j] == 0 && c->new_s->decls[j]->kind == k) {
                n = c->new_s->decls[j];
                n_new++;
            }
        if (n_old == 1 && n_new == 1)
            match_types(c, o, n);
    }
}

static void describe_queued(comparer *c)
{
    while (c->queue_head < c->queue_len)
        compat_describe_decl(c, c->queue[c->queue_head++]);
}

static void report_unshared(comparer *c)
{
    for (size_t i = 0; i < c->old_s->n_decls; i++) {
        if (c->old_to_new[i] == 0 || c->queued[i])
            continue;
        c->quiet = true;
        c->quiet_count = 0;
        compat_describe_decl(c, i);
        c->quiet = false;
        if (c->quiet_count == 0)
            continue;
        const decl *o = c->old_s->decls[i], *n = c->new_s->decls[c->old_to_new[i] - 1];
        compat_note(c, CHANGE_COMPATIBLE, n->loc, o->loc,
                    "%s '%s' changed, but no message of both files has it at the same place",
                    compat_kind_word(n->kind), n->name);
    }
}

/* Types no pairing matched; covered: already reported by a root line. */
static void report_added_removed(comparer *c, const bool *old_covered, const bool *new_covered)
{
    for (size_t i = 0; i < c->old_s->n_decls; i++) {
        const decl *o = c->old_s->decls[i];
        if (c->old_to_new[i] == 0 && !old_covered[i])
            compat_note(c, CHANGE_COMPATIBLE, c->new_s->name_loc, o->loc, "%s '%s' removed",
                        compat_kind_word(o->kind), o->name);
    }
    for (size_t j = 0; j < c->new_s->n_decls; j++) {
        const decl *n = c->new_s->decls[j];
        if (c->new_to_old[j] == 0 && !new_covered[j])
            compat_note(c, CHANGE_COMPATIBLE, n->loc, c->old_s->name_loc, "%s '%s' added",
                        compat_kind_word(n->kind), n->name);
    }
}

/* ---- the whole comparison -------------------------------------------------------------- */

static void *zeroed(size_t n, size_t size)
{
    void *p = calloc(n + 1, size);
    if (p == NULL)
        abort();
    return p;
}

static void comparer_init(comparer *c, const schema *o, const schema *n)
{
    memset(c, 0, sizeof *c);
    c->old_s = o;
    c->new_s = n;
    c->wire = wire_new();
    c->old_to_new = zeroed(o->n_decls, sizeof *c->old_to_new);
    c->new_to_old = zeroed(n->n_decls, sizeof *c->new_to_old);
    c->queued = zeroed(o->n_decls, sizeof *c->queued);
    c->queue = zeroed(o->n_decls, sizeof *c->queue);
}

static void comparer_free(comparer *c)
{
    wire_free(c->wire);
    free(c->old_to_new);
    free(c->new_to_old);
    free(c->queued);
    free(c->queue);
    changes_free(&c->changes);
}

bool compat_check(const schema *old_schema, const schema *new_schema, strbuf *out,
                  compat_result *result)
{
    comparer c;
    comparer_init(&c, old_schema, new_schema);
    uint64_t old_fingerprint = fingerprint_schema(old_schema);
    uint64_t new_fingerprint = fingerprint_schema(new_schema);
    bool *old_covered = zeroed(old_schema->n_decls, sizeof(bool));
    bool *new_covered = zeroed(new_schema->n_decls, sizeof(bool));
    compare_header(&c);
    match_types_by_name(&c);
    compat_compare_roots(&c, old_covered, new_covered, old_fingerprint == new_fingerprint);
    describe_queued(&c);
    match_lone_types(&c);
    report_unshared(&c);
    report_added_removed(&c, old_covered, new_covered);

    compat_result r = {
        .breaking = changes_count(&c.changes, CHANGE_BREAKING),
        .warnings = changes_count(&c.changes, CHANGE_WARNING),
        .compatible = changes_count(&c.changes, CHANGE_COMPATIBLE),
        .old_fingerprint = old_fingerprint,
        .new_fingerprint = new_fingerprint,
    };
    changes_print(&c.changes, old_schema->file, new_schema->file, out);
    changes_print_summary(&c.changes, old_fingerprint, new_fingerprint, out);
    if (result != NULL)
        *result = r;
    free(old_covered);
    free(new_covered);
    comparer_free(&c);
    return r.breaking == 0;
}
