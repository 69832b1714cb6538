/* Gamma-Gamma spend: Fader, Hardie & Lee (2005, JMR) and Fader & Hardie
 * (2013), "The Gamma-Gamma model of monetary value". A customer's
 * transaction values are Gamma(p, nu) with nu ~ Gamma(q, gamma); the data
 * are x repeat transactions and their mean m (in cs_obs.tx). */
#include "models/family.h"
#include "util/internal.h"

#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>

/* the density of the mean m of x values (x > 0, m > 0) */
static double ll(const double *p, const cs_obs *o)
{
    double pp = p[0], q = p[1], g = p[2], x = o->x, m = o->tx;
    if (!(x > 0) || !(m > 0))
        return -INFINITY;
    double v = gsl_sf_lngamma(pp * x + q) - gsl_sf_lngamma(pp * x) - gsl_sf_lngamma(q) +
               q * log(g) + (pp * x - 1) * log(m) + pp * x * log(x) -
               (pp * x + q) * log(g + m * x);
    return isfinite(v) ? v : -INFINITY;
}

static double ll_grad(const double *p, const cs_obs *o, double *gr)
{
    double pp = p[0], q = p[1], g = p[2], x = o->x, m = o->tx;
    if (!(x > 0) || !(m > 0)) {
        gr[0] = gr[1] = gr[2] = 0;
        return -INFINITY;
    }
    double ps = gsl_sf_psi(pp * x + q), lgm = log(g + m * x);
    gr[0] = x * (ps - gsl_sf_psi(pp * x) + log(m) + log(x) - lgm);
    gr[1] = ps - gsl_sf_psi(q) + log(g) - lgm;
    gr[2] = q / g - (pp * x + q) / (g + m * x);
    return ll(p, o);
}

/* The sum with the gamma functions of px + q and px computed once per x. */
static double ll_sum(const double *p, const cs_dataset *d, size_t from, size_t to, double *gr)
{
    const double pp = p[0], q = p[1], g = p[2], lng_q = gsl_sf_lngamma(q), lg = log(g);
    const double psq = gsl_sf_psi(q);
    double s = 0, g0 = 0, g1 = 0, g2 = 0, cx = 0, ps = 0, psx = 0, lx = 0, xcur = -1;
    for (size_t i = from; i < to; i++) {
        const cs_obs *o = &d->obs[i];
        const double w = d->w[i], x = o->x, m = o->tx;
        if (!(x > 0) || !(m > 0))
            return -INFINITY;
        if (x != xcur) {
            xcur = x;
            lx = log(x);
            cx = gsl_sf_lngamma(pp * x + q) - gsl_sf_lngamma(pp * x) - lng_q + q * lg +
                 pp * x * lx;
            if (gr) {
                ps = gsl_sf_psi(pp * x + q);
                psx = gsl_sf_psi(pp * x);
            }
        }
        const double lm = log(m), lgm = log(g + m * x);
        s += w * (cx + (pp * x - 1) * lm - (pp * x + q) * lgm);
        if (gr) {
            g0 += w * x * (ps - psx + lm + lx - lgm);
            g1 += w * (ps - psq + lg - lgm);
            g2 += w * (q / g - (pp * x + q) / (g + m * x));
        }
    }
    if (gr)
        gr[0] += g0, gr[1] += g1, gr[2] += g2;
    return isfinite(s) ? s : -INFINITY;
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    double sm = 0, sw = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->obs[i].x > 0) {
            sm += d->w[i] * d->obs[i].tx;
            sw += d->w[i];
        }
    double mean = sw > 0 ? sm / sw : 1;
    const double s[][3] = {{1, 1, 1}, {2, 3, mean}, {6, 4, 2 * mean}, {1, 2, mean / 2}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++)
            st[i][j] = s[i][j];
    return 4;
}

static int check(const cs_obs *o, cs_error *err)
{
    if (o->x > 0 && !(o->tx > 0))
        return csi_fail(err, CS_EINVAL,
                        "the Gamma-Gamma model needs positive mean values, and a repeat buyer "
                        "has mean value %g (returns or free orders?)",
                        o->tx);
    return CS_OK;
}

const struct csi_family csi_family_gg = {
    .kind = CS_MODEL_GG,
    .name = "gg",
    .title = "Gamma-Gamma",
    .aliases = {"gammagamma", "gamma-gamma"},
    .role = CS_ROLE_SPEND,
    .caps = CS_CAP_REPEAT_ONLY | CS_CAP_MONETARY,
    .file = CSI_FILE_NONE,
    .check = check,
    .no_repeat_msg = "no repeat buyers: the Gamma-Gamma model is fitted on customers with "
                     "frequency > 0",
    .np = 3,
    .pnames = {"p", "q", "gamma"},
    .ll = ll,
    .ll_grad = ll_grad,
    .ll_sum = ll_sum,
    .starts = starts,
};

double cs_model_spend(const cs_model *gg, double x, double mean_value)
{
    double p = gg->param[0], q = gg->param[1], g = gg->param[2];
    if (cs_model_role(gg->kind) != CS_ROLE_SPEND || !(q > 1))
        return NAN;
    if (!(x > 0))
        return p * g / (q - 1);
    return (g + mean_value * x) * p / (p * x + q - 1);
}
