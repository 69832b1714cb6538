/* Pareto/NBD: Schmittlein, Morrison & Colombo (1987); the likelihood as in
 * Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related
 * expressions". Purchases at rate lambda ~ Gamma(r, alpha) while alive; an
 * exponential lifetime with rate mu ~ Gamma(s, beta). */
#include "models/family.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>

/* A0 / (r+s+x) is the integral over the time of death tau in (t_x, T]
 *   J = int_{t_x}^T (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau.
 * In the beta branch, with v = alpha + tau, D = beta - alpha, P = r + x,
 * Q = s + 1 (the alpha branch: v = beta + tau, D = alpha - beta, P = s + 1,
 * Q = r + x), the binomial series of (D + v)^-Q integrates term by term:
 *   J = D^-Q sum_k (Q)_k/k! (-1/D)^k E_k,  E_k = int_{v1}^{v2} v^(k-P) dv
 *     = (v2^e - v1^e)/e, e = k + 1 - P  (log(v2/v1) at e = 0),
 * with ratio q = v2/D. Where beta >> alpha + T (or alpha >> beta + T), the
 * case where the 2F1 argument tends to 1 and its series is long, q is small
 * and a few terms do. The gradient: d/dv1 and d/dv2 are the integrand at the
 * ends, d/dP, d/dQ and d/dD come out of the same loop. Returns log J and
 * d log J / d(r, alpha, s, beta) in g (when not NULL), or NAN where q is too
 * large (the caller then takes the 2F1 route). */
#define J_QMAX 0.5
/* 1/(n+1)!, n = 0..PHI_N-1: the Taylor coefficients of expm1(y)/y */
#define PHI_N 18
static const double PHI_C[PHI_N] = {
    1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
    1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800,
    1.0 / 87178291200, 1.0 / 1307674368000, 1.0 / 20922789888000,
    1.0 / 355687428096000, 1.0 / 6402373705728000};
static double log_j_series(const double *p, const cs_obs *o, double *g)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    const int abr = al >= be;
    const double P = abr ? s + 1 : r + x, Q = abr ? r + x : s + 1;
    const double D = abr ? al - be : be - al, c0 = abr ? be : al;
    const double v1 = c0 + o->tx, v2 = c0 + o->T;
    if (!(D > 0) || !(v2 <= J_QMAX * D) || Q * v2 > 2 * D)
        return NAN;
    const double lv1 = log(v1), lv2 = log(v2), L = lv2 - lv1, lD = log(D);
    if (!(L > 0)) {
        if (g)
            g[0] = g[1] = g[2] = g[3] = 0;
        return -INFINITY; /* t_x = T: no room to die in */
    }
    /* normalised by e^ln: a = v2^e / D^k, b = v1^e / D^k */
    const double ln = (1 - P) * (P > 1 ? lv1 : lv2);
    double av = exp((1 - P) * lv2 - ln), bv = exp((1 - P) * lv1 - ln);
    const double q2 = v2 / D, q1 = v1 / D;
    double ck = 1, hk = 0, s0 = 0, sp = 0, sq = 0, sd = 0, big = 0;
    for (int k = 0; k < 200; k++) {
        double e = k + 1 - P, el = e * L, E, dE;
        if (fabs(el) < 0.5) {
            /* E = v1^e L phi(eL), phi(y) = expm1(y)/y = sum_n y^n/(n+1)!;
             * dE/de = log v1 E + v1^e L^2 phi'(eL), phi'(y) = sum_{n>=1} n
             * y^(n-1)/(n+1)!: both by Horner to degree 17 (the rest is below
             * 0.5^17/18! < 1e-20 for |y| < 0.5; no division, no expm1) */
            double ph = PHI_C[PHI_N - 1], dph = (PHI_N - 1) * PHI_C[PHI_N - 1];
            for (int n = PHI_N - 2; n >= 0; n--) {
                ph = ph * el + PHI_C[n];
                if (n > 0)
                    dph = dph * el + n * PHI_C[n];
            }
            E = bv * L * ph;
            dE = lv1 * E + bv * L * L * dph;
        } else {
            E = (av - bv) / e;
            dE = (av * (lv2 - 1 / e) - bv * (lv1 - 1 / e)) / e;
        }
        double t = (k & 1 ? -ck : ck) * E;
        s0 += t;
        sp += (k & 1 ? -ck : ck) * dE;
        sq += t * hk;
        sd += t * k;
        if (fabs(t) > big)
            big = fabs(t);
        if (k > 2 && fabs(t) * (k + 1) < 1e-17 * fabs(s0))
            break;
        ck *= (Q + k) / (k + 1.0);
        hk += 1 / (Q + k);
        av *= q2;
        bv *= q1;
        if (k == 199)
            return NAN;
    }
    if (!(s0 > 1e-4 * big))
        return NAN; /* cancellation */
    double lj = -Q * lD + ln + log(s0);
    if (g) {
        double dP = -sp / s0, dQ = -lD + sq / s0, dD = -(Q + sd / s0) / D;
        double f1 = exp(-P * lv1 - Q * log(D + v1) - lj); /* integrand / J at the ends */
        double f2 = exp(-P * lv2 - Q * log(D + v2) - lj);
        double dv = f2 - f1; /* both ends move with c0 */
        if (abr) {             /* P = s+1, Q = r+x, D = alpha-beta, v = beta+tau */
            g[0] = dQ, g[2] = dP, g[1] = dD, g[3] = -dD + dv;
        } else {               /* P = r+x, Q = s+1, D = beta-alpha, v = alpha+tau */
            g[0] = dP, g[2] = dQ, g[1] = -dD + dv, g[3] = dD;
        }
    }
    return lj;
}

