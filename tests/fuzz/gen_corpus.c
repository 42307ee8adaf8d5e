/*
 * gen_corpus.c - writes the binary seed corpora of the harnesses:
 *
 *   fuzz_corpus_gen OUTDIR     fills OUTDIR/{archive,frame,client,lock}/
 *
 * Every seed is a valid message built by the generated builders (or the
 * runtime's encoders), so the fuzzer starts from deep inside the formats
 * instead of having to discover them:
 *   archive  every variant of every root with edge values (the archive
 *            tests' samples, tests/archive/samples.h) and the benchmark's
 *            REQ and RESP (shared/reference/bench-workload.md);
 *   frame    what a client sends a server: its hello, then request frames,
 *            behind fuzz_frame.c's three parameter bytes;
 *   client   what a server sends a client: a hello (accept, mismatch,
 *            refusal, busy), then reply frames, behind fuzz_client.c's two
 *            parameter bytes;
 *   lock     lock files: valid ones, and one per kind of corruption of
 *            docs/DAEMON_LOCK.md section 1;
 *   daemon   request sequences behind fuzz_daemon.c's flag byte: every
 *            request sample alone, and sessions that create issues and
 *            then use them ("@0"), take leases, sync, stop the daemon;
 *   store    event logs written by the store itself (every kind of event),
 *            whole and torn, behind fuzz_store.c's flag byte.
 * The gritec seeds are .idl files copied by make-corpus.sh.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_client.h"
#include "fuzz_daemon.h"
#include "fuzz_frame.h"
#include "fuzz_store.h"
#include "grite.h"
#include "grite/daemon_lock.h"
#include "grite/session.h"
#include "samples.h"
#include "store.h"

static const char *out_dir;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz_corpus_gen: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void make_dir(const char *target)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, target);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create", path);
}

/* "IssueList/all-set" -> "IssueList-all-set" (a file name). */
static void file_name(char *out, size_t n, const char *prefix, const char *name)
{
    snprintf(out, n, "%s-%s", prefix, name);
    for (char *p = out; *p; p++)
        if (*p == '/' || *p == ' ')
            *p = '-';
}

static void write_seed(const char *target, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", out_dir, target, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    if ((len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        die("cannot write", path);
}

/* ---- a byte string to assemble streams in ---------------------------------- */

typedef struct bytes_out {
    uint8_t data[64 * 1024];
    size_t len;
} bytes_out;

