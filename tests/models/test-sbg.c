/* sBG against Fader & Hardie (2007), "How to project customer retention":
 * the 'regular' and 'high end' cohorts (survivors of 1000 over 7 years),
 * fitted on years 1..7, give alpha 0.704, beta 1.182 and alpha 0.668, beta
 * 3.806. DEL and DERL against direct sums of the survival function. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

static void fit(const double *s, cs_model *m)
{
    cs_obs o[8];
    double w[8];
    int k = 0;
    for (int t = 1; t <= 7; t++) {
        o[k] = (cs_obs){.x = t, .tx = 0, .T = 7};
        w[k++] = s[t - 1] - s[t];
    }
    o[k] = (cs_obs){.x = 0, .tx = 0, .T = 7};
    w[k++] = s[7];
    cs_dataset *d = cs_dataset_group(o, w, (size_t)k, NULL);
    CHECK(cs_model_fit(CS_MODEL_SBG, d, NULL, m, NULL) == CS_OK && m->converged);
    cs_dataset_free(d);
}

int main(void)
{
    gsl_set_error_handler_off();
    const double reg[] = {1000, 631, 468, 382, 326, 289, 262, 241};
    const double high[] = {1000, 869, 743, 653, 593, 551, 517, 491};
    cs_model m;
    fit(reg, &m);
    CHECK_ROUNDS_TO(m.param[0], 0.704, 3);
    CHECK_ROUNDS_TO(m.param[1], 1.182, 3);
    /* the fitted curve goes through the data closely (the paper's figure) */
    for (int t = 1; t <= 7; t++)
        CHECK(fabs(1000 * cs_sbg_survival(&m, t) - reg[t]) < 15);
    fit(high, &m);
    CHECK_ROUNDS_TO(m.param[0], 0.668, 3);
    CHECK_ROUNDS_TO(m.param[1], 3.806, 3);
    /* P(T = t) sums with S(t) to 1; r_t = S(t)/S(t-1) */
    double cum = 0;
    for (int t = 1; t <= 30; t++) {
        cum += cs_sbg_pmf(&m, t);
        CHECK_NEAR(cum + cs_sbg_survival(&m, t), 1, 1e-12);
        CHECK_NEAR(cs_sbg_retention(&m, t), cs_sbg_survival(&m, t) / cs_sbg_survival(&m, t - 1),
                   1e-12);
    }
    /* DEL and DERL against the sums they stand for */
    for (double d = 0.05; d < 0.5; d += 0.1) {
        double x = 1 / (1 + d), del = 0, xt = 1;
        for (int t = 0; t < 20000; t++, xt *= x)
            del += cs_sbg_survival(&m, t) * xt;
        CHECK_NEAR(cs_sbg_del(&m, d), del, 1e-8 * del);
        for (int n = 1; n <= 7; n += 3) {
            double derl = 0, xk = 1;
            for (int t = n; t < n + 20000; t++, xk *= x)
                derl += cs_sbg_survival(&m, t) / cs_sbg_survival(&m, n - 1) * xk;
            CHECK_NEAR(cs_sbg_derl(&m, d, n), derl, 1e-8 * derl);
        }
    }
    /* survivor counts as observations, and the checks on them */
    cs_obs o[8];
    double w[8];
    cs_error err = {0};
    CHECK(cs_sbg_from_survivors(reg, 8, o, w, &err) == 8);
    CHECK(o[0].x == 1 && w[0] == 369 && o[6].x == 7 && w[6] == 21 && o[7].x == 0 &&
          o[7].T == 7 && w[7] == 241);
    const double up[] = {100, 80, 90}, zero[] = {0, 0}, neg[] = {10, -1};
    CHECK(cs_sbg_from_survivors(up, 3, o, w, &err) == CS_EINVAL);
    CHECK(strstr(err.message, "increase from period 1 to 2") != NULL);
    CHECK(cs_sbg_from_survivors(zero, 2, o, w, &err) == CS_EINVAL);
    CHECK(cs_sbg_from_survivors(neg, 2, o, w, &err) == CS_EINVAL);
    CHECK(cs_sbg_from_survivors(reg, 1, o, w, &err) == CS_EEMPTY);
    /* the likelihood of records equals that of the counts: one cohort of
     * 1000 as records (cancelled in period t: P(T = t); active after 7
     * renewals: S(7)) */
    cs_subscriptions sub = {0};
    size_t n = 1000;
    int periods[1000];
    cs_day end[1000];
    uint32_t cohort[1000];
    size_t i = 0;
    for (int t = 1; t <= 7; t++)
        for (int k = 0; k < (int)(reg[t - 1] - reg[t]); k++, i++)
            periods[i] = t, end[i] = 1, cohort[i] = 0;
    for (; i < n; i++)
        periods[i] = 8, end[i] = CS_DAY_NONE, cohort[i] = 0;
    sub.n = n;
    sub.periods = periods;
    sub.end = end;
    sub.cohort = cohort;
    sub.ncohorts = 1;
    cs_dataset *dr = cs_subscriptions_dataset(&sub, -1, &err);
    cs_dataset *dc = cs_dataset_group(o, w, (size_t)cs_sbg_from_survivors(reg, 8, o, w, &err),
                                      &err);
    fit(reg, &m);
    CHECK_NEAR(cs_model_loglik(&m, dr), cs_model_loglik(&m, dc), 1e-9);
    CHECK_NEAR(cs_model_loglik(&m, dr), m.log_likelihood, 1e-9);
    /* Kaplan-Meier without censoring before 7 is the counts over 1000 */
    double km[10];
    CHECK(cs_subscriptions_km(&sub, 0, km, 9) == 7);
    for (int t = 0; t <= 7; t++)
        CHECK_NEAR(km[t], reg[t] / 1000, 1e-15);
    CHECK(isnan(km[8]) && isnan(km[9]));
    /* with censoring: 4 subscribers, one cancelled in period 1, one active
     * in period 2 (1 renewal seen), one cancelled in period 2, one active in
     * period 3: S(1) = 3/4, S(2) = 3/4 (1 - 1/2) = 3/8 */
    int p4[] = {1, 2, 2, 3};
    cs_day e4[] = {1, CS_DAY_NONE, 1, CS_DAY_NONE};
    uint32_t c4[] = {0, 0, 0, 0};
    cs_subscriptions s4 = {.n = 4, .periods = p4, .end = e4, .cohort = c4, .ncohorts = 1};
    CHECK(cs_subscriptions_km(&s4, -1, km, 4) == 2);
    CHECK_NEAR(km[1], 0.75, 1e-15);
    CHECK_NEAR(km[2], 0.375, 1e-15);
    cs_dataset_free(dr);
    cs_dataset_free(dc);
    return check_exit(1); /* no real data needed */
}
