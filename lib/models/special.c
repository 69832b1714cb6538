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
