/* Churn (cs-churn.h): risk bands and the band report against sums worked
 * out by hand, the evaluation inputs, the expected lifetime against the sum
 * of survival probabilities, sBG fits per cohort and pooled (Fader & Hardie
 * 2007), per-subscriber values, the rates summary, and the exact text of
 * the tables the library writes for custseg-churn. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <cJSON.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double cut[2] = {0.5, 0.8};

static void test_bands(void)
{
    CHECK_EQ_INT(cs_churn_band_classify(0, cut), CS_BAND_LOW);
    CHECK_EQ_INT(cs_churn_band_classify(0.4999, cut), CS_BAND_LOW);
    CHECK_EQ_INT(cs_churn_band_classify(0.5, cut), CS_BAND_MEDIUM);
    CHECK_EQ_INT(cs_churn_band_classify(0.7999, cut), CS_BAND_MEDIUM);
    CHECK_EQ_INT(cs_churn_band_classify(0.8, cut), CS_BAND_HIGH);
    CHECK_EQ_INT(cs_churn_band_classify(1, cut), CS_BAND_HIGH);
    CHECK_EQ_INT(cs_churn_band_classify(NAN, cut), CS_BAND_HIGH);
    const double other[2] = {0.1, 0.2};
    CHECK_EQ_INT(cs_churn_band_classify(0.15, other), CS_BAND_MEDIUM);
    CHECK_EQ_STR(cs_churn_band_name(CS_BAND_LOW), "low");
    CHECK_EQ_STR(cs_churn_band_name(CS_BAND_MEDIUM), "medium");
    CHECK_EQ_STR(cs_churn_band_name(CS_BAND_HIGH), "high");
    CHECK_EQ_STR(cs_churn_band_name(CS_BAND_ALL), "all");
    CHECK(cs_churn_band_name(4) == NULL && cs_churn_band_name(-1) == NULL);
}

static cs_churn_score score_of(double pa, double pah, double e, double pnp)
{
    cs_prediction p = {.p_alive = pa, .p_alive_at = pah, .expected = e, .p_no_purchase = pnp};
    cs_churn_score s;
    cs_churn_score_from_prediction(&p, cut, &s);
    return s;
}

static void test_scores(void)
{
    cs_churn_score s = score_of(0.3, 0.1, 2, 1.25);
    CHECK_NEAR(s.p_churn, 0.7, 1e-15);
    CHECK_NEAR(s.p_churn_at, 0.9, 1e-15);
    CHECK(s.expected == 2);
    CHECK(s.p_no_purchase == 1); /* clamped */
    CHECK_EQ_INT(s.band, CS_BAND_HIGH);
    CHECK(s.ok);
    s = score_of(1.25, 0.6, 0.5, -0.1); /* clamped to 0 */
    CHECK(s.p_churn == 0 && s.p_no_purchase == 0);
    CHECK_EQ_INT(s.band, CS_BAND_LOW);
    s = score_of(NAN, 0.5, 1, 0.5);
    CHECK(isnan(s.p_churn) && !s.ok);
    CHECK_EQ_INT(s.band, CS_BAND_MEDIUM);
    s = score_of(0.5, NAN, 1, 0.5);
    CHECK(isnan(s.p_churn_at) && !s.ok);
    CHECK_EQ_INT(s.band, CS_BAND_HIGH); /* no probability: high */
    s = score_of(0.5, 0.5, INFINITY, 0.5);
    CHECK(!s.ok);
}

static void test_report(void)
{
    /* five customers, weights 2, 1, 3, 1, 4 (p_churn, p_churn_at, expected,
     * p_no_purchase):
     *   a  .1 .2  3  .3  low     w 2
     *   b  .4 .6  1  .5  medium  w 1
     *   c  .7 .9  .5 .8  high    w 3
     *   d  .2 .45 2  .4  low     w 1
     *   e  no probability        w 4: left out
     * low: 3 customers; churned 2(.1) + .2 = .4; p_churn_at (2(.2) + .45)/3
     * = .85/3; purchases 2(3) + 2 = 8; p_no_purchase (2(.3) + .4)/3 = 1/3.
     * medium: 1; .4; .6; 1; .5. high: 3; 2.1; .9; 1.5; .8.
     * all: 7; 2.9; (.85 + .6 + 2.7)/7; 10.5; (1 + .5 + 2.4)/7. */
    cs_churn_score s[5] = {score_of(0.9, 0.8, 3, 0.3), score_of(0.6, 0.4, 1, 0.5),
                           score_of(0.3, 0.1, 0.5, 0.8), score_of(0.8, 0.55, 2, 0.4),
                           score_of(NAN, NAN, NAN, NAN)};
    const double w[5] = {2, 1, 3, 1, 4};
    cs_churn_report r;
    cs_churn_report_build(s, w, 5, &r);
    CHECK_EQ_INT(r.bad, 1);
    const double want[4][6] = {
        /* customers, share, churned, mean p_churn_at, purchases, mean p_no_purchase */
        {3, 3.0 / 7, 0.4, 0.85 / 3, 8, 1.0 / 3},
        {1, 1.0 / 7, 0.4, 0.6, 1, 0.5},
        {3, 3.0 / 7, 2.1, 0.9, 1.5, 0.8},
        {7, 1, 2.9, 4.15 / 7, 10.5, 3.9 / 7},
    };
    for (int k = 0; k < 4; k++) {
        const cs_churn_report_row *row = &r.row[k];
        CHECK_NEAR(row->customers, want[k][0], 1e-12);
        CHECK_NEAR(row->share, want[k][1], 1e-12);
        CHECK_NEAR(row->expected_churned, want[k][2], 1e-12);
        CHECK_NEAR(row->mean_p_churn_at, want[k][3], 1e-12);
        CHECK_NEAR(row->expected_purchases, want[k][4], 1e-12);
        CHECK_NEAR(row->mean_p_no_purchase, want[k][5], 1e-12);
    }
    /* no weights: one each; an empty band has no means */
    cs_churn_report_build(s, NULL, 2, &r);
    CHECK_EQ_INT(r.bad, 0);
    CHECK(r.row[CS_BAND_LOW].customers == 1 && r.row[CS_BAND_MEDIUM].customers == 1);
    CHECK(r.row[CS_BAND_HIGH].customers == 0 && r.row[CS_BAND_HIGH].share == 0);
    CHECK(isnan(r.row[CS_BAND_HIGH].mean_p_churn_at) &&
          isnan(r.row[CS_BAND_HIGH].mean_p_no_purchase));
    CHECK_NEAR(r.row[CS_BAND_ALL].expected_churned, 0.5, 1e-12);
    cs_churn_report_build(s + 4, NULL, 1, &r); /* nobody scored */
    CHECK(r.bad == 1 && isnan(r.row[CS_BAND_ALL].share));
}

