/* test_units.c - the parts of grite-daemon that need no process: the
 * lease table (daemon/leases.h) and the path rules shared with the CLI
 * (daemon/paths.h). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leases.h"
#include "paths.h"
#include "check_run.h"
#include "temp_dir.h"

#define A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* ---- leases ---------------------------------------------------------------------------- */

START_TEST(lease_rules)
{
    struct lease_table t;
    lease_table_init(&t);
    struct lease_state s;
    ck_assert_int_eq(lease_acquire(&t, "r", A, 100, 1000, &s), LEASE_OK);
    ck_assert_str_eq(s.owner, A);
    ck_assert_uint_eq(s.expires_ms, 1100);
    ck_assert_int_eq(lease_acquire(&t, "r", A, 500, 1050, &s), LEASE_OK);   /* renewal */
    ck_assert_uint_eq(s.expires_ms, 1550);
    ck_assert_int_eq(lease_acquire(&t, "r", B, 100, 1100, &s), LEASE_CONFLICT);
    ck_assert_str_eq(s.owner, A);
    ck_assert_uint_eq(s.expires_ms, 1550);
    ck_assert_int_eq(lease_release(&t, "r", B, 1100, &s), LEASE_CONFLICT);
    ck_assert_str_eq(s.owner, A);
    ck_assert_uint_eq(lease_count(&t, 1100), 1);
    /* expiry: at the deadline the lease is free, and B takes it */
    ck_assert_uint_eq(lease_count(&t, 1550), 0);
    ck_assert_int_eq(lease_acquire(&t, "r", B, 100, 1550, &s), LEASE_OK);
    ck_assert_str_eq(s.owner, B);
    ck_assert_int_eq(lease_release(&t, "r", A, 1560, &s), LEASE_CONFLICT);
    ck_assert_int_eq(lease_release(&t, "r", B, 1560, &s), LEASE_OK);
    ck_assert_str_eq(s.owner, "");
    ck_assert_int_eq(lease_release(&t, "r", B, 1560, &s), LEASE_NOT_FOUND);
    ck_assert_int_eq(lease_release(&t, "never", B, 1560, &s), LEASE_NOT_FOUND);
    /* an expired lease cannot be released either */
    ck_assert_int_eq(lease_acquire(&t, "q", A, 10, 2000, &s), LEASE_OK);
    ck_assert_int_eq(lease_release(&t, "q", A, 2010, &s), LEASE_NOT_FOUND);
    lease_table_free(&t);
}
END_TEST

START_TEST(lease_table_is_bounded_and_expires)
{
    struct lease_table t;
    lease_table_init(&t);
    struct lease_state s;
    char name[32];
    for (int i = 0; i < LEASE_TABLE_MAX; i++) {
        snprintf(name, sizeof name, "r%d", i);
        ck_assert_int_eq(lease_acquire(&t, name, A, 1000, 0, &s), LEASE_OK);
    }
    ck_assert_int_eq(lease_acquire(&t, "one-more", A, 1000, 0, &s), LEASE_FULL);
    ck_assert_int_eq(lease_acquire(&t, "r7", A, 1000, 10, &s), LEASE_OK);   /* renewing is not adding */
    /* once they expire, there is room again */
    ck_assert_int_eq(lease_acquire(&t, "one-more", A, 1000, 1000, &s), LEASE_OK);
    ck_assert_uint_eq(lease_count(&t, 1000), 2);
    ck_assert_uint_eq(t.len, 2);
    lease_table_free(&t);
}
END_TEST

/* ---- paths ------------------------------------------------------------------------------- */

static char tmp[256];

static void make_tmp(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/gdu-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    unsetenv("GRITE_DATA_DIR");
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_RUNTIME_DIR");
}

static void remove_tmp(void)
{
    test_remove_tree(tmp);
}

static const char *at(const char *name)
{
    static char bufs[4][512];
    static int next;
    char *out = bufs[next++ % 4];
    snprintf(out, 512, "%s/%s", tmp, name);
    return out;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 0777);
}

