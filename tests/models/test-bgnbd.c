/* BG/NBD, NBD and Gamma-Gamma against the published CDNOW results:
 * Fader, Hardie & Lee (2005), Marketing Science 24(2): BG/NBD on the 2,357
 * customer sample, weeks, r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
 * LL = -9582.4; Fader, Hardie & Lee (2005, JMR) / Fader & Hardie (2013)
 * Gamma-Gamma on the 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

static cs_obs *read_summary(const char *path, int zbar, size_t *n, double **m)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char line[256];
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return NULL;
    }
    cs_obs *o = malloc(3000 * sizeof *o);
    *m = malloc(3000 * sizeof **m);
    size_t k = 0;
    int id;
    double x, tx, T, z;
    while (k < 3000 && (zbar ? fscanf(fp, "%d,%lf,%lf,%lf,%lf", &id, &x, &tx, &T, &z) == 5
                             : fscanf(fp, "%d,%lf,%lf,%lf", &id, &x, &tx, &T) == 4)) {
        o[k] = (cs_obs){.x = x, .tx = tx, .T = T};
        (*m)[k] = zbar ? z : 0;
        k++;
    }
    fclose(fp);
    *n = k;
    return o;
}

static void test_gradient(void)
{
    const struct csi_family *f = &csi_family_bgnbd;
    const double p[4] = {0.243, 4.414, 0.793, 2.426};
    const cs_obs obs[] = {{.x = 0, .tx = 0, .T = 38.86},
                          {.x = 2, .tx = 30.43, .T = 38.86},
                          {.x = 14, .tx = 30.1, .T = 32.3},
                          {.x = 1, .tx = 0.5, .T = 0.5}};
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; i++) {
        double g[4];
        f->ll_grad(p, &obs[i], g);
        for (int j = 0; j < 4; j++) {
            double q[4];
            memcpy(q, p, sizeof q);
            double h = 1e-6 * p[j];
            q[j] = p[j] + h;
            double up = f->ll(q, &obs[i]);
            q[j] = p[j] - h;
            double dn = f->ll(q, &obs[i]);
            CHECK_NEAR(g[j], (up - dn) / (2 * h), 1e-6 * (1 + fabs(g[j])));
        }
    }
}

/* An independent route to E[Y(t) | x, t_x, T]: given alive at T with rate
 * lambda and drop-out probability p, the purchases expected in (T, T+t] are
 * (1 - exp(-lambda p t)) / p; lambda ~ Gamma(r+x, alpha+T) integrates in
 * closed form, p ~ Beta(a, b+x) by quadrature; times P(alive). */
struct ey {
    double r, al, a, b, x, T, t;
};

static double ey_integrand(double p, void *arg)
{
    const struct ey *e = arg;
    double lam = pow((e->al + e->T) / (e->al + e->T + p * e->t), e->r + e->x);
    double dens = exp((e->a - 1) * log(p) + (e->b + e->x - 1) * log1p(-p) -
                      gsl_sf_lnbeta(e->a, e->b + e->x));
    return (1 - lam) / p * dens;
}

static double ey_quadrature(const double *par, const cs_obs *o, double t, double palive)
{
    struct ey e = {par[0], par[1], par[2], par[3], o->x, o->T, t};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {ey_integrand, &e};
    double res, abserr;
    gsl_integration_qags(&f, 0, 1, 0, 1e-10, 1000, w, &res, &abserr);
    gsl_integration_workspace_free(w);
    return palive * res;
}

