/*
 * test_lock_text.c - the lock file as untrusted input: every way a file
 * can be wrong gives CORRUPT and says what is wrong; corrupt files are
 * treated as stale; the staleness rule; status texts; the host id.
 */
#include "lock_test_util.h"
#include "check_run.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- building lock texts ------------------------------------------------ */

#define OMIT "\x01"   /* a field value meaning "leave this line out" */

typedef struct lock_fields {
    const char *header, *pid, *socket, *host, *started, *lease, *heartbeat, *extra;
} lock_fields;

static const lock_fields good = {
    "grite-daemon-lock 1", "4242", "/run/grite/daemon.sock", "3d1219c7c4c5404a",
    "1700000000000", "30000", "1700000005000", NULL,
};

static const char *pick(const char *override, const char *dflt)
{
    return override != NULL ? override : dflt;
}

static void add_line(char *out, size_t n, const char *key, const char *value)
{
    if (strcmp(value, OMIT) == 0)
        return;
    size_t used = strlen(out);
    if (key == NULL)
        snprintf(out + used, n - used, "%s\n", value);
    else
        snprintf(out + used, n - used, "%s=%s\n", key, value);
}

static void build_text(const lock_fields *f, char *out, size_t n)
{
    out[0] = '\0';
    add_line(out, n, NULL, pick(f->header, good.header));
    add_line(out, n, "pid", pick(f->pid, good.pid));
    add_line(out, n, "socket", pick(f->socket, good.socket));
    add_line(out, n, "host", pick(f->host, good.host));
    add_line(out, n, "started_ms", pick(f->started, good.started));
    add_line(out, n, "lease_ms", pick(f->lease, good.lease));
    add_line(out, n, "heartbeat_ms", pick(f->heartbeat, good.heartbeat));
    if (f->extra != NULL) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s", f->extra);
    }
}

/* ---- the corrupt cases -------------------------------------------------- */

typedef struct corrupt_case {
    const char *name;
    const char *raw;        /* the exact bytes, or NULL to build from fields */
    size_t raw_len;         /* for raw with NUL bytes; 0 means strlen */
    lock_fields fields;
    const char *expect;     /* a substring of the error text */
} corrupt_case;

#define RAW(name, bytes, expect) { name, bytes, sizeof(bytes) - 1, { 0 }, expect }
#define FIELDS(name, expect, ...) { name, NULL, 0, { __VA_ARGS__ }, expect }

static char huge_text[1 << 20];   /* 1 MiB */
static char long_socket[GRITE_DAEMON_SOCKET_PATH_MAX + 2];

