/* NBD: purchases at rate lambda ~ Gamma(r, alpha), no drop-out (Ehrenberg;
 * Morrison & Schmittlein 1988). The limit of BG/NBD, MBG/NBD and Pareto/NBD
 * when the data show no drop-out: the fit reports it then. */
#include "models/family.h"
#include "util/internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>

static double ll(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], x = o->x;
    double v = gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) - (r + x) * log(al + o->T);
    return isfinite(v) ? v : -INFINITY;
}

static double ll_grad(const double *p, const cs_obs *o, double *g)
{
    double r = p[0], al = p[1], x = o->x;
    g[0] = gsl_sf_psi(r + x) - gsl_sf_psi(r) + log(al) - log(al + o->T);
    g[1] = r / al - (r + x) / (al + o->T);
    return ll(p, o);
}

static double ll_sum(const double *p, const cs_dataset *d, size_t from, size_t to, double *g)
{
    const double r = p[0], al = p[1], lnr = gsl_sf_lngamma(r), lal = log(al), psr = gsl_sf_psi(r);
    double s = 0, g0 = 0, g1 = 0, cx = 0, dr = 0, xcur = -1;
    for (size_t i = from; i < to; i++) {
        const cs_obs *o = &d->obs[i];
        const double w = d->w[i], x = o->x, LA = log(al + o->T);
        if (x != xcur) {
            xcur = x;
            cx = gsl_sf_lngamma(r + x) - lnr + r * lal;
            if (g)
                dr = gsl_sf_psi(r + x) - psr + lal;
        }
        s += w * (cx - (r + x) * LA);
        if (g) {
            g0 += w * (dr - LA);
            g1 += w * (r / al - (r + x) / (al + o->T));
        }
    }
    if (g)
        g[0] += g0, g[1] += g1;
    return isfinite(s) ? s : -INFINITY;
}

static double p_alive(const double *p, const cs_obs *o)
{
    (void)p;
    (void)o;
    return 1;
}

static double p_alive_at(const double *p, const cs_obs *o, double h)
{
    (void)p;
    (void)o;
    (void)h;
    return 1;
}

static double expected(const double *p, const cs_obs *o, double t)
{
    return (p[0] + o->x) / (p[1] + o->T) * t;
}

static double expected_new(const double *p, double t)
{
    return p[0] / p[1] * t;
}

static double pmf_new(const double *p, double t, int k)
{
    double r = p[0], al = p[1];
    if (k < 0)
        return 0;
    return exp(gsl_sf_lngamma(r + k) - gsl_sf_lngamma(r) - gsl_sf_lnfact((unsigned)k) +
               r * log(al / (al + t)) + (k ? k * log(t / (al + t)) : 0));
}

static double dert(const double *p, const cs_obs *o, double delta)
{
    return delta > 0 ? (p[0] + o->x) / (p[1] + o->T) / delta : NAN;
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    (void)d;
    st[0][0] = 1, st[0][1] = 1;
    st[1][0] = 0.3, st[1][1] = 10;
    return 2;
}

double csi_nbd_quiet(const double *p, const cs_obs *o, double t)
{
    double rp = p[0] + o->x, ap = p[1] + o->T;
    return exp(-rp * log1p(t / ap));
}

static double p_no_purchase(const double *p, const cs_obs *o, double t, double pa)
{
    (void)pa; /* alive for ever */
    return csi_nbd_quiet(p, o, t);
}

int csi_check_recency(const cs_obs *o, cs_error *err)
{
    if (o->tx < 0 || o->tx > o->T + 1e-9)
        return csi_fail(err, CS_EINVAL, "a customer has t_x %g outside [0, T = %g]", o->tx,
                        o->T);
    return CS_OK;
}

void csi_sim_nbd(const double *p, gsl_rng *rng, struct csi_sim *s)
{
    s->lambda = gsl_ran_gamma(rng, p[0], 1.0 / p[1]); /* shape r, rate alpha */
    s->p = 0;
    s->life = INFINITY;
}

double csi_coin_p_no_purchase(const double *p, const cs_obs *o, double t, double pa)
{
    /* drop-out only comes with a purchase: alive and quiet, or gone */
    return isfinite(pa) ? (1 - pa) + pa * csi_nbd_quiet(p, o, t) : NAN;
}

void csi_sim_coin(const double *p, gsl_rng *rng, struct csi_sim *s)
{
    csi_sim_nbd(p, rng, s);
    s->p = gsl_ran_beta(rng, p[2], p[3]);
}

const struct csi_family csi_family_nbd = {
    .kind = CS_MODEL_NBD,
    .name = "nbd",
    .title = "NBD",
    .role = CS_ROLE_PURCHASE,
    .caps = CS_CAP_TIME_UNIT | CS_CAP_SIMULATE | CS_CAP_LIMIT_ONLY | CS_CAP_NO_PURCHASE,
    .file = CSI_FILE_UNIT,
    .check = csi_check_recency,
    .np = 2,
    .pnames = {"r", "alpha"},
    .ll = ll,
    .ll_grad = ll_grad,
    .ll_sum = ll_sum,
    .p_alive = p_alive,
    .p_alive_at = p_alive_at,
    .expected = expected,
    .expected_new = expected_new,
    .pmf_new = pmf_new,
    .dert = dert,
    .p_no_purchase = p_no_purchase,
    .starts = starts,
    .sim_draw = csi_sim_nbd,
};
