/* test_store_sync.c - SyncPull and SyncPush between data directories:
 * transfers and counts, concurrent edits merged (last writer wins on
 * title/body/state by timestamp then actor; comments and labels unioned),
 * the same result from either merge order, idempotent re-syncs, random
 * edits on three stores converging, concurrent pushers on one remote,
 * and damaged, missing or booby-trapped remotes. */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "store_records.h"
#include "store_test_util.h"
#include "sync.h"
#include "check_run.h"
#include "clock.h"

#define MAX_KEPT 32

static char *root;
static char *kept[MAX_KEPT]; /* paths the test made, freed by teardown */
static size_t kept_count;
static struct test_clock clk_a, clk_b, clk_c;

static void setup(void)
{
    root = make_temp_dir();
    clk_a.now = clk_b.now = clk_c.now = 1000;
}

static void teardown(void)
{
    remove_tree(root);
    free(root);
    while (kept_count > 0)
        free(kept[--kept_count]);
}

/* dir/name, valid until the test ends. */
static char *path_in(const char *dir, const char *name)
{
    ck_assert_uint_lt(kept_count, MAX_KEPT);
    char *p = path_join(dir, name);
    kept[kept_count++] = p;
    return p;
}

/* root/<name>, created if missing; valid until the test ends. */
static char *sub(const char *name)
{
    char *p = path_in(root, name);
    mkdir(p, 0700);
    return p;
}

/* Size of dir/events.log. */
static uint64_t log_size_in(const char *dir)
{
    char *path = path_join(dir, "events.log");
    uint64_t size = file_size(path);
    free(path);
    return size;
}

static bool has_log(const char *dir)
{
    char *path = path_join(dir, "events.log");
    struct stat st;
    bool exists = stat(path, &st) == 0;
    free(path);
    return exists;
}

static struct grite_sync_result pull(grite_store *s, const char *remote)
{
    struct grite_sync_result r;
    struct grite_store_error err;
    enum grite_store_status rc = grite_sync_pull(s, remote, &r, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "pull %s: %s", remote, err.message);
    return r;
}

static struct grite_sync_result push(grite_store *s, const char *remote)
{
    struct grite_sync_result r;
    struct grite_store_error err;
    enum grite_store_status rc = grite_sync_push(s, remote, &r, &err);
    ck_assert_msg(rc == GRITE_STORE_OK, "push %s: %s", remote, err.message);
    return r;
}

static const struct grite_issue *show(grite_store *s, const char *id)
{
    const struct grite_issue *is = NULL;
    struct grite_store_error err;
    ck_assert_msg(grite_store_issue_show(s, id, &is, &err) == GRITE_STORE_OK, "show: %s",
                  err.message);
    return is;
}

static void expect_zero(struct grite_sync_result r)
{
    ck_assert_uint_eq(r.issues_pulled, 0);
    ck_assert_uint_eq(r.issues_pushed, 0);
    ck_assert_uint_eq(r.comments_merged, 0);
    ck_assert_uint_eq(r.events_transferred, 0);
}

/* The store in `dir` opens, passes the integrity check and holds `issues`. */
static void expect_opens_healthy(const char *dir, const char *actor, uint64_t issues)
{
    grite_store *s = open_store(dir, actor, NULL);
    ck_assert_uint_eq(issue_total(s), issues);
    expect_healthy(s);
    grite_store_close(s);
}

/* A store in `dir` with `count` issues by actor B, closed again; returns
 * the path of its log (valid until the test ends). */
static char *log_with_issues(const char *dir, int count)
{
    grite_store *b = open_store(dir, ACTOR_B, &clk_b);
    char id[33];
    for (int i = 0; i < count; i++)
        create_issue(b, "remote", id);
    grite_store_close(b);
    return path_in(dir, "events.log");
}

/* ---- plain transfers ---- */

