/*
 * stats.c - percentiles by sorting: the sample counts (at most a few
 * hundred thousand) sort in milliseconds, and exact ranks keep p99.9
 * honest where a histogram would round it.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

bool samples_reserve(sample_set *s, size_t cap)
{
    if (cap <= s->cap)
        return true;
    uint64_t *p = realloc(s->ns, cap * sizeof *p);
    if (p == NULL)
        return false;
    s->ns = p;
    s->cap = cap;
    return true;
}

bool samples_push(sample_set *s, uint64_t ns)
{
    if (s->len == s->cap && !samples_reserve(s, s->cap ? s->cap * 2 : 1024))
        return false;
    s->ns[s->len++] = ns;
    s->sorted = false;
    return true;
}

void samples_free(sample_set *s)
{
    free(s->ns);
    *s = (sample_set){0};
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void samples_sort(sample_set *s)
{
    if (!s->sorted) {
        qsort(s->ns, s->len, sizeof *s->ns, compare_u64);
        s->sorted = true;
    }
}

double samples_quantile_us(sample_set *s, double q)
{
    if (s->len == 0)
        return 0.0;
    samples_sort(s);
    double rank = ceil(q * (double)s->len);
    size_t i = rank < 1.0 ? 0 : (size_t)rank - 1;
    if (i >= s->len)
        i = s->len - 1;
    return (double)s->ns[i] / 1000.0;
}

uint64_t samples_total_ns(const sample_set *s)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < s->len; i++)
        sum += s->ns[i];
    return sum;
}

void samples_write_cdf(sample_set *s, const char *name, size_t points, FILE *out)
{
    if (s->len == 0 || points < 2)
        return;
    /* A header line per block: gnuplot's "title columnheader(2)". */
    fprintf(out, "# %s: %zu samples\nquantile \"%s\"\n", name, s->len, name);
    /* Spread the points evenly in log(1 - q), so the tail (p99, p99.9,
     * p99.99) gets as many points as the body of the distribution. The
     * last point is the second-largest sample: the maximum is a single
     * event and would sit at q = 1, off a logarithmic axis. */
    double tail_min = 1.0 / (double)s->len;
    for (size_t k = 0; k < points; k++) {
        double t = (double)k / (double)(points - 1);
        double q = 1.0 - pow(tail_min, t);
        if (q <= 0.0)
            q = 0.5 / (double)s->len;
        fprintf(out, "%.9f %.3f\n", q, samples_quantile_us(s, q));
    }
    fputs("\n\n", out);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double median_of(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}
