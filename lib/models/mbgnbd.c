/* MBG/NBD: Batislam, Denizel & Filiztekin (2007), IJRM 24(3). As BG/NBD,
 * but a customer can also drop out right after the first purchase, so
 * customers with x = 0 carry the drop-out term too. Given (lambda, p):
 *   L = (1-p)^(x+1) lambda^x e^(-lambda T) + p (1-p)^x lambda^x e^(-lambda t_x)
 * and over p ~ Beta(a, b), lambda ~ Gamma(r, alpha):
 *   L = Γ(r+x) α^r/Γ(r) · B(a, b+x+1)/B(a, b) · [(α+T)^-(r+x) + a/(b+x) (α+t_x)^-(r+x)]
 * An alive customer's p is a posteriori Beta(a, b+x+1): the BG/NBD
 * expressions hold with b+1 in place of b. */
#include "models/family.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>

static double ll_parts(const double *p, const cs_obs *o, double *la, double *lb)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    *la = -(r + x) * log(al + o->T);
    *lb = log(a) - log(b + x) - (r + x) * log(al + o->tx);
    return gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) +
           gsl_sf_lnbeta(a, b + x + 1) - gsl_sf_lnbeta(a, b);
}

static double ll(const double *p, const cs_obs *o)
{
    double la, lb;
    double v = ll_parts(p, o, &la, &lb) + csi_logadd(la, lb);
    return isfinite(v) ? v : -INFINITY;
}

static double ll_grad(const double *p, const cs_obs *o, double *g)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    double la, lb;
    double c = ll_parts(p, o, &la, &lb), e = csi_logadd(la, lb);
    double wa = exp(la - e), wb = exp(lb - e);
    double psab = gsl_sf_psi(a + b), psabx = gsl_sf_psi(a + b + x + 1);
    g[0] = gsl_sf_psi(r + x) - gsl_sf_psi(r) + log(al) - wa * log(al + o->T) -
           wb * log(al + o->tx);
    g[1] = r / al - (r + x) * (wa / (al + o->T) + wb / (al + o->tx));
    g[2] = psab - psabx + wb / a;
    g[3] = gsl_sf_psi(b + x + 1) - psabx - gsl_sf_psi(b) + psab - wb / (b + x);
    double v = c + e;
    return isfinite(v) ? v : -INFINITY;
}

/* the sum, with the terms in x alone computed once per x */
static double ll_sum(const double *p, const cs_dataset *d, size_t from, size_t to, double *g)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    const double lnr = gsl_sf_lngamma(r), lnab = gsl_sf_lnbeta(a, b), lal = log(al), lna = log(a);
    const double psr = gsl_sf_psi(r), psab = gsl_sf_psi(a + b), psb = gsl_sf_psi(b);
    double s = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    double cx = 0, lbc = 0, dr = 0, da = 0, db = 0, inv_bx = 0, xcur = -1;
    for (size_t i = from; i < to; i++) {
        const cs_obs *o = &d->obs[i];
        const double w = d->w[i], x = o->x;
        if (x != xcur) {
            xcur = x;
            cx = gsl_sf_lngamma(r + x) - lnr + r * lal + gsl_sf_lnbeta(a, b + x + 1) - lnab;
            lbc = lna - log(b + x);
            if (g) {
                double psabx = gsl_sf_psi(a + b + x + 1);
                dr = gsl_sf_psi(r + x) - psr + lal;
                da = psab - psabx;
                db = gsl_sf_psi(b + x + 1) - psabx - psb + psab;
                inv_bx = 1 / (b + x);
            }
        }
        const double LA = log(al + o->T), LB = log(al + o->tx), rx = r + x;
        const double lA = -rx * LA, lB = lbc - rx * LB;
        double e, wa, wb;
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
        s += w * (cx + e);
        if (g) {
            g0 += w * (dr - wa * LA - wb * LB);
            g1 += w * (r / al - rx * (wa / (al + o->T) + wb / (al + o->tx)));
            g2 += w * (da + wb / a);
            g3 += w * (db - wb * inv_bx);
        }
    }
    if (g)
        g[0] += g0, g[1] += g1, g[2] += g2, g[3] += g3;
    return isfinite(s) ? s : -INFINITY;
}

static double p_alive(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    double lo = log(a) - log(b + x) + (r + x) * (log(al + o->T) - log(al + o->tx));
    return 1.0 / (1.0 + exp(lo));
}

static double p_alive_at(const double *p, const cs_obs *o, double h)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x;
    if (h <= 0)
        return p_alive(p, o);
    int sg;
    double lf = csi_log_hyp2f1(r + x, a, a + b + x + 1, -h / (al + o->T), &sg);
    /* where the 2F1 fails (a and b both huge: a narrow peak), the
     * expectation over p by quadrature */
    double f = isfinite(lf) && sg > 0 ? exp(lf) : csi_coin_survival(r + x, h / (al + o->T), a, b + x + 1);
    if (!isfinite(f))
        return NAN;
    double v = p_alive(p, o) * f;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* E[Y(t) | x, t_x, T]: the BG/NBD expression with b+1 for b (an alive
 * customer's p is Beta(a, b+x+1)),
 *   (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)] P(alive),
 * which loses digits as a -> 1: there, or where the 2F1 fails, the
 * expectation over p is integrated numerically (see bgnbd.c). */
