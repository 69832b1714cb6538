/* custseg: a report's contents, computed once from a loaded builder. Each
 * section is computed by the library function the matching tool calls
 * (custseg-pyramid, custseg-rfm, custseg-churn rates, custseg-clv), so the
 * report's numbers are the tools' numbers. */
#include "report/report-internal.h"

#include "util/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_report_options_init(cs_report_options *o)
{
    memset(o, 0, sizeof *o);
    o->unit = CS_UNIT_WEEK;
    o->churn_period = CS_PERIOD_MONTH;
    o->churn_alert = -1;
    o->fit = -1;
    o->discount = -1;
}

void csi_report_note(cs_report *r, const char *fmt, ...)
{
    if (r->nnotes >= CSI_REPORT_MAX_NOTES)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = strdup(buf);
    if (s)
        r->notes[r->nnotes++] = s;
}

int cs_report_prepare(cs_builder *b, const cs_report_options *o, cs_error *err)
{
    int rc = cs_builder_track_periods(b, o->churn_period, err);
    /* the repeat purchase days per day are for the tracking chart, which is
     * drawn with a model only (one fitted for a holdout or asked for) */
    const cs_summary_options *so = cs_builder_options(b);
    int model = o->model || o->fit >= 0 || (so && so->calibration_end != CS_DAY_NONE);
    return rc == CS_OK && model ? cs_builder_track_days(b, err) : rc;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- Overview ---- */

static void overview(cs_report *r, const cs_summary *s)
{
    r->customers = s->n;
    r->has_amount = s->has_amount;
    r->returns = s->returns;
    r->as_of = s->as_of;
    r->calibration_end = s->calibration_end;
    r->sstats = s->stats;
    r->first_day = s->stats.min_day;
    r->last_day = s->stats.max_day;
    for (size_t i = 0; i < s->n; i++) {
        const cs_summary_row *w = &s->rows[i];
        r->transactions += (uint64_t)w->transactions + w->holdout_transactions;
        r->revenue += w->total_value + w->holdout_value;
    }
}

/* ---- Concentration and the pyramid ---- */

static int concentration(cs_report *r, const cs_summary *s, cs_error *err)
{
    if (!s->has_amount) {
        csi_report_note(r, "Concentration and pyramid: the data have no amounts");
        return CS_OK;
    }
    cs_error e = {0};
    cs_values *v = cs_values_from_summary(s, 0, err);
    if (!v)
        return err ? err->code : CS_ENOMEM;
    size_t n = v->n;
    double *clipped = csi_big_alloc((n + 1) * sizeof *clipped, 0);
    int *tier = csi_big_alloc((n + 1) * sizeof *tier, 0);
    int *active = csi_big_alloc((n + 1) * sizeof *active, 0);
    if (!clipped || !tier || !active) {
        free(clipped), free(tier), free(active), cs_values_free(v);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        clipped[i] = v->value[i] < 0 ? 0 : v->value[i];
        r->conc_clipped += v->value[i] < 0;
    }
    if (cs_concentration_compute(clipped, n, &r->conc, &e) == CS_OK)
        r->has_conc = 1;
    else
        csi_report_note(r, "Concentration: %s", e.message);
    double inactive = r->opt.inactive_after > 0 ? r->opt.inactive_after : 365;
    cs_values_active(v, inactive, active);
    memset(&e, 0, sizeof e);
    if (cs_values_check(v, &e) == CS_OK && cs_pyramid_init(&r->pyr, CS_PYR_CURRY, NULL, 0, &e) == CS_OK &&
        cs_pyramid_tier(&r->pyr, v->value, active, n, tier, NULL, NULL, &e) == CS_OK &&
        cs_pyramid_report(&r->pyr, v->value, tier, n, r->pyr_rows, &e) == CS_OK)
        r->has_pyr = 1;
    else if (e.code == CS_ENOMEM) {
        free(clipped), free(tier), free(active), cs_values_free(v);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    } else
        csi_report_note(r, "Pyramid: %s", e.message);
    free(clipped), free(tier), free(active), cs_values_free(v);
    return CS_OK;
}

/* ---- RFM ---- */

static int rfm(cs_report *r, const cs_summary *s, cs_error *err)
{
    cs_error e = {0};
    cs_rfm_data *d = cs_rfm_data_from_summary(s, 0, 0, err);
    if (!d)
        return err ? err->code : CS_ENOMEM;
    int bins = r->opt.rfm_bins >= 2 && r->opt.rfm_bins <= CS_RFM_MAX_BINS ? r->opt.rfm_bins : 5;
    r->rf_only = d->rf_only;
    int rc = cs_rfm_data_check(d, &e);
    if (rc == CS_OK)
        rc = cs_rfm_breaks_compute(&r->breaks, d, bins, NULL, NULL, &e);
    if (rc == CS_OK)
        rc = cs_rfm_rules_builtin(&r->rules, d->rf_only ? "rf" : "rfm", &e);
    if (rc == CS_OK)
        rc = cs_rfm_report_compute(&r->rfm, d, &r->breaks, &r->rules, &e);
    if (rc == CS_OK) {
        r->nr = r->breaks.ncut[CS_RFM_R] + 1;
        r->nf = r->breaks.ncut[CS_RFM_F] + 1;
        for (size_t i = 0; i < d->n; i++) {
            cs_rfm_scored sc;
            cs_rfm_score_customer(&r->breaks, &r->rules, d, i, &sc);
            int ri = sc.score[CS_RFM_R] - 1, fi = sc.score[CS_RFM_F] - 1;
            if (ri < 0 || fi < 0 || ri >= CS_RFM_MAX_BINS || fi >= CS_RFM_MAX_BINS)
                continue;
            r->cell_n[ri][fi] += 1;
            r->cell_m[ri][fi] += d->rf_only ? 0 : d->total[i];
        }
        for (int a = 0; a < CS_RFM_MAX_BINS; a++)
            for (int f = 0; f < CS_RFM_MAX_BINS; f++)
                r->cell_m[a][f] = r->cell_n[a][f] > 0 && !d->rf_only
                                      ? r->cell_m[a][f] / r->cell_n[a][f] : NAN;
        r->has_rfm = 1;
    } else if (rc == CS_ENOMEM) {
        cs_rfm_data_free(d);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    } else
        csi_report_note(r, "RFM: %s", e.message);
    cs_rfm_data_free(d);
    return CS_OK;
}

/* ---- Models ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Customers by calibration frequency (0..6, 7+), actual and as the model
 * expects them: sum over customers of P(X(T_i) = k), grouped by T. */
static int period_transactions(cs_report *r, const cs_customers *c, cs_error *err)
{
    double *T = malloc((c->n + 1) * sizeof *T);
    if (!T)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        double x = c->obs[i].x;
        r->ptx_actual[x >= CSI_PTX_MAX - 1 ? CSI_PTX_MAX - 1 : (int)x] += 1;
        T[i] = c->obs[i].T;
    }
    qsort(T, c->n, sizeof *T, cmp_double);
    int ok = 1;
    for (size_t i = 0; i < c->n && ok;) {
        size_t j = i;
        while (j < c->n && T[j] == T[i])
            j++;
        double w = (double)(j - i), left = 1;
        for (int k = 0; k < CSI_PTX_MAX - 1; k++) {
            double p = cs_model_pmf_new(&r->model, T[i], k);
            if (!isfinite(p)) {
                ok = 0;
                break;
            }
            r->ptx_model[k] += w * p;
            left -= p;
        }
        r->ptx_model[CSI_PTX_MAX - 1] += w * (left > 0 ? left : 0);
        i = j;
    }
    free(T);
    r->has_ptx = ok;
    if (!ok)
        csi_report_note(r, "Models: the %s model gives no probabilities of k purchases, so the "
                           "frequency histogram shows the data only", cs_model_title(r->model.kind));
    return CS_OK;
}

