/* fault_util.c - the suites' shape, scale, store checks, /proc, mounts
 * (fault_util.h). */
#include "fault_util.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the suites' shape ----------------------------------------------------- */

TCase *fault_tcase(const char *name, bool mounts, double timeout)
{
    TCase *t = tcase_create(name);
    if (mounts)
        tcase_add_checked_fixture(t, fault_mount_test_setup, fault_mount_test_teardown);
    else
        tcase_add_checked_fixture(t, daemon_test_setup, daemon_test_teardown);
    tcase_add_unchecked_fixture(t, daemon_suite_setup, daemon_suite_teardown);
    tcase_set_timeout(t, timeout);
    return t;
}

/* ---- scale ------------------------------------------------------------------ */

bool fault_under_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

double fault_env_number(const char *name, double fallback)
{
    const char *v = getenv(name);
    if (!v || !*v) return fallback;
    char *end;
    double d = strtod(v, &end);
    return *end == '\0' && d > 0 ? d : fallback;
}

/* ---- the daemon's store, through a client -------------------------------- */

const grite_Issue *fault_show_issue(struct test_client *c, const char *id)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_ISSUE_SHOW, .v.IssueShow.issue_id = grite_str_from_cstr(id)};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_ISSUE_SHOW_RESULT);
    return grite_IpcResponse_IssueShowResult_issue(grite_IpcResponse_as_IssueShowResult(r));
}

void fault_created_id(const grite_IpcReply *reply, char out_id[33])
{
    const grite_IpcResponse *r = expect_kind(reply, GRITE_IPC_RESPONSE_ISSUE_CREATE_RESULT);
    copy_id(grite_IpcResponse_IssueCreateResult_issue_id(grite_IpcResponse_as_IssueCreateResult(r)), out_id);
}

void fault_assert_issue_total(struct test_client *c, uint64_t n)
{
    grite_IpcCommand_in list = {.tag = GRITE_IPC_COMMAND_ISSUE_LIST, .v.IssueList.filter.limit = {true, 1}};
    const grite_IpcResponse *r = expect_kind(client_call(c, &list), GRITE_IPC_RESPONSE_ISSUE_LIST_RESULT);
    ck_assert_uint_eq(grite_IpcResponse_IssueListResult_total(grite_IpcResponse_as_IssueListResult(r)), n);
}

void fault_assert_store_integrity(struct test_client *c)
{
    grite_IpcCommand_in cmd = {.tag = GRITE_IPC_COMMAND_DOCTOR};
    const grite_IpcResponse *r = expect_kind(client_call(c, &cmd), GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    grite_vec_DoctorCheck checks = grite_IpcResponse_DoctorResult_checks(grite_IpcResponse_as_DoctorResult(r));
    for (size_t i = 0; i < checks.len; i++) {
        const grite_DoctorCheck *k = grite_vec_DoctorCheck_at(checks, i);
        if (strcmp(grite_DoctorCheck_name(k).ptr, "store_integrity") == 0) {
            ck_assert_msg(grite_DoctorCheck_status(k) == GRITE_CHECK_STATUS_OK, "store_integrity: %s",
                          grite_DoctorCheck_message(k).ptr);
            return;
        }
    }
    ck_abort_msg("Doctor has no store_integrity check");
}

/* ---- /proc ------------------------------------------------------------------ */

long proc_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

int proc_fd_count(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

void proc_fd_list(pid_t pid, char *out, size_t n)
{
    char dir[64];
    size_t used = 0;
    out[0] = '\0';
    snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pid);
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) && used + 1 < n;) {
        if (e->d_name[0] == '.') continue;
        char link[320], target[256];
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        target[len > 0 ? len : 0] = '\0';
        int w = snprintf(out + used, n - used, "  %s -> %s\n", e->d_name, target);
        if (w < 0) break;
        used += (size_t)w < n - used ? (size_t)w : n - used - 1;
    }
    closedir(d);
}

int proc_fd_count_settle(pid_t pid, int want, int timeout_ms)
{
    int64_t deadline = test_clock_ms() + test_scaled_ms(timeout_ms);
    int n;
    while ((n = proc_fd_count(pid)) != want && test_clock_ms() < deadline) test_sleep_ms(20);
    return n;
}

bool proc_is_dead(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;
    ssize_t got = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (got <= 0) return true;
    buf[got] = '\0';
    const char *paren = strrchr(buf, ')');   /* the command name may hold spaces */
    return !paren || paren[1] == '\0' || paren[2] == 'Z' || paren[2] == 'X';
}

bool proc_wait_dead(pid_t pid, int timeout_ms)
{
    int64_t deadline = test_clock_ms() + test_scaled_ms(timeout_ms);
    while (!proc_is_dead(pid)) {
        if (test_clock_ms() >= deadline) return false;
        test_sleep_ms(20);
    }
    return true;
}

