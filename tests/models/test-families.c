/* What the families declare: names, aliases, roles and capabilities, the
 * lists for help texts, and the datasets built for each kind of model. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

static void test_declarations(void)
{
    CHECK(cs_model_from_name("paretonbd") == CS_MODEL_PNBD);
    CHECK(cs_model_from_name("pareto-nbd") == CS_MODEL_PNBD);
    CHECK(cs_model_from_name("gammagamma") == CS_MODEL_GG);
    CHECK(cs_model_from_name("bg-bb") == CS_MODEL_BGBB);
    CHECK(cs_model_from_name("arima") == -1);
    CHECK(cs_model_role(CS_MODEL_BGNBD) == CS_ROLE_PURCHASE);
    CHECK(cs_model_role(CS_MODEL_GG) == CS_ROLE_SPEND);
    CHECK(cs_model_role(CS_MODEL_SBG) == CS_ROLE_RETENTION);
    CHECK(cs_model_role(-1) == CS_ROLE_NONE && cs_model_role(CS_MODEL_COUNT) == CS_ROLE_NONE);
    CHECK(cs_model_kind_has(CS_MODEL_PNBD, CS_CAP_DROPOUT | CS_CAP_TIME_UNIT));
    CHECK(!cs_model_kind_has(CS_MODEL_NBD, CS_CAP_DROPOUT));
    CHECK(cs_model_kind_has(CS_MODEL_BGBB, CS_CAP_DISCRETE | CS_CAP_PATTERNS));
    CHECK(cs_model_kind_has(CS_MODEL_GG, CS_CAP_REPEAT_ONLY | CS_CAP_MONETARY));
    CHECK(!cs_model_kind_has(-1, 0));
    cs_model m = {.kind = CS_MODEL_MBGNBD};
    CHECK(cs_model_has(&m, CS_CAP_SIMULATE) && !cs_model_has(&m, CS_CAP_PATTERNS));
    CHECK(!strcmp(cs_model_title(CS_MODEL_GG), "Gamma-Gamma"));
    CHECK(!strcmp(cs_model_nan_reason(CS_MODEL_BGNBD), "numerical limits"));
    CHECK(!strcmp(cs_model_nan_reason(CS_MODEL_PNBD), "numerical limits"));

    char buf[128];
    CHECK(cs_model_list(1u << CS_ROLE_PURCHASE, CS_CAP_DROPOUT | CS_CAP_TIME_UNIT, 0, ", ", buf,
                        sizeof buf) == 3 &&
          !strcmp(buf, "bgnbd, pnbd, mbgnbd"));
    CHECK(cs_model_list(~0u, CS_CAP_SIMULATE, 0, " or ", buf, sizeof buf) == 4 &&
          !strcmp(buf, "bgnbd, pnbd, mbgnbd or nbd"));
    CHECK(cs_model_list(1u << CS_ROLE_PURCHASE | 1u << CS_ROLE_SPEND, 0, CS_CAP_LIMIT_ONLY,
                        " or ", buf, sizeof buf) == 5 &&
          !strcmp(buf, "bgnbd, pnbd, mbgnbd, bgbb or gg"));
    CHECK(cs_model_list(1u << CS_ROLE_RETENTION, 0, 0, " or ", buf, sizeof buf) == 1 &&
          !strcmp(buf, "sbg"));
    /* truncated, terminated */
    CHECK(cs_model_list(~0u, 0, 0, ", ", buf, 6) == 7 && !strcmp(buf, "bgnbd"));
}

static void test_datasets(void)
{
    cs_obs obs[] = {{.x = 0, .tx = 0, .T = 10},
                    {.x = 2, .tx = 5, .T = 10},
                    {.x = 1, .tx = 4, .T = 10},
                    {.x = 2, .tx = 5, .T = 10}};
    double mon[] = {NAN, 8, 3, 8}, w[] = {1, 1, 1, 1};
    cs_customers c = {.n = 4, .kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_WEEK, .obs = obs,
                      .monetary = mon, .weight = w, .has_monetary = 1};
    cs_error err = {0};
    /* a purchase model: every customer, grouped */
    cs_dataset *d = cs_customers_dataset(&c, CS_MODEL_BGNBD, &err);
    CHECK(d && d->n == 3 && d->total == 4);
    cs_dataset_free(d);
    /* the spend model: repeat buyers, x and the mean value */
    d = cs_customers_dataset(&c, CS_MODEL_GG, &err);
    CHECK(d && d->n == 2 && d->total == 3);
    if (d && d->n == 2) {
        CHECK(d->obs[0].x == 1 && d->obs[0].tx == 3 && d->obs[0].T == 0 && d->w[0] == 1);
        CHECK(d->obs[1].x == 2 && d->obs[1].tx == 8 && d->obs[1].T == 0 && d->w[1] == 2);
    }
    cs_dataset_free(d);
    /* the checks, with the messages the tools print */
    c.has_monetary = 0;
    CHECK(!cs_customers_dataset(&c, CS_MODEL_GG, &err) && err.code == CS_EINVAL &&
          !strcmp(err.message, "the Gamma-Gamma model needs monetary values: the input has no "
                               "monetary_value column"));
    CHECK(!cs_customers_dataset(&c, CS_MODEL_BGBB, &err) && err.code == CS_EINVAL &&
          !strcmp(err.message,
                  "BG/BB needs a pattern table (frequency, t_x, periods[, weights])"));
    c.kind = CS_TABLE_PATTERNS;
    CHECK(!cs_customers_dataset(&c, CS_MODEL_PNBD, &err) && err.code == CS_EINVAL &&
          !strcmp(err.message, "a pattern table (frequency, t_x, periods) is for bgbb"));
    CHECK(!cs_customers_dataset(&c, 99, &err) && err.code == CS_EINVAL);
}