/* a BG/NBD model (CDNOW, Fader, Hardie & Lee 2005) in weeks */
static cs_model bgnbd(void)
{
    cs_model m = {.kind = CS_MODEL_BGNBD, .np = 4, .param = {0.243, 4.414, 0.793, 2.426},
                  .unit = CS_UNIT_WEEK};
    return m;
}

static void test_score_customers(void)
{
    cs_obs obs[4] = {{.x = 0, .tx = 0, .T = 40},
                     {.x = 2, .tx = 30, .T = 40},
                     {.x = 5, .tx = 10, .T = 40},
                     {.x = 20, .tx = 39, .T = 40}};
    double wt[4] = {1, 1, 1, 1};
    cs_customers c = {.n = 4, .unit = CS_UNIT_WEEK, .obs = obs, .weight = wt};
    cs_model m = bgnbd();
    cs_churn_options o = {.horizon = 39, .cut = {0.5, 0.8}, .threads = 1};
    cs_churn_score s[4];
    cs_churn_report r;
    cs_error err = {0};
    CHECK(cs_churn_score_customers(&m, &c, &o, s, &r, &err) == CS_OK);
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(s[i].p_churn, 1 - cs_model_p_alive(&m, &obs[i]), 1e-12);
        CHECK_NEAR(s[i].p_churn_at, 1 - cs_model_p_alive_at(&m, &obs[i], 39), 1e-12);
        CHECK_NEAR(s[i].expected, cs_model_expected(&m, &obs[i], 39), 1e-12);
        CHECK_NEAR(s[i].p_no_purchase, cs_model_p_no_purchase(&m, &obs[i], 39), 1e-12);
        CHECK(s[i].ok);
    }
    CHECK(s[0].p_churn == 0); /* BG/NBD: no repeat purchase, alive */
    CHECK(s[2].p_churn > 0.5); /* lapsed */
    CHECK_NEAR(r.row[CS_BAND_ALL].customers, 4, 0);
    CHECK_NEAR(r.row[CS_BAND_ALL].expected_churned,
               s[0].p_churn + s[1].p_churn + s[2].p_churn + s[3].p_churn, 1e-12);
    /* more customers than one slice of predictions (2^18): each still gets
     * its own */
    size_t nb = (1u << 18) + 7;
    cs_obs *ob = malloc(nb * sizeof *ob);
    cs_churn_score *sb = malloc(nb * sizeof *sb);
    cs_customers cb = {.n = nb, .unit = CS_UNIT_WEEK, .obs = ob, .weight = NULL};
    double worst = 0;
    if (ob && sb) {
        for (size_t i = 0; i < nb; i++)
            ob[i] =
                (cs_obs){.x = (double)(i % 7), .tx = i % 7 ? 10 + (double)(i % 29) : 0, .T = 40};
        o.threads = 2;
        CHECK(cs_churn_score_customers(&m, &cb, &o, sb, NULL, &err) == CS_OK);
        for (size_t i = 0; i < nb; i++) {
            double d = fabs(sb[i].p_churn - (1 - cs_model_p_alive(&m, &ob[i])));
            worst = d > worst || isnan(d) ? d : worst;
        }
        CHECK(worst < 1e-12);
        CHECK(sb[nb - 1].p_churn == sb[(nb - 1) % 203].p_churn); /* the same history */
    }
    free(ob);
    free(sb);
    c.unit = CS_UNIT_DAY;
    CHECK(cs_churn_score_customers(&m, &c, &o, s, &r, &err) == CS_EINVAL);
    c.unit = CS_UNIT_WEEK;
    o.cut[0] = 0.9;
    CHECK(cs_churn_score_customers(&m, &c, &o, s, &r, &err) == CS_EINVAL);
}

