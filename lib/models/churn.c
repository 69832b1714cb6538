/* Churn, non-contractual: scores and risk bands with their report, the
 * inputs of an evaluation on a holdout, and the summary of observed churn
 * rates by period. */
#include "cs-churn.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* ---- scores, bands and the band report ---- */

int cs_churn_band_classify(double p_churn_at, const double cut[2])
{
    return p_churn_at < cut[0] ? CS_BAND_LOW : p_churn_at < cut[1] ? CS_BAND_MEDIUM : CS_BAND_HIGH;
}

const char *cs_churn_band_name(int band)
{
    static const char *const names[] = {"low", "medium", "high", "all"};
    return band >= 0 && band <= CS_BAND_ALL ? names[band] : NULL;
}

void cs_churn_score_from_prediction(const cs_prediction *p, const double cut[2],
                                    cs_churn_score *s)
{
    double pa = p->p_alive, pah = p->p_alive_at;
    double pc = clamp01(1 - pa), pch = clamp01(1 - pah);
    s->expected = p->expected;
    s->p_no_purchase = clamp01(p->p_no_purchase);
    s->band = cs_churn_band_classify(pch, cut);
    s->ok = isfinite(pa) && isfinite(pah) && isfinite(s->expected) && isfinite(s->p_no_purchase);
    s->p_churn = isfinite(pa) ? pc : NAN;
    s->p_churn_at = isfinite(pah) ? pch : NAN;
}

void cs_churn_report_build(const cs_churn_score *s, const double *w, size_t n,
                           cs_churn_report *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < n; i++) {
        if (!s[i].ok) {
            r->bad++;
            continue;
        }
        const int rows[2] = {s[i].band, CS_BAND_ALL};
        double wgt = w ? w[i] : 1;
        for (int k = 0; k < 2; k++) {
            cs_churn_report_row *row = &r->row[rows[k]];
            row->customers += wgt;
            row->expected_churned += wgt * s[i].p_churn;
            row->sum_p_churn_at += wgt * s[i].p_churn_at;
            row->expected_purchases += wgt * s[i].expected;
            row->sum_p_no_purchase += wgt * s[i].p_no_purchase;
        }
    }
    double all = r->row[CS_BAND_ALL].customers;
    for (int k = 0; k <= CS_BAND_ALL; k++) {
        cs_churn_report_row *row = &r->row[k];
        double nk = row->customers;
        row->share = all > 0 ? nk / all : NAN;
        row->mean_p_churn_at = nk > 0 ? row->sum_p_churn_at / nk : NAN;
        row->mean_p_no_purchase = nk > 0 ? row->sum_p_no_purchase / nk : NAN;
    }
}

int cs_churn_score_customers(const cs_model *m, const cs_customers *c, const cs_churn_options *o,
                             cs_churn_score *out, cs_churn_report *rep, cs_error *err)
{
    if (c->unit != m->unit)
        return csi_fail(err, CS_EINVAL, "the model is in %s and the data are not",
                        cs_unit_suffix(m->unit));
    /* the rows the model takes, as for every command */
    int rc = cs_customers_check(c, m->kind, CS_CHECK_CUSTOMERS, err);
    if (rc != CS_OK)
        return rc;
    if (!(o->cut[0] > 0 && o->cut[0] < o->cut[1] && o->cut[1] < 1))
        return csi_fail(err, CS_EINVAL, "band cut points must be 0 < A < B < 1, not %g, %g",
                        o->cut[0], o->cut[1]);
    /* predictions by slices, so that they never all sit beside the scores */
    enum { SLICE = 1 << 18 };
    size_t cap = c->n < SLICE ? c->n : SLICE;
    cs_prediction *pr = malloc((cap + 1) * sizeof *pr);
    if (!pr)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    cs_predict_options po = {.horizon = o->horizon, .threads = o->threads, .no_purchase = 1};
    for (size_t i0 = 0; i0 < c->n; i0 += cap) {
        size_t k = c->n - i0 < cap ? c->n - i0 : cap;
        cs_model_predict(m, c->obs + i0, NULL, k, &po, pr);
        for (size_t i = 0; i < k; i++)
            cs_churn_score_from_prediction(&pr[i], o->cut, &out[i0 + i]);
    }
    free(pr);
    if (rep)
        cs_churn_report_build(out, c->weight, c->n, rep);
    return CS_OK;
}

