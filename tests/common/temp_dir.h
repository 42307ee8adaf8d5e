/*
 * temp_dir.h - removing a test's scratch directory and all it holds
 * (rm -rf), so suites do not each carry their own nftw callback.
 */
#ifndef GRITE_TESTS_TEMP_DIR_H
#define GRITE_TESTS_TEMP_DIR_H

/* Remove path and everything under it, without following symlinks. It
 * removes all it can even when some entry resists. Returns 0, or -1 with
 * errno set from the first failure (the caller decides whether that fails
 * its test: a teardown after a crashed daemon may not care). */
int test_remove_tree(const char *path);

#endif