static void test_evaluation(void)
{
    cs_obs week = {.x = 3, .tx = 30, .T = 40}, day = {.x = 3, .tx = 5, .T = 45},
           month = {.x = 1, .tx = 4, .T = 6};
    CHECK(cs_churn_recency_days(&week, CS_UNIT_WEEK) == 70);
    CHECK(cs_churn_recency_days(&day, CS_UNIT_DAY) == 40);
    CHECK_NEAR(cs_churn_recency_days(&month, CS_UNIT_MONTH), 2 * 365.25 / 12, 1e-12);
    /* four customers; the two without a holdout purchase have been away the
     * longest: the baseline separates them perfectly */
    cs_obs obs[4] = {{.x = 2, .tx = 38, .T = 40},
                     {.x = 5, .tx = 10, .T = 40},
                     {.x = 1, .tx = 39, .T = 40},
                     {.x = 0, .tx = 0, .T = 40}};
    double xh[4] = {3, 0, 1, 0}, wt[4] = {1, 1, 1, 1};
    cs_customers c = {.n = 4, .unit = CS_UNIT_WEEK, .obs = obs, .weight = wt, .x_holdout = xh,
                      .has_holdout = 1, .duration_holdout = 39};
    cs_model m = bgnbd();
    double model[4], base[4];
    int label[4];
    size_t bad = 9;
    cs_error err = {0};
    CHECK(cs_churn_eval_inputs(&m, &c, CS_CHURN_P_CHURN, model, base, label, &bad, &err) ==
          CS_OK);
    CHECK_EQ_INT(bad, 0);
    const double days[4] = {14, 210, 7, 280};
    const int y[4] = {0, 1, 0, 1};
    for (int i = 0; i < 4; i++) {
        CHECK(model[i] == 1 - cs_model_p_alive(&m, &obs[i]));
        CHECK(base[i] == days[i]);
        CHECK_EQ_INT(label[i], y[i]);
    }
    CHECK(cs_churn_eval_inputs(&m, &c, CS_CHURN_P_NO_PURCHASE, model, NULL, NULL, &bad, &err) ==
          CS_OK);
    for (int i = 0; i < 4; i++)
        CHECK(model[i] == cs_model_p_no_purchase(&m, &obs[i], 39));
    cs_churn_eval e;
    CHECK(cs_churn_evaluate(&m, &c, CS_CHURN_P_CHURN, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.n, 4);
    CHECK_EQ_INT(e.model.positives, 2);
    CHECK_NEAR(e.baseline.auc, 1, 0);
    CHECK(isnan(e.baseline.brier)); /* days are not probabilities */
    cs_eval direct;
    cs_churn_eval_inputs(&m, &c, CS_CHURN_P_CHURN, model, NULL, label, NULL, &err);
    cs_evaluate(model, label, 4, 1, &direct, NULL, NULL, NULL, &err);
    CHECK(e.model.auc == direct.auc && e.model.brier == direct.brier);
    cs_churn_eval_row rows[CS_CHURN_EVAL_ROWS];
    cs_churn_eval_rows(&e, rows);
    CHECK_EQ_STR(rows[0].metric, "auc");
    CHECK(rows[0].model == e.model.auc && rows[0].baseline == 1);
    CHECK_EQ_STR(rows[1].metric, "brier");
    CHECK(rows[1].model == e.model.brier && isnan(rows[1].baseline));
    CHECK_EQ_STR(rows[6].metric, "capture_top20");
    CHECK(rows[6].baseline == e.baseline.capture[1]);
    CHECK_EQ_STR(rows[7].metric, "decile_edge_ties");
    CHECK(rows[7].model == (double)e.model.dec_tied &&
          rows[7].baseline == (double)e.baseline.dec_tied);
    char *js = cs_churn_eval_json(&e);
    cJSON *j = cJSON_Parse(js);
    CHECK(j && cJSON_GetObjectItem(j, "customers")->valuedouble == 4);
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "score")->valuestring, "p_churn");
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "baseline_days_since_last"), "auc")
              ->valuedouble == 1);
    CHECK(cJSON_IsNull(
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "baseline_days_since_last"), "brier")));
    cJSON_Delete(j);
    free(js);
    /* errors */
    c.duration_holdout = NAN;
    CHECK(cs_churn_eval_inputs(&m, &c, CS_CHURN_P_NO_PURCHASE, model, base, label, &bad, &err) ==
          CS_EINVAL);
    c.has_holdout = 0;
    CHECK(cs_churn_eval_inputs(&m, &c, CS_CHURN_P_CHURN, model, base, label, &bad, &err) ==
          CS_EINVAL);
    c.has_holdout = 1;
    m.param[0] = NAN; /* no probability but for x = 0 (BG/NBD: alive, whatever r) */
    CHECK(cs_churn_eval_inputs(&m, &c, CS_CHURN_P_CHURN, model, base, label, &bad, &err) ==
          CS_EINVAL);
    CHECK_EQ_INT(bad, 3);
    CHECK(strstr(err.message, "no probability for 3 customers") != NULL);
    CHECK(model[3] == 0 && isnan(model[0]) && base[1] == 210); /* filled all the same */
}

static void test_lifetime(void)
{
    const double ab[][2] = {{3, 2}, {2.5, 4}, {6, 0.5}};
    for (int k = 0; k < 3; k++) {
        cs_model m = {.kind = CS_MODEL_SBG, .np = 2, .param = {ab[k][0], ab[k][1]}};
        double sum = 0;
        for (int t = 0; t < 200000; t++)
            sum += cs_sbg_survival(&m, t);
        CHECK_NEAR(cs_sbg_expected_lifetime(&m), sum, 1e-6 * sum);
    }
    cs_model m = {.kind = CS_MODEL_SBG, .np = 2, .param = {3, 2}};
    CHECK(cs_sbg_expected_lifetime(&m) == 2); /* (3 + 2 - 1)/(3 - 1) */
    m.param[0] = 1;
    CHECK(isinf(cs_sbg_expected_lifetime(&m)));
    m.param[0] = 0.704;
    CHECK(isinf(cs_sbg_expected_lifetime(&m)));
}

static double regular[8] = {1000, 631, 468, 382, 326, 289, 262, 241};

