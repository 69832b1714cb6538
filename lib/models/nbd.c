/* NBD: purchases at rate lambda ~ Gamma(r, alpha), no drop-out (Ehrenberg;
 * Morrison & Schmittlein 1988). The limit of BG/NBD, MBG/NBD and Pareto/NBD
 * when the data show no drop-out: the fit reports it then. */
#include "models/family.h"

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

const struct csi_family csi_family_nbd = {
    .kind = CS_MODEL_NBD,
    .name = "nbd",
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
    .starts = starts,
};
