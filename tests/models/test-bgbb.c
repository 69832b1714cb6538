/* BG/BB against Fader, Hardie & Shang (2010): the 1995 donor cohort (11,104
 * donors, 6 opportunities, ../shared/datasets/donations.csv), published
 * alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6;
 * and internal checks: the pmf, the new-customer expectation against a
 * simulation of the generative story, and the conditional expectation of a
 * customer with no history against E[X(t)]. */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

static const double P[4] = {1.204, 0.750, 0.657, 2.783};

static void test_consistency(void)
{
    cs_model m = {.kind = CS_MODEL_BGBB, .np = 4, .param = {1.204, 0.750, 0.657, 2.783}};
    for (int n = 1; n <= 10; n += 3) {
        double s = 0, mean = 0;
        for (int k = 0; k <= n; k++) {
            double pk = cs_model_pmf_new(&m, n, k);
            CHECK(pk >= 0);
            s += pk;
            mean += k * pk;
        }
        CHECK_NEAR(s, 1, 1e-12);
        CHECK_NEAR(mean, cs_model_expected_new(&m, n), 1e-10);
    }
    /* no history yet (n = 0): the conditional expectation is E[X(t)] */
    cs_obs none = {.x = 0, .tx = 0, .T = 0};
    CHECK_NEAR(cs_model_expected(&m, &none, 5), cs_model_expected_new(&m, 5), 1e-12);
    /* the likelihoods of all possible histories over n = 6 sum to 1 */
    double tot = 0;
    for (int x = 0; x <= 6; x++)
        for (int tx = x; tx <= 6; tx++) {
            if ((x == 0) != (tx == 0))
                continue;
            cs_obs o = {.x = x, .tx = tx, .T = 6};
            /* each (x, t_x) stands for C(t_x - 1, x - 1) sequences */
            double ways = x == 0 ? 1 : exp(gsl_sf_lnchoose((unsigned)(tx - 1), (unsigned)(x - 1)));
            tot += ways * exp(csi_family_bgbb.ll(P, &o));
        }
    CHECK_NEAR(tot, 1, 1e-12);
    cs_obs o = {.x = 3, .tx = 6, .T = 6}, gone = {.x = 3, .tx = 3, .T = 6};
    double pa = cs_model_p_alive(&m, &o), pg = cs_model_p_alive(&m, &gone);
    CHECK(pa > pg && pa <= 1 && pg > 0);
    CHECK(cs_model_p_alive_at(&m, &o, 5) < pa);
    double d1 = cs_model_dert(&m, &o, 0.1), d2 = cs_model_dert(&m, &o, 0.3);
    CHECK(isfinite(d1) && d1 > d2 && d2 > 0);
}

static void test_simulation(void)
{
    /* the generative story: p ~ Beta(alpha, beta), theta ~ Beta(gamma,
     * delta); at the start of every opportunity after the first purchase,
     * the first included, an alive customer dies with probability theta
     * (alive through n: (1 - theta)^n); while alive a transaction with
     * probability p */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    const int N = 200000, n = 6;
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double p = gsl_ran_beta(rng, P[0], P[1]), th = gsl_ran_beta(rng, P[2], P[3]);
        int x = 0;
        for (int t = 1; t <= n; t++) {
            if (gsl_rng_uniform(rng) < th)
                break;
            x += gsl_rng_uniform(rng) < p;
        }
        s += x;
        s2 += (double)x * x;
    }
    gsl_rng_free(rng);
    double mean = s / N, se = sqrt((s2 / N - mean * mean) / N);
    cs_model m = {.kind = CS_MODEL_BGBB, .np = 4, .param = {P[0], P[1], P[2], P[3]}};
    CHECK_NEAR(cs_model_expected_new(&m, n), mean, 3 * se);
}

static void test_donations(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/donations.csv", dir);
    cs_error err = {0};
    cs_input *in = cs_input_open(path, &err);
    if (!in)
        return;
    cs_customers *c = cs_customers_read(in, &err);
    cs_input_close(in);
    CHECK(c && c->kind == CS_TABLE_PATTERNS && c->n == 22);
    if (!c)
        return;
    cs_dataset *d = cs_dataset_group(c->obs, c->weight, c->n, &err);
    CHECK(d->total == 11104);
    cs_model m;
    CHECK(cs_model_fit(CS_MODEL_BGBB, d, NULL, &m, &err) == CS_OK && m.converged);
    CHECK_ROUNDS_TO(m.param[0], 1.204, 3);
    CHECK_ROUNDS_TO(m.param[1], 0.750, 3);
    CHECK_ROUNDS_TO(m.param[2], 0.657, 3);
    CHECK_ROUNDS_TO(m.param[3], 2.783, 3);
    CHECK_ROUNDS_TO(m.log_likelihood, -33225.6, 1);
    printf("bgbb: alpha %.4f beta %.4f gamma %.4f delta %.4f LL %.2f\n", m.param[0],
           m.param[1], m.param[2], m.param[3], m.log_likelihood);
    cs_dataset_free(d);
    cs_customers_free(c);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_consistency();
    test_simulation();
    const char *dir = check_datasets("donations.csv");
    if (dir)
        test_donations(dir);
    return check_exit(dir != NULL);
}