static void test_sbg_survivors(void)
{
    /* Fader & Hardie (2007), 'regular', years 1..7, twice: each cohort and
     * the pooled fit give alpha 0.704, beta 1.182 */
    char n1[] = "regular", n2[] = "again";
    char *names[2] = {n1, n2};
    double *counts[2] = {regular, regular};
    int nper[2] = {8, 8};
    cs_survivors sv = {.ncohorts = 2, .name = names, .count = counts, .nper = nper};
    cs_sbg_options o = {.periods = 5, .discount = 0.1};
    cs_error err = {0};
    cs_sbg_result *r = cs_sbg_fit_survivors(&sv, &o, &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK(r->pooled != NULL && !r->records && r->ncohorts == 2 && r->failed == 0);
    const cs_sbg_cohort_fit *fits[3] = {&r->cohort[0], &r->cohort[1], r->pooled};
    for (int k = 0; k < 3; k++) {
        const cs_sbg_cohort_fit *f = fits[k];
        CHECK(f->ok);
        CHECK_NEAR(f->model.param[0], 0.704, 0.0005);
        CHECK_NEAR(f->model.param[1], 1.182, 0.0005);
        CHECK_EQ_INT(f->observed, 7);
        CHECK_EQ_INT(f->horizon, 12);
        for (int t = 0; t <= 12; t++)
            CHECK(f->survival[t] == cs_sbg_survival(&f->model, t));
        for (int t = 1; t <= 12; t++)
            CHECK(f->retention[t] == cs_sbg_retention(&f->model, t));
        for (int n = 1; n <= 8; n++)
            CHECK(f->derl[n - 1] == cs_sbg_derl(&f->model, 0.1, n));
        CHECK(isinf(f->expected_lifetime)); /* alpha < 1 */
        CHECK(f->del == cs_sbg_del(&f->model, 0.1));
    }
    CHECK_EQ_STR(r->pooled->name, "pooled");
    CHECK_EQ_STR(r->cohort[1].name, "again");
    /* the pooled likelihood is the sum of the cohorts' */
    CHECK_NEAR(r->pooled->model.log_likelihood, 2 * r->cohort[0].model.log_likelihood, 1e-6);
    char *js = cs_sbg_result_json(r);
    cJSON *j = cJSON_Parse(js);
    CHECK(j != NULL);
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "input")->valuestring, "survivors");
    cJSON *p = cJSON_GetObjectItem(j, "pooled");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(p, "expected_lifetime")));
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(p, "survival")), 13);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(p, "retention")), 12);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(p, "derl_by_period")), 8);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "cohorts")), 2);
    CHECK(cJSON_GetObjectItem(p, "subscribers") == NULL);
    cJSON_Delete(j);
    free(js);
    cs_sbg_result_free(r);
    /* one cohort: no pooled fit */
    sv.ncohorts = 1;
    r = cs_sbg_fit_survivors(&sv, &o, &err);
    CHECK(r && r->pooled == NULL);
    cs_sbg_result_free(r);
    /* a cohort nobody leaves cannot be fitted: the error names it */
    double stay[3] = {100, 100, 100};
    char n3[] = "stay";
    names[1] = n3;
    counts[1] = stay;
    nper[1] = 3;
    sv.ncohorts = 2;
    CHECK(cs_sbg_fit_survivors(&sv, &o, &err) == NULL);
    CHECK(strncmp(err.message, "cohort 'stay': ", 15) == 0);
}

static void test_sbg_subscriptions(void)
{
    /* cohort 0: 'regular' as records, cancelled in year t or active in year
     * 8; cohort 1: three subscribers, none cancelled (no fit) */
    enum { N = 1003 };
    static int periods[N];
    static cs_day start[N], end[N];
    static uint32_t cohort[N];
    size_t i = 0;
    for (int t = 1; t <= 7; t++)
        for (int k = 0; k < (int)(regular[t - 1] - regular[t]); k++, i++)
            periods[i] = t, end[i] = 1, cohort[i] = 0;
    for (; i < 1000; i++)
        periods[i] = 8, end[i] = CS_DAY_NONE, cohort[i] = 0;
    for (; i < N; i++)
        periods[i] = 2, end[i] = CS_DAY_NONE, cohort[i] = 1;
    char c0[] = "regular", c1[] = "new";
    char *cn[2] = {c0, c1};
    cs_subscriptions s = {.n = N, .nactive = 244, .start = start, .end = end,
                          .periods = periods, .cohort = cohort, .ncohorts = 2,
                          .cohort_name = cn, .period = CS_PERIOD_YEAR, .as_of = 0};
    cs_sbg_options o = {.periods = 3, .discount = 0.1};
    cs_error err = {0};
    cs_sbg_result *r = cs_sbg_fit_subscriptions(&s, &o, &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK(r->records && r->pooled && r->failed == 1);
    const cs_sbg_cohort_fit *reg = &r->cohort[0], *nw = &r->cohort[1], *pool = r->pooled;
    CHECK(reg->ok && !nw->ok && nw->error[0] && pool->ok);
    CHECK_NEAR(reg->model.param[0], 0.704, 0.0005);
    CHECK_NEAR(reg->model.param[1], 1.182, 0.0005);
    CHECK_EQ_INT(reg->observed, 8); /* the longest: period 8 */
    CHECK(reg->subscribers == 1000 && reg->active == 241 && reg->cancelled == 759);
    CHECK(nw->subscribers == 3 && nw->active == 3 && nw->cancelled == 0);
    CHECK(pool->subscribers == N && pool->active == 244 && pool->cancelled == 759);
    CHECK_EQ_INT(reg->nkm, 8);
    for (int t = 0; t < 8; t++)
        CHECK_NEAR(reg->km[t], regular[t] / 1000, 1e-15);
    /* per subscriber: pooled, or by cohort where the cohort has a fit */
    for (int by = 0; by <= 1; by++) {
        size_t n;
        cs_sbg_subscriber *v = cs_sbg_result_subscribers(r, &s, by, &n, &err);
        CHECK(v != NULL);
        CHECK_EQ_INT(n, 244);
        for (size_t k = 0; v && k < n; k++) {
            size_t ix = v[k].index;
            CHECK(end[ix] == CS_DAY_NONE && v[k].period == periods[ix]);
            const cs_model *m = by && cohort[ix] == 0 ? &reg->model : &pool->model;
            double a = m->param[0], b = m->param[1], p = v[k].period;
            CHECK_NEAR(v[k].p_renew, (b + p - 1) / (a + b + p - 1), 1e-12);
            CHECK_NEAR(v[k].derl, cs_sbg_derl(m, 0.1, v[k].period), 1e-12 * v[k].derl);
        }
        CHECK(v && v[0].index == 759 && v[243].index == N - 1);
        free(v);
    }
    char *js = cs_sbg_result_json(r);
    cJSON *j = cJSON_Parse(js);
    cJSON *arr = cJSON_GetObjectItem(j, "cohorts");
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "period")->valuestring, "year");
    CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "error") != NULL);
    CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "alpha") == NULL);
    CHECK_EQ_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "pooled"), "active")->valuedouble,
                 244);
    cJSON_Delete(j);
    free(js);
    /* survivor fits do not give subscribers */
    size_t n;
    r->records = 0;
    CHECK(cs_sbg_result_subscribers(r, &s, 0, &n, &err) == NULL && err.code == CS_EINVAL);
    cs_sbg_result_free(r);
}

