/* fault_util.h - what the fault tests share, on top of tests/daemon's
 * daemon_test_util.h (temporary dirs, the real grite-daemon as a process,
 * a checking client):
 *
 *   - how hard to push: sanitizer and valgrind builds are slower, so loads
 *     scale down, and environment variables override the defaults (time
 *     itself, and whether valgrind runs us, come from tests/common/clock.h);
 *   - the checks every test makes of the daemon's store through a client:
 *     an issue as shown, the issue count, Doctor's store_integrity;
 *   - the TCase every fault suite uses (its fixtures and timeout);
 *   - the daemon seen from outside: its RSS and its file descriptors, from
 *     /proc/<pid>;
 *   - file systems to break: a small tmpfs, a read-only bind mount, an
 *     ext4 image forced read-only, each in a private mount namespace so
 *     nothing outlives the test, even when it fails.
 *
 * Mounting needs root (CAP_SYS_ADMIN); fault_can_mount() says whether we
 * have it, and the tests fall back (RLIMIT_FSIZE, chmod) or print a
 * "NOTE:" line when they cannot check something. */
#ifndef GRITE_TESTS_FAULT_UTIL_H
#define GRITE_TESTS_FAULT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "clock.h"
#include "daemon_test_util.h"

/* ---- the suites' shape ----------------------------------------------------- */

/* A TCase for tests that run daemons: each test gets its own directory
 * (daemon_test_setup), or with `mounts` also a private mount namespace
 * (fault_mount_test_setup); the base directory is made once per TCase.
 * Each test may take `timeout` seconds (before CK_TIMEOUT_MULTIPLIER).
 * (struct TCase is Check's TCase: soak_worker.c, which includes this
 * header, must not see <check.h>, whose fail() it would collide with.) */
struct TCase *fault_tcase(const char *name, bool mounts, double timeout);

/* ---- scale ------------------------------------------------------------------ */

/* Under valgrind: test_under_valgrind() (clock.h), which also stretches
 * every test's deadlines. */

/* This build is instrumented with AddressSanitizer (-DGRITE_SANITIZE=ON),
 * and so is the daemon it starts. */
bool fault_under_asan(void);

/* The environment variable `name` as a number, or `fallback` if it is
 * unset or not a number. */
double fault_env_number(const char *name, double fallback);

/* ---- the daemon's store, through a client -------------------------------- */

/* The issue `id`, as IssueShow returns it (the call must succeed; valid
 * until the next call on c). */
const grite_Issue *fault_show_issue(struct test_client *c, const char *id);

/* The reply must say an issue was created: its id into out_id. */
void fault_created_id(const grite_IpcReply *reply, char out_id[33]);

/* IssueList must count exactly n issues. */
void fault_assert_issue_total(struct test_client *c, uint64_t n);

/* Doctor must report its store_integrity check, and report it ok. */
void fault_assert_store_integrity(struct test_client *c);

/* ---- the daemon from outside ---------------------------------------------- */

/* VmRSS of pid in KiB, from /proc/<pid>/status; -1 if it cannot be read. */
long proc_rss_kb(pid_t pid);

/* How many file descriptors pid has open (/proc/<pid>/fd); -1 on error. */
int proc_fd_count(pid_t pid);

/* Its descriptors as "fd -> target" lines, for failure messages. */
void proc_fd_list(pid_t pid, char *out, size_t n);

/* Wait (at most timeout_ms, stretched by test_scaled_ms) until pid has
 * exactly `want` descriptors; returns the last count seen. */
int proc_fd_count_settle(pid_t pid, int want, int timeout_ms);

/* pid has died but was not reaped yet (state Z in /proc/<pid>/stat), or is
 * gone altogether. */
bool proc_is_dead(pid_t pid);

/* Wait (at most timeout_ms, stretched by test_scaled_ms) until
 * proc_is_dead(pid); returns whether it died. A daemon releases its lock a
 * moment before it exits, and under valgrind that moment is the leak
 * check: seconds on a loaded machine. */
bool proc_wait_dead(pid_t pid, int timeout_ms);

/* ---- mounts ---------------------------------------------------------------- */

/* We may mount: root with CAP_SYS_ADMIN (decided once, by trying to make a
 * private mount namespace in a throwaway child), and GRITE_FAULT_NO_MOUNT=1
 * is not set (it runs the fallbacks, as without root). */
bool fault_can_mount(void);

/* Checked fixture for tests that mount: setup moves the test's process
 * into a private mount namespace (so every mount it makes is gone when the
 * test and the daemons it started are), then daemon_test_setup();
 * teardown unmounts what the test mounted and calls daemon_test_teardown(). */
void fault_mount_test_setup(void);
void fault_mount_test_teardown(void);

/* A tmpfs of `size` (e.g. "512k") on dir, mode 0700; 0 or -1 (errno). */
int mount_tmpfs(const char *dir, const char *size);

/* Change a tmpfs's size in place (files stay, open ones too). */
int remount_tmpfs_size(const char *dir, const char *size);

/* Bind dir onto itself, then make that mount read-only. Files opened for
 * writing *before* stay writable: the kernel checks the mount at open(). */
int bind_readonly(const char *dir);

/* A fresh ext4 image file of size_mb (mkfs.ext4). -1 if the tool or loop
 * devices are missing or it fails; *why says what. */
int make_ext4_image(const char *image, int size_mb, const char **why);

/* Mount an ext4 image on dir through a loop device (errors=remount-ro;
 * the loop device goes away with the mount). -1 and *why on failure. */
int mount_ext4_image(const char *image, const char *dir, const char **why);

/* Abort the ext4 journal of the file system on dir (`mount -o
 * remount,abort`): it turns read-only at once, and writes through
 * descriptors already open fail with EROFS, as when the kernel meets an
 * I/O error on a disk mounted errors=remount-ro. */
int ext4_force_readonly(const char *dir);

/* Unmount dir (lazily: even while a dead daemon's files are still open). */
int unmount_dir(const char *dir);


#endif