/* P(alive) for frequencies 0..10 and 12 recencies from 0 to the largest T,
 * at that T (lifetimes' probability_alive_matrix). */
static void palive_matrix(cs_report *r, const cs_customers *c)
{
    if (!cs_model_has(&r->model, CS_CAP_DROPOUT)) {
        csi_report_note(r, "Models: the P(alive) matrix is left out: the %s model has no "
                           "drop-out, so every customer is alive",
                        cs_model_title(r->model.kind));
        return;
    }
    double T = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->obs[i].T > T)
            T = c->obs[i].T;
    r->pa_T = T;
    for (int j = 0; j < CSI_PA_COLS; j++)
        r->pa_tx[j] = T * j / (CSI_PA_COLS - 1);
    int any = 0;
    for (int x = 0; x < CSI_PA_ROWS; x++)
        for (int j = 0; j < CSI_PA_COLS; j++) {
            cs_obs o = {.x = x, .tx = x ? r->pa_tx[j] : 0, .T = T};
            double p = cs_model_p_alive(&r->model, &o);
            r->pa[x * CSI_PA_COLS + j] = p;
            any |= isfinite(p);
        }
    r->has_pa = any && T > 0;
}

/* Units of the model's time unit in one day (1/7 for weeks). */
static double units_per_day(int unit)
{
    int64_t num, den;
    cs_unit_days(unit, &num, &den);
    return (double)den / (double)num;
}

