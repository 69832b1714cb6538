/* Sorting, type-7 quantiles, medians, means and sums. */
#include "cs-stats.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>

static int cmp_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void cs_stats_sort(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_asc);
}

/* The k-th smallest of v[lo..hi] (inclusive), moving it to v[k]: Hoare's
 * selection with a median-of-three pivot. Cut points need only a few order
 * statistics, and a full sort of a million values three times over was
 * most of an RFM run. */
static double select_kth(double *v, size_t lo, size_t hi, size_t k)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

/* the k-th smallest value (0-based) of v[0..n), n > 0 */
static double order_stat(double *v, size_t n, size_t k)
{
    return select_kth(v, 0, n - 1, k);
}

/* type 7 at position h in [0, n - 1]: the order statistics by selection */
static double type7(double *v, size_t n, double h)
{
    h = h > 0 ? (h < (double)(n - 1) ? h : (double)(n - 1)) : 0; /* p outside [0, 1] */
    size_t i = (size_t)floor(h);
    double lo = order_stat(v, n, i);
    if (i + 1 < n && h > (double)i)
        return lo + (h - (double)i) * (order_stat(v, n, i + 1) - lo);
    return lo;
}

double cs_stats_quantile(double *v, size_t n, double p)
{
    return n ? type7(v, n, (double)(n - 1) * p) : NAN;
}

double cs_stats_quantile_sorted(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    h = h > 0 ? (h < (double)(n - 1) ? h : (double)(n - 1)) : 0; /* p outside [0, 1] */
    size_t i = (size_t)floor(h);
    if (i + 1 < n && h > (double)i)
        return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
    return v[i];
}

int cs_stats_cuts(double *v, size_t n, int parts, double *cut)
{
    if (n == 0 || parts < 2)
        return 0;
    double vmax = order_stat(v, n, n - 1);
    int k = 0;
    for (int j = 1; j < parts; j++) {
        double q = type7(v, n, (double)(n - 1) * j / parts);
        /* a cut point at the largest value separates nothing */
        if ((k == 0 || q > cut[k - 1]) && q < vmax)
            cut[k++] = q;
    }
    return k;
}

double cs_stats_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double hi = order_stat(v, n, n / 2);
    return n % 2 ? hi : (order_stat(v, n, n / 2 - 1) + hi) / 2;
}

double cs_stats_median_sorted(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double cs_stats_sum(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

double cs_stats_mean(const double *v, size_t n)
{
    return n ? cs_stats_sum(v, n) / (double)n : NAN;
}

double cs_stats_wsum(const double *v, const double *w, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (w ? w[i] : (double)(i + 1)) * v[i];
    return s;
}

int cs_stats_group_sums(const double *v, const int *group, size_t n, size_t ngroups,
                        double *sum, size_t *count, cs_error *err)
{
    for (size_t g = 0; g < ngroups; g++) {
        sum[g] = 0;
        if (count)
            count[g] = 0;
    }
    for (size_t i = 0; i < n; i++)
        if (group[i] < 0 || (size_t)group[i] >= ngroups)
            return csi_fail(err, CS_EINVAL, "value %zu: group %d is not below %zu", i + 1,
                            group[i], ngroups);
    for (size_t i = 0; i < n; i++) {
        sum[group[i]] += v[i];
        if (count)
            count[group[i]]++;
    }
    return CS_OK;
}
