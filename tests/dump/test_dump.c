/*
 * test_dump.c - grite-dump run as a program: each test writes a capture
 * file (frames built with the generated builders, then damaged on
 * purpose), runs the tool on it, and compares its standard output,
 * standard error and exit status with what docs/man/grite-dump.1 says.
 * Expected JSON of a message comes from the generated printers, which
 * tests/json checks on their own; the records around them, the byte
 * ranges and the error lines are spelled out here.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <grite/session.h>

#include "check_run.h"
#include "grite.h"
#include "program.h"

/* ---- captures ---------------------------------------------------------- */

typedef struct capture {
    uint8_t data[1 << 20];
    size_t len;
} capture;

static void cap_bytes(capture *c, const void *p, size_t n)
{
    ck_assert_uint_le(c->len + n, sizeof c->data);
    memcpy(c->data + c->len, p, n);
    c->len += n;
}

/* An empty capture: one static buffer (1 MiB is too big for the stack). */
static capture *cap_empty(void)
{
    static capture c;
    c.len = 0;
    return &c;
}

/* Append a frame; returns the offset of its header. */
static size_t cap_frame(capture *c, const void *body, size_t len)
{
    size_t at = c->len;
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    grite_frame_put_header(header, (uint32_t)len);
    cap_bytes(c, header, sizeof header);
    cap_bytes(c, body, len);
    return at;
}