static void test_rates_summary(void)
{
    /* five months: active 10, 0, 8, 10, 5; churned next 3, 0, 6, 3, -:
     * rates .3, unknown (nobody active), .75, .3 (a tie: the first is the
     * lowest), unknown (no next month). Pooled 12 of 28. */
    size_t active[5] = {10, 0, 8, 10, 5}, churned[5] = {3, 0, 6, 3, 0};
    cs_rates r = {.period = CS_PERIOD_MONTH, .first = 2024 * 12, .nper = 5, .active = active,
                  .churned = churned};
    CHECK(cs_rates_known(&r, 0) && !cs_rates_known(&r, 1) && cs_rates_known(&r, 2) &&
          cs_rates_known(&r, 3) && !cs_rates_known(&r, 4) && !cs_rates_known(&r, 5));
    CHECK_NEAR(cs_rates_rate(&r, 2), 0.75, 0);
    CHECK(isnan(cs_rates_rate(&r, 1)) && isnan(cs_rates_rate(&r, 4)));
    cs_rates_summary s;
    cs_error err = {0};
    CHECK(cs_rates_summarise(&r, 0.5, &s, &err) == CS_OK);
    CHECK_EQ_INT(s.known, 3);
    CHECK_EQ_INT(s.kmin, 0);
    CHECK_EQ_INT(s.kmax, 2);
    CHECK_NEAR(s.rmin, 0.3, 0);
    CHECK_NEAR(s.rmax, 0.75, 0);
    CHECK_EQ_INT(s.active, 28);
    CHECK_EQ_INT(s.churned, 12);
    CHECK_NEAR(s.pooled, 12.0 / 28, 0);
    CHECK_EQ_INT(s.alerts, 1);
    CHECK(cs_rates_alert(&r, 2, 0.5) && !cs_rates_alert(&r, 0, 0.5));
    CHECK(cs_rates_summarise(&r, 0.3, &s, &err) == CS_OK && s.alerts == 1); /* not above .3 */
    CHECK(cs_rates_summarise(&r, 0.2, &s, &err) == CS_OK && s.alerts == 3);
    CHECK(cs_rates_summarise(&r, -1, &s, &err) == CS_OK && s.alerts == 0);
    CHECK(!cs_rates_alert(&r, 4, 0)); /* unknown: never an alert */
    /* cohort shares: cohort 0 (4 customers) active 4, 2, 1 in periods 0..2;
     * cohort 1 (2) active 2, 0 in periods 1..2; cohort 2 empty */
    size_t size3[3] = {4, 2, 0}, act3[9] = {4, 2, 1, 0, 2, 0, 0, 0, 0};
    cs_rates rc = {.nper = 3, .active = active, .churned = churned, .cohort_size = size3,
                   .cohort_active = act3};
    CHECK(cs_rates_share(&rc, 0, 0) == 1 && cs_rates_share(&rc, 0, 1) == 0.5 &&
          cs_rates_share(&rc, 0, 2) == 0.25);
    CHECK(isnan(cs_rates_share(&rc, 1, 0)) && cs_rates_share(&rc, 1, 1) == 1 &&
          cs_rates_share(&rc, 1, 2) == 0);
    CHECK(isnan(cs_rates_share(&rc, 2, 2)) && isnan(cs_rates_share(&rc, 0, 3)));
    /* one period: nothing known */
    r.nper = 1;
    CHECK(cs_rates_summarise(&r, 0, &s, &err) == CS_OK);
    CHECK(s.kmin == -1 && s.kmax == -1 && s.known == 0 && isnan(s.pooled) && s.alerts == 0);
    CHECK(cs_rates_summarise(NULL, 0, &s, &err) == CS_EINVAL);
}

static void test_zero_alive(void)
{
    cs_obs obs[3] = {
        {.x = 0, .tx = 0, .T = 10}, {.x = 2, .tx = 5, .T = 10}, {.x = 0, .tx = 0, .T = 4}};
    double wt[3] = {1, 1, 3};
    cs_customers c = {.n = 3, .unit = CS_UNIT_WEEK, .obs = obs, .weight = wt};
    cs_model m = bgnbd();
    CHECK(cs_model_has(&m, CS_CAP_ZERO_ALIVE));
    CHECK_NEAR(cs_churn_zero_alive(&m, &c), 4, 0);
    m.kind = CS_MODEL_PNBD;
    CHECK(!cs_model_has(&m, CS_CAP_ZERO_ALIVE));
    CHECK_NEAR(cs_churn_zero_alive(&m, &c), 0, 0);
    m.kind = CS_MODEL_MBGNBD; /* drop-out before any repeat purchase too */
    CHECK_NEAR(cs_churn_zero_alive(&m, &c), 0, 0);
}

/* Opens text as a table (header read); *path is the file to unlink. */
static cs_table *table_of(const char *text, const char **path, cs_input **in)
{
    cs_error err = {0};
    *path = tmpfile_str(text);
    *in = cs_input_open(*path, &err);
    cs_table *t = *in ? cs_table_open(*in, CS_DELIM_AUTO, &err) : NULL;
    CHECK(t != NULL);
    return t;
}

static void close_table(cs_table *t, cs_input *in, const char *path)
{
    cs_table_free(t);
    cs_input_close(in);
    unlink(path);
}

/* cs_survivors_read and cs_subscriptions_read on cs_table: what they read,
 * and where their errors point. */
