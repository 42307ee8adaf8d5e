/* test_disk_full.c - fault_disk_full: the data dir's file system fills up
 * while the daemon writes.
 *
 * As root the data dir is a small tmpfs (384 KiB) in the test's private
 * mount namespace; otherwise the daemon runs with RLIMIT_FSIZE (SIGXFSZ
 * ignored), so a write past the limit fails with EFBIG instead. Either
 * way: the write gets a clear io_error reply naming the cause (no crash,
 * no hang), the failed record is cut off, reads keep working, and after a
 * kill -9 and a restart with room again, every acknowledged write is there
 * exactly, nothing unacknowledged is, and writing works. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check_run.h"
#include "daemon_test_util.h"
#include "fault_util.h"

#define SMALL_FS "384k"
#define ROOMY_FS "8m"
#define FSIZE_LIMIT (384 * 1024)   /* RLIMIT_FSIZE, without root */
#define BODY_LEN 6000              /* two records per 4 KiB page, roughly */
#define MAX_ISSUES 1000            /* far more than fit */

struct written {
    char ids[MAX_ISSUES][33];
    int n;
};

static const char *data_dir(void)
{
    return test_path("data");
}

/* Issue k's body: deterministic, so a reply is checked against what was sent. */
static void body_of(int k, char *out)
{
    for (int i = 0; i < BODY_LEN; i++) out[i] = (char)('a' + (k * 7 + i) % 26);
    out[BODY_LEN] = '\0';
}

static const grite_IpcReply *try_create(struct test_client *c, int k)
{
    char title[32], body[BODY_LEN + 1];
    snprintf(title, sizeof title, "full %d", k);
    body_of(k, body);
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                               .v.IssueCreate = {.title = grite_str_from_cstr(title), .body = grite_str_from_cstr(body)}};
    return client_call(c, &cmd);
}

/* The daemon's reply to a write on a full disk: io_error, saying why. */
static void assert_disk_full_error(const grite_IpcReply *reply, const char *cause)
{
    const grite_IpcResponse_Error *e = expect_error(reply, GRITE_ERROR_CODE_IO_ERROR, NULL);
    const char *msg = grite_IpcResponse_Error_message(e).ptr;
    ck_assert_msg(strstr(msg, cause) && strstr(msg, "events.log"), "io_error \"%s\" does not name %s and the log", msg,
                  cause);
    ck_assert_msg(grite_IpcResponse_Error_has_details(e) && strstr(grite_IpcResponse_Error_details(e).ptr, cause),
                  "io_error details do not say %s", cause);
}

/* Write issues until the file system is full: returns how many were acknowledged. */
static void fill_up(struct test_client *c, struct written *w, const char *cause)
{
    for (w->n = 0; w->n < MAX_ISSUES; w->n++) {
        const grite_IpcReply *reply = try_create(c, w->n);
        const grite_IpcResponse *r = grite_IpcReply_response(reply);
        if (grite_IpcResponse_tag(r) != GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT) {
            assert_disk_full_error(reply, cause);
            break;
        }
        fault_created_id(reply, w->ids[w->n]);
    }
    ck_assert_msg(w->n > 10 && w->n < MAX_ISSUES, "%d writes acknowledged before the disk was full", w->n);
}

/* Every acknowledged issue, exactly; and nothing else. */
static void assert_all_there(struct test_client *c, const struct written *w)
{
    char body[BODY_LEN + 1], title[32];
    for (int k = 0; k < w->n; k++) {
        const grite_Issue *is = fault_show_issue(c, w->ids[k]);
        body_of(k, body);
        snprintf(title, sizeof title, "full %d", k);
        ck_assert_str_eq(grite_Issue_title(is).ptr, title);
        ck_assert_str_eq(grite_Issue_body(is).ptr, body);
    }
    fault_assert_issue_total(c, (uint64_t)w->n);
}

/* Start the daemon with its file size limited (children inherit the limit
 * and the ignored SIGXFSZ); this process gets its own limit back. */
static void start_with_fsize_limit(struct daemon_proc *d)
{
    struct rlimit old, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = FSIZE_LIMIT;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    daemon_start(d, data_dir(), test_path("d.sock"), NULL);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, old_handler);
}

/* The page a failed write gave back, and any other: taken by another file,
 * so nothing of the daemon's can grow now. */