static const corrupt_case corrupt_cases[] = {
    RAW("empty", "", "file is empty"),
    RAW("truncated mid-line", "grite-daemon-lock 1\npid=42",
        "truncated: line 2 does not end with a newline"),
    RAW("truncated after a line", "grite-daemon-lock 1\npid=4242\n", "missing key \"socket\""),
    RAW("garbage text", "hello world\n",
        "line 1: expected \"grite-daemon-lock 1\", found \"hello world\""),
    RAW("binary junk with NUL", "grite\0\x01\x02junk\n", "binary data: NUL byte at offset 5 (line 1)"),
    RAW("ELF header", "\x7f" "ELF\x02\x01\x01", "control character 0x7f at offset 0 (line 1)"),
    RAW("high bytes", "\xff\xfe\xfd\n", "found \"\\xff\\xfe\\xfd\""),
    RAW("CRLF line ends", "grite-daemon-lock 1\r\npid=1\r\n", "control character 0x0d at offset 19"),
    { "huge", huge_text, sizeof huge_text, { 0 },
      "file is 1048576 bytes, more than the 4096 allowed" },
    FIELDS("newer version", "unsupported format version 2 (this reader knows version 1)",
           .header = "grite-daemon-lock 2"),
    FIELDS("bad version", "line 1: bad format version \"one\"", .header = "grite-daemon-lock one"),
    FIELDS("missing pid", "missing key \"pid\"", .pid = OMIT),
    FIELDS("missing heartbeat", "missing key \"heartbeat_ms\"", .heartbeat = OMIT),
    FIELDS("pid zero", "line 2: pid: \"0\" is not a number in 1..4194304", .pid = "0"),
    FIELDS("pid negative", "pid: \"-5\" is not a number", .pid = "-5"),
    FIELDS("pid with sign", "pid: \"+42\" is not a number", .pid = "+42"),
    FIELDS("pid with junk", "pid: \"12abc\" is not a number", .pid = "12abc"),
    FIELDS("pid empty", "pid: \"\" is not a number", .pid = ""),
    FIELDS("pid too large", "pid: \"4194305\" is not a number in 1..4194304", .pid = "4194305"),
    FIELDS("pid overflows", "pid: \"99999999999999999999\" is not a number", .pid = "99999999999999999999"),
    FIELDS("pid with space", "pid: \" 42\" is not a number", .pid = " 42"),
    FIELDS("lease zero", "line 6: lease_ms: \"0\" is not a number in 1..86400000", .lease = "0"),
    FIELDS("lease too long", "lease_ms: \"86400001\" is not a number", .lease = "86400001"),
    FIELDS("started not a number", "line 5: started_ms: \"yesterday\" is not a number",
           .started = "yesterday"),
    FIELDS("heartbeat past year 9999", "heartbeat_ms: \"253402300800000\" is not a number",
           .heartbeat = "253402300800000"),
    FIELDS("heartbeat before start", "heartbeat_ms (1600000000000) is earlier than started_ms "
           "(1700000000000)", .heartbeat = "1600000000000"),
    FIELDS("relative socket", "line 3: socket: \"run/grite.sock\" is not an absolute path",
           .socket = "run/grite.sock"),
    FIELDS("empty socket", "socket: \"\" is not an absolute path", .socket = ""),
    FIELDS("socket too long", "socket: path is 108 bytes, longer than the 107 a Unix socket "
           "address holds", .socket = long_socket),
    FIELDS("host with space", "line 4: host: \"my host\" is not 1..255 printable ASCII",
           .host = "my host"),
    FIELDS("host empty", "host: \"\" is not 1..255", .host = ""),
    FIELDS("duplicate key", "line 8: duplicate key \"pid\" (first on line 2)",
           .extra = "pid=4242\n"),
    FIELDS("empty line", "line 8 is empty", .extra = "\n"),
    FIELDS("line without =", "line 8: expected key=value, found \"pid 4242\"",
           .extra = "pid 4242\n"),
    FIELDS("bad key", "line 8: bad key \"PID\"", .extra = "PID=1\n"),
    FIELDS("empty key", "line 8: bad key \"\"", .extra = "=1\n"),
};

#define N_CORRUPT ((int)(sizeof corrupt_cases / sizeof corrupt_cases[0]))

static void init_fixtures(void)
{
    memset(huge_text, 'a', sizeof huge_text);
    long_socket[0] = '/';
    memset(long_socket + 1, 's', GRITE_DAEMON_SOCKET_PATH_MAX);
    long_socket[GRITE_DAEMON_SOCKET_PATH_MAX + 1] = '\0';
}

/* The case's bytes into buf; returns their length. */
static size_t case_bytes(const corrupt_case *c, char *buf, size_t n)
{
    if (c->raw != NULL) {
        ck_assert_uint_le(c->raw_len, n);
        memcpy(buf, c->raw, c->raw_len);
        return c->raw_len;
    }
    build_text(&c->fields, buf, n);
    return strlen(buf);
}

START_TEST(corrupt_text_is_rejected_with_reason)
{
    init_fixtures();
    const corrupt_case *c = &corrupt_cases[_i];
    size_t cap = sizeof huge_text;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t len = case_bytes(c, buf, cap);
    grite_daemon_info info;
    grite_lock_error err;
    grite_lock_status st = grite_daemon_lock_parse(buf, len, &info, &err);
    ck_assert_msg(st == GRITE_LOCK_CORRUPT, "%s: got %s", c->name, grite_lock_status_name(st));
    ck_assert_int_eq(err.status, GRITE_LOCK_CORRUPT);
    ck_assert_msg(strstr(err.text, c->expect) != NULL, "%s: expected \"%s\" in \"%s\"",
                  c->name, c->expect, err.text);
    free(buf);
}
END_TEST

