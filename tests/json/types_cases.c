/*
 * types_cases.c - JSON cases for json_types.idl: integer limits, float
 * digits and non-finite values, bytes and u8 sequences as hex, nested
 * vectors and arrays, optionals inside vectors, enum names and unknown
 * open-enum values, recursion, and an open union's unknown tag.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "json_cases.h"
#include "json_types.h"

JSON_CASE_DEFINE_PRINT(jt, Numbers)
JSON_CASE_DEFINE_PRINT(jt, Seqs)
JSON_CASE_DEFINE_PRINT(jt, Event)

/* ---- numbers ----------------------------------------------------------- */

static int numbers_limits(grite_buf *b)
{
    static const double doubles[] = {
        0.0, -0.0, 1.0, 1.5, 1e300, 4.9406564584124654e-324 /* smallest */, DBL_MIN,
        1.0 / 3.0, 123456789012345678.0, -2.5e-10,
    };
    static const float singles[] = { 0.1f, 16777216.0f, FLT_MAX, 1.40129846e-45f, -3.25f };
    jt_Numbers_in n = {
        .a_u8 = UINT8_MAX, .a_u16 = UINT16_MAX, .a_u32 = UINT32_MAX, .a_u64 = UINT64_MAX,
        .a_i8 = INT8_MIN, .a_i16 = INT16_MIN, .a_i32 = INT32_MIN, .a_i64 = INT64_MIN,
        .a_f32 = 0.1f, .a_f64 = 0.1, .yes = true, .no = false,
        .doubles = { doubles, sizeof doubles / sizeof doubles[0] },
        .singles = { singles, sizeof singles / sizeof singles[0] },
    };
    return jt_Numbers_build(b, &n);
}

static int numbers_positive_limits(grite_buf *b)
{
    jt_Numbers_in n = { .a_i8 = INT8_MAX, .a_i16 = INT16_MAX, .a_i32 = INT32_MAX,
                        .a_i64 = INT64_MAX, .a_f32 = -0.0f, .a_f64 = 2.5 };
    return jt_Numbers_build(b, &n);
}

static int numbers_not_finite(grite_buf *b)
{
    static const double doubles[] = { NAN, -INFINITY, 0.5 };
    static const float singles[] = { INFINITY };
    jt_Numbers_in n = { .a_f32 = NAN, .a_f64 = INFINITY,
                        .doubles = { doubles, 3 }, .singles = { singles, 1 } };
    return jt_Numbers_build(b, &n);
}

/* ---- sequences --------------------------------------------------------- */

static int seqs_full(grite_buf *b)
{
    static const uint8_t blob[] = { 0x00, 0xff, 0x10 };
    static const uint8_t raw[] = { 0xde, 0xad };
    static const uint8_t pairs[][2] = { { 0xab, 0xcd }, { 0x00, 0x01 } };
    static const uint32_t one_two[] = { 1, 2 }, three[] = { 3 };
    static const jt_vec_u32_in nested[] = { { one_two, 2 }, { NULL, 0 }, { three, 1 } };
    static const jt_opt_i32_in maybes[] = { { true, 5 }, { false, 0 }, { true, -7 } };
    static const jt_Mood moods[] = { JT_MOOD_SAD, JT_MOOD_CALM, JT_MOOD_GLAD };
    static const jt_Level levels[] = { JT_LEVEL_LOW, JT_LEVEL_HIGH, (jt_Level)777 };
    jt_Seqs_in s = {
        .blob = { blob, 3 }, .raw = { raw, 2 }, .hash = { 1, 2, 3, 0xfe },
        .pairs = { pairs, 2 }, .grid = { { -1, 2 }, { 3, INT16_MIN } },
        .nested = { nested, 3 }, .maybes = { maybes, 3 }, .moods = { moods, 3 },
        .levels = { levels, 3 }, .wide = JT_WIDE_HUGE,
        .maybe_blob = { true, { NULL, 0 } },   /* present but empty */
        .names = { GRITE_STR("a"), GRITE_STR("") },
    };
    return jt_Seqs_build(b, &s);
}

static int seqs_empty(grite_buf *b)
{
    jt_Seqs_in s = { .wide = JT_WIDE_SMALL, .maybe_hash = { true, { 9, 8, 7, 6 } } };
    return jt_Seqs_build(b, &s);
}

/* ---- the open union ---------------------------------------------------- */

static int event_ping(grite_buf *b)
{
    jt_Event_in e = { .tag = JT_EVENT_PING };
    return jt_Event_build(b, &e);
}

static int event_tree(grite_buf *b)
{
    static const jt_Node_in deepest[] = { { .tag = JT_NODE_LEAF, .v.Leaf = { INT64_MAX } } };
    static const jt_Node_in kids[] = {
        { .tag = JT_NODE_LEAF, .v.Leaf = { -5 } },
        { .tag = JT_NODE_NOTHING },
        { .tag = JT_NODE_BRANCH },
        { .tag = JT_NODE_BRANCH, .v.Branch = { { deepest, 1 } } },
    };
    jt_Event_in e = { .tag = JT_EVENT_TREE };
    e.v.Tree.root = (jt_Node_in){ .tag = JT_NODE_BRANCH, .v.Branch = { { kids, 4 } } };
    return jt_Event_build(b, &e);
}