#define CLOSED_MIN_A1 1e-2

/* k (1 - e^lg), the closed forms' shape, or NAN where the difference loses
 * more than three digits (|k| e^lg > 1e3 |result|: a -> 1, or b so large
 * that e^lg is within 1e-3 of 1): the caller integrates then. */
static double well_conditioned(double k, double lg)
{
    double v = k * -expm1(lg);
    return fabs(k) * exp(lg) <= 1e3 * fabs(v) ? v : NAN;
}

static void expected_n(const double *p, const cs_obs *o, const double *ts, int n, double *out)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], x = o->x, T = o->T;
    double pa = p_alive(p, o), lat = log(al + T);
    int closed = fabs(a - 1) >= CLOSED_MIN_A1;
    double k = closed ? (a + b + x) / (a - 1) * pa : 0;
    struct csi_hyp_walk walk = {0}; /* ts rise: CLV periods */
    for (int i = 0; i < n; i++) {
        double t = ts[i], v = NAN;
        if (t <= 0) {
            out[i] = 0;
            continue;
        }
        if (closed) {
            int sg;
            double lf = csi_log_hyp2f1_walk(&walk, r + x, b + x + 1, a + b + x, t / (al + T + t), &sg);
            double lg = (r + x) * (lat - log(al + T + t)) + lf;
            if (isfinite(lf) && sg > 0)
                v = well_conditioned(k, lg);
        }
        if (!(isfinite(v) && v >= 0))
            v = pa * csi_coin_expected(r + x, t / (al + T), a, b + x + 1);
        out[i] = isfinite(v) && v >= 0 ? v : NAN;
    }
}

static double expected(const double *p, const cs_obs *o, double t)
{
    double v;
    expected_n(p, o, &t, 1, &v);
    return v;
}

/* E[X(t)] for a new customer: given (lambda, p) it is (1-p)(1 - e^(-lambda p t))/p
 * (survive the first purchase, then BG/NBD); over lambda and p ~ Beta(a, b),
 * with (1-p)/p Beta(a, b) = b/(a-1) Beta(a-1, b+1) and a Pfaff transformation:
 * b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))]; near a = 1
 * (or where the 2F1 fails) b/(a+b) E[(1 - (1 + p t/alpha)^-r)/p] over
 * p ~ Beta(a, b+1), by quadrature. */
static double expected_new(const double *p, double t)
{
    double r = p[0], al = p[1], a = p[2], b = p[3], v = NAN;
    if (t <= 0)
        return 0;
    if (fabs(a - 1) >= CLOSED_MIN_A1) {
        int sg;
        double lf = csi_log_hyp2f1(r, b + 1, a + b, t / (al + t), &sg);
        if (isfinite(lf) && sg > 0)
            v = well_conditioned(b / (a - 1), r * (log(al) - log(al + t)) + lf);
    }
    if (!(isfinite(v) && v >= 0))
        v = b / (a + b) * csi_coin_expected(r, t / al, a, b + 1);
    return isfinite(v) && v >= 0 ? v : NAN;
}

/* P(X(t) = k): alive through k purchases and no more, or dropped out right
 * after the k-th purchase (which happened by t). */
static double pmf_new(const double *p, double t, int k)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (k < 0)
        return 0;
    double lq = log(al) - log(al + t), lt = log(t) - log(al + t), lnb = gsl_sf_lnbeta(a, b);
    double lnbd = -INFINITY, cum = -INFINITY;
    for (int j = 0; j <= k; j++) {
        lnbd = gsl_sf_lngamma(r + j) - gsl_sf_lngamma(r) - gsl_sf_lnfact((unsigned)j) + r * lq +
               (j ? j * lt : 0);
        if (j < k)
            cum = csi_logadd(cum, lnbd);
    }
    double tail = -expm1(cum); /* P(N(t) >= k) */
    if (tail < 0)
        tail = 0;
    double v = exp(gsl_sf_lnbeta(a, b + k + 1) - lnb + lnbd) +
               exp(gsl_sf_lnbeta(a + 1, b + k) - lnb) * tail;
    return isfinite(v) ? v : NAN;
}

/* no closed form used here: by quadrature */
static double dert(const double *p, const cs_obs *o, double delta)
{
    return csi_dert_numeric(&csi_family_mbgnbd, p, o, delta);
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    double sx = 0, sT = 0;
    for (size_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->obs[i].x;
        sT += d->w[i] * d->obs[i].T;
    }
    double rate = (sx / d->total + 0.1) / (sT / d->total + 1);
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
    /* a coin after every purchase, the first too */
    (void)repeat;
    return gsl_rng_uniform(rng) < s->p;
}

const struct csi_family csi_family_mbgnbd = {
    .kind = CS_MODEL_MBGNBD,
    .name = "mbgnbd",
    .title = "MBG/NBD",
    .aliases = {"mbg-nbd"},
    .role = CS_ROLE_PURCHASE,
    .caps = CS_CAP_DROPOUT | CS_CAP_TIME_UNIT | CS_CAP_SIMULATE | CS_CAP_NO_PURCHASE,
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