static void test_sbg_readers(void)
{
    const char *path;
    cs_input *in;
    cs_error err = {0};
    /* long, with cohorts */
    cs_table *t = table_of("cohort,period,active\na,0,10\na,1,8\nb,0,5\nb,1,5\n", &path, &in);
    cs_survivors *sv = t ? cs_survivors_read(t, &err) : NULL;
    CHECK(sv && sv->ncohorts == 2 && sv->nper[1] == 2 && sv->count[0][1] == 8);
    CHECK(sv && !strcmp(sv->name[1], "b"));
    cs_survivors_free(sv);
    close_table(t, in, path);
    /* wide: a row with a field missing */
    t = table_of("cohort,y0,y1\nx,10,8\ny,5\n", &path, &in);
    memset(&err, 0, sizeof err);
    CHECK(t && cs_survivors_read(t, &err) == NULL && err.code == CS_EFORMAT && err.line == 3);
    CHECK_EQ_STR(err.message, "expected 3 fields as in the header, found 2");
    CHECK_EQ_STR(err.file, path);
    close_table(t, in, path);
    /* a period that is not whole: the column by number */
    t = table_of("period,active\n0,10\n0.5,8\n", &path, &in);
    memset(&err, 0, sizeof err);
    CHECK(t && cs_survivors_read(t, &err) == NULL && err.line == 3 && err.column == 1);
    CHECK_EQ_STR(err.message, "'0.5' is not a period number");
    close_table(t, in, path);
    /* subscriptions given to the survivors' reader */
    t = table_of("customer,start,end\na,2024-01-01,\n", &path, &in);
    memset(&err, 0, sizeof err);
    CHECK(t && cs_survivors_read(t, &err) == NULL && err.code == CS_ECOLUMN && err.line == 1);
    close_table(t, in, path);

    cs_subs_options so = {.period = CS_PERIOD_MONTH, .cohort_column = "plan"};
    CHECK(cs_day_from_ymd(2024, 6, 30, &so.as_of) == CS_OK);
    /* the cohort column found ignoring case, dates in both forms */
    t = table_of("Customer_ID\tStart_Date\tEnd\tPlan\n"
                 "a\t2024-01-31\t\tbasic\nb\t20240115\t2024-03-01\tplus\n",
                 &path, &in);
    cs_subscriptions *s = t ? cs_subscriptions_read(t, &so, &err) : NULL;
    CHECK(s && s->n == 2 && s->nactive == 1 && s->ncohorts == 2 && s->ids.n == 2);
    if (s) {
        size_t len;
        const char *id = cs_ids_get(&s->ids, 1, &len);
        CHECK(len == 1 && id[0] == 'b' && s->end[0] == CS_DAY_NONE &&
              !strcmp(s->cohort_name[s->cohort[1]], "plus"));
    }
    cs_subscriptions_free(s);
    close_table(t, in, path);
    /* a bad date: the column by number and name, the reader's words */
    so.cohort_column = NULL;
    t = table_of("customer,start,end\na,2024-01-01,2024-02-30\n", &path, &in);
    memset(&err, 0, sizeof err);
    CHECK(t && cs_subscriptions_read(t, &so, &err) == NULL && err.code == CS_EDATE);
    CHECK(err.line == 2 && err.column == 3);
    CHECK_EQ_STR(err.field, "end");
    CHECK_EQ_STR(err.message,
                 "'2024-02-30' is not an end date (or nothing while active) (YYYY-MM-DD or "
                 "YYYYMMDD)");
    close_table(t, in, path);
    /* an id that is not UTF-8 */
    t = table_of("id,start,end\n\xff,2024-01-01,\n", &path, &in);
    memset(&err, 0, sizeof err);
    CHECK(t && cs_subscriptions_read(t, &so, &err) == NULL && err.code == CS_EID);
    CHECK(err.line == 2 && err.column == 1);
    CHECK_EQ_STR(err.field, "id");
    close_table(t, in, path);
}

static void test_sbg_fit_input(void)
{
    cs_error err = {0};
    cs_sbg_options o = {.periods = 5, .discount = 0.1};
    cs_subs_options so = {.period = CS_PERIOD_MONTH};
    CHECK(cs_day_from_ymd(2024, 3, 15, &so.as_of) == CS_OK);
    cs_subscriptions dummy, *s = &dummy; /* set to NULL for counts */
    /* survivor counts: Fader & Hardie's regular cohort */
    const char *path = tmpfile_str("cohort,y0,y1,y2,y3,y4,y5,y6,y7\n"
                                   "regular,1000,631,468,382,326,289,262,241\n");
    cs_input *in = cs_input_open(path, &err);
    cs_sbg_result *r = in ? cs_sbg_fit_input(in, &so, &o, &s, &err) : NULL;
    CHECK(r && !r->records && s == NULL && r->ncohorts == 1);
    if (r)
        CHECK_NEAR(r->cohort[0].model.param[0], 0.704, 1e-3);
    cs_sbg_result_free(r);
    cs_input_close(in);
    unlink(path);
    /* subscription records: the subscriptions come back */
    path = tmpfile_str("customer,start,end\na,2024-01-31,\nb,2024-01-15,\n"
                       "d,2024-01-10,2024-02-10\ne,2024-01-10,2024-03-09\n");
    in = cs_input_open(path, &err);
    r = in ? cs_sbg_fit_input(in, &so, &o, &s, &err) : NULL;
    CHECK(r && r->records && s && s->n == 4 && s->nactive == 2);
    cs_subscriptions_free(s);
    cs_sbg_result_free(r);
    cs_input_close(in);
    unlink(path);
    /* an empty input: the file named, no line */
    path = tmpfile_str("");
    in = cs_input_open(path, &err);
    r = in ? cs_sbg_fit_input(in, &so, &o, &s, &err) : NULL;
    CHECK(r == NULL && s == NULL && err.code == CS_EEMPTY && err.line == 0);
    CHECK_EQ_STR(err.file, path);
    CHECK_EQ_STR(err.message, "the input is empty");
    cs_input_close(in);
    unlink(path);
    /* a reader's error keeps its line */
    path = tmpfile_str("period,active\n0,100\n1,eighty\n");
    in = cs_input_open(path, &err);
    r = in ? cs_sbg_fit_input(in, &so, &o, NULL, &err) : NULL;
    CHECK(r == NULL && err.line == 3);
    cs_input_close(in);
    unlink(path);
}

/* ---- the tables (cs_writer) ---- */

/* What a writer wrote to fp (a tmpfile), as a string to free. */
static char *written(FILE *fp)
{
    long n = ftell(fp);
    char *t = calloc((size_t)(n < 0 ? 0 : n) + 1, 1);
    rewind(fp);
    if (t && n > 0 && fread(t, 1, (size_t)n, fp) != (size_t)n)
        t[0] = '\0';
    fclose(fp);
    return t ? t : calloc(1, 1);
}

