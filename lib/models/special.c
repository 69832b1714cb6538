/* Log-space helpers for the model families. */
#include "models/family.h"

#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

double csi_logadd(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

double csi_logsub(double a, double b)
{
    if (b == -INFINITY)
        return a;
    if (a <= b)
        return -INFINITY;
    return a + log1p(-exp(b - a));
}

/* ---- double-exponential (tanh-sinh) quadrature ----
 *
 * The integral of f over [0, X] with x = X/2 (1 + tanh(pi/2 sinh t)), t in
 * R: the nodes crowd double-exponentially towards both ends, so algebraic
 * end-point singularities x^(p-1), (X-x)^(q-1) (any p, q > 0) and features
 * at a tiny distance from an end cost no more than a smooth integrand
 * (Takahasi & Mori 1974; Bailey, Jeyabalan & Li 2005). f is given by its
 * logarithm, with x, log x, X - x and log(X - x) all computed from the node
 * so that neither end loses precision. The terms are summed relative to the
 * largest (no overflow for integrands of size e^(+-10^4)); the step is
 * halved from 1/2 until two estimates agree to DE_TOL, at most DE_LEVELS
 * times, over the range of t where the terms exceed e^-DE_CUT of the
 * largest: the cost is bounded (at most 2^DE_LEVELS nodes per unit of t,
 * t within +-DE_TMAX). */
#define DE_H0 0.5
#define DE_LEVELS 8
#define DE_TMAX 20.0
#define DE_CUT 60.0
#define DE_TOL 1e-11

typedef double (*de_fn)(void *ctx, double x, double lx, double xc, double lxc, double *aux);

/* the node at t: x, log x, X - x, log (X - x); returns log dx/dt */
static double de_node(double t, double lX, double *x, double *lx, double *xc,
                      double *lxc)
{
    double v = M_PI_2 * sinh(t), av = fabs(v);
    double e = exp(-2 * av), l1pe = log1p(e);
    if (v >= 0) {
        *lx = lX - l1pe;
        *lxc = lX - 2 * av - l1pe;
    } else {
        *lx = lX - 2 * av - l1pe;
        *lxc = lX - l1pe;
    }
    *x = exp(*lx);
    *xc = exp(*lxc);
    return lX + log(M_PI_2 * cosh(t)) + M_LN2 - 2 * av - 2 * l1pe;
}

/* How far in t the end where f behaves like x^(p-1) must be followed: the
 * terms there fall like exp(-p pi/2 e^|t|) once p pi/2 e^|t| > 1. */
static double de_reach(double p)
{
    double t = log(2 * (DE_CUT + 10) / (M_PI * (p < 1 ? p : 1))) + 0.5;
    return t < 3 ? 3 : t > DE_TMAX ? DE_TMAX : t;
}

struct de_acc {
    double m;       /* log scale of the sums */
    double s, a[2]; /* sums of the terms (and aux times terms) / e^m */
    int naux;
};

static void de_add(struct de_acc *c, double lt, const double *aux)
{
    if (!(lt > -INFINITY))
        return;
    if (lt > c->m) {
        double k = exp(c->m - lt);
        c->s *= k;
        for (int i = 0; i < c->naux; i++)
            c->a[i] *= k;
        c->m = lt;
    }
    double w = exp(lt - c->m);
    c->s += w;
    for (int i = 0; i < c->naux; i++)
        c->a[i] += w * aux[i];
}

/* log of the integral of exp(f) over [0, X]; f behaves like x^(p0-1) at 0
 * and (X-x)^(p1-1) at X (p = 1 where regular). mean[i] (naux <= 2): the
 * f-weighted means of aux[i]. NAN if the estimates do not settle. */
static double de_log_integral(de_fn f, void *ctx, double X, double p0, double p1, int naux,
                              double *mean)
{
    enum { NC = 83 }; /* 2 DE_TMAX / DE_H0 + 3 */
    double lX = log(X), aux[2] = {0, 0};
    double x, lx, xc, lxc;
    /* the coarse level over the whole reach: where the terms matter */
    double tl = -de_reach(p0), tr = de_reach(p1);
    int i0 = (int)floor(tl / DE_H0), i1 = (int)ceil(tr / DE_H0), n = i1 - i0 + 1;
    double lt[NC], ax[NC][2];
    double mx = -INFINITY, mag = 0;
    for (int i = 0; i < n; i++) {
        double t = (i0 + i) * DE_H0;
        double lw = de_node(t, lX, &x, &lx, &xc, &lxc);
        lt[i] = f(ctx, x, lx, xc, lxc, ax[i]) + lw;
        if (isnan(lt[i]))
            return NAN;
        if (lt[i] > mx)
            mx = lt[i];
        if (isfinite(lt[i]) && fabs(lt[i]) > mag)
            mag = fabs(lt[i]);
    }
    /* a log-integrand of size 1e6 (a Beta(1e6, 1e6) density) carries
     * rounding of 1e-10 in every term: the estimates agree only to that */
    const double tol = DE_TOL + 4e-16 * mag;
    if (!(mx > -INFINITY) || !isfinite(mx))
        return NAN;
    int lo = 0, hi = n - 1;
    while (lo < n - 1 && lt[lo] < mx - DE_CUT)
        lo++;
    while (hi > 0 && lt[hi] < mx - DE_CUT)
        hi--;
    lo = lo > 0 ? lo - 1 : 0;
    hi = hi < n - 1 ? hi + 1 : n - 1;
    struct de_acc c = {.m = mx, .naux = naux};
    for (int i = lo; i <= hi; i++)
        de_add(&c, lt[i], ax[i]);
    double ta = (i0 + lo) * DE_H0, tb = (i0 + hi) * DE_H0;
    double h = DE_H0, prev = log(c.s * h) + c.m, pm[2] = {c.a[0] / c.s, c.a[1] / c.s};
    for (int level = 1; level <= DE_LEVELS; level++) {
        h /= 2;
        for (double t = ta + h; t < tb; t += 2 * h) {
            double lw = de_node(t, lX, &x, &lx, &xc, &lxc);
            double v = f(ctx, x, lx, xc, lxc, aux) + lw;
            if (isnan(v))
                return NAN;
            de_add(&c, v, aux);
        }
        double cur = log(c.s * h) + c.m;
        int ok = fabs(cur - prev) <= tol;
        for (int i = 0; i < naux; i++) {
            double m = c.a[i] / c.s;
            ok &= fabs(m - pm[i]) <= tol * (1 + fabs(m));
            pm[i] = m;
        }
        prev = cur;
        if (ok && level >= 2) {
            for (int i = 0; i < naux; i++)
                mean[i] = pm[i];
            return cur;
        }
    }
    return NAN;
}

/* log(1 - e^-y) from y and log y (y may be below the smallest double) */
static double log1mexp(double y, double ly)
{
    return y < 1e-10 ? ly - y / 2 : log(-expm1(-y));
}

/* ---- the Gauss hypergeometric function 2F1(a, b; c; z) ----
 *
 * Summed as its series where that is short, else as Euler's integral
 *   2F1(a,b;c;z) = 1/B(b,c-b) int_0^1 t^(b-1) (1-t)^(c-b-1) (1-zt)^-a dt  (c > b > 0)
 * with y = -log(1 - z t), Y = -log(1 - z):
 *   = z^(1-c)/B(b,c-b) int_0^Y (1-e^-y)^(b-1) (1-e^(y-Y))^(c-b-1) e^((a+b-c) y) dy,
 * whose integrand is bounded up to the end-point powers: near z = 1 the
 * series needs ~ (peak + 40)/(1-z) terms, the integral a bounded number of
 * nodes. */

/* the series past this many terms (estimated) is left for the integral */
#define SERIES_MAX 1500
/* the series never runs past this */
#define MAX_TERMS 100000
#define TOL 1e-16

/* Terms of the series at z in (0, 1): where they stop growing (the larger
 * root of (a+k)(b+k)z = (c+k)(k+1)) plus the decay to 1e-17 after it. */
static double series_terms(double a, double b, double c, double z)
{
    double q2 = 1 - z, q1 = 1 + c - (a + b) * z, q0 = c - a * b * z;
    double d = q1 * q1 - 4 * q2 * q0, peak = 0;
    if (d > 0) {
        double sq = sqrt(d);
        peak = q1 < 0 ? (-q1 + sq) / (2 * q2) : q0 < 0 ? -2 * q0 / (q1 + sq) : 0;
    }
    if (peak < 0)
        peak = 0;
    return peak + 45 / -log(z);
}

/* A bound on |(a+j)(b+j) / ((c+j)(j+1))| for every j >= k: each of
 * (a+j)/(c+j), (b+j)/(j+1) (or paired the other way) moves monotonically
 * towards 1, so is at most max(its value at k, 1). (Stopping on the current
 * ratio alone stops too early where a b is tiny: the first ratio is tiny,
 * the next ones are not.) */
static double later_ratio(double a, double b, double c, long k)
{
    double p1 = fmax(fabs((a + k) / (c + k)), 1) * fmax(fabs((b + k) / (k + 1.0)), 1);
    double p2 = fmax(fabs((b + k) / (c + k)), 1) * fmax(fabs((a + k) / (k + 1.0)), 1);
    return p1 < p2 ? p1 : p2;
}

/* The Gauss series for z in [0, 1) with a, b, c > 0: every term is positive.
 * Terms are multiplied along in plain doubles and the sum is rescaled when
 * it grows large, so there is no overflow and no logarithm per term. The
 * terms grow while (a+k)(b+k)z > (c+k)(k+1) and then fall like z^k. */
static double series_pos(double a, double b, double c, double z, long max_terms)
{
    if (z == 0)
        return 0;
    double t = 1, s = 1, lscale = 0;
    for (long k = 0; k < max_terms; k++) {
        double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        t *= ratio;
        s += t;
        if (s > 1e250) {
            s *= 1e-250;
            t *= 1e-250;
            lscale += 250 * M_LN10;
        }
        /* the rest is below t q / (1 - q), q >= ratio bounding every later
         * ratio (tested only once the current ratio would stop it) */
        if (ratio < 1 && t * ratio < TOL * s * (1 - ratio)) {
            double q = z * later_ratio(a, b, c, k);
            if (q < 1 && t * q < TOL * s * (1 - q))
                return log(s) + lscale;
        }
    }
    return NAN;
}

/* The series with terms of either sign (a parameter made negative by a
 * transformation): summed in scaled doubles, NAN if cancellation eats the
 * precision. */
static double series_signed(double a, double b, double c, double z, int *sign)
{
    double t = 1, s = 1, big = 1;
    for (long k = 0; k < MAX_TERMS; k++) {
        double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        t *= ratio;
        s += t;
        if (fabs(t) > big)
            big = fabs(t);
        if (!isfinite(s) || big > 1e290)
            return NAN;
        double q = fabs(z) * later_ratio(a, b, c, k);
        if (t == 0 || (q < 1 && fabs(t) * q < TOL * fabs(s) * (1 - q))) {
            if (fabs(s) < 1e-8 * big)
                return NAN; /* catastrophic cancellation */
            *sign = s < 0 ? -1 : 1;
            return log(fabs(s));
        }
    }
    return NAN;
}

struct euler {
    double pb, pc, k; /* b - 1, c - b - 1, a + b - c */
};

static double euler_f(void *ctx, double y, double ly, double yc, double lyc, double *aux)
{
    const struct euler *e = ctx;
    double l0 = log1mexp(y, ly);
    aux[0] = y;
    aux[1] = l0;
    double v = e->k * y;
    if (e->pb != 0)
        v += e->pb * l0;
    if (e->pc != 0)
        v += e->pc * log1mexp(yc, lyc);
    return v;
}

/* log 2F1(a, b; c; z) by Euler's integral, c > b > 0, z in (0, 1), given
 * log z and Y = -log(1 - z) */
static double euler_log(double a, double b, double c, double lz, double Y)
{
    struct euler e = {b - 1, c - b - 1, a + b - c};
    double mean[2];
    double li = de_log_integral(euler_f, &e, Y, b, c - b, 0, mean);
    return (1 - c) * lz - gsl_sf_lnbeta(b, c - b) + li;
}

/* z in [0, 1), a, b, c > 0; lz = log z and Y = -log(1 - z) as accurate as
 * the caller has them (a transformed argument's 1 - z loses digits) */
static double log_pos(double a, double b, double c, double z, double lz, double Y)
{
    if (z == 0)
        return 0;
    if (z <= 0.5 || series_terms(a, b, c, z) <= SERIES_MAX) {
        double v = series_pos(a, b, c, z, 4 * SERIES_MAX);
        if (isfinite(v))
            return v;
    }
    /* Euler's integral needs c above b (or above a: the function is
     * symmetric in them); of the two, the one whose end-point power
     * c-b-1 is nearer 0 */
    int ub = c > b, ua = c > a;
    if (ub && ua) {
        if (fabs(c - a - 1) < fabs(c - b - 1))
            ub = 0;
        else
            ua = 0;
    }
    if (ub)
        return euler_log(a, b, c, lz, Y);
    if (ua)
        return euler_log(b, a, c, lz, Y);
    return series_pos(a, b, c, z, MAX_TERMS);
}

double csi_log_hyp2f1(double a, double b, double c, double z, int *sign)
{
    *sign = 1;
    if (!(z < 1) || !(c > 0))
        return NAN;
    if (z >= 0) {
        if (a > 0 && b > 0)
            return log_pos(a, b, c, z, log(z), -log1p(-z));
        return series_signed(a, b, c, z, sign);
    }
    /* Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; w), w = z/(z-1) in (0,1),
     * with 1 - w = 1/(1-z) exactly */
    double w = z / (z - 1), l1z = log1p(-z), lw = log(-z) - l1z;
    if (a > 0 && c - b > 0)
        return -a * l1z + log_pos(a, c - b, c, w, lw, l1z);
    if (b > 0 && c - a > 0)
        return -b * l1z + log_pos(c - a, b, c, w, lw, l1z);
    double r = series_signed(a, c - b, c, w, sign);
    return -a * l1z + r;
}

/* Where the walk steps instead of summing the series at z (about 40/(1-z)
 * terms: 400 at 0.9), and the largest step relative to the distance to the
 * nearer singular point (0 or 1): the Taylor terms fall like that ratio. */
#define WALK_FROM 0.9
#define WALK_RATIO 0.5

/* A fresh start at z: the series for F and for F' = ab/c 2F1(a+1, b+1; c+1; z). */
static double walk_restart(struct csi_hyp_walk *w, double a, double b, double c, double z,
                           int *sign)
{
    w->on = 0;
    double lf = csi_log_hyp2f1(a, b, c, z, sign);
    if (!(z >= WALK_FROM) || !(a > 0 && b > 0) || !isfinite(lf))
        return lf;
    int s1;
    double ld = csi_log_hyp2f1(a + 1, b + 1, c + 1, z, &s1);
    if (!isfinite(ld))
        return lf;
    w->on = 1, w->z = z, w->lf = lf, w->d = a * b / c * exp(ld - lf);
    return lf;
}

double csi_log_hyp2f1_walk(struct csi_hyp_walk *w, double a, double b, double c, double z,
                           int *sign)
{
    *sign = 1;
    double z0 = w->z, h = z - z0;
    if (!w->on || !(h >= 0) || !(c > 0) || !(z < 1) ||
        h > WALK_RATIO * (z0 < 1 - z0 ? z0 : 1 - z0))
        return walk_restart(w, a, b, c, z, sign);
    if (h == 0)
        return w->lf;
    /* u_k = F^(k)(z0) h^k / (k! F(z0)): the equation z(1-z)F'' + (c - (a+b+1)z)F'
     * - ab F = 0 at z0 + u gives z0(1-z0)(k+2)(k+1) c_{k+2} = -((1-2 z0) k +
     * c - (a+b+1) z0)(k+1) c_{k+1} + (k+a)(k+b) c_k. Every u_k is positive
     * (F's derivatives are 2F1s with positive parameters). */
    const double q = z0 * (1 - z0), e = c - (a + b + 1) * z0, f = 1 - 2 * z0;
    double u0 = 1, u1 = w->d * h, s = u0 + u1, sd = u1; /* sd: sum of k u_k */
    for (int k = 0; k < 400; k++) {
        double u2 = (-(f * k + e) * (k + 1) * u1 * h + (k + a) * (k + b) * u0 * h * h) /
                    (q * (k + 2) * (k + 1));
        s += u2;
        sd += (k + 2) * u2;
        u0 = u1, u1 = u2;
        if (k > 2 && fabs(u0) + fabs(u1) <= 1e-17 * s &&
            (k + 2) * (fabs(u0) + fabs(u1)) <= 1e-17 * sd) {
            if (!(s > 0) || !(sd > 0) || !isfinite(s) || !isfinite(sd))
                break;
            w->z = z, w->lf += log(s), w->d = sd / (h * s);
            return w->lf;
        }
    }
    return walk_restart(w, a, b, c, z, sign);
}

/* With c = a + 1 the terms are T_k = a/(a+k) (b)_k / k! z^k, so
 * dT_k/da = T_k k/(a(a+k)), dT_k/db = T_k sum_{j<k} 1/(b+j), dT_k/dz = k T_k / z:
 * the value and the three derivatives come out of one loop. */
static double a1_series(double a, double b, double z, double *da, double *db, double *dz)
{
    double t = 1, s = 1, sa = 0, sb = 0, sz = 0, hb = 0, lscale = 0;
    for (long k = 1; k < 4 * SERIES_MAX; k++) {
        /* T_k / T_{k-1} = (a+k-1)(b+k-1) z / ((a+k) k) */
        double ratio = (a + k - 1) * (b + k - 1) / ((a + k) * (double)k) * z;
        hb += 1 / (b + k - 1);
        t *= ratio;
        s += t;
        sa += t * k / (a * (a + k));
        sb += t * hb;
        sz += t * k;
        if (s > 1e250) {
            s *= 1e-250, t *= 1e-250, sa *= 1e-250, sb *= 1e-250, sz *= 1e-250;
            lscale += 250 * M_LN10;
        }
        /* the derivative sums carry factors growing like k and log k: stop
         * when even k t is negligible; q >= ratio bounds every later ratio
         * ((a+j-1)/(a+j) < 1, (b+j-1)/j moves towards 1) */
        if (ratio < 1 && t * (k + 1) * ratio < 1e-14 * s * (1 - ratio) * (1 - ratio)) {
            double q = b > 1 ? z * (b + k - 1) / k : z;
            if (q < 1 && t * (k + 1) * q < 1e-14 * s * (1 - q) * (1 - q)) {
                *da = sa / s;
                *db = sb / s;
                *dz = sz / (s * z);
                return log(s) + lscale;
            }
        }
    }
    return NAN;
}

/* The integral with c = a + 1:
 *   F = a z^-a I,  I = int_0^Y (1-e^-y)^(a-1) e^((b-1) y) dy,
 *   d log F/da = 1/a - log z + <log(1-e^-y)>,  d log F/db = <y>
 * (means weighted by the integrand), and dI/dz is the integrand at Y times
 * dY/dz = 1/(1-z): d log F/dz = -a/z + z^(a-1) (1-z)^-b / I. */
static double a1_integral(double a, double b, double z, double *da, double *db, double *dz)
{
    struct euler e = {a - 1, 0, b - 1};
    double mean[2], lz = log(z), l1z = log1p(-z);
    double li = de_log_integral(euler_f, &e, -l1z, a, 1, 2, mean);
    if (!isfinite(li))
        return NAN;
    *db = mean[0];
    *da = 1 / a - lz + mean[1];
    *dz = -a / z + exp((a - 1) * lz - b * l1z - li);
    return log(a) - a * lz + li;
}

double csi_log_hyp2f1_a1(double a, double b, double z, double *da, double *db, double *dz)
{
    *da = *db = *dz = 0;
    if (!(z >= 0 && z < 1) || !(a > 0) || !(b > 0))
        return NAN;
    if (z == 0)
        return 0;
    if (z <= 0.5 || series_terms(a, b, a + 1, z) <= SERIES_MAX) {
        double v = a1_series(a, b, z, da, db, dz);
        if (isfinite(v))
            return v;
    }
    return a1_integral(a, b, z, da, db, dz);
}

/* ---- the BG/NBD and MBG/NBD expectation as an integral over p ---- */

struct coin {
    double lR, R, lu, la1, lb1; /* log R, R, log u, a - 1, beta - 1 */
    double lo, hi;              /* the window of p */
    int survival;               /* (1 + p u)^-R instead */
};

/* log of (1 - (1 + p u)^-R) / p  p^(a-1) (1-p)^(beta-1), or of
 * (1 + p u)^-R p^(a-1) (1-p)^(beta-1) */
static double coin_f(void *ctx, double x, double lx, double xc, double lxc, double *aux)
{
    const struct coin *c = ctx;
    (void)aux;
    double p, lp, lq;
    if (c->lo == 0) {
        p = x, lp = lx;
        lq = c->hi == 1 ? lxc : log1p(-p);
    } else if (c->hi == 1) {
        p = 1 - xc, lp = log1p(-xc), lq = lxc;
    } else {
        p = c->lo + x, lp = log(p), lq = log1p(-p);
    }
    double lpu = lp + c->lu, g;
    if (c->survival)
        return -c->R * log1p(exp(lpu)) + c->la1 * lp + c->lb1 * lq;
    if (lpu < -30)
        g = c->lR + lpu - (c->R + 1) / 2 * exp(lpu); /* R p u (1 - (R+1) p u / 2) */
    else
        g = log(-expm1(-c->R * log1p(exp(lpu))));
    return g - lp + c->la1 * lp + c->lb1 * lq;
}

static double coin_integral(double R, double u, double a, double beta, int survival)
{
    if (!(R > 0) || !(u >= 0) || !(a > 0) || !(beta > 0) || !isfinite(u))
        return NAN;
    if (u == 0)
        return survival ? 1 : 0;
    struct coin c = {log(R), R, log(u), a - 1, beta - 1, 0, 1, survival};
    /* p ~ Beta(a, beta) is negligible outside these (a Gamma(a) tail over a +
     * beta on either side), with room for the other factor, which falls with
     * p by at most a factor 1 + R u (survival: (1 + u)^R) */
    double tilt = survival ? R * log1p(u) : log1p(R * u);
    double hi = (a + 14 * sqrt(a) + 100) / (a + beta);
    double lo = 1 - (beta + 14 * sqrt(beta) + 100 + tilt) / (a + beta);
    if (hi < 1)
        c.hi = hi;
    if (lo > 0)
        c.lo = lo;
    double mean[2];
    double li = de_log_integral(coin_f, &c, c.hi - c.lo, c.lo == 0 ? a : 1, c.hi == 1 ? beta : 1,
                                0, mean);
    double v = exp(li - gsl_sf_lnbeta(a, beta));
    return isfinite(v) ? v : NAN;
}

double csi_coin_expected(double R, double u, double a, double beta)
{
    return coin_integral(R, u, a, beta, 0);
}

double csi_coin_survival(double R, double u, double a, double beta)
{
    return coin_integral(R, u, a, beta, 1);
}

struct dert_ctx {
    const struct csi_family *f;
    const double *p;
    const cs_obs *o;
    double delta;
};

static double dert_integrand(double tau, void *arg)
{
    const struct dert_ctx *c = arg;
    double e = c->f->expected(c->p, c->o, tau);
    return isfinite(e) ? c->delta * exp(-c->delta * tau) * e : 0;
}

double csi_dert_numeric(const struct csi_family *f, const double *p, const cs_obs *o,
                        double delta)
{
    if (!(delta > 0))
        return NAN;
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    if (!ws)
        return NAN;
    struct dert_ctx c = {f, p, o, delta};
    gsl_function fn = {dert_integrand, &c};
    double res, abserr;
    int rc = gsl_integration_qagiu(&fn, 0, 0, 1e-8, 200, ws, &res, &abserr);
    gsl_integration_workspace_free(ws);
    return rc == 0 ? res : NAN;
}
