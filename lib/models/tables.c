/* The tables custseg-clv writes: predictions, a new customer's purchase
 * distribution and the holdout check. Column names are part of the tools'
 * contract (docs/custseg-clv.1). */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int cs_predictions_write(const cs_model *m, const cs_customers *c, const cs_predict_options *po,
                         const cs_prediction *pr, const double *lo, const double *hi, FILE *fp,
                         int format, int header, cs_error *err)
{
    int spend = po->spend != NULL, dert = po->dert_rate > 0, boot = lo && hi;
    const char *u = cs_model_has(m, CS_CAP_TIME_UNIT) ? cs_unit_suffix(m->unit) : "periods";
    char rec[32], tcol[32];
    snprintf(rec, sizeof rec, "recency_%s", u);
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
    for (size_t i = 0; i < c->n; i++) {
        const cs_obs *ob = &c->obs[i];
        const double v[] = {ob->x,         ob->tx,        ob->T,
                            pr[i].expected, pr[i].p_alive, pr[i].p_alive_at,
                            pr[i].spend,   pr[i].clv,     pr[i].dert};
        cs_writer_str(w, c->ids + c->id_off[i], c->id_len[i]);
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
    const char *names[] = {"frequency",    "customers",      "actual_mean", "predicted_mean",
                           "actual_total", "predicted_total"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 6, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    for (int k = 0; k < CS_VALIDATE_ROWS; k++) {
        double cn = v->customers[k], ac = v->actual[k], pr = v->predicted[k];
        char lab[8];
        snprintf(lab, sizeof lab, k == CS_VALIDATE_ALL ? "all" : k == 7 ? "7+" : "%d", k);
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
