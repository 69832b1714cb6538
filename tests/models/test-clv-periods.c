/* CLV over many periods (issue #10): cs_model_clv carries the special
 * functions from one period to the next (BG/NBD's and MBG/NBD's 2F1 near
 * z = 1, Pareto/NBD's P(alive)). Checked against the straightforward sum
 * over periods of the discounted differences of E[Y(t)], with E[Y(t)] from an
 * independent formula: the purchases expected of a customer alive at T with
 * rate lambda and drop-out probability p, (1 - exp(-lambda p t)) / p,
 * integrated over lambda ~ Gamma(r+x, alpha+T) in closed form and over p's
 * posterior by quadrature, times P(alive) (FHL 2005 eq. 11 for BG/NBD; for
 * MBG/NBD one more survived coin: Beta(a, b+x+1)). */
#include "custseg.h"
#include "models/family.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>

struct ey {
    double k, c, a, b, lnb, t; /* k = r+x, c = alpha+T, p ~ Beta(a, b); lnb = ln B(a, b) */
};

static double ey_integrand(double p, void *arg)
{
    const struct ey *e = arg;
    /* 1 - (c / (c + p t))^k without cancellation at small p t */
    double one_minus = -expm1(-e->k * log1p(p * e->t / e->c));
    double dens = exp((e->a - 1) * log(p) + (e->b - 1) * log1p(-p) - e->lnb);
    return one_minus / p * dens;
}

static gsl_integration_workspace *ws;

/* E[Y(t) | x, t_x, T] of BG/NBD (mbg = 0) or MBG/NBD (mbg = 1). */
static double ey(const double *par, const cs_obs *o, double t, int mbg)
{
    double r = par[0], al = par[1], a = par[2], b = par[3], x = o->x;
    /* P(alive): FHL 2005 eq. (11); MBG/NBD: the coin after the first purchase too */
    double odds = mbg ? a / (b + x) : x > 0 ? a / (b + x - 1) : 0;
    double pa = 1 / (1 + odds * pow((al + o->T) / (al + o->tx), r + x));
    struct ey e = {r + x, al + o->T, a, b + x + mbg, gsl_sf_lnbeta(a, b + x + mbg), t};
    gsl_function f = {ey_integrand, &e};
    double res, abserr;
    int rc = gsl_integration_qags(&f, 0, 1, 0, 1e-12, 1000, ws, &res, &abserr);
    CHECK(rc == 0 || abserr < 1e-10 * res);
    return pa * res;
}

/* The straightforward sum: sum_i (E(i L) - E((i-1) L)) / (1 + d)^i. */
static double clv_sum(const double *par, const cs_obs *o, int periods, double len, double d,
                      int mbg)
{
    double total = 0, prev = 0;
    for (int i = 1; i <= periods; i++) {
        double e = ey(par, o, i * len, mbg);
        total += (e - prev) / pow(1 + d, i);
        prev = e;
    }
    return total;
}

static const cs_obs customers[] = {{.x = 0, .tx = 0, .T = 38.86},
                                   {.x = 2, .tx = 30.43, .T = 38.86},
                                   {.x = 14, .tx = 30.1, .T = 32.3},
                                   {.x = 1, .tx = 0.5, .T = 0.5},
                                   {.x = 60, .tx = 130, .T = 134.7}};
#define NCUST (sizeof customers / sizeof customers[0])
static const double month = 365.25 / 12 / 7;

static void test_coin_models(void)
{
    const int kinds[2] = {CS_MODEL_BGNBD, CS_MODEL_MBGNBD};
    for (int mbg = 0; mbg < 2; mbg++) {
        cs_model m = {.kind = kinds[mbg], .np = 4, .param = {0.243, 4.414, 0.793, 2.426}};
        for (size_t i = 0; i < NCUST; i++) {
            const cs_obs *o = &customers[i];
            /* without discount the sum is E[Y] at the last period's end:
             * 10,000 months run z = t / (alpha + T + t) up to 0.9999 */
            const int np[] = {1, 12, 600, 10000};
            for (int j = 0; j < 4; j++) {
                double want = ey(m.param, o, np[j] * month, mbg);
                double got = cs_model_clv(&m, o, 1, np[j], month, 0, 1);
                CHECK_NEAR(got, want, 1e-9 * want);
            }
            /* discounted, period by period */
            double want = clv_sum(m.param, o, 600, month, 0.01, mbg);
            CHECK_NEAR(cs_model_clv(&m, o, 1, 600, month, 0.01, 1), want, 1e-9 * want);
            want = clv_sum(m.param, o, 30, 1, 0.002, mbg);
            CHECK_NEAR(cs_model_clv(&m, o, 2.5, 30, 1, 0.002, 0.3), 0.75 * want, 1e-9 * want);
        }
        /* all 10,000 periods, the slow way, for one customer of each model */
        const cs_obs *o = &customers[mbg ? 4 : 1];
        double want = clv_sum(m.param, o, 10000, month, 0.001, mbg);
        CHECK_NEAR(cs_model_clv(&m, o, 1, 10000, month, 0.001, 1), want, 1e-9 * want);
    }
}

/* Pareto/NBD: P(alive) once for all periods; the same sum as E[Y] one
 * period at a time. */
static void test_pnbd(void)
{
    cs_model m = {.kind = CS_MODEL_PNBD, .np = 4, .param = {0.553, 10.578, 0.606, 11.669}};
    for (size_t i = 0; i < NCUST; i++) {
        double total = 0, prev = 0;
        for (int k = 1; k <= 2000; k++) {
            double e = cs_model_expected(&m, &customers[i], k * month);
            total += (e - prev) / pow(1.01, k);
            prev = e;
        }
        CHECK_NEAR(cs_model_clv(&m, &customers[i], 1, 2000, month, 0.01, 1), total,
                   1e-12 * total);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    ws = gsl_integration_workspace_alloc(1000);
    test_coin_models();
    test_pnbd();
    gsl_integration_workspace_free(ws);
    return check_exit(1);
}
