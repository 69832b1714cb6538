/* custseg: the descriptive statistics the segment reports share: sorting,
 * type-7 quantiles, medians, means, plain, weighted and grouped sums. */
#ifndef CS_STATS_H
#define CS_STATS_H

#include "cs-error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sorts v[0..n) in increasing order (NANs are not allowed). */
void cs_stats_sort(double *v, size_t n);

/* The positions of v[0..n) in increasing (descending: decreasing) order of
 * value, equal values in increasing position (a stable sort): v[order[0]]
 * is the smallest (largest). NANs are not allowed. A radix sort from 4096
 * values (qsort below, or when memory for it is short). */
void cs_stats_order(const double *v, size_t n, int descending, size_t *order);

/* The type-7 quantile (R's default, linear interpolation between order
 * statistics) at p in [0, 1]: with h = (n - 1) p and i = floor(h),
 * x(i) + (h - i) (x(i+1) - x(i)), x(k) the k-th smallest (0-based); x(n-1)
 * when i = n - 1. NAN when n is 0.
 * cs_stats_quantile reorders v (selection, no full sort); the _sorted form
 * takes v already in increasing order and leaves it alone. */
double cs_stats_quantile(double *v, size_t n, double p);
double cs_stats_quantile_sorted(const double *v, size_t n, double p);

/* Cut points for `parts` equal-count parts (RFM's bins): the type-7
 * quantiles at k/parts, k = 1..parts-1 (h = (n - 1) k / parts), keeping a
 * quantile only when it is above the previous cut point kept and below the
 * largest value (a cut there separates nothing): ties can leave fewer cut
 * points than parts - 1. Writes them to cut (room for parts - 1), in
 * increasing order, and returns how many. v is reordered. 0 when n is 0
 * or parts < 2. */
int cs_stats_cuts(double *v, size_t n, int parts, double *cut);

/* The median: the middle value, or the mean of the two middle values for
 * even n; NAN when n is 0. cs_stats_median reorders v. */
double cs_stats_median(double *v, size_t n);
double cs_stats_median_sorted(const double *v, size_t n);

/* The sum of v[0..n) in index order (0 for n = 0), and the mean: that sum
 * over n (NAN for n = 0). */
double cs_stats_sum(const double *v, size_t n);
double cs_stats_mean(const double *v, size_t n);

/* The weighted sum w[0] v[0] + ... + w[n-1] v[n-1], in index order; w NULL
 * stands for the rank weights 1, 2, .., n (the Gini coefficient's sum over
 * values sorted in increasing order). */
double cs_stats_wsum(const double *v, const double *w, size_t n);

/* Sums by group: for i in index order, sum[group[i]] += v[i] and
 * count[group[i]]++ (count may be NULL), after setting the ngroups sums
 * and counts to 0. Errors: CS_EINVAL for a group outside 0..ngroups-1
 * (nothing is summed then). The caller owns sum and count. */
int cs_stats_group_sums(const double *v, const int *group, size_t n, size_t ngroups,
                        double *sum, size_t *count, cs_error *err);

#ifdef __cplusplus
}
#endif
#endif