/* log A0 (the note's eq. 19 / 20): the difference of two terms in 2F1,
 * computed as a signed log-sum-exp; the branch keeps the argument in [0, 1).
 * Where the arguments are close to 1, the series of J above. */
static double log_a0(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    double a = r + s + x, b, z1, z2, l1, l2;
    double lj = log_j_series(p, o, NULL);
    if (!isnan(lj))
        return log(a) + lj;
    if (al >= be) {
        b = s + 1;
        z1 = (al - be) / (al + o->tx);
        z2 = (al - be) / (al + o->T);
        l1 = log(al + o->tx);
        l2 = log(al + o->T);
    } else {
        b = r + x;
        z1 = (be - al) / (be + o->tx);
        z2 = (be - al) / (be + o->T);
        l1 = log(be + o->tx);
        l2 = log(be + o->T);
    }
    int s1, s2;
    double f1 = csi_log_hyp2f1(a, b, a + 1, z1, &s1);
    double f2 = csi_log_hyp2f1(a, b, a + 1, z2, &s2);
    if (!isfinite(f1) || !isfinite(f2) || s1 < 0 || s2 < 0)
        return NAN;
    /* the first term is the larger: the function falls with its argument */
    return csi_logsub(f1 - a * l1, f2 - a * l2);
}

/* log of the bracket {(alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0} */
static double log_bracket(const double *p, const cs_obs *o, double *la0)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    double t1 = -(r + x) * log(al + o->T) - s * log(be + o->T);
    double a0 = log_a0(p, o);
    if (la0)
        *la0 = a0;
    if (isnan(a0))
        return NAN;
    return csi_logadd(t1, log(s) - log(r + s + x) + a0);
}

/* The log-likelihood and its gradient d/d(r, alpha, s, beta): the A0 terms
 * differentiate through csi_log_hyp2f1_a1. */
/* lgx = lnΓ(r+x) - lnΓ(r), dpx = ψ(r+x) - ψ(r): the caller may have them */
static double ll_grad_x(const double *p, const cs_obs *o, double *g, double lgx, double dpx);