static size_t cap_hello(capture *c, grite_session_hello_kind kind, uint64_t fingerprint)
{
    uint8_t frame[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(frame, kind, fingerprint, GRITE_FRAME_MAX_DEFAULT);
    size_t at = c->len;
    cap_bytes(c, frame, sizeof frame);
    return at;
}

/* DUMP_WORK_DIR/name, in one of a few static buffers (so a path passed to
 * run_dump survives the paths run_dump makes for itself). */
static const char *work_path(const char *name)
{
    static char paths[8][4096];
    static unsigned next;
    char *path = paths[next++ % 8];
    mkdir(DUMP_WORK_DIR, 0755);
    snprintf(path, sizeof paths[0], "%s/%s", DUMP_WORK_DIR, name);
    return path;
}

static const char *cap_save(const capture *c, const char *name)
{
    const char *path = work_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(c->data, 1, c->len, f), c->len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* ---- messages ---------------------------------------------------------- */

typedef struct message {
    grite_buf b;
} message;

static void msg_request(message *m, grite_IpcCommand_in command)
{
    grite_IpcRequest_in req = {
        .ipc_schema_version = 1, .request_id = GRITE_STR("r1"), .repo_root = GRITE_STR("/src"),
        .actor_id = GRITE_STR("ab"), .data_dir = GRITE_STR(""), .command = command,
    };
    ck_assert_int_eq(grite_buf_init_growable(&m->b, 0, 0), 0);
    ck_assert_int_eq(grite_IpcRequest_build(&m->b, &req), 0);
}

static void msg_create(message *m)
{
    static const grite_str labels[] = { GRITE_STR("bug"), GRITE_STR("p1") };
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_ISSUE_CREATE };
    c.v.IssueCreate.title = GRITE_STR("Hi");
    c.v.IssueCreate.labels = (grite_vec_str_in){ labels, 2 };
    msg_request(m, c);
}

static void msg_doctor(message *m)
{
    grite_IpcCommand_in c = { .tag = GRITE_IPC_COMMAND_DOCTOR };
    msg_request(m, c);
}

/* 48 bytes of IpcRequest, then "r1", "/src" and "ab" with their NULs. */
#define DOCTOR_LEN 59
#define DOCTOR_JSON                                                                          \
    "{\"ipc_schema_version\":1,\"request_id\":\"r1\",\"repo_root\":\"/src\",\"actor_id\":\"ab\"," \
    "\"data_dir\":\"\",\"command\":{\"Doctor\":{}}}"
/* The record of a capture whose first frame is that request. */
#define DOCTOR_FRAME_1 "{\"frame\":1,\"offset\":0,\"length\":59,\"IpcRequest\":" DOCTOR_JSON "}\n"

static void msg_lock_reply(message *m)
{
    grite_IpcReply_in r = { .ipc_schema_version = 1, .request_id = GRITE_STR("r1") };
    r.response.tag = GRITE_IPC_RESPONSE_LOCK_RESULT;
    r.response.v.LockResult = (grite_IpcResponse_LockResult_in){
        GRITE_STR("repo"), GRITE_STR("ab"), true, UINT64_MAX };
    ck_assert_int_eq(grite_buf_init_growable(&m->b, 0, 0), 0);
    ck_assert_int_eq(grite_IpcReply_build(&m->b, &r), 0);
}

static void msg_notification(message *m)
{
    grite_Notification_in n = { .tag = GRITE_NOTIFICATION_WORKER_STOPPED };
    n.v.WorkerStopped = (grite_Notification_WorkerStopped_in){
        GRITE_STR("/src"), GRITE_STR("ab"), GRITE_STR("idle"), 15 };
    ck_assert_int_eq(grite_buf_init_growable(&m->b, 0, 0), 0);
    ck_assert_int_eq(grite_Notification_build(&m->b, &n), 0);
}

static void msg_free(message *m)
{
    grite_buf_free(&m->b);
}

/* Append m as one frame; returns the offset of its header. */
static size_t cap_message(capture *c, const message *m)
{
    return cap_frame(c, m->b.data, m->b.len);
}

/* A capture whose first frame is a Doctor request, built into *doctor
 * (the caller frees it). */
static capture *cap_doctor_first(message *doctor)
{
    msg_doctor(doctor);
    capture *c = cap_empty();
    cap_message(c, doctor);
    return c;
}

/* The compact JSON the generated printer gives for a validated archive. */
typedef int (*print_fn)(const void *buf, grite_json *out);
static int print_request(const void *buf, grite_json *out)
{
    return grite_IpcRequest_to_json(grite_IpcRequest_root(buf), out);
}
static int print_reply(const void *buf, grite_json *out)
{
    return grite_IpcReply_to_json(grite_IpcReply_root(buf), out);
}
static int print_notification(const void *buf, grite_json *out)
{
    return grite_Notification_to_json(grite_Notification_root(buf), out);
}

static const char *json_of(const message *m, print_fn print)
{
    static char text[8][4096];
    static unsigned next;
    char *t = text[next++ % 8];
    grite_json j;
    grite_json_init_buf(&j, t, sizeof text[0], 0);
    ck_assert_int_eq(print(m->b.data, &j), GRITE_JSON_OK);
    return t;
}

/* Find needle's first byte in the archive. */
static size_t offset_of(const message *m, const char *needle)
{
    const void *at = memmem(m->b.data, m->b.len, needle, strlen(needle));
    ck_assert_ptr_nonnull(at);
    return (size_t)((const uint8_t *)at - m->b.data);
}

/* ---- running the tool -------------------------------------------------- */

typedef program_run run;

/* Run grite-dump with args (NULL-terminated), stdin from stdin_path or
 * /dev/null; it must exit, not die. */
static run run_dump_stdin(const char *stdin_path, const char *const *args)
{
    run r = program_run_in(GRITE_DUMP_PATH, NULL, stdin_path, args);
    ck_assert_msg(r.status >= 0, "grite-dump did not exit normally (status %d)", r.wait_status);
    return r;
}

#define RUN_DUMP(...) run_dump_stdin(NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* printf into a static buffer (one of a few), for expected texts. */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    static char text[8][8192];
    static unsigned next;
    char *t = text[next++ % 8];
    va_list ap;
    va_start(ap, f);
    vsnprintf(t, sizeof text[0], f, ap);
    va_end(ap);
    return t;
}

static void expect(const run *r, int status, const char *out, const char *err)
{
    ck_assert_msg(strcmp(r->out, out) == 0, "stdout:\n%s\nexpected:\n%s", r->out, out);
    ck_assert_msg(strcmp(r->err, err) == 0, "stderr:\n%s\nexpected:\n%s", r->err, err);
    ck_assert_int_eq(r->status, status);
}

static const char *fingerprint_hex(uint64_t fp)
{
    return fmt("%016" PRIx64, fp);
}

/* ---- valid streams ----------------------------------------------------- */

