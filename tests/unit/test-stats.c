/* The stats module: type-7 quantiles and RFM's cut points worked out by
 * hand, medians, means, weighted and grouped sums. */
#include "custseg.h"
#include "test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* v = 1 2 2 2 5 7 (sorted), n = 6: h = 5p.
 * p = .25: h = 1.25, x(1) + .25 (x(2) - x(1)) = 2 + 0 = 2 (a tie)
 * p = .5:  h = 2.5,  x(2) + .5 (x(3) - x(2)) = 2
 * p = .7:  h = 3.5,  x(3) + .5 (x(4) - x(3)) = 2 + .5 x 3 = 3.5
 * p = .9:  h = 4.5,  x(4) + .5 (x(5) - x(4)) = 5 + .5 x 2 = 6
 * p = .1:  h = 0.5,  1 + .5 x 1 = 1.5
 * p = 0: 1; p = 1: 7 */
static void test_quantiles(void)
{
    const double sorted[6] = {1, 2, 2, 2, 5, 7};
    const double p[] = {0, 0.1, 0.25, 0.5, 0.7, 0.9, 1};
    const double want[] = {1, 1.5, 2, 2, 3.5, 6, 7};
    for (size_t k = 0; k < sizeof p / sizeof *p; k++) {
        double v[6] = {5, 2, 7, 2, 1, 2}; /* unsorted: selection */
        CHECK_NEAR(cs_stats_quantile(v, 6, p[k]), want[k], 1e-12);
        CHECK_NEAR(cs_stats_quantile_sorted(sorted, 6, p[k]), want[k], 1e-12);
    }
    /* n = 4, 10 20 30 40, p = 1/3: h = 1, exactly x(1) = 20; p = .5: h = 1.5, 25 */
    double w[4] = {40, 10, 30, 20};
    CHECK_NEAR(cs_stats_quantile(w, 4, 1.0 / 3), 20, 1e-12);
    CHECK_NEAR(cs_stats_quantile(w, 4, 0.5), 25, 1e-12);
    double one = 3;
    CHECK_NEAR(cs_stats_quantile(&one, 1, 0.5), 3, 0);
    CHECK(isnan(cs_stats_quantile(NULL, 0, 0.5)));
    CHECK(isnan(cs_stats_quantile_sorted(NULL, 0, 0.5)));
}

/* RFM's cut points with ties. v = 1 1 1 1 2 3 4 4 (n = 8) in 4 parts:
 * h = 7k/4 = 1.75, 3.5, 5.25:
 * k=1: x(1) + .75 (x(2) - x(1)) = 1
 * k=2: x(3) + .5 (x(4) - x(3)) = 1 + .5 = 1.5
 * k=3: x(5) + .25 (x(6) - x(5)) = 3 + .25 = 3.25
 * all below the maximum 4 and increasing: 1, 1.5, 3.25.
 * v = 1 1 1 1 1 1 2 9 in 4 parts: 1, 1, x(5) + .25 (2 - 1) = 1.25:
 * the repeated 1 is dropped: 1, 1.25.
 * v = 5 5 5 5 in 3 parts: every quantile is the maximum: no cut point. */
