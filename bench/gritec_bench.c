/*
 * gritec_bench.c - running gritec as a child and reading its rusage.
 */
#include "gritec_bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "idl_gen.h"
#include "stats.h"

#define MAX_RUNS 16

typedef struct gritec_run {
    double wall_s;
    double cpu_s;
    double peak_rss_mib;
} gritec_run;

static bool write_idl(const char *path, size_t ntypes)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "grite-bench: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = idl_generate(f, ntypes);
    return fclose(f) == 0 && ok;
}

/* In the child: stdout to /dev/null, stderr to err_path, then exec. */
static void exec_gritec(const char *gritec, const char *idl, const char *out_dir, const char *err_path)
{
    int devnull = open("/dev/null", O_WRONLY);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (devnull >= 0)
        dup2(devnull, STDOUT_FILENO);
    if (err >= 0)
        dup2(err, STDERR_FILENO);
    execl(gritec, gritec, idl, "-o", out_dir, (char *)NULL);
    fprintf(stderr, "cannot run %s: %s\n", gritec, strerror(errno));
    _exit(127);
}

static void show_errors(const char *err_path)
{
    FILE *f = fopen(err_path, "r");
    char line[512];
    for (int i = 0; f != NULL && i < 10 && fgets(line, sizeof line, f); i++)
        fprintf(stderr, "  gritec: %s", line);
    if (f != NULL)
        fclose(f);
}

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

static bool run_once(const char *gritec, const char *idl, const char *out_dir, const char *err_path,
                     gritec_run *run)
{
    fflush(NULL);
    uint64_t start = bench_now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("grite-bench: fork");
        return false;
    }
    if (pid == 0)
        exec_gritec(gritec, idl, out_dir, err_path);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return false;
    run->wall_s = (double)(bench_now_ns() - start) / 1e9;
    run->cpu_s = seconds(ru.ru_utime) + seconds(ru.ru_stime);
    run->peak_rss_mib = (double)ru.ru_maxrss / 1024.0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "grite-bench: gritec failed on %s:\n", idl);
        show_errors(err_path);
        return false;
    }
    return true;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Compile a generated schema `runs` times; one row of medians. */
static bool measure(result_table *t, const char *row_name, const char *gritec, const char *dir,
                    size_t ntypes, int runs)
{
    char idl[512], out_dir[512], header[600], err_path[512];
    snprintf(idl, sizeof idl, "%s/big.idl", dir);
    snprintf(out_dir, sizeof out_dir, "%s/gen", dir);
    snprintf(header, sizeof header, "%s/big.h", out_dir);
    snprintf(err_path, sizeof err_path, "%s/gritec.err", dir);
    if (!write_idl(idl, ntypes) || (mkdir(out_dir, 0700) != 0 && errno != EEXIST))
        return false;
    double wall[MAX_RUNS], cpu[MAX_RUNS], rss[MAX_RUNS];
    int n = runs < 1 ? 1 : runs > MAX_RUNS ? MAX_RUNS : runs;
    for (int i = 0; i < n; i++) {
        gritec_run run;
        unlink(header);
        if (!run_once(gritec, idl, out_dir, err_path, &run))
            return false;
        wall[i] = run.wall_s;
        cpu[i] = run.cpu_s;
        rss[i] = run.peak_rss_mib;
    }
    long header_bytes = file_size(header);
    if (header_bytes <= 0) {
        fprintf(stderr, "grite-bench: gritec wrote no header at %s\n", header);
        return false;
    }
    result_row *r = results_add(t, row_name);
    if (r == NULL)
        return false;
    row_set(r, "types", (double)ntypes);
    row_set(r, "idl_bytes", (double)file_size(idl));
    row_set(r, "header_bytes", (double)header_bytes);
    row_set(r, "time_s", median_of(wall, (size_t)n));
    row_set(r, "cpu_s", median_of(cpu, (size_t)n));
    row_set(r, "peak_rss_mib", median_of(rss, (size_t)n));
    unlink(header);
    unlink(idl);
    unlink(err_path);
    rmdir(out_dir);
    return true;
}

bool bench_gritec(result_table *t, const char *gritec_path, const char *dir, size_t ntypes, int runs)
{
    if (access(gritec_path, X_OK) != 0) {
        fprintf(stderr, "grite-bench: no gritec at %s (use --gritec PATH)\n", gritec_path);
        return false;
    }
    char name[RESULT_NAME_MAX];
    snprintf(name, sizeof name, "gritec/%zu-types", ntypes);
    return measure(t, "gritec/floor", gritec_path, dir, 10, runs) &&
           measure(t, name, gritec_path, dir, ntypes, runs);
}
