/* Pareto/NBD against the published CDNOW fit (Fader, Hardie & Lee 2005;
 * Fader & Hardie's Pareto/NBD note: r = 0.553, alpha = 10.578, s = 0.606,
 * beta = 11.669, LL = -9595.0), and against an independent route: a 2-D
 * quadrature over (lambda, mu) of the individual-level model, which gives
 * the likelihood and the conditional expectation without any 2F1. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

struct q {
    double r, al, s, be, x, tx, T, t, lam;
    int what; /* 0: likelihood, 1: E[Y(t)] numerator */
};

static double lgamma_pdf(double v, double shape, double rate)
{
    return shape * log(rate) + (shape - 1) * log(v) - rate * v - gsl_sf_lngamma(shape);
}

/* the individual likelihood given (lambda, mu), times what is asked */
static double inner(double mu, void *arg)
{
    const struct q *c = arg;
    double lam = c->lam;
    double alive = exp(c->x * log(lam) - (lam + mu) * c->T);
    double dead = exp(c->x * log(lam) + log(mu) - log(lam + mu)) *
                  (exp(-(lam + mu) * c->tx) - exp(-(lam + mu) * c->T));
    double prior = exp(lgamma_pdf(lam, c->r, c->al) + lgamma_pdf(mu, c->s, c->be));
    if (c->what == 0)
        return prior * (alive + dead);
    return prior * alive * lam * -expm1(-mu * c->t) / mu;
}

static double outer(double lam, void *arg)
{
    struct q *c = arg;
    c->lam = lam;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
    gsl_function f = {inner, c};
    double res = 0, err;
    gsl_integration_qagiu(&f, 0, 0, 1e-10, 500, w, &res, &err);
    gsl_integration_workspace_free(w);
    return res;
}

static double quad(struct q *c)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
    gsl_function f = {outer, c};
    double res = 0, err;
    gsl_integration_qagiu(&f, 0, 0, 1e-9, 500, w, &res, &err);
    gsl_integration_workspace_free(w);
    return res;
}

static void test_against_quadrature(void)
{
    const double p[4] = {0.553, 10.578, 0.606, 11.669};
    cs_model m = {.kind = CS_MODEL_PNBD, .np = 4, .param = {0.553, 10.578, 0.606, 11.669}};
    const cs_obs obs[] = {{.x = 0, .tx = 0, .T = 38.86},
                          {.x = 2, .tx = 30.43, .T = 38.86},
                          {.x = 1, .tx = 1.71, .T = 38.86},
                          {.x = 7, .tx = 35, .T = 38}};
    for (size_t i = 0; i < sizeof obs / sizeof *obs; i++) {
        struct q c = {p[0], p[1], p[2], p[3], obs[i].x, obs[i].tx, obs[i].T, 39, 0, 0};
        double L = quad(&c);
        CHECK_NEAR(csi_family_pnbd.ll(p, &obs[i]), log(L), 1e-6);
        c.what = 1;
        double ey = quad(&c) / L;
        CHECK_NEAR(cs_model_expected(&m, &obs[i], 39), ey, 1e-6 * (1 + ey));
    }
}

struct dq {
    const cs_model *m;
    const cs_obs *o;
    double delta;
};

static double dert_integrand(double t, void *arg)
{
    const struct dq *d = arg;
    return d->delta * exp(-d->delta * t) * cs_model_expected(d->m, d->o, t);
}

static void test_gradient(void)
{
    const double p[4] = {0.553, 10.578, 0.606, 11.669}, q2[4] = {0.553, 12.5, 0.606, 9.0};
    const cs_obs obs[] = {{.x = 0, .tx = 0, .T = 38.86},    {.x = 2, .tx = 30.43, .T = 38.86},
                          {.x = 1, .tx = 1.71, .T = 38.86}, {.x = 14, .tx = 30, .T = 32},
                          {.x = 60, .tx = 37.9, .T = 38.0}, {.x = 3, .tx = 38.86, .T = 38.86}};
    for (int pi = 0; pi < 2; pi++) /* both branches: alpha < beta and alpha >= beta */
        for (size_t i = 0; i < sizeof obs / sizeof *obs; i++) {
            const double *par = pi ? q2 : p;
            double g[4];
            double v = csi_family_pnbd.ll_grad(par, &obs[i], g);
            CHECK_NEAR(v, csi_family_pnbd.ll(par, &obs[i]), 1e-10 * (1 + fabs(v)));
            for (int j = 0; j < 4; j++) {
                double q[4];
                memcpy(q, par, sizeof q);
                double h = 1e-5 * par[j];
                q[j] = par[j] + h;
                double up = csi_family_pnbd.ll(q, &obs[i]);
                q[j] = par[j] - h;
                double dn = csi_family_pnbd.ll(q, &obs[i]);
                CHECK_NEAR(g[j], (up - dn) / (2 * h), 1e-6 * (1 + fabs(g[j])));
            }
        }
}