static void test_cuts(void)
{
    double cut[9];
    double a[8] = {4, 1, 3, 1, 4, 1, 2, 1};
    CHECK_EQ_INT(cs_stats_cuts(a, 8, 4, cut), 3);
    CHECK_NEAR(cut[0], 1, 1e-12);
    CHECK_NEAR(cut[1], 1.5, 1e-12);
    CHECK_NEAR(cut[2], 3.25, 1e-12);
    double b[8] = {9, 1, 1, 2, 1, 1, 1, 1};
    CHECK_EQ_INT(cs_stats_cuts(b, 8, 4, cut), 2);
    CHECK_NEAR(cut[0], 1, 1e-12);
    CHECK_NEAR(cut[1], 1.25, 1e-12);
    double c[4] = {5, 5, 5, 5};
    CHECK_EQ_INT(cs_stats_cuts(c, 4, 3, cut), 0);
    CHECK_EQ_INT(cs_stats_cuts(c, 0, 3, cut), 0);
    CHECK_EQ_INT(cs_stats_cuts(c, 4, 1, cut), 0);
    /* RFM's recency is cut on the negated values: days 1 1 1 1 2 3 4 4
     * negated -4 -4 -3 -2 -1 -1 -1 -1, h = 1.75: -4 + .75 x 1 = -3.25;
     * h = 3.5: -2 + .5 x 1 = -1.5; h = 5.25: -1, the maximum: dropped.
     * Back on days, increasing: 1.5, 3.25 */
    double r[8] = {4, 1, 3, 1, 4, 1, 2, 1};
    CHECK_EQ_INT(cs_rfm_cuts(r, 8, 4, CS_RFM_R, cut), 2);
    CHECK_NEAR(cut[0], 1.5, 1e-12);
    CHECK_NEAR(cut[1], 3.25, 1e-12);
    /* and the values come back as they were (negated twice), reordered */
    CHECK_NEAR(cs_stats_sum(r, 8), 17, 0);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* cs_stats_cuts selects each quantile above the last one; against the
 * definition on a sorted copy (type 7, cut points strictly increasing and
 * below the maximum), on random arrays with and without ties, of sizes
 * where consecutive quantiles share an order statistic. */
static void test_cuts_random(void)
{
    uint64_t x = 88172645463325252ull;
    int bad = 0;
    for (int trial = 0; trial < 3000; trial++) {
        size_t n = 1 + (size_t)(trial % 97) * (trial % 7 == 0 ? 41 : 1);
        int parts = 2 + trial % 9;
        int range = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 50 : 1000000;
        double *v = malloc(n * sizeof *v), *s = malloc(n * sizeof *s);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[i] = s[i] = (double)(x % (uint64_t)range) - range / 3;
        }
        qsort(s, n, sizeof *s, cmp_dbl);
        double want[10], got[10];
        int nw = 0;
        for (int j = 1; j < parts; j++) {
            double q = cs_stats_quantile_sorted(s, n, (double)j / parts);
            if ((nw == 0 || q > want[nw - 1]) && q < s[n - 1])
                want[nw++] = q;
        }
        int ng = cs_stats_cuts(v, n, parts, got);
        bad += ng != nw;
        for (int k = 0; k < nw && k < ng; k++)
            bad += fabs(got[k] - want[k]) > 1e-9 * (1 + fabs(want[k]));
        free(v), free(s);
    }
    CHECK_EQ_INT(bad, 0);
}

static void test_median_mean(void)
{
    double odd[5] = {9, 1, 4, 4, 2};
    CHECK_NEAR(cs_stats_median(odd, 5), 4, 0);
    double even[4] = {10, 1, 3, 2}; /* 1 2 3 10: (2 + 3) / 2 */
    CHECK_NEAR(cs_stats_median(even, 4), 2.5, 0);
    const double s[4] = {1, 2, 3, 10};
    CHECK_NEAR(cs_stats_median_sorted(s, 4), 2.5, 0);
    CHECK_NEAR(cs_stats_median_sorted(s, 3), 2, 0);
    CHECK(isnan(cs_stats_median(NULL, 0)));
    CHECK_NEAR(cs_stats_mean(s, 4), 4, 0);
    CHECK(isnan(cs_stats_mean(NULL, 0)));
    CHECK_NEAR(cs_stats_sum(NULL, 0), 0, 0);
    double u[5] = {3, 1, 2, 5, 4};
    cs_stats_sort(u, 5);
    for (int i = 0; i < 5; i++)
        CHECK_NEAR(u[i], i + 1, 0);
}