static int cmp_day(const void *a, const void *b)
{
    cs_day x = *(const cs_day *)a, y = *(const cs_day *)b;
    return (x > y) - (x < y);
}

/* The tracking chart's data: per week from the first day of the data to the
 * end of observation, the repeat purchase days the builder counted, and
 * those the model expects of the customers born (first purchase) on each
 * day: sum over birth days d of births(d) x (E[X(e - d)] - E[X(s - d)])
 * for the week [s, e), times in the model's unit. */
static int tracking(cs_report *r, const cs_summary *s, cs_error *err)
{
    if (!r->rd_known)
        return CS_OK;
    cs_day start = s->stats.min_day, end = s->as_of;
    if (start == CS_DAY_NONE || end <= start)
        return CS_OK;
    size_t nw = (size_t)(end - start) / 7 + 1;
    double per_day = units_per_day(r->model.unit);
    cs_day *birth = malloc((s->n + 1) * sizeof *birth);
    r->trk_x = malloc(nw * sizeof(double));
    r->trk_actual = calloc(nw, sizeof(double));
    r->trk_model = calloc(nw, sizeof(double));
    double *cum = malloc((nw + 1) * sizeof *cum);
    if (!birth || !r->trk_x || !r->trk_actual || !r->trk_model || !cum) {
        free(birth), free(cum);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < s->n; i++)
        birth[i] = s->rows[i].first;
    qsort(birth, s->n, sizeof *birth, cmp_day);
    for (size_t w = 0; w < nw; w++)
        r->trk_x[w] = start + 7 * (double)w;
    for (size_t k = 0; k < r->rd_n; k++) {
        cs_day d = r->rd_first + (cs_day)k;
        if (d >= start && d <= end)
            r->trk_actual[(size_t)(d - start) / 7] += r->rd[k];
    }
    int ok = 1;
    for (size_t i = 0; i < s->n && ok;) {
        size_t j = i;
        while (j < s->n && birth[j] == birth[i])
            j++;
        double w = (double)(j - i);
        /* expected repeat purchases by the end of each week (cumulative) */
        for (size_t k = 0; k <= nw; k++) {
            double e = start + 7.0 * (double)k - 1; /* last day of week k - 1 */
            if (e > end)
                e = end;
            double t = (e - birth[i]) * per_day;
            cum[k] = t > 0 ? cs_model_expected_new(&r->model, t) : 0;
            if (!isfinite(cum[k]))
                ok = 0;
        }
        for (size_t k = 0; k < nw && ok; k++)
            r->trk_model[k] += w * (cum[k + 1] - cum[k]);
        i = j;
    }
    free(birth), free(cum);
    r->trk_n = nw;
    r->has_trk = ok;
    if (!ok)
        csi_report_note(r, "Models: the %s model gives no expected purchases for new customers, "
                           "so the tracking chart is left out", cs_model_title(r->model.kind));
    return CS_OK;
}

struct clv_at {
    double clv;
    size_t i;
};