static double ll_grad(const double *p, const cs_obs *o, double *g)
{
    return ll_grad_x(p, o, g, gsl_sf_lngamma(p[0] + o->x) - gsl_sf_lngamma(p[0]),
                     gsl_sf_psi(p[0] + o->x) - gsl_sf_psi(p[0]));
}

static double ll_grad_x(const double *p, const cs_obs *o, double *g, double lgx, double dpx)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    const double a = r + s + x;
    const double t1 = -(r + x) * log(al + o->T) - s * log(be + o->T);
    const double dt1[4] = {-log(al + o->T), -(r + x) / (al + o->T), -log(be + o->T),
                           -s / (be + o->T)};
    double lB, dlB[4];
    double dj[4], lj = log_j_series(p, o, dj);
    if (!isnan(lj)) {
        /* (s/a) A0 = s J */
        double lsa = log(s) + lj;
        lB = csi_logadd(t1, lsa);
        double w1 = exp(t1 - lB), share = lsa == -INFINITY ? 0 : exp(lsa - lB);
        dj[2] += 1 / s;
        for (int j = 0; j < 4; j++)
            dlB[j] = w1 * dt1[j] + share * dj[j];
    } else {
        const int abr = al >= be; /* the branch, as in log_a0 */
        const double t[2] = {o->tx, o->T};
        double lG[2], dG[2][4]; /* log of F(z_i) / w_i^a and its gradient */
        for (int i = 0; i < 2; i++) {
            double w = abr ? al + t[i] : be + t[i];
            double z = abr ? (al - be) / w : (be - al) / w;
            double b = abr ? s + 1 : r + x;
            double fa, fb, fz;
            double lf = csi_log_hyp2f1_a1(a, b, z, &fa, &fb, &fz);
            if (!isfinite(lf)) {
                g[0] = g[1] = g[2] = g[3] = 0;
                return -INFINITY;
            }
            double lw = log(w);
            lG[i] = lf - a * lw;
            /* d z / d alpha and d z / d beta, d w / d alpha and d w / d beta */
            double zal, zbe, wal, wbe;
            if (abr) {
                zal = (be + t[i]) / (w * w), zbe = -1 / w, wal = 1, wbe = 0;
            } else {
                zal = -1 / w, zbe = (al + t[i]) / (w * w), wal = 0, wbe = 1;
            }
            dG[i][0] = fa + (abr ? 0 : fb) - lw;  /* r: a and, in the beta branch, b */
            dG[i][1] = fz * zal - a * wal / w;
            dG[i][2] = fa + (abr ? fb : 0) - lw;  /* s: a and, in the alpha branch, b */
            dG[i][3] = fz * zbe - a * wbe / w;
        }
        double lA0 = csi_logsub(lG[0], lG[1]);
        double ls = log(s) - log(a);
        lB = csi_logadd(t1, ls + lA0);
        double w1 = exp(t1 - lB);
        double e0 = exp(ls + lG[0] - lB), e1 = exp(ls + lG[1] - lB); /* (s/a) G_i / B */
        double a0share = lA0 == -INFINITY ? 0 : exp(ls + lA0 - lB);  /* (s/a) A0 / B */
        /* d log(s/a): r -> -1/a; s -> 1/s - 1/a */
        const double dls[4] = {-1 / a, 0, 1 / s - 1 / a, 0};
        for (int j = 0; j < 4; j++)
            dlB[j] = w1 * dt1[j] + a0share * dls[j] + e0 * dG[0][j] - e1 * dG[1][j];
    }
    g[0] = dpx + log(al) + dlB[0];
    g[1] = r / al + dlB[1];
    g[2] = log(be) + dlB[2];
    g[3] = s / be + dlB[3];
    double v = lgx + r * log(al) + s * log(be) + lB;
    return isfinite(v) ? v : -INFINITY;
}

static double ll(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    double br = log_bracket(p, o, NULL);
    double v = gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) + s * log(be) + br;
    return isfinite(v) ? v : -INFINITY;
}

