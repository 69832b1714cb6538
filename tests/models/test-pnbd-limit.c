/* Pareto/NBD where beta >> alpha + T or alpha >> beta + T (both 2F1
 * arguments of A0 near 1; the fit on Online Retail runs there): the
 * log-likelihood against an independent quadrature of its definition,
 *   L = Γ(r+x) α^r β^s / Γ(r) {(α+T)^-(r+x) (β+T)^-s
 *       + s ∫_{t_x}^T (α+τ)^-(r+x) (β+τ)^-(s+1) dτ}
 * (GSL qags, relative 1e-12), to 1e-10 in log L; the analytic gradient
 * (by log-parameters) against central differences, to 1e-7; P(alive) in [0, 1] and
 * equal to the same quadrature's share; and no step where the code changes
 * route (the series in (alpha+T)/(beta-alpha) at <= 1/2, the 2F1 above):
 * log L continuous in beta across it. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

struct jd {
    double r, al, s, be, x;
};

static double j_integrand(double tau, void *arg)
{
    const struct jd *d = arg;
    return exp(-(d->r + d->x) * log(d->al + tau) - (d->s + 1) * log(d->be + tau));
}

/* log L and P(alive) by quadrature */
static double ll_quad(const double *p, const cs_obs *o, double *pa)
{
    struct jd d = {p[0], p[1], p[2], p[3], o->x};
    double r = p[0], al = p[1], s = p[2], be = p[3], x = o->x;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {j_integrand, &d};
    double J = 0, err;
    if (o->T > o->tx)
        gsl_integration_qags(&f, o->tx, o->T, 0, 1e-12, 1000, w, &J, &err);
    gsl_integration_workspace_free(w);
    double alive = exp(-(r + x) * log(al + o->T) - s * log(be + o->T));
    *pa = alive / (alive + s * J);
    return gsl_sf_lngamma(r + x) - gsl_sf_lngamma(r) + r * log(al) + s * log(be) +
           log(alive + s * J);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct csi_family *f = &csi_family_pnbd;
    const double ps[][4] = {
        {0.74, 9.1, 0.5, 1e4},   {0.74, 9.1, 0.05, 1e7}, {0.3, 0.01, 2, 500},
        {2.5, 30, 0.8, 3e3},     {0.74, 1e4, 0.5, 9.1},  {0.2, 5e5, 3, 0.5},
        {1.0, 9.1, 1.0, 150},    {0.5, 2, 0.6, 110},     {12, 4, 0.3, 1e5},
    };
    const cs_obs obs[] = {{.x = 0, .tx = 0, .T = 30},   {.x = 1, .tx = 3, .T = 40},
                          {.x = 7, .tx = 38, .T = 40},  {.x = 40, .tx = 20, .T = 52},
                          {.x = 2, .tx = 0.5, .T = 0.7}, {.x = 3, .tx = 10, .T = 10}};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        for (size_t k = 0; k < sizeof obs / sizeof obs[0]; k++) {
            const double *p = ps[i];
            const cs_obs *o = &obs[k];
            double pq, lq = ll_quad(p, o, &pq);
            double v = f->ll(p, o);
            CHECK_NEAR(v, lq, 1e-10 * (1 + fabs(lq)));
            double pa = f->p_alive(p, o);
            CHECK(pa >= 0 && pa <= 1);
            CHECK_NEAR(pa, pq, 1e-10);
            double g[4];
            double vg = f->ll_grad(p, o, g);
            CHECK_NEAR(vg, v, 1e-12 * (1 + fabs(v)));
            for (int j = 0; j < 4; j++) {
                double q[4];
                memcpy(q, p, sizeof q);
                double h = 1e-5 * p[j];
                q[j] = p[j] + h;
                double up = f->ll(q, o);
                q[j] = p[j] - h;
                double dn = f->ll(q, o);
                /* d/d log p (what the fit uses), against its rounding */
                double num = (up - dn) / (2 * h) * p[j];
                CHECK_NEAR(g[j] * p[j], num, 1e-7 * (1 + fabs(num)) + 1e-12 * (fabs(up) + fabs(dn)) * p[j] / h);
            }
        }
    /* across the switch: (alpha+T)/(beta-alpha) = 1/2 at beta = alpha + 2(alpha+T) */
    const cs_obs o = {.x = 2, .tx = 10, .T = 40};
    double al = 9.1, bsw = al + 2 * (al + o.T);
    for (double e = -1e-6; e <= 1e-6; e += 1e-6) {
        double p[4] = {0.74, al, 0.5, bsw * (1 + e)};
        double pq, lq = ll_quad(p, &o, &pq);
        CHECK_NEAR(f->ll(p, &o), lq, 1e-10 * (1 + fabs(lq)));
    }
    return check_exit(1);
}