static void put(bytes_out *o, const void *p, size_t n)
{
    if (o->len + n > sizeof o->data) {
        fputs("fuzz_corpus_gen: seed too large\n", stderr);
        exit(1);
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
}

static void put_frame(bytes_out *o, const grite_buf *b)
{
    uint8_t header[GRITE_FRAME_HEADER_SIZE];
    grite_frame_put_header(header, (uint32_t)b->len);
    put(o, header, sizeof header);
    put(o, b->data, b->len);
}

static void put_hello(bytes_out *o, grite_session_hello_kind kind, uint64_t fingerprint)
{
    uint8_t hello[GRITE_SESSION_HELLO_FRAME_SIZE];
    grite_session_hello_encode(hello, kind, fingerprint, GRITE_FRAME_MAX_DEFAULT);
    put(o, hello, sizeof hello);
}

/* ---- building -------------------------------------------------------------- */

static grite_buf build_request(const grite_IpcRequest_in *in)
{
    grite_buf b;
    if (grite_buf_init_growable(&b, 0, 0) != 0 || grite_IpcRequest_build(&b, in) != 0) {
        fputs("fuzz_corpus_gen: cannot build a request\n", stderr);
        exit(1);
    }
    return b;
}

static grite_buf build_reply(const grite_IpcReply_in *in)
{
    grite_buf b;
    if (grite_buf_init_growable(&b, 0, 0) != 0 || grite_IpcReply_build(&b, in) != 0) {
        fputs("fuzz_corpus_gen: cannot build a reply\n", stderr);
        exit(1);
    }
    return b;
}

static grite_buf build_notification(const grite_Notification_in *in)
{
    grite_buf b;
    if (grite_buf_init_growable(&b, 0, 0) != 0 || grite_Notification_build(&b, in) != 0) {
        fputs("fuzz_corpus_gen: cannot build a notification\n", stderr);
        exit(1);
    }
    return b;
}

/* ---- archive ------------------------------------------------------------------ */

static void gen_archive(void)
{
    char name[256];
    size_t n;
    make_dir("archive");
    const request_sample *rq = samples_requests(&n);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_request(&rq[i].in);
        file_name(name, sizeof name, "request", rq[i].name);
        write_seed("archive", name, b.data, b.len);
        grite_buf_free(&b);
    }
    const reply_sample *rp = samples_replies(&n);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_reply(&rp[i].in);
        file_name(name, sizeof name, "reply", rp[i].name);
        write_seed("archive", name, b.data, b.len);
        grite_buf_free(&b);
    }
    const notification_sample *nt = samples_notifications(&n);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_notification(&nt[i].in);
        file_name(name, sizeof name, "notification", nt[i].name);
        write_seed("archive", name, b.data, b.len);
        grite_buf_free(&b);
    }
    grite_buf req = build_request(sample_bench_req());
    write_seed("archive", "bench-REQ", req.data, req.len);
    grite_buf_free(&req);
    grite_buf resp = build_reply(sample_bench_resp());
    write_seed("archive", "bench-RESP", resp.data, resp.len);
    grite_buf_free(&resp);
}

/* ---- frame (client -> server) -------------------------------------------------- */

/* A frame seed: parameters, the client's hello, then requests[0..n). */
static void frame_seed(const char *name, fuzz_frame_params params, const grite_IpcRequest_in *const *requests,
                       size_t n)
{
    bytes_out o = { .len = 0 };
    uint8_t p[FUZZ_FRAME_PARAM_BYTES] = { params.max_frame, params.chunk, params.initial_cap };
    put(&o, p, sizeof p);
    put_hello(&o, GRITE_SESSION_HELLO_CLIENT, GRITE_SCHEMA_FINGERPRINT);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_request(requests[i]);
        put_frame(&o, &b);
        grite_buf_free(&b);
    }
    write_seed("frame", name, o.data, o.len);
}

static const grite_IpcRequest_in *find_request(const char *name)
{
    size_t n;
    const request_sample *rq = samples_requests(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rq[i].name, name) == 0)
            return &rq[i].in;
    fprintf(stderr, "fuzz_corpus_gen: no request sample %s\n", name);
    exit(1);
}

static void gen_frame(void)
{
    make_dir("frame");
    const grite_IpcRequest_in *bench = sample_bench_req();
    const grite_IpcRequest_in *pipelined[] = {
        find_request("IssueList/all-set"), find_request("Doctor"),
        find_request("IssueUpdate/both"), bench,
    };
    frame_seed("hello-REQ", (fuzz_frame_params){ 0, 0, 0 }, &bench, 1);
    frame_seed("hello-only", (fuzz_frame_params){ 0, 0, 0 }, NULL, 0);
    frame_seed("pipelined", (fuzz_frame_params){ 0, 0, 0 }, pipelined, 4);
    frame_seed("pipelined-small-reads", (fuzz_frame_params){ 0, 7, 0 }, pipelined, 4);
    frame_seed("byte-at-a-time", (fuzz_frame_params){ 0, 1, 0 }, pipelined, 2);
    frame_seed("REQ-too-large", (fuzz_frame_params){ 8, 0, 0 }, &bench, 1);
    frame_seed("big-buffer", (fuzz_frame_params){ 0, 0, 255 }, pipelined, 4);

    /* A hello, then an empty frame (well formed, then rejected by validation). */
    bytes_out o = { .len = 0 };
    uint8_t p[FUZZ_FRAME_PARAM_BYTES] = { 0, 0, 0 };
    put(&o, p, sizeof p);
    put_hello(&o, GRITE_SESSION_HELLO_CLIENT, GRITE_SCHEMA_FINGERPRINT);
    uint8_t empty_frame[GRITE_FRAME_HEADER_SIZE] = { 0, 0, 0, 0 };
    put(&o, empty_frame, sizeof empty_frame);
    write_seed("frame", "hello-empty-frame", o.data, o.len);
}