static double ll_sum(const double *p, const cs_dataset *d, size_t from, size_t to, double *g)
{
    double s = 0, gi[4], gs[4] = {0, 0, 0, 0};
    if (g) {
        const double lnr = gsl_sf_lngamma(p[0]), psr = gsl_sf_psi(p[0]);
        double lgx = 0, dpx = 0, xc = -1;
        for (size_t i = from; i < to; i++) {
            if (d->obs[i].x != xc) {
                xc = d->obs[i].x;
                lgx = gsl_sf_lngamma(p[0] + xc) - lnr;
                dpx = gsl_sf_psi(p[0] + xc) - psr;
            }
            double v = ll_grad_x(p, &d->obs[i], gi, lgx, dpx);
            if (!isfinite(v))
                return -INFINITY;
            s += d->w[i] * v;
            for (int j = 0; j < 4; j++)
                gs[j] += d->w[i] * gi[j];
        }
        for (int j = 0; j < 4; j++)
            g[j] += gs[j];
        return s;
    }
    const double r = p[0], lnr = gsl_sf_lngamma(r), c0 = r * log(p[1]) + p[2] * log(p[3]);
    double cx = 0, xcur = -1;
    for (size_t i = from; i < to; i++) {
        const cs_obs *o = &d->obs[i];
        if (o->x != xcur) {
            xcur = o->x;
            cx = gsl_sf_lngamma(r + o->x) - lnr + c0;
        }
        double br = log_bracket(p, o, NULL);
        if (!isfinite(br))
            return -INFINITY;
        s += d->w[i] * (cx + br);
    }
    return s;
}

/* P(alive) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0) */
static double p_alive(const double *p, const cs_obs *o)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    double a0 = log_a0(p, o);
    if (isnan(a0))
        return NAN;
    double lo = log(s) - log(r + s + x) + (r + x) * log(al + o->T) + s * log(be + o->T) + a0;
    return 1.0 / (1.0 + exp(lo));
}

/* Given alive at T the drop-out rate is Gamma(s, beta+T), and lifetimes are
 * memoryless: P(alive at T+h) = P(alive) ((beta+T)/(beta+T+h))^s. */
static double p_alive_at_pa(const double *p, const cs_obs *o, double h, double pa)
{
    return pa * exp(p[2] * (log(p[3] + o->T) - log(p[3] + o->T + h)));
}

static double p_alive_at(const double *p, const cs_obs *o, double h)
{
    return p_alive_at_pa(p, o, h, p_alive(p, o));
}

/* E[(1 - exp(-mu t)) / mu] for mu ~ Gamma(s, b): (b/(s-1)) (1 - (b/(b+t))^(s-1)),
 * and b log(1 + t/b) at s = 1 (the limit). */
static double residual_life(double s, double b, double t)
{
    if (fabs(s - 1) < 1e-10)
        return b * log1p(t / b);
    return b / (s - 1) * -expm1((s - 1) * (log(b) - log(b + t)));
}

static double expected_pa(const double *p, const cs_obs *o, double t, double pa)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    if (t <= 0)
        return 0;
    double v = (r + x) / (al + o->T) * residual_life(s, be + o->T, t) * pa;
    return isfinite(v) && v >= 0 ? v : NAN;
}

static double expected(const double *p, const cs_obs *o, double t)
{
    return t <= 0 ? 0 : expected_pa(p, o, t, p_alive(p, o));
}

/* At n times, P(alive) (two 2F1 series) once. */
static void expected_n(const double *p, const cs_obs *o, const double *ts, int n, double *out)
{
    double pa = p_alive(p, o);
    for (int i = 0; i < n; i++)
        out[i] = ts[i] <= 0 ? 0 : expected_pa(p, o, ts[i], pa);
}

static double expected_new(const double *p, double t)
{
    if (t <= 0)
        return 0;
    return p[0] / p[1] * residual_life(p[2], p[3], t);
}

