/* BG/NBD and MBG/NBD predictions over a grid of parameters, including the
 * ones the closed forms do not cover: a + b < 1 (2F1 with c <= 0 for x = 0),
 * a = 1 and a within 1e-2 of it, a or b at 1e-6 and 1e6, r and alpha from
 * 1e-3 to 1e3. Every output must be finite and in range (P(alive) in [0, 1],
 * P(alive at T + h) in [0, P(alive)] and falling, expectations >= 0 and
 * not falling in t: flat only where they saturate in double precision), and the expectations must equal an independent
 * quadrature of the models' definition to 1e-8 relative (1e-7 where a or b
 * is 1e6 or r is 1e3):
 *   E[Y(t) | x, t_x, T] = P(alive) E[(1 - e^(-lambda p t)) / p]
 * with lambda ~ Gamma(r+x, alpha+T) integrated in closed form and p ~ Beta(a,
 * b+x) (MBG/NBD: b+x+1) by GSL's qagp over s = logit(p), with break points
 * around the mode (not the library's double-exponential rule over p). A new
 * customer: x = 0, T = 0, and for MBG/NBD the factor (1 - p). P(alive) is
 * checked against the likelihood's two terms written with beta functions. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <stdlib.h>

#define RTOL 1e-8
#define RTOL_HUGE 1e-7

struct beta_int {
    double R, lu, a, be, lnb;
    int one_minus_p; /* the integrand carries (1 - p) */
};

/* (1 - (1 + p u)^-R) / p  p^a (1-p)^be / B(a, be): the integrand in s = logit p */
static double integrand(double s, void *arg)
{
    const struct beta_int *q = arg;
    double lp = s < 0 ? s - log1p(exp(s)) : -log1p(exp(-s));
    double lq = s > 0 ? -s - log1p(exp(-s)) : -log1p(exp(s));
    double lpu = lp + q->lu, f;
    if (lpu < -27)
        f = q->R * exp(q->lu) * (1 - (q->R + 1) / 2 * exp(lpu));
    else
        f = -expm1(-q->R * log1p(exp(lpu))) / exp(lp);
    double lw = q->a * lp + q->be * lq - q->lnb + (q->one_minus_p ? lq : 0);
    return f * exp(lw);
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double beta_quad(double R, double u, double a, double be, int one_minus_p)
{
    struct beta_int q = {R, log(u), a, be, gsl_sf_lnbeta(a, be), one_minus_p};
    /* the mode of p^a (1-p)^be in s, and how far either way the integrand
     * (log-concave density times a monotone factor) stays above e^-70 of
     * its value there: doubling steps */
    double ms = log(a) - log(be), top = integrand(ms, &q), dl = 1, dh = 1;
    while (dl < 1e12 && !(integrand(ms - dl, &q) < 1e-30 * top))
        dl *= 2;
    while (dh < 1e12 && !(integrand(ms + dh, &q) < 1e-30 * top))
        dh *= 2;
    double pts[120];
    int n = 0;
    for (double d = dl; d >= 1e-3; d /= 2)
        pts[n++] = ms - d;
    pts[n++] = ms;
    double lo = pts[0], hi = ms + dh;
    for (int k = -2; k <= 2; k++)
        if (-q.lu + 2 * k > lo && -q.lu + 2 * k < hi)
            pts[n++] = -q.lu + 2 * k;
    for (double d = 1e-3; d <= dh; d *= 2)
        pts[n++] = ms + d;
    pts[n++] = hi;
    qsort(pts, (size_t)n, sizeof pts[0], cmp);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || pts[i] > pts[m - 1] + 1e-9 * (1 + fabs(pts[i])))
            pts[m++] = pts[i];
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(4000);
    gsl_function fn = {integrand, &q};
    double res = NAN, err;
    int rc = gsl_integration_qagp(&fn, pts, (size_t)m, 0, 1e-11, 4000, ws, &res, &err);
    gsl_integration_workspace_free(ws);
    return rc == 0 || err < 1e-9 * fabs(res) ? res : NAN;
}

static long compared, failed_quad;