/* ---- client (server -> client) ---------------------------------------------- */

static const grite_IpcReply_in *find_reply(const char *name)
{
    size_t n;
    const reply_sample *rp = samples_replies(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rp[i].name, name) == 0)
            return &rp[i].in;
    fprintf(stderr, "fuzz_corpus_gen: no reply sample %s\n", name);
    exit(1);
}

/* A client seed: parameters, the server's hello, then replies[0..n). */
static void client_seed(const char *name, fuzz_client_params params, grite_session_hello_kind kind,
                        uint64_t fingerprint, const grite_IpcReply_in *const *replies, size_t n)
{
    bytes_out o = { .len = 0 };
    uint8_t p[FUZZ_CLIENT_PARAM_BYTES] = { params.options, params.calls };
    put(&o, p, sizeof p);
    put_hello(&o, kind, fingerprint);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_reply(replies[i]);
        put_frame(&o, &b);
        grite_buf_free(&b);
    }
    write_seed("client", name, o.data, o.len);
}

static void gen_client(void)
{
    make_dir("client");
    const grite_IpcReply_in *resp = sample_bench_resp();
    const grite_IpcReply_in *several[] = {
        resp, find_reply("IssueShowResult/full"), find_reply("Error/not_found"),
        find_reply("DoctorResult/three"),
    };
    const uint64_t fp = GRITE_SCHEMA_FINGERPRINT;
    client_seed("accept-RESP", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_ACCEPT, fp, &resp, 1);
    client_seed("accept-four-calls", (fuzz_client_params){ 0, 3 }, GRITE_SESSION_HELLO_ACCEPT, fp,
                several, 4);
    client_seed("accept-small-buffer", (fuzz_client_params){ FUZZ_CLIENT_SMALL_BUFFER, 3 }, GRITE_SESSION_HELLO_ACCEPT, fp,
                several, 4);
    client_seed("accept-small-max-frame", (fuzz_client_params){ FUZZ_CLIENT_SMALL_MAX_FRAME, 1 }, GRITE_SESSION_HELLO_ACCEPT,
                fp, several, 2);
    client_seed("accept-no-reply", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_ACCEPT, fp,
                NULL, 0);
    client_seed("accept-wrong-fingerprint", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_ACCEPT,
                fp ^ 1, &resp, 1);
    client_seed("mismatch", (fuzz_client_params){ 0, 1 }, GRITE_SESSION_HELLO_MISMATCH,
                UINT64_C(0x0123456789abcdef), NULL, 0);
    client_seed("refused", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_REFUSED, fp, NULL, 0);
    client_seed("busy", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_BUSY, fp, NULL, 0);
    client_seed("client-hello-back", (fuzz_client_params){ 0, 0 }, GRITE_SESSION_HELLO_CLIENT, fp,
                &resp, 1);
}

/* ---- daemon (request sequences) ------------------------------------------------ */

#define ACTOR "a1b2c3d4e5f60718293a4b5c6d7e8f90"

/* A daemon seed: the flag byte, then each request as a u16-length piece. */
static void daemon_seed(const char *name, uint8_t flags, const grite_IpcRequest_in *requests, size_t n)
{
    bytes_out o = { .len = 0 };
    put(&o, &flags, 1);
    for (size_t i = 0; i < n; i++) {
        grite_buf b = build_request(&requests[i]);
        uint8_t len[2] = { (uint8_t)b.len, (uint8_t)(b.len >> 8) };
        if (b.len > UINT16_MAX) {
            fputs("fuzz_corpus_gen: daemon piece too large\n", stderr);
            exit(1);
        }
        put(&o, len, sizeof len);
        put(&o, b.data, b.len);
        grite_buf_free(&b);
    }
    write_seed("daemon", name, o.data, o.len);
}