START_TEST(hello_and_requests)
{
    message create, doctor;
    msg_create(&create);
    msg_doctor(&doctor);
    capture *c = cap_empty();
    cap_hello(c, GRITE_SESSION_HELLO_CLIENT, GRITE_SCHEMA_FINGERPRINT);
    size_t at2 = cap_message(c, &create);
    size_t at3 = cap_message(c, &doctor);
    run r = RUN_DUMP("--type", "IpcRequest", cap_save(c, "valid.bin"));
    expect(&r, 0,
           fmt("{\"frame\":1,\"offset\":0,\"length\":20,\"hello\":{\"version\":1,\"kind\":\"CLIENT\","
               "\"fingerprint\":\"%s\",\"schema\":\"same\",\"max_frame\":16777216}}\n"
               "{\"frame\":2,\"offset\":24,\"length\":%zu,\"IpcRequest\":%s}\n"
               "{\"frame\":3,\"offset\":%zu,\"length\":59,\"IpcRequest\":" DOCTOR_JSON "}\n",
               fingerprint_hex(GRITE_SCHEMA_FINGERPRINT), create.b.len,
               json_of(&create, print_request), at3),
           "");
    ck_assert_uint_eq(at2, 24);
    ck_assert_uint_eq(doctor.b.len, DOCTOR_LEN);
    program_run_free(&r);

    /* The same bytes on standard input. */
    r = run_dump_stdin(work_path("valid.bin"), (const char *const[]){ "-t", "IpcRequest", NULL });
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"command\":{\"Doctor\":{}}"));
    program_run_free(&r);
    msg_free(&create);
    msg_free(&doctor);
}
END_TEST

START_TEST(server_hellos)
{
    capture *c = cap_empty();
    cap_hello(c, GRITE_SESSION_HELLO_ACCEPT, GRITE_SCHEMA_FINGERPRINT);
    cap_hello(c, GRITE_SESSION_HELLO_MISMATCH, UINT64_C(0x0123456789abcdef));
    uint8_t bad_kind[20] = { 'G', 'R', 'I', 'T', 1, 9 };
    cap_frame(c, bad_kind, sizeof bad_kind);
    cap_frame(c, "GRIT\x01\x01\0\0", 8);
    run r = RUN_DUMP(cap_save(c, "hellos.bin"));
    expect(&r, 1,
           fmt("{\"frame\":1,\"offset\":0,\"length\":20,\"hello\":{\"version\":1,\"kind\":\"ACCEPT\","
               "\"fingerprint\":\"%s\",\"schema\":\"same\",\"max_frame\":16777216}}\n"
               "{\"frame\":2,\"offset\":24,\"length\":20,\"hello\":{\"version\":1,\"kind\":\"MISMATCH\","
               "\"fingerprint\":\"0123456789abcdef\",\"schema\":\"different\",\"max_frame\":16777216}}\n",
               fingerprint_hex(GRITE_SCHEMA_FINGERPRINT)),
           "frame 3 (bytes 48-71): hello: hello has an unknown kind\n"
           "frame 4 (bytes 72-83): hello: hello frame is shorter than 20 bytes\n");
    program_run_free(&r);
}
END_TEST

/* Without --type every root is tried; each record names the one that accepted. */
START_TEST(roots_are_detected)
{
    message req, reply, note;
    msg_doctor(&req);
    msg_lock_reply(&reply);
    msg_notification(&note);
    capture *c = cap_empty();
    cap_message(c, &req);
    size_t at2 = cap_message(c, &reply);
    size_t at3 = cap_message(c, &note);
    size_t at4 = cap_frame(c, "", 0);
    run r = RUN_DUMP(cap_save(c, "mixed.bin"));
    expect(&r, 1,
           fmt(DOCTOR_FRAME_1
               "{\"frame\":2,\"offset\":%zu,\"length\":%zu,\"IpcReply\":%s}\n"
               "{\"frame\":3,\"offset\":%zu,\"length\":%zu,\"Notification\":%s}\n",
               at2, reply.b.len, json_of(&reply, print_reply), at3, note.b.len,
               json_of(&note, print_notification)),
           fmt("frame 4 (bytes %zu-%zu): IpcRequest: buffer is smaller than the root (at offset 0)\n"
               "frame 4 (bytes %zu-%zu): IpcReply: buffer is smaller than the root (at offset 0)\n"
               "frame 4 (bytes %zu-%zu): Notification: buffer is smaller than the root (at offset 0)\n",
               at4, at4 + 3, at4, at4 + 3, at4, at4 + 3));
    program_run_free(&r);
    msg_free(&req);
    msg_free(&reply);
    msg_free(&note);
}
END_TEST

