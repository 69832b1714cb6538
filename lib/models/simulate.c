/* Customers drawn from the models' generative stories. */
#include "models/family.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

int cs_simulate(const cs_sim_options *o, cs_sim_txn_fn txn, cs_sim_customer_fn cust, void *ctx,
                cs_error *err)
{
    int k = o->kind;
    const struct csi_family *f = csi_family(k);
    if (!f || !(f->caps & CS_CAP_SIMULATE) || !f->sim_draw) {
        char names[128];
        cs_model_list(~0u, CS_CAP_SIMULATE, 0, " and ", names, sizeof names);
        return csi_fail(err, CS_EINVAL, "simulation is for the purchase models %s", names);
    }
    for (int j = 0; j < f->np; j++)
        if (!(o->param[j] > 0) || !isfinite(o->param[j]))
            return csi_fail(err, CS_EINVAL, "parameter %s must be a positive number",
                            cs_model_param_name(k, j));
    if (o->spend)
        for (int j = 0; j < 3; j++)
            if (!(o->spend_param[j] > 0))
                return csi_fail(err, CS_EINVAL, "spend parameters must be positive");
    if (o->customers < 1)
        return csi_fail(err, CS_EINVAL, "the number of customers must be at least 1");
    if (!(o->returns >= 0 && o->returns <= 1) || !(o->same_day >= 0 && o->same_day <= 1))
        return csi_fail(err, CS_EINVAL, "the shares of returns and same-day records must lie "
                                        "between 0 and 1");
    if (o->acquisition_end < o->start || o->end < o->acquisition_end)
        return csi_fail(err, CS_EINVAL,
                        "dates must be in order: start <= acquisition end <= end");
    int64_t num, den;
    cs_unit_days(o->unit, &num, &den);
    const double days_per_unit = (double)num / (double)den;
    /* Purchases a customer acquired at --start expects by --end: the model's
     * E[X(t)] for a new customer (+1, the first), or where that cannot be
     * computed the bound without drop-out, r/alpha t. Beyond the limit the
     * output would run to gigabytes and the run to hours: refused. */
    const char *unit = cs_unit_suffix(o->unit); /* "weeks" */
    const double horizon = (o->end - o->start) / days_per_unit;
    double expect = f->expected_new ? f->expected_new(o->param, horizon) : NAN;
    int bound = !isfinite(expect);
    if (bound)
        expect = o->param[0] / o->param[1] * horizon;
    if (!(expect + 1 <= CS_SIM_MAX_EXPECTED))
        return csi_fail(err, CS_EINVAL,
                        "the parameters make a customer expect %.3g purchases over the %.4g "
                        "%s from start to end%s: at most %d are simulated (is the purchase "
                        "rate in the right time unit?)",
                        expect + 1, horizon, unit,
                        bound ? " (r/alpha x time, without drop-out)" : "", CS_SIM_MAX_EXPECTED);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    gsl_rng_set(rng, o->seed);
    const long span = o->acquisition_end - o->start + 1;
    int rc = CS_OK;
    if (o->progress)
        o->progress(o->progress_ctx, 0, o->customers);
    for (long c = 0; c < o->customers && rc == CS_OK; c++) {
        if (o->progress && c > 0 && c % CS_SIM_PROGRESS_EVERY == 0)
            o->progress(o->progress_ctx, c, o->customers);
        cs_day d0 = o->start + (cs_day)gsl_rng_uniform_int(rng, (unsigned long)span);
        double T = (o->end - d0) / days_per_unit;
        struct csi_sim cs;
        f->sim_draw(o->param, rng, &cs);
        double nu = o->spend ? gsl_ran_gamma(rng, o->spend_param[1], 1.0 / o->spend_param[2])
                             : 0;
#define VALUE() (o->spend ? gsl_ran_gamma(rng, o->spend_param[0], 1.0 / nu) : 0.0)
        /* The extras of a real log, drawn only when asked for so that plain
         * runs keep their random stream: a second order on the same day, and
         * a return of part or all of a purchase within the next 30 days
         * (written at once: the customer's records then come out of date
         * order, as they do in real logs). */
#define EXTRAS(day, v)                                                                   \
    do {                                                                                 \
        if (txn && rc == CS_OK && o->same_day > 0 && gsl_rng_uniform(rng) < o->same_day) \
            rc = txn(ctx, c, (day), VALUE());                                            \
        if (txn && rc == CS_OK && o->returns > 0 && gsl_rng_uniform(rng) < o->returns) { \
            cs_day rd = (day) + 1 + (cs_day)gsl_rng_uniform_int(rng, 30);                \
            double share = gsl_rng_uniform(rng) < 0.5 ? 1.0 : gsl_rng_uniform(rng);       \
            if (rd <= o->end)                                                            \
                rc = txn(ctx, c, rd, -share * (v));                                      \
        }                                                                                \
    } while (0)
        double v0 = VALUE();
        if (txn)
            rc = txn(ctx, c, d0, v0);
        EXTRAS(d0, v0);
        /* MBG/NBD: the customer may drop out right after the first purchase */
        int alive = !(f->sim_leaves && f->sim_leaves(&cs, rng, 0));
        double t = 0, tx = 0, x = 0, sum = 0;
        double end = cs.life < T ? cs.life : T;
        while (alive && rc == CS_OK) {
            t += gsl_ran_exponential(rng, 1.0 / cs.lambda);
            if (!(t <= end)) /* NAN too: a rate of 0 or infinity */
                break;
            if (x >= CS_SIM_MAX_PURCHASES) {
                rc = csi_fail(err, CS_EINVAL,
                              "customer %ld drew a purchase rate of %.3g per %.*s and would "
                              "make more than %d purchases: the parameters are too extreme "
                              "to simulate",
                              c + 1, cs.lambda, (int)strlen(unit) - 1, unit, CS_SIM_MAX_PURCHASES);
                break;
            }
            x++;
            tx = t;
            double v = VALUE();
            sum += v;
            if (txn) {
                cs_day day = d0 + (cs_day)floor(t * days_per_unit);
                rc = txn(ctx, c, day, v);
                EXTRAS(day, v);
            }
            if (f->sim_leaves && f->sim_leaves(&cs, rng, 1))
                alive = 0;
        }
#undef VALUE
#undef EXTRAS
        if (cust && rc == CS_OK)
            rc = cust(ctx, c, x, tx, T, x > 0 ? sum / x : 0);
    }
    gsl_rng_free(rng);
    if (rc == CS_OK && o->progress)
        o->progress(o->progress_ctx, o->customers, o->customers);
    return rc;
}