static int cmp_clv_desc(const void *a, const void *b)
{
    const struct clv_at *x = a, *y = b;
    if (x->clv != y->clv)
        return x->clv < y->clv ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

static int clv(cs_report *r, const cs_customers *c, cs_error *err)
{
    double per_day = units_per_day(r->model.unit);
    cs_predict_options po = {
        .horizon = r->opt.horizon > 0 ? r->opt.horizon : 364 * per_day,
        .spend = &r->spend,
        .clv_periods = 12,
        .period_len = 365.25 / 12 * per_day,
        .discount = r->opt.discount >= 0 ? r->opt.discount : 0.01,
        .margin = r->opt.margin > 0 ? r->opt.margin : 1,
        .threads = r->opt.threads,
    };
    cs_prediction *p = malloc((c->n + 1) * sizeof *p);
    struct clv_at *at = malloc((c->n + 1) * sizeof *at);
    if (!p || !at) {
        free(p), free(at);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    double *mon = c->has_monetary ? c->monetary : NULL;
    cs_model_predict(&r->model, c->obs, mon, c->n, &po, p);
    size_t n = 0;
    double total = 0;
    for (size_t i = 0; i < c->n; i++)
        if (isfinite(p[i].clv)) {
            at[n].clv = p[i].clv, at[n].i = i, n++;
            total += p[i].clv;
        }
    if (n < 10) {
        csi_report_note(r, "CLV: %zu customers with a CLV, fewer than the 10 the deciles need", n);
        free(p), free(at);
        return CS_OK;
    }
    qsort(at, n, sizeof *at, cmp_clv_desc);
    for (int d = 0; d < 10; d++) {
        size_t lo = n * (size_t)d / 10, hi = n * (size_t)(d + 1) / 10;
        double sum = 0;
        for (size_t k = lo; k < hi; k++)
            sum += at[k].clv;
        r->clv_decile_mean[d] = hi > lo ? sum / (double)(hi - lo) : NAN;
        r->clv_decile_share[d] = total != 0 ? sum / total : NAN;
    }
    r->clv_total = total;
    r->clv_n = n;
    size_t ntop = (size_t)(r->opt.top > 0 ? r->opt.top : 20);
    if (ntop > n)
        ntop = n;
    r->top = calloc(ntop + 1, sizeof *r->top);
    int ok = r->top != NULL;
    for (size_t k = 0; ok && k < ntop; k++) {
        size_t i = at[k].i, len;
        const char *id = cs_ids_get(&c->ids, i, &len);
        struct csi_top *t = &r->top[k];
        ok = (t->id = malloc(len + 1)) != NULL;
        if (ok) {
            memcpy(t->id, id, len), t->id[len] = '\0';
            t->x = c->obs[i].x, t->tx = c->obs[i].tx, t->T = c->obs[i].T;
            t->p_alive = p[i].p_alive, t->expected = p[i].expected, t->clv = p[i].clv;
            r->ntop = k + 1;
        }
    }
    free(p), free(at);
    if (!ok)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    r->has_clv = 1;
    return CS_OK;
}

/* Gamma-Gamma on the repeat buyers whose mean repeat value is positive:
 * the model has no place for a mean of 0 (free orders, or returns that net
 * a customer's repeat days to nothing), which custseg-clv fit refuses;
 * here they are left out of the spend fit and counted in a note, and
 * their CLV uses the model's mean spend shrunk towards 0. */
static int fit_spend(cs_report *r, const cs_customers *c, cs_error *err)
{
    cs_obs *obs = malloc((c->n + 1) * sizeof *obs);
    double *w = malloc((c->n + 1) * sizeof *w);
    if (!obs || !w) {
        free(obs), free(w);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    size_t n = 0, zero = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!(c->obs[i].x > 0))
            continue;
        if (!(c->monetary[i] > 0)) {
            zero++;
            continue;
        }
        obs[n] = (cs_obs){.x = c->obs[i].x, .tx = c->monetary[i]};
        w[n++] = c->weight ? c->weight[i] : 1;
    }
    cs_error e = {0};
    cs_dataset *d = n ? cs_dataset_group(obs, w, n, &e) : NULL;
    free(obs), free(w);
    if (!d && e.code == CS_ENOMEM)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    if (!d) {
        csi_report_note(r, "CLV: no repeat buyer with a positive mean value to fit the spend "
                           "model on");
        return CS_OK;
    }
    cs_fit_options fo = {.threads = r->opt.threads};
    int rc = cs_model_fit(CS_MODEL_GG, d, &fo, &r->spend, &e);
    cs_dataset_free(d);
    if (rc == CS_OK) {
        r->has_spend = 1;
        r->spend_zero = zero;
    } else if (rc == CS_ENOMEM)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    else
        csi_report_note(r, "CLV: the Gamma-Gamma spend fit failed: %s", e.message);
    return CS_OK;
}

/* A step that failed for another reason than memory leaves its part out,
 * with a note saying why; out of memory stops the report. */
static int soft(cs_report *r, int rc, const cs_error *e, const char *what)
{
    if (rc == CS_OK || rc == CS_ENOMEM)
        return rc;
    csi_report_note(r, "%s: %s", what, e->message);
    return CS_OK;
}

static int models(cs_report *r, const cs_summary *s, cs_error *err)
{
    const cs_report_options *o = &r->opt;
    int holdout = s->calibration_end != CS_DAY_NONE;
    int kind = o->model ? o->model->kind : o->fit >= 0 ? o->fit : holdout ? CS_MODEL_BGNBD : -1;
    if (kind < 0) {
        csi_report_note(r, "Models: no holdout period and no model asked for (give a "
                           "calibration end, or a model to fit)");
        return CS_OK;
    }
    if (!cs_model_kind_has(kind, CS_CAP_TIME_UNIT) || cs_model_role(kind) != CS_ROLE_PURCHASE) {
        csi_report_note(r, "Models: %s is not a purchase model in a time unit",
                        cs_model_title(kind));
        return CS_OK;
    }
    cs_customers *c = cs_customers_from_summary(s, o->model ? o->model->unit : o->unit, err);
    if (!c)
        return err ? err->code : CS_ENOMEM;
    cs_error e = {0};
    int rc = CS_OK;
    if (o->model) {
        r->model = *o->model;
        r->has_model = 1;
    } else {
        cs_fit_options fo = {.threads = o->threads};
        rc = cs_customers_fit(c, kind, &fo, &r->model, &e);
        r->model.calibration_end = s->calibration_end;
        r->model.as_of = s->as_of;
        r->has_model = rc == CS_OK;
        if (rc != CS_OK && rc != CS_ENOMEM) {
            csi_report_note(r, "Models: the %s fit failed: %s", cs_model_title(kind), e.message);
            rc = CS_OK;
        }
    }
    if (rc == CS_OK && r->has_model && holdout) {
        memset(&e, 0, sizeof e);
        rc = cs_model_validate(&r->model, c, &r->valid, &e);
        r->has_valid = rc == CS_OK;
        rc = soft(r, rc, &e, "Validation");
    }
    if (rc == CS_OK && r->has_model && holdout) {
        /* custseg-churn evaluate's default: P(no purchase in the holdout),
         * the quantity its label measures */
        memset(&e, 0, sizeof e);
        rc = cs_churn_evaluate(&r->model, c, CS_CHURN_P_NO_PURCHASE, &r->ceval, NULL, NULL, NULL,
                               &e);
        r->has_ceval = rc == CS_OK;
        rc = soft(r, rc, &e, "Churn evaluation");
    }
    if (rc == CS_OK && r->has_model) {
        rc = period_transactions(r, c, err);
        palive_matrix(r, c);
    }
    if (rc == CS_OK && r->has_model && r->from_table)
        csi_report_note(r, "Tracking chart: it needs the transaction log (a summary table has "
                           "no purchases by day)");
    else if (rc == CS_OK && r->has_model)
        rc = tracking(r, s, err);
    if (rc == CS_OK && r->has_model && !s->has_amount)
        csi_report_note(r, "CLV: the data have no amounts");
    else if (rc == CS_OK && r->has_model) {
        if (o->spend) {
            r->spend = *o->spend;
            r->has_spend = 1;
        } else
            rc = fit_spend(r, c, err);
        if (rc == CS_OK && r->has_spend)
            rc = clv(r, c, err);
    }
    cs_customers_free(c);
    return rc == CS_ENOMEM ? csi_fail(err, CS_ENOMEM, "out of memory") : rc;
}

/* ---- The whole report ---- */

static cs_report *report_new(const cs_report_options *o, cs_error *err)
{
    cs_report *r = calloc(1, sizeof *r);
    if (!r) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    r->opt = *o;
    r->title = dup_or_null(o->title ? o->title : "Customer report");
    r->source = dup_or_null(o->source);
    r->command = dup_or_null(o->command);
    r->opt.title = r->title, r->opt.source = r->source, r->opt.command = r->command;
    return r;
}

/* The sections computed from the summary (freed here); rc is the outcome so
 * far. */
static cs_report *report_finish(cs_report *r, cs_summary *s, int rc, cs_error *err)
{
    if (rc == CS_OK) {
        overview(r, s);
        rc = concentration(r, s, err);
    }
    if (rc == CS_OK)
        rc = rfm(r, s, err);
    if (rc == CS_OK)
        rc = models(r, s, err);
    r->opt.model = NULL, r->opt.spend = NULL; /* the caller's: not kept */
    cs_summary_free(s);
    if (rc != CS_OK) {
        cs_report_free(r);
        return NULL;
    }
    return r;
}

cs_report *cs_report_build(cs_builder *b, const cs_load_stats *load, const cs_report_options *o,
                           cs_error *err)
{
    cs_report *r = report_new(o, err);
    if (!r) {
        cs_builder_free(b);
        return NULL;
    }
    if (load) {
        r->load = *load;
        r->has_load = 1;
    }
    cs_error e = {0};
    int rc = cs_builder_rates(b, &r->rates, &e);
    if (rc == CS_OK)
        rc = cs_rates_summarise(&r->rates, o->churn_alert, &r->rsum, &e);
    r->has_rates = rc == CS_OK;
    rc = soft(r, rc, &e, "Churn");
    if (rc == CS_OK) {
        /* EINVAL: a builder not prepared by cs_report_prepare, no chart */
        memset(&e, 0, sizeof e);
        rc = cs_builder_repeat_days(b, &r->rd_first, &r->rd_n, &r->rd, &e);
        r->rd_known = rc == CS_OK;
        rc = rc == CS_EINVAL ? CS_OK : soft(r, rc, &e, "Tracking chart");
    }
    cs_summary *s = NULL;
    if (rc == CS_ENOMEM) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        cs_builder_free(b);
    } else
        rc = (s = cs_builder_finish(b, err)) ? CS_OK : err ? err->code : CS_ENOMEM;
    return report_finish(r, s, rc, err);
}