#define CHECK_TABLE(call, want)                                                    \
    do {                                                                           \
        FILE *fp_ = tmpfile();                                                     \
        cs_error e_ = {0};                                                         \
        CHECK(fp_ != NULL);                                                        \
        if (!fp_)                                                                  \
            break;                                                                 \
        int rc_ = (call);                                                          \
        char *t_ = written(fp_);                                                   \
        CHECK_EQ_INT(rc_, CS_OK);                                                  \
        CHECK_EQ_STR(t_, want);                                                    \
        free(t_);                                                                  \
        (void)e_;                                                                  \
    } while (0)

static void test_score_tables(void)
{
    char ids[] = "abb";
    size_t off[2] = {0, 1};
    uint32_t len[2] = {1, 2};
    cs_customers c = {.n = 2, .ids = {.n = 2, .bytes = ids, .off = off, .len = len}};
    cs_churn_score s[2] = {{.p_churn = 0.25, .p_churn_at = 0.5, .expected = 1.5,
                            .p_no_purchase = 0.75, .band = CS_BAND_MEDIUM, .ok = 1},
                           {.p_churn = NAN, .p_churn_at = NAN, .expected = NAN,
                            .p_no_purchase = NAN, .band = CS_BAND_HIGH}};
    CHECK_TABLE(cs_churn_scores_write(&c, s, fp_, CS_FORMAT_CSV, 1, &e_),
                "customer_id,p_churn,p_churn_at,expected_purchases,p_no_purchase,band\n"
                "a,0.25,0.5,1.5,0.75,medium\n"
                "bb,,,,,high\n");
    CHECK_TABLE(cs_churn_scores_write(&c, s, fp_, CS_FORMAT_TSV, 0, &e_),
                "a\t0.25\t0.5\t1.5\t0.75\tmedium\nbb\t\t\t\t\thigh\n");
    /* the report: low 3 customers, medium 1, high none, all 4 */
    cs_churn_report r = {.row = {{3, 0.75, 0.5, 0.75, 0.25, 6, 0.5, 2},
                                 {1, 0.25, 0.5, 0.625, 0.625, 1, 0.5, 0.5},
                                 {0, 0, 0, 0, NAN, 0, 0, NAN},
                                 {4, 1, 1, 1.375, 0.34375, 7, 1, 0.25}}};
    CHECK_TABLE(cs_churn_report_write(&r, fp_, CS_FORMAT_CSV, 1, &e_),
                "band,customers,share,expected_churned,mean_p_churn_at,expected_purchases,"
                "mean_p_no_purchase\n"
                "low,3,0.75,0.5,0.25,6,2\n"
                "medium,1,0.25,0.5,0.625,1,0.5\n"
                "high,0,0,0,,0,\n"
                "all,4,1,1,0.34375,7,0.25\n");
}

/* Deciles by rank: equal scores split by input order (the earlier customer
 * to the higher decile), and the customers tied across a decile edge
 * counted. 20 customers: two per decile; sorted position i is in decile
 * 10 - i / 2. */
static void test_decile_ties(void)
{
    double s[20];
    int y[20];
    cs_eval e;
    cs_error err = {0};
    for (int i = 0; i < 20; i++)
        s[i] = (20 - i) / 21.0, y[i] = i % 3 == 0;
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.dec_tied, 0); /* all distinct */
    s[3] = s[2]; /* positions 2 and 3: one decile, no edge between them */
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.dec_tied, 0);
    s[2] = s[1], s[3] = (20 - 3) / 21.0; /* positions 1 and 2: across the edge of 10 and 9 */
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.dec_tied, 2);
    s[4] = s[5] = s[6] = s[1]; /* 1, 2, 4, 5, 6 at positions 1..5: across two edges */
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.dec_tied, 5);
    /* all equal (a model without drop-out: p_churn 0 for all): every
     * customer is tied, and the split is by input order: the first ten
     * churned, so deciles 10..6 are all churners and 5..1 none */
    for (int i = 0; i < 20; i++)
        s[i] = 0, y[i] = i < 10;
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_EQ_INT(e.dec_tied, 20);
    CHECK_NEAR(e.auc, 0.5, 0);
    for (int d = 0; d < 10; d++) {
        CHECK_EQ_INT(e.dec_n[d], 2);
        CHECK_NEAR(e.dec_obs[d], d >= 5 ? 1 : 0, 0);
    }
    /* the same scores in another order give other deciles: the rule is the
     * input order, stated, not an accident of the sort */
    for (int i = 0; i < 20; i++)
        y[i] = i >= 10;
    CHECK(cs_evaluate(s, y, 20, 1, &e, NULL, NULL, NULL, &err) == CS_OK);
    CHECK_NEAR(e.dec_obs[9], 0, 0);
    CHECK_NEAR(e.dec_obs[0], 1, 0);
}

