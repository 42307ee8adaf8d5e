/* test_readonly.c - fault_readonly: the data dir is, or turns, read-only.
 *
 *   - read-only before the daemon starts (a read-only bind mount as root,
 *     chmod 0500 otherwise: chmod does not stop root): the daemon cannot
 *     write its lock file, and exits 1 saying so;
 *   - the file system turns read-only under a running daemon, as ext4
 *     does on an I/O error with errors=remount-ro (simulated with `mount -o
 *     remount,abort` on an ext4 image; needs root and a loop device):
 *     writes get a clear io_error, reads and Doctor work, the failing lock
 *     heartbeat is only a warning, SIGTERM still exits 0; after a remount
 *     every acknowledged write is there and writing works again;
 *   - a read-only bind mount put over the data dir of a running daemon:
 *     the kernel checks a mount when a file is opened, so the daemon's
 *     open log stays writable, but whatever needs a new open (a store
 *     handle for another actor) gets a clear io_error; reads work.
 *
 * Why not the obvious ways: `mount -o remount,ro` of a tmpfs (or of any
 * file system) fails with EBUSY while the daemon holds its log open for
 * writing, and a read-only bind mount does not affect descriptors opened
 * before it (the last case above). docs/FAULTS.md says more. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "daemon_test_util.h"
#include "fault_util.h"

#define ISSUES 20
#define SHORT_LEASE "600"   /* ms: the heartbeat tries to refresh the lock every 200 ms */

struct written {
    char ids[ISSUES + 8][33];
    int n;
};

static void title_of(int k, char *out, size_t n)
{
    snprintf(out, n, "readonly %d", k);
}

static const grite_IpcReply *try_create(struct test_client *c, int k)
{
    char title[32];
    title_of(k, title, sizeof title);
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
                               .v.IssueCreate = {.title = grite_str_from_cstr(title), .body = GRITE_STR("body")}};
    return client_call(c, &cmd);
}

static void create_ok(struct test_client *c, struct written *w)
{
    fault_created_id(try_create(c, w->n), w->ids[w->n]);
    w->n++;
}

/* The daemon's log says `text` within timeout_ms (stretched under valgrind:
 * a starved daemon's heartbeat comes late). */
static bool log_says(const struct daemon_proc *d, const char *text, int timeout_ms)
{
    int64_t deadline = test_clock_ms() + test_scaled_ms(timeout_ms);
    while (strstr(daemon_log(d), text) == NULL) {
        if (test_clock_ms() >= deadline) return false;
        test_sleep_ms(20);
    }
    return true;
}

static void assert_all_there(struct test_client *c, const struct written *w)
{
    char title[32];
    for (int k = 0; k < w->n; k++) {
        title_of(k, title, sizeof title);
        ck_assert_str_eq(grite_Issue_title(fault_show_issue(c, w->ids[k])).ptr, title);
    }
    fault_assert_issue_total(c, (uint64_t)w->n);
}

/* The reply is io_error saying `cause`; `say` prints it for the record. */
static void assert_io_error(const grite_IpcReply *reply, const char *cause, const char *say)
{
    const grite_IpcResponse_Error *e = expect_error(reply, GRITE_ERROR_CODE_IO_ERROR, NULL);
    const char *msg = grite_IpcResponse_Error_message(e).ptr;
    ck_assert_msg(strstr(msg, cause) != NULL, "io_error \"%s\" does not say \"%s\"", msg, cause);
    if (say) printf("fault_readonly: %s: io_error: %s (%s)\n", say, msg, grite_IpcResponse_Error_details(e).ptr);
}

/* A daemon writes `count` issues into data_dir, then stops cleanly. */
static void populate(const char *data_dir, struct written *w, int count)
{
    struct daemon_proc d;
    struct test_client c;
    daemon_start(&d, data_dir, test_path("d.sock"), NULL);
    client_open(&c, &d, ACTOR_A);
    while (w->n < count) create_ok(&c, w);
    client_close(&c);
    daemon_stop_clean(&d);
}

/* ---- read-only before the start ------------------------------------------------------- */

START_TEST(readonly_data_dir_refuses_to_start)
{
    static struct written w;
    const char *data = test_path("data"), *cause;
    populate(data, &w, 3);
    if (fault_can_mount()) {
        ck_assert_int_eq(bind_readonly(data), 0);
        cause = "Read-only file system";
    } else if (geteuid() != 0) {
        ck_assert_int_eq(chmod(data, 0500), 0);
        cause = "Permission denied";
    } else {
        printf("NOTE: fault_readonly: root without mounts: chmod would not stop root; skipped\n");
        return;
    }
    char out[4096];
    const char *args[] = {"--data-dir", data, "--socket", test_path("d.sock"), NULL};
    int status = daemon_run_to_exit(args, out, sizeof out);
    ck_assert_msg(status == 1 && strstr(out, "cannot take the daemon lock") && strstr(out, cause),
                  "a daemon on a read-only data dir exited with %d:\n%s", status, out);
    ck_assert_msg(!path_exists(test_path("d.sock")), "it left a socket behind");
    chmod(data, 0700);
}
END_TEST