/* ---- evaluation ---- */

double cs_churn_recency_days(const cs_obs *o, int unit)
{
    int64_t num, den;
    cs_unit_days(unit, &num, &den);
    /* to a millionth of a day: T and t_x in weeks or months carry rounding
     * (35 days may come back as 34.999999999999996), which would break the
     * ties between customers last seen the same day at random */
    double d = (o->T - o->tx) * (double)num / (double)den;
    return nearbyint(d * 1e6) / 1e6;
}

int cs_churn_eval_inputs(const cs_model *m, const cs_customers *c, int kind, double *model,
                         double *baseline, int *label, size_t *bad, cs_error *err)
{
    if (bad)
        *bad = 0;
    if (!c->has_holdout)
        return csi_fail(err, CS_EINVAL, "the evaluation needs a holdout (x_holdout)");
    /* the rows the model takes, each with its holdout count (an empty one
     * would be read as no purchase: churned) */
    int rc = cs_customers_check(c, m->kind, CS_CHECK_HOLDOUT | CS_CHECK_CUSTOMERS, err);
    if (rc != CS_OK)
        return rc;
    double hold = c->duration_holdout;
    if (kind == CS_CHURN_P_NO_PURCHASE && !isfinite(hold))
        return csi_fail(err, CS_EINVAL,
                        "p_no_purchase scores need the holdout's length (duration_holdout)");
    size_t nbad = 0;
    for (size_t i = 0; i < c->n; i++) {
        double s = kind == CS_CHURN_P_NO_PURCHASE
                       ? clamp01(cs_model_p_no_purchase(m, &c->obs[i], hold))
                       : clamp01(1 - cs_model_p_alive(m, &c->obs[i]));
        nbad += !isfinite(s);
        if (model)
            model[i] = s;
        if (baseline)
            baseline[i] = cs_churn_recency_days(&c->obs[i], c->unit);
        if (label)
            label[i] = c->x_holdout[i] == 0;
    }
    if (bad)
        *bad = nbad;
    if (nbad)
        return csi_fail(err, CS_EINVAL,
                        "the model gives no probability for %zu customers (its parameters do "
                        "not allow it)",
                        nbad);
    return CS_OK;
}

int cs_churn_evaluate(const cs_model *m, const cs_customers *c, int kind, cs_churn_eval *e,
                      double *roc_fpr, double *roc_tpr, size_t *nroc, cs_error *err)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->n = c->n;
    double *ps = malloc((c->n + 1) * sizeof *ps), *bs = malloc((c->n + 1) * sizeof *bs);
    int *y = malloc((c->n + 1) * sizeof *y);
    int rc = ps && bs && y ? CS_OK : csi_fail(err, CS_ENOMEM, "out of memory");
    if (rc == CS_OK)
        rc = cs_churn_eval_inputs(m, c, kind, ps, bs, y, NULL, err);
    if (rc == CS_OK)
        rc = cs_evaluate(ps, y, c->n, 1, &e->model, roc_fpr, roc_tpr, nroc, err);
    if (rc == CS_OK)
        rc = cs_evaluate(bs, y, c->n, 0, &e->baseline, NULL, NULL, NULL, err);
    free(ps);
    free(bs);
    free(y);
    return rc;
}

