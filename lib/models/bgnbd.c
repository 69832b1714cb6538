/* BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy
 * way", Marketing Science 24(2). Purchases at rate lambda ~ Gamma(r, alpha)
 * while alive; after each purchase the customer drops out with probability
 * p ~ Beta(a, b). */
#include "models/family.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>

/* log of the dropout term a/(b+x-1) (alpha+tx)^-(r+x), x > 0 */
static double ll_parts(const double *p, const cs_obs *o, double *la, double *lb)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    *la = -(r + x) * log(al + o->T);
    *lb = x > 0 ? log(a) - log(b + x - 1) - (r + x) * log(al + o->tx) : -INFINITY;
    return gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) + gsl_sf_lnbeta(a, b + x) -
           gsl_sf_lnbeta(a, b);
}

static double ll(const double *p, const cs_obs *o)
{
    double la, lb;
    double c = ll_parts(p, o, &la, &lb);
    double v = c + csi_logadd(la, lb);
    return isfinite(v) ? v : -INFINITY;
}

static double ll_grad(const double *p, const cs_obs *o, double *g)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x, T = o->T, tx = o->tx;
    double la, lb;
    double c = ll_parts(p, o, &la, &lb);
    double e = csi_logadd(la, lb);
    double wa = exp(la - e), wb = x > 0 ? exp(lb - e) : 0;
    g[0] = gsl_sf_psi(r + x) - gsl_sf_psi(r) + log(al) - wa * log(al + T) -
           (x > 0 ? wb * log(al + tx) : 0);
    g[1] = r / al - wa * (r + x) / (al + T) - (x > 0 ? wb * (r + x) / (al + tx) : 0);
    double psab = gsl_sf_psi(a + b), psabx = gsl_sf_psi(a + b + x);
    g[2] = psab - psabx + (x > 0 ? wb / a : 0);
    g[3] = gsl_sf_psi(b + x) - psabx - gsl_sf_psi(b) + psab - (x > 0 ? wb / (b + x - 1) : 0);
    double v = c + e;
    return isfinite(v) ? v : -INFINITY;
}

/* The sum over patterns, with the terms in x alone (gamma and beta
 * functions, digammas) computed once per distinct x: per pattern only two
 * logarithms and a log-sum-exp remain. */
static double ll_sum(const double *p, const cs_dataset *d, size_t from, size_t to, double *g)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    const double lnr = gsl_sf_lngamma(r), lnab = gsl_sf_lnbeta(a, b), lal = log(al), la_ = log(a);
    const double psr = gsl_sf_psi(r), psab = gsl_sf_psi(a + b), psb = gsl_sf_psi(b);
    double s = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    double cx = 0, lbc = 0, dr = 0, da = 0, db = 0, inv_bx1 = 0;
    double xcur = -1;
    for (size_t i = from; i < to; i++) {
        const cs_obs *o = &d->obs[i];
        const double w = d->w[i], x = o->x;
        if (x != xcur) {
            xcur = x;
            cx = gsl_sf_lngamma(r + x) - lnr + r * lal + gsl_sf_lnbeta(a, b + x) - lnab;
            lbc = x > 0 ? la_ - log(b + x - 1) : -INFINITY;
            if (g) {
                double psabx = gsl_sf_psi(a + b + x);
                dr = gsl_sf_psi(r + x) - psr + lal;
                da = psab - psabx;
                db = gsl_sf_psi(b + x) - psabx - psb + psab;
                inv_bx1 = x > 0 ? 1 / (b + x - 1) : 0;
            }
        }
        const double LA = log(al + o->T), rx = r + x;
        double lA = -rx * LA, e, wa, wb, LB = 0;
        if (x > 0) {
            LB = log(al + o->tx);
            double lB = lbc - rx * LB;
            /* log-sum-exp of the two terms, and their shares */
            if (lA >= lB) {
                double t = exp(lB - lA);
                e = lA + log1p(t);
                wb = t / (1 + t);
                wa = 1 - wb;
            } else {
                double t = exp(lA - lB);
                e = lB + log1p(t);
                wa = t / (1 + t);
                wb = 1 - wa;
            }
        } else {
            e = lA, wa = 1, wb = 0;
        }
        s += w * (cx + e);
        if (g) {
            g0 += w * (dr - wa * LA - wb * LB);
            g1 += w * (r / al - rx * (wa / (al + o->T) + (x > 0 ? wb / (al + o->tx) : 0)));
            g2 += w * (da + wb / a);
            g3 += w * (db - wb * inv_bx1);
        }
    }
    if (g) {
        g[0] += g0, g[1] += g1, g[2] += g2, g[3] += g3;
    }
    return isfinite(s) ? s : -INFINITY;
}