START_TEST(pull_copies_issues_and_counts_them)
{
    char *da = sub("a"), *db = sub("b");
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    char ids[3][33];
    for (int i = 0; i < 3; i++) {
        create_issue(a, "from a", ids[i]);
        ck_assert_int_eq(grite_store_issue_comment(a, ids[i], "c1", NULL, NULL), GRITE_STORE_OK);
    }
    ck_assert_int_eq(grite_store_issue_comment(a, ids[0], "c2", NULL, NULL), GRITE_STORE_OK);
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    struct grite_sync_result r = pull(b, da);
    ck_assert_uint_eq(r.issues_pulled, 3);
    ck_assert_uint_eq(r.issues_pushed, 0);
    ck_assert_uint_eq(r.comments_merged, 4);
    ck_assert_uint_eq(r.events_transferred, 7);
    assert_stores_equal(a, b);
    expect_healthy(b);

    uint64_t size = log_size_in(db);
    expect_zero(pull(b, da)); /* idempotent */
    expect_zero(push(b, da));
    ck_assert_uint_eq(log_size_in(db), size);
    grite_store_close(b);
    b = open_store(db, ACTOR_B, &clk_b); /* pulled events are durable */
    assert_stores_equal(a, b);
    grite_store_close(a);
    grite_store_close(b);
}
END_TEST

START_TEST(push_creates_the_remote_log_and_open_handles_see_it)
{
    char *da = sub("a"), *shared = sub("shared"), *db = sub("b");
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    char id[33];
    create_issue(a, "pushed", id);
    ck_assert_int_eq(grite_store_issue_add_label(a, id, "l", NULL, NULL), GRITE_STORE_OK);
    struct grite_sync_result r = push(a, shared); /* an empty directory */
    ck_assert_uint_eq(r.issues_pushed, 1);
    ck_assert_uint_eq(r.issues_pulled, 0);
    ck_assert_uint_eq(r.events_transferred, 2);
    grite_store *s = open_store(shared, ACTOR_C, &clk_c);
    assert_stores_equal(a, s);
    /* An open handle on the remote picks up the next push by itself. */
    ck_assert_int_eq(grite_store_issue_comment(a, id, "later", NULL, NULL), GRITE_STORE_OK);
    r = push(a, shared);
    ck_assert_uint_eq(r.comments_merged, 1);
    ck_assert_uint_eq(show(s, id)->comment_count, 1);
    expect_zero(push(a, shared));
    /* A third store gets it all through the shared directory. */
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    pull(b, shared);
    assert_stores_equal(a, b);
    grite_store_close(a);
    grite_store_close(b);
    grite_store_close(s);
}
END_TEST

