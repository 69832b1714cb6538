/* Checking a purchase model on a holdout period. */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <string.h>

int cs_model_validate(const cs_model *m, const cs_customers *c, cs_validation *v, cs_error *err)
{
    memset(v, 0, sizeof *v);
    v->mae = v->rmse = v->spend_corr = NAN;
    v->duration = c->duration_holdout;
    const struct csi_family *f = csi_family(m->kind);
    if (!f)
        return csi_fail(err, CS_EINVAL, "no such model");
    if (f->role != CS_ROLE_PURCHASE || !f->expected)
        return csi_fail(err, CS_EINVAL,
                        "the %s model predicts %s, not the number of purchases: a holdout "
                        "validation needs a purchase model",
                        f->title, f->role == CS_ROLE_SPEND ? "the value of purchases" : "renewals");
    if (!c->has_holdout || !isfinite(c->duration_holdout))
        return csi_fail(err, CS_EINVAL, "the customers have no holdout period "
                                        "(frequency_holdout and duration_holdout)");
    /* every customer is compared: rows the model cannot take and empty
     * holdout counts are errors, not left out */
    int rc = cs_customers_check(c, m->kind, CS_CHECK_HOLDOUT | CS_CHECK_CUSTOMERS, err);
    if (rc != CS_OK)
        return rc;
    if (!cs_model_unit_matches(m, c))
        return csi_fail(err, CS_EINVAL, "the model is in %s and the data are not",
                        cs_unit_suffix(m->unit));
    double t = c->duration_holdout, se = 0, sq = 0;
    size_t nan = 0, first = 0;
    for (size_t i = 0; i < c->n; i++) {
        double e = cs_model_expected(m, &c->obs[i], t);
        double a = c->x_holdout[i], w = c->weight[i];
        if (!isfinite(e)) {
            if (nan++ == 0)
                first = i;
            continue;
        }
        int k = c->obs[i].x >= 7 ? 7 : (int)c->obs[i].x;
        v->customers[k] += w;
        v->actual[k] += w * a;
        v->predicted[k] += w * e;
        v->actual[CS_VALIDATE_ALL] += w * a;
        v->predicted[CS_VALIDATE_ALL] += w * e;
        se += w * fabs(e - a);
        sq += w * (e - a) * (e - a);
        v->customers[CS_VALIDATE_ALL] += w;
    }
    if (nan) {
        size_t len = 0;
        const char *id = first < c->ids.n ? cs_ids_get(&c->ids, first, &len) : "";
        csi_fail(err, CS_EINVAL,
                 "the %s model gives no holdout prediction for %zu %s (the first: "
                 "'%.*s'): %s",
                 f->title, nan, nan == 1 ? "customer" : "customers", (int)(len > 64 ? 64 : len), id, cs_model_nan_reason(m->kind));
        csi_error_where(err, c->file ? c->file : "", c->line ? c->line[first] : 0, 0, "", 0);
        return CS_EINVAL;
    }
    double nn = v->customers[CS_VALIDATE_ALL];
    if (nn > 0) {
        v->mae = se / nn;
        v->rmse = sqrt(sq / nn);
    }
    if (c->has_monetary) {
        /* repeat buyers, one each (not weighted) */
        double n1 = 0, mx = 0, mm = 0, sxx = 0, smm = 0, sxm = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->obs[i].x > 0 && isfinite(c->monetary[i])) {
                n1++;
                mx += c->obs[i].x;
                mm += c->monetary[i];
            }
        mx /= n1, mm /= n1;
        for (size_t i = 0; i < c->n; i++)
            if (c->obs[i].x > 0 && isfinite(c->monetary[i])) {
                double dx = c->obs[i].x - mx, dm = c->monetary[i] - mm;
                sxx += dx * dx, smm += dm * dm, sxm += dx * dm;
            }
        v->spend_n = n1;
        v->spend_corr = sxm / sqrt(sxx * smm);
    }
    return CS_OK;
}
