/* temp_dir.c - see temp_dir.h. */
#include "temp_dir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

/* nftw's callback has no user pointer; tests remove one tree at a time. */
static int first_errno;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && first_errno == 0)
        first_errno = errno;
    return 0;   /* go on: a teardown should take all it can */
}

int test_remove_tree(const char *path)
{
    first_errno = 0;
    /* Depth first: a directory is removed after what it holds. */
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return -1;
    if (first_errno != 0) {
        errno = first_errno;
        return -1;
    }
    return 0;
}
