/*
 * fd_ops.h - what the test server does to its own file descriptors for the
 * ops that check how the server treats descriptors (OP_FORK_HOLD,
 * OP_HOG_FDS; transport_test_util.h). Used by transport_test_util.c only.
 */
#ifndef TRANSPORT_FD_OPS_H
#define TRANSPORT_FD_OPS_H

#include <stdint.h>
#include <sys/types.h>

#include "grite/server.h"

/* Fork a child that keeps its copies of every descriptor of this process
 * open until this process exits. Returns its pid, or -1. */
pid_t fd_hold_in_child(void);

/* Ask for OP_HOG_FDS: use up every descriptor for `ms` once the server at
 * socket_path has no connection (done by fd_hog_tick). */
void fd_hog_request(const char *socket_path, int64_t ms);

/* The test server's on_tick: starts and ends a requested hog. */
void fd_hog_tick(void *user, grite_server *server);

/* Write epoll_watch_count() to the file at path (the test reads it). */
void fd_report_epoll_watches(const char *path);

#endif