static int event_value_absent(grite_buf *b)
{
    jt_Event_in e = { .tag = JT_EVENT_VALUE };
    return jt_Event_build(b, &e);
}

static int event_value_present(grite_buf *b)
{
    jt_Event_in e = { .tag = JT_EVENT_VALUE };
    e.v.Value.n.present = true;
    e.v.Value.n.value.a_f64 = 2.5;
    e.v.Value.n.value.yes = true;
    return jt_Event_build(b, &e);
}

/* Tag 7 of a newer schema, without payload (offset and size 0). */
static int event_unknown(grite_buf *b)
{
    size_t at;
    grite_buf_reset(b);
    int rc = grite_buf_reserve(b, 12, 8, &at);
    if (rc == 0)
        grite_st_u32(b->data, 7);
    return rc;
}

/* ---- the table --------------------------------------------------------- */

#define ZERO_NUMBERS_BUT(f32, f64, yes)                                                 \
    "{\"a_u8\":0,\"a_u16\":0,\"a_u32\":0,\"a_u64\":0,\"a_i8\":0,\"a_i16\":0,\"a_i32\":0,"  \
    "\"a_i64\":0,\"a_f32\":" f32 ",\"a_f64\":" f64 ",\"yes\":" yes ",\"no\":false,"       \
    "\"doubles\":[],\"singles\":[]}"

const json_case types_json_cases[] = {
    { "types_numbers_limits", numbers_limits, print_Numbers,
      "{\"a_u8\":255,\"a_u16\":65535,\"a_u32\":4294967295,\"a_u64\":18446744073709551615,"
      "\"a_i8\":-128,\"a_i16\":-32768,\"a_i32\":-2147483648,\"a_i64\":-9223372036854775808,"
      "\"a_f32\":0.1,\"a_f64\":0.1,\"yes\":true,\"no\":false,"
      "\"doubles\":[0,-0,1,1.5,1e+300,4.94065645841247e-324,2.2250738585072014e-308,"
      "0.3333333333333333,1.2345678901234568e+17,-2.5e-10],"
      "\"singles\":[0.1,16777216,3.4028235e+38,1.4013e-45,-3.25]}", false },
    { "types_numbers_positive_limits", numbers_positive_limits, print_Numbers,
      "{\"a_u8\":0,\"a_u16\":0,\"a_u32\":0,\"a_u64\":0,\"a_i8\":127,\"a_i16\":32767,"
      "\"a_i32\":2147483647,\"a_i64\":9223372036854775807,\"a_f32\":-0,\"a_f64\":2.5,"
      "\"yes\":false,\"no\":false,\"doubles\":[],\"singles\":[]}", false },
    { "types_numbers_not_finite", numbers_not_finite, print_Numbers,
      "{\"a_u8\":0,\"a_u16\":0,\"a_u32\":0,\"a_u64\":0,\"a_i8\":0,\"a_i16\":0,\"a_i32\":0,"
      "\"a_i64\":0,\"a_f32\":null,\"a_f64\":null,\"yes\":false,\"no\":false,"
      "\"doubles\":[null,null,0.5],\"singles\":[null]}", true },
    { "types_seqs_full", seqs_full, print_Seqs,
      "{\"blob\":\"00ff10\",\"raw\":\"dead\",\"hash\":\"010203fe\",\"pairs\":[\"abcd\",\"0001\"],"
      "\"grid\":[[-1,2],[3,-32768]],\"nested\":[[1,2],[],[3]],\"maybes\":[5,null,-7],"
      "\"moods\":[\"Sad\",\"Calm\",\"Glad\"],\"levels\":[\"Low\",\"High\",777],\"wide\":\"Huge\","
      "\"maybe_blob\":\"\",\"maybe_hash\":null,\"names\":[\"a\",\"\"]}", true },
    { "types_seqs_empty", seqs_empty, print_Seqs,
      "{\"blob\":\"\",\"raw\":\"\",\"hash\":\"00000000\",\"pairs\":[],\"grid\":[[0,0],[0,0]],"
      "\"nested\":[],\"maybes\":[],\"moods\":[],\"levels\":[],\"wide\":\"Small\","
      "\"maybe_blob\":null,\"maybe_hash\":\"09080706\",\"names\":[\"\",\"\"]}", true },
    { "types_event_ping", event_ping, print_Event, "{\"Ping\":{}}", true },
    { "types_event_tree", event_tree, print_Event,
      "{\"Tree\":{\"root\":{\"Branch\":{\"kids\":[{\"Leaf\":{\"v\":-5}},{\"Nothing\":{}},"
      "{\"Branch\":{\"kids\":[]}},{\"Branch\":{\"kids\":[{\"Leaf\":{\"v\":9223372036854775807}}]}}"
      "]}}}}", true },
    { "types_event_value_absent", event_value_absent, print_Event,
      "{\"Value\":{\"n\":null}}", true },
    { "types_event_value_present", event_value_present, print_Event,
      "{\"Value\":{\"n\":" ZERO_NUMBERS_BUT("0", "2.5", "true") "}}", true },
    { "types_event_unknown", event_unknown, print_Event, "{\"unknown\":7}", true },
};
const size_t types_json_n_cases = sizeof types_json_cases / sizeof types_json_cases[0];
