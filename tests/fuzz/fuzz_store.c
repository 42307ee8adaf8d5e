/*
 * fuzz_store.c - the issue store's event log (docs/STORE.md) as untrusted
 * input: it is what SyncPull reads from a remote directory anyone sharing
 * it may have written, and what a crash or a full disk leaves behind.
 *
 * Input: one flag byte (fuzz_store.h), then the bytes of an events.log.
 * With FUZZ_STORE_FIX_CRC the harness first rewrites the header's and every
 * record's CRC32 to match, so the fuzzer gets past the checksums into the
 * event payloads instead of only exercising them.
 *
 * Each input is tried two ways, in a fresh sandbox directory:
 *  - as a store's own log: grite_store_open (replay, torn-tail repair);
 *    when it opens, every issue listed must show (and back), the labels
 *    and assignees are sorted without duplicates, and grite_store_check
 *    must not FAIL (a log the store accepted is consistent);
 *  - as a remote: grite_sync_pull from it into an empty store; whatever it
 *    returns, the local store must then pass grite_store_check, i.e. a
 *    hostile remote can refuse to sync but never damage our store.
 *
 * Seeds: corpus/store (logs written by the store itself), gen_corpus.c.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_store.h"
#include "fuzz_util.h"
#include "store.h"
#include "sync.h"

#define ACTOR "0123456789abcdef0123456789abcdef"
#define LOG_HEADER_SIZE 16u
#define RECORD_HEADER_SIZE 12u

static char sandbox[64];

/* ---- the sandbox --------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void remove_sandbox(void)
{
    if (sandbox[0] != '\0')
        nftw(sandbox, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* An empty sandbox: <sandbox>/remote and <sandbox>/local do not exist. */
static void fresh_sandbox(void)
{
    if (sandbox[0] == '\0') {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(sandbox, sizeof sandbox, "%s/grite-fuzz-store-XXXXXX", base);
        FUZZ_CHECK(mkdtemp(sandbox) != NULL, "mkdtemp: %s", strerror(errno));
        atexit(remove_sandbox);
        return;
    }
    remove_sandbox();
    FUZZ_CHECK(mkdir(sandbox, 0700) == 0, "mkdir %s: %s", sandbox, strerror(errno));
}

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", sandbox, name);
}

static void write_log(const char *dir, const uint8_t *data, size_t len)
{
    char path[128];
    FUZZ_CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/events.log", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FUZZ_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
    FUZZ_CHECK(len == 0 || write(fd, data, len) == (ssize_t)len, "write %s: %s", path, strerror(errno));
    close(fd);
}

/* ---- checksums --------------------------------------------------------------------- */

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t crc(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(0L, p, (uInt)n);
}

/* Make the header's and each whole record's CRC32 right (STORE.md). */
static void fix_checksums(uint8_t *log, size_t len)
{
    if (len < LOG_HEADER_SIZE)
        return;
    put_le32(log + 12, crc(log, 12));
    size_t at = LOG_HEADER_SIZE;
    while (len - at >= RECORD_HEADER_SIZE) {
        uint32_t n = get_le32(log + at + 4);
        if (n > len - at - RECORD_HEADER_SIZE)
            break;
        /* CRC of the 4 length bytes followed by the payload. */
        uint32_t c = (uint32_t)crc32(crc32(0L, log + at + 4, 4), log + at + RECORD_HEADER_SIZE, n);
        put_le32(log + at + 8, c);
        at += RECORD_HEADER_SIZE + n;
    }
}

/* ---- checks ------------------------------------------------------------------------ */

static uint64_t fixed_clock(void *ctx)
{
    (void)ctx;
    return UINT64_C(1700000000000);
}

static const struct grite_store_options options = { .clock_ms = fixed_clock, .lock_timeout_ms = 1000 };

static void check_sorted_unique(char *const *items, size_t n, const char *what)
{
    for (size_t i = 1; i < n; i++)
        FUZZ_CHECK(strcmp(items[i - 1], items[i]) < 0, "%s not sorted and unique", what);
}

/* Every listed issue shows as itself. */
static void check_issues(grite_store *s)
{
    struct grite_issue_page page;
    struct grite_store_error err;
    FUZZ_CHECK(grite_store_list(s, NULL, &page, &err) == GRITE_STORE_OK, "list failed: %s", err.message);
    FUZZ_CHECK(page.count == page.total, "unlimited list has %zu of %llu issues", page.count,
               (unsigned long long)page.total);
    size_t count = page.count;
    char (*ids)[GRITE_ID_HEX_LEN + 1] = calloc(count + 1, sizeof *ids);
    FUZZ_CHECK(ids != NULL, "out of memory");
    for (size_t i = 0; i < count; i++)
        memcpy(ids[i], page.issues[i]->issue_id, sizeof ids[i]);
    for (size_t i = 0; i < count; i++) {
        const struct grite_issue *is;
        FUZZ_CHECK(grite_store_issue_show(s, ids[i], &is, &err) == GRITE_STORE_OK, "listed issue %s does not show: %s",
                   ids[i], err.message);
        FUZZ_CHECK(strcmp(is->issue_id, ids[i]) == 0, "show %s gives %s", ids[i], is->issue_id);
        check_sorted_unique(is->labels, is->label_count, "labels");
        check_sorted_unique(is->assignees, is->assignee_count, "assignees");
    }
    free(ids);
}

static void check_consistent(grite_store *s, const char *what)
{
    struct grite_store_check check;
    struct grite_store_error err;
    enum grite_store_status st = grite_store_check(s, &check, &err);
    FUZZ_CHECK(st == GRITE_STORE_OK, "%s: check could not run: %s", what, err.message);
    FUZZ_CHECK(check.status != GRITE_CHECK_FAIL, "%s: check fails: %s", what, check.message);
}

static void as_own_log(const uint8_t *log, size_t len)
{
    char dir[128];
    path_in(dir, sizeof dir, "own");
    write_log(dir, log, len);
    grite_store *s = NULL;
    struct grite_store_error err;
    enum grite_store_status st = grite_store_open(dir, ACTOR, &options, &s, &err);
    if (st != GRITE_STORE_OK) {
        FUZZ_CHECK(s == NULL && err.message[0] != '\0', "failed open without a message");
        return;
    }
    struct grite_store_warning w;
    while (grite_store_take_warning(s, &w))
        FUZZ_CHECK(w.message[0] != '\0', "warning without a message");
    check_issues(s);
    check_consistent(s, "opened log");
    grite_store_close(s);
}

static void as_remote(const uint8_t *log, size_t len)
{
    char remote[128], local[128];
    path_in(remote, sizeof remote, "remote");
    path_in(local, sizeof local, "local");
    write_log(remote, log, len);
    grite_store *s = NULL;
    struct grite_store_error err;
    FUZZ_CHECK(grite_store_open(local, ACTOR, &options, &s, &err) == GRITE_STORE_OK, "cannot open an empty store: %s",
               err.message);
    struct grite_sync_result result;
    enum grite_store_status st = grite_sync_pull(s, remote, &result, &err);
    FUZZ_CHECK(st == GRITE_STORE_OK || err.message[0] != '\0', "failed pull without a message");
    check_issues(s);
    check_consistent(s, "after a pull");
    grite_store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t flags = fuzz_take_u8(&in);
    uint8_t *log = fuzz_exact_copy(in.data, in.len);
    if (flags & FUZZ_STORE_FIX_CRC)
        fix_checksums(log, in.len);
    fresh_sandbox();
    as_own_log(log, in.len);
    as_remote(log, in.len);
    free(log);
    return 0;
}