START_TEST(pretty_records)
{
    message doctor;
    capture *c = cap_doctor_first(&doctor);
    run r = RUN_DUMP("--pretty", "--type=IpcRequest", cap_save(c, "pretty.bin"));
    expect(&r, 0,
           "{\n"
           "  \"frame\": 1,\n"
           "  \"offset\": 0,\n"
           "  \"length\": 59,\n"
           "  \"IpcRequest\": {\n"
           "    \"ipc_schema_version\": 1,\n"
           "    \"request_id\": \"r1\",\n"
           "    \"repo_root\": \"/src\",\n"
           "    \"actor_id\": \"ab\",\n"
           "    \"data_dir\": \"\",\n"
           "    \"command\": {\n"
           "      \"Doctor\": {}\n"
           "    }\n"
           "  }\n"
           "}\n",
           "");
    program_run_free(&r);
    msg_free(&doctor);
}
END_TEST

/* Frames bigger than the tool's first read, and many small ones after it:
 * every frame is found, in order, at the offset where the last one ended. */
START_TEST(large_and_many_frames)
{
    static char title[200000];
    memset(title, 'x', sizeof title);
    grite_IpcCommand_in big = { .tag = GRITE_IPC_COMMAND_ISSUE_CREATE };
    big.v.IssueCreate.title = (grite_str){ title, sizeof title };
    message m;
    msg_request(&m, big);
    capture *c = cap_empty();
    cap_message(c, &m);
    msg_free(&m);
    enum { SMALL = 500 };
    for (int i = 0; i < SMALL; i++) {
        grite_IpcCommand_in show = { .tag = GRITE_IPC_COMMAND_ISSUE_SHOW };
        char id[16];
        snprintf(id, sizeof id, "%0*d", 1 + i % 13, i);   /* lengths vary, so do alignments */
        show.v.IssueShow.issue_id = grite_str_from_cstr(id);
        msg_request(&m, show);
        cap_message(c, &m);
        msg_free(&m);
    }
    run r = RUN_DUMP("-t", "IpcRequest", cap_save(c, "many.bin"));
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(r.status, 0);
    unsigned long long expect_offset = 0, frames = 0;
    for (const char *line = r.out; *line; line = strchr(line, '\n') + 1) {
        unsigned long long frame, offset, length;
        ck_assert_int_eq(sscanf(line, "{\"frame\":%llu,\"offset\":%llu,\"length\":%llu,", &frame, &offset, &length), 3);
        ck_assert_uint_eq(frame, ++frames);
        ck_assert_uint_eq(offset, expect_offset);
        expect_offset = offset + 4 + length;
        ck_assert_ptr_nonnull(strchr(line, '\n'));
    }
    ck_assert_uint_eq(frames, 1 + SMALL);
    ck_assert_uint_eq(expect_offset, c->len);
    char last[64];
    snprintf(last, sizeof last, "\"issue_id\":\"%0*d\"", 1 + (SMALL - 1) % 13, SMALL - 1);
    ck_assert_ptr_nonnull(strstr(r.out, last));
    program_run_free(&r);
}
END_TEST

START_TEST(empty_input)
{
    capture *c = cap_empty();
    run r = RUN_DUMP(cap_save(c, "empty.bin"));
    expect(&r, 0, "", "");
    program_run_free(&r);
}
END_TEST

/* ---- damaged streams --------------------------------------------------- */

START_TEST(corrupted_frame_in_the_middle)
{
    message one, bad, three;
    msg_create(&one);
    msg_create(&bad);
    msg_doctor(&three);
    size_t bad_byte = offset_of(&bad, "p1") + 1;
    bad.b.data[bad_byte] = 0xff;   /* "p\xff": not UTF-8 */
    capture *c = cap_empty();
    cap_message(c, &one);
    size_t at2 = cap_message(c, &bad);
    size_t at3 = cap_message(c, &three);
    run r = RUN_DUMP("--type", "IpcRequest", cap_save(c, "corrupt.bin"));
    expect(&r, 1,
           fmt("{\"frame\":1,\"offset\":0,\"length\":%zu,\"IpcRequest\":%s}\n"
               "{\"frame\":3,\"offset\":%zu,\"length\":59,\"IpcRequest\":" DOCTOR_JSON "}\n",
               one.b.len, json_of(&one, print_request), at3),
           fmt("frame 2 (bytes %zu-%zu): IpcRequest: command.IssueCreate.labels[1]: string is "
               "not valid UTF-8 (at offset %zu)\n",
               at2, at3 - 1, bad_byte));
    program_run_free(&r);
    msg_free(&one);
    msg_free(&bad);
    msg_free(&three);
}
END_TEST

