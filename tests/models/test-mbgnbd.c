/* MBG/NBD (Batislam, Denizel & Filiztekin 2007). No published fit on the
 * data here, so the checks are independent derivations: the gradient
 * against differences; E[Y(t)] against a quadrature over the posterior of p
 * (Beta(a, b+x+1) for an alive customer); the pmf sums to 1 with mean
 * E[X(t)]; E[X(t)] and P(X(t) = 0) against a simulation of the story. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

static const double P[4] = {0.525, 6.18, 0.891, 1.614};

struct ey {
    double r, al, a, b, x, T, t;
};

static double ey_integrand(double p, void *arg)
{
    const struct ey *e = arg;
    double lam = pow((e->al + e->T) / (e->al + e->T + p * e->t), e->r + e->x);
    double dens = exp((e->a - 1) * log(p) + (e->b + e->x) * log1p(-p) -
                      gsl_sf_lnbeta(e->a, e->b + e->x + 1));
    return (1 - lam) / p * dens;
}

static void test_expectation(void)
{
    cs_model m = {.kind = CS_MODEL_MBGNBD, .np = 4, .param = {P[0], P[1], P[2], P[3]}};
    const cs_obs hist[] = {{.x = 2, .tx = 30.43, .T = 38.86},
                           {.x = 0, .tx = 0, .T = 38.86},
                           {.x = 7, .tx = 35, .T = 38},
                           {.x = 1, .tx = 2, .T = 30}};
    for (size_t i = 0; i < sizeof hist / sizeof *hist; i++)
        for (double t = 1; t <= 80; t *= 3) {
            struct ey e = {P[0], P[1], P[2], P[3], hist[i].x, hist[i].T, t};
            gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
            gsl_function f = {ey_integrand, &e};
            double q, abserr;
            gsl_integration_qags(&f, 0, 1, 0, 1e-10, 1000, w, &q, &abserr);
            gsl_integration_workspace_free(w);
            q *= cs_model_p_alive(&m, &hist[i]);
            CHECK_NEAR(cs_model_expected(&m, &hist[i], t), q, 1e-7 * (1 + q));
        }
}

static void test_gradient(void)
{
    const cs_obs obs[] = {{.x = 0, .tx = 0, .T = 38.86},
                          {.x = 2, .tx = 30.43, .T = 38.86},
                          {.x = 14, .tx = 30.1, .T = 32.3}};
    for (size_t i = 0; i < sizeof obs / sizeof *obs; i++) {
        double g[4];
        csi_family_mbgnbd.ll_grad(P, &obs[i], g);
        for (int j = 0; j < 4; j++) {
            double q[4];
            memcpy(q, P, sizeof q);
            double h = 1e-6 * P[j];
            q[j] = P[j] + h;
            double up = csi_family_mbgnbd.ll(q, &obs[i]);
            q[j] = P[j] - h;
            double dn = csi_family_mbgnbd.ll(q, &obs[i]);
            CHECK_NEAR(g[j], (up - dn) / (2 * h), 1e-6 * (1 + fabs(g[j])));
        }
    }
}

static void test_pmf_and_simulation(void)
{
    cs_model m = {.kind = CS_MODEL_MBGNBD, .np = 4, .param = {P[0], P[1], P[2], P[3]}};
    double s = 0, mean = 0;
    for (int k = 0; k < 400; k++) {
        double pk = cs_model_pmf_new(&m, 39, k);
        s += pk;
        mean += k * pk;
    }
    CHECK_NEAR(s, 1, 1e-9);
    CHECK_NEAR(mean, cs_model_expected_new(&m, 39), 1e-6);
    /* the story: drop out right after the first purchase with p; then
     * purchases at rate lambda, each followed by drop-out with p */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    const int N = 400000;
    double sx = 0, sx2 = 0, zero = 0;
    for (int i = 0; i < N; i++) {
        double lam = gsl_ran_gamma(rng, P[0], 1 / P[1]), p = gsl_ran_beta(rng, P[2], P[3]);
        int x = 0;
        if (gsl_rng_uniform(rng) >= p)
            for (double t = gsl_ran_exponential(rng, 1 / lam); t <= 39;
                 t += gsl_ran_exponential(rng, 1 / lam)) {
                x++;
                if (gsl_rng_uniform(rng) < p)
                    break;
            }
        sx += x;
        sx2 += (double)x * x;
        zero += x == 0;
    }
    gsl_rng_free(rng);
    double mx = sx / N, se = sqrt((sx2 / N - mx * mx) / N);
    double p0 = zero / N, se0 = sqrt(p0 * (1 - p0) / N);
    CHECK_NEAR(cs_model_expected_new(&m, 39), mx, 3 * se);
    CHECK_NEAR(cs_model_pmf_new(&m, 39, 0), p0, 3 * se0);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_expectation();
    test_gradient();
    test_pmf_and_simulation();
    return check_exit(1); /* no real data needed */
}