/* P(X(t) = k) for a new customer: Fader & Hardie (2006), "Deriving an
 * expression for P(X(t) = x) under the Pareto/NBD model". */
static double log_b_term(double r, double al, double s, double be, double x, double a, double t,
                         int *ok)
{
    /* 2F1(a, b; r+s+x+1; z) / (w)^a with the branch of alpha vs beta */
    double c = r + s + x + 1, b, z, w;
    if (al >= be) {
        b = s + 1;
        z = (al - be) / (al + t);
        w = al + t;
    } else {
        b = r + x;
        z = (be - al) / (be + t);
        w = be + t;
    }
    int sg;
    double f = csi_log_hyp2f1(a, b, c, z, &sg);
    *ok &= isfinite(f) && sg > 0;
    return f - a * log(w);
}

static double pmf_new(const double *p, double t, int k)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = k;
    if (k < 0)
        return 0;
    /* alive at t with x purchases */
    double l1 = gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) - gsl_sf_lnfact((unsigned)k) +
                r * (log(al) - log(al + t)) + (k ? x * (log(t) - log(al + t)) : 0) +
                s * (log(be) - log(be + t));
    /* died before t, having made x purchases */
    int ok = 1;
    double lb1 = log_b_term(r, al, s, be, x, r + s, 0, &ok);
    double lsum = -INFINITY;
    for (int i = 0; i <= k; i++) {
        double li = gsl_sf_lngamma(r + s + i) - gsl_sf_lngamma(r + s) -
                    gsl_sf_lnfact((unsigned)i) + (i ? i * log(t) : 0) +
                    log_b_term(r, al, s, be, x, r + s + i, t, &ok);
        lsum = csi_logadd(lsum, li);
    }
    if (!ok)
        return NAN;
    double lc = r * log(al) + s * log(be) + gsl_sf_lnbeta(r + x, s + 1) - gsl_sf_lnbeta(r, s);
    double dead = lb1 > lsum ? exp(lc + csi_logsub(lb1, lsum)) : 0;
    double v = exp(l1) + dead;
    return isfinite(v) ? v : NAN;
}

/* DERT (Fader, Hardie & Lee 2005, JMR, eq. 2) with the confluent
 * hypergeometric U(s, s; delta (beta+T)). */
static double dert(const double *p, const cs_obs *o, double delta)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    if (!(delta > 0))
        return NAN;
    gsl_sf_result u;
    if (gsl_sf_hyperg_U_e(s, s, delta * (be + o->T), &u) != GSL_SUCCESS || !(u.val > 0))
        return NAN;
    double lv = r * log(al) + s * log(be) + (s - 1) * log(delta) + gsl_sf_lngamma(r + x + 1) +
                log(u.val) - gsl_sf_lngamma(r) - (r + x + 1) * log(al + o->T) - ll(p, o);
    double v = exp(lv);
    return isfinite(v) ? v : NAN;
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    double sx = 0, sT = 0;
    for (size_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->obs[i].x;
        sT += d->w[i] * d->obs[i].T;
    }
    double mT = sT / d->total + 1, rate = (sx / d->total + 0.1) / mT;
    const double s4[][4] = {
        {1, 1, 1, 1}, {0.5, 0.5 / rate, 0.5, mT}, {0.3, 0.3 / rate, 1, 2 * mT}, {1, 1 / rate, 0.3, mT / 2},
    };
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            st[i][j] = s4[i][j];
    return 4;
}

/* Pareto/NBD, alive at T with lambda ~ Gamma(r', a'), mu ~ Gamma(s', b')
 * (independent given alive): P(a purchase before death, within t) =
 * int_0^t E[lambda e^(-lambda u)] E[e^(-mu u)] du; with u = a' (e^v - 1):
 * int_0^V r' e^(-r' v) (1 + a' (e^v - 1)/b')^(-s') dv, V = log(1 + t/a').
 * Gauss-Legendre (10 points) on panels short enough for both factors. */