/* A request for the daemon harness (which fills in the data dir). */
static grite_IpcRequest_in rq(const char *id, grite_IpcCommand_kind tag)
{
    grite_IpcRequest_in r = {
        .ipc_schema_version = 1,
        .request_id = grite_str_from_cstr(id),
        .repo_root = GRITE_STR("/src/project"),
        .actor_id = GRITE_STR(ACTOR),
        .command = { .tag = tag },
    };
    return r;
}

static grite_IpcRequest_in create(const char *id, const char *title)
{
    static const grite_str labels[] = { { "bug", 3 }, { "p1", 2 } };
    grite_IpcRequest_in r = rq(id, GRITE_IPC_COMMAND_ISSUE_CREATE);
    r.command.v.IssueCreate.title = grite_str_from_cstr(title);
    r.command.v.IssueCreate.body = GRITE_STR("Steps: suspend, resume.\nExpected: one daemon.");
    r.command.v.IssueCreate.labels = (grite_vec_str_in){ labels, 2 };
    return r;
}

static void gen_daemon_issues(void)
{
    grite_IpcRequest_in life[8];
    life[0] = create("c1", "Daemon loses lock after suspend");
    life[1] = rq("u1", GRITE_IPC_COMMAND_ISSUE_UPDATE);
    life[1].command.v.IssueUpdate.issue_id = GRITE_STR(FUZZ_DAEMON_ISSUE_REF "0");
    life[1].command.v.IssueUpdate.title = (grite_opt_str_in){ true, GRITE_STR("Lock lost after suspend") };
    life[2] = rq("k1", GRITE_IPC_COMMAND_ISSUE_COMMENT);
    life[2].command.v.IssueComment.issue_id = GRITE_STR(FUZZ_DAEMON_ISSUE_REF "0");
    life[2].command.v.IssueComment.body = GRITE_STR("Seen again today.");
    life[3] = rq("x1", GRITE_IPC_COMMAND_ISSUE_CLOSE);
    life[3].command.v.IssueClose.issue_id = GRITE_STR(FUZZ_DAEMON_ISSUE_REF "0");
    life[4] = rq("o1", GRITE_IPC_COMMAND_ISSUE_REOPEN);
    life[4].command.v.IssueReopen.issue_id = GRITE_STR(FUZZ_DAEMON_ISSUE_REF "0");
    life[5] = rq("s1", GRITE_IPC_COMMAND_ISSUE_SHOW);
    life[5].command.v.IssueShow.issue_id = GRITE_STR(FUZZ_DAEMON_ISSUE_REF "0");
    life[6] = create("c2", "Second issue");
    life[7] = rq("l1", GRITE_IPC_COMMAND_ISSUE_LIST);
    life[7].command.v.IssueList.filter.state = (grite_opt_IssueState_in){ true, GRITE_ISSUE_STATE_OPEN };
    life[7].command.v.IssueList.filter.label = (grite_opt_str_in){ true, GRITE_STR("bug") };
    life[7].command.v.IssueList.filter.limit = (grite_opt_u32_in){ true, 10 };
    daemon_seed("issue-life", 0, life, 8);

    grite_IpcRequest_in list[3] = { create("c1", "one"), create("c2", "two"),
                                    rq("l1", GRITE_IPC_COMMAND_ISSUE_LIST) };
    list[2].command.v.IssueList.filter.offset = (grite_opt_u32_in){ true, 1 };
    daemon_seed("create-list-page", 0, list, 3);
}

