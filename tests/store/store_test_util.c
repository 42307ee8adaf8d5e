/* store_test_util.c - see store_test_util.h. */
#define _GNU_SOURCE
#include "store_test_util.h"
#include "temp_dir.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t test_clock_read(void *ctx)
{
    return ((struct test_clock *)ctx)->now;
}

struct store_fixture fixture;

void store_fixture_setup(void)
{
    fixture.dir = make_temp_dir();
    fixture.log_path = path_join(fixture.dir, "events.log");
    fixture.clock.now = 1700000000000ULL;
}

void store_fixture_teardown(void)
{
    remove_tree(fixture.dir);
    free(fixture.log_path);
    free(fixture.dir);
}

grite_store *open_fixture_store(void)
{
    return open_store(fixture.dir, ACTOR_A, &fixture.clock);
}

grite_store *fixture_store_with_issue(const char *title, char id[GRITE_ID_HEX_LEN + 1])
{
    grite_store *s = open_fixture_store();
    create_issue(s, title, id);
    return s;
}

char *make_temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = path_join(base != NULL && base[0] != '\0' ? base : "/tmp",
                           "grite-store-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return tmpl;
}

void remove_tree(const char *path)
{
    test_remove_tree(path);
}

char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

uint8_t *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    ck_assert_msg(fd >= 0, "cannot open %s", path);
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    size_t n = (size_t)st.st_size;
    uint8_t *bytes = malloc(n + 1);
    ck_assert_ptr_nonnull(bytes);
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, bytes + got, n - got);
        ck_assert_int_gt(r, 0);
        got += (size_t)r;
    }
    close(fd);
    *len = n;
    return bytes;
}

static void write_with(const char *path, int flags, const void *bytes, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
    ck_assert_msg(fd >= 0, "cannot write %s", path);
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, (const uint8_t *)bytes + done, len - done);
        ck_assert_int_gt(w, 0);
        done += (size_t)w;
    }
    close(fd);
}

void write_file(const char *path, const uint8_t *bytes, size_t len)
{
    write_with(path, O_TRUNC, bytes, len);
}

void append_file(const char *path, const void *bytes, size_t len)
{
    write_with(path, O_APPEND, bytes, len);
}

uint64_t file_size(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

grite_store *open_store(const char *dir, const char *actor, struct test_clock *clock)
{
    struct grite_store_options opts = {0};
    if (clock != NULL) {
        opts.clock_ms = test_clock_read;
        opts.clock_ctx = clock;
    }
    grite_store *s = NULL;
    struct grite_store_error err;
    enum grite_store_status rc = grite_store_open(dir, actor, &opts, &s, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "open %s: %s", dir, err.message);
    return s;
}

void create_issue(grite_store *s, const char *title, char out[GRITE_ID_HEX_LEN + 1])
{
    struct grite_created created;
    struct grite_store_error err;
    enum grite_store_status rc = grite_store_issue_create(s, title, "", NULL, 0, &created, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "create: %s", err.message);
    memcpy(out, created.issue_id, GRITE_ID_HEX_LEN + 1);
}

void expect_healthy(grite_store *s)
{
    struct grite_store_check check;
    ck_assert_int_eq(grite_store_check(s, &check, NULL), GRITE_STORE_OK);
    ck_assert_msg(check.status == GRITE_CHECK_OK, "%s", check.message);
}

uint64_t issue_total(grite_store *s)
{
    struct grite_issue_page page;
    struct grite_store_error err;
    struct grite_issue_filter none = {.has_limit = true, .limit = 0};
    ck_assert_int_eq(grite_store_list(s, &none, &page, &err), GRITE_STORE_OK);
    return page.total;
}

static void assert_strings_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++)
        ck_assert_str_eq(a[i], b[i]);
}

static void assert_issues_equal(const struct grite_issue *x, const struct grite_issue *y)
{
    ck_assert_str_eq(x->issue_id, y->issue_id);
    ck_assert_str_eq(x->title, y->title);
    ck_assert_str_eq(x->body, y->body);
    ck_assert_int_eq(x->state, y->state);
    ck_assert_str_eq(x->author, y->author);
    ck_assert_uint_eq(x->created_ts, y->created_ts);
    ck_assert_uint_eq(x->updated_ts, y->updated_ts);
    assert_strings_equal(x->labels, x->label_count, y->labels, y->label_count);
    assert_strings_equal(x->assignees, x->assignee_count, y->assignees, y->assignee_count);
    ck_assert_uint_eq(x->comment_count, y->comment_count);
    for (size_t i = 0; i < x->comment_count; i++) {
        ck_assert_str_eq(x->comments[i].comment_id, y->comments[i].comment_id);
        ck_assert_str_eq(x->comments[i].author, y->comments[i].author);
        ck_assert_str_eq(x->comments[i].body, y->comments[i].body);
        ck_assert_uint_eq(x->comments[i].created_ts, y->comments[i].created_ts);
    }
}

void assert_stores_equal(grite_store *a, grite_store *b)
{
    struct grite_issue_page pa, pb;
    struct grite_store_error err;
    ck_assert_int_eq(grite_store_list(a, NULL, &pa, &err), GRITE_STORE_OK);
    size_t count = pa.count;
    char (*ids)[GRITE_ID_HEX_LEN + 1] = calloc(count + 1, sizeof *ids);
    ck_assert_ptr_nonnull(ids);
    for (size_t i = 0; i < count; i++)
        memcpy(ids[i], pa.issues[i]->issue_id, sizeof ids[i]);
    ck_assert_int_eq(grite_store_list(b, NULL, &pb, &err), GRITE_STORE_OK);
    ck_assert_uint_eq(pb.count, count);
    for (size_t i = 0; i < count; i++) /* the same list order too */
        ck_assert_str_eq(pb.issues[i]->issue_id, ids[i]);
    for (size_t i = 0; i < count; i++) {
        const struct grite_issue *x, *y;
        ck_assert_int_eq(grite_store_issue_show(a, ids[i], &x, &err), GRITE_STORE_OK);
        ck_assert_int_eq(grite_store_issue_show(b, ids[i], &y, &err), GRITE_STORE_OK);
        assert_issues_equal(x, y);
    }
    free(ids);
}
