/* Customers drawn from the models' generative stories. */
#include "models/family.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

int cs_simulate(const cs_sim_options *o, cs_sim_txn_fn txn, cs_sim_customer_fn cust, void *ctx,
                cs_error *err)
{
    int k = o->kind;
    if (k != CS_MODEL_BGNBD && k != CS_MODEL_PNBD && k != CS_MODEL_MBGNBD && k != CS_MODEL_NBD)
        return csi_fail(err, CS_EINVAL,
                        "simulation is for the purchase models bgnbd, pnbd, mbgnbd and nbd");
    int np = cs_model_nparams(k);
    for (int j = 0; j < np; j++)
        if (!(o->param[j] > 0) || !isfinite(o->param[j]))
            return csi_fail(err, CS_EINVAL, "parameter %s must be a positive number",
                            cs_model_param_name(k, j));
    if (o->spend)
        for (int j = 0; j < 3; j++)
            if (!(o->spend_param[j] > 0))
                return csi_fail(err, CS_EINVAL, "spend parameters must be positive");
    if (o->customers < 1)
        return csi_fail(err, CS_EINVAL, "the number of customers must be at least 1");
    if (o->acquisition_end < o->start || o->end < o->acquisition_end)
        return csi_fail(err, CS_EINVAL,
                        "dates must be in order: start <= acquisition end <= end");
    int64_t num, den;
    cs_unit_days(o->unit, &num, &den);
    const double days_per_unit = (double)num / (double)den;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    gsl_rng_set(rng, o->seed);
    const double r = o->param[0], al = o->param[1];
    const long span = o->acquisition_end - o->start + 1;
    int rc = CS_OK;
    for (long c = 0; c < o->customers && rc == CS_OK; c++) {
        cs_day d0 = o->start + (cs_day)gsl_rng_uniform_int(rng, (unsigned long)span);
        double T = (o->end - d0) / days_per_unit;
        double lambda = gsl_ran_gamma(rng, r, 1.0 / al); /* shape r, rate alpha */
        double p = 0, life = INFINITY;
        if (k == CS_MODEL_BGNBD || k == CS_MODEL_MBGNBD)
            p = gsl_ran_beta(rng, o->param[2], o->param[3]);
        else if (k == CS_MODEL_PNBD)
            life = gsl_ran_exponential(rng, 1.0 / gsl_ran_gamma(rng, o->param[2],
                                                                1.0 / o->param[3]));
        double nu = o->spend ? gsl_ran_gamma(rng, o->spend_param[1], 1.0 / o->spend_param[2])
                             : 0;
#define VALUE() (o->spend ? gsl_ran_gamma(rng, o->spend_param[0], 1.0 / nu) : 0.0)
        if (txn)
            rc = txn(ctx, c, d0, VALUE());
        /* MBG/NBD: the customer may drop out right after the first purchase */
        int alive = !(k == CS_MODEL_MBGNBD && gsl_rng_uniform(rng) < p);
        double t = 0, tx = 0, x = 0, sum = 0;
        double end = life < T ? life : T;
        while (alive && rc == CS_OK) {
            t += gsl_ran_exponential(rng, 1.0 / lambda);
            if (t > end)
                break;
            x++;
            tx = t;
            double v = VALUE();
            sum += v;
            if (txn)
                rc = txn(ctx, c, d0 + (cs_day)floor(t * days_per_unit), v);
            if ((k == CS_MODEL_BGNBD || k == CS_MODEL_MBGNBD) && gsl_rng_uniform(rng) < p)
                alive = 0;
        }
#undef VALUE
        if (cust && rc == CS_OK)
            rc = cust(ctx, c, x, tx, T, x > 0 ? sum / x : 0);
    }
    gsl_rng_free(rng);
    return rc;
}