START_TEST(data_dir_explicit_is_created_and_canonical)
{
    char out[GRITE_PATH_MAX], err[256];
    ck_assert_int_eq(chdir(tmp), 0);
    ck_assert_int_eq(grite_paths_data_dir("a/b/../c", out, sizeof out, err, sizeof err), 0);   /* mkdir -p */
    ck_assert_str_eq(out, at("a/c"));
    ck_assert_int_eq(grite_paths_data_dir("x/y", out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("x/y"));
    ck_assert_uint_eq(mode_of(out), 0700);
    ck_assert_uint_eq(mode_of(at("x")), 0700);
    ck_assert_int_eq(grite_paths_data_dir("x/y/", out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("x/y"));
    /* a file is not a data dir */
    FILE *f = fopen(at("file"), "w");
    fclose(f);
    ck_assert_int_eq(grite_paths_data_dir(at("file"), out, sizeof out, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "file"));
}
END_TEST

START_TEST(data_dir_from_the_environment)
{
    char out[GRITE_PATH_MAX], err[256];
    setenv("HOME", at("home"), 1);
    ck_assert_int_eq(grite_paths_data_dir(NULL, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("home/.local/share/grite"));
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    ck_assert_int_eq(grite_paths_data_dir(NULL, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("home/.local/share/grite"));
    setenv("XDG_DATA_HOME", at("xdg"), 1);
    ck_assert_int_eq(grite_paths_data_dir(NULL, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("xdg/grite"));
    setenv("GRITE_DATA_DIR", at("env"), 1);
    ck_assert_int_eq(grite_paths_data_dir(NULL, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("env"));
    ck_assert_int_eq(grite_paths_data_dir(at("explicit"), out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, at("explicit"));
}
END_TEST

START_TEST(lock_and_store_paths)
{
    char out[GRITE_PATH_MAX];
    ck_assert_int_eq(grite_paths_lock_file("/d", out, sizeof out), 0);
    ck_assert_str_eq(out, "/d/daemon.lock");
    ck_assert_int_eq(grite_paths_store_dir("/d", out, sizeof out), 0);
    ck_assert_str_eq(out, "/d/store");
    ck_assert_int_eq(grite_paths_lock_file("/d", out, 8), -1);
}
END_TEST

START_TEST(default_socket_is_private_and_stable)
{
    char data[GRITE_PATH_MAX], other[GRITE_PATH_MAX], s1[GRITE_PATH_MAX], s2[GRITE_PATH_MAX], s3[GRITE_PATH_MAX];
    char err[256];
    ck_assert_int_eq(grite_paths_data_dir(at("data"), data, sizeof data, err, sizeof err), 0);
    ck_assert_int_eq(grite_paths_data_dir(at("other"), other, sizeof other, err, sizeof err), 0);
    ck_assert_int_eq(mkdir(at("run"), 0700), 0);
    setenv("XDG_RUNTIME_DIR", at("run"), 1);
    ck_assert_int_eq(grite_paths_default_socket(data, s1, sizeof s1, err, sizeof err), 0);
    ck_assert_int_eq(grite_paths_default_socket(data, s2, sizeof s2, err, sizeof err), 0);
    ck_assert_int_eq(grite_paths_default_socket(other, s3, sizeof s3, err, sizeof err), 0);
    ck_assert_str_eq(s1, s2);
    ck_assert_str_ne(s1, s3);
    ck_assert_int_eq(strncmp(s1, at("run/grite/"), strlen(at("run/grite/"))), 0);
    ck_assert_uint_eq(strlen(s1), strlen(at("run/grite/")) + 16 + 5);   /* <16 hex>.sock */
    ck_assert_uint_eq(mode_of(at("run/grite")), 0700);
    /* a directory we made earlier with a looser mode is tightened */
    ck_assert_int_eq(chmod(at("run/grite"), 0755), 0);
    ck_assert_int_eq(grite_paths_default_socket(data, s2, sizeof s2, err, sizeof err), 0);
    ck_assert_uint_eq(mode_of(at("run/grite")), 0700);
    /* a symlink in its place is refused */
    ck_assert_int_eq(rename(at("run/grite"), at("run/real")), 0);
    ck_assert_int_eq(symlink(at("run/real"), at("run/grite")), 0);
    ck_assert_int_eq(grite_paths_default_socket(data, s2, sizeof s2, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a directory"));
}
END_TEST

START_TEST(default_socket_too_long_is_an_error)
{
    char data[GRITE_PATH_MAX], s[GRITE_PATH_MAX], err[256];
    ck_assert_int_eq(grite_paths_data_dir(at("data"), data, sizeof data, err, sizeof err), 0);
    char deep[400];
    snprintf(deep, sizeof deep, "%s/%0100d", tmp, 0);
    ck_assert_int_eq(mkdir(deep, 0700), 0);
    setenv("XDG_RUNTIME_DIR", deep, 1);
    ck_assert_int_eq(grite_paths_default_socket(data, s, sizeof s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "107"));
}
END_TEST

START_TEST(socket_dir_of_another_user_is_refused)
{
    if (geteuid() != 0) {
        printf("NOTE: socket_dir_of_another_user_is_refused needs root to chown; not checked\n");
        return;
    }
    char data[GRITE_PATH_MAX], s[GRITE_PATH_MAX], err[256];
    ck_assert_int_eq(grite_paths_data_dir(at("data"), data, sizeof data, err, sizeof err), 0);
    ck_assert_int_eq(mkdir(at("run"), 0700), 0);
    ck_assert_int_eq(mkdir(at("run/grite"), 0700), 0);
    ck_assert_int_eq(chown(at("run/grite"), 65534, 65534), 0);
    setenv("XDG_RUNTIME_DIR", at("run"), 1);
    ck_assert_int_eq(grite_paths_default_socket(data, s, sizeof s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "belongs to uid 65534"));
}
END_TEST

START_TEST(actor_id_is_made_once_and_checked)
{
    char id[33], again[33], err[256];
    ck_assert_int_eq(grite_paths_actor_id(tmp, id, err, sizeof err), 0);
    ck_assert_uint_eq(strlen(id), 32);
    ck_assert_uint_eq(strspn(id, "0123456789abcdef"), 32);
    ck_assert_int_eq(grite_paths_actor_id(tmp, again, err, sizeof err), 0);
    ck_assert_str_eq(id, again);
    /* the file: the id and a newline */
    FILE *f = fopen(at("actor"), "r");
    char text[64] = "";
    ck_assert_ptr_nonnull(fgets(text, sizeof text, f));
    fclose(f);
    ck_assert_uint_eq(strlen(text), 33);
    /* a corrupt file is reported, never replaced (an actor is an identity) */
    f = fopen(at("actor"), "w");
    fputs("XYZ\n", f);
    fclose(f);
    ck_assert_int_eq(grite_paths_actor_id(tmp, again, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "corrupt"));
    f = fopen(at("actor"), "r");
    ck_assert_ptr_nonnull(fgets(text, sizeof text, f));
    fclose(f);
    ck_assert_str_eq(text, "XYZ\n");
}
END_TEST

static Suite *units_suite(void)
{
    Suite *s = suite_create("daemon_units");
    TCase *leases = tcase_create("leases");
    tcase_add_test(leases, lease_rules);
    tcase_add_test(leases, lease_table_is_bounded_and_expires);
    suite_add_tcase(s, leases);
    TCase *paths = tcase_create("paths");
    tcase_add_checked_fixture(paths, make_tmp, remove_tmp);
    tcase_add_test(paths, data_dir_explicit_is_created_and_canonical);
    tcase_add_test(paths, data_dir_from_the_environment);
    tcase_add_test(paths, lock_and_store_paths);
    tcase_add_test(paths, default_socket_is_private_and_stable);
    tcase_add_test(paths, default_socket_too_long_is_an_error);
    tcase_add_test(paths, socket_dir_of_another_user_is_refused);
    tcase_add_test(paths, actor_id_is_made_once_and_checked);
    suite_add_tcase(s, paths);
    return s;
}

int main(void)
{
    return grite_check_run(units_suite());
}