static void test_sums(void)
{
    const double v[4] = {1, 2, 3, 4}, w[4] = {0.5, 0, 2, -1};
    CHECK_NEAR(cs_stats_wsum(v, w, 4), 0.5 + 0 + 6 - 4, 1e-12);
    /* rank weights 1..4: 1 + 4 + 9 + 16 = 30; the Gini of 1 2 3 4 is then
     * 2 x 30 / (4 x 10) - 5/4 = 0.25 */
    CHECK_NEAR(cs_stats_wsum(v, NULL, 4), 30, 0);
    cs_concentration c;
    CHECK_EQ_INT(cs_concentration_compute(v, 4, &c, NULL), CS_OK);
    CHECK_NEAR(c.gini, 0.25, 1e-12);
    /* values of both signs: refused, the message counts the negative ones */
    const double mixed[5] = {5, -3, 2, -1, 9};
    cs_error cerr = {0};
    CHECK_EQ_INT(cs_concentration_compute(mixed, 5, &c, &cerr), CS_EINVAL);
    CHECK(strstr(cerr.message, "2 of 5 values are negative (the lowest -3)") != NULL);
    /* zeros are values like any other */
    const double zeros[4] = {0, 0, 0, 4};
    CHECK_EQ_INT(cs_concentration_compute(zeros, 4, &c, NULL), CS_OK);
    CHECK_NEAR(c.gini, 0.75, 1e-12);

    const double x[6] = {10, 1, 2, 20, 3, 0.5};
    const int g[6] = {0, 2, 2, 0, 2, 1};
    double sum[3];
    size_t cnt[3];
    CHECK_EQ_INT(cs_stats_group_sums(x, g, 6, 3, sum, cnt, NULL), CS_OK);
    CHECK_NEAR(sum[0], 30, 0);
    CHECK_NEAR(sum[1], 0.5, 0);
    CHECK_NEAR(sum[2], 6, 0);
    CHECK_EQ_INT(cnt[0], 2);
    CHECK_EQ_INT(cnt[1], 1);
    CHECK_EQ_INT(cnt[2], 3);
    CHECK_EQ_INT(cs_stats_group_sums(x, g, 6, 2, sum, NULL, NULL), CS_EINVAL);
    cs_error err = {0};
    CHECK_EQ_INT(cs_stats_group_sums(x, g, 6, 2, sum, cnt, &err), CS_EINVAL);
    CHECK_EQ_INT(err.code, CS_EINVAL);
    CHECK_NEAR(sum[0], 0, 0); /* nothing summed */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* cs_stats_sort (a radix sort from 4096 values) against qsort: the same
 * values in the same order, on many sizes and mixes of sign, magnitude,
 * ties and zeros of both signs. */
static void test_sort(void)
{
    static const size_t sizes[] = {0, 1, 2, 100, 4095, 4096, 5000, 100000};
    uint64_t state = 12345;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int mix = 0; mix < 4; mix++) {
            size_t n = sizes[si];
            double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
            for (size_t i = 0; i < n; i++) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                double u = (double)(state >> 11) / 9007199254740992.0; /* [0, 1) */
                double x = mix == 0   ? u * 1000                         /* positive */
                           : mix == 1 ? (u - 0.5) * 1e6                  /* both signs */
                           : mix == 2 ? floor(u * 7) - 3                 /* ties, zeros */
                                      : (u - 0.5) * pow(10, (int)(u * 600) - 300); /* magnitudes */
                if (mix == 2 && x == 0 && (state & 1))
                    x = -0.0;
                a[i] = b[i] = x;
            }
            cs_stats_sort(a, n);
            qsort(b, n, sizeof *b, cmp_double);
            int same = 1;
            for (size_t i = 0; i < n; i++)
                same &= a[i] == b[i];
            CHECK(same);
            free(a), free(b);
        }
}

/* cs_stats_order against the definition: positions by value (ascending or
 * descending), equal values by position; on the same mixes as test_sort. */
static void test_order(void)
{
    static const size_t sizes[] = {0, 1, 2, 100, 4095, 4096, 5000, 100000};
    uint64_t state = 987;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int mix = 0; mix < 4; mix++)
            for (int desc = 0; desc < 2; desc++) {
                size_t n = sizes[si];
                double *v = malloc((n + 1) * sizeof *v);
                size_t *o = malloc((n + 1) * sizeof *o);
                char *seen = calloc(n + 1, 1);
                for (size_t i = 0; i < n; i++) {
                    state = state * 6364136223846793005ull + 1442695040888963407ull;
                    double u = (double)(state >> 11) / 9007199254740992.0;
                    v[i] = mix == 0   ? u * 1000
                           : mix == 1 ? (u - 0.5) * 1e6
                           : mix == 2 ? floor(u * 7) - 3
                                      : (u - 0.5) * pow(10, (int)(u * 600) - 300);
                    if (mix == 2 && v[i] == 0 && (state & 1))
                        v[i] = -0.0;
                }
                cs_stats_order(v, n, desc, o);
                int ok = 1;
                for (size_t j = 0; j < n; j++) {
                    ok &= o[j] < n && !seen[o[j]];
                    if (o[j] < n)
                        seen[o[j]] = 1;
                    if (ok && j > 0) {
                        double a = v[o[j - 1]], b = v[o[j]];
                        ok &= desc ? a >= b : a <= b;
                        if (a == b)
                            ok &= o[j - 1] < o[j];
                    }
                }
                CHECK(ok);
                free(v), free(o), free(seen);
            }
}

int main(void)
{
    test_sort();
    test_order();
    test_quantiles();
    test_cuts();
    test_cuts_random();
    test_median_mean();
    test_sums();
    return test_result("stats");
}