START_TEST(truncated_tail)
{
    message doctor;
    capture *c = cap_doctor_first(&doctor);
    size_t at2 = c->len;
    cap_bytes(c, "\0\0\0\x30", 4);          /* announces 48 bytes ... */
    cap_bytes(c, doctor.b.data, 10);        /* ... and 10 arrive */
    run r = RUN_DUMP(cap_save(c, "truncated.bin"));
    expect(&r, 1, DOCTOR_FRAME_1,
           fmt("frame 2 (bytes %zu-%zu): truncated: announces 48 bytes, only 10 present\n", at2,
               at2 + 13));
    program_run_free(&r);

    c->len = at2;
    cap_bytes(c, "\0\0", 2);                /* half a length */
    r = RUN_DUMP(cap_save(c, "truncated_header.bin"));
    expect(&r, 1, DOCTOR_FRAME_1,
           fmt("frame 2 (bytes %zu-%zu): truncated: only 2 of the 4 length bytes\n", at2, at2 + 1));
    program_run_free(&r);
    msg_free(&doctor);
}
END_TEST

START_TEST(oversized_length)
{
    message doctor;
    capture *c = cap_doctor_first(&doctor);
    static uint8_t big[200];
    cap_frame(c, big, sizeof big);
    cap_message(c, &doctor);   /* never reached */
    run r = RUN_DUMP("--max-frame", "100", cap_save(c, "oversized.bin"));
    expect(&r, 1, DOCTOR_FRAME_1,
           "frame 2 (bytes 63-66): announces 200 bytes, more than the maximum frame size 100 "
           "(--max-frame); cannot go on\n");
    program_run_free(&r);

    c->len = 0;
    cap_bytes(c, "\xff\xff\xff\xff", 4);
    r = RUN_DUMP(cap_save(c, "huge.bin"));
    expect(&r, 1, "",
           "frame 1 (bytes 0-3): announces 4294967295 bytes, more than the maximum frame size "
           "16777216 (--max-frame); cannot go on\n");
    program_run_free(&r);
    msg_free(&doctor);
}
END_TEST

START_TEST(depth_limit_option)
{
    message create;
    msg_create(&create);
    capture *c = cap_empty();
    cap_message(c, &create);
    /* The root is at depth 0, the payload 1, the labels array 2, each label's text 3. */
    const grite_IpcCommand_IssueCreate *payload =
        grite_IpcCommand_as_IssueCreate(grite_IpcRequest_command(grite_IpcRequest_root(create.b.data)));
    ck_assert_ptr_nonnull(payload);
    size_t label0 = (size_t)(grite_IpcCommand_IssueCreate_labels(payload).ptr - create.b.data);
    run r = RUN_DUMP("--max-depth", "2", "-t", "IpcRequest", cap_save(c, "deep.bin"));
    expect(&r, 1, "",
           fmt("frame 1 (bytes 0-%zu): IpcRequest: command.IssueCreate.labels[0]: nesting is too "
               "deep (at offset %zu)\n",
               create.b.len + 3, label0));
    program_run_free(&r);
    r = RUN_DUMP("--max-depth", "3", "-t", "IpcRequest", work_path("deep.bin"));
    ck_assert_int_eq(r.status, 0);
    program_run_free(&r);
    msg_free(&create);
}
END_TEST

/* ---- raw archives ------------------------------------------------------ */