void cs_churn_eval_rows(const cs_churn_eval *e, cs_churn_eval_row rows[CS_CHURN_EVAL_ROWS])
{
    const cs_eval *m = &e->model, *b = &e->baseline;
    const cs_churn_eval_row top[CS_CHURN_EVAL_ROWS] = {
        {"auc", m->auc, b->auc},
        {"brier", m->brier, NAN},
        {"log_loss", m->log_loss, NAN},
        {"lift_top10", m->lift[0], b->lift[0]},
        {"lift_top20", m->lift[1], b->lift[1]},
        {"capture_top10", m->capture[0], b->capture[0]},
        {"capture_top20", m->capture[1], b->capture[1]},
        {"decile_edge_ties", (double)m->dec_tied, (double)b->dec_tied},
    };
    memcpy(rows, top, sizeof top);
}

static cJSON *eval_json(const cs_eval *e)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "auc", e->auc);
    if (isfinite(e->brier)) {
        cJSON_AddNumberToObject(j, "brier", e->brier);
        cJSON_AddNumberToObject(j, "log_loss", e->log_loss);
    } else {
        cJSON_AddNullToObject(j, "brier");
        cJSON_AddNullToObject(j, "log_loss");
    }
    cJSON_AddNumberToObject(j, "lift_top10", e->lift[0]);
    cJSON_AddNumberToObject(j, "lift_top20", e->lift[1]);
    cJSON_AddNumberToObject(j, "capture_top10", e->capture[0]);
    cJSON_AddNumberToObject(j, "capture_top20", e->capture[1]);
    cJSON_AddNumberToObject(j, "decile_edge_ties", (double)e->dec_tied);
    cJSON *dec = cJSON_AddArrayToObject(j, "calibration");
    for (int d = 0; d < 10; d++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "decile", d + 1);
        cJSON_AddNumberToObject(row, "customers", (double)e->dec_n[d]);
        cJSON_AddNumberToObject(row, "mean_score", e->dec_pred[d]);
        cJSON_AddNumberToObject(row, "observed_rate", e->dec_obs[d]);
        cJSON_AddItemToArray(dec, row);
    }
    return j;
}

char *cs_churn_eval_json(const cs_churn_eval *e)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "customers", (double)e->n);
    cJSON_AddNumberToObject(root, "churned", (double)e->model.positives);
    cJSON_AddNumberToObject(root, "churn_rate", e->model.base_rate);
    cJSON_AddStringToObject(root, "score",
                            e->kind == CS_CHURN_P_NO_PURCHASE ? "p_no_purchase" : "p_churn");
    cJSON_AddItemToObject(root, "model", eval_json(&e->model));
    cJSON_AddItemToObject(root, "baseline_days_since_last", eval_json(&e->baseline));
    return csi_json_string(root);
}

/* ---- observed churn rates ---- */

int cs_rates_known(const cs_rates *r, int k)
{
    return k >= 0 && k + 1 < r->nper && r->active[k] > 0;
}

double cs_rates_rate(const cs_rates *r, int k)
{
    return cs_rates_known(r, k) ? (double)r->churned[k] / (double)r->active[k] : NAN;
}

double cs_rates_share(const cs_rates *r, int c, int k)
{
    if (c < 0 || k < c || k >= r->nper || !r->cohort_size[c])
        return NAN;
    size_t a = r->cohort_active[(size_t)c * (size_t)r->nper + (size_t)k];
    return (double)a / (double)r->cohort_size[c];
}

int cs_rates_alert(const cs_rates *r, int k, double alert)
{
    return alert >= 0 && cs_rates_known(r, k) && cs_rates_rate(r, k) > alert;
}

int cs_rates_summarise(const cs_rates *r, double alert, cs_rates_summary *s, cs_error *err)
{
    memset(s, 0, sizeof *s);
    s->kmin = s->kmax = -1;
    s->alert = alert;
    s->pooled = NAN;
    if (!r)
        return csi_fail(err, CS_EINVAL, "no rates");
    for (int k = 0; k < r->nper; k++) {
        if (!cs_rates_known(r, k))
            continue;
        double rate = cs_rates_rate(r, k);
        s->alerts += cs_rates_alert(r, k, alert);
        if (s->kmin < 0 || rate < s->rmin)
            s->kmin = k, s->rmin = rate;
        if (s->kmax < 0 || rate > s->rmax)
            s->kmax = k, s->rmax = rate;
        s->active += r->active[k];
        s->churned += r->churned[k];
        s->known++;
    }
    if (s->active)
        s->pooled = (double)s->churned / (double)s->active;
    return CS_OK;
}