/* ---- running a tool ------------------------------------------------------------- */

/* Run argv (argv[0] an absolute path) to completion, output to /dev/null;
 * returns its exit status, or -1 if it could not run. */
static int run_quiet(const char *const *argv)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The first of the candidate paths that is an executable file. */
static const char *find_tool(const char *const *candidates)
{
    for (; *candidates; candidates++)
        if (access(*candidates, X_OK) == 0) return *candidates;
    return NULL;
}

static const char *mount_tool(void)
{
    static const char *const where[] = {"/usr/bin/mount", "/bin/mount", NULL};
    return find_tool(where);
}

/* ---- mounts ------------------------------------------------------------------------ */

#define MAX_MOUNTS 8
static char mounted[MAX_MOUNTS][TEST_PATH_MAX];
static int nmounted;

static void remember_mount(const char *dir)
{
    if (nmounted < MAX_MOUNTS) snprintf(mounted[nmounted++], TEST_PATH_MAX, "%s", dir);
}

/* Source and type are ignored by the kernel for bind, remount and
 * propagation changes; they are given anyway ("none") because valgrind
 * checks them as strings. */

bool fault_can_mount(void)
{
    static int known = -1;
    if (known >= 0) return known == 1;
    known = 0;
    if (geteuid() != 0 || fault_env_number("GRITE_FAULT_NO_MOUNT", 0) == 1) return false;
    pid_t pid = fork();
    if (pid == 0) _exit(unshare(CLONE_NEWNS) == 0 && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : 1);
    int status;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) known = 1;
    return known == 1;
}

void fault_mount_test_setup(void)
{
    daemon_test_setup();
    nmounted = 0;
    if (!fault_can_mount()) return;
    /* Private: our mounts neither show in, nor propagate to, the host's
     * namespace, and vanish with the last process in ours. */
    ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare(CLONE_NEWNS): %s", strerror(errno));
    ck_assert_msg(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0, "make / private: %s", strerror(errno));
}

void fault_mount_test_teardown(void)
{
    while (nmounted > 0) umount2(mounted[--nmounted], MNT_DETACH);
    daemon_test_teardown();
}

int mount_tmpfs(const char *dir, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s,mode=0700", size);
    if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0) return -1;
    remember_mount(dir);
    return 0;
}

int remount_tmpfs_size(const char *dir, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s", size);
    return mount("none", dir, "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, opts);
}

int bind_readonly(const char *dir)
{
    if (mount(dir, dir, "none", MS_BIND, NULL) != 0) return -1;
    remember_mount(dir);
    return mount("none", dir, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

int make_ext4_image(const char *image, int size_mb, const char **why)
{
    static const char *const mkfs_where[] = {"/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4", NULL};
    const char *mkfs = find_tool(mkfs_where);
    *why = NULL;
    if (!mkfs || !mount_tool()) {
        *why = mkfs ? "no mount program" : "no mkfs.ext4 (package e2fsprogs)";
        return -1;
    }
    if (access("/dev/loop-control", R_OK | W_OK) != 0) {
        *why = "no /dev/loop-control: loop devices are not available here";
        return -1;
    }
    int fd = open(image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size_mb << 20) != 0) {
        if (fd >= 0) close(fd);
        *why = "cannot create the image file";
        return -1;
    }
    close(fd);
    const char *argv[] = {mkfs, "-q", "-F", image, NULL};
    if (run_quiet(argv) != 0) {
        *why = "mkfs.ext4 failed";
        return -1;
    }
    return 0;
}

int mount_ext4_image(const char *image, const char *dir, const char **why)
{
    const char *argv[] = {mount_tool(), "-o", "loop,errors=remount-ro", image, dir, NULL};
    *why = NULL;
    if (!argv[0] || run_quiet(argv) != 0) {
        *why = "mount -o loop failed (no free loop device?)";
        return -1;
    }
    remember_mount(dir);
    return 0;
}

int ext4_force_readonly(const char *dir)
{
    const char *argv[] = {mount_tool(), "-o", "remount,abort", dir, NULL};
    return argv[0] && run_quiet(argv) == 0 ? 0 : -1;
}

int unmount_dir(const char *dir)
{
    int rc = umount2(dir, MNT_DETACH);
    for (int i = nmounted - 1; rc == 0 && i >= 0; i--)   /* the top one of a stack */
        if (strcmp(mounted[i], dir) == 0) {
            memmove(mounted[i], mounted[i + 1], (size_t)(nmounted - i - 1) * sizeof mounted[0]);
            nmounted--;
            break;
        }
    return rc;
}