static void test_predictions(void)
{
    cs_model m = {.kind = CS_MODEL_PNBD, .np = 4, .param = {0.553, 10.578, 0.606, 11.669}};
    double s = 0, mean = 0;
    for (int k = 0; k < 300; k++) {
        double pk = cs_model_pmf_new(&m, 39, k);
        CHECK(pk >= 0);
        s += pk;
        mean += k * pk;
    }
    CHECK_NEAR(s, 1, 1e-8);
    CHECK_NEAR(mean, cs_model_expected_new(&m, 39), 1e-6);
    cs_obs c1 = {.x = 2, .tx = 30.43, .T = 38.86};
    double pa = cs_model_p_alive(&m, &c1), prev = pa;
    CHECK(pa > 0 && pa < 1);
    for (double h = 10; h <= 200; h += 10) {
        double v = cs_model_p_alive_at(&m, &c1, h);
        CHECK(v < prev && v > 0);
        prev = v;
    }
    /* DERT (closed form with U) against the integral of the discounted
     * expectation: integral delta exp(-delta t) E[Y(t)] dt */
    for (double delta = 0.005; delta < 0.2; delta *= 3) {
        struct dq q = {&m, &c1, delta};
        gsl_function f = {dert_integrand, &q};
        gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
        double sum = 0, abserr;
        gsl_integration_qagiu(&f, 0, 0, 1e-10, 500, w, &sum, &abserr);
        gsl_integration_workspace_free(w);
        double d = cs_model_dert(&m, &c1, delta);
        CHECK_NEAR(d, sum, 1e-6 * d);
    }
}

static void test_cdnow(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cdnow_customers_summary.csv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    char line[256];
    cs_obs *o = malloc(3000 * sizeof *o);
    size_t n = 0;
    int id;
    fgets(line, sizeof line, fp);
    while (n < 3000 && fscanf(fp, "%d,%lf,%lf,%lf", &id, &o[n].x, &o[n].tx, &o[n].T) == 4)
        n++;
    fclose(fp);
    CHECK(n == 2357);
    cs_dataset *d = cs_dataset_group(o, NULL, n, NULL);
    cs_model m;
    cs_error err = {0};
    CHECK(cs_model_fit(CS_MODEL_PNBD, d, NULL, &m, &err) == CS_OK);
    CHECK(m.kind == CS_MODEL_PNBD && m.converged && !m.boundary);
    CHECK_ROUNDS_TO(m.param[0], 0.553, 3);
    CHECK_ROUNDS_TO(m.param[1], 10.578, 3);
    CHECK_ROUNDS_TO(m.param[2], 0.606, 3);
    /* beta is weakly identified (its standard error is about 6) and this
     * file's times are rounded to 0.01 week: from it beta comes out
     * 11.66796. From exact times (tests/cli/cases/clv-cdnow-acceptance.sh,
     * summarised from the raw transactions) it rounds to the published
     * 11.669. */
    CHECK_NEAR(m.param[3], 11.669, 0.0015);
    CHECK_ROUNDS_TO(m.log_likelihood, -9595.0, 1);
    printf("pnbd: r %.4f alpha %.4f s %.4f beta %.4f LL %.3f, %ld evaluations, %.3f s\n",
           m.param[0], m.param[1], m.param[2], m.param[3], m.log_likelihood, m.evaluations,
           m.seconds);
    cs_dataset_free(d);
    free(o);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_against_quadrature();
    test_gradient();
    test_predictions();
    const char *dir = check_datasets("cdnow_customers_summary.csv");
    if (dir)
        test_cdnow(dir);
    return check_exit(dir != NULL);
}