/* The same bytes as a file: read says CORRUPT naming the file, inspect
 * judges it stale, and acquire takes it over. */
START_TEST(corrupt_file_is_stale_and_taken_over)
{
    init_fixtures();
    const corrupt_case *c = &corrupt_cases[_i];
    size_t cap = sizeof huge_text;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t len = case_bytes(c, buf, cap);
    lt_dir d;
    lt_dir_make(&d);
    lt_write_file(d.lock, buf, len);
    free(buf);

    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_CORRUPT);
    char prefix[200];
    snprintf(prefix, sizeof prefix, "lock file %s: ", d.lock);
    ck_assert_msg(strncmp(err.text, prefix, strlen(prefix)) == 0, "%s", err.text);
    ck_assert_msg(strstr(err.text, c->expect) != NULL, "%s: %s", c->name, err.text);

    grite_lock_verdict verdict = GRITE_LOCK_LIVE;
    ck_assert_int_eq(grite_daemon_lock_inspect(d.lock, &info, &verdict, &err), GRITE_LOCK_CORRUPT);
    ck_assert_int_eq(verdict, GRITE_LOCK_STALE_CORRUPT);
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_CORRUPT);

    grite_daemon_lock *lock;
    ck_assert_int_eq(grite_daemon_lock_acquire(d.lock, d.sock, 5000, &lock, NULL, &err),
                     GRITE_LOCK_OK);
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, getpid());
    ck_assert_int_eq(grite_daemon_lock_release(lock, &err), GRITE_LOCK_OK);
    lt_dir_remove(&d);
}
END_TEST

/* ---- good texts --------------------------------------------------------- */

START_TEST(good_text_parses)
{
    char buf[1024];
    lock_fields f = { .extra = "color=blue\nfuture_key_2=x y z\n" };
    build_text(&f, buf, sizeof buf);
    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_parse(buf, strlen(buf), &info, &err), GRITE_LOCK_OK);
    ck_assert_int_eq(info.pid, 4242);
    ck_assert_str_eq(info.socket_path, "/run/grite/daemon.sock");
    ck_assert_str_eq(info.host_id, "3d1219c7c4c5404a");
    ck_assert_int_eq(info.started_ms, INT64_C(1700000000000));
    ck_assert_int_eq(info.lease_ms, 30000);
    ck_assert_int_eq(info.heartbeat_ms, INT64_C(1700000005000));
    ck_assert_str_eq(err.text, "");
}
END_TEST

START_TEST(longest_socket_path_fits)
{
    init_fixtures();
    char sock[GRITE_DAEMON_SOCKET_PATH_MAX + 1];
    memcpy(sock, long_socket, GRITE_DAEMON_SOCKET_PATH_MAX);
    sock[GRITE_DAEMON_SOCKET_PATH_MAX] = '\0';
    char buf[1024];
    lock_fields f = { .socket = sock };
    build_text(&f, buf, sizeof buf);
    grite_daemon_info info;
    ck_assert_int_eq(grite_daemon_lock_parse(buf, strlen(buf), &info, NULL), GRITE_LOCK_OK);
    ck_assert_str_eq(info.socket_path, sock);
}
END_TEST

static grite_daemon_info sample_info(void)
{
    grite_daemon_info info = { .pid = 77, .started_ms = 1000, .lease_ms = 500,
                               .heartbeat_ms = 1200 };
    strcpy(info.socket_path, "/tmp/x.sock");
    strcpy(info.host_id, "host-a");
    return info;
}

START_TEST(format_round_trips)
{
    grite_daemon_info in = sample_info(), out;
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    int len = grite_daemon_lock_format(&in, text, sizeof text);
    ck_assert_int_gt(len, 0);
    ck_assert_str_eq(text, "grite-daemon-lock 1\npid=77\nsocket=/tmp/x.sock\nhost=host-a\n"
                           "started_ms=1000\nlease_ms=500\nheartbeat_ms=1200\n");
    ck_assert_int_eq(grite_daemon_lock_parse(text, (size_t)len, &out, NULL), GRITE_LOCK_OK);
    ck_assert_mem_eq(&in, &out, sizeof in);
}
END_TEST