START_TEST(remotes_that_are_missing_or_wrong_are_refused)
{
    char *da = sub("a"), *empty = sub("empty");
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    char id[33];
    create_issue(a, "x", id);
    struct grite_sync_result r;
    struct grite_store_error err;
    char *missing = path_in(root, "missing");
    ck_assert_int_eq(grite_sync_pull(a, missing, &r, &err), GRITE_STORE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.message, missing));
    ck_assert_int_eq(grite_sync_push(a, missing, &r, &err), GRITE_STORE_NOT_FOUND);
    struct stat st;
    ck_assert_int_ne(stat(missing, &st), 0); /* push does not create it */
    ck_assert_int_eq(grite_sync_pull(a, da, &r, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_ptr_nonnull(strstr(err.message, "itself"));
    ck_assert_int_eq(grite_sync_push(a, da, &r, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_sync_pull(a, "", &r, &err), GRITE_STORE_INVALID_ARGS);
    ck_assert_int_eq(grite_sync_push(a, NULL, &r, &err), GRITE_STORE_INVALID_ARGS);
    char *file = path_in(root, "file");
    write_file(file, (const uint8_t *)"x", 1);
    ck_assert_int_eq(grite_sync_pull(a, file, &r, &err), GRITE_STORE_INVALID_ARGS);
    /* A directory without a log is an empty remote, and pull leaves it so. */
    expect_zero(pull(a, empty));
    ck_assert(!has_log(empty));
    ck_assert_uint_eq(issue_total(a), 1);
    grite_store_close(a);
}
END_TEST

/* ---- damaged remotes ---- */

START_TEST(a_damaged_remote_is_refused_and_left_alone)
{
    char *da = sub("a"), *db = sub("b");
    char *remote_log = log_with_issues(db, 2);
    size_t len;
    uint8_t *bytes = read_file(remote_log, &len);
    bytes[16 + 30] ^= 0x04; /* inside the first record */
    write_file(remote_log, bytes, len);

    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    char mine[33];
    create_issue(a, "mine", mine);
    uint64_t my_size = log_size_in(da);
    struct grite_sync_result r;
    struct grite_store_error err;
    ck_assert_int_eq(grite_sync_pull(a, db, &r, &err), GRITE_STORE_CORRUPT);
    ck_assert_str_eq(err.path, remote_log);
    ck_assert_uint_eq(err.offset, 16);
    ck_assert_int_eq(grite_sync_push(a, db, &r, &err), GRITE_STORE_CORRUPT);
    ck_assert_uint_eq(issue_total(a), 1);
    ck_assert_uint_eq(log_size_in(da), my_size);
    size_t after_len;
    uint8_t *after = read_file(remote_log, &after_len);
    ck_assert_uint_eq(after_len, len);
    ck_assert_mem_eq(after, bytes, len);
    grite_store_close(a);
    free(after);
    free(bytes);
}
END_TEST

START_TEST(a_torn_remote_tail_is_skipped_by_pull_and_cut_by_push)
{
    char *da = sub("a"), *db = sub("b");
    char *remote_log = log_with_issues(db, 1);
    uint64_t good = file_size(remote_log);
    append_file(remote_log, "\xff" "GEV\x50\x00\x00", 7);

    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    struct grite_sync_result r = pull(a, db);
    ck_assert_uint_eq(r.issues_pulled, 1);
    ck_assert_uint_eq(file_size(remote_log), good + 7); /* pull never writes there */
    struct grite_store_warning w;
    ck_assert(!grite_store_take_warning(a, &w));
    char mine[33];
    create_issue(a, "mine", mine);
    r = push(a, db);
    ck_assert_uint_eq(r.issues_pushed, 1);
    ck_assert(grite_store_take_warning(a, &w));
    ck_assert_str_eq(w.path, remote_log);
    ck_assert_uint_eq(w.offset, good);
    ck_assert_uint_eq(w.dropped_bytes, 7);
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    ck_assert(!grite_store_take_warning(b, &w));
    assert_stores_equal(a, b);
    grite_store_close(a);
    grite_store_close(b);
}
END_TEST

/* ---- remotes made to trip us ---- */

/* Appends to the log at `path` a create (KIND_CREATE) or a comment, made by
 * hand with the event id and issue id filled with the given bytes. */
static void append_event(const char *path, uint8_t kind, uint8_t event_fill, uint8_t issue_fill)
{
    struct bytes p = {.len = 0};
    put_event_header(&p, kind, event_fill, 1234, issue_fill);
    if (kind == KIND_CREATE)
        put_bare_create(&p, "made by hand", 12);
    else
        put_text(&p, "made by hand", 12);
    append_record(path, &p);
}

/* Ours: issue 22.. made by event 11.., commented by events 33.. and 66...
 * Theirs: issue 44.. made by event 33.., commented by events 55.. and 11...
 * Skipping their create as "already here" would hand us comment 55.. on an
 * issue we never get; skipping ours would hand them comment 66.. the same
 * way: either log could then never be opened again. */
START_TEST(an_event_id_used_for_two_events_is_refused_both_ways)
{
    char *da = sub("a"), *db = sub("b");
    char *ours = log_with_issues(da, 0), *theirs = log_with_issues(db, 0);
    append_event(ours, KIND_CREATE, 0x11, 0x22);
    append_event(ours, KIND_COMMENT, 0x33, 0x22);
    append_event(ours, KIND_COMMENT, 0x66, 0x22);
    uint64_t their_create = file_size(theirs);
    append_event(theirs, KIND_CREATE, 0x33, 0x44);
    append_event(theirs, KIND_COMMENT, 0x55, 0x44);
    uint64_t their_reuse = file_size(theirs);
    append_event(theirs, KIND_COMMENT, 0x11, 0x44);
    uint64_t our_size = file_size(ours), their_size = file_size(theirs);

    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    struct grite_sync_result r;
    struct grite_store_error err;
    ck_assert_int_eq(grite_sync_pull(a, db, &r, &err), GRITE_STORE_CORRUPT);
    ck_assert_str_eq(err.path, theirs);
    ck_assert_uint_eq(err.offset, their_create);
    ck_assert_int_eq(grite_sync_push(a, db, &r, &err), GRITE_STORE_CORRUPT);
    ck_assert_str_eq(err.path, theirs);
    ck_assert_uint_eq(err.offset, their_reuse);
    ck_assert_uint_eq(file_size(ours), our_size);
    ck_assert_uint_eq(file_size(theirs), their_size);
    grite_store_close(a);
    expect_opens_healthy(da, ACTOR_A, 1);
    expect_opens_healthy(db, ACTOR_B, 1);
}
END_TEST

/* A FIFO in a remote directory, where a lock or a log should be, must not
 * make the daemon wait for a writer that never comes. */
START_TEST(fifos_in_a_remote_never_block_a_sync)
{
    char *da = sub("a"), *db = sub("b");
    char *their_log = log_with_issues(db, 1);
    char *their_lock = path_in(db, "store.lock");
    ck_assert_int_eq(unlink(their_lock), 0);
    ck_assert_int_eq(mkfifo(their_lock, 0600), 0);
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    ck_assert_uint_eq(pull(a, db).issues_pulled, 1);

    ck_assert_int_eq(unlink(their_log), 0);
    ck_assert_int_eq(mkfifo(their_log, 0600), 0);
    struct grite_sync_result r;
    struct grite_store_error err;
    ck_assert_int_eq(grite_sync_pull(a, db, &r, &err), GRITE_STORE_IO_ERROR);
    ck_assert_str_eq(err.path, their_log);
    ck_assert_int_eq(grite_sync_push(a, db, &r, &err), GRITE_STORE_IO_ERROR);
    ck_assert_str_eq(err.path, their_log);
    struct stat st;
    ck_assert_int_eq(stat(their_log, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode)); /* left as it was */
    grite_store_close(a);
}
END_TEST

/* A remote is anyone's directory: a link left at the name push writes a
 * new log to first must not let it overwrite the file the link points to. */
START_TEST(push_never_writes_through_a_link_at_the_new_log_name)
{
    char *da = sub("a"), *db = sub("b");
    char *victim = path_in(root, "victim");
    write_file(victim, (const uint8_t *)"precious", 8);
    char *tmp = path_in(db, "events.log.tmp");
    ck_assert_int_eq(symlink(victim, tmp), 0);
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    char id[33];
    create_issue(a, "pushed", id);
    ck_assert_uint_eq(push(a, db).issues_pushed, 1);
    size_t len;
    uint8_t *content = read_file(victim, &len);
    ck_assert_uint_eq(len, 8);
    ck_assert_mem_eq(content, "precious", 8);
    char *their_log = path_in(db, "events.log");
    struct stat st;
    ck_assert_int_eq(lstat(their_log, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    assert_stores_equal(a, b);
    grite_store_close(a);
    grite_store_close(b);
    free(content);
}
END_TEST

/* ---- concurrent edits ---- */

struct scenario {
    char x[33], y[33], z[33], w[33];
};

/* Both sides start from the same two issues, then edit them apart. */
static void diverge(const char *da, const char *db, struct scenario *sc)
{
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    const char *labels[] = {"shared"};
    struct grite_created c;
    clk_a.now = 1000;
    ck_assert_int_eq(grite_store_issue_create(a, "x", "x body", labels, 1, &c, NULL),
                     GRITE_STORE_OK);
    memcpy(sc->x, c.issue_id, 33);
    ck_assert_int_eq(grite_store_issue_create(a, "y", "y body", NULL, 0, &c, NULL),
                     GRITE_STORE_OK);
    memcpy(sc->y, c.issue_id, 33);
    pull(b, da);

    /* title of x: a at 2000, b at 3000 -> b wins; body of x: a at 4000, b at 3500 -> a wins */
    clk_a.now = 2000;
    ck_assert_int_eq(grite_store_issue_update(a, sc->x, "x by a", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    clk_b.now = 3000;
    ck_assert_int_eq(grite_store_issue_update(b, sc->x, "x by b", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    clk_b.now = 3500;
    ck_assert_int_eq(grite_store_issue_update(b, sc->x, NULL, "body by b", NULL, NULL),
                     GRITE_STORE_OK);
    clk_a.now = 4000;
    ck_assert_int_eq(grite_store_issue_update(a, sc->x, NULL, "body by a", NULL, NULL),
                     GRITE_STORE_OK);
    /* labels and comments on x from both sides: unions */
    ck_assert_int_eq(grite_store_issue_add_label(a, sc->x, "from-a", NULL, NULL),
                     GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_add_label(b, sc->x, "from-b", NULL, NULL),
                     GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_comment(a, sc->x, "a says", NULL, NULL), GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_comment(b, sc->x, "b says", NULL, NULL), GRITE_STORE_OK);
    /* state of y: a closes at 5000; b closes at 4500, reopens at 4600 -> closed */
    clk_a.now = 5000;
    ck_assert_int_eq(grite_store_issue_close(a, sc->y, NULL, NULL), GRITE_STORE_OK);
    clk_b.now = 4500;
    ck_assert_int_eq(grite_store_issue_close(b, sc->y, NULL, NULL), GRITE_STORE_OK);
    clk_b.now = 4600;
    ck_assert_int_eq(grite_store_issue_reopen(b, sc->y, NULL, NULL), GRITE_STORE_OK);
    /* title of y: both at 7000: the larger actor id (b) wins the tie */
    clk_a.now = clk_b.now = 7000;
    ck_assert_int_eq(grite_store_issue_update(a, sc->y, "y by a", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    ck_assert_int_eq(grite_store_issue_update(b, sc->y, "y by b", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    /* new issues on each side */
    create_issue(a, "z only on a", sc->z);
    create_issue(b, "w only on b", sc->w);
    grite_store_close(a);
    grite_store_close(b);
}

static void expect_merged(grite_store *s, const struct scenario *sc)
{
    ck_assert_uint_eq(issue_total(s), 4);
    const struct grite_issue *x = show(s, sc->x);
    ck_assert_str_eq(x->title, "x by b");
    ck_assert_str_eq(x->body, "body by a");
    ck_assert_uint_eq(x->label_count, 3);
    ck_assert_str_eq(x->labels[0], "from-a");
    ck_assert_str_eq(x->labels[1], "from-b");
    ck_assert_str_eq(x->labels[2], "shared");
    ck_assert_uint_eq(x->comment_count, 2);
    ck_assert_str_eq(x->comments[0].body, "b says"); /* b's clock was earlier */
    ck_assert_str_eq(x->comments[1].body, "a says");
    ck_assert_str_eq(x->author, ACTOR_A);
    const struct grite_issue *y = show(s, sc->y);
    ck_assert_int_eq(y->state, GRITE_ISSUE_CLOSED);
    ck_assert_str_eq(y->title, "y by b");
    ck_assert_str_eq(show(s, sc->z)->title, "z only on a");
    ck_assert_str_eq(show(s, sc->w)->author, ACTOR_B);
}

static void copy_log(const char *from_dir, const char *to_dir)
{
    char *from = path_join(from_dir, "events.log");
    char *to = path_join(to_dir, "events.log");
    size_t len;
    uint8_t *bytes = read_file(from, &len);
    write_file(to, bytes, len);
    free(bytes);
    free(from);
    free(to);
}

START_TEST(concurrent_edits_merge_the_same_from_either_side)
{
    char *da = sub("a"), *db = sub("b"), *da2 = sub("a2"), *db2 = sub("b2");
    struct scenario sc;
    diverge(da, db, &sc);
    copy_log(da, da2); /* the same starting point for the other merge order */
    copy_log(db, db2);

    /* Order 1: a pulls from b, then pushes to b. */
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    struct grite_sync_result r = pull(a, db);
    ck_assert_uint_eq(r.issues_pulled, 3); /* x, y, w changed on b */
    ck_assert_uint_eq(r.comments_merged, 1);
    r = push(a, db);
    ck_assert_uint_eq(r.issues_pushed, 3); /* x, y, z changed on a */
    ck_assert_uint_eq(r.comments_merged, 1);
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    expect_merged(a, &sc);
    expect_merged(b, &sc);
    assert_stores_equal(a, b);

    /* Order 2: b2 pulls from a2, then pushes to a2. */
    grite_store *b2 = open_store(db2, ACTOR_B, &clk_b);
    r = pull(b2, da2);
    ck_assert_uint_eq(r.issues_pulled, 3);
    r = push(b2, da2);
    ck_assert_uint_eq(r.issues_pushed, 3);
    grite_store *a2 = open_store(da2, ACTOR_A, &clk_a);
    expect_merged(b2, &sc);
    assert_stores_equal(a2, b2);
    assert_stores_equal(a, a2); /* both orders, one result */

    /* Re-syncing changes nothing, in any direction. */
    expect_zero(pull(a, db));
    expect_zero(push(a, db));
    expect_zero(pull(b2, da2));
    expect_zero(pull(a2, db));
    expect_zero(push(b, da2));
    expect_healthy(a);
    expect_healthy(b2);
    grite_store_close(a);
    grite_store_close(b);
    grite_store_close(a2);
    grite_store_close(b2);
}
END_TEST

START_TEST(a_later_local_edit_beats_a_remote_clock_from_the_future)
{
    char *da = sub("a"), *db = sub("b");
    grite_store *a = open_store(da, ACTOR_A, &clk_a);
    grite_store *b = open_store(db, ACTOR_B, &clk_b);
    char id[33];
    create_issue(a, "t", id);
    pull(b, da);
    clk_b.now = 900000; /* b's clock runs far ahead */
    ck_assert_int_eq(grite_store_issue_update(b, id, "from the future", NULL, NULL, NULL),
                     GRITE_STORE_OK);
    pull(a, db);
    ck_assert_str_eq(show(a, id)->title, "from the future");
    clk_a.now = 2000; /* a edits after seeing it: its edit must win */
    uint64_t ts;
    ck_assert_int_eq(grite_store_issue_update(a, id, "seen and fixed", NULL, &ts, NULL),
                     GRITE_STORE_OK);
    ck_assert_uint_gt(ts, 900000);
    push(a, db);
    ck_assert_str_eq(show(b, id)->title, "seen and fixed");
    grite_store_close(a);
    grite_store_close(b);
}
END_TEST

/* ---- random edits on three stores ---- */

struct replica {
    char *dir;
    grite_store *s;
    struct test_clock *clk;
};

static void random_edit(struct replica *r, unsigned *seed)
{
    struct grite_issue_page page;
    ck_assert_int_eq(grite_store_list(r->s, NULL, &page, NULL), GRITE_STORE_OK);
    r->clk->now += (uint64_t)(rand_r(seed) % 3); /* often the same ms on several sides */
    int what = rand_r(seed) % 7;
    if (page.count == 0 || what == 0) {
        char id[33];
        create_issue(r->s, "random", id);
        return;
    }
    char id[33];
    memcpy(id, page.issues[(size_t)rand_r(seed) % page.count]->issue_id, 33);
    char text[32];
    snprintf(text, sizeof text, "v%d", rand_r(seed) % 1000);
    enum grite_store_status rc = GRITE_STORE_OK;
    switch (what) {
    case 1: rc = grite_store_issue_update(r->s, id, text, NULL, NULL, NULL); break;
    case 2: rc = grite_store_issue_update(r->s, id, NULL, text, NULL, NULL); break;
    case 3: rc = grite_store_issue_close(r->s, id, NULL, NULL); break;
    case 4: rc = grite_store_issue_reopen(r->s, id, NULL, NULL); break;
    case 5: rc = grite_store_issue_comment(r->s, id, text, NULL, NULL); break;
    default: rc = grite_store_issue_add_label(r->s, id, text, NULL, NULL); break;
    }
    ck_assert_int_eq(rc, GRITE_STORE_OK);
}

START_TEST(random_edits_on_three_stores_converge)
{
    const char *names[3] = {"r0", "r1", "r2"};
    const char *actors[3] = {ACTOR_A, ACTOR_B, ACTOR_C};
    struct test_clock *clocks[3] = {&clk_a, &clk_b, &clk_c};
    for (unsigned trial = 0; trial < 4; trial++) {
        unsigned seed = 12345u + trial * 77u;
        struct replica rep[3];
        for (int i = 0; i < 3; i++) {
            char name[16];
            snprintf(name, sizeof name, "%s-%u", names[i], trial);
            rep[i].dir = sub(name);
            rep[i].clk = clocks[i];
            rep[i].s = open_store(rep[i].dir, actors[i], clocks[i]);
        }
        for (int step = 0; step < 120; step++) {
            struct replica *r = &rep[rand_r(&seed) % 3];
            random_edit(r, &seed);
            if (rand_r(&seed) % 10 == 0) { /* an occasional partial sync */
                struct replica *other = &rep[rand_r(&seed) % 3];
                if (other != r) {
                    if (rand_r(&seed) % 2)
                        pull(r->s, other->dir);
                    else
                        push(r->s, other->dir);
                }
            }
        }
        /* Everyone pulls from everyone, in a random order, twice. */
        for (int round = 0; round < 2; round++)
            for (int k = 0; k < 6; k++) {
                int i = rand_r(&seed) % 3, j = (i + 1 + rand_r(&seed) % 2) % 3;
                pull(rep[i].s, rep[j].dir);
                pull(rep[j].s, rep[i].dir);
            }
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (i != j)
                    pull(rep[i].s, rep[j].dir);
        assert_stores_equal(rep[0].s, rep[1].s);
        assert_stores_equal(rep[1].s, rep[2].s);
        for (int i = 0; i < 3; i++) {
            expect_healthy(rep[i].s);
            grite_store_close(rep[i].s);
        }
    }
}
END_TEST

/* ---- concurrent pushers ---- */

static void pusher(const char *own_dir, const char *actor, const char *remote)
{
    struct grite_store_options opts = {.lock_timeout_ms = (unsigned)test_scaled_ms(20000)};
    grite_store *s = NULL;
    if (grite_store_open(own_dir, actor, &opts, &s, NULL) != GRITE_STORE_OK)
        _exit(2);
    for (int i = 0; i < 15; i++) {
        struct grite_created c;
        if (grite_store_issue_create(s, "pushed concurrently", "", NULL, 0, &c, NULL) !=
                GRITE_STORE_OK ||
            grite_store_issue_comment(s, c.issue_id, "hello", NULL, NULL) != GRITE_STORE_OK)
            _exit(3);
        struct grite_store_error err;
        if (grite_sync_push(s, remote, NULL, &err) != GRITE_STORE_OK) {
            fprintf(stderr, "push: %s\n", err.message);
            _exit(4);
        }
    }
    grite_store_close(s);
    _exit(0);
}

static void direct_writer(const char *remote)
{
    struct grite_store_options opts = {.lock_timeout_ms = (unsigned)test_scaled_ms(20000)};
    grite_store *s = NULL;
    if (grite_store_open(remote, ACTOR_C, &opts, &s, NULL) != GRITE_STORE_OK)
        _exit(2);
    for (int i = 0; i < 15; i++) {
        struct grite_created c;
        if (grite_store_issue_create(s, "written in place", "", NULL, 0, &c, NULL) !=
            GRITE_STORE_OK)
            _exit(3);
    }
    grite_store_close(s);
    _exit(0);
}

START_TEST(concurrent_pushers_and_a_local_writer_do_not_corrupt_the_remote)
{
    char *remote = sub("remote");
    char *own[2] = {sub("p0"), sub("p1")};
    const char *actors[2] = {ACTOR_A, ACTOR_B};
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            /* The child ends in _exit(), without teardown: the paths stay
             * reachable from kept[], which valgrind (scripts/valgrind.sh)
             * does not count as a leak. */
            if (i < 2)
                pusher(own[i], actors[i], remote);
            direct_writer(remote);
        }
    }
    for (int i = 0; i < 3; i++) {
        int status;
        ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed: %d", i,
                      status);
    }
    grite_store *r = open_store(remote, ACTOR_C, NULL);
    struct grite_store_warning w;
    ck_assert(!grite_store_take_warning(r, &w));
    ck_assert_uint_eq(issue_total(r), 45);
    expect_healthy(r);
    for (int i = 0; i < 2; i++) { /* each pusher's store is contained in the remote */
        grite_store *p = open_store(own[i], actors[i], NULL);
        expect_zero(push(p, remote));
        ck_assert_uint_eq(pull(p, remote).issues_pulled, 30);
        assert_stores_equal(p, r);
        grite_store_close(p);
    }
    grite_store_close(r);
}
END_TEST

static Suite *store_sync_suite(void)
{
    Suite *suite = suite_create("store_sync");
    TCase *tc = tcase_create("sync");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pull_copies_issues_and_counts_them);
    tcase_add_test(tc, push_creates_the_remote_log_and_open_handles_see_it);
    tcase_add_test(tc, remotes_that_are_missing_or_wrong_are_refused);
    tcase_add_test(tc, a_damaged_remote_is_refused_and_left_alone);
    tcase_add_test(tc, a_torn_remote_tail_is_skipped_by_pull_and_cut_by_push);
    tcase_add_test(tc, an_event_id_used_for_two_events_is_refused_both_ways);
    tcase_add_test(tc, fifos_in_a_remote_never_block_a_sync);
    tcase_add_test(tc, push_never_writes_through_a_link_at_the_new_log_name);
    tcase_add_test(tc, concurrent_edits_merge_the_same_from_either_side);
    tcase_add_test(tc, a_later_local_edit_beats_a_remote_clock_from_the_future);
    tcase_add_test(tc, random_edits_on_three_stores_converge);
    tcase_add_test(tc, concurrent_pushers_and_a_local_writer_do_not_corrupt_the_remote);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return grite_check_run(store_sync_suite());
}