double cs_churn_zero_alive(const cs_model *m, const cs_customers *c)
{
    double zero = 0;
    for (size_t i = 0; cs_model_has(m, CS_CAP_ZERO_ALIVE) && i < c->n; i++)
        zero += c->obs[i].x == 0 ? (c->weight ? c->weight[i] : 1) : 0;
    return zero;
}

/* ---- the tables custseg-churn writes (column names: custseg-churn(1)) ---- */

static int finish_table(cs_writer *w, cs_error *err)
{
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

int cs_churn_scores_write(const cs_customers *c, const cs_churn_score *s, FILE *fp, int format,
                          int header, cs_error *err)
{
    static const char *const names[] = {"customer_id",        "p_churn",       "p_churn_at",
                                        "expected_purchases", "p_no_purchase", "band"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 6, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Churn scores");
    for (size_t i = 0; i < c->n; i++) {
        const char *band = cs_churn_band_name(s[i].band);
        size_t idn;
        const char *id = cs_ids_get(&c->ids, i, &idn);
        cs_writer_str(w, id, idn);
        cs_writer_real(w, s[i].p_churn);
        cs_writer_real(w, s[i].p_churn_at);
        cs_writer_real(w, s[i].expected);
        cs_writer_real(w, s[i].p_no_purchase);
        cs_writer_str(w, band, strlen(band));
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    return finish_table(w, err);
}

int cs_churn_report_write(const cs_churn_report *r, FILE *fp, int format, int header,
                          cs_error *err)
{
    static const char *const names[] = {"band",       "customers",          "share",
                                        "expected_churned", "mean_p_churn_at",
                                        "expected_purchases", "mean_p_no_purchase"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 7, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Churn report");
    for (int k = 0; k <= CS_BAND_ALL; k++) {
        const cs_churn_report_row *row = &r->row[k];
        const char *band = cs_churn_band_name(k);
        cs_writer_str(w, band, strlen(band));
        cs_writer_int(w, (long long)row->customers);
        cs_writer_real(w, row->share);
        cs_writer_real(w, row->expected_churned);
        cs_writer_real(w, row->mean_p_churn_at);
        cs_writer_real(w, row->expected_purchases);
        cs_writer_real(w, row->mean_p_no_purchase);
        cs_writer_end_row(w);
    }
    return finish_table(w, err);
}

int cs_churn_eval_write(const cs_churn_eval *e, FILE *fp, int format, int header, cs_error *err)
{
    static const char *const names[] = {"metric", "model", "baseline_days_since_last"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 3, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Evaluation");
    cs_churn_eval_row rows[CS_CHURN_EVAL_ROWS];
    cs_churn_eval_rows(e, rows);
    for (int k = 0; k < CS_CHURN_EVAL_ROWS; k++) {
        cs_writer_str(w, rows[k].metric, strlen(rows[k].metric));
        cs_writer_real(w, rows[k].model);
        cs_writer_real(w, rows[k].baseline);
        cs_writer_end_row(w);
    }
    return finish_table(w, err);
}

int cs_churn_deciles_write(const cs_churn_eval *e, FILE *fp, int format, int header,
                           cs_error *err)
{
    static const char *const names[] = {"decile",        "customers",
                                        "mean_score",    "observed_rate",
                                        "baseline_mean_days_since_last",
                                        "baseline_observed_rate"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 6, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Deciles");
    const cs_eval *m = &e->model, *b = &e->baseline;
    for (int d = 0; d < 10; d++) {
        cs_writer_int(w, d + 1);
        cs_writer_int(w, (long long)m->dec_n[d]);
        if (m->dec_n[d]) {
            cs_writer_real(w, m->dec_pred[d]);
            cs_writer_real(w, m->dec_obs[d]);
        } else {
            cs_writer_null(w);
            cs_writer_null(w);
        }
        if (b->dec_n[d]) {
            cs_writer_real(w, b->dec_pred[d]);
            cs_writer_real(w, b->dec_obs[d]);
        } else {
            cs_writer_null(w);
            cs_writer_null(w);
        }
        cs_writer_end_row(w);
    }
    return finish_table(w, err);
}

int cs_churn_roc_write(const double *fpr, const double *tpr, size_t n, FILE *fp, int format,
                       int header, cs_error *err)
{
    static const char *const names[] = {"false_positive_rate", "true_positive_rate"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 2, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "ROC");
    for (size_t i = 0; i < n; i++) {
        cs_writer_real(w, fpr[i]);
        cs_writer_real(w, tpr[i]);
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    return finish_table(w, err);
}

int cs_rates_write(const cs_rates *r, int table, double alert, FILE *fp, int format, int header,
                   cs_error *err)
{
    if (!r || table < CS_RATES_PERIODS || table > CS_RATES_MATRIX)
        return csi_fail(err, CS_EINVAL, "cs_rates_write: bad arguments");
    /* the periods' labels; the matrix's column names */
    size_t np = (size_t)r->nper;
    char(*lab)[16] = malloc((np + 1) * sizeof *lab);
    const char **names = malloc((np + 2) * sizeof *names);
    if (!lab || !names) {
        free(lab);
        free(names);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    names[0] = "cohort";
    names[1] = "cohort_size";
    for (size_t k = 0; k < np; k++) {
        cs_period_label(r->first + (int)k, r->period, lab[k]);
        names[k + 2] = lab[k];
    }
    static const char *const pcols[] = {"period", "active", "churned_next", "churn_rate", "alert"};
    static const char *const ccols[] = {"cohort", "period", "cohort_size", "active", "share"};
    const char *const *cols = table == CS_RATES_PERIODS   ? pcols
                              : table == CS_RATES_COHORTS ? ccols
                                                          : names;
    cs_writer *w = cs_writer_new(fp, format, header, cols, table == CS_RATES_MATRIX ? np + 2 : 5,
                                 err);
    if (!w) {
        free(lab);
        free(names);
        return err ? err->code : CS_ENOMEM;
    }
    cs_writer_set_sheet(w, "Churn rates");
    for (int k = 0; table == CS_RATES_PERIODS && k < r->nper; k++) {
        cs_writer_str(w, lab[k], strlen(lab[k]));
        cs_writer_int(w, (long long)r->active[k]);
        if (cs_rates_known(r, k))
            cs_writer_int(w, (long long)r->churned[k]);
        else
            cs_writer_null(w);
        cs_writer_real(w, cs_rates_rate(r, k));
        int a = cs_rates_alert(r, k, alert);
        cs_writer_str(w, a ? "alert" : "", a ? 5 : 0);
        cs_writer_end_row(w);
    }
    for (int c = 0; table != CS_RATES_PERIODS && c < r->nper; c++) {
        if (!r->cohort_size[c])
            continue;
        for (int k = c; table == CS_RATES_COHORTS && k < r->nper; k++) {
            /* one row per cohort and period */
            cs_writer_str(w, lab[c], strlen(lab[c]));
            cs_writer_str(w, lab[k], strlen(lab[k]));
            cs_writer_int(w, (long long)r->cohort_size[c]);
            cs_writer_int(w, (long long)r->cohort_active[(size_t)c * np + (size_t)k]);
            cs_writer_real(w, cs_rates_share(r, c, k));
            cs_writer_end_row(w);
        }
        if (table != CS_RATES_MATRIX)
            continue;
        /* one row per cohort, one column per period: the usual triangle */
        cs_writer_str(w, lab[c], strlen(lab[c]));
        cs_writer_int(w, (long long)r->cohort_size[c]);
        for (int k = 0; k < r->nper; k++)
            cs_writer_real(w, cs_rates_share(r, c, k));
        cs_writer_end_row(w);
    }
    int rc = finish_table(w, err);
    free(lab);
    free(names);
    return rc;
}