START_TEST(format_refuses_what_parse_would_reject)
{
    char text[GRITE_DAEMON_LOCK_MAX_BYTES];
    grite_daemon_info info = sample_info();
    info.pid = 0;
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, sizeof text), -1);
    info = sample_info();
    strcpy(info.socket_path, "relative.sock");
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, sizeof text), -1);
    info = sample_info();
    strcpy(info.host_id, "two words");
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, sizeof text), -1);
    info = sample_info();
    info.heartbeat_ms = 999;
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, sizeof text), -1);
    info = sample_info();
    info.lease_ms = 0;
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, sizeof text), -1);
    info = sample_info();
    ck_assert_int_eq(grite_daemon_lock_format(&info, text, 20), -1);
}
END_TEST

/* ---- files that are not lock files -------------------------------------- */

START_TEST(missing_file_is_none)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_info info;
    grite_lock_verdict verdict;
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_NONE);
    ck_assert_int_eq(err.status, GRITE_LOCK_NONE);
    ck_assert_ptr_nonnull(strstr(err.text, d.lock));
    ck_assert_int_eq(grite_daemon_lock_inspect(d.lock, &info, &verdict, &err), GRITE_LOCK_NONE);
    ck_assert_int_eq(grite_daemon_find(d.lock, &info, &err), GRITE_LOCK_NONE);
    lt_dir_remove(&d);
}
END_TEST

START_TEST(directory_and_fifo_are_corrupt_not_hangs)
{
    lt_dir d;
    lt_dir_make(&d);
    grite_daemon_info info;
    grite_lock_error err;
    ck_assert_int_eq(mkdir(d.lock, 0700), 0);
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_CORRUPT);
    ck_assert_ptr_nonnull(strstr(err.text, "not a regular file"));
    ck_assert_int_eq(rmdir(d.lock), 0);
    ck_assert_int_eq(mkfifo(d.lock, 0600), 0);   /* no writer: open must not block */
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_CORRUPT);
    ck_assert_ptr_nonnull(strstr(err.text, "not a regular file"));
    lt_dir_remove(&d);
}
END_TEST

START_TEST(unreadable_file_is_a_system_error)
{
    if (geteuid() == 0)
        return;   /* root reads anything: nothing to test */
    lt_dir d;
    lt_dir_make(&d);
    lt_write_file(d.lock, "x", 1);
    chmod(d.lock, 0);
    grite_lock_error err;
    grite_daemon_info info;
    ck_assert_int_eq(grite_daemon_lock_read(d.lock, &info, &err), GRITE_LOCK_SYSTEM);
    ck_assert_ptr_nonnull(strstr(err.text, "Permission denied"));
    lt_dir_remove(&d);
}
END_TEST

/* ---- the staleness rule -------------------------------------------------- */

START_TEST(staleness_rule)
{
    grite_daemon_info info = sample_info();   /* host-a, heartbeat 1200, lease 500 */
    const int64_t fresh = 1300, expiry = 1700;
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, true, true, "host-a", fresh), GRITE_LOCK_LIVE);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, true, "host-a", fresh),
                     GRITE_LOCK_STALE_UNLOCKED);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, true, false, "host-a", fresh),
                     GRITE_LOCK_STALE_DEAD_PID);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, true, true, "host-a", expiry - 1),
                     GRITE_LOCK_LIVE);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, true, true, "host-a", expiry),
                     GRITE_LOCK_STALE_EXPIRED);
    /* Another host's lock: PID and flock mean nothing, only the lease. */
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, false, "host-b", fresh),
                     GRITE_LOCK_LIVE);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, false, "host-b", expiry),
                     GRITE_LOCK_STALE_EXPIRED);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, false, NULL, fresh), GRITE_LOCK_LIVE);
    /* ... and a heartbeat more than a lease ahead of our clock does not keep
     * it live until our clock gets there (700 = heartbeat 1200 - lease 500). */
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, false, "host-b", 700), GRITE_LOCK_LIVE);
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, false, false, "host-b", 699), GRITE_LOCK_STALE_FUTURE);
    /* Our own host's lock is judged by its flock and PID: a clock step back
     * does not make a running daemon's lock stale. */
    ck_assert_int_eq(grite_daemon_lock_is_stale(&info, true, true, "host-a", 1), GRITE_LOCK_LIVE);
    ck_assert_int_eq(grite_daemon_info_lease_left_ms(&info, fresh), 400);
    ck_assert_int_eq(grite_daemon_info_lease_left_ms(&info, 2000), -300);
}
END_TEST

