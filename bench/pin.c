/*
 * pin.c - CPU placement with sched_setaffinity.
 */
#include "pin.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

bool pin_mode_parse(const char *text, pin_mode *mode)
{
    if (strcmp(text, "same") == 0)
        *mode = PIN_SAME;
    else if (strcmp(text, "split") == 0)
        *mode = PIN_SPLIT;
    else if (strcmp(text, "none") == 0)
        *mode = PIN_NONE;
    else
        return false;
    return true;
}

const char *pin_mode_name(pin_mode mode)
{
    switch (mode) {
    case PIN_SAME: return "same";
    case PIN_SPLIT: return "split";
    case PIN_NONE: return "none";
    }
    return "?";
}

/* The first `n` CPUs we are allowed on, into cpus[]; returns how many. */
static int allowed_cpus(int *cpus, int n)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    int found = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && found < n; cpu++)
        if (CPU_ISSET((size_t)cpu, &set))
            cpus[found++] = cpu;
    return found;
}

bool placement_init(placement *p, pin_mode mode)
{
    *p = (placement){mode, -1, -1};
    if (mode == PIN_NONE)
        return true;
    int cpus[2];
    int n = allowed_cpus(cpus, 2);
    if (n == 0) {
        fprintf(stderr, "grite-bench: cannot read the CPU affinity: %s\n", strerror(errno));
        return false;
    }
    if (mode == PIN_SPLIT && n < 2) {
        fprintf(stderr, "grite-bench: --pin split needs two CPUs, this process may use one\n");
        return false;
    }
    p->client_cpu = cpus[0];
    p->server_cpu = mode == PIN_SPLIT ? cpus[1] : cpus[0];
    return true;
}

static bool pin_to(int cpu)
{
    if (cpu < 0)
        return true;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((size_t)cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        fprintf(stderr, "grite-bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
        return false;
    }
    return true;
}

bool pin_client(const placement *p) { return pin_to(p->client_cpu); }
bool pin_server(const placement *p) { return pin_to(p->server_cpu); }