START_TEST(raw_archive)
{
    message reply;
    msg_lock_reply(&reply);
    capture *c = cap_empty();
    cap_bytes(c, reply.b.data, reply.b.len);
    run r = RUN_DUMP("--raw", "--type", "IpcReply", cap_save(c, "raw.bin"));
    expect(&r, 0, fmt("{\"length\":%zu,\"IpcReply\":%s}\n", reply.b.len, json_of(&reply, print_reply)),
           "");
    program_run_free(&r);

    /* held = 2: not a bool. */
    const grite_IpcResponse_LockResult *lock =
        grite_IpcResponse_as_LockResult(grite_IpcReply_response(grite_IpcReply_root(reply.b.data)));
    ck_assert_ptr_nonnull(lock);
    size_t held = (size_t)((const uint8_t *)&lock->held - reply.b.data);
    c->data[held] = 2;
    r = RUN_DUMP("-r", "-t", "IpcReply", cap_save(c, "raw_bad.bin"));
    expect(&r, 1, "",
           fmt("archive (bytes 0-%zu): IpcReply: response.LockResult.held: bool is neither 0 nor 1 "
               "(at offset %zu)\n",
               reply.b.len - 1, held));
    program_run_free(&r);

    r = RUN_DUMP("--raw", "--max-frame", "16", work_path("raw.bin"));
    expect(&r, 1, "",
           fmt("grite-dump: %s: the archive is larger than 16 bytes (--max-frame)\n", work_path("raw.bin")));
    program_run_free(&r);
    msg_free(&reply);
}
END_TEST

/* ---- the command line -------------------------------------------------- */

START_TEST(usage_errors)
{
    run r = RUN_DUMP("--help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Usage: grite-dump [OPTIONS] [FILE]"));
    ck_assert_ptr_nonnull(strstr(r.out, "IpcRequest, IpcReply, Notification"));
    ck_assert_str_eq(r.err, "");
    program_run_free(&r);

    static const char *const bad[][3] = {
        { "--type", "Bogus", "grite-dump: unknown --type 'Bogus'\n" },
        { "--max-frame", "0", "grite-dump: --max-frame needs a number of bytes from 1 to 4294967295, not '0'\n" },
        { "--max-depth", "x", "grite-dump: --max-depth needs a number from 1 to 1024, not 'x'\n" },
        { "--frobnicate", "a", "grite-dump: unknown option or missing argument: '--frobnicate'\n" },
        { "one", "two", "grite-dump: one input file at most (got 'one' and more)\n" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = RUN_DUMP(bad[i][0], bad[i][1]);
        ck_assert_int_eq(r.status, 2);
        ck_assert_str_eq(r.out, "");
        ck_assert_msg(strncmp(r.err, bad[i][2], strlen(bad[i][2])) == 0, "%s", r.err);
        ck_assert_ptr_nonnull(strstr(r.err, "Usage: grite-dump"));
        program_run_free(&r);
    }
    r = RUN_DUMP("--type");
    ck_assert_int_eq(r.status, 2);
    program_run_free(&r);
}
END_TEST

START_TEST(unreadable_input)
{
    run r = RUN_DUMP(DUMP_WORK_DIR "/does-not-exist.bin");
    expect(&r, 1, "", "grite-dump: cannot open " DUMP_WORK_DIR "/does-not-exist.bin: No such file or directory\n");
    program_run_free(&r);
    work_path("x");   /* makes sure the directory exists */
    r = RUN_DUMP(DUMP_WORK_DIR);
    expect(&r, 1, "", "grite-dump: " DUMP_WORK_DIR ": read error after 0 bytes: Is a directory\n");
    program_run_free(&r);
}
END_TEST

static Suite *dump_suite(void)
{
    Suite *s = suite_create("dump_tool");
    TCase *v = tcase_create("valid");
    tcase_add_test(v, hello_and_requests);
    tcase_add_test(v, server_hellos);
    tcase_add_test(v, roots_are_detected);
    tcase_add_test(v, pretty_records);
    tcase_add_test(v, large_and_many_frames);
    tcase_add_test(v, empty_input);
    suite_add_tcase(s, v);
    TCase *d = tcase_create("damaged");
    tcase_add_test(d, corrupted_frame_in_the_middle);
    tcase_add_test(d, truncated_tail);
    tcase_add_test(d, oversized_length);
    tcase_add_test(d, depth_limit_option);
    suite_add_tcase(s, d);
    TCase *r = tcase_create("raw");
    tcase_add_test(r, raw_archive);
    suite_add_tcase(s, r);
    TCase *c = tcase_create("cli");
    tcase_add_test(c, usage_errors);
    tcase_add_test(c, unreadable_input);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return grite_check_run(dump_suite());
}