static double pnbd_purchase_while_alive(double rp, double ap, double sp, double bp, double t)
{
    static const double x[5] = {0.1488743389816312, 0.4333953941292472, 0.6794095682990244,
                                0.8650633666889845, 0.9739065285171717};
    static const double w[5] = {0.2955242247147529, 0.2692667193099963, 0.2190863625159820,
                                0.1494513491505806, 0.0666713443086881};
    double V = log1p(t / ap);
    if (V > 60 / rp)
        V = 60 / rp; /* e^(-60) of the integral is left */
    /* the steepest log-slope of the integrand on [0, V] */
    double k = rp + sp * (ap / bp) * exp(V);
    if (k * V <= 0.5) {
        /* one short panel: 5 points are exact to about (kV)^10/10! < 3e-10 */
        static const double x5[3] = {0, 0.5384693101056831, 0.9061798459386640};
        static const double w5[3] = {0.5688888888888889, 0.4786286704993665,
                                     0.2369268850561891};
        double half = V / 2, sum = 0;
        for (int j = 0; j < 3; j++)
            for (int sg = -1; sg <= (j ? 1 : -1); sg += 2) {
                double v = half + sg * half * x5[j];
                sum += w5[j] * half * exp(-rp * v - sp * log1p(ap * expm1(v) / bp));
            }
        return rp * sum;
    }
    int panels = (int)ceil(k * V / 2);
    if (panels < 1)
        panels = 1;
    if (panels > 400)
        panels = 400;
    double h = V / panels, sum = 0;
    for (int i = 0; i < panels; i++) {
        double mid = (i + 0.5) * h, half = h / 2;
        for (int j = 0; j < 5; j++)
            for (int sg = -1; sg <= 1; sg += 2) {
                double v = mid + sg * half * x[j];
                double lg = -rp * v - sp * log1p(ap * expm1(v) / bp);
                sum += w[j] * half * exp(lg);
            }
    }
    return rp * sum;
}

static double p_no_purchase(const double *p, const cs_obs *o, double t, double pa)
{
    if (!isfinite(pa))
        return NAN;
    double rp = p[0] + o->x, ap = p[1] + o->T;
    double buy = pnbd_purchase_while_alive(rp, ap, p[2], p[3] + o->T, t);
    double q = 1 - buy;
    return (1 - pa) + pa * (q < 0 ? 0 : q > 1 ? 1 : q);
}

static void sim_draw(const double *p, gsl_rng *rng, struct csi_sim *s)
{
    csi_sim_nbd(p, rng, s);
    s->life = gsl_ran_exponential(rng, 1.0 / gsl_ran_gamma(rng, p[2], 1.0 / p[3]));
}

const struct csi_family csi_family_pnbd = {
    .kind = CS_MODEL_PNBD,
    .name = "pnbd",
    .title = "Pareto/NBD",
    .aliases = {"paretonbd", "pareto-nbd"},
    .role = CS_ROLE_PURCHASE,
    .caps = CS_CAP_DROPOUT | CS_CAP_TIME_UNIT | CS_CAP_SIMULATE | CS_CAP_NO_PURCHASE,
    .file = CSI_FILE_UNIT,
    .check = csi_check_recency,
    .limit = &csi_family_nbd,
    .limit_where = "s/beta -> 0",
    .costly = 1,
    .np = 4,
    .pnames = {"r", "alpha", "s", "beta"},
    .ll = ll,
    .ll_grad = ll_grad,
    .ll_sum = ll_sum,
    .p_alive = p_alive,
    .p_alive_at = p_alive_at,
    .p_alive_at_pa = p_alive_at_pa,
    .expected_pa = expected_pa,
    .expected = expected,
    .expected_n = expected_n,
    .expected_new = expected_new,
    .pmf_new = pmf_new,
    .dert = dert,
    .p_no_purchase = p_no_purchase,
    .starts = starts,
    .sim_draw = sim_draw,
};