/* ---- the file system turns read-only ------------------------------------------------------ */

START_TEST(filesystem_turns_readonly_under_the_daemon)
{
    const char *why;
    const char *image = test_path("ext4.img"), *mnt = test_path("mnt");
    if (!fault_can_mount()) {
        printf("NOTE: fault_readonly: not root: cannot mount an ext4 image; skipped\n");
        return;
    }
    if (make_ext4_image(image, 16, &why) != 0) {
        printf("NOTE: fault_readonly: %s; the read-only file system case is skipped\n", why);
        return;
    }
    make_dir(mnt);
    if (mount_ext4_image(image, mnt, &why) != 0) {
        printf("NOTE: fault_readonly: %s; the read-only file system case is skipped\n", why);
        return;
    }
    static struct written w;
    char data[TEST_PATH_MAX];
    snprintf(data, sizeof data, "%s/data", mnt);
    struct daemon_proc d;
    struct test_client c;
    const char *lease[] = {"--lease-ms", SHORT_LEASE, NULL};
    daemon_start(&d, data, test_path("d.sock"), lease);
    client_open(&c, &d, ACTOR_A);
    while (w.n < ISSUES) create_ok(&c, &w);

    ck_assert_msg(ext4_force_readonly(mnt) == 0, "mount -o remount,abort %s failed", mnt);
    assert_io_error(try_create(&c, w.n), "Read-only file system", "a write once ext4 turned read-only");
    for (int k = 0; k < 3; k++) assert_io_error(try_create(&c, w.n), "Read-only file system", NULL);
    assert_all_there(&c, &w);
    fault_assert_store_integrity(&c);
    client_close(&c);
    client_open(&c, &d, ACTOR_B);   /* a new store handle cannot open the log for writing */
    assert_io_error(try_create(&c, w.n), "Read-only file system", NULL);
    assert_all_there(&c, &w);
    test_sleep_ms(1500);   /* a few lease periods: every lock refresh fails */
    ck_assert_msg(!proc_is_dead(d.pid), "grite-daemon died on a read-only file system; its log:\n%s", daemon_log(&d));
    assert_all_there(&c, &w);
    client_close(&c);
    ck_assert_msg(log_says(&d, "cannot refresh the daemon lock", 3000), "the failing heartbeat is not logged:\n%s",
                  daemon_log(&d));
    daemon_stop_clean(&d);

    /* The disk is back (after an fsck, say): every acknowledged write is there. */
    ck_assert_int_eq(unmount_dir(mnt), 0);
    ck_assert_msg(mount_ext4_image(image, mnt, &why) == 0, "remount the image: %s", why);
    daemon_start(&d, data, test_path("d.sock"), NULL);
    client_open(&c, &d, ACTOR_A);
    assert_all_there(&c, &w);
    create_ok(&c, &w);
    assert_all_there(&c, &w);
    fault_assert_store_integrity(&c);
    client_close(&c);
    daemon_stop_clean(&d);
}
END_TEST

/* ---- a read-only bind mount over a running daemon ------------------------------------------ */

START_TEST(readonly_bind_mount_under_the_daemon)
{
    if (!fault_can_mount()) {
        printf("NOTE: fault_readonly: not root: no bind mounts; skipped\n");
        return;
    }
    static struct written w;
    const char *data = test_path("data");
    struct daemon_proc d;
    struct test_client a, b;
    daemon_start(&d, data, test_path("d.sock"), NULL);
    client_open(&a, &d, ACTOR_A);
    while (w.n < 5) create_ok(&a, &w);
    ck_assert_int_eq(bind_readonly(data), 0);

    client_open(&b, &d, ACTOR_B);   /* opening the log for ACTOR_B's handle now fails */
    assert_io_error(try_create(&b, w.n), "Read-only file system", "a new actor's write under a read-only bind mount");
    assert_all_there(&b, &w);
    create_ok(&a, &w);   /* ACTOR_A's handle opened its log before the mount: still writable */
    assert_all_there(&a, &w);
    fault_assert_store_integrity(&a);
    client_close(&a);
    client_close(&b);
    daemon_stop_clean(&d);
}
END_TEST

static Suite *readonly_suite(void)
{
    Suite *s = suite_create("fault_readonly");
    TCase *t = fault_tcase("readonly", true, 60);
    tcase_add_test(t, readonly_data_dir_refuses_to_start);
    tcase_add_test(t, filesystem_turns_readonly_under_the_daemon);
    tcase_add_test(t, readonly_bind_mount_under_the_daemon);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return grite_check_run(readonly_suite());
}
