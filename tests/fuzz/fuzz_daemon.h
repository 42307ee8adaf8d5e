/*
 * fuzz_daemon.h - the layout of a fuzz_daemon input, shared with the corpus
 * generator: one flag byte (FUZZ_DAEMON_* bits), then up to
 * FUZZ_DAEMON_MAX_PIECES pieces, each a little-endian u16 length and that
 * many bytes (the last one takes whatever is left if it is shorter). A
 * piece is normally an IpcRequest archive (fuzz_daemon.c says what the
 * harness adjusts in it before sending).
 */
#ifndef GRITE_FUZZ_DAEMON_H
#define GRITE_FUZZ_DAEMON_H

#define FUZZ_DAEMON_MAX_PIECES 16

/* Send each request's data_dir as it is, instead of the daemon's. */
#define FUZZ_DAEMON_KEEP_DATA_DIR 1u

/* An issue_id of "@" and one byte k names the (k mod n)-th of the n issues
 * this input created so far. */
#define FUZZ_DAEMON_ISSUE_REF "@"

#endif
