/*
 * paths.h - where grite keeps its files, shared by grite-daemon and grite.
 *
 *   data dir   --data-dir, else $GRITE_DATA_DIR, else $XDG_DATA_HOME/grite,
 *              else $HOME/.local/share/grite (created 0700 on first use)
 *   lock file  <data dir>/daemon.lock          (DaemonLock; names the socket)
 *   actor id   <data dir>/actor                (32 lowercase hex chars, made once)
 *   store      <data dir>/store/               (daemon/store.h)
 *   socket     $XDG_RUNTIME_DIR/grite/<h>.sock, else /tmp/grite-<uid>/<h>.sock,
 *              where <h> is 16 hex chars of a hash of the data dir's real path:
 *              a short path (sun_path holds 108 bytes) in a private 0700 directory.
 *
 * The CLI never computes the socket path itself: it reads it from the lock
 * file, so a daemon started with --socket is found too.
 */
#ifndef GRITE_DAEMON_PATHS_H
#define GRITE_DAEMON_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#define GRITE_PATH_MAX 4096

/* Resolve the data dir (explicit may be NULL) into out, create it (0700)
 * if missing, and return 0; on failure return -1 with a message in err. */
int grite_paths_data_dir(const char *explicit_dir, char *out, size_t n, char *err, size_t errn);

/* <data dir>/daemon.lock */
int grite_paths_lock_file(const char *data_dir, char *out, size_t n);

/* <data dir>/store */
int grite_paths_store_dir(const char *data_dir, char *out, size_t n);

/* The default socket path for a data dir (creating its private parent
 * directory 0700); -1 with a message in err on failure. */
int grite_paths_default_socket(const char *data_dir, char *out, size_t n, char *err, size_t errn);

/* Whether s[0..len) is an actor id: 32 lowercase hex digits (what
 * <data dir>/actor holds, and what a request's actor_id must be). */
bool grite_paths_is_actor_id(const char *s, size_t len);

/* Read <data dir>/actor, creating it with a fresh random id if missing. */
int grite_paths_actor_id(const char *data_dir, char out[33], char *err, size_t errn);

#endif