static void gen_daemon_other(void)
{
    grite_IpcRequest_in locks[4] = { rq("a1", GRITE_IPC_COMMAND_LOCK_ACQUIRE), rq("a2", GRITE_IPC_COMMAND_LOCK_ACQUIRE),
                                     rq("r1", GRITE_IPC_COMMAND_LOCK_RELEASE), rq("r2", GRITE_IPC_COMMAND_LOCK_RELEASE) };
    locks[0].command.v.LockAcquire = (grite_IpcCommand_LockAcquire_in){ GRITE_STR("refs/grite/wal"), 30000 };
    locks[1].command.v.LockAcquire = (grite_IpcCommand_LockAcquire_in){ GRITE_STR("refs/grite/wal"), 1 };
    locks[1].actor_id = GRITE_STR("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    locks[2].command.v.LockRelease.resource = GRITE_STR("refs/grite/wal");
    locks[3].command.v.LockRelease.resource = GRITE_STR("refs/grite/wal");
    daemon_seed("leases", 0, locks, 4);

    /* Absolute remotes map to the sandbox by length (daemon_host.h). */
    grite_IpcRequest_in sync[5] = { create("c1", "to sync"), rq("p1", GRITE_IPC_COMMAND_SYNC_PUSH),
                                    rq("p2", GRITE_IPC_COMMAND_SYNC_PULL), rq("p3", GRITE_IPC_COMMAND_SYNC_PUSH),
                                    rq("p4", GRITE_IPC_COMMAND_SYNC_PULL) };
    sync[1].command.v.SyncPush.remote = GRITE_STR("/r2");
    sync[2].command.v.SyncPull.remote = GRITE_STR("/r2");
    sync[3].command.v.SyncPush.remote = GRITE_STR("/r_3");
    sync[4].command.v.SyncPull.remote = GRITE_STR("relative/path");
    daemon_seed("sync", 0, sync, 5);

    grite_IpcRequest_in stop[3] = { rq("d1", GRITE_IPC_COMMAND_DOCTOR), rq("t1", GRITE_IPC_COMMAND_DAEMON_STOP),
                                    rq("d2", GRITE_IPC_COMMAND_DAEMON_STATUS) };
    daemon_seed("doctor-stop", 0, stop, 3);

    grite_IpcRequest_in envelope[3] = { rq("v2", GRITE_IPC_COMMAND_DAEMON_STATUS), rq("a", GRITE_IPC_COMMAND_DOCTOR),
                                        rq("ok", GRITE_IPC_COMMAND_DAEMON_STATUS) };
    envelope[0].ipc_schema_version = 2;
    envelope[1].actor_id = GRITE_STR("not-an-actor");
    daemon_seed("bad-envelope", 0, envelope, 3);

    grite_IpcRequest_in elsewhere = rq("w1", GRITE_IPC_COMMAND_DAEMON_STATUS);
    elsewhere.data_dir = GRITE_STR("/nonexistent/grite");
    daemon_seed("other-data-dir", FUZZ_DAEMON_KEEP_DATA_DIR, &elsewhere, 1);

    /* A frame that is not a request, then a request on the same connection. */
    bytes_out o = { .len = 0 };
    uint8_t junk[] = { 0, 7, 0, 'n', 'o', 't', ' ', 'a', 'r', 'c' };
    put(&o, junk, sizeof junk);
    grite_IpcRequest_in status = rq("ok", GRITE_IPC_COMMAND_DAEMON_STATUS);
    grite_buf b = build_request(&status);
    uint8_t len[2] = { (uint8_t)b.len, (uint8_t)(b.len >> 8) };
    put(&o, len, sizeof len);
    put(&o, b.data, b.len);
    grite_buf_free(&b);
    write_seed("daemon", "junk-frame", o.data, o.len);
}

static void gen_daemon(void)
{
    char name[256];
    size_t n;
    make_dir("daemon");
    const request_sample *rqs = samples_requests(&n);
    for (size_t i = 0; i < n; i++) {
        file_name(name, sizeof name, "request", rqs[i].name);
        daemon_seed(name, 0, &rqs[i].in, 1);
    }
    gen_daemon_issues();
    gen_daemon_other();
}

/* ---- store (event logs) ------------------------------------------------------- */

static uint64_t fixed_clock(void *ctx)
{
    (void)ctx;
    return UINT64_C(1700000000000);
}

static void store_ok(enum grite_store_status st, const struct grite_store_error *err)
{
    if (st != GRITE_STORE_OK) {
        fprintf(stderr, "fuzz_corpus_gen: store: %s\n", err->message);
        exit(1);
    }
}

/* One of each kind of event, in a store in dir. */
static void fill_store(const char *dir)
{
    const struct grite_store_options opts = { .clock_ms = fixed_clock };
    struct grite_store_error err;
    grite_store *s;
    store_ok(grite_store_open(dir, "0123456789abcdef0123456789abcdef", &opts, &s, &err), &err);
    const char *labels[] = { "bug", "p1" };
    struct grite_created a, b;
    store_ok(grite_store_issue_create(s, "Daemon loses lock after suspend", "Steps:\n1. suspend", labels, 2, &a, &err),
             &err);
    store_ok(grite_store_issue_create(s, "Second", "", NULL, 0, &b, &err), &err);
    store_ok(grite_store_issue_update(s, a.issue_id, "Lock lost after suspend", NULL, NULL, &err), &err);
    struct grite_state_result state;
    store_ok(grite_store_issue_close(s, b.issue_id, &state, &err), &err);
    store_ok(grite_store_issue_reopen(s, b.issue_id, &state, &err), &err);
    struct grite_commented c;
    store_ok(grite_store_issue_comment(s, a.issue_id, "Seen again.", &c, &err), &err);
    store_ok(grite_store_issue_add_label(s, a.issue_id, "daemon", NULL, &err), &err);
    store_ok(grite_store_issue_assign(s, a.issue_id, "fedcba9876543210fedcba9876543210", NULL, &err), &err);
    grite_store_close(s);
}

static size_t read_whole(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open", path);
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

static void store_seed(const char *name, uint8_t flags, const uint8_t *log, size_t len)
{
    bytes_out o = { .len = 0 };
    put(&o, &flags, 1);
    put(&o, log, len);
    write_seed("store", name, o.data, o.len);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void gen_store(void)
{
    make_dir("store");
    char dir[] = "/tmp/grite-corpus-store-XXXXXX";
    if (!mkdtemp(dir))
        die("cannot create", dir);
    char store_dir[64], log_path[96];
    snprintf(store_dir, sizeof store_dir, "%s/s", dir);
    fill_store(store_dir);
    snprintf(log_path, sizeof log_path, "%s/events.log", store_dir);
    static uint8_t log[32 * 1024];
    size_t len = read_whole(log_path, log, sizeof log);
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    store_seed("every-event", 0, log, len);
    store_seed("every-event-fix-crc", FUZZ_STORE_FIX_CRC, log, len);
    store_seed("torn-tail", 0, log, len - 7);
    store_seed("header-only", 0, log, 16);
    store_seed("empty", 0, log, 0);
}

/* ---- lock files --------------------------------------------------------------- */

#define LOCK_V1 "grite-daemon-lock 1\n"
#define LOCK_BODY                                      \
    "pid=4242\n"                                       \
    "socket=/run/user/1000/grite/daemon.sock\n"        \
    "host=3d1219c7c4c5404aaa1f6d2a48adfda4\n"          \
    "started_ms=1717000000000\n"                       \
    "lease_ms=30000\n"                                 \
    "heartbeat_ms=1717000012000\n"

static const struct {
    const char *name;
    const char *text;
} lock_seeds[] = {
    { "valid-doc-example", LOCK_V1 LOCK_BODY },
    { "valid-unknown-key", LOCK_V1 LOCK_BODY "future_field=anything goes\n" },
    { "valid-reordered", LOCK_V1 "heartbeat_ms=5\nlease_ms=1\nstarted_ms=5\nhost=h\n"
                         "socket=/s\npid=1\n" },
    { "valid-limits", LOCK_V1 "pid=4194304\nsocket=/" /* 106 more bytes: 107 in all */
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                      "host=~!\n"
                      "started_ms=253402300799999\nlease_ms=86400000\n"
                      "heartbeat_ms=253402300799999\n" },
    { "corrupt-version-2", "grite-daemon-lock 2\n" LOCK_BODY },
    { "corrupt-no-header", LOCK_BODY },
    { "corrupt-duplicate-pid", LOCK_V1 LOCK_BODY "pid=4243\n" },
    { "corrupt-missing-host", LOCK_V1 "pid=1\nsocket=/s\nstarted_ms=1\nlease_ms=1\nheartbeat_ms=1\n" },
    { "corrupt-no-final-newline", LOCK_V1 "pid=1\nsocket=/s\nhost=h\nstarted_ms=1\nlease_ms=1\n"
                                  "heartbeat_ms=1" },
    { "corrupt-crlf", "grite-daemon-lock 1\r\npid=1\r\n" },
    { "corrupt-pid-zero", LOCK_V1 "pid=0\nsocket=/s\nhost=h\nstarted_ms=1\nlease_ms=1\nheartbeat_ms=1\n" },
    { "corrupt-pid-sign", LOCK_V1 "pid=+1\nsocket=/s\nhost=h\nstarted_ms=1\nlease_ms=1\nheartbeat_ms=1\n" },
    { "corrupt-pid-huge", LOCK_V1 "pid=99999999999999999999999\nsocket=/s\nhost=h\nstarted_ms=1\n"
                          "lease_ms=1\nheartbeat_ms=1\n" },
    { "corrupt-relative-socket", LOCK_V1 "pid=1\nsocket=run/x.sock\nhost=h\nstarted_ms=1\nlease_ms=1\n"
                                 "heartbeat_ms=1\n" },
    { "corrupt-host-space", LOCK_V1 "pid=1\nsocket=/s\nhost=a b\nstarted_ms=1\nlease_ms=1\n"
                            "heartbeat_ms=1\n" },
    { "corrupt-heartbeat-before-start", LOCK_V1 "pid=1\nsocket=/s\nhost=h\nstarted_ms=2\nlease_ms=1\n"
                                        "heartbeat_ms=1\n" },
    { "corrupt-lease-too-long", LOCK_V1 "pid=1\nsocket=/s\nhost=h\nstarted_ms=1\nlease_ms=86400001\n"
                                "heartbeat_ms=1\n" },
    { "corrupt-empty-line", LOCK_V1 "\n" LOCK_BODY },
    { "corrupt-no-equals", LOCK_V1 "pid\n" LOCK_BODY },
    { "corrupt-bad-key", LOCK_V1 "Pid=1\n" LOCK_BODY },
    { "corrupt-empty", "" },
};

static void gen_lock(void)
{
    make_dir("lock");
    for (size_t i = 0; i < sizeof lock_seeds / sizeof lock_seeds[0]; i++)
        write_seed("lock", lock_seeds[i].name, lock_seeds[i].text, strlen(lock_seeds[i].text));
    /* What the runtime itself writes. */
    grite_daemon_info info = {
        .pid = 31337, .socket_path = "/tmp/grite-1000/daemon.sock", .host_id = "build-host",
        .started_ms = 1700000000000, .lease_ms = 30000, .heartbeat_ms = 1700000010000,
    };
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    int n = grite_daemon_lock_format(&info, text, sizeof text);
    if (n < 0) {
        fputs("fuzz_corpus_gen: grite_daemon_lock_format failed\n", stderr);
        exit(1);
    }
    write_seed("lock", "valid-formatted", text, (size_t)n);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: fuzz_corpus_gen OUTDIR\n", stderr);
        return 2;
    }
    out_dir = argv[1];
    gen_archive();
    gen_frame();
    gen_client();
    gen_lock();
    gen_daemon();
    gen_store();
    return 0;
}