static void check_close(double got, double want, const char *what, const cs_model *m,
                        const cs_obs *o, double t)
{
    if (isnan(want)) {
        failed_quad++;
        return;
    }
    compared++;
    /* with a or b at 1e6 or r at 1e3, logarithms of size 1e6 (the Beta
     * density, lnbeta) carry rounding of 1e-10 into both routes */
    double tol = m->param[0] >= 1e3 || m->param[2] >= 1e5 || m->param[3] >= 1e5 ? RTOL_HUGE : RTOL;
    if (!(fabs(got - want) <= tol * fabs(want) + 1e-300)) {
        fprintf(stderr, "%s %s(r=%g alpha=%g a=%g b=%g; x=%g tx=%g T=%g; t=%g) = %.12g, quadrature %.12g\n",
                m->kind == CS_MODEL_BGNBD ? "bgnbd" : "mbgnbd", what, m->param[0], m->param[1],
                m->param[2], m->param[3], o ? o->x : 0, o ? o->tx : 0, o ? o->T : 0, t, got, want);
        check_failures++;
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const double rs[] = {1e-3, 0.5, 1e3}, als[] = {1e-3, 1, 1e3};
    const double as[] = {1e-6, 0.026, 0.5, 0.995, 1, 1.005, 4, 1e6};
    const double bs[] = {1e-6, 0.41, 6, 1e6};
    const cs_obs cust[] = {{.x = 0, .tx = 0, .T = 23.3}, {.x = 1, .tx = 2, .T = 30},
                           {.x = 6, .tx = 20, .T = 25}};
    const double hs[] = {1, 52, 520};
    const int kinds[] = {CS_MODEL_BGNBD, CS_MODEL_MBGNBD};
    for (int ki = 0; ki < 2; ki++)
        for (size_t i0 = 0; i0 < 3; i0++)
            for (size_t i1 = 0; i1 < 3; i1++)
                for (size_t i2 = 0; i2 < 8; i2++)
                    for (size_t i3 = 0; i3 < 4; i3++) {
                        const int mbg = kinds[ki] == CS_MODEL_MBGNBD;
                        double r = rs[i0], al = als[i1], a = as[i2], b = bs[i3];
                        cs_model m = {.kind = kinds[ki], .np = 4, .param = {r, al, a, b}};
                        /* a new customer */
                        double prev = 0;
                        for (int k = 0; k < 3; k++) {
                            double e = cs_model_expected_new(&m, hs[k]);
                            CHECK(isfinite(e) && e >= prev * (1 - 1e-8));
                            prev = e;
                        }
                        double e52 = cs_model_expected_new(&m, 52);
                        double q = mbg ? b / (a + b) * beta_quad(r, 52 / al, a, b + 1, 0)
                                       : beta_quad(r, 52 / al, a, b, 0);
                        check_close(e52, q, "E[X(52)]", &m, NULL, 52);
                        for (size_t c = 0; c < sizeof cust / sizeof cust[0]; c++) {
                            const cs_obs *o = &cust[c];
                            double x = o->x, R = r + x;
                            double pa = cs_model_p_alive(&m, o);
                            /* the likelihood's terms: alive at T, or gone right after
                             * the last purchase (BG/NBD: only with x > 0) */
                            double la = (mbg ? gsl_sf_lnbeta(a, b + x + 1) : gsl_sf_lnbeta(a, b + x)) -
                                        R * log(al + o->T);
                            double ld = mbg || x > 0 ? (mbg ? gsl_sf_lnbeta(a + 1, b + x)
                                                            : gsl_sf_lnbeta(a + 1, b + x - 1)) -
                                                           R * log(al + o->tx)
                                                     : -INFINITY;
                            double pw = 1 / (1 + exp(ld - la));
                            CHECK(pa >= 0 && pa <= 1);
                            /* (the beta functions here lose 1e-16 of their size) */
                            double tol = 1e-10 + 1e-15 * (fabs(la) + (ld > -INFINITY ? fabs(ld) : 0));
                            CHECK_NEAR(pa, pw, 1e-300 + tol * pw);
                            double ep = 0, pp = pa;
                            for (int k = 0; k < 3; k++) {
                                double e = cs_model_expected(&m, o, hs[k]);
                                double pat = cs_model_p_alive_at(&m, o, hs[k]);
                                CHECK(isfinite(e) && e >= ep * (1 - 1e-8));
                                CHECK(pat >= 0 && pat <= pp + 1e-12);
                                ep = e;
                                pp = pat;
                            }
                            double e = cs_model_expected(&m, o, 52);
                            q = pa * beta_quad(R, 52 / (al + o->T), a, b + x + mbg, 0);
                            check_close(e, q, "E[Y(52)|x,tx,T]", &m, o, 52);
                            /* the CLV sums the same expectations over 12 periods */
                            double clv = cs_model_clv(&m, o, 1, 12, 4.35, 0.01, 1);
                            CHECK(isfinite(clv) && clv >= 0);
                        }
                    }
    fprintf(stderr, "%ld expectations compared with the quadrature, %ld where GSL's qagp gave up\n",
            compared, failed_quad);
    /* the quadrature must have run nearly everywhere for the test to mean something */
    CHECK(failed_quad * 20 < compared);
    return check_exit(1);
}