static int none(void *ctx, long customer, cs_day day, double value)
{
    (void)ctx, (void)customer, (void)day, (void)value;
    return 0;
}

static void test_simulation_kinds(void)
{
    cs_sim_options o = {.kind = CS_MODEL_GG, .param = {1, 1, 1}, .customers = 1, .end = 10};
    cs_error err = {0};
    CHECK(cs_simulate(&o, none, NULL, NULL, &err) == CS_EINVAL &&
          !strcmp(err.message,
                  "simulation is for the purchase models bgnbd, pnbd, mbgnbd and nbd"));
    o.kind = CS_MODEL_NBD;
    CHECK(cs_simulate(&o, none, NULL, NULL, &err) == CS_OK);
}

/* Simulation progress: 0 first, then increasing counts every
 * CS_SIM_PROGRESS_EVERY customers, the total last; the output does not
 * depend on it; a run stopped by its callback makes no final call. */
struct prog {
    long calls, last, total, bad;
};

static void on_progress(void *ctx, long done, long total)
{
    struct prog *p = ctx;
    if ((p->calls == 0 && done != 0) || (p->calls > 0 && done <= p->last) || done > total ||
        (p->total && total != p->total))
        p->bad++;
    p->calls++, p->last = done, p->total = total;
}

static int count_txn(void *ctx, long customer, cs_day day, double value)
{
    (void)customer, (void)day, (void)value;
    ++*(long *)ctx;
    return 0;
}

static int stop_at_3000(void *ctx, long customer, cs_day day, double value)
{
    (void)ctx, (void)day, (void)value;
    return customer >= 3000 ? CS_EIO : 0;
}

static void test_simulation_progress(void)
{
    cs_sim_options o = {.kind = CS_MODEL_BGNBD, .param = {0.243, 4.414, 0.793, 2.426},
                        .customers = 5000, .unit = CS_UNIT_WEEK, .seed = 3, .start = 0,
                        .acquisition_end = 100, .end = 300};
    cs_error err = {0};
    long plain = 0, with = 0;
    CHECK(cs_simulate(&o, count_txn, NULL, &plain, &err) == CS_OK);
    struct prog p = {0};
    o.progress = on_progress;
    o.progress_ctx = &p;
    CHECK(cs_simulate(&o, count_txn, NULL, &with, &err) == CS_OK);
    CHECK(plain == with && plain > 5000);
    CHECK(p.bad == 0);
    CHECK(p.calls == 2 + (5000 - 1) / CS_SIM_PROGRESS_EVERY); /* 0, 1024 .. 4096, 5000 */
    CHECK(p.last == 5000 && p.total == 5000);
    /* stopped by the log's callback: counts up to there, no final call */
    struct prog q = {0};
    o.progress_ctx = &q;
    CHECK(cs_simulate(&o, stop_at_3000, NULL, NULL, &err) == CS_EIO);
    CHECK(q.bad == 0 && q.calls == 3 && q.last == 2048); /* 0, 1024, 2048 */
}

/* the fourth statistic: observations that differ only in it stay apart, and
 * the three-statistic data group as before */
static void test_fourth_statistic(void)
{
    cs_obs o[4] = {{.x = 2, .tx = 5, .T = 10, .litt = 1.5},
                   {.x = 2, .tx = 5, .T = 10, .litt = 0.5},
                   {.x = 2, .tx = 5, .T = 10, .litt = 1.5},
                   {.x = 2, .tx = 5, .T = 10}};
    cs_error err = {0};
    cs_dataset *d = cs_dataset_group(o, NULL, 4, &err);
    CHECK(d && d->n == 3 && d->total == 4);
    if (d) {
        CHECK(d->obs[0].litt == 0 && d->obs[1].litt == 0.5 && d->obs[2].litt == 1.5);
        CHECK(d->w[2] == 2);
    }
    cs_dataset_free(d);
}

int main(void)
{
    test_fourth_statistic();
    gsl_set_error_handler_off();
    test_declarations();
    test_datasets();
    test_simulation_kinds();
    test_simulation_progress();
    return check_exit(1); /* no real data needed */
}