/* log of a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x): the odds of having dropped out */
static double log_dead_odds(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    if (x <= 0)
        return -INFINITY;
    return log(a) - log(b + x - 1) + (r + x) * (log(al + o->T) - log(al + o->tx));
}

static double p_alive(const double *p, const cs_obs *o)
{
    double lo = log_dead_odds(p, o);
    return lo == -INFINITY ? 1.0 : 1.0 / (1.0 + exp(lo));
}

/* Given alive at T, survival over (T, T+h] is exp(-lambda p h), averaged over
 * lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x). */
static double p_alive_at(const double *p, const cs_obs *o, double h)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    if (h <= 0)
        return p_alive(p, o);
    int sg;
    double lf = csi_log_hyp2f1(r + x, a, a + b + x, -h / (al + o->T), &sg);
    /* where the 2F1 fails (a and b both huge: a narrow peak), the
     * expectation over p by quadrature */
    double f = isfinite(lf) && sg > 0 ? exp(lf) : csi_coin_survival(r + x, h / (al + o->T), a, b + x);
    if (!isfinite(f))
        return NAN;
    double v = p_alive(p, o) * f;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* E[Y(t) | x, t_x, T] = P(alive) E[(1 - e^(-lambda p t)) / p] over the
 * posterior lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x). Fader, Hardie &
 * Lee (2005) eq. (10) gives it in closed form,
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))],
 * which needs a+b+x-1 > 0 (the 2F1's c) and loses digits as a -> 1 (both
 * factors tend to 0 or infinity). Where it does not hold (an interior fit
 * with a + b < 1 has it fail for every one-time buyer, x = 0) or is badly
 * conditioned, the expectation over p is integrated numerically
 * (csi_coin_expected), a route that holds for every a, b > 0. */
#define CLOSED_MIN_A1 1e-2 /* |a - 1| below this: the integral */

/* k (1 - e^lg), the closed forms' shape, or NAN where the difference loses
 * more than three digits (|k| e^lg > 1e3 |result|: a -> 1, or b so large
 * that e^lg is within 1e-3 of 1): the caller integrates then. */
static double well_conditioned(double k, double lg)
{
    double v = k * -expm1(lg);
    return fabs(k) * exp(lg) <= 1e3 * fabs(v) ? v : NAN;
}

static int closed_form_ok(double a, double c)
{
    return fabs(a - 1) >= CLOSED_MIN_A1 && c > 0;
}

static void expected_n(const double *p, const cs_obs *o, const double *ts, int n, double *out)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x, T = o->T;
    double pa = p_alive(p, o), c = a + b + x - 1, lat = log(al + T);
    int closed = closed_form_ok(a, c);
    double k = closed ? c / (a - 1) * pa : 0;
    struct csi_hyp_walk walk = {0}; /* ts rise: CLV periods */
    for (int i = 0; i < n; i++) {
        double t = ts[i], v = NAN;
        if (t <= 0) {
            out[i] = 0;
            continue;
        }
        if (closed) {
            int sg;
            double lf = csi_log_hyp2f1_walk(&walk, r + x, b + x, c, t / (al + T + t), &sg);
            double lg = (r + x) * (lat - log(al + T + t)) + lf;
            if (isfinite(lf) && sg > 0)
                v = well_conditioned(k, lg);
        }
        if (!(isfinite(v) && v >= 0))
            v = pa * csi_coin_expected(r + x, t / (al + T), a, b + x);
        out[i] = isfinite(v) && v >= 0 ? v : NAN;
    }
}

static double expected(const double *p, const cs_obs *o, double t)
{
    double v;
    expected_n(p, o, &t, 1, &v);
    return v;
}

/* E[X(t)] for a new customer, eq. (7) (the same with x = 0, T = 0):
 * (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))], or
 * the integral over p ~ Beta(a, b) where that does not hold. */