static void fill_the_rest(void)
{
    int fd = open(test_path("data/filler"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    char block[4096] = {0};
    while (write(fd, block, sizeof block) > 0) {
    }
    close(fd);
}

/* With not a byte free, a daemon cannot even write its lock file: it
 * exits 1 saying so, and leaves no temporary file behind. */
static void assert_cannot_start_while_full(void)
{
    char out[4096];
    const char *args[] = {"--data-dir", data_dir(), "--socket", test_path("d.sock"), NULL};
    int status = daemon_run_to_exit(args, out, sizeof out);
    ck_assert_msg(status == 1 && strstr(out, "cannot take the daemon lock") && strstr(out, "No space left on device"),
                  "a daemon started on the full disk exited with %d:\n%s", status, out);
    DIR *dir = opendir(data_dir());
    ck_assert_ptr_nonnull(dir);
    for (struct dirent *e; (e = readdir(dir));)
        ck_assert_msg(strncmp(e->d_name, "daemon.lock.", 12) != 0 || strcmp(e->d_name, "daemon.lock.mutex") == 0 ||
                          strcmp(e->d_name, "daemon.lock.spawn") == 0,
                      "left behind in the data dir: %s", e->d_name);
    closedir(dir);
}

START_TEST(disk_full_while_writing)
{
    bool tmpfs = fault_can_mount();
    const char *cause = tmpfs ? "No space left on device" : "File too large";
    struct daemon_proc d;
    struct test_client c;
    static struct written w;
    make_dir(data_dir());
    if (tmpfs) {
        ck_assert_msg(mount_tmpfs(data_dir(), SMALL_FS) == 0, "mount a tmpfs on %s", data_dir());
        daemon_start(&d, data_dir(), test_path("d.sock"), NULL);
    } else {
        printf("NOTE: fault_disk_full: not root: the daemon runs with RLIMIT_FSIZE %d instead of on a full tmpfs\n",
               FSIZE_LIMIT);
        start_with_fsize_limit(&d);
    }
    client_open(&c, &d, ACTOR_A);
    fill_up(&c, &w, cause);
    if (tmpfs) fill_the_rest();

    for (int k = 0; k < 5; k++) assert_disk_full_error(try_create(&c, w.n), cause);   /* the same size again */
    assert_all_there(&c, &w);   /* reads still work, and the failed writes left nothing */
    fault_assert_store_integrity(&c);
    client_close(&c);
    client_open(&c, &d, ACTOR_B);   /* a handle opened on the full disk: reads, and a clean refusal */
    assert_all_there(&c, &w);
    assert_disk_full_error(try_create(&c, w.n), cause);
    client_close(&c);

    daemon_kill(&d, SIGKILL);   /* no clean shutdown on a full disk */
    if (tmpfs) {
        assert_cannot_start_while_full();
        ck_assert_int_eq(remount_tmpfs_size(data_dir(), ROOMY_FS), 0);
        ck_assert_int_eq(unlink(test_path("data/filler")), 0);
    }
    daemon_start(&d, data_dir(), test_path("d.sock"), NULL);   /* now without a limit */
    ck_assert_msg(strstr(daemon_log(&d), "store recovered") == NULL,
                  "the failed writes left a torn tail behind; the log says:\n%s", daemon_log(&d));
    client_open(&c, &d, ACTOR_A);
    assert_all_there(&c, &w);
    fault_assert_store_integrity(&c);
    fault_created_id(try_create(&c, w.n), w.ids[w.n]);
    w.n++;
    assert_all_there(&c, &w);
    client_close(&c);
    daemon_stop_clean(&d);
    printf("fault_disk_full: %d writes acknowledged before \"%s\", all there after a kill -9 and a restart\n", w.n - 1,
           cause);
}
END_TEST

/* The disk fills up and empties again under a running daemon: writes fail
 * while it is full and work again once there is room, without a restart. */
START_TEST(disk_full_then_room_again)
{
    if (!fault_can_mount()) {
        printf("NOTE: fault_disk_full: not root: cannot make room on a tmpfs; skipped\n");
        return;
    }
    struct daemon_proc d;
    struct test_client c;
    static struct written w;
    make_dir(data_dir());
    ck_assert_int_eq(mount_tmpfs(data_dir(), SMALL_FS), 0);
    daemon_start(&d, data_dir(), test_path("d.sock"), NULL);
    client_open(&c, &d, ACTOR_A);
    fill_up(&c, &w, "No space left on device");
    ck_assert_int_eq(remount_tmpfs_size(data_dir(), ROOMY_FS), 0);
    fault_created_id(try_create(&c, w.n), w.ids[w.n]);
    w.n++;
    assert_all_there(&c, &w);
    fault_assert_store_integrity(&c);
    client_close(&c);
    daemon_stop_clean(&d);
}
END_TEST

static Suite *disk_full_suite(void)
{
    Suite *s = suite_create("fault_disk_full");
    TCase *t = fault_tcase("disk_full", true, 60);
    tcase_add_test(t, disk_full_while_writing);
    tcase_add_test(t, disk_full_then_room_again);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(disk_full_suite());
}
