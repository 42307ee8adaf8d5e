/*
 * idl_gen.c - the generator. Types come in a repeating pattern of five:
 * an enum, three structs and a union. A struct or union may refer only to
 * types declared before it whose nesting depth is small, so the schema has
 * thousands of references but no chain longer than MAX_REF_DEPTH + 1.
 */
#include "idl_gen.h"

#include <stdint.h>
#include <stdlib.h>

#define MAX_REF_DEPTH 4
#define PATTERN 5

typedef enum type_kind { KIND_ENUM, KIND_STRUCT, KIND_UNION } type_kind;

typedef struct gen {
    FILE *out;
    size_t ntypes;
    type_kind *kind;
    unsigned *depth;   /* how many out-of-line hops deep the type nests */
    uint32_t rng;
} gen;

static type_kind kind_of(size_t i)
{
    switch (i % PATTERN) {
    case 0: return KIND_ENUM;
    case 4: return KIND_UNION;
    default: return KIND_STRUCT;
    }
}

static const char *prefix_of(type_kind k) { return k == KIND_ENUM ? "E" : k == KIND_UNION ? "U" : "S"; }

/* A small deterministic PRNG (xorshift32): the schema must not change
 * between runs, or timings would not compare. */
static uint32_t next_rand(gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 17;
    g->rng ^= g->rng << 5;
    return g->rng;
}

/* A type declared before `self`, of kind k, shallow enough to refer to,
 * searched backwards from a random distance; SIZE_MAX if none. */
static size_t pick_earlier(gen *g, size_t self, type_kind k)
{
    if (self == 0)
        return SIZE_MAX;
    size_t start = self - 1 - next_rand(g) % (self < 40 ? self : 40);
    for (size_t j = start + 1; j-- > 0;)
        if (g->kind[j] == k && (k == KIND_ENUM || g->depth[j] < MAX_REF_DEPTH))
            return j;
    return SIZE_MAX;
}

static const char *const SIMPLE_TYPES[] = {
    "u8", "u16", "u32", "u64", "i32", "i64", "f64", "bool", "string", "bytes",
    "[string]", "[u32]", "string?", "u64?", "[u8; 16]", "[i16; 4]", "bool?", "[bytes]",
};
#define N_SIMPLE (sizeof SIMPLE_TYPES / sizeof SIMPLE_TYPES[0])

/* Write one field's type; raise *depth to what the field adds. */
static void write_field_type(gen *g, size_t self, unsigned *depth)
{
    uint32_t r = next_rand(g) % 10;
    type_kind k = r < 5 ? KIND_ENUM : r < 8 ? KIND_STRUCT : KIND_UNION;
    size_t j = r < 3 ? SIZE_MAX : pick_earlier(g, self, k);
    if (j == SIZE_MAX) {
        fputs(SIMPLE_TYPES[next_rand(g) % N_SIMPLE], g->out);
        if (*depth < 1)
            *depth = 1;
        return;
    }
    unsigned shape = next_rand(g) % 4;  /* T, [T], T?, or T again */
    const char *open = shape == 1 ? "[" : "";
    const char *close = shape == 1 ? "]" : shape == 2 ? "?" : "";
    fprintf(g->out, "%s%s%zu%s", open, prefix_of(k), j, close);
    /* Every reference counts as a level, inline ones too: otherwise
     * structs embedding structs embedding structs grow exponentially. */
    unsigned d = k == KIND_ENUM ? 1u : g->depth[j] + 1u;
    if (d > *depth)
        *depth = d;
}

static void write_fields(gen *g, size_t self, unsigned nfields, const char *indent, unsigned *depth)
{
    for (unsigned f = 0; f < nfields; f++) {
        fprintf(g->out, "%sf%u: ", indent, f);
        write_field_type(g, self, depth);
        fputs(f + 1 < nfields ? ",\n" : "\n", g->out);
    }
}

static void write_enum(gen *g, size_t i)
{
    static const char *const BASES[] = {"", " : u8", " : u16", " : u32"};
    unsigned nvalues = 2 + next_rand(g) % 6;
    fprintf(g->out, "/// Enum number %zu.\nenum E%zu%s {", i, i, BASES[next_rand(g) % 4]);
    for (unsigned v = 0; v < nvalues; v++)
        fprintf(g->out, "%s V%u", v ? "," : "", v);
    fputs(" }\n\n", g->out);
    g->depth[i] = 0;
}

static void write_struct(gen *g, size_t i)
{
    unsigned depth = 0;
    fprintf(g->out, "/// Struct number %zu.\nstruct S%zu {\n", i, i);
    write_fields(g, i, 3 + next_rand(g) % 8, "    ", &depth);
    fputs("}\n\n", g->out);
    g->depth[i] = depth;
}

static void write_union(gen *g, size_t i)
{
    unsigned depth = 0, nvariants = 2 + next_rand(g) % 5;
    fprintf(g->out, "/// Union number %zu.\n%sunion U%zu {\n", i, i % 3 == 0 ? "open " : "", i);
    for (unsigned v = 0; v < nvariants; v++) {
        if (v == nvariants - 1) {
            fprintf(g->out, "    Empty%u,\n", v);
            continue;
        }
        fprintf(g->out, "    V%u {\n", v);
        write_fields(g, i, 1 + next_rand(g) % 4, "        ", &depth);
        fputs("    },\n", g->out);
    }
    fputs("}\n\n", g->out);
    g->depth[i] = depth + 1;
}

/* The root refers to the last few structs, so every type is reachable
 * from somewhere and the schema is one protocol, not a pile of types. */
static void write_root(gen *g)
{
    fputs("/// The message the generated schema sends.\nstruct Root {\n    id: u64", g->out);
    size_t fields = 0;
    for (size_t j = g->ntypes; j-- > 0 && fields < 8;) {
        if (g->kind[j] == KIND_STRUCT) {
            fprintf(g->out, ",\n    s%zu: S%zu", j, j);
            fields++;
        }
    }
    fputs(",\n}\n", g->out);
}

bool idl_generate(FILE *out, size_t ntypes)
{
    if (ntypes < 10)
        ntypes = 10;
    ntypes -= 1; /* Root is the last type */
    gen g = {out, ntypes, calloc(ntypes, sizeof(type_kind)), calloc(ntypes, sizeof(unsigned)), 2463534242u};
    if (g.kind == NULL || g.depth == NULL) {
        free(g.kind);
        free(g.depth);
        return false;
    }
    fputs("// Generated by grite-bench to time gritec on a large schema.\n"
          "schema big version 1;\nroot Root;\n\n", out);
    for (size_t i = 0; i < ntypes; i++) {
        g.kind[i] = kind_of(i);
        switch (g.kind[i]) {
        case KIND_ENUM: write_enum(&g, i); break;
        case KIND_STRUCT: write_struct(&g, i); break;
        case KIND_UNION: write_union(&g, i); break;
        }
    }
    write_root(&g);
    free(g.kind);
    free(g.depth);
    return !ferror(out);
}