static void test_predictions(void)
{
    cs_model m = {.kind = CS_MODEL_BGNBD, .np = 4, .param = {0.243, 4.414, 0.793, 2.426}};
    /* the closed form (FHL 2005 eq. 10, with 2F1) against the quadrature */
    const cs_obs hist[] = {{.x = 2, .tx = 30.43, .T = 38.86},
                           {.x = 0, .tx = 0, .T = 38.86},
                           {.x = 7, .tx = 35, .T = 38},
                           {.x = 1, .tx = 2, .T = 30},
                           {.x = 25, .tx = 37.5, .T = 38.5}};
    for (size_t i = 0; i < sizeof hist / sizeof hist[0]; i++)
        for (double t = 1; t <= 80; t *= 3) {
            double q = ey_quadrature(m.param, &hist[i], t, cs_model_p_alive(&m, &hist[i]));
            CHECK_NEAR(cs_model_expected(&m, &hist[i], t), q, 1e-7 * (1 + q));
        }
    cs_obs c1 = {.x = 2, .tx = 30.43, .T = 38.86};
    /* P(alive) for x = 0 is 1; for a customer with a long silence it drops */
    cs_obs c0 = {.x = 0, .tx = 0, .T = 38.86};
    CHECK_NEAR(cs_model_p_alive(&m, &c0), 1.0, 1e-15);
    cs_obs old = {.x = 5, .tx = 5, .T = 38};
    CHECK(cs_model_p_alive(&m, &old) < 0.2);
    /* P(alive at T + h) falls with h and equals P(alive) at h = 0 */
    double prev = cs_model_p_alive(&m, &c1);
    CHECK_NEAR(cs_model_p_alive_at(&m, &c1, 0), prev, 1e-12);
    for (double h = 5; h <= 100; h += 5) {
        double v = cs_model_p_alive_at(&m, &c1, h);
        CHECK(v <= prev + 1e-12 && v >= 0);
        prev = v;
    }
    /* the pmf sums to 1 and its mean is E[X(t)] */
    double s = 0, mean = 0;
    for (int k = 0; k < 400; k++) {
        double pk = cs_model_pmf_new(&m, 39, k);
        s += pk;
        mean += k * pk;
    }
    CHECK_NEAR(s, 1, 1e-9);
    CHECK_NEAR(mean, cs_model_expected_new(&m, 39), 1e-6);
    /* E[X(t)] by integrating the expectation of a customer with no history:
     * E[Y(t) | x = 0, T = 0] is E[X(t)] itself */
    cs_obs fresh = {.x = 0, .tx = 0, .T = 0};
    CHECK_NEAR(cs_model_expected(&m, &fresh, 39), cs_model_expected_new(&m, 39), 1e-9);
    /* DERT at a tiny discount rate approaches the undiscounted long-run
     * expectation; at a large one it approaches 0 */
    double d1 = cs_model_dert(&m, &c1, 0.01), d2 = cs_model_dert(&m, &c1, 0.1);
    CHECK(isfinite(d1) && isfinite(d2) && d1 > d2 && d2 > 0);
}

static void test_cdnow(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cdnow_customers_summary.csv", dir);
    size_t n;
    double *mv;
    cs_obs *o = read_summary(path, 0, &n, &mv);
    CHECK(o != NULL && n == 2357);
    if (!o)
        return;
    cs_dataset *d = cs_dataset_group(o, NULL, n, NULL);
    cs_model m;
    cs_error err = {0};
    int rc = cs_model_fit(CS_MODEL_BGNBD, d, NULL, &m, &err);
    CHECK(rc == CS_OK);
    CHECK(m.kind == CS_MODEL_BGNBD && m.converged && !m.boundary);
    CHECK_ROUNDS_TO(m.param[0], 0.243, 3);
    CHECK_ROUNDS_TO(m.param[1], 4.414, 3);
    CHECK_ROUNDS_TO(m.param[2], 0.793, 3);
    CHECK_ROUNDS_TO(m.param[3], 2.426, 3);
    CHECK_ROUNDS_TO(m.log_likelihood, -9582.4, 1);
    CHECK(m.n_customers == 2357 && m.n_patterns < 2357);
    for (int j = 0; j < 4; j++)
        CHECK(isfinite(m.se[j]) && m.se[j] > 0);
    printf("bgnbd: r %.4f alpha %.4f a %.4f b %.4f LL %.3f (%zu patterns, %d iterations, %s, "
           "se %.4f %.4f %.4f %.4f, %ld evaluations, %.3f s)\n",
           m.param[0], m.param[1], m.param[2], m.param[3], m.log_likelihood, m.n_patterns,
           m.iterations, m.method, m.se[0], m.se[1], m.se[2], m.se[3], m.evaluations, m.seconds);
    /* the fit is the same whatever the order of the customers */
    for (size_t i = 0; i < n / 2; i++) {
        cs_obs t = o[i];
        o[i] = o[n - 1 - i];
        o[n - 1 - i] = t;
    }
    cs_dataset *d2 = cs_dataset_group(o, NULL, n, NULL);
    cs_model m2;
    cs_model_fit(CS_MODEL_BGNBD, d2, NULL, &m2, NULL);
    CHECK(memcmp(m.param, m2.param, sizeof m.param) == 0);
    cs_dataset_free(d2);
    cs_dataset_free(d);
    free(o);
    free(mv);

    snprintf(path, sizeof path, "%s/cdnow_customers_summary_with_transactions.csv", dir);
    o = read_summary(path, 1, &n, &mv);
    CHECK(o != NULL && n == 2357);
    if (!o)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (o[i].x > 0) {
            o[k] = (cs_obs){.x = o[i].x, .tx = mv[i], .T = 0};
            k++;
        }
    CHECK(k == 946);
    d = cs_dataset_group(o, NULL, k, NULL);
    rc = cs_model_fit(CS_MODEL_GG, d, NULL, &m, &err);
    CHECK(rc == CS_OK && m.converged);
    CHECK_ROUNDS_TO(m.param[0], 6.25, 2);
    CHECK_ROUNDS_TO(m.param[1], 3.74, 2);
    /* zbar in this file is rounded to cents; from it gamma comes out 15.45
     * (lifetimes prints the same); the published 15.44 used exact means,
     * which the CLI test checks from the raw transactions */
    CHECK_ROUNDS_TO(m.param[2], 15.45, 2);
    printf("gg: p %.4f q %.4f gamma %.4f LL %.3f\n", m.param[0], m.param[1], m.param[2],
           m.log_likelihood);
    /* E[M] for customer 1 (x = 2, zbar = 22.35) */
    double e = cs_model_spend(&m, 2, 22.35);
    CHECK(e > 22.35 * 0.7 && e < 35);
    cs_dataset_free(d);
    free(o);
    free(mv);
}