/* ---- texts and the host ------------------------------------------------- */

START_TEST(status_and_verdict_texts)
{
    ck_assert_str_eq(grite_lock_status_text(GRITE_LOCK_OK), "success");
    ck_assert_str_eq(grite_lock_status_text(GRITE_LOCK_CORRUPT), "lock file is corrupt");
    ck_assert_str_eq(grite_lock_status_name(GRITE_LOCK_NOT_ANSWERING), "NOT_ANSWERING");
    ck_assert_str_eq(grite_lock_status_text((grite_lock_status)99), "unknown status");
    ck_assert_str_eq(grite_lock_status_name((grite_lock_status)-1), "UNKNOWN");
    ck_assert_ptr_nonnull(strstr(grite_lock_verdict_text(GRITE_LOCK_STALE_EXPIRED), "lease"));
    ck_assert_str_eq(grite_lock_verdict_text((grite_lock_verdict)42), "unknown verdict");
}
END_TEST

START_TEST(host_id_is_machine_id_or_host_name)
{
    char id[GRITE_DAEMON_HOST_ID_MAX + 1];
    grite_lock_error err;
    ck_assert_int_eq(grite_daemon_host_id(id, sizeof id, &err), GRITE_LOCK_OK);
    ck_assert_uint_gt(strlen(id), 0);
    for (const char *p = id; *p != '\0'; p++)
        ck_assert(*p > 0x20 && *p < 0x7f);
    char *machine_id = lt_read_file("/etc/machine-id");
    if (machine_id != NULL && machine_id[0] != '\n' && machine_id[0] != '\0') {
        machine_id[strcspn(machine_id, "\n")] = '\0';
        ck_assert_str_eq(id, machine_id);
    } else {
        char host[GRITE_DAEMON_HOST_ID_MAX + 1] = "";
        gethostname(host, sizeof host - 1);
        ck_assert_str_eq(id, host);
    }
    free(machine_id);
    ck_assert_int_eq(grite_daemon_host_id(id, 10, &err), GRITE_LOCK_INVALID_ARGUMENT);
}
END_TEST

static Suite *lock_text_suite(void)
{
    Suite *s = suite_create("lock_text");
    TCase *parse = tcase_create("parse");
    tcase_add_loop_test(parse, corrupt_text_is_rejected_with_reason, 0, N_CORRUPT);
    tcase_add_test(parse, good_text_parses);
    tcase_add_test(parse, longest_socket_path_fits);
    tcase_add_test(parse, format_round_trips);
    tcase_add_test(parse, format_refuses_what_parse_would_reject);
    tcase_add_test(parse, staleness_rule);
    tcase_add_test(parse, status_and_verdict_texts);
    tcase_add_test(parse, host_id_is_machine_id_or_host_name);
    suite_add_tcase(s, parse);

    TCase *files = tcase_create("files");
    tcase_set_timeout(files, 20);
    tcase_add_loop_test(files, corrupt_file_is_stale_and_taken_over, 0, N_CORRUPT);
    tcase_add_test(files, missing_file_is_none);
    tcase_add_test(files, directory_and_fifo_are_corrupt_not_hangs);
    tcase_add_test(files, unreadable_file_is_a_system_error);
    suite_add_tcase(s, files);
    return s;
}

int main(void)
{
    return grite_check_run(lock_text_suite());
}