cs_report *cs_report_build_summary(cs_summary *s, const cs_report_options *o, cs_error *err)
{
    cs_report *r = report_new(o, err);
    if (!r) {
        cs_summary_free(s);
        return NULL;
    }
    r->from_table = 1;
    csi_report_note(r, "Churn rates and cohorts: they need the transaction log (a summary "
                       "table has no purchases by period)");
    return report_finish(r, s, CS_OK, err);
}

size_t cs_report_notes(const cs_report *r, const char *const **notes)
{
    *notes = (const char *const *)r->notes;
    return r->nnotes;
}

void cs_report_get_figures(const cs_report *r, cs_report_figures *f)
{
    memset(f, 0, sizeof *f);
    f->customers = r->customers;
    f->gini = r->has_conc ? r->conc.gini : NAN;
    f->top20 = r->has_conc ? r->conc.top_share[2] : NAN;
    f->model = r->has_model ? r->model.kind : -1;
    f->sections = 1 + (r->has_conc || r->has_pyr) + r->has_rfm + r->has_model +
                  (r->has_rates || r->has_ceval || r->nsbg > 0);
}

void cs_report_free(cs_report *r)
{
    if (!r)
        return;
    free(r->title), free(r->source), free(r->command);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    cs_rfm_report_free(&r->rfm);
    cs_rfm_rules_free(&r->rules);
    cs_rates_free(&r->rates);
    for (size_t i = 0; i < r->ntop; i++)
        free(r->top[i].id);
    free(r->top);
    free(r->rd), free(r->trk_x), free(r->trk_actual), free(r->trk_model);
    csi_report_sbg_free(r);
    free(r);
}