static double expected_new(const double *p, double t)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], v = NAN;
    if (t <= 0)
        return 0;
    if (closed_form_ok(a, a + b - 1)) {
        int sg;
        double lf = csi_log_hyp2f1(r, b, a + b - 1, t / (al + t), &sg);
        if (isfinite(lf) && sg > 0)
            v = well_conditioned((a + b - 1) / (a - 1), r * (log(al) - log(al + t)) + lf);
    }
    if (!(isfinite(v) && v >= 0))
        v = csi_coin_expected(r, t / al, a, b);
    return isfinite(v) && v >= 0 ? v : NAN;
}

/* P(X(t) = k) for a new customer, eq. (8). */
static double pmf_new(const double *p, double t, int k)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (k < 0)
        return 0;
    double lq = log(al) - log(al + t), lt = log(t) - log(al + t);
    double lnb = gsl_sf_lnbeta(a, b);
    /* alive throughout: NBD count times P(no dropout after k purchases) */
    double l1 = gsl_sf_lnbeta(a, b + k) - lnb + gsl_sf_lngamma(r + k) - gsl_sf_lngamma(r) -
                gsl_sf_lnfact((unsigned)k) + r * lq + (k > 0 ? k * lt : 0);
    double v = exp(l1);
    if (k > 0) {
        /* dropped out right after the k-th purchase: needs at least k purchases */
        double ls = -INFINITY; /* log sum_{j<k} P_NBD(j) */
        for (int j = 0; j < k; j++)
            ls = csi_logadd(ls, gsl_sf_lngamma(r + j) - gsl_sf_lngamma(r) -
                                    gsl_sf_lnfact((unsigned)j) + r * lq + (j > 0 ? j * lt : 0));
        double tail = -expm1(ls); /* P_NBD(X >= k) */
        if (tail < 0)
            tail = 0;
        v += exp(gsl_sf_lnbeta(a + 1, b + k - 1) - lnb) * tail;
    }
    return isfinite(v) ? v : NAN;
}

/* no closed form used here: by quadrature */
static double dert(const double *p, const cs_obs *o, double delta)
{
    return csi_dert_numeric(&csi_family_bgnbd, p, o, delta);
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    double sx = 0, sT = 0;
    for (size_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->obs[i].x;
        sT += d->w[i] * d->obs[i].T;
    }
    double mT = sT / d->total, rate = (sx / d->total + 0.1) / (mT + 1);
    const double s[][4] = {
        {1, 1, 1, 1}, {0.5, 0.5 / rate, 1, 3}, {0.25, 0.25 / rate, 0.8, 2.5}, {1, 1 / rate, 0.2, 5},
    };
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            st[i][j] = s[i][j];
    return 4;
}

static int sim_leaves(const struct csi_sim *s, gsl_rng *rng, int repeat)
{
    /* a coin after each repeat purchase */
    return repeat && gsl_rng_uniform(rng) < s->p;
}

const struct csi_family csi_family_bgnbd = {
    .kind = CS_MODEL_BGNBD,
    .name = "bgnbd",
    .title = "BG/NBD",
    .aliases = {"bg-nbd"},
    .role = CS_ROLE_PURCHASE,
    .caps = CS_CAP_DROPOUT | CS_CAP_TIME_UNIT | CS_CAP_SIMULATE | CS_CAP_NO_PURCHASE |
            CS_CAP_ZERO_ALIVE,
    .file = CSI_FILE_UNIT,
    .check = csi_check_recency,
    .limit = &csi_family_nbd,
    .limit_where = "a/(a+b) -> 0",
    .np = 4,
    .pnames = {"r", "alpha", "a", "b"},
    .ll = ll,
    .ll_grad = ll_grad,
    .ll_sum = ll_sum,
    .p_alive = p_alive,
    .p_alive_at = p_alive_at,
    .expected = expected,
    .expected_n = expected_n,
    .expected_new = expected_new,
    .pmf_new = pmf_new,
    .dert = dert,
    .p_no_purchase = csi_coin_p_no_purchase,
    .starts = starts,
    .sim_draw = csi_sim_coin,
    .sim_leaves = sim_leaves,
};
