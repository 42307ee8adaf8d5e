/*
 * daemon_program.h - which grite-daemon executable `grite` starts.
 *
 * In this order:
 *   1. $GRITE_DAEMON, if set and not empty (an explicit choice wins);
 *   2. grite-daemon in the directory of the running grite (/proc/self/exe),
 *      so an installed pair, or the build tree, always matches;
 *   3. the first executable grite-daemon on $PATH.
 */
#ifndef GRITE_CLI_DAEMON_PROGRAM_H
#define GRITE_CLI_DAEMON_PROGRAM_H

#include <stddef.h>

#define CLI_DAEMON_PROGRAM_NAME "grite-daemon"

/* The program's path into out. Returns 0, or -1 with a sentence in err
 * (naming every place that was tried). */
int cli_daemon_program(char *out, size_t n, char *err, size_t errn);

#endif
