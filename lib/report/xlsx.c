/* custseg: the report as a workbook, one sheet per table, with the column
 * names the tools use for the same table (custseg-pyramid --report,
 * custseg-rfm --report, custseg-clv validate, custseg-churn rates), so a
 * sheet reads like the tool's CSV. Numbers are number cells, money formatted
 * as money, ids text. */
#include "report/report-internal.h"

#include "custseg.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A sheet: the writer, or NULL once something failed (err set). */
static cs_writer *sheet(cs_workbook *wb, const char *name, const char *const *cols, size_t n,
                        const int *money, cs_error *err)
{
    cs_writer *w = cs_workbook_sheet(wb, name, cols, n, err);
    for (size_t i = 0; w && money && i < n; i++)
        if (money[i])
            cs_writer_money_column(w, i);
    return w;
}

static int done(cs_writer *w, cs_error *err)
{
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

static void real(cs_writer *w, double v)
{
    if (isfinite(v))
        cs_writer_real(w, v);
    else
        cs_writer_null(w);
}

static void text(cs_writer *w, const char *s)
{
    cs_writer_str(w, s, strlen(s));
}

static int overview(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const cols[] = {"item", "value"};
    cs_writer *w = sheet(wb, "Overview", cols, 2, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    char d[11];
#define ROW_N(k, v) (text(w, k), real(w, (double)(v)), cs_writer_end_row(w))
#define ROW_S(k, v) (text(w, k), text(w, v), cs_writer_end_row(w))
    ROW_N("customers", r->customers);
    ROW_N("transactions", r->transactions);
    if (r->has_amount)
        ROW_N("revenue", (double)r->revenue / CS_MICRO);
    if (r->first_day != CS_DAY_NONE) {
        cs_day_format(r->first_day, d);
        ROW_S("first_date", d);
        cs_day_format(r->last_day, d);
        ROW_S("last_date", d);
    }
    cs_day_format(r->as_of, d);
    ROW_S("as_of", d);
    if (r->calibration_end != CS_DAY_NONE) {
        cs_day_format(r->calibration_end, d);
        ROW_S("calibration_end", d);
    }
    if (r->has_load) {
        ROW_N("records_read", r->load.records_read);
        ROW_N("records_skipped", r->load.skipped);
        ROW_N("records_filtered", r->load.filtered);
    }
    if (r->has_conc) {
        ROW_N("gini", r->conc.gini);
        ROW_N("top_1pct_share", r->conc.top_share[0]);
        ROW_N("top_5pct_share", r->conc.top_share[1]);
        ROW_N("top_20pct_share", r->conc.top_share[2]);
    }
    if (r->source)
        ROW_S("source", r->source);
    if (r->command)
        ROW_S("command", r->command);
    for (size_t i = 0; i < r->nnotes; i++)
        ROW_S("left_out", r->notes[i]);
#undef ROW_N
#undef ROW_S
    return done(w, err);
}

static int pyramid(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const cols[] = {"tier", "customers", "customer_share", "value",
                                       "value_share", "mean", "median", "min", "max"};
    static const int money[] = {0, 0, 0, 1, 0, 1, 1, 1, 1};
    cs_writer *w = sheet(wb, "Pyramid", cols, 9, money, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (int t = 0; t < r->pyr.ntiers; t++) {
        const cs_pyramid_report_row *p = &r->pyr_rows[t];
        text(w, p->tier);
        cs_writer_int(w, (long long)p->customers);
        real(w, p->customer_share), real(w, p->value), real(w, p->value_share);
        real(w, p->mean), real(w, p->median), real(w, p->min), real(w, p->max);
        cs_writer_end_row(w);
    }
    return done(w, err);
}

static int lorenz(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const cols[] = {"share_of_customers", "share_of_value"};
    cs_writer *w = sheet(wb, "Concentration", cols, 2, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    real(w, 0), real(w, 0), cs_writer_end_row(w);
    for (int i = 0; i < 100; i++)
        real(w, (i + 1) / 100.0), real(w, r->conc.lorenz[i]), cs_writer_end_row(w);
    return done(w, err);
}

static int segments(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const cols[] = {"segment", "customers", "customer_share", "revenue",
                                       "revenue_share", "orders", "aov",
                                       "days_since_last_mean", "frequency_mean",
                                       "monetary_mean"};
    static const int money[] = {0, 0, 0, 1, 0, 0, 1, 0, 0, 1};
    cs_writer *w = sheet(wb, "Segments", cols, 10, money, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (size_t i = 0; i < r->rfm.n; i++) {
        const cs_rfm_report_row *s = &r->rfm.row[i];
        text(w, s->segment);
        cs_writer_int(w, (long long)s->customers);
        real(w, s->customer_share), real(w, s->revenue), real(w, s->revenue_share);
        real(w, s->orders), real(w, s->aov);
        real(w, s->mean[CS_RFM_R]), real(w, s->mean[CS_RFM_F]), real(w, s->mean[CS_RFM_M]);
        cs_writer_end_row(w);
    }
    int rc = done(w, err);
    if (rc != CS_OK)
        return rc;
    static const char *const ccols[] = {"r_score", "f_score", "customers", "mean_value"};
    static const int cmoney[] = {0, 0, 0, 1};
    w = sheet(wb, "RFM cells", ccols, 4, cmoney, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (int a = r->nr; a >= 1; a--)
        for (int f = 1; f <= r->nf; f++) {
            cs_writer_int(w, a), cs_writer_int(w, f);
            cs_writer_int(w, (long long)r->cell_n[a - 1][f - 1]);
            real(w, r->cell_m[a - 1][f - 1]);
            cs_writer_end_row(w);
        }
    return done(w, err);
}

static int models(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const cols[] = {"model", "parameter", "estimate", "standard_error"};
    cs_writer *w = sheet(wb, "Model parameters", cols, 4, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (int k = 0; k < 1 + r->has_spend; k++) {
        const cs_model *m = k ? &r->spend : &r->model;
        for (int i = 0; i < m->np; i++) {
            text(w, cs_model_name(m->kind)), text(w, cs_model_param_name(m->kind, i));
            real(w, m->param[i]), real(w, m->se[i]);
            cs_writer_end_row(w);
        }
    }
    int rc = done(w, err);
    if (rc == CS_OK && r->has_valid) {
        static const char *const vcols[] = {"frequency", "group", "customers", "actual_total",
                                            "predicted_total"};
        w = sheet(wb, "Validation", vcols, 5, NULL, err);
        if (!w)
            return err ? err->code : CS_ENOMEM;
        for (int k = 0; k < CS_VALIDATE_ROWS; k++) {
            if (k == CS_VALIDATE_ALL)
                cs_writer_null(w), text(w, "all");
            else {
                char g[8];
                snprintf(g, sizeof g, k == 7 ? "7+" : "%d", k);
                cs_writer_int(w, k), text(w, g);
            }
            real(w, r->valid.customers[k]), real(w, r->valid.actual[k]);
            real(w, r->valid.predicted[k]);
            cs_writer_end_row(w);
        }
        rc = done(w, err);
    }
    if (rc == CS_OK && r->has_clv) {
        const char *u = cs_unit_suffix(r->model.unit);
        char tx[32], T[32];
        snprintf(tx, sizeof tx, "t_x_%s", u);
        snprintf(T, sizeof T, "T_%s", u);
        const char *const tcols[] = {"customer_id", "frequency", tx, T, "p_alive",
                                     "expected_purchases", "clv"};
        static const int tmoney[] = {0, 0, 0, 0, 0, 0, 1};
        w = sheet(wb, "CLV top customers", tcols, 7, tmoney, err);
        if (!w)
            return err ? err->code : CS_ENOMEM;
        for (size_t i = 0; i < r->ntop; i++) {
            const struct csi_top *t = &r->top[i];
            text(w, t->id);
            real(w, t->x), real(w, t->tx), real(w, t->T), real(w, t->p_alive);
            real(w, t->expected), real(w, t->clv);
            cs_writer_end_row(w);
        }
        rc = done(w, err);
    }
    return rc;
}

static int churn(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    const cs_rates *q = &r->rates;
    static const char *const cols[] = {"period", "active", "churned_next", "churn_rate"};
    cs_writer *w = sheet(wb, "Churn rates", cols, 4, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    char lab[16];
    for (int k = 0; k < q->nper; k++) {
        cs_period_label(q->first + k, q->period, lab);
        text(w, lab);
        cs_writer_int(w, (long long)q->active[k]);
        if (k + 1 < q->nper)
            cs_writer_int(w, (long long)q->churned[k]);
        else
            cs_writer_null(w);
        real(w, cs_rates_rate(q, k));
        cs_writer_end_row(w);
    }
    int rc = done(w, err);
    if (rc != CS_OK)
        return rc;
    static const char *const ccols[] = {"cohort", "period", "cohort_size", "active", "share"};
    w = sheet(wb, "Cohorts", ccols, 5, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    char per[16];
    for (int c = 0; c < q->nper; c++) {
        if (!q->cohort_size[c])
            continue;
        cs_period_label(q->first + c, q->period, lab);
        for (int k = c; k < q->nper; k++) {
            cs_period_label(q->first + k, q->period, per);
            text(w, lab), text(w, per);
            cs_writer_int(w, (long long)q->cohort_size[c]);
            cs_writer_int(w, (long long)q->cohort_active[(size_t)c * (size_t)q->nper + (size_t)k]);
            real(w, cs_rates_share(q, c, k));
            cs_writer_end_row(w);
        }
    }
    return done(w, err);
}

/* The sBG fits and curves (custseg-churn sbg's numbers, as read). */
static int sbg(const cs_report *r, cs_workbook *wb, cs_error *err)
{
    static const char *const fc[] = {"cohort", "alpha", "beta", "se_alpha", "se_beta",
                                     "log_likelihood", "expected_lifetime", "del", "discount",
                                     "periods_observed", "subscribers", "active", "cancelled",
                                     "error"};
    size_t nf = r->sbg_records ? 14 : 10;
    cs_writer *w = sheet(wb, "sBG fits", fc, nf, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (size_t i = 0; i < r->nsbg; i++) {
        const struct csi_sbg *f = &r->sbg[i];
        text(w, r->sbg_pooled && i == r->nsbg - 1 ? "pooled" : f->name);
        if (f->error)
            for (int k = 0; k < 9; k++)
                cs_writer_null(w);
        else {
            real(w, f->alpha), real(w, f->beta), real(w, f->se_alpha), real(w, f->se_beta);
            real(w, f->ll), real(w, f->lifetime), real(w, f->del), real(w, f->discount);
            cs_writer_int(w, f->observed);
        }
        if (r->sbg_records) {
            real(w, f->subscribers), real(w, f->active), real(w, f->cancelled);
            if (f->error)
                text(w, f->error);
            else
                cs_writer_null(w);
        }
        cs_writer_end_row(w);
    }
    int rc = done(w, err);
    if (rc != CS_OK)
        return rc;
    static const char *const sc[] = {"cohort", "period", "survival", "projected",
                                     "observed_survival"};
    w = sheet(wb, "sBG survival", sc, r->sbg_records ? 5 : 4, NULL, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (size_t i = 0; i < r->nsbg; i++) {
        const struct csi_sbg *f = &r->sbg[i];
        for (int t = 0; !f->error && t < f->nsurv; t++) {
            text(w, r->sbg_pooled && i == r->nsbg - 1 ? "pooled" : f->name);
            cs_writer_int(w, t);
            real(w, f->survival[t]);
            cs_writer_int(w, t > f->observed);
            if (r->sbg_records)
                real(w, t < f->nkm ? f->km[t] : NAN);
            cs_writer_end_row(w);
        }
    }
    return done(w, err);
}

int cs_report_write_xlsx(const cs_report *r, FILE *fp, cs_error *err)
{
    cs_workbook *wb = cs_workbook_new(fp, err);
    if (!wb)
        return err ? err->code : CS_ENOMEM;
    int rc = overview(r, wb, err);
    if (rc == CS_OK && r->has_pyr)
        rc = pyramid(r, wb, err);
    if (rc == CS_OK && r->has_conc)
        rc = lorenz(r, wb, err);
    if (rc == CS_OK && r->has_rfm)
        rc = segments(r, wb, err);
    if (rc == CS_OK && r->has_model)
        rc = models(r, wb, err);
    if (rc == CS_OK && r->has_rates)
        rc = churn(r, wb, err);
    if (rc == CS_OK && r->nsbg)
        rc = sbg(r, wb, err);
    if (rc != CS_OK) {
        cs_workbook_free(wb);
        return rc;
    }
    return cs_workbook_close(wb, err);
}
