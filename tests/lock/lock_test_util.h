/*
 * lock_test_util.h - scaffolding for the lock tests: temp dirs, files,
 * child processes that hold a lock, start gates for races, cleanup.
 */
#ifndef GRITE_LOCK_TEST_UTIL_H
#define GRITE_LOCK_TEST_UTIL_H

#include "clock.h"
#include "grite/daemon_lock.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A fresh directory under /tmp with lock and socket paths inside it. */
typedef struct lt_dir {
    char path[64];
    char lock[128];
    char sock[128];
} lt_dir;

void lt_dir_make(lt_dir *d);
/* Remove the directory's (flat) contents and the directory. */
void lt_dir_remove(const lt_dir *d);

void lt_write_file(const char *path, const void *data, size_t len);
/* The file's contents, NUL-terminated, malloc'd (NULL if missing). */
char *lt_read_file(const char *path);
int lt_count_lines(const char *path);

/* Become the subreaper of our descendants, so daemons orphaned by the
 * code under test are ours to kill and reap. */
void lt_become_subreaper(void);
/* SIGKILL and reap a child (or an adopted orphan). */
void lt_kill(pid_t pid);
/* Wait for a child and return its exit status (-1 if it did not exit). */
int lt_wait_exit(pid_t pid);

/* In a child that should live until killed: wait, but exit as soon as
 * process `watch` (the test) is gone, so a failing test leaks nothing. */
_Noreturn void lt_linger(pid_t watch);

/* A listening Unix socket at path (or -1). */
int lt_listen(const char *path);

/* Fork a child that acquires the lock with the given lease, listens on
 * d->sock if listen is true, and then lingers until killed. Returns its
 * PID once it holds the lock (fails the test if it could not). */
pid_t lt_spawn_holder(const lt_dir *d, long lease_ms, bool listen);

/* A start line for racing children: they block in lt_gate_wait until
 * the parent calls lt_gate_open, then all go at once. */
typedef struct lt_gate {
    int fds[2];
} lt_gate;

void lt_gate_init(lt_gate *g);
void lt_gate_wait(lt_gate *g);      /* in the child */
void lt_gate_open(lt_gate *g);      /* in the parent */
void lt_gate_close_child_side(lt_gate *g);  /* parent, after forking */

/* Time: test_sleep_ms() and the rest of tests/common/clock.h. */

#endif /* GRITE_LOCK_TEST_UTIL_H */