static void test_no_dropout(void)
{
    /* Customers who keep buying at a steady rate until the end: no one has a
     * long silence, so there is no evidence of drop-out: the fit must say so
     * and report the NBD limit instead of absurd a, b. */
    cs_obs o[400];
    for (int i = 0; i < 400; i++) {
        double T = 20 + i % 30, x = i % 7;
        o[i] = (cs_obs){.x = x, .tx = x > 0 ? T - 0.01 * (i % 5) : 0, .T = T};
    }
    cs_dataset *d = cs_dataset_group(o, NULL, 400, NULL);
    cs_model m;
    cs_error err = {0};
    int rc = cs_model_fit(CS_MODEL_BGNBD, d, NULL, &m, &err);
    CHECK(rc == CS_OK);
    CHECK(m.boundary == 1 && m.kind == CS_MODEL_NBD);
    CHECK(strstr(m.note, "no evidence of drop-out") != NULL);
    cs_dataset_free(d);
}

static void test_bad_data(void)
{
    cs_obs o[3] = {
        {.x = 0, .tx = 0, .T = 10}, {.x = 0, .tx = 0, .T = 12}, {.x = 0, .tx = 0, .T = 30}};
    cs_dataset *d = cs_dataset_group(o, NULL, 3, NULL);
    cs_model m;
    cs_error err = {0};
    CHECK(cs_model_fit(CS_MODEL_BGNBD, d, NULL, &m, &err) == CS_EEMPTY);
    CHECK(strstr(err.message, "no repeat buyers") != NULL);
    cs_dataset_free(d);
    cs_obs same[3] = {
        {.x = 2, .tx = 5, .T = 10}, {.x = 2, .tx = 5, .T = 10}, {.x = 2, .tx = 5, .T = 10}};
    d = cs_dataset_group(same, NULL, 3, NULL);
    CHECK(d->n == 1 && d->total == 3);
    CHECK(cs_model_fit(CS_MODEL_BGNBD, d, NULL, &m, &err) == CS_EINVAL);
    cs_dataset_free(d);
    cs_obs neg[2] = {{.x = 2, .tx = -5, .T = 0}, {.x = 1, .tx = 3, .T = 0}};
    d = cs_dataset_group(neg, NULL, 2, NULL);
    CHECK(cs_model_fit(CS_MODEL_GG, d, NULL, &m, &err) == CS_EINVAL);
    cs_dataset_free(d);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_gradient();
    test_predictions();
    test_no_dropout();
    test_bad_data();
    const char *dir = check_datasets("cdnow_customers_summary.csv");
    if (dir)
        test_cdnow(dir);
    return check_exit(dir != NULL);
}
