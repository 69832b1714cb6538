/* BG/BB: Fader, Hardie & Shang (2010), "Customer-base analysis in a
 * discrete-time noncontractual setting", Marketing Science 29(6). In each
 * of n opportunities after the first purchase an alive customer transacts
 * with probability p ~ Beta(alpha, beta); at the start of each of them (the
 * first included) the customer dies with probability theta ~ Beta(gamma,
 * delta). Data: x
 * transactions, the last at opportunity t_x (0 if none), n opportunities. */
#include "models/family.h"
#include "util/internal.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>

/* log B(a+x, b+n-x)/B(a, b) + log B(g, d+m)/B(g, d): alive through m */
static double l_alive(const double *p, double x, double n, double m)
{
    return gsl_sf_lnbeta(p[0] + x, p[1] + n - x) - gsl_sf_lnbeta(p[0], p[1]) +
           gsl_sf_lnbeta(p[2], p[3] + m) - gsl_sf_lnbeta(p[2], p[3]);
}

/* the likelihood (FHS eq. 5): alive through n, or died after t_x + i */
static double ll(const double *p, const cs_obs *o)
{
    double x = o->x, tx = o->tx, n = o->T;
    double a = p[0], b = p[1], g = p[2], d = p[3];
    double lab = gsl_sf_lnbeta(a, b), lgd = gsl_sf_lnbeta(g, d);
    double s = l_alive(p, x, n, n);
    for (double i = 0; i <= n - tx - 1; i++)
        s = csi_logadd(s, gsl_sf_lnbeta(a + x, b + tx - x + i) - lab +
                              gsl_sf_lnbeta(g + 1, d + tx + i) - lgd);
    return isfinite(s) ? s : -INFINITY;
}

/* P(alive at opportunity n + h) given the history (h = 1: FHS eq. 11) */
static double p_alive_at(const double *p, const cs_obs *o, double h)
{
    double v = exp(l_alive(p, o->x, o->T, o->T + h) - ll(p, o));
    return isfinite(v) ? (v > 1 ? 1 : v) : NAN;
}

static double p_alive(const double *p, const cs_obs *o)
{
    return p_alive_at(p, o, 1);
}

/* E[transactions in the next t opportunities | x, t_x, n] (FHS eq. 13) */
static double expected(const double *p, const cs_obs *o, double t)
{
    double a = p[0], b = p[1], g = p[2], d = p[3], x = o->x, n = o->T;
    if (t <= 0)
        return 0;
    if (fabs(g - 1) < 1e-9)
        return NAN;
    double l1 = gsl_sf_lngamma(1 + d + n) - gsl_sf_lngamma(g + d + n);
    double l2 = gsl_sf_lngamma(1 + d + n + t) - gsl_sf_lngamma(g + d + n + t);
    /* Γ(1+δ+n)/Γ(γ+δ+n) - Γ(1+δ+n+t)/Γ(γ+δ+n+t): same sign as γ - 1 */
    double diff = g > 1 ? exp(csi_logsub(l1, l2)) : -exp(csi_logsub(l2, l1));
    double v = exp(gsl_sf_lnbeta(a + x + 1, b + n - x) - gsl_sf_lnbeta(a, b) + log(d) -
                   log(fabs(g - 1)) + gsl_sf_lngamma(g + d) - gsl_sf_lngamma(1 + d) -
                   ll(p, o)) *
               (g > 1 ? 1 : -1) * diff;
    return isfinite(v) && v >= 0 ? v : NAN;
}

/* E[X(n)] for a new customer over n opportunities (FHS eq. 9) */
static double expected_new(const double *p, double t)
{
    double a = p[0], b = p[1], g = p[2], d = p[3];
    if (t <= 0)
        return 0;
    if (fabs(g - 1) < 1e-9)
        return NAN;
    double r = exp(gsl_sf_lngamma(g + d) + gsl_sf_lngamma(1 + d + t) -
                   gsl_sf_lngamma(g + d + t) - gsl_sf_lngamma(1 + d));
    double v = a / (a + b) * d / (g - 1) * (1 - r);
    return isfinite(v) && v >= 0 ? v : NAN;
}

/* P(X(n) = x) for a new customer (FHS eq. 8) */
static double pmf_new(const double *p, double t, int k)
{
    double a = p[0], b = p[1], g = p[2], d = p[3], n = floor(t), x = k;
    if (k < 0 || x > n)
        return 0;
    double lab = gsl_sf_lnbeta(a, b), lgd = gsl_sf_lnbeta(g, d);
    double lchoose = gsl_sf_lnchoose((unsigned)n, (unsigned)k);
    double s = lchoose + gsl_sf_lnbeta(a + x, b + n - x) - lab + gsl_sf_lnbeta(g, d + n) - lgd;
    for (double i = x; i <= n - 1; i++)
        s = csi_logadd(s, gsl_sf_lnchoose((unsigned)i, (unsigned)k) +
                              gsl_sf_lnbeta(a + x, b + i - x) - lab + gsl_sf_lnbeta(g + 1, d + i) -
                              lgd);
    double v = exp(s);
    return isfinite(v) ? v : NAN;
}

/* Discounted expected residual transactions at a discount rate delta per
 * period (FHS eq. 14), with 2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d)). */
static double dert(const double *p, const cs_obs *o, double delta)
{
    double a = p[0], b = p[1], g = p[2], d = p[3], x = o->x, n = o->T;
    if (!(delta > 0))
        return NAN;
    int sg;
    double lf = csi_log_hyp2f1(1, d + n + 1, g + d + n + 1, 1 / (1 + delta), &sg);
    if (!isfinite(lf) || sg < 0)
        return NAN;
    double v = exp(gsl_sf_lnbeta(a + x + 1, b + n - x) - gsl_sf_lnbeta(a, b) +
                   gsl_sf_lnbeta(g, d + n + 1) - gsl_sf_lnbeta(g, d) - log1p(delta) + lf -
                   ll(p, o));
    return isfinite(v) ? v : NAN;
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    (void)d;
    const double s[][4] = {{1, 1, 1, 1}, {0.5, 0.5, 0.5, 2}, {2, 1, 1, 3}, {1, 2, 0.5, 5}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            st[i][j] = s[i][j];
    return 4;
}

static int check(const cs_obs *o, cs_error *err)
{
    if (o->x != floor(o->x) || o->tx != floor(o->tx) || o->T != floor(o->T) || o->x > o->tx ||
        o->tx > o->T || (o->x > 0) != (o->tx > 0))
        return csi_fail(err, CS_EINVAL,
                        "BG/BB data need whole numbers with x <= t_x <= n (t_x = 0 when x = 0); "
                        "found x = %g, t_x = %g, n = %g",
                        o->x, o->tx, o->T);
    return CS_OK;
}

const struct csi_family csi_family_bgbb = {
    .kind = CS_MODEL_BGBB,
    .name = "bgbb",
    .title = "BG/BB",
    .aliases = {"bg-bb"},
    .role = CS_ROLE_PURCHASE,
    .caps = CS_CAP_DROPOUT | CS_CAP_DISCRETE | CS_CAP_PATTERNS,
    .file = CSI_FILE_PERIOD,
    .table_msg = "BG/BB needs a pattern table (frequency, t_x, periods[, weights])",
    .check = check,
    .np = 4,
    .pnames = {"alpha", "beta", "gamma", "delta"},
    .ll = ll,
    .p_alive = p_alive,
    .p_alive_at = p_alive_at,
    .expected = expected,
    .expected_new = expected_new,
    .pmf_new = pmf_new,
    .dert = dert,
    .starts = starts,
};
