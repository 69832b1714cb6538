/* Log-space helpers for the model families. */
#include "models/family.h"

#include <gsl/gsl_integration.h>
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

#define MAX_TERMS 2000000
#define TOL 1e-16

/* The Gauss series for z in [0, 1) with a, b, c > 0: every term is positive.
 * Terms are multiplied along in plain doubles and the sum is rescaled when
 * it grows large, so there is no overflow and no logarithm per term. The
 * terms grow while (a+k)(b+k)z > (c+k)(k+1) and then fall like z^k. */
static double series_pos(double a, double b, double c, double z)
{
    if (z == 0)
        return 0;
    double t = 1, s = 1, lscale = 0;
    for (long k = 0; k < MAX_TERMS; k++) {
        double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        t *= ratio;
        s += t;
        if (s > 1e250) {
            s *= 1e-250;
            t *= 1e-250;
            lscale += 250 * M_LN10;
        }
        /* past the peak the rest is below t * ratio / (1 - ratio) */
        if (ratio < 1 && t * ratio < TOL * s * (1 - ratio))
            return log(s) + lscale;
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
        if (t == 0 || (fabs(ratio) < 1 && fabs(t) < TOL * fabs(s))) {
            if (fabs(s) < 1e-8 * big)
                return NAN; /* catastrophic cancellation */
            *sign = s < 0 ? -1 : 1;
            return log(fabs(s));
        }
    }
    return NAN;
}

double csi_log_hyp2f1(double a, double b, double c, double z, int *sign)
{
    *sign = 1;
    if (!(z < 1) || !(c > 0))
        return NAN;
    if (z >= 0) {
        if (a > 0 && b > 0)
            return series_pos(a, b, c, z);
        return series_signed(a, b, c, z, sign);
    }
    /* Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), z/(z-1) in (0,1) */
    double w = z / (z - 1), l1z = log1p(-z);
    if (a > 0 && c - b > 0)
        return -a * l1z + series_pos(a, c - b, c, w);
    if (b > 0 && c - a > 0)
        return -b * l1z + series_pos(c - a, b, c, w);
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
double csi_log_hyp2f1_a1(double a, double b, double z, double *da, double *db, double *dz)
{
    *da = *db = *dz = 0;
    if (!(z >= 0 && z < 1) || !(a > 0) || !(b > 0))
        return NAN;
    if (z == 0)
        return 0;
    double t = 1, s = 1, sa = 0, sb = 0, sz = 0, hb = 0, lscale = 0;
    for (long k = 1; k < MAX_TERMS; k++) {
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
         * when even k t is negligible */
        if (ratio < 1 && t * (k + 1) * ratio < 1e-14 * s * (1 - ratio) * (1 - ratio)) {
            *da = sa / s;
            *db = sb / s;
            *dz = sz / (s * z);
            return log(s) + lscale;
        }
    }
    return NAN;
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
