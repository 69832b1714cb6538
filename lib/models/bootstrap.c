/* Bootstrap intervals for predictions. */
#include "models/family.h"
#include "util/internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* type 7 quantile (R's default) of sorted v[0..n) */
static double quantile(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

static int refit(int kind, const cs_obs *obs, const double *monetary, const double *w, size_t n,
                 const cs_model *from, int threads, cs_model *out)
{
    cs_dataset *d = csi_model_dataset(csi_family(kind), obs, monetary, w, n, NULL);
    if (!d)
        return CS_ENOMEM;
    cs_fit_options fo = {.l2 = from->l2, .start = from->param, .threads = threads};
    int rc = cs_model_fit(kind, d, &fo, out, NULL);
    cs_dataset_free(d);
    if (rc == CS_OK && out->kind != kind)
        rc = CS_ENOCONV; /* the replicate fell on the boundary */
    out->unit = from->unit;
    return rc;
}

int cs_model_bootstrap(const cs_model *m, const cs_obs *obs, const double *monetary, size_t n,
                       const cs_predict_options *po, int replicates, unsigned long seed,
                       double level, double *lo, double *hi, int *failed, cs_error *err)
{
    cs_boot_options bo = {.replicates = replicates, .seed = seed, .level = level};
    return cs_model_bootstrap_run(m, obs, monetary, n, po, &bo, lo, hi, failed, err);
}

int cs_model_bootstrap_run(const cs_model *m, const cs_obs *obs, const double *monetary,
                           size_t n, const cs_predict_options *po, const cs_boot_options *bo,
                           double *lo, double *hi, int *failed, cs_error *err)
{
    int replicates = bo->replicates;
    unsigned long seed = bo->seed;
    double level = bo->level;
    *failed = 0;
    if (replicates < 2 || !(level > 0 && level < 1))
        return csi_fail(err, CS_EINVAL, "the bootstrap needs at least 2 replicates and a level "
                                        "between 0 and 1");
    if ((double)replicates * (double)n > 5e7)
        return csi_fail(err, CS_EINVAL,
                        "%d replicates for %zu customers is more than this bootstrap holds "
                        "(5e7 values): use fewer replicates or a sample of customers",
                        replicates, n);
    const cs_model *gg = po->spend;
    double *vals = malloc((size_t)replicates * n * 3 * sizeof *vals);
    double *w = malloc((n + 1) * sizeof *w);
    cs_prediction *pr = malloc((n + 1) * sizeof *pr);
    unsigned int *cnt = malloc((n + 1) * sizeof *cnt);
    double *p = malloc((n + 1) * sizeof *p);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = CS_OK, good = 0;
    if (!vals || !w || !pr || !cnt || !p || !rng) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++)
        p[i] = 1;
    for (int b = 0; b < replicates; b++) {
        if (b > 0 && bo->progress)
            bo->progress(bo->progress_ctx, b, replicates);
        gsl_ran_multinomial(rng, n, (unsigned int)n, p, cnt);
        for (size_t i = 0; i < n; i++)
            w[i] = cnt[i];
        cs_model mb, gb;
        if (refit(m->kind, obs, monetary, w, n, m, po->threads, &mb) != CS_OK) {
            (*failed)++;
            continue;
        }
        cs_predict_options pb = *po;
        if (gg) {
            if (refit(gg->kind, obs, monetary, w, n, gg, po->threads, &gb) != CS_OK ||
                !(gb.param[1] > 1)) {
                (*failed)++;
                continue;
            }
            pb.spend = &gb;
        }
        pb.dert_rate = 0;
        cs_model_predict(&mb, obs, monetary, n, &pb, pr);
        for (size_t i = 0; i < n; i++) {
            double *v = &vals[((size_t)good * n + i) * 3];
            v[0] = pr[i].expected;
            v[1] = pr[i].p_alive;
            v[2] = gg ? pr[i].clv : NAN;
        }
        good++;
    }
    if (bo->progress)
        bo->progress(bo->progress_ctx, replicates, replicates);
    if (*failed * 10 > replicates) {
        rc = csi_fail(err, CS_ENOCONV,
                      "%d of %d bootstrap refits did not converge: the intervals would not be "
                      "honest",
                      *failed, replicates);
        goto out;
    }
    /* per customer and quantity: sort the replicates' values, take the
     * percentiles (NAN values are left out) */
    double *col = malloc(((size_t)good + 1) * sizeof *col);
    if (!col) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            size_t nn = 0;
            for (int b = 0; b < good; b++) {
                double v = vals[((size_t)b * n + i) * 3 + (size_t)k];
                if (isfinite(v))
                    col[nn++] = v;
            }
            qsort(col, nn, sizeof *col, cmp_double);
            lo[3 * i + (size_t)k] = quantile(col, nn, (1 - level) / 2);
            hi[3 * i + (size_t)k] = quantile(col, nn, (1 + level) / 2);
        }
    free(col);
out:
    gsl_rng_free(rng);
    free(vals);
    free(w);
    free(pr);
    free(cnt);
    free(p);
    return rc;
}
