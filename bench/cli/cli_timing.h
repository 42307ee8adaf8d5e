/*
 * cli_timing.h - the ways grite-cli-bench times one `grite issue show`,
 * from the whole process down to the bare round trip, so the differences
 * say where the time goes:
 *
 *   spawn_true        posix_spawn + wait of /bin/true: creating a process
 *   grite_version     `grite --version`: + grite's own loading and linking
 *   grite_issue_show  `grite issue show ID`: the real thing
 *   in_process_show   cli_main("issue show ID") in this process: the same
 *                     work without a process (paths, lock file, connect,
 *                     handshake, round trip, output)
 *   warm_call         one IssueShow on a warm connection: the round trip
 *
 * Each records `runs` samples in nanoseconds (CLOCK_MONOTONIC).
 */
#ifndef GRITE_CLI_BENCH_TIMING_H
#define GRITE_CLI_BENCH_TIMING_H

#include <stddef.h>
#include <stdint.h>

/* Time `runs` runs of argv (argv[0] is the program), stdout and stderr to
 * /dev/null. Returns 0, or -1 if a run could not start or did not exit 0. */
int time_spawn(char *const *argv, size_t runs, uint64_t *ns);

/* Time `runs` calls of cli_main(argv) in this process, output to
 * /dev/null. Returns 0, or -1 if one returned non-zero. */
int time_in_process(int argc, char *const *argv, size_t runs, uint64_t *ns);

/* Time `runs` IssueShow calls of issue_id on one warm connection to the
 * daemon of data_dir. Returns 0, or -1 with a message on stderr. */
int time_warm_call(const char *data_dir, const char *issue_id, size_t runs, uint64_t *ns);

/* The q-quantile (nearest rank) of n samples, in microseconds; sorts them. */
double quantile_us(uint64_t *ns, size_t n, double q);

#endif
