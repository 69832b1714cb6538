/* The tables custseg-clv writes: predictions, a new customer's purchase
 * distribution and the holdout check. Column names are part of the tools'
 * contract (docs/custseg-clv.1). */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_predictions_write(const cs_model *m, const cs_customers *c, const cs_predict_options *po,
                         const cs_prediction *pr, const double *lo, const double *hi, FILE *fp,
                         int format, int header, cs_error *err)
{
    int spend = po->spend != NULL, dert = po->dert_rate > 0, boot = lo && hi;
    const char *u = cs_model_has(m, CS_CAP_TIME_UNIT) ? cs_unit_suffix(m->unit) : "periods";
    char rec[32], tcol[32];
    snprintf(rec, sizeof rec, "t_x_%s", u);
    snprintf(tcol, sizeof tcol, "T_%s", u);
    static const char *const spend_cols[] = {"expected_spend", "clv"},
                             *const boot_cols[] = {"expected_purchases_lo",
                                                   "expected_purchases_hi", "p_alive_lo",
                                                   "p_alive_hi", "clv_lo", "clv_hi"};
    const char *names[16] = {"customer_id", "frequency", rec, tcol, "expected_purchases",
                             "p_alive", "p_alive_at_horizon"};
    size_t nc = 7;
    for (int k = 0; spend && k < 2; k++)
        names[nc++] = spend_cols[k];
    if (dert)
        names[nc++] = "dert";
    for (int k = 0; boot && k < (spend ? 6 : 4); k++)
        names[nc++] = boot_cols[k];
    cs_writer *w = cs_writer_new(fp, format, header, names, nc, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Predictions");
    for (size_t k = 0; k < nc; k++) /* money: the spend and the CLV, and their bounds */
        if (!strcmp(names[k], "expected_spend") || !strncmp(names[k], "clv", 3))
            cs_writer_money_column(w, k);
    for (size_t i = 0; i < c->n; i++) {
        const cs_obs *ob = &c->obs[i];
        const double v[] = {ob->x,         ob->tx,        ob->T,
                            pr[i].expected, pr[i].p_alive, pr[i].p_alive_at,
                            pr[i].spend,   pr[i].clv,     pr[i].dert};
        size_t idn;
        const char *id = cs_ids_get(&c->ids, i, &idn);
        cs_writer_str(w, id, idn);
        for (int k = 0; k < 9; k++)
            if (k < 6 || (k < 8 && spend) || (k == 8 && dert))
                cs_writer_real(w, v[k]);
        for (int k = 0; boot && k < (spend ? 3 : 2); k++) {
            cs_writer_real(w, lo[3 * i + (size_t)k]);
            cs_writer_real(w, hi[3 * i + (size_t)k]);
        }
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

int cs_model_new_write(const cs_model *m, double t, int max_k, FILE *fp, int format, int header,
                       int *missing, cs_error *err)
{
    const char *names[] = {"k", "probability", "cumulative"};
    *missing = 0;
    cs_writer *w = cs_writer_new(fp, format, header, names, 3, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "New customer");
    double cum = 0;
    for (int k = 0; k < max_k; k++) {
        double p = cs_model_pmf_new(m, t, k);
        *missing += !isfinite(p);
        cum += p;
        cs_writer_int(w, k);
        cs_writer_real(w, p);
        cs_writer_real(w, cum);
        cs_writer_end_row(w);
    }
    char more[32];
    snprintf(more, sizeof more, "%d+", max_k);
    cs_writer_str(w, more, strlen(more));
    cs_writer_real(w, 1 - cum > 1e-12 ? 1 - cum : 0); /* no rounding dust */
    cs_writer_real(w, 1);
    cs_writer_end_row(w);
    double e = cs_model_expected_new(m, t);
    *missing += !isfinite(e);
    cs_writer_str(w, "mean", 4);
    cs_writer_real(w, e);
    cs_writer_null(w);
    cs_writer_end_row(w);
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

int cs_validation_write(const cs_validation *v, FILE *fp, int format, int header, cs_error *err)
{
    const char *names[] = {"frequency",      "group",        "customers",      "actual_mean",
                           "predicted_mean", "actual_total", "predicted_total"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 7, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Validation");
    for (int k = 0; k < CS_VALIDATE_ROWS; k++) {
        double cn = v->customers[k], ac = v->actual[k], pr = v->predicted[k];
        char lab[8];
        snprintf(lab, sizeof lab, k == CS_VALIDATE_ALL ? "all" : k == 7 ? "7+" : "%d", k);
        /* frequency stays numeric: 7 for "7+" (its least), empty for "all" */
        if (k == CS_VALIDATE_ALL)
            cs_writer_null(w);
        else
            cs_writer_int(w, k);
        cs_writer_str(w, lab, strlen(lab));
        cs_writer_real(w, cn);
        if (cn > 0) {
            cs_writer_real(w, ac / cn);
            cs_writer_real(w, pr / cn);
        } else {
            cs_writer_null(w);
            cs_writer_null(w);
        }
        cs_writer_real(w, ac);
        cs_writer_real(w, pr);
        cs_writer_end_row(w);
    }
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

/* "day", "week", "month" */
static const char *unit_word(int unit)
{
    return unit == CS_UNIT_WEEK ? "week" : unit == CS_UNIT_MONTH ? "month" : "day";
}

int cs_model_report_write(const cs_model *m, const char *name, FILE *fp)
{
    if (name)
        fprintf(fp, "%s: ", name);
    fprintf(fp, "%s fit on %.0f customers (%zu distinct patterns)\n", cs_model_name(m->kind),
            m->n_customers, m->n_patterns);
    fprintf(fp, "  %-8s %14s %14s\n", "param", "estimate", "std. error");
    for (int j = 0; j < m->np; j++)
        fprintf(fp, "  %-8s %14.6g %14.6g\n", cs_model_param_name(m->kind, j), m->param[j],
                m->se[j]);
    fprintf(fp, "  log-likelihood %.4f", m->log_likelihood);
    if (cs_model_has(m, CS_CAP_TIME_UNIT))
        fprintf(fp, " (time unit: %s)", unit_word(m->unit));
    fprintf(fp, "\n  %s, %d iterations from %d starts, gradient norm %.2g, %s\n", m->method,
            m->iterations, m->starts, m->grad_norm, m->converged ? "converged" : "NOT converged");
    fprintf(fp, "  %ld likelihood evaluations in %.3f s (%.3g ms each)\n", m->evaluations,
            m->seconds, m->evaluations ? 1e3 * m->seconds / (double)m->evaluations : 0.0);
    if (m->note[0])
        fprintf(fp, "  note: %s\n", m->note);
    return ferror(fp) ? CS_EIO : CS_OK;
}

int cs_validation_report_write(const cs_validation *v, int unit, unsigned what,
                               const char *name, FILE *fp)
{
    const char *p = name ? name : "", *sep = name ? ": " : "";
    double sa = v->actual[CS_VALIDATE_ALL], sp = v->predicted[CS_VALIDATE_ALL];
    if ((what & CS_REPORT_HOLDOUT) && v->customers[CS_VALIDATE_ALL] > 0)
        fprintf(fp,
                "%s%sholdout of %.6g %ss: actual %.0f, predicted %.1f purchases (%+.1f%%); per "
                "customer MAE %.4f, RMSE %.4f\n",
                p, sep, v->duration, unit_word(unit), sa, sp, sa > 0 ? 100 * (sp - sa) / sa : 0.0,
                v->mae, v->rmse);
    if (what & CS_REPORT_SPEND)
        fprintf(fp, "%s%sGamma-Gamma: correlation of frequency and monetary value over %.0f "
                    "repeat buyers: %.3f%s\n",
                p, sep, v->spend_n, v->spend_corr,
                fabs(v->spend_corr) > 0.3 ? " -- large: the model assumes spend independent of "
                                            "frequency, so its spend predictions are suspect"
                                          : " (small, as the model assumes)");
    return ferror(fp) ? CS_EIO : CS_OK;
}

int cs_customers_predict_write(const cs_model *m, const cs_customers *c,
                               const cs_predict_options *po, const cs_boot_options *bo,
                               FILE *fp, int format, int header, size_t *nan_rows, int *failed,
                               cs_error *err)
{
    *nan_rows = 0;
    *failed = 0;
    /* one row per customer: not a pattern table's counts */
    if (cs_customers_check(c, m->kind, CS_CHECK_CUSTOMERS, err) != CS_OK)
        return err ? err->code : CS_EINVAL;
    int boot = bo && bo->replicates > 0;
    cs_prediction *pr = malloc((c->n + 1) * sizeof *pr);
    double *lo = boot ? malloc((c->n * 3 + 1) * sizeof *lo) : NULL;
    double *hi = boot ? malloc((c->n * 3 + 1) * sizeof *hi) : NULL;
    int rc = CS_OK;
    if (!pr || (boot && (!lo || !hi)))
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
    else if (boot)
        rc = cs_model_bootstrap_run(m, c->obs, c->monetary, c->n, po, bo, lo, hi, failed, err);
    if (rc == CS_OK) {
        *nan_rows = cs_model_predict(m, c->obs, c->monetary, c->n, po, pr);
        rc = cs_predictions_write(m, c, po, pr, lo, hi, fp, format, header, err);
    }
    free(pr);
    free(lo);
    free(hi);
    return rc;
}