static void test_eval_tables(void)
{
    cs_churn_eval e = {.kind = CS_CHURN_P_CHURN, .n = 8};
    e.model = (cs_eval){.auc = 0.75, .brier = 0.125, .log_loss = 0.5, .lift = {2, 1.5},
                        .capture = {0.25, 0.5}, .base_rate = 0.5, .n = 8, .positives = 4,
                        .dec_tied = 3};
    e.baseline = (cs_eval){.auc = 0.625, .brier = NAN, .log_loss = NAN, .lift = {1, 1.25},
                           .capture = {0.125, 0.25}, .base_rate = 0.5, .n = 8, .positives = 4};
    for (int d = 0; d < 10; d++) {
        e.model.dec_pred[d] = d / 8.0;
        e.model.dec_obs[d] = d / 16.0;
        e.baseline.dec_pred[d] = 100 + d; /* mean days since the last purchase */
        e.baseline.dec_obs[d] = d / 32.0;
        e.model.dec_n[d] = e.baseline.dec_n[d] = d != 4; /* decile 5 empty */
    }
    char want[2048];
    int o = snprintf(want, sizeof want,
                     "metric,model,baseline_days_since_last\n"
                     "auc,0.75,0.625\nbrier,0.125,\nlog_loss,0.5,\nlift_top10,2,1\n"
                     "lift_top20,1.5,1.25\ncapture_top10,0.25,0.125\ncapture_top20,0.5,0.25\n");
    snprintf(want + o, sizeof want - (size_t)o, "decile_edge_ties,3,0\n");
    CHECK_TABLE(cs_churn_eval_write(&e, fp_, CS_FORMAT_CSV, 1, &e_), want);
    /* the deciles: a row each, numeric columns, an empty decile's means empty */
    o = snprintf(want, sizeof want,
                 "decile,customers,mean_score,observed_rate,baseline_mean_days_since_last,"
                 "baseline_observed_rate\n");
    for (int d = 0; d < 10; d++)
        o += d == 4 ? snprintf(want + o, sizeof want - (size_t)o, "5,0,,,,\n")
                    : snprintf(want + o, sizeof want - (size_t)o, "%d,1,%g,%g,%d,%g\n", d + 1,
                               d / 8.0, d / 16.0, 100 + d, d / 32.0);
    CHECK_TABLE(cs_churn_deciles_write(&e, fp_, CS_FORMAT_CSV, 1, &e_), want);
    const double fpr[3] = {0, 0.5, 1}, tpr[3] = {0, 0.75, 1};
    CHECK_TABLE(cs_churn_roc_write(fpr, tpr, 3, fp_, CS_FORMAT_CSV, 1, &e_),
                "false_positive_rate,true_positive_rate\n0,0\n0.5,0.75\n1,1\n");
    CHECK_TABLE(cs_churn_roc_write(fpr, tpr, 0, fp_, CS_FORMAT_CSV, 1, &e_),
                "false_positive_rate,true_positive_rate\n");
}

static void test_rates_tables(void)
{
    /* January to March 2024: active 4, 3, 2; churned next 2, 1, -. Cohort
     * January: 4 customers, active 4, 2, 1; February: 2, active 2, 1; March
     * empty (left out). */
    size_t active[3] = {4, 3, 2}, churned[3] = {2, 1, 0}, size[3] = {4, 2, 0},
           act[9] = {4, 2, 1, 0, 2, 1, 0, 0, 0};
    cs_rates r = {.period = CS_PERIOD_MONTH, .first = 2024 * 12, .nper = 3, .active = active,
                  .churned = churned, .cohort_size = size, .cohort_active = act};
    CHECK_TABLE(cs_rates_write(&r, CS_RATES_PERIODS, 0.4, fp_, CS_FORMAT_CSV, 1, &e_),
                "period,active,churned_next,churn_rate,alert\n"
                "2024-01,4,2,0.5,alert\n2024-02,3,1,0.333333333333,\n2024-03,2,,,\n");
    CHECK_TABLE(cs_rates_write(&r, CS_RATES_PERIODS, -1, fp_, CS_FORMAT_TSV, 0, &e_),
                "2024-01\t4\t2\t0.5\t\n2024-02\t3\t1\t0.333333333333\t\n2024-03\t2\t\t\t\n");
    CHECK_TABLE(cs_rates_write(&r, CS_RATES_COHORTS, -1, fp_, CS_FORMAT_CSV, 1, &e_),
                "cohort,period,cohort_size,active,share\n"
                "2024-01,2024-01,4,4,1\n2024-01,2024-02,4,2,0.5\n2024-01,2024-03,4,1,0.25\n"
                "2024-02,2024-02,2,2,1\n2024-02,2024-03,2,1,0.5\n");
    CHECK_TABLE(cs_rates_write(&r, CS_RATES_MATRIX, -1, fp_, CS_FORMAT_CSV, 1, &e_),
                "cohort,cohort_size,2024-01,2024-02,2024-03\n"
                "2024-01,4,1,0.5,0.25\n2024-02,2,,1,0.5\n");
    FILE *fp = tmpfile();
    cs_error err = {0};
    CHECK(cs_rates_write(&r, 7, -1, fp, CS_FORMAT_CSV, 1, &err) == CS_EINVAL);
    CHECK(cs_rates_write(NULL, CS_RATES_PERIODS, -1, fp, CS_FORMAT_CSV, 1, &err) == CS_EINVAL);
    if (fp)
        fclose(fp);
}

static void test_subscribers_table(void)
{
    /* three records, the second cancelled: the active ones, a and "c,d" */
    char ids[] = "abc,d";
    size_t off[3] = {0, 1, 2};
    uint32_t len[3] = {1, 1, 3};
    cs_day start[3];
    CHECK(cs_day_from_ymd(2024, 1, 31, &start[0]) == CS_OK);
    CHECK(cs_day_from_ymd(2024, 2, 1, &start[1]) == CS_OK);
    CHECK(cs_day_from_ymd(2024, 3, 15, &start[2]) == CS_OK);
    uint32_t cohort[3] = {0, 0, 1};
    char c0[] = "basic", c1[] = "plus";
    char *names[2] = {c0, c1};
    cs_subscriptions s = {.n = 3,
                          .nactive = 2,
                          .ids = {.n = 3, .bytes = ids, .off = off, .len = len},
                          .start = start, .cohort = cohort, .ncohorts = 2,
                          .cohort_name = names};
    cs_sbg_subscriber v[2] = {{.index = 0, .period = 3, .p_renew = 0.75, .derl = 2.5},
                              {.index = 2, .period = 1, .p_renew = 0.5, .derl = NAN}};
    CHECK_TABLE(cs_sbg_subscribers_write(v, 2, &s, fp_, CS_FORMAT_CSV, 1, &e_),
                "customer_id,cohort,start,period,p_renew,derl\n"
                "a,basic,2024-01-31,3,0.75,2.5\n\"c,d\",plus,2024-03-15,1,0.5,\n");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_bands();
    test_scores();
    test_report();
    test_score_customers();
    test_evaluation();
    test_decile_ties();
    test_lifetime();
    test_sbg_survivors();
    test_sbg_subscriptions();
    test_rates_summary();
    test_zero_alive();
    test_sbg_readers();
    test_sbg_fit_input();
    test_score_tables();
    test_eval_tables();
    test_rates_tables();
    test_subscribers_table();
    return test_result("churn");
}
