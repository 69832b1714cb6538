/* Sorting, type-7 quantiles, medians, means and sums. */
#include "cs-stats.h"
#include "util/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The order of doubles as unsigned integers: the sign bit flipped for
 * positive values, every bit for negative ones; -0 as +0 (equal values). */
static inline uint64_t sort_key(double x)
{
    uint64_t u;
    if (x == 0)
        x = 0; /* -0 sorts with +0 */
    memcpy(&u, &x, sizeof u);
    return u & 0x8000000000000000ull ? ~u : u | 0x8000000000000000ull;
}

/* Least-significant-digit radix sort on the keys, 16 bits a pass (a pass
 * whose digit is the same for every value is skipped): several times
 * faster than qsort on a million values (the report sorts values for the
 * Lorenz curve, tier medians and segment medians). Stable, so the result
 * equals qsort's up to the order of equal values. Returns 0 when out of
 * memory (the caller sorts another way). */
static int radix_sort(double *v, size_t n)
{
    uint64_t *k = csi_big_alloc(n * sizeof *k, 0);
    if (!k)
        return 0;
    for (size_t i = 0; i < n; i++)
        k[i] = sort_key(v[i]);
    if (!csi_radix_sort64(k, NULL, n)) {
        free(k);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u = k[i] & 0x8000000000000000ull ? k[i] & 0x7fffffffffffffffull : ~k[i];
        memcpy(&v[i], &u, sizeof u);
    }
    free(k);
    return 1;
}

/* The order of v by radix sort on (key, index) pairs; see cs_stats_order. */
static int radix_order(const double *v, size_t n, int descending, size_t *order)
{
    if (n > UINT32_MAX)
        return 0;
    uint64_t *k = csi_big_alloc(n * sizeof *k, 0);
    uint32_t *ix = csi_big_alloc(n * sizeof *ix, 0);
    int ok = k && ix;
    for (size_t i = 0; ok && i < n; i++) {
        k[i] = descending ? ~sort_key(v[i]) : sort_key(v[i]);
        ix[i] = (uint32_t)i;
    }
    ok = ok && csi_radix_sort64(k, ix, n);
    for (size_t i = 0; ok && i < n; i++)
        order[i] = ix[i];
    free(k), free(ix);
    return ok;
}

struct ord {
    const double *v;
    int desc;
};

static int cmp_order(const void *pa, const void *pb, void *arg)
{
    const struct ord *o = arg;
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    double x = o->v[i], y = o->v[j];
    if (x == y)
        return (i > j) - (i < j);
    return o->desc ? (x < y) - (x > y) : (x > y) - (x < y);
}

void cs_stats_order(const double *v, size_t n, int descending, size_t *order)
{
    if (n >= 4096 && radix_order(v, n, descending, order))
        return;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    struct ord o = {v, descending};
    qsort_r(order, n, sizeof *order, cmp_order, &o);
}

void cs_stats_sort(double *v, size_t n)
{
    if (n > 1 && (n < 4096 || !radix_sort(v, n)))
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

/* The order statistic k of v[0..n) when v[*lo..n) holds the values from
 * the *lo-th smallest up (as a selection leaves them): selects in that part
 * only, and moves *lo to k. k below *lo must be the last one selected
 * (already in place). */
static double stat_from(double *v, size_t n, size_t *lo, size_t k)
{
    if (k < *lo)
        return v[k];
    double x = select_kth(v, *lo, n - 1, k);
    *lo = k;
    return x;
}

/* type 7 at position h in [0, n - 1]: the order statistics by selection,
 * above *lo (stat_from) */
static double type7(double *v, size_t n, double h, size_t *lo)
{
    h = h > 0 ? (h < (double)(n - 1) ? h : (double)(n - 1)) : 0; /* p outside [0, 1] */
    size_t i = (size_t)floor(h);
    double q = stat_from(v, n, lo, i);
    if (i + 1 < n && h > (double)i)
        return q + (h - (double)i) * (stat_from(v, n, lo, i + 1) - q);
    return q;
}

double cs_stats_quantile(double *v, size_t n, double p)
{
    size_t lo = 0;
    return n ? type7(v, n, (double)(n - 1) * p, &lo) : NAN;
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
    double vmax = v[0];
    for (size_t i = 1; i < n; i++)
        vmax = v[i] > vmax ? v[i] : vmax;
    int k = 0;
    size_t lo = 0; /* the quantiles ascend: each selects above the last */
    for (int j = 1; j < parts; j++) {
        double q = type7(v, n, (double)(n - 1) * j / parts, &lo);
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
